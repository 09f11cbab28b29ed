"""Reads of organisations, departments, people and memberships, for this app's pages and for other apps.

Other apps read these models through the functions here rather than through the models' managers.
Functions taking ids also take a `values("…_id")` queryset, used as a subquery (no extra query).
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from municipia.core.visibility import User
from municipia.organizations.choices import OrganizationKind
from municipia.organizations.models import Department, NetworkMembership, Organization, Person
from municipia.organizations.permissions import editable_organization_ids

Ids = Iterable[int] | QuerySet[Any]

# --- Organisations


def organization_find(*, slug: str, kind: str | None = None) -> Organization:
    """An organisation by slug (of `kind`, if given) for other apps' pages; Http404 if there is none.

    Organisations are public, so this is the one look-up every app uses.
    """
    organizations = Organization.objects.all() if kind is None else Organization.objects.filter(kind=kind)
    try:
        return organizations.get(slug=slug)
    except (Organization.DoesNotExist, ValueError):
        raise Http404 from None


def organization_list() -> QuerySet[Organization]:
    """Every organisation, by name: the list page, and the choices of other apps' filters and API fields."""
    return Organization.objects.all()


def networks() -> QuerySet[Organization]:
    """Every network of councils, by name."""
    return Organization.objects.filter(kind=OrganizationKind.NETWORK)


def network_list() -> QuerySet[Organization]:
    """The networks with their number of members (`member_count`)."""
    return networks().annotate(member_count=Count("memberships"))


def organizations_among(ids: Ids) -> QuerySet[Organization]:
    """The organisations with these ids, by name."""
    return Organization.objects.filter(pk__in=ids)


def organizations_edited_by(user: User) -> QuerySet[Organization]:
    """The organisations whose content `user` edits (a council's editors, a network's coordinators), by name."""
    return organizations_among(editable_organization_ids(user))


def organizations_by_id(ids: Iterable[int], *, fields: Iterable[str] = ()) -> dict[int, Organization]:
    """Organisations by id, in one query (loading only `fields`, if given)."""
    organizations = Organization.objects.only(*fields) if fields else Organization.objects.all()
    return organizations.in_bulk(list(ids))


def organization_slugs(ids: Ids) -> dict[int, str]:
    """id → slug of these organisations, in one query."""
    return dict(Organization.objects.filter(pk__in=ids).values_list("id", "slug"))


def organization_links() -> QuerySet[Organization]:
    """Organisations with their id and slug only, by slug: to prefetch the organisations an API row links to."""
    return Organization.objects.only("id", "slug").order_by("slug")


def organizations_by_code(codes: Iterable[str]) -> list[tuple[int, str, str, str, str, str]]:
    """(id, name, slug, official code, EKATTE code, country) of the organisations whose slug, official
    code or EKATTE code is one of `codes`, in one query (importers resolve the organisations of a file)."""
    codes = list(codes)
    rows = Organization.objects.filter(Q(slug__in=codes) | Q(official_code__in=codes) | Q(ekatte_code__in=codes))
    return list(rows.values_list("id", "name", "slug", "official_code", "ekatte_code", "country"))


MEMBERS_ON_PAGE = 60


def organization_get(*, slug: str) -> Organization:
    """One organisation with its departments, networks and its first member councils.

    A network can have thousands of members (every council of a region); the page lists the
    largest `MEMBERS_ON_PAGE` and counts the rest (`member_count`), linking to the filtered list.
    """
    memberships = NetworkMembership.objects.select_related("member").order_by("-member__population", "member__name")
    try:
        return (
            Organization.objects.annotate(member_count=Count("memberships", distinct=True))
            .prefetch_related(
                Prefetch("memberships", queryset=memberships[:MEMBERS_ON_PAGE], to_attr="first_memberships"),
                Prefetch("network_memberships", queryset=NetworkMembership.objects.select_related("network")),
                Prefetch("departments", queryset=Department.objects.order_by("name")),
            )
            .get(slug=slug)
        )
    except Organization.DoesNotExist:
        raise Http404 from None


# --- Networks and their members


def network_members(network: Organization) -> QuerySet[Organization]:
    """The member councils of `network`, by name."""
    return Organization.objects.filter(network_memberships__network=network)


def network_member_ids(network_ids: Ids) -> list[int]:
    """The ids of the member councils of these networks, in one query (a council in two networks twice)."""
    return list(NetworkMembership.objects.filter(network_id__in=network_ids).values_list("member_id", flat=True))


def network_memberships(network: Organization) -> QuerySet[NetworkMembership]:
    """The memberships of `network` (to aggregate over its members: how many, last change…)."""
    return NetworkMembership.objects.filter(network=network)


def organization_with_members(organization_id: int) -> QuerySet[Organization]:
    """The organisation and, for a network, its member councils, by name."""
    return Organization.objects.filter(Q(pk=organization_id) | Q(networks=organization_id)).distinct()


def associated_councils(organization: Organization, *, also: Ids | None = None) -> QuerySet[Organization]:
    """The councils an organisation works with (plus the organisations `also`), by name.

    A network: its member councils. A council: itself and the councils it shares a network with
    (not every municipality of the country, which would be thousands).
    """
    councils = Organization.objects.filter(kind=OrganizationKind.MUNICIPALITY)
    if organization.kind == OrganizationKind.NETWORK:
        found = Q(pk__in=NetworkMembership.objects.filter(network_id=organization.pk).values("member_id"))
    else:
        its_networks = NetworkMembership.objects.filter(member_id=organization.pk).values("network_id")
        peers = NetworkMembership.objects.filter(network_id__in=its_networks).values("member_id")
        found = Q(pk=organization.pk) | Q(pk__in=peers)
    if also is not None:
        return Organization.objects.filter(Q(pk__in=councils.filter(found).values("pk")) | Q(pk__in=also))
    return councils.filter(found)


# --- Departments


def department_list() -> QuerySet[Department]:
    """Every department (choices of other apps' filters and API fields)."""
    return Department.objects.all()


def departments_of(organization_ids: Ids) -> QuerySet[Department]:
    """The departments of these organisations, with their organisation, by organisation and name."""
    return (
        Department.objects.filter(organization_id__in=organization_ids)
        .select_related("organization")
        .order_by("organization__name", "name")
    )


def departments_among(ids: Ids) -> QuerySet[Department]:
    """The departments with these ids, with their organisation, by organisation and name."""
    return Department.objects.filter(pk__in=ids).select_related("organization").order_by("organization__name", "name")


# --- People


def person_list() -> QuerySet[Person]:
    """Every person (choices of other apps' filters and API fields)."""
    return Person.objects.all()


def person_of_user(user: User) -> Person | None:
    """The person whose user account `user` is, if any."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).first()


def people_of(organization_ids: Ids, *, also: Ids | None = None) -> QuerySet[Person]:
    """The people of these organisations (plus the people `also`), with their organisation, by name."""
    condition = Q(organization_id__in=organization_ids)
    if also is not None:
        condition |= Q(pk__in=also)
    return Person.objects.filter(condition).select_related("organization").order_by("full_name", "id")


def people_among(*ids: Ids) -> QuerySet[Person]:
    """The people with the ids of any of these sets, with their organisation, by name."""
    condition = Q(pk__in=[])
    for some in ids:
        condition |= Q(pk__in=some)
    return Person.objects.filter(condition).select_related("organization").order_by("full_name", "id")


def organization_scope(slug: str) -> tuple[str, Any]:
    """The cache scope of an organisation's page: changes to its plans, or its members' (a network's)."""
    return ("org", Subquery(Organization.objects.filter(slug=slug).values("pk")[:1]))
