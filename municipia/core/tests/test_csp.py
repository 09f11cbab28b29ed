"""Styles under the Content-Security-Policy: no page carries a `style` attribute or a <style>
element, so the policy allows styles from our own files only ('self', no 'unsafe-inline'),
except under the paths we do not write (the Django admin, the API documentation)."""

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# Rendered to PDF by WeasyPrint or sent by e-mail, never served to a browser as a page.
NOT_SERVED = ("/email/", "_pdf", "funding_report.html", "reports/templates/reports/")


class _InlineStyles(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')


def inline_styles(html: str) -> list[str]:
    parser = _InlineStyles()
    parser.feed(html)
    return parser.found


def test_no_served_template_has_a_style_attribute_or_element():
    offenders = []
    for path in ROOT.rglob("templates/**/*.html"):
        relative = str(path.relative_to(ROOT))
        if any(part in relative for part in NOT_SERVED) or relative.endswith("api/templates/api/redoc.html"):
            continue
        # Tags only: a code sample showing other sites an <iframe … style="border:0"> is text.
        text = path.read_text(encoding="utf-8")
        if re.search(r"<[a-zA-Z][^<>]*\sstyle=", text) or re.search(r"<style[\s>]", text):
            offenders.append(relative)
    assert offenders == []


@pytest.fixture
def site():
    from municipia.governance.tests.factories import BodyFactory, MeetingFactory, TaskFactory
    from municipia.indicators.tests.factories import IndicatorFactory, ObservationFactory
    from municipia.organizations.tests.factories import NetworkFactory, OrganizationFactory, RoleFactory
    from municipia.portfolio.tests.factories import ProposalFactory
    from municipia.strategy.tests.factories import (
        ActionFactory,
        AxisFactory,
        MilestoneFactory,
        ObjectiveFactory,
        PlanFactory,
    )

    council = OrganizationFactory(name_en="Girona", slug="girona")
    network = NetworkFactory(name_en="Digital network", slug="network")
    plan = PlanFactory(owner=network, slug="agenda", period_start=dt.date(2023, 1, 1), period_end=dt.date(2027, 12, 31))
    objective = ObjectiveFactory(axis=AxisFactory(plan=plan, code="1"), code="1.1")
    action = ActionFactory(objective=objective, code="1.1.1", progress=40, budget=1065000)
    action.participants.add(council)
    MilestoneFactory(action=action)
    indicator = IndicatorFactory(owner_organization=network)
    indicator.actions.add(action)
    ObservationFactory(indicator=indicator, organization=council)
    body = BodyFactory(plan=plan, is_public=True)
    meeting = MeetingFactory(body=body)
    TaskFactory(body=body, action=action)
    ProposalFactory(plan=plan)
    editor = RoleFactory(organization=network).user
    return {"plan": plan, "action": action, "council": council, "indicator": indicator, "body": body,
            "meeting": meeting, "editor": editor}  # fmt: skip


def _pages(site) -> list[str]:
    plan, action = site["plan"], site["action"]
    return [
        reverse("portal:home"),
        reverse("strategy:plan-list"),
        reverse("strategy:plan-detail", args=[plan.slug]),
        reverse("strategy:action-list"),
        reverse("strategy:action-detail", args=[action.pk]),
        reverse("organizations:organization-list"),
        reverse("organizations:organization-detail", args=[site["council"].slug]),
        reverse("indicators:indicator-list"),
        reverse("indicators:indicator-detail", args=[site["indicator"].pk]),
        reverse("indicators:plan-dashboard", args=[plan.slug]),
        reverse("governance:plan-bodies", args=[plan.slug]),
        reverse("governance:body-detail", args=[site["body"].pk]),
        reverse("governance:meeting-detail", args=[site["meeting"].pk]),
        reverse("governance:calendar"),
        f"/en/alignment/plans/{plan.slug}/coverage/",
        f"/en/embed/plans/{plan.slug}/",
        f"/en/embed/organizations/{site['council'].slug}/",
        reverse("portfolio:plan-portfolio", args=[plan.slug]),
        reverse("portfolio:plan-timeline", args=[plan.slug]),
    ]


def test_main_pages_have_no_inline_style_and_the_policy_allows_none(client, site):
    checked = 0
    for signed_in in (False, True):
        if signed_in:
            client.force_login(site["editor"])
        pages = _pages(site)
        if signed_in:
            action = site["action"]
            pages += [
                reverse("strategy:action-update", args=[action.pk]),
                reverse("strategy:plan-progress-upload", args=[site["plan"].slug]),
                reverse("portal:my-work"),
            ]
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            html = response.content.decode()
            assert inline_styles(html) == [], page
            policy = response["Content-Security-Policy"]
            assert "style-src 'self';" in policy and "unsafe-inline" not in policy, page
            checked += 1
    assert checked >= 40
    # Embeds keep their own frame policy, with the same styles rule.
    embed = client.get(f"/en/embed/plans/{site['plan'].slug}/")
    assert "frame-ancestors *" in embed["Content-Security-Policy"]


def test_only_the_admin_and_the_api_docs_may_use_inline_styles(client, admin_user):
    client.force_login(admin_user)
    admin = client.get("/admin/")
    assert admin.status_code == 200
    assert "style-src 'self' 'unsafe-inline'" in admin["Content-Security-Policy"]
    assert "script-src 'self';" in admin["Content-Security-Policy"]
    docs = client.get("/api/redoc/")
    assert "style-src 'self' 'unsafe-inline'" in docs["Content-Security-Policy"]
    assert "unsafe-inline" not in client.get("/en/")["Content-Security-Policy"]
