"""End to end in headless Chromium: a citizen answers a public campaign on a phone in Catalan,
page by page (the conditional question appears because of an earlier answer), then the
campaign's owner sees the response counted.

Set DIAGNOSIS_SHOTS_DIR to keep screenshots of the answering page (phone and desktop, Catalan
and English).
"""

import os
from pathlib import Path

import pytest

from municipia.portal.tests.test_browser import TIMEOUT, browser, page_wait  # noqa: F401 - the Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign():
    from municipia.diagnosis import services
    from municipia.diagnosis.loaders import load_questionnaire_templates
    from municipia.diagnosis.models import Questionnaire
    from municipia.organizations.tests.factories import OrganizationFactory, RoleFactory

    load_questionnaire_templates()
    council = OrganizationFactory(name_en="Ajuntament de Tremp", slug="tremp")
    editor = RoleFactory(organization=council, user__username="analyst")
    editor.user.set_password("analyst-pass")
    editor.user.save()
    template = Questionnaire.objects.get(template_key="citizens-digital-services")
    questionnaire = services.questionnaire_copy(acting_user=None, source=template, owner=council)
    campaign = services.campaign_create(
        acting_user=None,
        owner=council,
        questionnaire=questionnaire,
        data={
            "title_en": "Digital services survey",
            "title_ca": "Enquesta sobre els serveis digitals",
            "description_ca": "Ens ajudeu a millorar els tràmits en línia? Són cinc minuts.",
            "description_en": "Help us improve online procedures. It takes five minutes.",
            "slug": "tremp-serveis-digitals",
        },
    )
    services.campaign_open(acting_user=None, campaign=campaign)
    return campaign


def _shot(driver, name):
    folder = os.environ.get("DIAGNOSIS_SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        # The whole page, not only the first screen.
        height = driver.execute_script("return document.documentElement.scrollHeight")
        width = driver.get_window_size()["width"]
        driver.set_window_size(width, max(height + 120, 600))
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def test_citizen_answers_on_a_phone_in_catalan_and_the_owner_sees_it(browser, live_server, campaign):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select

    from municipia.diagnosis.models import Answer, Response

    wait = page_wait(browser)
    url = f"{live_server.url}/ca/surveys/{campaign.slug}/"

    if os.environ.get("DIAGNOSIS_SHOTS_DIR"):
        browser.set_window_size(1280, 900)
        browser.get(f"{live_server.url}/en/surveys/{campaign.slug}/")
        _shot(browser, "desktop-en-page1")
        browser.set_window_size(1280, 900)
        browser.get(url)
        _shot(browser, "desktop-ca-page1")
        browser.set_window_size(390, 844)
        browser.get(f"{live_server.url}/en/surveys/{campaign.slug}/")
        _shot(browser, "phone-en-page1")

    browser.set_window_size(390, 844)
    browser.get(url)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ca"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Enquesta sobre els serveis digitals"
    # Nothing overflows sideways on a phone.
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    _shot(browser, "phone-ca-page1")
    browser.set_window_size(390, 844)

    # Leaving the page without the required answers: an error summary with links to the fields.
    browser.find_element(By.CSS_SELECTOR, "button[value=next]").click()
    summary = wait.until(ec.visibility_of_element_located((By.ID, "form-errors")))
    assert summary.find_element(By.CSS_SELECTOR, "a[href='#q-age_band']")
    _shot(browser, "phone-ca-errors")
    browser.set_window_size(390, 844)

    browser.find_element(By.CSS_SELECTOR, "label[for='q-age_band-30-44']").click()
    browser.find_element(By.CSS_SELECTOR, "label[for='q-sex-female']").click()
    browser.find_element(By.CSS_SELECTOR, "label[for='q-district-north']").click()
    browser.find_element(By.CSS_SELECTOR, "button[value=next]").click()

    wait.until(ec.presence_of_element_located((By.ID, "q-used_online")))
    browser.find_element(By.CSS_SELECTOR, "label[for='q-used_online-no']").click()
    browser.find_element(By.CSS_SELECTOR, "label[for='q-channels-phone']").click()
    browser.find_element(By.ID, "q-frequency").send_keys("4")
    browser.find_element(By.CSS_SELECTOR, "button[value=next]").click()

    # "What stopped you" appears because the previous page said "no".
    wait.until(ec.presence_of_element_located((By.ID, "q-barriers")))
    browser.find_element(By.CSS_SELECTOR, "label[for='q-satisfaction-2']").click()
    browser.find_element(By.CSS_SELECTOR, "label[for='q-barriers-skills']").click()
    browser.find_element(By.CSS_SELECTOR, "label[for='q-services-taxes-hard']").click()
    _shot(browser, "phone-ca-page3")
    browser.set_window_size(390, 844)
    browser.find_element(By.CSS_SELECTOR, "button[value=next]").click()

    wait.until(ec.presence_of_element_located((By.ID, "q-priorities")))
    Select(browser.find_element(By.ID, "q-priorities-help")).select_by_value("1")
    Select(browser.find_element(By.ID, "q-priorities-simpler")).select_by_value("2")
    browser.find_element(By.ID, "q-suggestions").send_keys("Ajuda presencial per fer tràmits")
    browser.find_element(By.CSS_SELECTOR, "button[value=submit]").click()
    wait.until(ec.url_contains("/thanks/"))

    response = Response.objects.get(campaign=campaign)
    assert response.language == "ca" and response.user_id is None and response.invitation_id is None
    assert Answer.objects.get(response=response, question__code="suggestions").value_text.startswith("Ajuda")
    assert Answer.objects.filter(response=response, question__code="barriers", option__code="skills").exists()

    # The owner's analyst signs in and sees the response counted.
    browser.set_window_size(1280, 900)
    browser.get(f"{live_server.url}/ca/accounts/login/?next=/ca/diagnosis/campaigns/{campaign.slug}/")
    browser.find_element(By.NAME, "username").send_keys("analyst")
    browser.find_element(By.NAME, "password").send_keys("analyst-pass")
    browser.find_element(By.CSS_SELECTOR, "main form [type=submit]").click()
    count = wait.until(ec.presence_of_element_located((By.ID, "response-count")))
    assert count.text == "1"
