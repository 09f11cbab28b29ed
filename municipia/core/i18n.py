"""Helpers for content translated with django-modeltranslation."""

from django.conf import settings


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def translated_names(*fields: str) -> list[str]:
    """`translated_names("title")` → `["title_en", "title_es", "title_ca", "title_bg"]`."""
    return [f"{field}_{code}" for field in fields for code in language_codes()]


def has_any_translation(values: dict, field: str) -> bool:
    return any((values.get(f"{field}_{code}") or "").strip() for code in language_codes())
