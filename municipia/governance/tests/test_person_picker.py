"""The person picker: a network's hundreds of people are searched as one types, not listed in a select;
the form still works without script (the typed name, or "Name (Organisation)" as suggested)."""

import re

import pytest
from django.urls import reverse

from municipia.core.pickers import PICKER_THRESHOLD
from municipia.governance.choices import MemberRole
from municipia.governance.models import BodyMember
from municipia.organizations.tests.factories import OrganizationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_people(governance_world):
    council = governance_world["plan"].owner
    people = PersonFactory.create_batch(PICKER_THRESHOLD + 5, organization=council)
    other = OrganizationFactory(name_en="Elsewhere")
    twins = [
        PersonFactory(full_name="Marta Puig", organization=council),
        PersonFactory(full_name="Marta Puig", organization=council),
    ]
    stranger = PersonFactory(full_name="Marta Outsider", organization=other)
    return {"people": people, "twins": twins, "stranger": stranger, "council": council}


def test_adding_a_member_offers_a_person_picker_not_a_select_of_every_person(client, governance_world, many_people):
    w = governance_world
    client.force_login(w["users"]["own editor"])
    html = client.get(reverse("governance:member-create", args=[w["body"].pk])).content.decode()
    assert not re.search(r'<select[^>]*name="person"', html)
    picker = re.search(r'<input[^>]*name="person"[^>]*>', html)[0]
    assert f'data-picker-url="{reverse("organizations:person-search")}"' in picker
    assert '<datalist id="id_person-options"></datalist>' in html
    assert "Start typing the person" in html


def _member(person: str) -> dict:
    return {"person": person, "role": MemberRole.MEMBER, "start_date": "2024-01-01"}


def test_a_typed_name_is_read_back_and_errors_name_the_person_field(client, governance_world, many_people):
    w = governance_world
    client.force_login(w["users"]["own editor"])
    address = reverse("governance:member-create", args=[w["body"].pk])
    before = BodyMember.objects.count()
    # Two people share the name: the form says so on the field and saves nothing.
    response = client.post(address, _member("marta puig"))
    assert response.status_code == 400
    assert "Several people are called “marta puig”" in response.context["form"].errors["person"][0]
    # Someone of a council outside the plan cannot be chosen, even by exact name.
    response = client.post(address, _member("Marta Outsider"))
    assert response.status_code == 400
    assert "No person of those you may choose here" in response.context["form"].errors["person"][0]
    assert BodyMember.objects.count() == before
    # A unique name, typed in another case, is enough without script.
    chosen = many_people["people"][7]
    response = client.post(address, _member(chosen.full_name.upper()))
    assert response.status_code == 302, response.context["form"].errors
    assert BodyMember.objects.filter(body=w["body"], person=chosen).exists()


def test_suggestions_name_the_organisation_and_only_show_people_the_reader_may_see(client, many_people):
    hidden = PersonFactory(full_name="Marta Private", is_public=False, organization=many_people["council"])
    PersonFactory(full_name="Marta Public", is_public=True, organization=many_people["council"])
    search = reverse("organizations:person-search")
    anonymous = [s["name"] for s in client.get(search, {"q": "marta"}).json()["results"]]
    assert anonymous == [f"Marta Public ({many_people['council']})"]
    assert client.get(search, {"q": "marta"})["Cache-Control"] == "private, no-store"
    client.force_login(UserFactory(username="reader"))
    names = [s["name"] for s in client.get(search, {"q": "marta"}).json()["results"]]
    assert f"{hidden.full_name} ({hidden.organization})" in names
    assert "Marta Outsider (Elsewhere)" in names
    # Names starting with the query come first; one letter suggests nothing.
    assert client.get(search, {"q": "m"}).json()["results"] == []


def test_the_suggested_label_picks_the_right_one_of_two_namesakes(many_people):
    from municipia.organizations.forms import PersonPickerField
    from municipia.organizations.models import Person

    first, second = many_people["twins"]
    first.organization = OrganizationFactory(name_en="Other council", name_ca="Altre consell")
    first.save()
    field = PersonPickerField(search_url="/", queryset=Person.objects.all())
    assert field.clean(f"Marta Puig ({second.organization})") == second
    # The organisation's name in any language, as the suggestions show it in the reader's language.
    assert field.clean("marta puig (altre consell)") == first
    assert field.prepare_value(first) == "Marta Puig (Other council)"
    assert field.clean(str(second.pk)) == second
