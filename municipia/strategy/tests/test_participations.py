"""A council's own page lists the network plans and actions it takes part in; cards other sites may
frame show a plan's progress and those participations, and only those pages may be framed."""

import pytest
from django.urls import reverse

from municipia.organizations.tests.factories import NetworkFactory, OrganizationFactory
from municipia.strategy.tests.factories import ActionFactory, AxisFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network_plan():
    council = OrganizationFactory(name_en="Girona", slug="girona")
    other = OrganizationFactory(name_en="Vic", slug="vic")
    plan = PlanFactory(owner=NetworkFactory(name_en="Digital network"), title_en="Network agenda", slug="agenda")
    objective = ObjectiveFactory(axis=AxisFactory(plan=plan, code="1", title_en="Services"))
    shared = ActionFactory(objective=objective, code="1.1", title_en="Shared catalogue", progress=60)
    shared.participants.add(council, other)
    ActionFactory(objective=objective, code="1.2", title_en="Only Vic", progress=20).participants.add(other)
    hidden = PlanFactory(is_published=False, slug="draft")
    ActionFactory(objective=ObjectiveFactory(axis=AxisFactory(plan=hidden)), title_en="Secret").participants.add(
        council
    )
    return {"council": council, "plan": plan}


def test_council_page_lists_the_network_plans_and_actions_it_takes_part_in(client, network_plan):
    html = client.get(reverse("organizations:organization-detail", args=["girona"])).content.decode()
    assert "Network plans it takes part in" in html
    assert "Network agenda" in html and "Shared catalogue" in html
    assert "Only Vic" not in html
    # Unpublished plans stay hidden from visitors.
    assert "Secret" not in html
    assert reverse("strategy:embed-participations", args=["girona"]) in html


def test_participations_in_a_fixed_number_of_queries(client, network_plan):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("strategy:embed-participations", args=["girona"])

    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    objective = network_plan["plan"].axes.get().objectives.get()
    for n in range(15):
        ActionFactory(objective=objective, code=f"2.{n}").participants.add(network_plan["council"])
    assert queries() == few <= 10
    assert client.get(url).content.decode().count('class="badge status-') == 16


def test_embeddable_cards_may_be_framed_and_other_pages_may_not(client, network_plan):
    card = client.get(reverse("strategy:embed-plan", args=["agenda"]))
    assert card.status_code == 200
    assert "X-Frame-Options" not in card.headers
    # The content security policy agrees: browsers honour its frame-ancestors over X-Frame-Options.
    assert "frame-ancestors *" in card.headers["Content-Security-Policy"]
    html = card.content.decode()
    assert "Network agenda" in html and "Services" in html
    assert '<base target="_blank">' in html
    participations = client.get(reverse("strategy:embed-participations", args=["girona"]))
    assert "X-Frame-Options" not in participations.headers
    assert "Shared catalogue" in participations.content.decode()
    for url in (
        reverse("strategy:plan-detail", args=["agenda"]),
        reverse("organizations:organization-detail", args=["girona"]),
        reverse("portal:home"),
    ):
        page = client.get(url)
        assert page.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    # A second read comes from the cache and keeps the exemption.
    again = client.get(reverse("strategy:embed-plan", args=["agenda"]))
    assert "X-Frame-Options" not in again.headers
    assert "frame-ancestors *" in again.headers["Content-Security-Policy"]


def test_an_unpublished_plan_has_no_card(client, network_plan):
    assert client.get(reverse("strategy:embed-plan", args=["draft"])).status_code == 404
