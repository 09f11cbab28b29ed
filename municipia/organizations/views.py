"""Pages of organisations (councils, networks, partners) and their editors' profile form."""

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.core.cache import public_cache
from municipia.core.history import object_history
from municipia.core.views import ServiceFormView, paginate
from municipia.organizations import services
from municipia.organizations.choices import Country, OrganizationKind
from municipia.organizations.filters import OrganizationFilter
from municipia.organizations.forms import OrganizationProfileForm
from municipia.organizations.models import Organization
from municipia.organizations.selectors import organization_get, organization_list
from municipia.strategy.selectors import plans_visible_to, progress_rollup

PLANS_ON_PAGE = 50


@public_cache
def organization_list_view(request):
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


@public_cache
def organization_detail(request, slug):
    organization = organization_get(slug=slug)
    user = request.user
    plans = list(plans_visible_to(user).filter(owner=organization)[:PLANS_ON_PAGE])
    progress = progress_rollup([plan.pk for plan in plans])
    can_edit = user.has_perm("organizations.change_organization", organization)
    context = {
        "organization": organization,
        "plans": [(plan, progress.plans.get(plan.pk)) for plan in plans],
        "members": [m.member for m in organization.first_memberships],
        "networks": [m.network for m in organization.network_memberships.all()],
        "departments": list(organization.departments.all()),
        "can_edit": can_edit,
        "can_add_plan": user.has_perm("strategy.add_plan", organization),
        "history": object_history(organization) if can_edit else [],
    }
    return render(request, "organizations/organization_detail.html", context)


class OrganizationUpdateView(ServiceFormView):
    permission = "organizations.change_organization"
    form_class = OrganizationProfileForm
    title = gettext_lazy("Edit profile")

    def load(self, slug):
        self.organization = organization_get(slug=slug)
        return self.organization

    def get_form_kwargs(self):
        return {"instance": self.organization}

    def get_context(self):
        return {"subtitle": str(self.organization)}

    def cancel_url(self):
        return self.organization.get_absolute_url()

    def save(self, form):
        organization = services.organization_update(
            acting_user=self.request.user, organization=self.organization, data=form.service_data()
        )
        messages.success(self.request, _("Profile saved."))
        return organization
