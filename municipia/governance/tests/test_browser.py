"""End to end in a real headless Chromium: a body's secretary drafts minutes, records a decision and adds a task."""

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from municipia.portal.tests.test_browser import page_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMEDRIVER = "/usr/bin/chromedriver"
TIMEOUT = 15
PASSWORD = "secretary-pass-1"
MADRID = ZoneInfo("Europe/Madrid")


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
def past_meeting():
    """A coordination group of an open plan, its secretary (who can sign in), a member and a past meeting."""
    from municipia.governance.choices import BodyKind, MemberRole
    from municipia.governance.tests.factories import BodyFactory, BodyMemberFactory, MeetingFactory
    from municipia.organizations.tests.factories import OrganizationFactory, PersonFactory, UserFactory
    from municipia.strategy.choices import PlanStatus
    from municipia.strategy.tests.factories import PlanFactory

    council = OrganizationFactory(name_en="Tremp")
    plan = PlanFactory(
        owner=council,
        status=PlanStatus.IN_EXECUTION,
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2027, 12, 31),
    )
    body = BodyFactory(plan=plan, kind=BodyKind.COORDINATION_GROUP, name_en="Axis 1 coordination group")
    secretary = UserFactory(username="secretary", password=PASSWORD)
    BodyMemberFactory(body=body, person=PersonFactory(full_name="Laia Puig", user=secretary), role=MemberRole.SECRETARY)
    member = BodyMemberFactory(body=body, person=PersonFactory(full_name="Jordi Vila", organization=council))
    meeting = MeetingFactory(
        body=body, title_en="Kick-off meeting", starts_at=dt.datetime(2023, 5, 30, 17, 0, tzinfo=MADRID)
    )
    return {"meeting": meeting, "member": member.person, "username": secretary.username}


def test_secretary_drafts_minutes_records_a_decision_and_adds_a_task(browser, live_server, past_meeting):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select

    wait = page_wait(browser)
    meeting = past_meeting["meeting"]
    page_path = f"/en/governance/meetings/{meeting.pk}/"

    browser.get(f"{live_server.url}/en/accounts/login/?next={page_path}")
    browser.find_element(By.ID, "id_username").send_keys(past_meeting["username"])
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait.until(ec.url_contains(page_path))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Kick-off meeting"

    # Minutes: a draft first.
    browser.find_element(By.ID, "id_minutes").send_keys("The group agreed to start the pilot in Tremp.")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/minutes/'] button[type=submit]").click()
    wait.until(ec.url_contains("#minutes"))
    minutes = browser.find_element(By.ID, "minutes")
    assert "The group agreed to start the pilot in Tremp." in minutes.text
    assert "Draft" in minutes.text

    # A decision taken at this meeting (the form is open while there is none).
    browser.find_element(By.ID, "id_decision-text_en").send_keys("Start the pilot in Tremp.")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/decisions/new/'] button[type=submit]").click()
    wait.until(ec.url_contains("#decisions"))
    decisions = browser.find_element(By.ID, "decisions")
    assert "No. 1" in decisions.text and "Start the pilot in Tremp." in decisions.text

    # A follow-up task for a member, linked to that decision.
    tasks = browser.find_element(By.ID, "tasks")
    summary = tasks.find_element(By.TAG_NAME, "summary")
    if tasks.find_element(By.TAG_NAME, "details").get_attribute("open") is None:
        summary.click()
    browser.find_element(By.ID, "id_task-title_en").send_keys("Prepare the pilot's budget")
    Select(browser.find_element(By.ID, "id_task-owner")).select_by_visible_text(
        f"{past_meeting['member'].full_name} (Tremp)"
    )
    due = browser.find_element(By.ID, "id_task-due_date")
    browser.execute_script("arguments[0].value = '2023-07-15';", due)
    Select(browser.find_element(By.ID, "id_task-decision")).select_by_index(1)
    browser.find_element(By.CSS_SELECTOR, "form[action$='/tasks/new/'] button[type=submit]").click()
    wait.until(ec.url_contains("#tasks"))

    tasks = browser.find_element(By.ID, "tasks")
    assert "Prepare the pilot's budget" in tasks.text
    assert "Jordi Vila" in tasks.text
    assert "The group agreed to start the pilot in Tremp." in browser.find_element(By.ID, "minutes").text
    assert "Start the pilot in Tremp." in browser.find_element(By.ID, "decisions").text
