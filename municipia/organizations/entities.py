"""Organisations, their departments, people, network memberships and roles, each declared once.

Organisations, departments and memberships are public; people (names, e-mails, positions) are
shown to signed-in users, and to everyone when they chose a public profile (the e-mail only if
they chose that too); roles (who may edit what) to site administrators only, whom
core.visibility lets see everything.
"""

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipia.core.entities import Entity, register
from municipia.core.search import searchable
from municipia.core.visibility import Always, Is, Never, SignedIn
from municipia.organizations.models import Department, NetworkMembership, Organization, Person, Role

SERVICES = "municipia.organizations.services"

ORGANIZATION = register(
    Entity(
        model=Organization,
        visibility=Always(),
        fields=(
            "name",
            "description",
            "kind",
            "slug",
            "country",
            "official_code",
            "ekatte_code",
            "province",
            "region",
            "region_code",
            "population",
            "population_year",
            "longitude",
            "latitude",
            "website",
        ),
        translated=("name", "description"),
        create=f"{SERVICES}.organization_create",
        update=f"{SERVICES}.organization_update",
        delete=f"{SERVICES}.organization_delete",
        lookup="slug",
        # The page edits the public profile only, for the council's editors and site administrators
        # alike; the register data (kind, codes, population…) is edited in the admin.
        form="municipia.organizations.forms.OrganizationProfileForm",
        titles=("", _("Edit profile")),
        messages=("", _("Profile saved."), ""),
    )
)

DEPARTMENT = register(
    Entity(
        model=Department,
        visibility=Always(),
        parent="organization",
        fields=("name", "slug"),
        translated=("name",),
        create=f"{SERVICES}.department_create",
        update=f"{SERVICES}.department_update",
        delete=f"{SERVICES}.department_delete",
        select_related=("organization",),
    )
)


def _after_person_delete(person: Model) -> str:
    organization = getattr(person, "organization", None)
    return organization.get_absolute_url() if organization is not None else reverse("organizations:organization-list")


PERSON = register(
    Entity(
        model=Person,
        # A public profile is seen by everyone (what it shows is the person's choice: the e-mail
        # only with `show_email`, organizations.permissions.view_person_email); others by signed-in users.
        visibility=Is("is_public") | SignedIn(),
        fields=("position", "full_name", "email", "organization", "user", "language", "is_public", "show_email"),
        translated=("position",),
        create=f"{SERVICES}.person_create",
        update=f"{SERVICES}.person_update",
        delete=f"{SERVICES}.person_delete",
        select_related=("organization",),
        form="municipia.organizations.forms.PersonForm",
        titles=("", _("Edit person")),
        messages=("", _("Person saved."), _("Person deleted.")),
        after_delete=_after_person_delete,
    )
)

# Written on the network's admin page (through these services) and by the API's /networks/<slug>/members
# endpoints (through network_member_add and network_member_remove, which build on them).
NETWORK_MEMBERSHIP = register(
    Entity(
        model=NetworkMembership,
        visibility=Always(),
        parent="network",
        fields=("member", "joined_on"),
        create=f"{SERVICES}.network_membership_create",
        update=f"{SERVICES}.network_membership_update",
        delete=f"{SERVICES}.network_membership_delete",
        object_arg="membership",
        select_related=("network", "member"),
    )
)

ROLE = register(
    Entity(
        model=Role,
        # Nobody but site administrators, whom core.visibility lets see everything.
        visibility=Never(),
        parent="organization",
        fields=("user", "kind"),
        create=f"{SERVICES}.role_create",
        update=f"{SERVICES}.role_update",
        delete=f"{SERVICES}.role_revoke",
        select_related=("user", "organization"),
    )
)

searchable(
    Organization,
    kind="organization",
    title=("name",),
    body=("description",),
    codes=("official_code",),
    label=_("Organisations"),
    meta=lambda organization: str(organization.get_kind_display()),
)
