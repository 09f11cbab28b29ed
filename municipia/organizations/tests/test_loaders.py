"""The reference-data loader: counts, names and slugs, idempotence, updates and all-or-nothing errors."""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from municipia.organizations.loaders import BG_FILE, ES_FILE
from municipia.organizations.models import Organization
from municipia.organizations.tests.factories import PartnerFactory

ES_HEADER = (
    "ine_code,name,name_display,province_code,province,ccaa_code,autonomous_community,"
    "population_2025,men_2025,women_2025,longitude,latitude"
)
TREMP = "25234,Tremp,Tremp,25,Lleida,09,Cataluña,6123,3046,3077,0.8956651,42.16727663"
JEREZ = (
    "11020,Jerez de la Frontera,Jerez de la Frontera,11,Cádiz,01,Andalucía,213634,104058,109576,-6.1287534,36.70212746"
)
BG_HEADER = (
    "obshtina_code,ekatte_admin_centre,name_bg,name_latin,oblast_code,oblast_bg,oblast_latin,nuts2_code,population_2013"
)
SOFIA = "SOF46,68134,Столична,Stolichna,SOF,София (столица),Sofia (stolitsa),BG41,1309634"


def write(tmp_path: Path, name: str, *lines: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load(**files) -> str:
    out = StringIO()
    call_command("load_municipalities", *[f"--file-{k}={v}" for k, v in files.items()], stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker):
    """The full reference lists, loaded once for the class and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = load()
        yield output
        transaction.set_rollback(True)


@pytest.mark.django_db
class TestRealFiles:
    """The shipped lists (loaded once: the other tests below start from an empty table)."""

    def test_loads_every_spanish_and_bulgarian_municipality(self, loaded):
        assert "Spain: 8132 created, 0 updated, 0 unchanged." in loaded
        assert "Bulgaria: 265 created, 0 updated, 0 unchanged." in loaded
        municipalities = Organization.objects.filter(kind="municipality")
        assert municipalities.filter(country="ES").count() == 8132
        assert municipalities.filter(country="ES", region_code="09").count() == 947
        assert municipalities.filter(country="BG").count() == 265
        assert Organization.history.filter(history_type="+").count() == 8132 + 265

    def test_spanish_municipality_has_codes_region_population_and_names(self, loaded):
        jerez = Organization.objects.get(slug="jerez-de-la-frontera")
        assert (jerez.country, jerez.official_code) == ("ES", "11020")
        assert (jerez.province, jerez.region, jerez.region_code) == ("Cádiz", "Andalucía", "01")
        assert (jerez.population, jerez.population_year) == (213634, 2025)
        assert (jerez.name_en, jerez.name_es, jerez.name_ca) == ("Jerez de la Frontera",) * 3
        assert str(jerez.longitude) == "-6.12875340" and str(jerez.latitude) == "36.70212746"
        assert Organization.objects.get(slug="barcelona").official_code == "08019"
        assert Organization.objects.get(slug="tremp").population == 6123
        hospitalet = Organization.objects.get(country="ES", official_code="08101")
        assert hospitalet.name_en == "L'Hospitalet de Llobregat"  # natural order, not the INE form
        assert Organization.objects.get(country="ES", official_code="07040").region == "Illes Balears"
        usansolo = Organization.objects.get(country="ES", official_code="48916")
        assert usansolo.longitude is None and usansolo.latitude is None

    def test_sofia_is_reachable_as_sofia_and_named_after_the_city(self, loaded):
        sofia = Organization.objects.get(slug="sofia")
        assert (sofia.official_code, sofia.ekatte_code, sofia.region_code) == ("SOF46", "68134", "SOF")
        assert sofia.name_en == sofia.name_es == sofia.name_ca == "Sofia (Stolichna)"
        assert sofia.name_bg == "София (Столична)"
        assert (sofia.population, sofia.population_year) == (1309634, 2013)

    def test_shared_names_give_the_bare_slug_to_the_most_populous(self, loaded):
        byala = Organization.objects.filter(country="BG", name_en="Byala").order_by("-population")
        assert [o.slug for o in byala] == ["byala", f"byala-{byala[1].official_code.lower()}"]
        slugs = Organization.objects.values_list("slug", flat=True)
        assert len(slugs) == len(set(slugs))

    def test_second_run_creates_and_updates_nothing(self, loaded):
        count, history = Organization.objects.count(), Organization.history.count()
        output = load()
        assert "Spain: 0 created, 0 updated, 8132 unchanged." in output
        assert "Bulgaria: 0 created, 0 updated, 265 unchanged." in output
        assert Organization.objects.count() == count
        assert Organization.history.count() == history

    def test_changed_population_updates_the_row_and_records_history(self, loaded, tmp_path):
        rows = list(csv.reader(ES_FILE.open(encoding="utf-8")))
        for row in rows:
            if row[0] == "08019":
                row[7] = "1750000"
        changed = tmp_path / "es.csv"
        with changed.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
        barcelona = Organization.objects.get(slug="barcelona")
        output = load(es=changed)
        assert "Spain: 0 created, 1 updated, 8131 unchanged." in output
        barcelona.refresh_from_db()
        assert barcelona.population == 1750000
        assert barcelona.slug == "barcelona"
        latest = barcelona.history.first()
        assert (latest.history_type, latest.population) == ("~", 1750000)


# --- Small files


@pytest.mark.django_db
def test_slug_taken_by_another_organisation_gets_the_code(tmp_path):
    PartnerFactory(slug="tremp")
    load(es=write(tmp_path, "es.csv", ES_HEADER, TREMP, JEREZ), bg=write(tmp_path, "bg.csv", BG_HEADER, SOFIA))
    assert Organization.objects.get(official_code="25234").slug == "tremp-25234"
    assert Organization.objects.get(official_code="11020").slug == "jerez-de-la-frontera"


MALFORMED_ES = [
    pytest.param(
        [ES_HEADER.replace(",population_2025", ""), TREMP], 1, "missing column(s): population_2025", id="missing-column"
    ),
    pytest.param([ES_HEADER, TREMP, JEREZ.replace("213634", "213.634")], 3, "not a whole number", id="population"),
    pytest.param([ES_HEADER, TREMP, JEREZ.replace("11020,", "1102,", 1)], 3, "not a valid code", id="code-format"),
    pytest.param([ES_HEADER, TREMP, TREMP], 3, "code 25234 is already used on line 2", id="duplicate-code"),
    pytest.param([ES_HEADER, TREMP, JEREZ + ",extra"], 3, "expected 12 fields, found 13", id="field-count"),
    pytest.param([ES_HEADER, TREMP, JEREZ.replace("-6.1287534", "west")], 3, "longitude", id="coordinate"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("lines", "line", "problem"), MALFORMED_ES)
def test_malformed_spanish_file_names_the_row_and_loads_nothing(tmp_path, lines, line, problem):
    count, history = Organization.objects.count(), Organization.history.count()
    bad = write(tmp_path, "es.csv", *lines)
    with pytest.raises(CommandError) as error:
        load(es=bad, bg=write(tmp_path, "bg.csv", BG_HEADER, SOFIA))
    assert f"{bad}, line {line}:" in str(error.value)
    assert problem in str(error.value)
    assert Organization.objects.count() == count
    assert Organization.history.count() == history


@pytest.mark.django_db
def test_malformed_bulgarian_file_loads_nothing_from_either_file(tmp_path):
    bad = write(tmp_path, "bg.csv", BG_HEADER, SOFIA, SOFIA.replace("SOF46", "SOF4X"))
    with pytest.raises(CommandError) as error:
        load(es=write(tmp_path, "es.csv", ES_HEADER, TREMP, JEREZ), bg=bad)
    assert f"{bad}, line 3:" in str(error.value) and "SOF4X" in str(error.value)
    assert not Organization.objects.exists()
    assert not Organization.history.exists()


@pytest.mark.django_db
def test_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="cannot open the file"):
        load(es=tmp_path / "nowhere.csv", bg=BG_FILE)
