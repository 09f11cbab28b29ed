"""axe-core (vendored, `vendor/axe-core`) over the page templates in headless Chromium: anonymous and
signed in, in English and Bulgarian, on a desktop and a 390 px phone: no WCAG 2.1 A/AA violation.

One browser for the whole module and one data set per test keep it to a few seconds a page. The
pages of the apps beyond strategy (governance, indicators, consultations, portfolio, partnerships,
accounts) are in `more_pages`, checked anonymously and then signed in; each must answer 200 first,
so a page that 404s cannot pass by showing the error template. Also
checked in the browser: a wide table takes keyboard focus, the phone header folds behind its
button, and nothing is wider than the phone's screen.
"""

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from municipia.portal.tests.test_browser import CHROMEDRIVER, page_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN = """
var done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: WCAG_TAGS}, resultTypes: ['violations']})
  .then(function (r) { done(r.violations.map(function (v) {
    var nodes = v.nodes.slice(0, 3).map(function (n) { return n.html.slice(0, 200); });
    return v.id + ' (' + v.impact + '): ' + nodes.join(' | ');
  })); })
  .catch(function (e) { done(['axe failed: ' + e]); });
""".replace("WCAG_TAGS", json.dumps(WCAG))
# Beyond axe (which leaves both to "best practice" or manual review): every data table has a caption
# (or a name), and no two "Edit" / "Delete" / "Remove" links or buttons (English, Bulgarian) that act
# on different things share a name,
# so a screen reader's list of links tells them apart (WCAG 2.4.4 in context, 1.3.1).
NAMES_AND_CAPTIONS = """
var EDIT_WORDS = ['Edit', 'Delete', 'Remove', 'Редактиране', 'Изтриване', 'Премахване'];
var problems = [];
document.querySelectorAll('table').forEach(function (t) {
  if (!t.querySelector('th')) return;
  var caption = t.querySelector('caption');
  if (!(caption && caption.textContent.trim()) && !t.getAttribute('aria-label') && !t.getAttribute('aria-labelledby')) {
    problems.push('table without a caption: ' + t.outerHTML.slice(0, 160));
  }
});
var targets = {};
document.querySelectorAll('main a[href], main button').forEach(function (el) {
  var name = (el.getAttribute('aria-label') || el.textContent).trim().replace(/\\s+/g, ' ');
  if (EDIT_WORDS.indexOf(name) < 0) return;
  var form = el.closest('form');
  var target = el.tagName === 'A' ? el.getAttribute('href')
    : (form ? form.getAttribute('action') + '#' + el.name + el.value : '');
  (targets[name] = targets[name] || new Set()).add(target);
});
Object.keys(targets).forEach(function (name) {
  var size = targets[name].size;
  if (size > 1) problems.push('“' + name + '” names ' + size + ' different links or buttons');
});
return problems;
"""
# Each page in English on a desktop and in Bulgarian on a phone: both languages and both widths,
# at half the cost of every combination.
SETTINGS = (("en", 1280), ("bg", 390))
PASSWORD = "accessible-pass"


@pytest.fixture(scope="module")
def chromium():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium or not Path(CHROMEDRIVER).exists():
        pytest.fail("The accessibility tests need Debian's chromium and chromium-driver packages.")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="municipia-axe-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", f"--user-data-dir={profile}"):  # fmt: skip
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def site():
    """A network plan with a council taking part, an indicator, SDG alignment and an editor."""
    from municipia.organizations.tests.factories import NetworkFactory, OrganizationFactory, RoleFactory
    from municipia.strategy.tests.factories import ActionFactory, AxisFactory, ObjectiveFactory, PlanFactory

    council = OrganizationFactory(name_en="Girona", name_bg="Жирона", slug="girona")
    network = NetworkFactory(name_en="Digital network", slug="network")
    plan = PlanFactory(owner=network, title_en="Network agenda", title_bg="Мрежова програма", slug="agenda")
    axis = AxisFactory(plan=plan, code="1", title_en="Services", title_bg="Услуги")
    objective = ObjectiveFactory(axis=axis, code="1.1", title_en="Online procedures")
    actions = [ActionFactory(objective=objective, code=f"1.1.{n}", title_en=f"Procedure {n}") for n in range(1, 4)]
    actions[0].participants.add(council)
    editor = RoleFactory(organization=network, user__username="network-editor").user
    editor.set_password(PASSWORD)
    editor.save()
    return {"plan": plan, "action": actions[0], "council": council, "editor": editor}


def _violations(driver, url: str, width: int) -> list[str]:
    driver.set_window_size(width, 900)
    driver.get(url)
    driver.execute_script(AXE)
    found = [f"{url} at {width} px: {v}" for v in driver.execute_async_script(RUN)]
    found += [f"{url} at {width} px: {p}" for p in driver.execute_script(NAMES_AND_CAPTIONS)]
    if width < 600:
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 1:
            found.append(f"{url} at {width} px: the page is {overflow} px wider than the screen")
    return found


def _pages(site) -> list[str]:
    plan, action, council = site["plan"], site["action"], site["council"]
    return [
        "/",
        "/plans/",
        f"/plans/{plan.slug}/",
        "/actions/",
        f"/actions/{action.pk}/",
        "/organizations/",
        f"/organizations/{council.slug}/",
        f"/alignment/plans/{plan.slug}/coverage/",
        "/indicators/",
        "/governance/calendar/",
        "/accessibility/",
        "/open-data/",
        f"/embed/plans/{plan.slug}/",
        f"/embed/organizations/{council.slug}/",
        "/accounts/login/",
    ]


def test_public_pages_have_no_wcag_violations(chromium, live_server, site):
    problems = []
    for language, width in SETTINGS:
        for page in _pages(site):
            problems += _violations(chromium, f"{live_server.url}/{language}{page}", width)
    assert not problems, "\n".join(problems)


def test_editor_pages_have_no_wcag_violations_and_errors_take_the_focus(chromium, live_server, site):
    from selenium.webdriver.common.by import By

    chromium.set_window_size(1280, 900)
    chromium.get(f"{live_server.url}/en/accounts/login/")
    chromium.find_element(By.ID, "id_username").send_keys("network-editor")
    chromium.find_element(By.ID, "id_password").send_keys(PASSWORD)
    chromium.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    page_wait(chromium).until(lambda d: "/accounts/login/" not in d.current_url)
    action, plan = site["action"], site["plan"]
    problems = []
    for language, width in SETTINGS:
        for page in (f"/plans/{plan.slug}/", f"/actions/{action.pk}/", f"/actions/{action.pk}/edit/",
                     "/diagnosis/campaigns/new/"):  # fmt: skip
            problems += _violations(chromium, f"{live_server.url}/{language}{page}", width)
    assert not problems, "\n".join(problems)
    # An invalid form: the error summary has the focus and the title says "Error:".
    chromium.set_window_size(390, 900)
    chromium.get(f"{live_server.url}/en/actions/{action.pk}/edit/")
    progress = chromium.find_element(By.ID, "id_progress")
    progress.clear()
    progress.send_keys("250")
    chromium.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    # The click returns before the answer arrives: wait for the next page, not just any page.
    page_wait(chromium).until(lambda d: d.title.startswith("Error:"))
    assert chromium.switch_to.active_element.get_attribute("id") == "form-errors"
    chromium.execute_script(AXE)
    assert not chromium.execute_async_script(RUN)


@pytest.fixture
def more_pages(site):
    """One page of each remaining kind: governance, indicators, consultations, portfolio and
    partnerships; `public` for everyone, `signed_in` for the network's editor (who is also a person
    sitting on a body)."""
    from municipia.diagnosis.tests.factories import CampaignFactory, FindingFactory, build_questionnaire
    from municipia.governance.tests.factories import (
        AgendaItemFactory,
        BodyFactory,
        BodyMemberFactory,
        DecisionFactory,
        MeetingFactory,
        TaskFactory,
    )
    from municipia.indicators.tests.factories import IndicatorFactory, ObservationFactory, TargetFactory
    from municipia.organizations.tests.factories import PersonFactory
    from municipia.partnerships.tests.factories import (
        AgreementFactory,
        ClarificationFactory,
        CommitmentFactory,
        NewsPostFactory,
        SignatoryFactory,
    )
    from municipia.portfolio.tests.factories import BudgetLineFactory, ProposalFactory, ScenarioFactory

    plan, action, council, editor = site["plan"], site["action"], site["council"], site["editor"]
    network = plan.owner
    person = PersonFactory(full_name="Laia Puig", organization=network, user=editor)
    body = BodyFactory(plan=plan, name_en="Steering committee", name_bg="Управителен комитет")
    BodyMemberFactory(body=body, person=person)
    meeting = MeetingFactory(body=body, title_en="Kick-off")
    DecisionFactory(body=body, meeting=meeting, text_en="The plan is approved.")
    TaskFactory(body=body, owner=person, title_en="Draft the call")
    AgendaItemFactory(meeting=meeting, title_en="Welcome")
    indicator = IndicatorFactory(owner_organization=council, name_en="Online procedures", name_bg="Онлайн услуги")
    ObservationFactory(indicator=indicator, organization=council)
    TargetFactory(indicator=indicator)
    campaign = CampaignFactory(questionnaire=build_questionnaire(owner=network), owner=network, results_public=True)
    proposal = ProposalFactory(axis=action.objective.axis, proposing_council=council, title_en="Shared register")
    scenario = ScenarioFactory(plan=plan, title="Lean year")
    FindingFactory(plan=plan, title_en="Paper forms")
    source = BudgetLineFactory(action=action).source
    agreement = AgreementFactory(owner=network, title_en="Memorandum of understanding")
    SignatoryFactory(agreement=agreement)
    CommitmentFactory(agreement=agreement)
    clarification = ClarificationFactory(publisher=network)
    news = NewsPostFactory(organization=network, title_en="The network meets")
    public = [
        f"/indicators/plans/{plan.slug}/dashboard/",
        f"/indicators/{indicator.pk}/",
        f"/governance/plans/{plan.slug}/",
        f"/governance/bodies/{body.pk}/",
        f"/governance/meetings/{meeting.pk}/",
        "/search/?q=procedure",
        "/consultations/",
        f"/surveys/{campaign.slug}/",
        f"/surveys/{campaign.slug}/results/",
        f"/portfolio/plans/{plan.slug}/",
        f"/portfolio/plans/{plan.slug}/budget/",
        f"/portfolio/plans/{plan.slug}/timeline/",
        "/partnerships/agreements/",
        f"/partnerships/agreements/{agreement.slug}/",
        "/partnerships/news/",
        f"/partnerships/news/{news.slug}/",
        "/partnerships/clarifications/",
        f"/partnerships/clarifications/{clarification.slug}/",
        "/partnerships/news/subscribe/",
        f"/portfolio/plans/{plan.slug}/sources/",
        f"/portfolio/plans/{plan.slug}/ranking/",
        f"/plans/{plan.slug}/changes/",
        f"/alignment/plans/{plan.slug}/",
        "/alignment/frameworks/",
        f"/diagnosis/plans/{plan.slug}/findings/",
        f"/portfolio/sources/{source.pk}/",
        f"/surveys/{campaign.slug}/thanks/",
        f"/alignment/networks/{network.slug}/coverage/",
        "/accounts/password/reset/",
    ]
    signed_in = [  # a private profile and a submitted proposal are for signed-in readers
        f"/organizations/people/{person.pk}/",
        f"/portfolio/proposals/{proposal.pk}/",
        "/governance/me/",
        "/my-work/",
        f"/portfolio/plans/{plan.slug}/scenarios/",
        f"/portfolio/scenarios/{scenario.pk}/",
        f"/plans/{plan.slug}/progress-update/",
        "/accounts/tokens/",
        "/accounts/",
        "/accounts/password/change/",
        "/accounts/two-factor/setup/",
        "/diagnosis/",
        f"/diagnosis/campaigns/{campaign.slug}/",
        f"/diagnosis/results/campaigns/{campaign.slug}/",
        f"/diagnosis/questionnaires/{campaign.questionnaire_id}/",
        f"/portfolio/plans/{plan.slug}/evaluation/",
        f"/plans/{plan.slug}/history/",
        f"/governance/bodies/{body.pk}/members/new/",
        f"/governance/meetings/{meeting.pk}/minutes/",
        f"/governance/meetings/{meeting.pk}/attendance/",
        f"/portfolio/plans/{plan.slug}/proposals/new/",
        f"/partnerships/agreements/{agreement.slug}/commitments/new/",
        f"/governance/bodies/{body.pk}/edit/",
        f"/governance/meetings/{meeting.pk}/delete/",
        f"/organizations/{network.slug}/edit/",
        "/indicators/import/",
        f"/portfolio/plans/{plan.slug}/execution/import/",
        f"/plans/{plan.slug}/status/",
        f"/diagnosis/plans/{plan.slug}/report/",
        f"/indicators/{indicator.pk}/benchmark/{network.slug}/",
    ]
    return {"public": public, "signed_in": signed_in}


def _check(driver, client, base: str, pages: list[str]) -> list[str]:
    problems = []
    for page in pages:
        status = client.get(f"/en{page}").status_code
        if status != 200:  # an error page would pass axe and prove nothing about the template
            problems.append(f"{page}: answered {status}")
            continue
        for language, width in SETTINGS:
            problems += _violations(driver, f"{base}/{language}{page}", width)
    return problems


def _sign_in(driver, base: str) -> None:
    from selenium.webdriver.common.by import By

    driver.set_window_size(1280, 900)
    driver.get(f"{base}/en/accounts/login/")
    driver.find_element(By.ID, "id_username").send_keys("network-editor")
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    page_wait(driver).until(lambda d: "/accounts/login/" not in d.current_url)


def test_every_other_page_template_has_no_wcag_violations(chromium, live_server, site, more_pages, client):
    """The governance, indicator, consultation, portfolio and partnership pages, and the signed-in
    pages (my governance, my work, scenarios, the bulk progress update, the API tokens): anonymous
    and then signed in."""
    chromium.delete_all_cookies()
    problems = _check(chromium, client, live_server.url, more_pages["public"])
    client.force_login(site["editor"])
    _sign_in(chromium, live_server.url)
    problems += _check(chromium, client, live_server.url, more_pages["public"] + more_pages["signed_in"])
    assert not problems, "\n".join(problems)


def test_phone_header_folds_and_wide_tables_take_the_keyboard(chromium, live_server, site):
    from selenium.webdriver.common.by import By

    chromium.set_window_size(390, 900)
    chromium.get(f"{live_server.url}/bg/alignment/plans/{site['plan'].slug}/coverage/")
    button = chromium.find_element(By.CSS_SELECTOR, ".menu-toggle")
    assert button.is_displayed() and button.get_attribute("aria-expanded") == "false"
    assert not chromium.find_element(By.ID, "site-menu").is_displayed()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert chromium.find_element(By.ID, "site-menu").is_displayed()
    matrix = chromium.find_element(By.CSS_SELECTOR, ".matrix-wrap")
    assert matrix.get_attribute("tabindex") == "0" and matrix.get_attribute("role") == "region"
    # Every scrolling table box is focusable and named.
    unreachable = chromium.execute_script(
        "return [...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1"
        " && (w.getAttribute('tabindex') !== '0'"
        " || !(w.getAttribute('aria-label') || w.getAttribute('aria-labelledby'))))"
        ".length"
    )
    assert unreachable == 0
    chromium.set_window_size(1280, 900)
    chromium.get(f"{live_server.url}/en/")
    assert not chromium.find_element(By.CSS_SELECTOR, ".menu-toggle").is_displayed()
    assert chromium.find_element(By.ID, "site-menu").is_displayed()
