"""Reads of organisations shaped for pages and endpoints."""

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from municipia.organizations.choices import OrganizationKind
from municipia.organizations.models import Department, NetworkMembership, Organization


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
    return Organization.objects.all()


def network_list() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=OrganizationKind.NETWORK).annotate(member_count=Count("memberships"))


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
