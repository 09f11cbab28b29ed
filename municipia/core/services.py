"""Shared write helpers used by every app's services."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.utils.text import slugify


def apply_fields(instance: models.Model, values: dict[str, Any], allowed: Iterable[str]) -> None:
    """Sets the allowed fields present in `values` (forms and API send only what they edit)."""
    allowed = set(allowed)
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"Fields not editable here: {', '.join(sorted(unknown))}")
    for name, value in values.items():
        setattr(instance, name, value)


def save_with_history(
    instance: models.Model, *, acting_user: AbstractBaseUser | AnonymousUser | None, reason: str = ""
) -> models.Model:
    """Validates and saves, recording the acting user and reason in the change history."""
    # The untranslated column behind a translated field (`title` beside `title_en`…) is checked
    # by RequiresOneLanguageMixin.clean per language; validating it too would repeat the error
    # without naming a field the user can see.
    instance.full_clean(exclude=list(getattr(instance, "required_translations", ())))
    if acting_user is not None and getattr(acting_user, "is_authenticated", False):
        instance._history_user = acting_user
    if reason:
        instance._change_reason = reason
    instance.save()
    return instance


def delete_with_history(instance: models.Model, *, acting_user: AbstractBaseUser | AnonymousUser | None) -> None:
    if acting_user is not None and getattr(acting_user, "is_authenticated", False):
        instance._history_user = acting_user
    instance.delete()


def unique_slug(model: type[models.Model], text: str, *, exclude_pk=None, **scope) -> str:
    """A slug made from `text`, suffixed -2, -3… until no other row of `model` in `scope` has it."""
    base = slugify(text)[:100] or model._meta.model_name
    slug, n = base, 2
    while model._default_manager.filter(slug=slug, **scope).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
