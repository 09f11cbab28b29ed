"""Cache busting: any change to public content (organisations, plans, governance, indicators, alignment,
portfolio, partnerships) bumps the versions of what it shows in; and the search index follows each change."""

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from municipia.core import search
from municipia.core.cache import content_changed_for

CONTENT_APPS = {"organizations", "strategy", "governance", "indicators", "alignment", "portfolio", "partnerships"}


def _is_content(sender) -> bool:
    meta = sender._meta
    return meta.app_label in CONTENT_APPS and not meta.model_name.startswith("historical")


def _on_change(sender, **kwargs) -> None:
    if kwargs.get("raw") or not _is_content(sender):
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    content_changed_for(kwargs["instance"], kwargs.get("model"), kwargs.get("pk_set") or ())


def connect() -> None:
    post_save.connect(_on_change, dispatch_uid="municipia-content-save")
    post_delete.connect(_on_change, dispatch_uid="municipia-content-delete")
    m2m_changed.connect(_on_change, dispatch_uid="municipia-content-m2m")
    # The search index, written in the same transaction as the object.
    post_save.connect(search.on_save, dispatch_uid="municipia-search-save")
    post_delete.connect(search.on_delete, dispatch_uid="municipia-search-delete")
    post_migrate.connect(_fill_search_index, dispatch_uid="municipia-search-fill")


def _fill_search_index(sender, app_config=None, using="default", **kwargs) -> None:
    """After `migrate`: a database with content but an empty index (just upgraded) gets it built."""
    from django.db import connections

    from municipia.core.models import SearchEntry

    if app_config is None or app_config.label != "core":
        return
    # Not after migrating core backwards, past the migration that creates the index.
    if SearchEntry._meta.db_table in connections[using].introspection.table_names():
        search.rebuild_if_empty()
