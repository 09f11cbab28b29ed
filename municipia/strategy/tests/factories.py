"""factory_boy factories for plans and their content."""

import datetime
from decimal import Decimal

import factory

from municipia.organizations.tests.factories import OrganizationFactory, PartnerFactory
from municipia.strategy.choices import ActionStatus, PartnerRole, PlanStatus
from municipia.strategy.models import Action, ActionPartner, Axis, Challenge, Milestone, Objective, Plan


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    owner = factory.SubFactory(OrganizationFactory)
    title_en = factory.Sequence(lambda n: f"Digital plan {n}")
    slug = factory.Sequence(lambda n: f"digital-plan-{n}")
    period_start = datetime.date(2024, 1, 1)
    period_end = datetime.date(2027, 12, 31)
    status = PlanStatus.DRAFT
    is_published = True


class AxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axis

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    title_en = factory.Sequence(lambda n: f"Axis {n}")


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge

    axis = factory.SubFactory(AxisFactory)
    code = factory.Sequence(lambda n: f"C{n + 1}")
    title_en = factory.Sequence(lambda n: f"Challenge {n}")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    axis = factory.SubFactory(AxisFactory)
    code = factory.Sequence(lambda n: f"O{n + 1}")
    title_en = factory.Sequence(lambda n: f"Objective {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    objective = factory.SubFactory(ObjectiveFactory)
    plan = factory.LazyAttribute(lambda a: a.objective.axis.plan)
    code = factory.Sequence(lambda n: f"A{n + 1}")
    title_en = factory.Sequence(lambda n: f"Action {n}")
    start_date = datetime.date(2024, 3, 1)
    end_date = datetime.date(2025, 6, 30)
    status = ActionStatus.IN_PROGRESS
    progress = 40
    budget = Decimal("10000.00")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    title_en = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = datetime.date(2024, 9, 30)


class ActionPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPartner

    action = factory.SubFactory(ActionFactory)
    organization = factory.SubFactory(PartnerFactory)
    role = PartnerRole.CONTRIBUTOR
