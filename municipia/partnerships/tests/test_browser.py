"""End to end in headless Chromium: a communications officer drafts a clarification, a second
person publishes it (no one publishes alone), and the public page carries its ClaimReview JSON-LD;
then the partner's editor sees the action its done work serves and moves it.

Set PARTNERSHIPS_SHOTS_DIR to keep screenshots (desktop and phone).
"""

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from municipia.portal.tests.test_browser import TIMEOUT, browser, page_wait  # noqa: F401 - the Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-pass-1"


@pytest.fixture
def people():
    from municipia.organizations.tests.factories import OrganizationFactory, RoleFactory

    council = OrganizationFactory(name_en="Sofia Municipality", slug="sofia")
    users = {}
    for username in ("officer", "reviewer"):
        user = RoleFactory(organization=council, user__username=username).user
        user.set_password(PASSWORD)
        user.save()
        users[username] = user
    return council, users


def _sign_in(driver, base, username, next_path):
    from selenium.webdriver.common.by import By

    driver.delete_all_cookies()
    driver.get(f"{base}/en/accounts/login/?next={next_path}")
    driver.find_element(By.ID, "id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()


def _shot(driver, name):
    target = os.environ.get("PARTNERSHIPS_SHOTS_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(target) / f"{name}.png"))


def test_officer_drafts_a_second_person_publishes_and_the_page_carries_claimreview(browser, live_server, people):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    from municipia.partnerships.models import Clarification

    wait = page_wait(browser)
    base = live_server.url
    _sign_in(browser, base, "officer", "/en/partnerships/organizations/sofia/clarifications/new/")
    wait.until(ec.url_contains("/clarifications/new/"))
    browser.find_element(By.ID, "id_title_en").send_keys("No, the e-services portal does not charge a fee")
    browser.find_element(By.ID, "id_claim_en").send_keys("The city's e-services portal charges 5 leva per request.")
    browser.find_element(By.ID, "id_claim_seen_at").send_keys("A social network post")
    browser.find_element(By.ID, "id_facts_en").send_keys("Requests on the portal are free of charge.")
    browser.find_element(By.ID, "id_sources").send_keys("https://www.sofia.bg/e-services")
    browser.find_element(By.CSS_SELECTOR, "#id_verdict option[value=false]").click()
    _shot(browser, "clarification-draft")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait.until(ec.url_matches(r"/en/partnerships/clarifications/[-\w]+/$"))
    clarification = Clarification.objects.get()
    assert clarification.status == "draft"
    # Its author is not offered the publication.
    assert not browser.find_elements(By.CSS_SELECTOR, "form[action$='/publish/'] button")

    _sign_in(browser, base, "reviewer", clarification.get_absolute_url())
    wait.until(ec.url_contains(clarification.get_absolute_url()))
    browser.find_element(By.CSS_SELECTOR, "form[action$='/publish/'] button").click()
    wait.until(ec.url_contains(clarification.get_absolute_url()))
    clarification.refresh_from_db()
    assert clarification.status == "published" and clarification.reviewer.username == "reviewer"

    browser.delete_all_cookies()
    browser.get(base + clarification.get_absolute_url())
    scripts = browser.find_elements(By.CSS_SELECTOR, "script[type='application/ld+json']")
    data = [json.loads(script.get_attribute("innerHTML")) for script in scripts]
    review = next(item for item in data if item.get("@type") == "ClaimReview")
    assert review["claimReviewed"] == "The city's e-services portal charges 5 leva per request."
    assert review["reviewRating"]["alternateName"] and review["author"]["name"] == "Sofia Municipality"
    assert review["datePublished"] and review["itemReviewed"]["appearance"]
    browser.set_window_size(390, 844)
    _shot(browser, "clarification-public-390")


def test_the_partners_done_work_is_shown_on_the_action_and_its_editor_moves_it(browser, live_server, people):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    from municipia.governance.choices import TaskStatus
    from municipia.governance.tests.factories import BodyFactory, TaskFactory
    from municipia.organizations.tests.factories import PartnerFactory
    from municipia.partnerships.tests.factories import AgreementFactory, CommitmentFactory
    from municipia.strategy.choices import ActionStatus, PartnerRole
    from municipia.strategy.tests.factories import ActionFactory, ActionPartnerFactory, ObjectiveFactory, PlanFactory

    council, _users = people
    partner = PartnerFactory(name_en="IAB Bulgaria", slug="iab-bulgaria")
    plan = PlanFactory(owner=council, slug="sofia-plan")
    action = ActionFactory(
        objective=ObjectiveFactory(axis__plan=plan),
        title_en="Quantitative study of citizens' expectations",
        status=ActionStatus.IN_PROGRESS,
        progress=50,
    )
    ActionPartnerFactory(action=action, organization=partner, role=PartnerRole.LEAD)
    task = TaskFactory(body=BodyFactory(plan=plan), title_en="Deliver the quantitative study", status=TaskStatus.DONE)
    agreement = AgreementFactory(owner=council, parties=[partner], signed_on=dt.date(2022, 7, 26))
    commitment = CommitmentFactory(agreement=agreement, party=partner, deliverable_en="Quantitative study")
    commitment.actions.add(action)
    commitment.tasks.add(task)

    wait = page_wait(browser)
    _sign_in(browser, live_server.url, "officer", action.get_absolute_url())
    wait.until(ec.url_contains(action.get_absolute_url()))
    partners = browser.find_element(By.ID, "partners").text
    assert "IAB Bulgaria" in partners and "Lead" in partners
    assert "has not moved" in browser.find_element(By.ID, "commitments").text
    _shot(browser, "action-stalled")
    browser.find_element(By.CSS_SELECTOR, "#commitments form button[type=submit]").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "action-progress"), "100 %"))
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED and action.progress == 100
    assert "has not moved" not in browser.find_element(By.ID, "commitments").text
