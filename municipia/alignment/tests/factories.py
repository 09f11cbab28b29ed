"""factory_boy factories of frameworks and their items."""

import factory

from municipia.alignment.choices import ItemLevel
from municipia.alignment.models import Framework, FrameworkItem


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
