"""One status model: the plan page, action list, action page, dashboard, export and API say the
same words and counts for a hand-made plan (one action per computed status)."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from municipia.strategy.choices import ActionStatus, ComputedStatus
from municipia.strategy.tests.factories import (
    ActionFactory,
    AxisFactory,
    MilestoneFactory,
    ObjectiveFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db

EXPECTED = {
    ComputedStatus.DONE: 1,
    ComputedStatus.LATE: 2,
    ComputedStatus.AT_RISK: 3,
    ComputedStatus.NOT_STARTED: 1,
    ComputedStatus.ON_TRACK: 1,
    ComputedStatus.CANCELLED: 1,
}


def hand_made_plan():
    today = timezone.localdate()
    days = dt.timedelta(days=1)
    plan = PlanFactory(slug="hand-made", period_start=today - 800 * days, period_end=today + 800 * days)
    first = ObjectiveFactory(axis=AxisFactory(plan=plan, code="1"), code="1.1")
    second = ObjectiveFactory(axis=AxisFactory(plan=plan, code="2"), code="2.1")
    half_way = {"start_date": today - 100 * days, "end_date": today + 100 * days}
    specs = [
        # (objective, code, fields) → the computed status it must get
        (first, "1.1.1", {"progress": 100, "status": ActionStatus.IN_PROGRESS}),  # done
        (first, "1.1.2", {"progress": 60, "start_date": today - 400 * days, "end_date": today - days}),  # late
        # reported "in progress" although its end date is two years past: late, whatever is reported
        (first, "1.1.3", {"progress": 30, "start_date": today - 790 * days, "end_date": today - 730 * days}),
        (first, "1.1.4", {"progress": 50, "status": ActionStatus.DELAYED, **half_way}),  # at risk: reported
        (second, "2.1.1", {"progress": 10, **half_way}),  # at risk: behind the time elapsed
        (second, "2.1.2", {"progress": 50, **half_way}),  # at risk: an overdue milestone (below)
        (second, "2.1.3", {"progress": 0, "start_date": today + 10 * days, "end_date": today + 90 * days}),
        (second, "2.1.4", {"progress": 45, **half_way}),  # on track
        (second, "2.1.5", {"progress": 5, "status": ActionStatus.CANCELLED}),
    ]
    actions = {}
    for objective, code, fields in specs:
        fields.setdefault("status", ActionStatus.IN_PROGRESS)
        actions[code] = ActionFactory(objective=objective, code=code, **fields)
    MilestoneFactory(action=actions["2.1.2"], due_date=today - 5 * days, completed_on=None)
    MilestoneFactory(action=actions["2.1.4"], due_date=today - 5 * days, completed_on=today - 6 * days)
    return plan, actions


def _page_counts(html: str) -> dict[str, int]:
    block = html.split('id="plan-status-counts"', 1)[1].split("</ul>", 1)[0]
    return {
        s: int(n) for s, n in re.findall(r'health-(\w+)">[^<]+</span> <strong class="count">(\d+)', block) if int(n)
    }


@pytest.mark.parametrize("language", ["en", "es"])
def test_status_counts_agree_across_page_list_dashboard_export_and_api(client, language):
    plan, actions = hand_made_plan()
    labels = {}
    with translation.override(language):
        labels = {str(label): value for value, label in ComputedStatus.choices}
        plan_url = reverse("strategy:plan-detail", args=[plan.slug])
        dashboard_url = reverse("indicators:plan-dashboard", args=[plan.slug])
        export_url = reverse("reports:plan-export", args=[plan.slug, "csv"])
        list_url = reverse("strategy:action-list") + f"?plan={plan.slug}"
    expected = {str(k): v for k, v in EXPECTED.items()}

    # The plan page: its counts, and each action's badge in the tree, in the interface language.
    html = client.get(plan_url).content.decode()
    assert _page_counts(html) == expected
    for status, label in ComputedStatus.choices:
        with translation.override(language):
            word = str(label)
        if EXPECTED[status]:
            assert f'health-{status}">{word}</span>' in html

    # The dashboard (its own template and roll-up): the same counts, in the same words.
    dashboard = client.get(dashboard_url).content.decode()
    table = dict(re.findall(r'health-(\w+)">[^<]+</span>\s*</td><td class="num">(\d+)', dashboard))
    assert {s: int(n) for s, n in table.items() if int(n)} == expected

    # The action list.
    listing = client.get(list_url).content.decode()
    found = re.findall(r'<span class="badge health-(\w+)">', listing)
    assert {s: found.count(s) for s in set(found)} == expected

    # The CSV export: a "computed status" column beside the reported one, in the reader's language.
    body_bytes = b"".join(client.get(export_url).streaming_content)
    rows = list(csv.reader(io.StringIO(body_bytes.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    with translation.override(language):
        from django.utils.translation import gettext

        column = header.index(gettext("computed status"))
    words = [labels[row[column]] for row in body]
    assert {s: words.count(s) for s in set(words)} == expected

    # The API: every action's computed status, and the monitoring endpoint's per-action health.
    api = client.get("/api/v1/actions/", {"plan": plan.slug, "page_size": 100}).json()
    statuses = [row["computed_status"] for row in api["results"]]
    assert {s: statuses.count(s) for s in set(statuses)} == expected
    monitoring = client.get(f"/api/v1/plan-monitoring/{plan.slug}/").json()
    health = [row["health"] for row in monitoring["actions"]]
    assert {s: health.count(s) for s in set(health)} == expected


def test_action_page_shows_computed_and_reported_status_and_who_updated_it(client):
    from municipia.organizations.tests.factories import RoleFactory
    from municipia.strategy import services

    plan, actions = hand_made_plan()
    action = actions["1.1.3"]
    editor = RoleFactory(organization=plan.owner).user
    editor.first_name, editor.last_name = "Núria", "Puig"
    editor.save()
    services.action_update(acting_user=editor, action=action, data={"progress": 35})
    with translation.override("en"):
        html = client.get(reverse("strategy:action-detail", args=[action.pk])).content.decode()
    assert 'health-late">Late</span>' in html
    assert "The end date has passed and the action is not complete." in html
    assert "Status reported by the owner: In progress" in html
    assert "last updated by Núria Puig on" in html
