"""Post-processing of the OpenAPI schema: what responses really contain where drf-spectacular cannot tell.

Found by fuzzing the API against its schema (api/tests/test_fuzz.py):

- optional web and e-mail addresses (`website`, `online_url`, `email`…: fields left blank) are ""
  when empty, which `format: uri` / `email` refuses — they are documented as an address or "";
- some response fields are null when empty or hidden from the reader (a person's e-mail unless
  they chose to show it, a news post without an image, a template questionnaire without owner).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models

# (response component, property) that may be null: hidden from this reader, or empty.
NULLABLE_IN_RESPONSES = {
    ("Person", "email"),  # shown only when the person chose to, or to their organisation's editors
    ("Person", "organization"),
    ("Person", "organization_name"),
    ("NewsPost", "image"),
    ("Questionnaire", "owner"),  # the templates shipped with the site belong to nobody
    ("QuestionnaireDetail", "owner"),
}


def _blank_fields(field_class: type[models.Field]) -> set[str]:
    return {
        field.name
        for model in apps.get_models()
        if model.__module__.startswith("municipia.")
        for field in model._meta.get_fields()
        if isinstance(field, field_class) and field.blank
    }


def document_empty_and_hidden_values(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    blank = {"uri": _blank_fields(models.URLField), "email": _blank_fields(models.EmailField)}
    for name, component in result.get("components", {}).get("schemas", {}).items():
        properties = component.get("properties", {})
        for prop_name, prop in properties.items():
            kind = prop.get("format")
            if kind in blank and prop_name in blank[kind]:
                # An address, or "" when none was given.
                prop["anyOf"] = [{"type": "string", "format": kind}, {"type": "string", "maxLength": 0}]
                del prop["format"]
            if (name, prop_name) in NULLABLE_IN_RESPONSES:
                prop["nullable"] = True
    return result
