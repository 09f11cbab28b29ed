"""The base of every API viewset: scoped reads through selectors, writes through services.

A viewset does three things: check the `rules` permission, call a selector or a service,
serialize. Subclasses provide:

- `get_queryset()`: a selector's queryset, scoped to what the user may see, with the
  select_related/prefetch_related its serializer needs (so a list costs fixed queries);
- `parent_of(validated_data)`: the object whose `add_*` permission governs creation;
- `create_object(parent, data)`, `update_object(instance, data)` and `delete_object(instance)`:
  calls to the app's services, which validate and record history.
"""

from typing import Any

from django.db import models, transaction
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, status, viewsets
from rest_framework.pagination import BasePagination
from rest_framework.validators import UniqueValidator

from municipia.api.pagination import StandardPagination
from municipia.api.permissions import RulesPermission
from municipia.core.cache import READER, Scope, cache_key, cached_response, store_response
from municipia.core.entities import Entity
from municipia.core.versions import Conflict, check_version, etag_of


class PublicCacheMixin:
    """Anonymous reads are answered from the public cache (see municipia.core.cache).

    The look-up happens in `list`/`retrieve`, after DRF has authenticated the request, so any
    authenticated caller (token, session or otherwise) bypasses the cache, unless the viewset sets
    `cache_readers`: then callers whose rights are a plain reader's (`reader_fingerprint`, by
    token or session alike) share one copy of each JSON answer; the rendered bytes are stored in
    `finalize_response`, once DRF has chosen the renderer.
    """

    _public_cache_key: str | None = None
    #: Whether signed-in plain readers share cached answers (only for reads that show a reader nothing of their own).
    cache_readers = False

    def cache_scope(self, request) -> Scope | None:
        """What this read shows, for the cache's versions (see municipia.core.cache); the site by default."""
        return None

    def _from_cache(self, request, handler, *args, **kwargs):
        key = cache_key(request, self.cache_scope(request), readers=self.cache_readers)
        if key is not None:
            hit = cached_response(key, request)
            if hit is not None:
                return hit
            self._public_cache_key = key
        return handler(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        return self._from_cache(request, super().list, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._from_cache(request, super().retrieve, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        key = self._public_cache_key
        if key is not None and response.status_code == 200:
            response.render()
            # Readers share JSON only: the browsable HTML API shows who is signed in.
            if not key.startswith(f"{READER}:") or response.get("Content-Type", "").startswith("application/json"):
                store_response(key, response, request)
        return response


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"

    def __init__(self, conflict: Conflict) -> None:
        super().__init__(
            {
                "detail": conflict.message(),
                "changed": conflict.changed,
                "etag": etag_of(conflict.current) or "",
            }
        )


class ServiceModelViewSet(PublicCacheMixin, viewsets.ModelViewSet):
    permission_classes = [RulesPermission]
    # The FilterSets already offer `search`; DRF's SearchFilter would be a second way.
    filter_backends = [DjangoFilterBackend]
    pagination_class: type[BasePagination] = StandardPagination
    # False when new objects have no parent: `add_*` is then checked before the body is read.
    create_has_parent = True

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if self.request is None or self.request.method in ("GET", "HEAD", "OPTIONS"):
            return serializer
        # Uniqueness is the services' (core.uniqueness): DRF's own check would answer "already
        # exists" for a slug held by an object the caller may not see, confirming that it exists.
        fields = getattr(serializer, "fields", {})
        for field in fields.values():
            if any(isinstance(v, UniqueValidator) for v in field.validators):
                field.validators = [v for v in field.validators if not isinstance(v, UniqueValidator)]
        return serializer

    def parent_of(self, data: dict[str, Any]) -> models.Model | None:
        raise NotImplementedError

    def create_object(self, parent: models.Model | None, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def update_object(self, instance: models.Model, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def delete_object(self, instance: models.Model) -> None:
        raise NotImplementedError

    def refetched(self, instance: models.Model) -> models.Model:
        """The saved object as the detail endpoint reads it (related objects prefetched)."""
        return self.get_queryset().get(pk=instance.pk)

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        parent = self.parent_of(data)
        if self.create_has_parent:
            self.check_object_permissions(self.request, parent)
        serializer.instance = self.refetched(self.create_object(parent, data))

    def perform_update(self, serializer) -> None:
        # With If-Match (the ETag of the detail the client read), a newer version answers 412.
        try:
            with transaction.atomic():
                check_version(serializer.instance, self.request.headers.get("If-Match"), fields=list(serializer.fields))
                instance = self.update_object(serializer.instance, dict(serializer.validated_data))
        except Conflict as conflict:
            raise PreconditionFailed(conflict) from None
        serializer.instance = self._etag_object = self.refetched(instance)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # A detail read or write names its version, for the next write's If-Match.
        instance = getattr(self, "_etag_object", None)
        if instance is not None and response.status_code in (200, 201) and not response.has_header("ETag"):
            etag = etag_of(instance)
            if etag:
                response["ETag"] = etag
        return response

    def filter_queryset(self, queryset):
        # A detail read without query parameters filters nothing: building the FilterSet (its
        # form, every filter's clean) was a third of the time of an action's detail.
        if self.kwargs.get(self.lookup_url_kwarg or self.lookup_field) is not None and not any(
            key != "format" for key in self.request.query_params
        ):
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self):
        obj = super().get_object()
        self._etag_object = obj
        return obj

    def perform_destroy(self, instance: models.Model) -> None:
        self.delete_object(instance)


class EntityViewSet(ServiceModelViewSet):
    """The viewset of a declared entity: reads scoped by its visibility rule, writes through its services.

    The parent of a new object is the request's value of `entity.parent`; `get_queryset` may be
    overridden to load what the serializer shows (it must start from `entity.visible(user)`).
    """

    entity: Entity  # set by each subclass

    @property
    def create_has_parent(self) -> bool:  # type: ignore[override]
        return self.entity.parent is not None

    def get_queryset(self):
        return self.entity.visible(self.request.user)

    def parent_of(self, data: dict[str, Any]) -> models.Model | None:
        return data.get(self.entity.parent) if self.entity.parent else None

    def create_object(self, parent: models.Model | None, data: dict[str, Any]) -> models.Model:
        return self.entity.create_object(acting_user=self.request.user, parent=parent, data=data)

    def update_object(self, instance: models.Model, data: dict[str, Any]) -> models.Model:
        return self.entity.update_object(acting_user=self.request.user, obj=instance, data=data)

    def delete_object(self, instance: models.Model) -> None:
        self.entity.delete_object(acting_user=self.request.user, obj=instance)
