"""Characters XML cannot hold never reach the database or a writer; no template trusts user HTML."""

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from municipia.core.exports import safe_cell, write_xlsx
from municipia.core.sanitize import xml_safe
from municipia.strategy import services
from municipia.strategy.tests.factories import ActionFactory

FORBIDDEN = "\x00\x01\x08\x0b\x0c\x1f\ufffe\uffff\ud800"


def test_every_character_xml_forbids_is_removed_and_the_rest_kept():
    assert xml_safe(f"Open{FORBIDDEN} data\tportal\n\r – ñ 🚲") == "Open data\tportal\n\r – ñ 🚲"


def test_an_xlsx_export_with_forbidden_characters_is_written(tmp_path):
    target = tmp_path / "out.xlsx"
    write_xlsx([("Actions", ["title"], [[f"Portal{FORBIDDEN}"]])], target)
    sheet = load_workbook(target, read_only=True).active
    assert list(sheet.iter_rows(values_only=True)) == [("title",), ("Portal",)]


@pytest.mark.parametrize("start", ["\uff1d", "\uff0b", "\uff0d", "\uff20", "\u2212", " =", "\u3000="])
def test_fullwidth_and_spaced_formula_starters_are_neutralised(start):
    assert safe_cell(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"


@pytest.mark.django_db
def test_a_title_saved_through_a_service_loses_forbidden_characters(site_admin):
    action = ActionFactory()
    services.action_update(acting_user=site_admin, action=action, data={"title_en": "Open\ufffe data\x01"})
    action.refresh_from_db()
    assert action.title_en == "Open data"


def test_no_template_marks_text_safe_or_turns_autoescape_off():
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if re.search(r"\|\s*safe\b|autoescape\s+off", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
