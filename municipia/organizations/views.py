"""Pages of organisations (councils, networks, partners); the profile form is the entity's (urls.py).

The organisation page shows what other apps contribute to its "organization" slot
(core.sections) — the plans, from strategy — without this app importing theirs.
"""

from typing import cast

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from municipia.core.cache import public_cache
from municipia.core.history import object_history
from municipia.core.sections import section_context
from municipia.core.views import paginate
from municipia.organizations.choices import Country, OrganizationKind
from municipia.organizations.entities import PERSON
from municipia.organizations.filters import OrganizationFilter
from municipia.organizations.models import Organization, Person
from municipia.organizations.selectors import (
    organization_get,
    organization_list,
    organization_scope,
    organization_suggestions,
    person_suggestions,
)


@public_cache
def organization_list_view(request: HttpRequest) -> HttpResponse:
    filterset = OrganizationFilter(request.GET or None, queryset=organization_list(), request=request)
    if not filterset.is_bound:
        organizations = organization_list()
    else:
        organizations = filterset.qs if filterset.is_valid() else Organization.objects.none()
    page = paginate(request, organizations)
    fields = filterset.form.fields
    fields["kind"].choices = [("", _("All kinds")), *OrganizationKind.choices]
    fields["country"].choices = [("", _("All countries")), *Country.choices]
    fields["network"].empty_label = _("All networks")
    return render(request, "organizations/organization_list.html", {"filterset": filterset, "page": page})


def organization_search(request: HttpRequest) -> JsonResponse:
    """Suggestions for the organisation pickers (`core.pickers`): names and web addresses, public data."""
    return JsonResponse({"results": organization_suggestions(request.GET.get("q", ""))})


def person_search(request: HttpRequest) -> JsonResponse:
    """Suggestions for the person pickers: only people the reader may see (public profiles when
    signed out), never cached across readers."""
    response = JsonResponse({"results": person_suggestions(PERSON.visible(request.user), request.GET.get("q", ""))})
    response["Cache-Control"] = "private, no-store"
    return response


@public_cache(scope=lambda request, slug: organization_scope(slug))
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_get(slug=slug)
    user = request.user
    can_edit = user.has_perm("organizations.change_organization", organization)
    context = {
        "organization": organization,
        # Sections other apps contribute (strategy: `plans` and `can_add_plan`); empty defaults
        # keep the page whole when none is registered.
        "plans": [],
        "can_add_plan": False,
        "partner_roles": [],
        # `first_memberships` is set by organization_get's Prefetch(to_attr=…), which the stubs cannot see.
        "members": [m.member for m in organization.first_memberships],  # type: ignore[attr-defined]
        "networks": [m.network for m in organization.network_memberships.all()],
        "departments": list(organization.departments.all()),
        "people": list(PERSON.visible(user).filter(organization=organization).order_by("full_name", "id")),
        "can_edit": can_edit,
        "history": object_history(organization) if can_edit else [],
    }
    context.update(section_context("organization", user, organization))
    return render(request, "organizations/organization_detail.html", context)


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's profile: what they chose to publish (anonymous readers see public profiles only)."""
    person = cast(Person, PERSON.get(request.user, pk=pk))
    user = request.user
    context = {
        "person": person,
        "show_email": bool(person.email) and user.has_perm("organizations.view_person_email", person),
        "can_edit": user.has_perm("organizations.change_person", person),
        "can_delete": user.has_perm("organizations.delete_person", person),
    }
    return render(request, "organizations/person_detail.html", context)
