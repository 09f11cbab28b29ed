"""Admin for organisations, networks, departments, people and roles; every write goes through the services.

Roles and network memberships keep their history: each role has its own history page, and the
"historical roles" and "historical network memberships" lists show who gave whom which role,
or put which council in which network, and when — revoked roles and removed members included.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet

from municipia.core.admin import EntityAdmin
from municipia.core.visibility import is_site_admin
from municipia.organizations import services
from municipia.organizations.entities import DEPARTMENT, NETWORK_MEMBERSHIP, ORGANIZATION, PERSON, ROLE
from municipia.organizations.models import Department, NetworkMembership, Organization, Person, Role


class MembershipFormSet(BaseInlineFormSet):
    """Checks every new or changed member with the services' rule before anything is saved."""

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            member = form.cleaned_data.get("member") if form.has_changed() else None
            if member is None or self._should_delete_form(form):
                continue
            try:
                services.network_membership_check(network=self.instance, member=member)
            except ValidationError as exc:
                form.add_error("member" if "member" in exc.message_dict else None, exc.messages)


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    formset = MembershipFormSet
    fk_name = "network"
    extra = 0
    autocomplete_fields = ["member"]


@admin.register(Organization)
class OrganizationAdmin(EntityAdmin):
    entity = ORGANIZATION
    list_display = ["name", "kind", "country", "official_code", "region", "population"]
    list_filter = ["kind", "country"]
    search_fields = ["name_en", "name_es", "name_ca", "name_bg", "official_code", "slug"]
    inlines = [NetworkMembershipInline]

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not NetworkMembership:
            return super().save_formset(request, form, formset, change)
        # Members are added, changed and removed through the services (checked, with history); the
        # lists below are what Django's change message reads from a saved formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        with transaction.atomic():
            for row in formset.initial_forms:
                if formset._should_delete_form(row):
                    NETWORK_MEMBERSHIP.delete_object(acting_user=request.user, obj=row.instance)
                    formset.deleted_objects.append(row.instance)
                elif row.has_changed():
                    NETWORK_MEMBERSHIP.update_object(acting_user=request.user, obj=row.instance, data=row.cleaned_data)
                    formset.changed_objects.append((row.instance, row.changed_data))
            for row in formset.extra_forms:
                if row.has_changed() and not formset._should_delete_form(row):
                    membership = NETWORK_MEMBERSHIP.create_object(
                        acting_user=request.user, parent=form.instance, data=row.cleaned_data
                    )
                    formset.new_objects.append(membership)
        return None


@admin.register(Department)
class DepartmentAdmin(EntityAdmin):
    entity = DEPARTMENT
    list_display = ["name", "organization"]
    list_select_related = ["organization"]
    search_fields = ["name_en", "name_es", "name_ca", "name_bg"]
    autocomplete_fields = ["organization"]


@admin.register(Person)
class PersonAdmin(EntityAdmin):
    entity = PERSON
    list_display = ["full_name", "position", "organization", "email", "language"]
    list_filter = ["language"]
    list_select_related = ["organization"]
    search_fields = ["full_name", "email"]
    autocomplete_fields = ["organization", "user"]


@admin.register(Role)
class RoleAdmin(EntityAdmin):
    entity = ROLE
    list_display = ["user", "organization", "kind"]
    list_select_related = ["user", "organization"]
    list_filter = ["kind"]
    autocomplete_fields = ["user", "organization"]

    def has_view_permission(self, request, obj=None) -> bool:
        # The role list, like every role, is the site administrators' (the entity's rule shows roles to nobody else).
        return is_site_admin(request.user)

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # A role on another organisation is another role: revoke this one and give that one.
        return ["organization"] if obj is not None else []


class GrantHistoryAdmin(admin.ModelAdmin):
    """Read-only: who gave or took away a role or a membership, and when (site administrators)."""

    list_filter = ["history_type"]
    date_hierarchy = "history_date"

    def has_view_permission(self, request, obj=None) -> bool:
        return is_site_admin(request.user)

    def has_module_permission(self, request) -> bool:
        return is_site_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Role.history.model)
class RoleHistoryAdmin(GrantHistoryAdmin):
    list_display = ["history_date", "history_user", "history_type", "user", "organization", "kind"]
    list_select_related = ["history_user", "user", "organization"]
    search_fields = ["user__username", "history_user__username"]


@admin.register(NetworkMembership.history.model)
class NetworkMembershipHistoryAdmin(GrantHistoryAdmin):
    list_display = ["history_date", "history_user", "history_type", "network", "member", "joined_on"]
    list_select_related = ["history_user", "network", "member"]
