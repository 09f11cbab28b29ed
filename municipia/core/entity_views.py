"""The create, edit and delete pages of any declared entity, and their URLs.

    urlpatterns = [
        *entity_paths(AXIS, create="plans/<slug:slug>/axes/new/", item="axes/<int:pk>/", parent=PLAN),
    ]

gives `axis-create` (the parent is fetched from the URL with the parent entity's scoped getter,
and `add_axis` is checked on it), `axis-update` (`<item>edit/`, `change_axis`) and `axis-delete`
(`<item>delete/`, `delete_axis`). Forms receive `parent=` (the new object's parent, or the
edited object's) and, when editing, `instance=`. A page that is genuinely special keeps its own
view and says why in its docstring.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from municipia.core.entities import Entity
from municipia.core.versions import Conflict, check_version, version_of
from municipia.core.views import ServiceDeleteView, ServiceFormView

LOOKUP_KWARGS = ("pk", "slug")


def _lookup(entity: Entity, kwargs: dict[str, Any]) -> dict[str, Any]:
    value = next(kwargs[name] for name in LOOKUP_KWARGS if name in kwargs)
    return {entity.lookup: value}


def _flash(request, text: Any) -> None:
    if text:
        messages.success(request, str(text))


class EntityCreateView(ServiceFormView):
    """A new object of `entity`, created in the parent the URL names."""

    entity: Entity = None  # type: ignore[assignment]  # set by as_view()
    parent_entity: Entity | None = None

    def load(self, **kwargs: Any) -> Model | None:
        self.permission = self.entity.perm("add")
        self.title = self.entity.titles[0]
        self.parent = self.parent_entity.get(self.request.user, **_lookup(self.parent_entity, kwargs))
        return self.parent

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"parent": self.parent}

    def get_context(self) -> dict[str, Any]:
        return {"subtitle": str(self.parent)}

    def cancel_url(self) -> str:
        return self.parent.get_absolute_url()

    def save(self, form) -> Model:
        obj = self.entity.create_object(acting_user=self.request.user, parent=self.parent, data=form.service_data())
        _flash(self.request, self.entity.messages[0])
        return obj

    def success_url(self, obj: Model) -> str:
        return self.entity.url_after_save(obj)


class EntityUpdateView(ServiceFormView):
    """The edit form of one object of `entity`.

    The page carries the version of the object it was opened at; saving over a newer version is
    refused, the form comes back with what the editor typed and says what changed and by whom,
    and it then carries the newer version, so saving again knowingly overwrites.
    """

    entity: Entity = None  # type: ignore[assignment]  # set by as_view()

    def load(self, **kwargs: Any) -> Model:
        self.permission = self.entity.perm("change")
        self.title = self.entity.titles[1]
        self.object = self.entity.get(self.request.user, **_lookup(self.entity, kwargs))
        self.version = self.request.POST.get("version") or version_of(self.object)
        return self.object

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = {"instance": self.object, "parent": self.entity.parent_of(self.object)}
        if self.request.method == "GET" and self.entity.prefill is not None:
            kwargs["initial"] = self.entity.prefill(self.request.GET)
        return kwargs

    def get_context(self) -> dict[str, Any]:
        parent = self.entity.parent_of(self.object)
        hidden = {"version": self.version} if self.version else {}
        return {"subtitle": str(parent if parent is not None else self.object), "hidden": hidden}

    def cancel_url(self) -> str:
        return self.entity.url_after_save(self.object)

    def save(self, form) -> Model:
        try:
            with transaction.atomic():
                check_version(self.object, self.request.POST.get("version"), fields=list(form.fields))
                obj = self.entity.update_object(
                    acting_user=self.request.user, obj=self.object, data=form.service_data()
                )
        except Conflict as conflict:
            self.version = version_of(conflict.current)
            raise ValidationError(
                conflict.message() + " " + _("Your changes are kept below: check them and save again.")
            ) from None
        _flash(self.request, self.entity.messages[1])
        return obj

    def success_url(self, obj: Model) -> str:
        return self.entity.url_after_save(obj)


class EntityDeleteView(ServiceDeleteView):
    """Confirms, then deletes one object of `entity` through its service."""

    entity: Entity = None  # type: ignore[assignment]  # set by as_view()

    def load(self, **kwargs: Any) -> Model:
        self.permission = self.entity.perm("delete")
        self.object = self.entity.get(self.request.user, **_lookup(self.entity, kwargs))
        return self.object

    def describe(self) -> str:
        return str(self.object)

    def cancel_url(self) -> str:
        return self.entity.url_after_save(self.object)

    def perform_delete(self) -> str:
        where = self.entity.url_after_delete(self.object)
        self.entity.delete_object(acting_user=self.request.user, obj=self.object)
        _flash(self.request, self.entity.messages[2])
        return where


def entity_paths(
    entity: Entity,
    *,
    item: str,
    create: str | None = None,
    parent: Entity | None = None,
    views: tuple[str, ...] = ("create", "update", "delete"),
    template_name: str | None = None,
) -> list[URLPattern]:
    """The URL patterns of an entity's create (under `create`), edit and delete (under `item`) pages."""
    name = entity.model_name
    extra = {"template_name": template_name} if template_name else {}
    patterns = []
    if "create" in views and create is not None:
        view = EntityCreateView.as_view(entity=entity, parent_entity=parent, form_class=entity.service("form"), **extra)
        patterns.append(path(create, view, name=f"{name}-create"))
    if "update" in views:
        view = EntityUpdateView.as_view(entity=entity, form_class=entity.service("form"), **extra)
        patterns.append(path(f"{item}edit/", view, name=f"{name}-update"))
    if "delete" in views:
        patterns.append(path(f"{item}delete/", EntityDeleteView.as_view(entity=entity), name=f"{name}-delete"))
    return patterns
