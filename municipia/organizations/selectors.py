"""Reads of organisations, departments, people and memberships, for this app's pages and for other apps.

Other apps read these models through the functions here rather than through the models' managers.
Functions taking ids also take a `values("…_id")` queryset, used as a subquery (no extra query).
"""

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Count, Prefetch, Q, QuerySet, When
from django.http import Http404

from municipia.core.cache import ScopeId
from municipia.core.i18n import translated_names
from municipia.core.visibility import User
from municipia.organizations.choices import OrganizationKind
from municipia.organizations.models import Department, NetworkMembership, Organization, Person, Role
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


def partner_organizations() -> QuerySet[Organization]:
    """Organisations that take part in actions as partners (not councils or networks), by name."""
    return Organization.objects.filter(kind__in=[OrganizationKind.PARTNER, OrganizationKind.PUBLIC_BODY])


def networks() -> QuerySet[Organization]:
    """Every network of councils, by name."""
    return Organization.objects.filter(kind=OrganizationKind.NETWORK)


def network_list() -> QuerySet[Organization]:
    """The networks with their number of members (`member_count`)."""
    return networks().annotate(member_count=Count("memberships"))


def municipalities_exist() -> bool:
    """Whether any municipality is loaded (the reference lists come first)."""
    return Organization.objects.filter(kind=OrganizationKind.MUNICIPALITY).exists()


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


def network_member_ids(network_ids: Ids, *, among: Ids | None = None) -> list[int]:
    """The ids of the member councils of these networks (of those `among`, if given), in one query
    (a council in two networks twice)."""
    memberships = NetworkMembership.objects.filter(network_id__in=network_ids)
    if among is not None:
        memberships = memberships.filter(member_id__in=among)
    return list(memberships.values_list("member_id", flat=True))


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


def editor_addresses(organization_ids: Iterable[int]) -> list[tuple[int, str, str]]:
    """(organisation id, e-mail, language of the person linked to the account or "") of the editors
    and coordinators of these organisations who have an e-mail address, in one query (reminders)."""
    roles = Role.objects.filter(organization_id__in=list(organization_ids)).exclude(user__email="")
    return [
        (org_id, email, language or "")
        for org_id, email, language in roles.values_list("organization_id", "user__email", "user__person__language")
    ]


def organization_suggestions(query: str, *, limit: int = 20) -> list[dict]:
    """Organisations whose name contains `query`, names starting with it first: the pickers' suggestions.

    A name several organisations share is suggested as "Name (slug)", which the picker reads back.
    """
    query = query.strip()
    if len(query) < 2:
        return []
    # Every language's name: a council named only in Catalan is found from the Bulgarian pages too.
    columns = translated_names("name")
    contains = Q()
    starts = Q()
    for column in columns:
        contains |= Q(**{f"{column}__icontains": query})
        starts |= Q(**{f"{column}__istartswith": query})
    found = list(
        Organization.objects.filter(contains)
        .annotate(starts=Case(When(starts, then=0), default=1))
        .only("pk", "slug", "kind", *columns)
        .order_by("starts", "name")[:limit]
    )
    names = Counter(organization.name for organization in found)
    return [
        {
            "name": org.name if names[org.name] == 1 else f"{org.name} ({org.slug})",
            "slug": org.slug,
            "detail": str(org.get_kind_display()),
        }
        for org in found
    ]


def network_member_pairs(network_ids: Ids) -> list[tuple[int, int]]:
    """(network id, member id) of every membership of these networks."""
    return list(NetworkMembership.objects.filter(network_id__in=network_ids).values_list("network_id", "member_id"))


def networks_of_members(member_ids: Ids) -> QuerySet[Any]:
    """The ids (as a subquery of `network_id` values) of the networks these councils belong to."""
    return NetworkMembership.objects.filter(member_id__in=member_ids).values("network_id")


def roles_with_people(organization_ids: Ids) -> QuerySet[Role]:
    """The roles held in these organisations, with each user and the person linked to the account."""
    return Role.objects.filter(organization_id__in=organization_ids).select_related("user__person")


def organization_scope(slug: str) -> tuple[str, Any]:
    """The cache scope of an organisation's page: changes to its plans, or its members' (a network's)."""
    return ("org", ScopeId(f'(SELECT "id" FROM "{Organization._meta.db_table}" WHERE "slug" = %s)', (slug,)))  # noqa: S608 - our table


def person_label(person: Person) -> str:
    """How a person is named in pickers and their suggestions: "Full name (Organisation)"."""
    return f"{person.full_name} ({person.organization})" if person.organization_id else person.full_name


def person_suggestions(people: QuerySet[Person], query: str, *, limit: int = 20) -> list[dict]:
    """People of `people` (those the reader may see) whose name contains `query`, names starting with
    it first: the person pickers' suggestions, named as the picker reads them back (`person_label`)."""
    query = query.strip()
    if len(query) < 2:
        return []
    found = (
        people.filter(full_name__icontains=query)
        .annotate(starts=Case(When(full_name__istartswith=query, then=0), default=1))
        .select_related("organization")
        .order_by("starts", "full_name", "id")[:limit]
    )
    return [{"name": person_label(person), "id": person.pk, "detail": person.position or ""} for person in found]
