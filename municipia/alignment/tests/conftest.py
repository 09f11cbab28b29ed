"""Fixtures of the alignment tests: a small SDG tree, two PRTR pillars and a few digital rights."""

from dataclasses import dataclass

import pytest

from municipia.alignment.choices import ItemLevel
from municipia.alignment.models import Framework, FrameworkItem
from municipia.alignment.tests.factories import FrameworkFactory, FrameworkItemFactory


@dataclass
class Frameworks:
    sdg: Framework
    prtr: Framework
    rights: Framework
    items: dict[str, FrameworkItem]


@pytest.fixture
def frameworks(db) -> Frameworks:
    return build_frameworks()


def build_frameworks() -> Frameworks:
    """The reference frameworks, built in the current transaction (a module world calls it directly)."""
    sdg = FrameworkFactory(code="SDG", name_en="SDGs", is_default=True, position=1)
    prtr = FrameworkFactory(code="PRTR", name_en="Recovery plan", position=2)
    rights = FrameworkFactory(code="DIGITAL-RIGHTS", name_en="Digital rights", position=3)
    items: dict[str, FrameworkItem] = {}

    def add(framework, code, level, parent=None, short="", title=""):
        item = FrameworkItemFactory(
            framework=framework,
            code=code,
            level=level,
            parent=items.get(parent),
            short_title_en=short,
            title_en=title or f"Title of {code}",
        )
        items[f"{framework.code}:{code}"] = item
        return item

    for goal in range(1, 18):
        add(sdg, str(goal), ItemLevel.GOAL, short=f"Goal {goal}")
    for target in ("9.1", "9.c", "11.2", "11.3", "4.4"):
        add(sdg, target, ItemLevel.TARGET, parent=f"SDG:{target.split('.')[0]}", title=f"Target {target} broadband")
    add(sdg, "11.3.1", ItemLevel.INDICATOR, parent="SDG:11.3")
    for pillar in ("EJE-1", "EJE-2", "EJE-3", "EJE-4"):
        add(prtr, pillar, ItemLevel.PILLAR)
    add(prtr, "P-I", ItemLevel.LEVER)
    add(rights, "II", ItemLevel.CHAPTER)
    add(rights, "II.1", ItemLevel.PRINCIPLE, parent="DIGITAL-RIGHTS:II")
    add(rights, "V", ItemLevel.CHAPTER)
    return Frameworks(sdg=sdg, prtr=prtr, rights=rights, items=items)
