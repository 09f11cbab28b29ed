"""Cache busting: any change to public content (organisations, plans, governance, indicators, alignment,
portfolio, partnerships) bumps the content version."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from municipia.core.cache import content_changed

CONTENT_APPS = {"organizations", "strategy", "governance", "indicators", "alignment", "portfolio", "partnerships"}


def _is_content(sender) -> bool:
    meta = sender._meta
    return meta.app_label in CONTENT_APPS and not meta.model_name.startswith("historical")


def _on_change(sender, **kwargs) -> None:
    if kwargs.get("raw") or not _is_content(sender):
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    content_changed()


def connect() -> None:
    post_save.connect(_on_change, dispatch_uid="municipia-content-save")
    post_delete.connect(_on_change, dispatch_uid="municipia-content-delete")
    m2m_changed.connect(_on_change, dispatch_uid="municipia-content-m2m")
