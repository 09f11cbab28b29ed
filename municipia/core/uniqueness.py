"""Unique values users choose (a slug, a code) without an oracle for objects they may not see.

A value taken only by objects the acting user may not see (another council's private plan, a
draft campaign) is not refused — an error would confirm that the object exists — but replaced
by the next free one (`name-2`, `name-3`…), as a slug made from a title would be. A value taken
by an object the user sees gets the usual error naming the field. Called by
`core.services.save_with_history`, which every service writes through, so pages, API, admin
and imports behave alike; the API leaves uniqueness to the services (api.viewsets).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from municipia.core.visibility import User, is_site_admin

# The longest suffix `free_value` adds ("-999").
_SUFFIX_ROOM = 4


def globally_unique_fields(model: type[models.Model]) -> list[models.CharField]:
    """The text fields users set that must be unique across the whole table (slugs, codes)."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField) and field.unique and field.editable and not field.primary_key
    ]


def free_value(model: type[models.Model], field: models.CharField, value: str, *, exclude_pk: object = None) -> str:
    """`value`, or `value-2`, `value-3`… cut to fit the column, the first no other row has."""
    limit = (field.max_length or 255) - _SUFFIX_ROOM
    base = value[:limit].rstrip("-") or value[:limit]
    manager = model._default_manager
    candidate, n = base, 2
    while manager.filter(**{field.name: candidate}).exclude(pk=exclude_pk).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def avoid_private_collisions(instance: models.Model, user: User | None, error: ValidationError) -> bool:
    """Replaces each value of `error`'s unique fields that only invisible objects hold; True if any changed.

    Data loads (no user) and site administrators, who see everything, keep the error as it is.
    """
    from municipia.core.entities import REGISTRY

    model = type(instance)
    entity = REGISTRY.get(model)
    if entity is None or user is None or not user.is_authenticated or is_site_admin(user):
        return False
    fields_in_error = set(getattr(error, "error_dict", {}))
    changed = False
    for field in globally_unique_fields(model):
        value = getattr(instance, field.attname)
        if field.name not in fields_in_error or not value:
            continue
        holders = model._default_manager.filter(**{field.name: value}).exclude(pk=instance.pk)
        if not holders.exists() or entity.visible(user, holders).exists():
            continue
        setattr(instance, field.attname, free_value(model, field, value, exclude_pk=instance.pk))
        changed = True
    return changed
