"""factory_boy factories for indicators, baselines, targets and observations."""

import datetime as dt
from decimal import Decimal

import factory

from municipia.indicators.choices import Direction, Frequency
from municipia.indicators.models import Baseline, Indicator, Observation, Target
from municipia.organizations.tests.factories import OrganizationFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"IND-{n:03d}")
    name_en = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "%"
    direction = Direction.HIGHER
    frequency = Frequency.YEARLY
    owner_organization = factory.SubFactory(OrganizationFactory)
    is_public = True


class BaselineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Baseline

    indicator = factory.SubFactory(IndicatorFactory)
    organization = None
    date = dt.date(2022, 12, 31)
    value = Decimal("40")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    organization = None
    year = 2026
    value = Decimal("80")


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    organization = factory.SubFactory(OrganizationFactory)
    date = factory.Sequence(lambda n: dt.date(2020, 1, 1) + dt.timedelta(days=n))
    value = Decimal("50")
