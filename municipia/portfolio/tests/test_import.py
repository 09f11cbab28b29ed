"""Execution import: a saved column mapping, a preview, every bad row named, all or nothing; the funding report."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from municipia.organizations.tests.factories import RoleFactory, UserFactory
from municipia.portfolio import services
from municipia.portfolio.importer import parse_amount
from municipia.portfolio.models import ExecutionEntry, ExecutionMapping
from municipia.portfolio.report import source_report
from municipia.portfolio.tests.factories import BudgetLineFactory, FundingSourceFactory
from municipia.strategy.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

HEADER = "Proyecto;Ejercicio;Fondo;Fase;Fecha;Importe;Documento\n"
MAPPING = {
    "action": "Proyecto",
    "year": "Ejercicio",
    "source": "Fondo",
    "kind": "Fase",
    "date": "Fecha",
    "amount": "Importe",
    "reference": "Documento",
}


@pytest.fixture
def line():
    action = ActionFactory(code="2.1.1")
    source = FundingSourceFactory(plan=action.plan, code="EDUSI")
    return BudgetLineFactory(action=action, plan=action.plan, source=source, year=2024, amount=Decimal("1000"))


def _import(line, text: str):
    return services.execution_import(
        acting_user=None, plan=line.plan, name="export.csv", content=text.encode(), columns=MAPPING
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.234,56", "1234.56"), ("1,234.56", "1234.56"), ("12,5", "12.50"), ("€ 10", "10.00"), ("x", None)],
)
def test_amounts_in_spanish_and_english_formats(text, value):
    assert parse_amount(text) == (Decimal(value) if value else None)


def test_a_good_file_imports_every_row(line):
    text = HEADER + "2.1.1;2024;EDUSI;D;15/03/2024;800,00;AD-1\n2.1.1;2024;EDUSI;P;2024-06-30;400;P-7\n"
    assert _import(line, text) == 2
    assert sorted(ExecutionEntry.objects.values_list("kind", "amount")) == [
        ("committed", Decimal("800.00")),
        ("payment", Decimal("400.00")),
    ]


def test_a_bad_row_names_its_number_and_nothing_is_saved(line):
    text = (
        HEADER
        + "2.1.1;2024;EDUSI;D;15/03/2024;800,00;AD-1\n"
        + "9.9.9;2024;EDUSI;P;2024-06-30;400;P-7\n"  # no such action
        + "2.1.1;2024;EDUSI;X;31/02/2024;abc;\n"  # bad kind, date and amount
    )
    with pytest.raises(ValidationError) as error:
        _import(line, text)
    messages = error.value.message_dict["file"]
    assert any(m.startswith("Row 3, action:") for m in messages)
    assert {m.split(":")[0] for m in messages if m.startswith("Row 4")} == {
        "Row 4, kind",
        "Row 4, amount",
        "Row 4, date",
    }
    assert not ExecutionEntry.objects.exists()


def test_a_missing_column_is_named(line):
    with pytest.raises(ValidationError) as error:
        _import(line, "Proyecto;Ejercicio\n2.1.1;2024\n")
    assert "Row 1, fondo: This column is missing." in error.value.message_dict["file"]


def test_the_page_saves_the_mapping_previews_and_imports_xlsx(client, line):
    client.force_login(RoleFactory(organization=line.plan.owner).user)
    book = Workbook()
    sheet = book.active
    sheet.append(list(MAPPING.values()))
    sheet.append(["2.1.1", 2024, "EDUSI", "O", "2024-05-01", 250.5, "O-1"])
    content = io.BytesIO()
    book.save(content)
    url = reverse("portfolio:execution-import", args=[line.plan.slug])
    data = {f"column_{name}": column for name, column in MAPPING.items()}
    upload = SimpleUploadedFile("export.xlsx", content.getvalue())
    response = client.post(url, {**data, "file": upload, "preview": "1"})
    assert response.status_code == 200 and "250.50" in response.content.decode()
    assert not ExecutionEntry.objects.exists()
    assert ExecutionMapping.objects.get(plan=line.plan).columns["amount"] == "Importe"
    assert client.get(url).content.decode().count('value="Importe"') == 1  # the saved mapping comes back
    upload = SimpleUploadedFile("export.xlsx", content.getvalue())
    response = client.post(url, {**data, "file": upload, "import": "1"})
    assert response.status_code == 302
    assert ExecutionEntry.objects.get().amount == Decimal("250.50")


def test_only_the_plan_writers_import(client, line):
    client.force_login(UserFactory())
    assert client.get(reverse("portfolio:execution-import", args=[line.plan.slug])).status_code in (403, 404)


def test_the_funding_report_per_operation(client, line):
    services.execution_create(
        acting_user=None, budget_line=line, data={"kind": "payment", "date": "2024-06-01", "amount": Decimal("300")}
    )
    rows, total = source_report(line.source)
    assert [(r.code, r.year, r.eligible, r.source_share, r.declared) for r in rows] == [
        ("2.1.1", 2024, Decimal("1000"), Decimal("800"), Decimal("300.00"))
    ]
    client.force_login(RoleFactory(organization=line.plan.owner).user)
    response = client.get(reverse("portfolio:fundingsource-report-xlsx", args=[line.source.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[2]][:4] == ["2.1.1", line.action.title, 2024, 1000]
    response = client.get(reverse("portfolio:fundingsource-report-pdf", args=[line.source.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.force_login(UserFactory())
    assert client.get(reverse("portfolio:fundingsource-report-pdf", args=[line.source.pk])).status_code in (403, 404)
