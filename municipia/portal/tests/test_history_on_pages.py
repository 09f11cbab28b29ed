"""History (who, when, before → after) on the pages of meetings (with their decisions and tasks),
indicators (with their baselines, targets and imports) and campaigns, for their editors only."""

import pytest
from django.urls import reverse

from municipia.diagnosis.tests.factories import CampaignFactory
from municipia.governance.tests.factories import DecisionFactory, MeetingFactory, TaskFactory
from municipia.indicators.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def changed_by(obj, user, **fields):
    """Saves a change as `user` did (the services record the acting user the same way)."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj.save()


def history_section(html: str) -> str:
    return html.split('id="history-heading"', 1)[1] if 'id="history-heading"' in html else ""


def test_meeting_page_shows_changes_of_the_meeting_its_decisions_and_tasks(client, site_admin):
    meeting = MeetingFactory()
    meeting.body.plan.is_published = True
    meeting.body.plan.save()
    decision = DecisionFactory(body=meeting.body, meeting=meeting)
    task = TaskFactory(body=meeting.body, meeting=meeting)
    changed_by(meeting, site_admin, title_en="Kick-off, rescheduled")
    changed_by(decision, site_admin, text_en="Adopt the shared catalogue")
    changed_by(task, site_admin, title_en="Draft the catalogue")
    client.force_login(site_admin)
    section = history_section(client.get(reverse("governance:meeting-detail", args=[meeting.pk])).content.decode())
    assert "Kick-off, rescheduled" in section
    assert "Adopt the shared catalogue" in section and "Draft the catalogue" in section
    assert "root" in section
    client.logout()
    assert history_section(client.get(reverse("governance:meeting-detail", args=[meeting.pk])).content.decode()) == ""


def test_indicator_and_campaign_pages_show_their_history_to_editors(client, site_admin):
    indicator = IndicatorFactory(is_public=True)
    changed_by(indicator, site_admin, name_en="Procedures online, renamed")
    campaign = CampaignFactory()
    changed_by(campaign, site_admin, title_en="Residents' survey 2026")
    client.force_login(site_admin)
    page = client.get(reverse("indicators:indicator-detail", args=[indicator.pk])).content.decode()
    assert "Procedures online, renamed" in history_section(page)
    page = client.get(reverse("diagnosis:campaign-detail", args=[campaign.slug])).content.decode()
    assert "Residents&#x27; survey 2026" in history_section(page) or "Residents' survey 2026" in history_section(page)
    client.logout()
    page = client.get(reverse("indicators:indicator-detail", args=[indicator.pk])).content.decode()
    assert history_section(page) == ""
