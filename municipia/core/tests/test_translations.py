"""The interface translations (es, ca, bg): complete, well-formed, compiled, and used by the pages.

The catalogues are read with a small parser of our own (no dependency on polib), so the tests
check the files exactly as they are committed.
"""

import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ["es", "ca", "bg"]
NPLURALS = {"es": 2, "ca": 2, "bg": 2}


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[n] for n in sorted(self.msgstr_plural)]


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str, where: str) -> str:
    text = text.strip()
    assert len(text) >= 2 and text[0] == text[-1] == '"', f"{where}: not a quoted string: {text!r}"
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text[1:-1])


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def parse_po(path: Path) -> tuple[Entry, list[Entry]]:
    """Return (header, entries) of a .po file; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None

    def finish():
        nonlocal current, target
        if current is not None:
            entries.append(current)
        current, target = None, None

    pending_flags: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        where = f"{path}:{number}"
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if current is not None and target is not None and target[0].startswith("msgstr"):
                finish()
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3), where)
            # A new msgctxt/msgid after a msgstr starts a new entry even without a blank line.
            if keyword in ("msgctxt", "msgid") and current is not None and target and target[0].startswith("msgstr"):
                finish()
            if current is None:
                current = Entry(line=number, flags=pending_flags)
                pending_flags = set()
            if index is not None:
                current.msgstr_plural[int(index)] = value
                target = ("msgstr_plural", int(index))
            else:
                setattr(current, keyword, value)
                target = (keyword, None)
            continue
        assert line.startswith('"') and current is not None and target is not None, f"{where}: unexpected line {raw!r}"
        value = _unquote(line, where)
        if target[0] == "msgstr_plural":
            current.msgstr_plural[target[1]] += value
        else:
            setattr(current, target[0], getattr(current, target[0]) + value)
    finish()
    headers = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    assert len(headers) == 1, f"{path}: expected exactly one header entry"
    return headers[0], [e for e in entries if e is not headers[0]]


def header_fields(header: Entry) -> dict[str, str]:
    fields = {}
    for line in header.msgstr.splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            fields[key.strip()] = value.strip()
    return fields


# %(name)s, %(count)d, %s, %d, %% ... and str.format-style {name}.
_PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([diouxXeEfFgGcrs%])")
_BRACE = re.compile(r"(?<!\{)\{(\w*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def placeholders(text: str, entry: Entry) -> Counter:
    found = Counter()
    for match in _PERCENT.finditer(text):
        # Outside python-format entries a lone "%" is just a percent sign; named ones always count.
        if "python-format" in entry.flags or match.group(1):
            found[match.group(0)] += 1
    if "python-brace-format" in entry.flags:
        found.update(m.group(0) for m in _BRACE.finditer(text))
    return found


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def entries_of(lang: str) -> list[Entry]:
    return parse_po(po_path(lang))[1]


@pytest.fixture(params=LANGUAGES)
def lang(request):
    return request.param


def test_parser_reads_continuation_lines_and_plurals(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: xx\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#, python-format\nmsgid ""\n"Hello %(name)s, "\n"\\"quoted\\""\nmsgstr "Hola %(name)s, «cita»"\n\n'
        'msgid "%(counter)s plan"\nmsgid_plural "%(counter)s plans"\nmsgstr[0] "%(counter)s pla"\n'
        'msgstr[1] ""\n"%(counter)s plans"\n\n#~ msgid "old"\n#~ msgstr "vell"\n',
        encoding="utf-8",
    )
    header, entries = parse_po(po)
    assert header_fields(header)["Language"] == "xx"
    assert [e.msgid for e in entries] == ['Hello %(name)s, "quoted"', "%(counter)s plan"]
    assert entries[0].flags == {"python-format"}
    assert entries[1].translations == ["%(counter)s pla", "%(counter)s plans"]


def test_catalogue_exists_and_is_substantial(lang):
    assert po_path(lang).exists(), f"run makemessages -l {lang}"
    assert len(entries_of(lang)) >= 300


def test_header(lang):
    header, _ = parse_po(po_path(lang))
    fields = header_fields(header)
    assert fields.get("Language") == lang
    assert "charset=UTF-8" in fields.get("Content-Type", "")
    assert re.fullmatch(rf"nplurals={NPLURALS[lang]}; plural=\(n != 1\);", fields.get("Plural-Forms", ""))
    assert "fuzzy" not in header.flags


def test_every_entry_translated_and_not_fuzzy(lang):
    problems = []
    for entry in entries_of(lang):
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        if entry.msgid_plural is not None and sorted(entry.msgstr_plural) != list(range(NPLURALS[lang])):
            problems.append(f"wrong number of plural forms: {entry.msgid!r}")
        if not all(t.strip() for t in entry.translations):
            problems.append(f"untranslated: {entry.msgid!r}")
    assert not problems, "\n".join(problems)


def test_placeholders_match(lang):
    problems = []
    for entry in entries_of(lang):
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        for n, translated in enumerate(entry.translations):
            source = sources[min(n, len(sources) - 1)]
            if placeholders(translated, entry) != placeholders(source, entry):
                problems.append(f"{entry.msgid!r} → {translated!r}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_html_tags_kept(lang):
    tag = re.compile(r"</?[a-zA-Z][^>]*>")
    problems = [
        f"{entry.msgid!r} → {t!r}"
        for entry in entries_of(lang)
        for t in entry.translations
        if sorted(tag.findall(t)) != sorted(tag.findall(entry.msgid))
    ]
    assert not problems, "\n".join(problems)


def test_mo_is_up_to_date(lang):
    mo = po_path(lang).with_suffix(".mo")
    assert mo.exists(), "run compilemessages"
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for entry in entries_of(lang):
        prefix = f"{entry.msgctxt}\x04" if entry.msgctxt is not None else ""
        if entry.msgid_plural is None:
            got = catalogue.pgettext(entry.msgctxt, entry.msgid) if prefix else catalogue.gettext(entry.msgid)
            if got != entry.msgstr:
                stale.append(f"{entry.msgid!r}: .mo has {got!r}, .po has {entry.msgstr!r}")
        else:
            for n, count in ((0, 1), (1, 2), (1, 5)):
                if prefix:
                    got = catalogue.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, count)
                else:
                    got = catalogue.ngettext(entry.msgid, entry.msgid_plural, count)
                if got != entry.msgstr_plural[n]:
                    stale.append(f"{entry.msgid!r} (n={count}): .mo has {got!r}, .po has {entry.msgstr_plural[n]!r}")
    assert not stale, "the .mo is older than the .po; run compilemessages:\n" + "\n".join(stale)


NAV_LABELS = {
    "en": ["Plans", "Actions", "Organisations"],
    "es": ["Planes", "Actuaciones", "Entidades"],
    "ca": ["Plans", "Accions", "Entitats"],
    "bg": ["Планове", "Мерки", "Организации"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["en", "es", "ca", "bg"])
def test_home_page_navigation_is_translated(client, code):
    # LocaleMiddleware leaves the request's language active in this thread; restore it so
    # that later tests do not run in Bulgarian.
    with translation.override(None):
        response = client.get(f"/{code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}">' in html
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S)
    assert nav, "the main navigation is missing"
    labels = re.findall(r"<a [^>]*>([^<]+)</a>", nav.group(0))
    assert labels[: len(NAV_LABELS[code])] == NAV_LABELS[code]
    if code != "en":
        assert "Actions" not in labels
