"""Helpers for content translated with django-modeltranslation."""

from collections.abc import Sequence
from typing import Any

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


def shown_language(obj: object, *fields: str) -> str | None:
    """The language of the text a page shows for `obj`'s translated field in the current language.

    modeltranslation falls back to another language when the current one is empty; the page must
    then mark that text with its own `lang`. With several fields, the first one with any text
    counts (as in `short_title|default:title`). None when no language has text.
    """
    current = current_language()
    order = [current, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES.get(current, ())]
    order += [code for code in settings.MODELTRANSLATION_FALLBACK_LANGUAGES["default"] if code not in order]
    for field in fields:
        for code in order:
            if (getattr(obj, f"{field}_{code}", None) or "").strip():
                return code
    return None


def row_columns(model: Any, fields: Sequence[str]) -> list[str]:
    """The columns a row of `fields` reads as plain values: each field as named, and a translated one
    (also across a relation, `"organization__name"`) as its column in every language, so that the
    row can fall back from one language to the next as modeltranslation's descriptor does."""
    from modeltranslation.translator import NotRegistered, translator

    columns = []
    for name in fields:
        path, _sep, field = name.rpartition("__")
        target = model
        for step in path.split("__") if path else ():
            target = target._meta.get_field(step).related_model
        try:
            translated = field in translator.get_options_for_model(target).all_fields
        except NotRegistered:
            translated = False
        prefix = f"{path}__" if path else ""
        columns += [prefix + column for column in translated_names(field)] if translated else [name]
    return columns
