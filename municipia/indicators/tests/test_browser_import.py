"""End to end in headless Chromium: an indicator editor imports a CSV and sees the plan dashboard change.

The editor of a council notes on the dashboard of the council's plan that its indicator has no
value (nothing off track), uploads a CSV with one value well short of the trajectory, checks the
preview, imports it, and finds the dashboard counting one value off track, naming the indicator.
"""

import datetime as dt
from decimal import Decimal

import pytest

from municipia.portal.tests.test_browser import TIMEOUT, browser, page_wait  # noqa: F401 - the Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "indicator-editor-pass-1"


@pytest.fixture
def monitored_plan():
    """A published plan of Tremp whose objective is measured by one indicator with a baseline and a target."""
    from municipia.indicators.tests.factories import BaselineFactory, IndicatorFactory, TargetFactory
    from municipia.organizations.tests.factories import OrganizationFactory, RoleFactory
    from municipia.strategy.tests.factories import ActionFactory, AxisFactory, ObjectiveFactory, PlanFactory

    today = dt.date.today()
    council = OrganizationFactory(name_en="Ajuntament de Tremp", slug="tremp", official_code="25221")
    editor = RoleFactory(organization=council, user__username="indicator-editor").user
    editor.set_password(PASSWORD)
    editor.save()
    plan = PlanFactory(owner=council, is_published=True, title_en="Tremp digital plan", slug="tremp-digital")
    objective = ObjectiveFactory(axis=AxisFactory(plan=plan, code="1"), code="1.1")
    ActionFactory(objective=objective, code="1.1.1")
    indicator = IndicatorFactory(
        owner_organization=council, code="TRP-01", name_en="Procedures available online", unit="%"
    )
    indicator.objectives.add(objective)
    # From 20 % two years ago to 80 % in two years' time: about 50 % is expected by now.
    BaselineFactory(indicator=indicator, date=today - dt.timedelta(days=730), value=Decimal("20"))
    TargetFactory(indicator=indicator, year=today.year + 2, value=Decimal("80"))
    return {"plan": plan, "indicator": indicator, "value_date": today - dt.timedelta(days=30)}


def _summary_count(driver, label: str) -> str:
    """The number shown next to `label` in the dashboard's "plan at a glance" list."""
    from selenium.webdriver.common.by import By

    for item in driver.find_elements(By.CSS_SELECTOR, "main ul.summary-counts li"):
        if item.find_element(By.TAG_NAME, "span").text.strip() == label:
            return item.find_element(By.TAG_NAME, "strong").text.strip()
    raise AssertionError(f"No {label!r} on the dashboard")


def _indicator_row(driver, code: str) -> str:
    from selenium.webdriver.common.by import By

    section = driver.find_element(By.ID, "indicators-heading").find_element(By.XPATH, "..")
    for row in section.find_elements(By.CSS_SELECTOR, "table tbody tr"):
        if code in row.text:
            return row.text
    raise AssertionError(f"No row of {code} in the dashboard's indicators")


def _choose_file(driver, wait, path: str) -> None:
    """Puts `path` into the upload's file field, again if Chromium answers while it is still
    swapping the page in ("Node with given id does not belong to the document")."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By

    def attempt(d) -> bool:
        try:
            d.find_element(By.ID, "id_file").send_keys(path)
        except StaleElementReferenceException:
            return False
        except WebDriverException as error:
            if "does not belong to the document" not in str(error):
                raise
            return False
        return True

    wait.until(attempt)


def test_editor_imports_a_csv_and_the_dashboard_shows_the_value_off_track(
    browser,  # noqa: F811
    live_server,
    monitored_plan,
    tmp_path,
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    wait = page_wait(browser)
    plan, indicator = monitored_plan["plan"], monitored_plan["indicator"]
    dashboard = f"{live_server.url}/en/indicators/plans/{plan.slug}/dashboard/"

    browser.get(f"{live_server.url}/en/accounts/login/?next=/en/indicators/plans/{plan.slug}/dashboard/")
    browser.find_element(By.ID, "id_username").send_keys("indicator-editor")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait.until(ec.url_to_be(dashboard))

    # Before: the indicator has no value, so nothing is off track.
    assert browser.find_element(By.TAG_NAME, "h1").text == "Dashboard: Tremp digital plan"
    assert _summary_count(browser, "Indicator values off track") == "0"
    assert "No indicator value is off track." in browser.find_element(By.TAG_NAME, "main").text
    # Columns: on track, at risk, off track, no target, no data, stale.
    assert _indicator_row(browser, "TRP-01").split()[-6:] == ["0", "0", "0", "0", "1", "0"]

    # Upload a CSV: the council by its official code, a value far short of the trajectory.
    csv_file = tmp_path / "tremp-values.csv"
    csv_file.write_text(
        "indicator,organization,date,value,source,note\n"
        f'TRP-01,25221,{monitored_plan["value_date"].isoformat()},"21,5",Padró digital,\n',
        encoding="utf-8",
    )
    browser.get(f"{live_server.url}/en/indicators/import/")
    _choose_file(browser, wait, str(csv_file))
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()

    # The preview shows what will be imported; nothing is saved yet.
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Check the import"))
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Ready to import" in main
    assert "tremp-values.csv" in main
    assert "Ajuntament de Tremp" in main and "21.5" in main
    assert indicator.observations.count() == 0
    preview = browser.find_element(By.TAG_NAME, "main")
    browser.find_element(By.XPATH, "//main//button[normalize-space()='Import 1 value']").click()
    wait.until(ec.staleness_of(preview))
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "main"), "1 observation imported (0 replaced)."))

    # After: the dashboard counts the value off track and names the indicator and the council.
    browser.get(dashboard)
    assert _summary_count(browser, "Indicator values off track") == "1"
    assert _indicator_row(browser, "TRP-01").split()[-6:] == ["0", "0", "1", "0", "0", "0"]
    off_track = browser.find_element(By.ID, "off-track").find_element(By.XPATH, "following-sibling::div[1]").text
    assert "TRP-01 Procedures available online" in off_track
    assert "Ajuntament de Tremp" in off_track
    assert "21.5 %" in off_track
    assert "No indicator value is off track." not in browser.find_element(By.TAG_NAME, "main").text
