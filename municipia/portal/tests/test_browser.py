"""End to end in a real headless Chromium: read a plan, switch language, edit an action as an editor."""

import shutil
import tempfile
from io import StringIO
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMEDRIVER = "/usr/bin/chromedriver"
TIMEOUT = 15


def page_wait(driver, timeout: float = TIMEOUT):
    """A WebDriverWait that keeps waiting while Chromium swaps the next page in.

    Between a form's submission and the next page, Chromium may answer a look-up with "Node with
    given id does not belong to the document" (an element of the page being replaced): the
    condition is simply not met yet. Any other error still fails the test at once.
    """
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    class PageWait(WebDriverWait):
        def until(self, method, message=""):
            def tolerant(d):
                try:
                    return method(d)
                except WebDriverException as error:
                    if "does not belong to the document" not in str(error):
                        raise
                    return False

            return super().until(tolerant, message)

    return PageWait(driver, timeout)


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
    """The demo itself (`load_demo`) on the reference lists of Catalonia, Jerez and Sofia."""
    from django.core.management import call_command

    from municipia.organizations.loaders import load_records, read_bulgarian, read_spanish
    from municipia.strategy.demo import PASSWORD
    from municipia.strategy.models import Plan

    records = [r for r in read_spanish() if r.values["region_code"] == "09" or r.values["official_code"] == "11020"]
    records += [r for r in read_bulgarian() if r.values["official_code"] == "SOF46"]
    load_records(records)
    call_command("load_demo", stdout=StringIO())
    plan = Plan.objects.get(slug="agenda-digital-dels-municipis-de-catalunya")
    action = plan.actions.order_by("code").first()
    return {"plan": plan, "action": action, "username": "coordinator-catalunya", "password": PASSWORD}


def test_visitor_switches_language_and_editor_updates_action_progress(browser, live_server, demo):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    wait = page_wait(browser)
    plan, action = demo["plan"], demo["action"]

    browser.get(f"{live_server.url}/en/plans/{plan.slug}/")
    assert browser.find_element(By.TAG_NAME, "h1").text == plan.title_en

    # The switcher is a row of links to the same page in each language.
    browser.find_element(By.CSS_SELECTOR, '.languages a[lang="ca"]').click()
    wait.until(ec.url_contains(f"/ca/plans/{plan.slug}/"))
    assert browser.find_element(By.TAG_NAME, "h1").text == plan.title_ca != plan.title_en
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
