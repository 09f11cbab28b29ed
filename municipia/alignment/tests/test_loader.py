"""`load_frameworks`: counts, idempotence, and malformed files reported by row with nothing loaded."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from municipia.alignment import loaders
from municipia.alignment.choices import ItemLevel
from municipia.alignment.models import Framework, FrameworkItem

pytestmark = pytest.mark.django_db


def test_loads_the_sdgs_and_every_reference_framework_with_their_counts():
    out = StringIO()
    call_command("load_frameworks", stdout=out)
    sdg = FrameworkItem.objects.filter(framework__code="SDG")
    assert sdg.filter(level=ItemLevel.GOAL).count() == 17
    assert sdg.filter(level=ItemLevel.TARGET).count() == 169
    assert sdg.filter(level=ItemLevel.INDICATOR).count() == 247
    prtr = FrameworkItem.objects.filter(framework__code="PRTR")
    assert [prtr.filter(level=level).count() for level in ("pillar", "lever", "component")] == [4, 10, 30]
    assert FrameworkItem.objects.get(framework__code="SDG", code="11.3").parent.code == "11"
    assert FrameworkItem.objects.get(framework__code="PRTR", code="C15").parent.code == "P-V"
    assert Framework.objects.get(code="SDG").is_default
    goal = FrameworkItem.objects.get(framework__code="SDG", code="9")
    assert goal.short_title_bg and goal.title_ca
    text = out.getvalue()
    assert "goal: 17" in text and "target: 169" in text and "indicator: 247 (231 unique)" in text


def test_second_run_changes_nothing_and_records_no_history():
    call_command("load_frameworks", stdout=StringIO())
    history = FrameworkItem.history.count()
    ids = set(FrameworkItem.objects.values_list("pk", flat=True))
    out = StringIO()
    call_command("load_frameworks", stdout=out)
    assert FrameworkItem.history.count() == history
    assert set(FrameworkItem.objects.values_list("pk", flat=True)) == ids
    assert "0 created, 0 updated, 433 unchanged" in out.getvalue()


def test_a_changed_title_is_updated_with_history(tmp_path):
    call_command("load_frameworks", stdout=StringIO())
    items = tmp_path / "items.csv"
    text = loaders.ITEMS_FILE.read_text(encoding="utf-8").replace("Gender equality", "Equality of women and men")
    items.write_text(text, encoding="utf-8")
    call_command("load_frameworks", "--items", str(items), stdout=StringIO())
    pillar = FrameworkItem.objects.get(framework__code="PRTR", code="EJE-4")
    assert pillar.title_en == "Equality of women and men"
    assert pillar.history.first().history_change_reason == loaders.CHANGE_REASON


def _copy(tmp_path: Path, name: str, edit) -> Path:
    source = {"items": loaders.ITEMS_FILE, "targets": loaders.TARGETS_FILE, "goals": loaders.GOALS_FILE}[name]
    target = tmp_path / source.name
    shutil.copy(source, target)
    lines = target.read_text(encoding="utf-8").split("\n")
    edit(lines)
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def _replace_row(number: int, new: str):
    def edit(lines):
        lines[number - 1] = new

    return edit


MALFORMED = {
    "unknown framework": ("items", _replace_row(3, "NOPE,EJE-9,,pillar,Title,Título,"), 3, "unknown framework code"),
    "unknown parent": ("items", _replace_row(16, "PRTR,C1,P-XX,component,Mobility,Movilidad,"), 16, "parent"),
    "duplicate code": ("items", _replace_row(4, "PRTR,EJE-2,,pillar,Again,Otra vez,"), 4, "already used on row 3"),
    "bad level": ("items", _replace_row(2, "PRTR,EJE-1,,planet,Ecology,Ecología,"), 2, "level"),
    "bad code": ("items", _replace_row(2, "PRTR,EJE 1!,,pillar,Ecology,Ecología,"), 2, "not a valid code"),
    "empty title": ("items", _replace_row(2, "PRTR,EJE-1,,pillar,,Ecología,"), 2, "title_en is empty"),
    "wrong field count": ("items", _replace_row(2, "PRTR,EJE-1,pillar"), 2, "expected 7 fields"),
    "missing column": ("items", _replace_row(1, "framework,code,parent,title_en,title_es,title_ca,x"), 1, "level"),
    "target of another goal": ("targets", _replace_row(5, '1.4,2,"A target",b,c'), 5, "does not belong to goal"),
    "bad goal code": ("goals", _replace_row(2, "X,a,b,c,d,e,f,g"), 2, "not a valid code"),
}


@pytest.mark.parametrize("kind", MALFORMED)
def test_malformed_file_names_the_row_and_loads_nothing(tmp_path, kind):
    name, edit, row, words = MALFORMED[kind]
    path = _copy(tmp_path, name, edit)
    option = {"items": "--items", "targets": "--sdg-targets", "goals": "--sdg-goals"}[name]
    with pytest.raises(CommandError) as error:
        call_command("load_frameworks", option, str(path), stdout=StringIO())
    message = str(error.value)
    assert f"row {row}:" in message, message
    assert words in message, message
    assert "Nothing was loaded" in message
    assert Framework.objects.count() == 0 and FrameworkItem.objects.count() == 0
