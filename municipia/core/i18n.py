"""Helpers for content translated with django-modeltranslation."""

from django.conf import settings
from django.utils.translation import get_language


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def current_language() -> str:
    """The active language's base code ("ca" for "ca-es"), or the default language."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def split_translated(name: str) -> tuple[str, str | None]:
    """`"title_ca"` → `("title", "ca")`; a name that is not a language column → `(name, None)`."""
    base, _sep, code = name.rpartition("_")
    if base and code in language_codes():
        return base, code
    return name, None


def translated_names(*fields: str) -> list[str]:
    """`translated_names("title")` → `["title_en", "title_es", "title_ca", "title_bg"]`."""
    return [f"{field}_{code}" for field in fields for code in language_codes()]


def has_any_translation(values: dict, field: str) -> bool:
    return any((values.get(f"{field}_{code}") or "").strip() for code in language_codes())
