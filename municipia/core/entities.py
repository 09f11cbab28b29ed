"""Each entity declared once; its pages, API viewset, admin, exports, snapshot and tests read it.

An app declares its entities in `<app>/entities.py`:

    AXIS = register(Entity(
        model=Axis,
        visibility=Is("plan__is_published") | Among("plan__owner_id", editable_organization_ids),
        parent="plan",                       # the object `add_axis` is checked on
        fields=("code", "title", "description", "weight", "position"),
        translated=("title", "description"),
        create=services.axis_create, update=services.axis_update, delete=services.axis_delete,
        titles=(_("New axis"), _("Edit axis")),
    ))

and from there:

- `AXIS.visible(user)` and `AXIS.get(user, pk=…)` are the scoped reads (404 alike for missing
  and forbidden); the same rule is the `view_axis` permission, so "which objects" and "may
  this user see this object" give one answer (`core/tests/test_visibility_agreement.py`);
- `AXIS.create_object(…)`, `update_object(…)`, `delete_object(…)` call the services with their
  keyword names (`axis_create(acting_user=…, plan=…, data=…)`), keeping only editable fields
  and passing the many-to-many `links` separately;
- `core.entity_views` builds the create/edit/delete pages and their URLs, `api.viewsets.EntityViewSet`
  the API writes, `core.admin.EntityAdmin` the admin's; `export_fields` and `snapshot_fields`
  are the columns of exports and of approved versions.

Services keep their conventions: `<noun>_create(*, acting_user, <parent>=…, data, **links)`,
`<noun>_update(*, acting_user, <noun>=…, data, **links)`, `<noun>_delete(*, acting_user, <noun>=…)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import rules
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.module_loading import import_string

from municipia.core.i18n import translated_names
from municipia.core.visibility import Always, Rule, User, allows, visible

REGISTRY: dict[type[Model], Entity] = {}


@dataclass(frozen=True, eq=False)
class Entity:
    model: type[Model]
    #: Who may see an object: one rule for querysets and for single objects (core.visibility).
    visibility: Rule = field(default_factory=Always)
    #: The foreign key naming the object a new one is created in (its `add_*` permission is
    #: checked there); None for top-level objects, whose `add_*` is checked without an object.
    parent: str | None = None
    #: Editable fields, translated ones by their base name (`title`, not `title_en`).
    fields: Sequence[str] = ()
    translated: Sequence[str] = ()
    #: Many-to-many fields passed to the services as keyword arguments of their own.
    links: Sequence[str] = ()
    #: The services, as functions or dotted paths (`"municipia.strategy.services.axis_create"`):
    #: a path lets services import the entity for its field list without an import cycle.
    create: Callable[..., Model] | str | None = None
    update: Callable[..., Model] | str | None = None
    delete: Callable[..., None] | str | None = None
    #: The keyword the update/delete services take the object by (default: the model name).
    object_arg: str = ""
    #: The keyword the create service takes the parent by (default: `parent`).
    parent_arg: str = ""
    #: How objects are fetched by URL: `pk` or `slug`.
    lookup: str = "pk"
    #: Related objects every scoped fetch loads, so permission checks and pages need no more queries.
    select_related: Sequence[str] = ()
    #: Page titles of the create and edit forms.
    titles: tuple[Any, Any] = ("", "")
    #: Messages shown after create, save and delete (none when empty).
    messages: tuple[Any, Any, Any] = ("", "", "")
    #: The form class of the create/edit pages (a core.forms.ServiceModelForm), or its dotted path.
    form: type | str | None = None
    #: Values the edit form starts with, from the page's query string (an offer such as
    #: "?finish=1": the editor still reviews and saves them); none by default.
    prefill: Callable[[Any], dict[str, Any]] | None = None
    #: Where a page goes after a save (default: the object's own page).
    after_save: Callable[[Model], str] | None = None
    #: Where a page goes after a delete (default: the parent's page).
    after_delete: Callable[[Model], str] | None = None
    #: Columns of exports and of approved-version snapshots (default: the editable fields).
    export_fields: Sequence[str] | None = None
    snapshot_fields: Sequence[str] | None = None
    #: False when the model's `view_*` permission is defined by the app's rules instead (say why there).
    owns_view_permission: bool = True

    # --- names

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def model_name(self) -> str:
        return self.model._meta.model_name

    def perm(self, verb: str) -> str:
        """The `rules` permission name of a verb: `perm("change")` → `strategy.change_axis`."""
        return f"{self.model._meta.app_label}.{verb}_{self.model_name}"

    def editable_names(self) -> list[str]:
        """The fields services accept, translated ones expanded to their language columns."""
        names: list[str] = []
        for name in self.fields:
            names.extend(translated_names(name) if name in self.translated else [name])
        return names

    def columns(self, kind: str = "export") -> list[str]:
        chosen = self.snapshot_fields if kind == "snapshot" else self.export_fields
        return list(self.fields if chosen is None else chosen)

    # --- reads

    def visible(self, user: User | None, queryset: QuerySet | None = None) -> QuerySet:
        """The objects `user` may see (of `queryset`, if given)."""
        if queryset is None:
            queryset = self.model._default_manager.all()
        return visible(self.visibility, queryset, user)

    def none(self) -> QuerySet:
        """No objects: the placeholder choices of a form or API field whose choices are set per request."""
        return self.model._default_manager.none()

    def can_see(self, user: User | None, obj: Model | None) -> bool:
        return allows(self.visibility, user, obj)

    def get(self, user: User | None, **lookup: Any) -> Model:
        """The object named by `lookup` if `user` may see it; Http404 alike for missing and forbidden."""
        queryset = self.visible(user)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        try:
            return queryset.get(**lookup)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404 from None

    def parent_of(self, obj: Model) -> Model | None:
        return getattr(obj, self.parent) if self.parent else None

    # --- writes, through the services

    def service(self, kind: str) -> Callable[..., Any]:
        """The create, update or delete service (or the form class: `service("form")`)."""
        target = getattr(self, kind)
        if target is None:
            raise NotImplementedError(f"{self.label} has no {kind}")
        return import_string(target) if isinstance(target, str) else target

    def _split(self, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        editable = set(self.editable_names())
        links = {name: data[name] for name in self.links if name in data}
        return {k: v for k, v in data.items() if k in editable}, links

    def create_object(self, *, acting_user: User, parent: Model | None, data: dict[str, Any]) -> Model:
        values, links = self._split(data)
        where = {(self.parent_arg or self.parent): parent} if self.parent else {}
        return self.service("create")(acting_user=acting_user, **where, data=values, **links)

    def update_object(self, *, acting_user: User, obj: Model, data: dict[str, Any]) -> Model:
        values, links = self._split(data)
        named = {self.object_arg or self.model_name: obj}
        return self.service("update")(acting_user=acting_user, **named, data=values, **links)

    def delete_object(self, *, acting_user: User, obj: Model) -> None:
        self.service("delete")(acting_user=acting_user, **{self.object_arg or self.model_name: obj})

    # --- where pages go

    def url_after_save(self, obj: Model) -> str:
        return self.after_save(obj) if self.after_save else obj.get_absolute_url()

    def url_after_delete(self, obj: Model) -> str:
        if self.after_delete:
            return self.after_delete(obj)
        parent = self.parent_of(obj)
        return parent.get_absolute_url() if parent is not None else "/"


def register(entity: Entity) -> Entity:
    """Adds the entity to the registry and makes its visibility rule its `view_*` permission."""
    REGISTRY[entity.model] = entity
    if entity.owns_view_permission:
        rule = entity.visibility

        @rules.predicate(name=f"can_see_{entity.model_name}")
        def can_see(user: User, obj: Model | None = None) -> bool:
            # Without an object (a list page): anyone may ask; the queryset answers which.
            return True if obj is None else allows(rule, user, obj)

        rules.set_perm(entity.perm("view"), can_see)
    return entity


def entity_of(model: type[Model] | Model) -> Entity:
    if not isinstance(model, type):
        model = type(model)
    return REGISTRY[model]


def entities() -> list[Entity]:
    return list(REGISTRY.values())
