"""Shared write helpers used by every app's services."""

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from municipia.core.sanitize import strip_forbidden_characters
from municipia.core.uniqueness import avoid_private_collisions

ModelT = TypeVar("ModelT", bound=models.Model)


def signed_in(user: AbstractBaseUser | AnonymousUser | None) -> AuthUser | None:
    """The acting user as the value of a "created by" field: None for anonymous and command-line writes."""
    # AUTH_USER_MODEL is Django's User; the acting user arrives typed as any user a request can carry.
    return cast(AuthUser, user) if user is not None and user.is_authenticated else None


def apply_fields(instance: models.Model, values: dict[str, Any], allowed: Iterable[str]) -> None:
    """Sets the allowed fields present in `values` (forms and API send only what they edit)."""
    allowed = set(allowed)
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"Fields not editable here: {', '.join(sorted(unknown))}")
    for name, value in values.items():
        setattr(instance, name, value)


def save_with_history(
    instance: ModelT, *, acting_user: AbstractBaseUser | AnonymousUser | None, reason: str = ""
) -> ModelT:
    """Validates and saves, recording the acting user and reason in the change history."""
    # The untranslated column behind a translated field (`title` beside `title_en`…) is checked
    # by RequiresOneLanguageMixin.clean per language; validating it too would repeat the error
    # without naming a field the user can see.
    strip_forbidden_characters(instance)
    excluded = list(getattr(instance, "required_translations", ()))
    try:
        instance.full_clean(exclude=excluded)
    except ValidationError as error:
        # A slug or code held only by objects the user may not see is replaced, not refused:
        # the refusal would confirm they exist (core.uniqueness).
        if not avoid_private_collisions(instance, acting_user, error):
            raise
        instance.full_clean(exclude=excluded)
    if acting_user is not None and getattr(acting_user, "is_authenticated", False):
        # simple-history reads these two attributes when it writes the historical row.
        setattr(instance, "_history_user", acting_user)  # noqa: B010
    if reason:
        setattr(instance, "_change_reason", reason)  # noqa: B010
    instance.save()
    return instance


def delete_with_history(instance: models.Model, *, acting_user: AbstractBaseUser | AnonymousUser | None) -> None:
    if acting_user is not None and getattr(acting_user, "is_authenticated", False):
        setattr(instance, "_history_user", acting_user)  # noqa: B010
    instance.delete()


def unique_slug(model: type[models.Model], text: str, *, exclude_pk: object = None, **scope: Any) -> str:
    """A slug made from `text`, suffixed -2, -3… until no other row of `model` in `scope` has it."""
    base = slugify(text)[:100] or str(model._meta.model_name)
    slug, n = base, 2
    while model._default_manager.filter(slug=slug, **scope).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class PlainServices:
    """The create, update and delete services of a model whose writes need no rule beyond its own
    validation (`Model.clean`, constraints): set the allowed fields, validate, save with history.

        axis_create, axis_update, axis_delete = PlainServices(Axis, parent="plan", fields=AXIS_FIELDS)

    They keep the services' conventions — `axis_create(*, acting_user, plan, data)`,
    `axis_update(*, acting_user, axis, data)`, `axis_delete(*, acting_user, axis)` — so pages, API,
    admin, imports and demo data call them like any hand-written service. A model with rules of
    its own (cross-object checks, state machines) keeps hand-written services.
    """

    def __init__(
        self,
        model: type[models.Model],
        *,
        parent: str | None,
        fields: Iterable[str],
        on_write: Callable[[Any], None] | None = None,
        check: Callable[[Any], None] | None = None,
        object_arg: str = "",
    ) -> None:
        self.model, self.parent, self.fields = model, parent, list(fields)
        # The keyword update and delete take the object by (default: the model's name).
        self.name: str = object_arg or str(model._meta.model_name)
        # Called after the fields are set on create and update: cross-object rules the model's own
        # validation cannot see; raises ValidationError naming the field.
        self.check = check or (lambda instance: None)
        # Called inside the transaction before every save and delete (e.g. to mark cached figures
        # of the object's indicator stale).
        self.on_write = on_write or (lambda instance: None)

    def __iter__(self) -> Iterator[Callable[..., Any]]:
        return iter((self.create, self.update, self.delete))

    def _one(self, named: dict[str, Any], key: str | None) -> dict[str, Any]:
        expected = {key} if key else set()
        if set(named) != expected:
            raise TypeError(f"{self.name} services take {sorted(expected)}, not {sorted(named)}")
        return named

    def create(
        self, *, acting_user: AbstractBaseUser | AnonymousUser | None, data: dict[str, Any], **parent: Any
    ) -> Any:
        with transaction.atomic():
            instance = self.model(**self._one(parent, self.parent))
            apply_fields(instance, data, self.fields)
            self.check(instance)
            self.on_write(instance)
            return save_with_history(instance, acting_user=acting_user)

    def update(
        self, *, acting_user: AbstractBaseUser | AnonymousUser | None, data: dict[str, Any], **named: Any
    ) -> Any:
        with transaction.atomic():
            instance = self._one(named, self.name)[self.name]
            apply_fields(instance, data, self.fields)
            self.check(instance)
            self.on_write(instance)
            return save_with_history(instance, acting_user=acting_user)

    def delete(self, *, acting_user: AbstractBaseUser | AnonymousUser | None, **named: Any) -> None:
        with transaction.atomic():
            instance = self._one(named, self.name)[self.name]
            self.on_write(instance)
            delete_with_history(instance, acting_user=acting_user)
