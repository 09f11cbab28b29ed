"""Forms people can use: errors announced and focused, plain labels, languages folded away, and a
search-as-you-type organisation picker instead of a select of thousands (working without script)."""

import re

import pytest
from django.urls import reverse

from municipia.core.pickers import PICKER_THRESHOLD
from municipia.diagnosis.models import Campaign
from municipia.diagnosis.tests.factories import build_questionnaire
from municipia.organizations.tests.factories import OrganizationFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return RoleFactory().user


@pytest.fixture
def many_councils():
    councils = OrganizationFactory.create_batch(PICKER_THRESHOLD + 5)
    OrganizationFactory(name_en="Vilanova", slug="vilanova-a")
    OrganizationFactory(name_en="", name_ca="Vilanova", slug="vilanova-b")
    return councils


def test_new_campaign_form_offers_a_picker_not_a_select_of_every_council(client, editor, many_councils):
    client.force_login(editor)
    html = client.get(reverse("diagnosis:campaign-create")).content.decode()
    # "Results published to" chooses among every organisation: a picker.
    assert not re.search(r'<select[^>]*name="results_published_to"', html)
    picker = re.search(r'<input[^>]*name="results_published_to"[^>]*>', html)[0]
    assert f'data-picker-url="{reverse("organizations:organization-search")}"' in picker
    assert 'list="id_results_published_to-options"' in picker
    assert '<datalist id="id_results_published_to-options"></datalist>' in html
    # The editor's own council (one choice) stays a select.
    assert re.search(r'<select[^>]*name="owner"', html)
    # Plain words: the slug is the "Web address", an empty choice is not "---------".
    assert "Web address" in html
    assert "---------" not in html


def _campaign_data(published_to: str, questionnaire) -> dict:
    return {
        "title_en": "Survey",
        "owner": questionnaire.owner_id,
        "questionnaire": questionnaire.pk,
        "access": "public_link",
        "audience": "citizens",
        "language": "en",
        "results_published_to": published_to,
    }


def test_the_picker_works_without_script_by_typed_name_and_names_the_ambiguity(client, editor, many_councils):
    client.force_login(editor)
    questionnaire = build_questionnaire(owner=editor.roles.get().organization)
    url = reverse("diagnosis:campaign-create")
    response = client.post(url, _campaign_data("vilanova", questionnaire))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Several organisations are called “vilanova”" in html
    # The error summary takes the focus and the title says there is an error.
    assert re.search(r'<div class="form-errors"[^>]*autofocus', html)
    assert re.search(r"<title>Error: ", html)
    assert not Campaign.objects.exists()
    target = many_councils[3]
    response = client.post(url, _campaign_data(target.name.upper(), questionnaire))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Campaign.objects.get().results_published_to == target


def test_the_suggestion_reads_back_a_shared_name_with_its_web_address(client, editor, many_councils):
    suggestions = client.get(reverse("organizations:organization-search"), {"q": "vilan"}).json()["results"]
    assert sorted(s["name"] for s in suggestions) == ["Vilanova (vilanova-a)", "Vilanova (vilanova-b)"]
    suggestions.sort(key=lambda s: s["slug"])
    client.force_login(editor)
    questionnaire = build_questionnaire(owner=editor.roles.get().organization)
    response = client.post(reverse("diagnosis:campaign-create"), _campaign_data(suggestions[1]["name"], questionnaire))
    assert response.status_code == 302
    assert Campaign.objects.get().results_published_to.slug == "vilanova-b"


def test_suggestions_need_two_letters(client):
    assert client.get(reverse("organizations:organization-search"), {"q": "v"}).json() == {"results": []}


def test_language_texts_come_after_the_details_each_in_a_disclosure(client, editor, many_councils):
    client.force_login(editor)
    html = client.get(reverse("diagnosis:campaign-create")).content.decode()
    assert html.index("<legend>Details</legend>") < html.index('class="language-block"')
    # The interface's language is open, the others folded; inputs carry their text's language.
    assert re.search(r'<details class="language-block" open>\s*<summary><span lang="en">', html)
    assert re.search(r'<details class="language-block">\s*<summary><span lang="bg">', html)
    assert re.search(r'<input[^>]*name="title_es"[^>]*lang="es"|<input[^>]*lang="es"[^>]*name="title_es"', html)
