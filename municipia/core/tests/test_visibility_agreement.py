"""For every declared entity, role and object of a generated world: "which objects may this user
see" (the queryset) and "may this user see this object" (the `view_*` permission) agree.

The world is made by each model's factory (`<app>.tests.factories.<Model>Factory`): three objects
per entity, the second with every `Is(...)` condition of its rule turned false (unpublished,
private, draft…), so both branches of each rule are walked. The readers are the anonymous
visitor, a signed-in user without roles, a site administrator, an editor and a coordinator of
every organisation in the world, and the user of every person in it (members of bodies,
owners of tasks, respondents).
"""

import importlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import models

from municipia.core.entities import entities
from municipia.core.visibility import AllOf, AnyOf, Is, Rule
from municipia.organizations.choices import RoleKind
from municipia.organizations.models import Organization, Person
from municipia.organizations.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

MAX_ORGANISATIONS = 40


def factory_of(model: type[models.Model]):
    module = importlib.import_module(f"municipia.{model._meta.app_label}.tests.factories")
    return getattr(module, f"{model.__name__}Factory", None)


def conditions(rule: Rule) -> list[Is]:
    if isinstance(rule, Is):
        return [rule]
    if isinstance(rule, AnyOf | AllOf):
        return [term for part in rule.rules for term in conditions(part)]
    return []


def turn_false(obj: models.Model, condition: Is) -> None:
    """Sets the field at the end of the condition's path to a value that fails it."""
    *hops, name = condition.path.split("__")
    holder = obj
    for hop in hops:
        holder = getattr(holder, hop, None)
        if holder is None or isinstance(holder, models.Manager):
            return
    field = holder._meta.get_field(name)
    if isinstance(field, models.BooleanField):
        value = not condition.value
    elif field.choices:
        value = next((choice for choice, _label in field.choices if choice != condition.value), None)
    else:
        return
    setattr(holder, name, value)
    holder.save(update_fields=[name])


def readers() -> dict[str, object]:
    users: dict[str, object] = {
        "anonymous": AnonymousUser(),
        "plain user": UserFactory(),
        "site admin": UserFactory(is_superuser=True, is_staff=True),
    }
    for org in Organization.objects.order_by("pk")[:MAX_ORGANISATIONS]:
        users[f"editor of {org.slug}"] = RoleFactory(organization=org, kind=RoleKind.EDITOR).user
        users[f"coordinator of {org.slug}"] = RoleFactory(organization=org, kind=RoleKind.COORDINATOR).user
    for person in Person.objects.filter(user__isnull=True).order_by("pk")[:MAX_ORGANISATIONS]:
        person.user = UserFactory()
        person.save(update_fields=["user"])
        users[f"person {person.pk}"] = person.user
    return users


@pytest.fixture
def world():
    made = {}
    for entity in entities():
        factory = factory_of(entity.model)
        if factory is None:
            continue
        objects = [factory(), factory(), factory()]
        for condition in conditions(entity.visibility):
            turn_false(objects[1], condition)
        made[entity.label] = objects
    return made


def test_every_entity_has_a_factory_for_this_test():
    missing = [entity.label for entity in entities() if factory_of(entity.model) is None]
    assert missing == []


def test_queryset_and_object_rule_agree_for_every_entity_and_reader(world):
    assert world, "no entity is declared"
    users = readers()
    disagreements = []
    for entity in entities():
        manager = entity.model._default_manager
        for name, user in users.items():
            listed = set(entity.visible(user).values_list("pk", flat=True))
            # Fresh objects for every reader: nothing cached from the previous one.
            for obj in manager.all():
                if (obj.pk in listed) != user.has_perm(entity.perm("view"), obj):
                    disagreements.append(f"{entity.label} #{obj.pk} for {name}")
    assert disagreements == []


def test_site_admins_see_every_object_of_every_entity(world):
    """The one superuser policy, applied to every entity alike."""
    admin = UserFactory(is_superuser=True)
    for entity in entities():
        if entity.label not in world:
            continue
        assert entity.visible(admin).count() == entity.model._default_manager.count()
