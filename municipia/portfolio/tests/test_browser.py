"""End to end in a real headless Chromium: a network's coordinator compares two scenarios, applies
one, and finds its proposals among the plan's actions, each linked back to its proposal."""

from decimal import Decimal

import pytest

from municipia.governance.tests.test_browser import browser as browser  # the shared headless Chromium
from municipia.portal.tests.test_browser import page_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "coordinator-pass-1"


@pytest.fixture
def network_plan():
    """A network's published plan with one ERDF source (100 € in 2024) and three scored proposals:
    60 € scoring 7, and two of 50 € scoring 5 each (greedy would take the 7; the optimum is 5 + 5)."""
    from municipia.organizations.choices import RoleKind
    from municipia.organizations.tests.factories import NetworkFactory, RoleFactory, UserFactory
    from municipia.portfolio import services
    from municipia.portfolio.choices import ProposalStatus
    from municipia.portfolio.tests.factories import (
        CriteriaSetFactory,
        CriterionFactory,
        EvaluatorAssignmentFactory,
        FundingSourceFactory,
        ProposalFactory,
        ScoreFactory,
        SourceAllocationFactory,
    )
    from municipia.strategy.tests.factories import ObjectiveFactory, PlanFactory

    network = NetworkFactory(name_en="Network of councils")
    plan = PlanFactory(owner=network, is_published=True, title_en="Network digital plan")
    objective = ObjectiveFactory(axis__plan=plan)
    source = FundingSourceFactory(plan=plan, code="ERDF", cofinancing_rate=Decimal("100"))
    SourceAllocationFactory(source=source, year=2024, amount=Decimal("100"))
    criterion = CriterionFactory(criteria_set=CriteriaSetFactory(plan=plan))
    coordinator = UserFactory(username="coordinator", password=PASSWORD)
    RoleFactory(user=coordinator, organization=network, kind=RoleKind.COORDINATOR)
    titles = ["Fibre to the town halls", "Open data portal", "Citizen app"]
    for title, value, cost in zip(titles, (7, 5, 5), (60, 50, 50), strict=True):
        proposal = ProposalFactory(axis=objective.axis, status=ProposalStatus.UNDER_EVALUATION, title_en=title)
        services.budget_line_create(
            acting_user=None,
            plan=plan,
            data={"proposal": proposal, "year": 2024, "source": source, "cost_category": "services", "amount": cost},
        )
        ScoreFactory(assignment=EvaluatorAssignmentFactory(proposal=proposal), criterion=criterion, value=value)
    return {"plan": plan, "titles": titles}


def _new_scenario(browser, wait, title: str, fields: dict[str, str]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    browser.find_element(By.LINK_TEXT, "New scenario").click()
    wait.until(ec.presence_of_element_located((By.ID, "scenario-budget")))
    browser.find_element(By.ID, "id_title").send_keys(title)
    for name, value in fields.items():
        box = browser.find_element(By.NAME, name)
        box.clear()
        box.send_keys(value)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait.until(ec.presence_of_element_located((By.XPATH, f"//h1[normalize-space()='{title}']")))


def test_coordinator_compares_two_scenarios_applies_one_and_sees_it_on_the_plan(browser, live_server, network_plan):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    wait = page_wait(browser)
    plan = network_plan["plan"]
    plan_path = f"/en/plans/{plan.slug}/"
    browser.get(f"{live_server.url}/en/accounts/login/?next={plan_path}")
    browser.find_element(By.ID, "id_username").send_keys("coordinator")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait.until(ec.url_contains(plan_path))

    # From the plan page to its scenarios, through the portfolio card.
    browser.find_element(By.CSS_SELECTOR, "#portfolio").find_element(By.LINK_TEXT, "Scenarios").click()
    wait.until(ec.presence_of_element_located((By.XPATH, "//h1[normalize-space()='Scenarios']")))
    _new_scenario(browser, wait, "Full budget", {})
    browser.find_element(By.CSS_SELECTOR, "nav.breadcrumb").find_element(By.LINK_TEXT, "Scenarios").click()
    _new_scenario(browser, wait, "ERDF cut by 20 %", {"source__ERDF": "80"})
    browser.find_element(By.CSS_SELECTOR, "nav.breadcrumb").find_element(By.LINK_TEXT, "Scenarios").click()

    # Side by side: the full budget funds the two cheaper proposals, the cut one only the 60 € one.
    columns = {
        card.find_element(By.TAG_NAME, "h2").text: card.text
        for card in browser.find_elements(By.CSS_SELECTOR, "main section.card")
    }
    fibre, portal, app = network_plan["titles"]
    assert "Proven optimal (gap 0)." in columns["Full budget"]
    assert portal in columns["Full budget"] and app in columns["Full budget"]
    assert "ERDF: 80 % of its allocations." in columns["ERDF cut by 20 %"]
    assert fibre in columns["ERDF cut by 20 %"]

    browser.find_element(By.LINK_TEXT, "Full budget").click()
    browser.find_element(By.XPATH, "//button[normalize-space()='Apply this scenario']").click()
    applied = "//*[contains(@class, 'message')][contains(., '2 proposals became actions of the plan.')]"
    wait.until(ec.presence_of_element_located((By.XPATH, applied)))

    # On the plan: the two proposals are actions now; each action names the proposal it came from.
    browser.get(f"{live_server.url}{plan_path}")
    body = browser.find_element(By.TAG_NAME, "main").text
    assert portal in body and app in body and fibre not in body
    browser.find_element(By.LINK_TEXT, portal).click()
    origin = wait.until(ec.presence_of_element_located((By.ID, "portfolio")))
    assert "Accepted proposal" in origin.text and portal in origin.text
    origin.find_element(By.LINK_TEXT, portal).click()
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "main"), "Became the plan's action"))
