"""The accessibility statement and the open-data licence, on the portal, the exports and the API."""

import pytest
from django.urls import reverse

from municipia.core import exports

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "bg"])
def test_the_footer_links_to_the_accessibility_statement_and_the_licence(client, language):
    html = client.get(f"/{language}/").content.decode()
    with_language = f"/{language}"
    assert f'href="{with_language}/accessibility/"' in html
    assert f'href="{with_language}/open-data/"' in html
    statement = client.get(f"{with_language}/accessibility/").content.decode()
    assert "WCAG" in statement and "2.1" in statement
    licence = client.get(f"{with_language}/open-data/").content.decode()
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in licence


def test_downloads_name_their_licence():
    csv = exports.csv_response(["a"], [[1]], filename="x.csv")
    assert csv["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    xlsx = exports.xlsx_response([("Sheet", ["a"], [[1]])], filename="x.xlsx")
    assert "creativecommons.org/licenses/by/4.0" in xlsx["Link"]
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(b"".join(xlsx.streaming_content)))
    assert "CC BY 4.0" in workbook.properties.description


def test_the_openapi_info_names_the_licence(client):
    text = client.get(reverse("api:schema")).content.decode()
    assert "CC BY 4.0" in text and "creativecommons.org/licenses/by/4.0" in text
