"""Pages of organisations (councils, networks, partners); the profile form is the entity's (urls.py).

The organisation page shows what other apps contribute to its "organization" slot
(core.sections) — the plans, from strategy — without this app importing theirs.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from municipia.core.cache import public_cache
from municipia.core.history import object_history
from municipia.core.sections import section_context
from municipia.core.views import paginate
from municipia.organizations.choices import Country, OrganizationKind
from municipia.organizations.filters import OrganizationFilter
from municipia.organizations.models import Organization
from municipia.organizations.selectors import organization_get, organization_list, organization_scope


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
        "members": [m.member for m in organization.first_memberships],
        "networks": [m.network for m in organization.network_memberships.all()],
        "departments": list(organization.departments.all()),
        "can_edit": can_edit,
        "history": object_history(organization) if can_edit else [],
    }
    context.update(section_context("organization", user, organization))
    return render(request, "organizations/organization_detail.html", context)
