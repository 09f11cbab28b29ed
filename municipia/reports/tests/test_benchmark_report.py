"""The network benchmarking report (PDF and XLSX): the benchmark page's figures, peer groups and chart."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from municipia.indicators.benchmarking import network_benchmark
from municipia.indicators.choices import Direction
from municipia.indicators.tests.factories import IndicatorFactory, ObservationFactory
from municipia.organizations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)
from municipia.reports.documents import network_benchmark_html
from municipia.reports.selectors import network_benchmark_report
from municipia.reports.templatetags.report_figures import approx_figure

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_url(network, fmt="pdf", *, lang="en", **params) -> str:
    with translation.override(lang):
        url = reverse("reports:network-benchmark", args=[network.slug, fmt])
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}?{query}" if query else url


def pdf_text(content: bytes) -> str:
    # Words only: the PDF wraps long names over lines.
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


# (name, slug, population, value): six values, one member without any.
CATALAN_MEMBERS = [
    ("Barcelona", "barcelona", 1_660_000, "70"),
    ("l'Hospitalet de Llobregat", "hospitalet", 265_000, "61.5"),
    ("Vic", "vic", 15_000, "58.4"),
    ("Sant Adrià de Besòs", "sant-adria", 37_000, "52"),
    ("Tremp", "tremp", 6_000, "45"),
    ("Castellar de n'Hug", "castellar", None, "33"),
    ("Girona", "girona", 103_000, None),
]


@pytest.fixture
def catalan_network():
    network = NetworkFactory(name_en="Xarxa de municipis digitals", slug="xarxa")
    indicator = IndicatorFactory(
        owner_organization=network, code="ADC-01", name_en="Online procedures", unit="%", direction=Direction.HIGHER
    )
    for name, slug, population, value in CATALAN_MEMBERS:
        council = OrganizationFactory(name_en=name, slug=slug, population=population)
        NetworkMembershipFactory(network=network, member=council)
        if value is not None:
            ObservationFactory(
                indicator=indicator, organization=council, date=dt.date(2025, 6, 30), value=Decimal(value)
            )
    return network, indicator


def test_pdf_names_the_network_and_its_councils_with_catalan_characters(client, catalan_network):
    network, indicator = catalan_network
    response = client.get(report_url(network, indicator=indicator.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Xarxa de municipis digitals" in text
    assert "l'Hospitalet de Llobregat" in text
    assert "Sant Adrià de Besòs" in text
    assert "Castellar de n'Hug" in text
    # Ranked best first; the member without a value comes last.
    assert text.index("Barcelona") < text.index("l'Hospitalet") < text.index("Tremp") < text.index("Girona")


def test_pdf_figures_are_network_benchmarks_median_and_quartiles(client, catalan_network):
    network, indicator = catalan_network
    expected = network_benchmark(indicator, network)
    text = pdf_text(client.get(report_url(network, indicator=indicator.pk)).content)
    # 33, 45, 52, 58.4, 61.5, 70: median (52 + 58.4) / 2; quartiles by the inclusive method.
    assert Decimal(str(expected.overall.median)) == Decimal("55.2")
    assert approx_figure(expected.overall.median) == "55.2"
    whole = re.search(r"Whole network 7 6 (\S+) (\S+) (\S+) (\S+) (\S+)", text)
    assert whole is not None, text
    assert whole.groups() == (
        approx_figure(expected.overall.q1),
        "55.2",
        approx_figure(expected.overall.q3),
        "70",
        "33",
    )


def test_pdf_shows_every_peer_group_with_its_summary(client, catalan_network):
    network, indicator = catalan_network
    expected = network_benchmark(indicator, network)
    text = pdf_text(client.get(report_url(network, indicator=indicator.pk)).content)
    labels = [group.label for group in expected.groups]
    assert "5,000 to 19,999 inhabitants" in labels and "Population unknown" in labels
    for group in expected.groups:
        line = f"{group.label} {group.members} {group.summary.count}"
        assert line in text
    # Tremp (45) and Vic (58.4) share a band: its median is theirs.
    small = next(group for group in expected.groups if str(group.label) == "5,000 to 19,999 inhabitants")
    assert approx_figure(small.summary.median) == "51.7"
    assert "5,000 to 19,999 inhabitants 2 2 48.35 51.7 55.05 58.4 45" in text


def test_pdf_shows_the_chosen_councils_position(client, catalan_network):
    network, indicator = catalan_network
    text = pdf_text(client.get(report_url(network, indicator=indicator.pk, council="sant-adria")).content)
    assert "Where Sant Adrià de Besòs stands" in text
    assert "Rank in the network 4 of 6" in text
    assert "Rank among peers (20,000 to 49,999 inhabitants) 1 of 1" in text
    assert "Network median 55.2 %" in text


def test_pdf_of_a_council_without_a_value_says_so(client, catalan_network):
    network, indicator = catalan_network
    text = pdf_text(client.get(report_url(network, indicator=indicator.pk, council="girona")).content)
    assert "Girona has no value of this indicator yet." in text


def test_report_has_the_same_chart_as_the_benchmark_page(client, catalan_network):
    network, indicator = catalan_network
    page = client.get(
        reverse("indicators:indicator-benchmark", kwargs={"pk": indicator.pk, "network": network.slug}),
        {"council": "vic"},
    )
    page_svg = re.search(r"<svg.*?</svg>", page.content.decode(), re.S).group(0)
    council = network.members.get(slug="vic")
    html = network_benchmark_html(network_benchmark_report(network, indicator, council=council), generated_on=None)
    report_svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert report_svg == page_svg


def test_pdf_in_bulgarian_names_the_councils_in_cyrillic(client):
    network = NetworkFactory(name_en="Network of Bulgarian municipalities", name_bg="Мрежа на общините в България")
    indicator = IndicatorFactory(owner_organization=network, name_en="E-services", name_bg="Електронни услуги")
    for name_en, name_bg, value in (("Sofia", "Столична община", "64"), ("Plovdiv", "Пловдив", "48")):
        council = OrganizationFactory(name_en=name_en, name_bg=name_bg, population=300_000)
        NetworkMembershipFactory(network=network, member=council)
        ObservationFactory(indicator=indicator, organization=council, value=Decimal(value))
    response = client.get(report_url(network, lang="bg", indicator=indicator.pk))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Мрежа на общините в България" in text
    assert "Електронни услуги" in text
    assert "Столична община" in text and "Пловдив" in text
    assert text.index("Столична община") < text.index("Пловдив")


def test_empty_network_still_gives_a_valid_pdf_and_xlsx(client):
    network = NetworkFactory(name_en="Empty network")
    indicator = IndicatorFactory(owner_organization=network)
    response = client.get(report_url(network, indicator=indicator.pk))
    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(response.content)).pages) >= 1
    text = pdf_text(response.content)
    assert "Empty network" in text
    assert "This network has no member councils." in text
    sheets = workbook(client.get(report_url(network, "xlsx", indicator=indicator.pk)))
    assert list(sheets["Members"].iter_rows(min_row=2, values_only=True)) == []


def test_xlsx_has_the_same_figures_and_neutralises_formulas(client, catalan_network):
    network, indicator = catalan_network
    hostile = OrganizationFactory(name_en='=HYPERLINK("http://evil")', population=800)
    NetworkMembershipFactory(network=network, member=hostile)
    expected = network_benchmark(indicator, network, council="tremp")
    response = client.get(report_url(network, "xlsx", indicator=indicator.pk, council="tremp"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    sheets = workbook(response)
    assert sheets.sheetnames == ["Summary", "Peer groups", "Members"]
    groups = {row[0]: row for row in sheets["Peer groups"].iter_rows(min_row=2, values_only=True)}
    whole = groups["Whole network"]
    assert whole[1:3] == (8, 6)
    assert whole[4] == pytest.approx(float(expected.overall.median))
    assert whole[3] == pytest.approx(float(expected.overall.q1))
    members = list(sheets["Members"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in members[:2]] == ["Barcelona", "l'Hospitalet de Llobregat"]
    assert members[0][0] == 1 and members[0][5] == 70
    assert '\'=HYPERLINK("http://evil")' in [row[1] for row in members]
    summary = dict(sheets["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["Highlighted council"] == "Tremp"
    assert summary["Its rank in the network"] == 5


# --- Bad input and permissions


def test_without_an_indicator_is_a_bad_request_naming_it(client, catalan_network):
    network, _indicator = catalan_network
    response = client.get(report_url(network, indicator="abc"))
    assert response.status_code == 400
    assert response.content.decode().startswith("indicator:")


def test_a_council_outside_the_network_is_a_bad_request_naming_it(client, catalan_network):
    network, indicator = catalan_network
    OrganizationFactory(slug="elsewhere")
    response = client.get(report_url(network, indicator=indicator.pk, council="<b>elsewhere</b>"))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith("council:")
    response = client.get(report_url(network, "xlsx", indicator=indicator.pk, council="elsewhere"))
    assert response.status_code == 400


def test_unknown_network_or_a_council_slug_is_not_found(client, catalan_network):
    network, indicator = catalan_network
    assert client.get(f"/en/reports/networks/nowhere/benchmark.pdf?indicator={indicator.pk}").status_code == 404
    assert client.get(f"/en/reports/networks/tremp/benchmark.pdf?indicator={indicator.pk}").status_code == 404
    assert client.get(report_url(network, indicator="9" * 30)).status_code == 404


ROLES = ["anonymous", "plain user", "other council's editor", "owner's editor", "site admin"]


@pytest.fixture
def private_benchmark(catalan_network):
    network, _public = catalan_network
    owner = network.members.get(slug="tremp")
    private = IndicatorFactory(owner_organization=owner, is_public=False, name_en="Internal response time")
    ObservationFactory(indicator=private, organization=owner, value=Decimal("3"))
    users = {
        "anonymous": None,
        "plain user": UserFactory(),
        "other council's editor": RoleFactory(organization=network.members.get(slug="vic")).user,
        "owner's editor": RoleFactory(organization=owner).user,
        "site admin": UserFactory(is_superuser=True, is_staff=True),
    }
    return network, private, users


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
@pytest.mark.parametrize("role", ROLES)
def test_report_of_a_private_indicator_by_role(client, private_benchmark, role, fmt):
    network, private, users = private_benchmark
    if users[role] is not None:
        client.force_login(users[role])
    response = client.get(report_url(network, fmt, indicator=private.pk))
    expected = 200 if role in ("owner's editor", "site admin") else 404
    assert response.status_code == expected


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
@pytest.mark.parametrize("role", ROLES)
def test_report_of_a_public_indicator_is_open_to_every_role(client, private_benchmark, catalan_network, role, fmt):
    network, public = catalan_network
    user = private_benchmark[2][role]
    if user is not None:
        client.force_login(user)
    assert client.get(report_url(network, fmt, indicator=public.pk)).status_code == 200


# --- Queries


def _grow(network, indicator, count: int) -> None:
    for n in range(count):
        council = OrganizationFactory(population=1_000 * (n + 1))
        NetworkMembershipFactory(network=network, member=council)
        ObservationFactory(indicator=indicator, organization=council, value=Decimal(n))


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_report_queries_do_not_grow_with_the_network(client, catalan_network, django_assert_max_num_queries, fmt):
    network, indicator = catalan_network
    # The network, the indicator, the highlighted council, then network_benchmark's own reads.
    with django_assert_max_num_queries(8):
        client.get(report_url(network, fmt, indicator=indicator.pk, council="vic"))
    _grow(network, indicator, 40)
    with django_assert_max_num_queries(8):
        response = client.get(report_url(network, fmt, indicator=indicator.pk, council="vic"))
    assert response.status_code == 200
