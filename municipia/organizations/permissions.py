"""Who may do what with organisations; the role look-up every other app's rules build on.

A role on an organisation (editor of a council, coordinator of a network) lets a user edit
that organisation's content; site administrators (superusers) may edit everything.
"""

import rules
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection

from municipia.core.visibility import is_site_admin as site_admin_policy
from municipia.organizations.models import Department, Organization, Person, Role

User = AbstractBaseUser | AnonymousUser


def editable_organization_ids(user: User) -> frozenset[int]:
    """Ids of the organisations whose content `user` edits; one query, then cached on the user."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_municipia_org_ids", None)
    if cached is None:
        # Asked on nearly every signed-in request (the readers' page cache asks first): plain SQL,
        # since building this query through the ORM cost several times running it.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT organization_id FROM {Role._meta.db_table} WHERE user_id = %s", [user.pk])  # noqa: S608
            cached = frozenset(row[0] for row in cursor.fetchall())
        setattr(user, "_municipia_org_ids", cached)  # noqa: B010 - a per-request cache on the user object
    return cached


# The one superuser policy (core.visibility), as a predicate other apps' rules combine with.
is_site_admin = rules.predicate(site_admin_policy, name="is_site_admin")


@rules.predicate
def has_any_role(user: User) -> bool:
    return bool(editable_organization_ids(user))


def organization_id_of(obj: object) -> int | None:
    if isinstance(obj, Organization):
        return obj.pk
    if isinstance(obj, Department | Person):
        return obj.organization_id
    return None


@rules.predicate
def edits_organization(user: User, obj: object) -> bool:
    org_id = organization_id_of(obj)
    return org_id is not None and org_id in editable_organization_ids(user)


can_edit_organization = is_site_admin | edits_organization


@rules.predicate
def person_shows_email(user: User, person: object) -> bool:
    return isinstance(person, Person) and person.show_email


# Who may see a person's e-mail address: the person chose to show it, or the reader edits their organisation.
rules.add_perm("organizations.view_person_email", can_edit_organization | person_shows_email)

# The `view_*` permissions are the entities' visibility rules (organizations/entities.py).
rules.add_perm("organizations.add_organization", is_site_admin)
rules.add_perm("organizations.change_organization", can_edit_organization)
rules.add_perm("organizations.delete_organization", is_site_admin)
rules.add_perm("organizations.add_department", can_edit_organization)
rules.add_perm("organizations.change_department", can_edit_organization)
rules.add_perm("organizations.delete_department", can_edit_organization)
rules.add_perm("organizations.add_person", can_edit_organization)
rules.add_perm("organizations.change_person", can_edit_organization)
rules.add_perm("organizations.delete_person", can_edit_organization)
rules.add_perm("organizations.add_networkmembership", is_site_admin)
rules.add_perm("organizations.change_networkmembership", is_site_admin)
rules.add_perm("organizations.delete_networkmembership", is_site_admin)
rules.add_perm("organizations.add_role", is_site_admin)
rules.add_perm("organizations.change_role", is_site_admin)
rules.add_perm("organizations.delete_role", is_site_admin)
