"""End to end in a real headless Chromium: read a plan, switch language, edit an action as an editor."""

import shutil
import tempfile
from pathlib import Path

import pytest

from municipia.organizations.choices import RoleKind
from municipia.organizations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)
from municipia.strategy.choices import PlanStatus
from municipia.strategy.tests.factories import ActionFactory, AxisFactory, ObjectiveFactory, PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMEDRIVER = "/usr/bin/chromedriver"
TIMEOUT = 15


@pytest.fixture
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium or not Path(CHROMEDRIVER).exists():
        pytest.fail(
            "The browser test needs Debian's chromium and chromium-driver packages "
            f"(chromium found: {chromium!r}, {CHROMEDRIVER} exists: {Path(CHROMEDRIVER).exists()}). "
            "Install them with: apt-get install chromium chromium-driver"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="municipia-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def demo():
    """A small copy of the demo: the Catalan network's agenda with one action, and its coordinator."""
    network = NetworkFactory(name_en="Network of Catalan municipalities", slug="xarxa")
    for name in ("Barcelona", "Tremp"):
        NetworkMembershipFactory(network=network, member=OrganizationFactory(name_en=name))
    plan = PlanFactory(
        owner=network,
        slug="agenda-digital",
        title_en="Digital agenda of the municipalities of Catalonia",
        title_ca="Agenda digital dels municipis de Catalunya",
        status=PlanStatus.IN_EXECUTION,
    )
    objective = ObjectiveFactory(axis=AxisFactory(plan=plan, code="1", title_en="Smart administration"), code="1.1")
    action = ActionFactory(objective=objective, code="1.1.1", title_en="Shared e-government platform", progress=40)
    coordinator = UserFactory(username="coordinator")
    RoleFactory(user=coordinator, organization=network, kind=RoleKind.COORDINATOR)
    return {"plan": plan, "action": action, "username": "coordinator", "password": "pass-for-tests"}


def test_visitor_switches_language_and_editor_updates_action_progress(browser, live_server, demo):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, TIMEOUT)
    plan, action = demo["plan"], demo["action"]

    browser.get(f"{live_server.url}/en/plans/{plan.slug}/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Digital agenda of the municipalities of Catalonia"

    # The switcher is a row of buttons, each a form posting to set_language.
    browser.find_element(By.CSS_SELECTOR, '.languages a[lang="ca"]').click()
    wait.until(ec.url_contains(f"/ca/plans/{plan.slug}/"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Agenda digital dels municipis de Catalunya"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ca"

    browser.get(f"{live_server.url}/en/accounts/login/?next=/en/actions/{action.pk}/edit/")
    browser.find_element(By.ID, "id_username").send_keys(demo["username"])
    browser.find_element(By.ID, "id_password").send_keys(demo["password"])
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait.until(ec.url_contains(f"/actions/{action.pk}/edit/"))

    progress = browser.find_element(By.ID, "id_progress")
    progress.clear()
    progress.send_keys("85")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait.until(ec.url_matches(rf"/en/actions/{action.pk}/$"))

    shown = browser.find_element(By.CSS_SELECTOR, "#action-progress progress")
    assert shown.get_attribute("value") == "85"
    assert "85 %" in browser.find_element(By.ID, "action-progress").text
