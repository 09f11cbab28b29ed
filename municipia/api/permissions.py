"""API permission class: the same `rules` permissions as pages and admin.

Each viewset action maps to one rule: reading to `view_<model>`, creating to `add_<model>`,
updating to `change_<model>`, deleting to `delete_<model>`. A rule is checked against an
object: the element itself, or, when creating, its parent (the owner organisation of a new
plan, the plan of a new axis or action, the axis of a new challenge or objective, the action
of a new milestone), which the viewset passes to `check_object_permissions` once the request
body has named it. A viewset whose new objects have no parent (`create_has_parent = False`)
has `add_<model>` checked without an object, before the body is read. Viewsets map their own
actions with `rules_actions`, e.g. `{"change_status": "approve"}` or a full permission name
such as `"organizations.add_networkmembership"`.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

ACTION_VERBS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


def permission_name(view) -> str | None:
    """The `rules` permission the view's current action needs, or None if it needs none."""
    action = getattr(view, "action", None)
    verb = {**ACTION_VERBS, **getattr(view, "rules_actions", {})}.get(action)
    if verb is None:
        return None
    if "." in verb:
        return verb
    model = view.get_queryset().model._meta
    return f"{model.app_label}.{verb}_{model.model_name}"


class RulesPermission(BasePermission):
    """Reads are open (querysets are scoped to what the user may see); writes need a signed-in
    user whose `rules` permission on the object (or the new object's parent) holds."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if not (request.user and request.user.is_authenticated):
            return False
        if view.action == "create" and not getattr(view, "create_has_parent", True):
            return request.user.has_perm(permission_name(view))
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        perm = permission_name(view)
        if perm is None:
            # Unknown actions are refused rather than silently allowed.
            return False
        return request.user.has_perm(perm, obj)
