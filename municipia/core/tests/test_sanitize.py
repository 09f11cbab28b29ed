"""User-written HTML keeps its formatting and loses anything that could run."""

from municipia.core.sanitize import clean_html


def test_scripts_and_event_handlers_are_removed():
    dirty = '<p onclick="steal()">Hola <script>alert(1)</script><strong>món</strong></p><img src=x onerror=alert(1)>'
    clean = clean_html(dirty)
    assert "script" not in clean
    assert "onclick" not in clean
    assert "onerror" not in clean
    assert "<strong>món</strong>" in clean


def test_javascript_links_are_dropped_and_others_get_safe_rel():
    clean = clean_html('<a href="javascript:alert(1)">x</a> <a href="https://example.org">y</a>')
    assert "javascript:" not in clean
    assert 'href="https://example.org"' in clean
    assert "noopener" in clean


def test_empty_text_stays_empty():
    assert clean_html("") == ""
