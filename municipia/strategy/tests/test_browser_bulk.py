"""End to end in headless Chromium: the editor of a network's member council (not the network's
coordinator) opens "My work", updates the three actions its department owns from a file, and finds
the plan page and the dashboard counting the same computed statuses.

Screenshots of each step (desktop and 390 px, English and Catalan) go to $SCREENSHOTS when set.
"""

import datetime as dt
import os
import re

import pytest

from municipia.portal.tests.test_browser import TIMEOUT, browser, page_wait  # noqa: F401 - the Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "network-editor-pass-1"


@pytest.fixture
def network_plan():
    from municipia.organizations.models import NetworkMembership
    from municipia.organizations.tests.factories import DepartmentFactory, OrganizationFactory, RoleFactory
    from municipia.strategy.tests.factories import ActionFactory, AxisFactory, ObjectiveFactory, PlanFactory

    today = dt.date.today()
    network = OrganizationFactory(name_en="Xarxa Agenda Digital", slug="xarxa", kind="network")
    tremp, vic = (OrganizationFactory(name_en=name) for name in ("Tremp", "Vic"))
    for member in (tremp, vic):
        NetworkMembership.objects.create(network=network, member=member)
    # Tremp's editor: a member council's, with no role on the network itself.
    editor = RoleFactory(organization=tremp, user__username="network-editor").user
    editor.set_password(PASSWORD)
    editor.save()
    plan = PlanFactory(
        owner=network,
        title_en="Shared digital agenda",
        slug="shared-agenda",
        period_start=today - dt.timedelta(days=900),
        period_end=today + dt.timedelta(days=900),
    )
    objective = ObjectiveFactory(axis=AxisFactory(plan=plan, code="1", title_en="Smart administration"), code="1.1")
    late = {"start_date": today - dt.timedelta(days=400), "end_date": today - dt.timedelta(days=5), "progress": 40}
    department = DepartmentFactory(organization=tremp, name_en="Digital services")
    for i in (1, 2, 3):
        ActionFactory(
            objective=objective,
            code=f"1.1.{i}",
            title_en=f"Late action {i}",
            status="in_progress",
            owner_department=department,
            **late,
        )
    ActionFactory(
        objective=objective,
        code="1.1.4",
        title_en="Action on track",
        status="in_progress",
        start_date=today - dt.timedelta(days=10),
        end_date=today + dt.timedelta(days=300),
        progress=5,
    )
    # Vic's late action: not Tremp's to report on, so not in its editor's "My work".
    ActionFactory(
        objective=objective,
        code="1.1.5",
        title_en="Vic's late action",
        status="in_progress",
        owner_department=DepartmentFactory(organization=vic),
        **late,
    )
    return plan


def _counts(driver, selector: str) -> dict[str, str]:
    from selenium.webdriver.common.by import By

    found = {}
    for badge in driver.find_elements(By.CSS_SELECTOR, selector):
        status = re.search(r"health-(\w+)", badge.get_attribute("class")).group(1)
        found[status] = badge.find_element(By.XPATH, "following-sibling::*[1]").text.strip()
    return {status: n for status, n in found.items() if n != "0"}


def _shoot(driver, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    for width, label in ((1280, "desktop"), (390, "phone")):
        driver.set_window_size(width, 900)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(height, 4000))
        driver.save_screenshot(os.path.join(folder, f"{name}-{label}.png"))
    driver.set_window_size(1280, 900)


def test_network_editor_bulk_updates_three_actions_and_page_and_dashboard_agree(
    browser,  # noqa: F811
    live_server,
    network_plan,
    tmp_path,
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    from municipia.strategy.models import Action

    wait = page_wait(browser)
    plan = network_plan
    browser.get(f"{live_server.url}/en/accounts/login/?next=/en/")
    browser.find_element(By.ID, "id_username").send_keys("network-editor")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait.until(ec.url_to_be(f"{live_server.url}/en/"))

    # "My work" from the header: the three late actions, not the one on track.
    browser.find_element(By.CSS_SELECTOR, "header a.my-work-link").click()
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "My work"))
    actions = browser.find_element(By.ID, "work-actions").text
    assert all(f"1.1.{i} Late action {i}" in actions for i in (1, 2, 3))
    assert "1.1.4" not in actions and "1.1.5" not in actions
    _shoot(browser, "my-work-en")

    # The plan's bulk update, from the link under the list; a filled template.
    browser.find_element(By.PARTIAL_LINK_TEXT, "Update the progress of Shared digital agenda").click()
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Update progress from a file"))
    filled = tmp_path / "progress.csv"
    filled.write_text(
        "code,action,progress (%),status,comment\n"
        "1.1.1,Late action 1,100,completed,Delivered in November\n"
        "1.1.2,Late action 2,100,Completed,\n"
        "1.1.3,Late action 3,100,completed,Signed off by the working group\n",
        encoding="utf-8",
    )
    browser.find_element(By.ID, "id_file").send_keys(str(filled))
    browser.find_element(By.XPATH, "//main//button[normalize-space()='Check the file']").click()
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "main"), "3 actions will change."))
    assert set(Action.objects.filter(plan=plan).values_list("progress", flat=True)) == {40, 5}  # nothing yet
    assert "network-editor" not in {u.username for u in plan.owner.roles.all()}  # not the coordinator
    _shoot(browser, "bulk-preview-en")
    browser.find_element(By.XPATH, "//main//button[normalize-space()='Apply all these changes']").click()
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "main"), "3 actions updated."))

    # The plan page (where the update lands) and the dashboard count the same statuses.
    expected = {"done": "3", "on_track": "1", "late": "1"}
    assert _counts(browser, "#plan-status-counts .badge") == expected
    _shoot(browser, "plan-en")
    browser.get(f"{live_server.url}/en/indicators/plans/{plan.slug}/dashboard/")
    table = browser.find_element(By.ID, "health-heading").find_element(By.XPATH, "..")
    rows = {
        re.search(r"health-(\w+)", row.find_element(By.CSS_SELECTOR, ".badge").get_attribute("class")).group(1): (
            row.find_element(By.CSS_SELECTOR, "td.num").text
        )
        # The first table of the section counts by status; the next lists the actions needing attention.
        for row in table.find_elements(By.CSS_SELECTOR, "table")[0].find_elements(By.CSS_SELECTOR, "tbody tr")
    }
    assert {status: n for status, n in rows.items() if n != "0"} == expected
    _shoot(browser, "dashboard-en")

    # The same figures in Catalan, in Catalan words.
    browser.get(f"{live_server.url}/ca/plans/{plan.slug}/")
    assert _counts(browser, "#plan-status-counts .badge") == expected
    assert "Feta" in browser.find_element(By.ID, "plan-status-counts").text
    _shoot(browser, "plan-ca")
    browser.get(f"{live_server.url}/ca/my-work/")
    _shoot(browser, "my-work-ca")

    # Each change is in the history, with the upload as its reason.
    record = Action.history.filter(code="1.1.3").order_by("-history_date").first()
    assert "progress.csv" in record.history_change_reason
    assert "Signed off by the working group" in record.history_change_reason
    assert record.history_user.username == "network-editor"
