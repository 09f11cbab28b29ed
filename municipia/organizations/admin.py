"""Admin for organisations, networks, departments, people and roles."""

from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from municipia.core.admin import ServiceModelAdmin
from municipia.organizations import services
from municipia.organizations.models import Department, NetworkMembership, Organization, Person, Role


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    fk_name = "network"
    extra = 0
    autocomplete_fields = ["member"]


@admin.register(Organization)
class OrganizationAdmin(ServiceModelAdmin):
    list_display = ["name", "kind", "country", "official_code", "region", "population"]
    list_filter = ["kind", "country"]
    search_fields = ["name_en", "name_es", "name_ca", "name_bg", "official_code", "slug"]
    service_fields = services.ORGANIZATION_FIELDS
    inlines = [NetworkMembershipInline]

    def create(self, request, obj, data):
        return services.organization_create(acting_user=request.user, data=data)

    def update(self, request, obj, data):
        return services.organization_update(acting_user=request.user, organization=obj, data=data)


@admin.register(Department)
class DepartmentAdmin(ServiceModelAdmin):
    list_display = ["name", "organization"]
    list_select_related = ["organization"]
    search_fields = ["name_en", "name_es", "name_ca", "name_bg"]
    autocomplete_fields = ["organization"]
    service_fields = services.DEPARTMENT_FIELDS

    def create(self, request, obj, data):
        return services.department_create(acting_user=request.user, organization=obj.organization, data=data)

    def update(self, request, obj, data):
        return services.department_update(acting_user=request.user, department=obj, data=data)


@admin.register(Person)
class PersonAdmin(ServiceModelAdmin):
    list_display = ["full_name", "position", "organization", "email", "language"]
    list_filter = ["language"]
    list_select_related = ["organization"]
    search_fields = ["full_name", "email"]
    autocomplete_fields = ["organization", "user"]
    service_fields = services.PERSON_FIELDS

    def create(self, request, obj, data):
        return services.person_create(acting_user=request.user, data=data)

    def update(self, request, obj, data):
        return services.person_update(acting_user=request.user, person=obj, data=data)


@admin.register(Role)
class RoleAdmin(ObjectPermissionsModelAdmin):
    list_display = ["user", "organization", "kind"]
    list_select_related = ["user", "organization"]
    autocomplete_fields = ["user", "organization"]
