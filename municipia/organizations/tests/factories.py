"""factory_boy factories for organisations, people and roles."""

import factory
from django.contrib.auth import get_user_model

from municipia.organizations.choices import Country, OrganizationKind, RoleKind
from municipia.organizations.models import Department, NetworkMembership, Organization, Person, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pass-for-tests")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = OrganizationKind.MUNICIPALITY
    name_en = factory.Sequence(lambda n: f"Council {n}")
    slug = factory.Sequence(lambda n: f"council-{n}")
    country = Country.SPAIN
    official_code = factory.Sequence(lambda n: f"{n:05d}")
    population = 10_000


class NetworkFactory(OrganizationFactory):
    kind = OrganizationKind.NETWORK
    name_en = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    official_code = ""
    population = None


class PartnerFactory(OrganizationFactory):
    kind = OrganizationKind.PARTNER
    name_en = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    official_code = ""
    population = None


class NetworkMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    member = factory.SubFactory(OrganizationFactory)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organization = factory.SubFactory(OrganizationFactory)
    name_en = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"department-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Person {n}")
    organization = factory.SubFactory(OrganizationFactory)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    kind = RoleKind.EDITOR
