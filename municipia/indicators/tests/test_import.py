"""Import of observation files: every row or none, and every bad row named with its number and reason."""

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from municipia.indicators import services
from municipia.indicators.models import Observation, ObservationImport
from municipia.indicators.tests.conftest import HEADER, csv_bytes, xlsx_bytes
from municipia.indicators.tests.factories import IndicatorFactory, ObservationFactory

pytestmark = pytest.mark.django_db

GOOD = [
    ["DIG-01", "jerez", "2024-12-31", "63.5", "INE", ""],
    ["DIG-01", "11020", "2025-03-31", "66", "", "first quarter"],
    ["SDG-11.6.2", "SOF46", "2024-12-31", "18,4", "", ""],
]


def build(kind: str, rows: list[list], header=HEADER) -> tuple[str, bytes]:
    if kind == "csv":
        return "values.csv", csv_bytes(rows, header)
    return "values.xlsx", xlsx_bytes(rows, header)


def run(user, kind, rows, header=HEADER, **options):
    name, content = build(kind, rows, header)
    return services.observations_import(acting_user=user, name=name, content=content, **options)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_good_file_is_imported_whole_and_recorded(world, kind):
    outcome = run(world["admin"], kind, GOOD)
    assert outcome.ok, outcome.check.errors
    assert (outcome.created, outcome.replaced) == (3, 0)
    stored = {(o.indicator.code, o.organization.slug, o.date): o for o in Observation.objects.all()}
    assert stored[("DIG-01", "jerez", dt.date(2025, 3, 31))].note == "first quarter"
    assert stored[("SDG-11.6.2", "sofia", dt.date(2024, 12, 31))].value == Decimal("18.4")
    record = ObservationImport.objects.get()
    assert (record.created_by, record.created_count, record.status) == (world["admin"], 3, "imported")
    assert all(o.batch_id == record.pk and o.created_by == world["admin"] for o in stored.values())


def test_xlsx_number_and_date_cells_are_read_as_such(world):
    outcome = run(world["admin"], "xlsx", [["DIG-01", "jerez", dt.datetime(2024, 12, 31), 63.25, None, None]])
    assert outcome.ok, outcome.check.errors
    assert Observation.objects.get().value == Decimal("63.25")


def test_semicolon_csv_with_decimal_commas_is_understood(world):
    content = csv_bytes([["DIG-01", "jerez", "2024-12-31", "63,5", "", ""]], delimiter=";")
    outcome = services.observations_import(acting_user=world["editor"], name="valores.csv", content=content)
    assert outcome.ok, outcome.check.errors
    assert Observation.objects.get().value == Decimal("63.5")


# One malformed row per kind of error; each file also holds good rows, and nothing is written.
BAD_ROWS = {
    "unknown indicator": (["NOPE-9", "jerez", "2024-12-31", "1", "", ""], "indicator", "Unknown indicator"),
    "unknown organisation": (["DIG-01", "atlantis", "2024-12-31", "1", "", ""], "organization", "Unknown organis"),
    "bad date": (["DIG-01", "jerez", "31/12/2024", "1", "", ""], "date", "is not a date"),
    "impossible date": (["DIG-01", "jerez", "2024-02-30", "1", "", ""], "date", "is not a date"),
    "future date": (["DIG-01", "jerez", "2099-01-01", "1", "", ""], "date", "in the future"),
    "non-numeric value": (["DIG-01", "jerez", "2024-06-30", "lots", "", ""], "value", "is not a number"),
    "too many digits": (["DIG-01", "jerez", "2024-06-30", "1.1234567", "", ""], "value", "too many digits"),
    "duplicate in file": (["DIG-01", "jerez", "2024-12-31", "64", "", ""], "date", "Row 2 already gives"),
    "missing value": (["DIG-01", "jerez", "2024-06-30", "", "", ""], "value", "is not a number"),
}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("error", BAD_ROWS)
def test_one_bad_row_stops_the_whole_file_and_is_named(world, kind, error):
    row, column, message = BAD_ROWS[error]
    outcome = run(world["admin"], kind, [*GOOD, row])
    assert not outcome.ok
    assert [(e.row, e.column) for e in outcome.check.errors] == [(5, column)]
    assert message in outcome.check.errors[0].message
    assert Observation.objects.count() == 0
    assert ObservationImport.objects.count() == 0


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_every_bad_row_is_reported_at_once(world, kind):
    rows = [GOOD[0], BAD_ROWS["bad date"][0], GOOD[2], BAD_ROWS["unknown indicator"][0]]
    outcome = run(world["admin"], kind, rows)
    assert [(e.row, e.column) for e in outcome.check.errors] == [(3, "date"), (5, "indicator")]


def test_a_value_already_stored_is_refused_unless_replace_is_chosen(world):
    stored = ObservationFactory(
        indicator=world["broadband"], organization=world["jerez"], date=dt.date(2024, 12, 31), value=Decimal("1")
    )
    outcome = run(world["admin"], "csv", GOOD)
    assert [(e.row, e.column) for e in outcome.check.errors] == [(2, "date")]
    assert "already has a value" in outcome.check.errors[0].message
    assert Observation.objects.count() == 1

    outcome = run(world["admin"], "csv", GOOD, replace=True)
    assert outcome.ok
    assert (outcome.created, outcome.replaced) == (2, 1)
    stored.refresh_from_db()
    assert stored.value == Decimal("63.5")
    assert Observation.objects.count() == 3


@pytest.mark.parametrize(
    "header, column",
    [
        (["indicator", "organization", "date"], "value"),
        (["indicator", "organization", "date", "value", "colour"], "colour"),
    ],
)
def test_a_wrong_header_is_reported_on_row_one(world, header, column):
    outcome = run(world["admin"], "csv", [], header=header)
    assert [(e.row, e.column) for e in outcome.check.errors] == [(1, column)]


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00garbage", b"PK\x03\x04not really a workbook"])
def test_an_unreadable_or_empty_file_is_reported_on_the_file(world, content):
    outcome = services.observations_import(acting_user=world["admin"], name="x.csv", content=content)
    assert not outcome.ok
    assert outcome.check.errors[0].row == 0


def test_rows_for_organisations_the_user_does_not_edit_are_refused(world):
    outcome = run(world["editor"], "csv", GOOD)
    assert [(e.row, e.column) for e in outcome.check.errors] == [(4, "organization")]
    assert "may not record" in outcome.check.errors[0].message
    assert Observation.objects.count() == 0


def test_network_coordinator_records_values_of_the_networks_indicator_for_members(world):
    rows = [["NET-01", "tremp", "2024-12-31", "12", "", ""]]
    assert run(world["coordinator"], "csv", rows).ok
    # A member council's editor records their own council's values, not another council's.
    assert run(world["tremp_editor"], "csv", [["NET-01", "tremp", "2024-11-30", "1", "", ""]]).ok
    assert not run(world["tremp_editor"], "csv", [["NET-01", "jerez", "2024-11-30", "1", "", ""]]).ok


def test_a_code_shared_by_two_owners_resolves_to_the_organisations_own_indicator(world):
    tremp_own = IndicatorFactory(code="DIG-01", owner_organization=world["tremp"])
    outcome = run(world["admin"], "csv", [["DIG-01", "tremp", "2024-12-31", "5", "", ""]])
    assert outcome.ok
    assert Observation.objects.get().indicator == tremp_own


def test_an_ambiguous_code_asks_for_the_country(world):
    world["jerez"].ekatte_code = "68134"
    world["jerez"].save()
    outcome = run(world["admin"], "csv", [["SDG-11.6.2", "68134", "2024-12-31", "5", "", ""]])
    assert "several organisations" in outcome.check.errors[0].message
    assert run(world["admin"], "csv", [["SDG-11.6.2", "BG:68134", "2024-12-31", "5", "", ""]]).ok


def test_dry_run_checks_without_writing(world):
    outcome = run(world["admin"], "csv", GOOD, dry_run=True)
    assert outcome.ok and outcome.created == 0
    assert Observation.objects.count() == 0


def test_a_large_file_is_checked_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    rows = [
        ["DIG-01", "jerez", (dt.date(2000, 1, 1) + dt.timedelta(days=n)).isoformat(), str(n), "", ""]
        for n in range(3000)
    ]
    rows += [
        ["SDG-11.6.2", "sofia", (dt.date(2000, 1, 1) + dt.timedelta(days=n)).isoformat(), "1", "", ""]
        for n in range(3000)
    ]
    name, content = build("csv", rows)
    with django_assert_max_num_queries(8):
        outcome = services.observations_import(acting_user=world["admin"], name=name, content=content, dry_run=True)
    assert outcome.ok and outcome.check.row_count == 6000


# --- The management command


def test_command_imports_a_file(world, tmp_path: Path):
    path = tmp_path / "values.xlsx"
    path.write_bytes(xlsx_bytes(GOOD))
    out = StringIO()
    call_command("import_observations", str(path), stdout=out)
    assert "3 observations added" in out.getvalue()
    assert Observation.objects.count() == 3


def test_command_dry_run_writes_nothing(world, tmp_path: Path):
    path = tmp_path / "values.csv"
    path.write_bytes(csv_bytes(GOOD))
    out = StringIO()
    call_command("import_observations", str(path), "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue()
    assert Observation.objects.count() == 0


def test_command_lists_bad_rows_and_fails(world, tmp_path: Path):
    path = tmp_path / "values.csv"
    path.write_bytes(csv_bytes([*GOOD, BAD_ROWS["non-numeric value"][0]]))
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_observations", str(path), stderr=err)
    assert "row 5, value" in err.getvalue()
    assert Observation.objects.count() == 0


def test_command_as_a_user_applies_their_permissions(world, tmp_path: Path):
    path = tmp_path / "values.csv"
    path.write_bytes(csv_bytes(GOOD))
    with pytest.raises(CommandError):
        call_command("import_observations", str(path), "--user", world["editor"].username, stderr=StringIO())
    assert Observation.objects.count() == 0


# --- Large files: checked and written in one pass, still all or nothing


def _daily_rows(code: str, organization: str, count: int, start=dt.date(2000, 1, 1)) -> list[list]:
    return [[code, organization, (start + dt.timedelta(days=n)).isoformat(), f"{n}.5", "", ""] for n in range(count)]


def test_a_large_file_is_written_whole_and_marks_its_indicator_changed(world):
    broadband = world["broadband"]
    version = broadband.updated_at
    rows = _daily_rows("DIG-01", "jerez", services.INSERT_CHUNK + 700)
    outcome = run(world["admin"], "csv", rows)
    assert outcome.ok and (outcome.created, outcome.check.row_count) == (len(rows), len(rows))
    assert Observation.objects.filter(indicator=broadband).count() == len(rows)
    assert Observation.objects.get(indicator=broadband, date=dt.date(2000, 1, 3)).value == Decimal("2.5")
    broadband.refresh_from_db()
    assert broadband.updated_at > version  # the version the status cache is keyed on
    assert ObservationImport.objects.get().created_count == len(rows)


def test_a_bad_row_after_the_first_written_chunk_leaves_nothing_and_is_named(world):
    rows = _daily_rows("DIG-01", "jerez", services.INSERT_CHUNK + 10)
    rows[-3][3] = "about 5"
    outcome = run(world["admin"], "csv", rows)
    assert [(e.row, e.column) for e in outcome.check.errors] == [(len(rows) - 1, "value")]
    assert Observation.objects.count() == 0
    assert ObservationImport.objects.count() == 0


def test_a_duplicate_far_from_its_first_row_is_named_with_both_rows(world):
    rows = _daily_rows("DIG-01", "jerez", services.INSERT_CHUNK + 10)
    rows.append(list(rows[1]))  # the spreadsheet's row 3, again at the end
    outcome = run(world["admin"], "csv", rows)
    assert [(e.row, e.column) for e in outcome.check.errors] == [(len(rows) + 1, "date")]
    assert "Row 3 already gives" in outcome.check.errors[0].message
    assert Observation.objects.count() == 0


def test_a_file_with_a_byte_that_is_not_utf8_far_down_is_reported_on_the_file(world):
    content = csv_bytes(_daily_rows("DIG-01", "jerez", 3000)) + b"DIG-01,jerez,2024-01-01,\xff,,\n"
    outcome = services.observations_import(acting_user=world["admin"], name="values.csv", content=content)
    assert [(e.row, e.column) for e in outcome.check.errors] == [(0, "file")]
    assert Observation.objects.count() == 0


def test_blank_and_whitespace_rows_are_skipped_and_not_counted(world):
    rows = [GOOD[0], ["", "", "", "", "", ""], ["  ", " ", "", "  ", "", ""], GOOD[2]]
    outcome = run(world["admin"], "csv", rows)
    assert outcome.ok, outcome.check.errors
    assert (outcome.created, outcome.check.row_count) == (2, 2)


def test_another_councils_private_indicator_is_as_unknown_as_a_missing_code(world):
    IndicatorFactory(code="PRIV-01", owner_organization=world["jerez"], is_public=False)
    private = run(world["tremp_editor"], "csv", [["PRIV-01", "tremp", "2024-12-31", "1", "", ""]])
    missing = run(world["tremp_editor"], "csv", [["NOPE-1", "tremp", "2024-12-31", "1", "", ""]])
    assert not private.ok and not missing.ok
    assert [e.message for e in private.check.errors] == ["Unknown indicator “PRIV-01”."]
    assert [e.message for e in missing.check.errors] == ["Unknown indicator “NOPE-1”."]
    assert not Observation.objects.exists()


def test_values_only_for_the_organisations_an_indicator_reaches(world):
    # Tremp's editor may not put Tremp's values on Jerez's own indicator…
    outcome = run(world["tremp_editor"], "csv", [["DIG-01", "tremp", "2024-12-31", "1", "", ""]])
    assert [(e.column, "not among the organisations" in e.message) for e in outcome.check.errors] == [
        ("organization", True)
    ]
    # …nor may the network's coordinator record a council outside the network.
    outside = run(world["coordinator"], "csv", [["NET-01", "jerez", "2024-12-31", "1", "", ""]])
    assert not outside.ok and outside.check.errors[0].column == "organization"
    assert not Observation.objects.exists()
    member = run(world["coordinator"], "csv", [["NET-01", "tremp", "2024-12-31", "1", "", ""]])
    assert member.ok, member.check.errors


def test_a_single_value_for_a_council_outside_the_network_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.observation_create(
            acting_user=world["admin"],
            indicator=world["network_indicator"],
            organization=world["jerez"],
            data={"date": dt.date(2024, 12, 31), "value": Decimal("1")},
        )
    assert "organization" in caught.value.message_dict
    assert not Observation.objects.exists()


def test_a_csv_cell_over_the_field_limit_is_a_file_error_not_a_crash(world):
    import csv as csv_module

    content = csv_bytes([["DIG-01", "jerez", "2024-12-31", "1", "x" * (csv_module.field_size_limit() + 5), ""]])
    outcome = services.observations_import(acting_user=world["admin"], name="big.csv", content=content)
    assert not outcome.ok
    assert [(e.row, e.column) for e in outcome.check.errors] == [(0, "file")]
    assert "longer than" in outcome.check.errors[0].message


def test_the_error_report_lists_the_first_problems_and_counts_them_all(world):
    from municipia.indicators import importer

    rows = [["NOPE", "jerez", "2024-12-31", "x", "", ""]] * (importer.MAX_REPORTED_ERRORS + 50)
    outcome = run(world["admin"], "csv", rows)
    errors = outcome.check.errors
    assert len(errors) == importer.MAX_REPORTED_ERRORS
    assert errors.total == 2 * (importer.MAX_REPORTED_ERRORS + 50)  # two problems per row
    assert errors.rows == importer.MAX_REPORTED_ERRORS + 50
