"""Reads of organisations shaped for pages and endpoints."""

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from municipia.organizations.choices import OrganizationKind
from municipia.organizations.models import Department, NetworkMembership, Organization


def organization_list() -> QuerySet[Organization]:
    return Organization.objects.all()


def network_list() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=OrganizationKind.NETWORK).annotate(member_count=Count("memberships"))


def organization_get(*, slug: str) -> Organization:
    memberships = NetworkMembership.objects.select_related("member").order_by("member__name")
    try:
        return Organization.objects.prefetch_related(
            Prefetch("memberships", queryset=memberships),
            Prefetch("network_memberships", queryset=NetworkMembership.objects.select_related("network")),
            Prefetch("departments", queryset=Department.objects.order_by("name")),
        ).get(slug=slug)
    except Organization.DoesNotExist:
        raise Http404 from None
