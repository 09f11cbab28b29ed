"""factory_boy factories of frameworks, their items, the frameworks plans use and alignments."""

import factory

from municipia.alignment.choices import ItemLevel
from municipia.alignment.models import Alignment, Framework, FrameworkItem, PlanFramework, SuggestionFeedback
from municipia.strategy.tests.factories import ActionFactory, PlanFactory


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"FW{n}")
    name_en = factory.LazyAttribute(lambda f: f"Framework {f.code}")


class FrameworkItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrameworkItem

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"I{n}")
    level = ItemLevel.GOAL
    title_en = factory.LazyAttribute(lambda i: f"Item {i.code}")
    position = factory.Sequence(lambda n: n)


class PlanFrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanFramework

    plan = factory.SubFactory(PlanFactory)
    framework = factory.SubFactory(FrameworkFactory)


class AlignmentFactory(factory.django.DjangoModelFactory):
    """An action aligned to an item (its plan is the alignment's `in_plan`)."""

    class Meta:
        model = Alignment

    action = factory.SubFactory(ActionFactory)
    in_plan = factory.LazyAttribute(lambda a: a.action.plan)
    item = factory.SubFactory(FrameworkItemFactory)


class SuggestionFeedbackFactory(factory.django.DjangoModelFactory):
    """An editor's acceptance of SDG 9 for an action."""

    class Meta:
        model = SuggestionFeedback

    text = "Broadband and 5G coverage for every district"
    language = "en"
    goal = "9"
    accepted = True
    action = factory.SubFactory(ActionFactory)
