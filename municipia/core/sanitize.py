"""Sanitising of user-written text: the characters XML 1.0 cannot hold are removed.

No user text is HTML: every field is plain text, escaped by the templates (line breaks become
`<br>`/`<p>` through `linebreaks`). So there is no HTML sanitiser; a test keeps templates from
marking user text safe.
"""

import re
from typing import Any

from django.db import models

# Everything XML 1.0 forbids (its `Char` production): C0 controls but tab, LF and CR; lone
# surrogates; U+FFFE and U+FFFF. One of them in a title made every XLSX, XML and feed writer fail.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 (and so XLSX, StratML, Atom and RSS) cannot carry."""
    return XML_FORBIDDEN.sub("", text)


def xml_safe_value(value: Any) -> Any:
    return xml_safe(value) if isinstance(value, str) else value


def strip_forbidden_characters(instance: models.Model) -> None:
    """Cleans every text column of `instance` in place; services call it before validating, so such
    characters never reach the database whichever way the text came in (form, API, import, admin)."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and XML_FORBIDDEN.search(value):
                setattr(instance, field.attname, xml_safe(value))
