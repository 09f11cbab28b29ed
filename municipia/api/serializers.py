"""Serializer building blocks shared by every app's API: translated fields, links, progress."""

from collections.abc import Callable, Sequence
from typing import Any

from django.urls import NoReverseMatch
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from municipia.core.entities import Entity
from municipia.core.i18n import translated_names
from municipia.core.links import reverse_many, url_maker


def translated_fields(*names: str) -> list[str]:
    """Field names for translated content: the read-only value in the request's language
    (`title`) followed by one writable field per language (`title_en`, `title_es`, …)."""
    return [*names, *translated_names(*names)]


def translated_read_only_kwargs(*names: str) -> dict[str, dict[str, Any]]:
    """`extra_kwargs` for `translated_fields`: the bare name is read-only and says so."""
    return {
        name: {
            "read_only": True,
            "help_text": _("The %(name)s in the request's language (Accept-Language), with fallback.") % {"name": name},
        }
        for name in names
    }


def entity_fields(entity: Entity, *, first: Sequence[str] = (), last: Sequence[str] = ()) -> list[str]:
    """A serializer's field names: `first`, the entity's other fields and links, then `last`.

    Translated fields come as `translated_fields` gives them (the value in the request's language,
    then one writable field per language), where the entity lists its first translated field.
    """
    names = [*first]
    for name in entity.fields:
        if name in first:
            continue
        if name not in entity.translated:
            names.append(name)
        elif name == entity.translated[0]:
            names.extend(translated_fields(*entity.translated))
    return [*names, *entity.links, *last]


class LinkField(serializers.HyperlinkedIdentityField):
    """`HyperlinkedIdentityField` that reverses once per serializer rather than once per object.

    The first object's link is reversed with a placeholder lookup value; the others are the same
    text with their own value, as long as it needs no quoting (ids, slugs). A list serializer
    shares one field between its rows, and a field lives for one request only.
    """

    def get_url(self, obj, view_name, request, format):
        if hasattr(obj, "pk") and obj.pk in (None, ""):
            return None
        makers = self.__dict__.setdefault("_url_makers", {})
        if format not in makers:
            makers[format] = url_maker(
                lambda value: self.reverse(
                    view_name, kwargs={self.lookup_url_kwarg: value}, request=request, format=format
                )
            )
        return makers[format](getattr(obj, self.lookup_field))


@extend_schema_field({"type": "string", "format": "uri", "nullable": True, "readOnly": True})
class HtmlUrlField(serializers.Field):
    """Absolute link to the object's page on the site, in the request's language.

    `page_of(obj)` returns the site path; None (or a page that does not exist) gives null. Or
    `view_name` (with `lookup`, "pk" by default) names the page when the model's
    get_absolute_url is exactly `reverse(view_name, kwargs={lookup: obj.<lookup>})`: the path is
    then reversed once per serializer rather than once per object.
    """

    def __init__(
        self,
        page_of: Callable[[Any], str | None] | None = None,
        *,
        view_name: str | None = None,
        lookup: str = "pk",
        **kwargs,
    ):
        if view_name is not None:
            page_of = self._page_by_view(view_name, lookup)
        self.page_of = page_of or (lambda obj: obj.get_absolute_url())
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault("help_text", _("Link to the object's page on the site."))
        super().__init__(**kwargs)

    def _page_by_view(self, view_name: str, lookup: str) -> Callable[[Any], str | None]:
        # One maker per field (one request) and per active language.
        def page_of(obj) -> str | None:
            raw = getattr(obj, lookup)
            if raw is None:
                return None
            makers = self.__dict__.setdefault("_page_makers", {})
            language = get_language()
            if language not in makers:
                makers[language] = reverse_many(view_name, lookup)
            return makers[language](raw)

        return page_of

    def to_representation(self, obj) -> str | None:
        try:
            path = self.page_of(obj)
        except NoReverseMatch:
            return None
        if not path:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


@extend_schema_field(OpenApiTypes.FLOAT)
class RollupProgressField(serializers.Field):
    """Weighted progress (0–100, one decimal) from `progress_rollup`; null when nothing below
    it carries weight. The list serializer computes the roll-up once for the whole page."""

    def __init__(self, level: str, **kwargs):
        self.level = level
        kwargs.update(source="*", read_only=True, allow_null=True)
        kwargs.setdefault(
            "help_text", _("Weighted progress of its actions (0–100); null when it has no weighted actions.")
        )
        super().__init__(**kwargs)

    def to_representation(self, obj) -> float | None:
        from municipia.strategy.selectors import progress_rollup

        context = self.context
        rollup = context.get("rollup")
        if rollup is None or obj.pk not in getattr(rollup, self.level):
            # A single object (detail, create, update) outside a page: its own plan's roll-up.
            rollup = progress_rollup([self.parent.plan_id_of(obj)])
            context["rollup"] = rollup
        value = getattr(rollup, self.level).get(obj.pk)
        return None if value is None else round(value, 1)


class RollupListSerializer(serializers.ListSerializer):
    """Computes the progress roll-up of every plan on the page in one go (fixed queries)."""

    def to_representation(self, data):
        from municipia.strategy.selectors import progress_rollup

        items = list(data.all() if hasattr(data, "all") else data)
        plan_ids = sorted({self.child.plan_id_of(item) for item in items})
        self.context["rollup"] = progress_rollup(plan_ids)
        return super().to_representation(items)
