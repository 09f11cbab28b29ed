"""Following an action or a plan: what a follower is told when its status or progress changes.

A follow is a `Subscription` of kind "follow" (an anonymous reader's, confirmed by a signed link;
a signed-in user's, confirmed at once). It keeps in `notified_state` what its follower was last
told: an action's reported status, computed status and progress; a plan's status. A run reads the
confirmed follows in keyset batches, computes the current state of their actions and plans in a
fixed number of queries a batch, and e-mails each follower whose state differs one message with
every change (before → after) — several changes since the last run make one e-mail. The e-mail
is recorded in `MailSent` and the follow's `notified_state` moves in the same transaction, only if
nobody moved it meanwhile: a second run, or two at once, send nothing twice.

Runs: the Celery task `send_follow_notices` (queued a few minutes after an action or plan is
saved, coalesced, and hourly by beat, which catches computed statuses that move with the date)
and `manage.py send_partnership_mail`.
"""

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from municipia.core.mail import templated_email
from municipia.partnerships import mail
from municipia.partnerships.choices import MailKind, SubscriptionKind
from municipia.partnerships.models import Subscription
from municipia.strategy.choices import ActionStatus, ComputedStatus, PlanStatus
from municipia.strategy.entities import ACTION, PLAN
from municipia.strategy.models import Action, Plan
from municipia.strategy.selectors import actions_with_status_facts
from municipia.strategy.status import StatusFacts, computed_status

logger = logging.getLogger(__name__)

FOLLOW_BATCH = 500
State = dict[str, Any]


def action_states(action_ids: Iterable[int], today: dt.date | None = None) -> dict[int, State]:
    """The state a follower is told about, for each action (one query)."""
    today = today or timezone.localdate()
    ids = list(set(action_ids))
    if not ids:
        return {}
    annotated: Any = actions_with_status_facts(ids, today)
    rows = annotated.values_list("id", "status", "progress", "start_date", "end_date", "overdue_milestones")
    states: dict[int, State] = {}
    for pk, status, progress, start, end, overdue in rows:
        verdict = computed_status(StatusFacts(status, progress, start, end, overdue), today)
        states[pk] = {"status": status, "computed": str(verdict.status), "progress": progress}
    return states


def plan_state(plan: Plan) -> State:
    return {"status": plan.status}


def current_state(target: Action | Plan) -> State:
    if isinstance(target, Action):
        return action_states([target.pk]).get(target.pk, {})
    return plan_state(target)


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def describe_changes(before: State, after: State) -> list[tuple[str, str, str]]:
    """(what, before, after) for each value that changed, in the active language."""
    rows: list[tuple[str, str, str]] = []
    if before.get("computed") != after.get("computed") and "computed" in after:
        rows.append(
            (
                _("Computed status"),
                _label(ComputedStatus, before.get("computed")) if before.get("computed") else "—",
                _label(ComputedStatus, after["computed"]),
            )
        )
    if before.get("status") != after.get("status") and "status" in after:
        choices = ActionStatus if "progress" in after else PlanStatus
        rows.append(
            (
                _("Reported status") if "progress" in after else _("Status"),
                _label(choices, before.get("status")) if before.get("status") else "—",
                _label(choices, after["status"]),
            )
        )
    if before.get("progress") != after.get("progress") and "progress" in after:
        was = before.get("progress")
        rows.append((_("Progress"), "—" if was is None else f"{was} %", f"{after['progress']} %"))
    return rows


@dataclass
class FollowRun:
    follows: int = 0
    sent: int = 0
    failed: int = 0


def _confirmed_follows(batch: int) -> Iterator[list[Subscription]]:
    """Confirmed follows in batches by id (keyset pagination: constant memory, fixed queries a batch)."""
    last = 0
    base = Subscription.objects.filter(kind=SubscriptionKind.FOLLOW, confirmed_at__isnull=False).select_related(
        "action", "action__plan", "plan", "user"
    )
    while True:
        chunk = list(base.filter(pk__gt=last).order_by("pk")[:batch])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _allowed_follows(chunk: list[Subscription]) -> set[int]:
    """Ids of the chunk's follows whose follower may still see the action or plan.

    Public targets are found in two queries; a signed-in follower of something not public is
    checked with their own permissions (one query per such follower, rare); a visitor's follow of
    something no longer public is not told."""
    action_ids = {s.action_id for s in chunk if s.action_id}
    plan_ids = {s.plan_id for s in chunk if s.plan_id}
    anonymous = AnonymousUser()
    public_actions = set(ACTION.visible(anonymous).filter(pk__in=action_ids).values_list("pk", flat=True))
    public_plans = set(PLAN.visible(anonymous).filter(pk__in=plan_ids).values_list("pk", flat=True))
    allowed: set[int] = set()
    for subscription in chunk:
        entity, pk, public = (
            (ACTION, subscription.action_id, subscription.action_id in public_actions)
            if subscription.action_id
            else (PLAN, subscription.plan_id, subscription.plan_id in public_plans)
        )
        if public or (subscription.user is not None and entity.visible(subscription.user).filter(pk=pk).exists()):
            allowed.add(subscription.pk)
    return allowed


def send_follow_notices(
    *, now: dt.datetime | None = None, batch: int = FOLLOW_BATCH, progress: Callable[[FollowRun], None] | None = None
) -> FollowRun:
    """E-mails each follower whose action or plan changed since they were last told; returns the counts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    run = FollowRun()
    for chunk in _confirmed_follows(batch):
        states = action_states((s.action_id for s in chunk if s.action_id), today)
        allowed = _allowed_follows(chunk)
        for subscription in chunk:
            run.follows += 1
            target = subscription.target
            if target is None or subscription.pk not in allowed:
                continue
            after = states.get(target.pk, {}) if isinstance(target, Action) else plan_state(target)
            before = subscription.notified_state or {}
            if not after or after == before:
                continue
            outcome = _notify(subscription, target, before, after, now)
            if outcome == mail.SENT:
                run.sent += 1
            elif outcome == mail.FAILED:
                run.failed += 1
        if progress is not None:
            progress(run)
    return run


def _notify(subscription: Subscription, target: Action | Plan, before: State, after: State, now: dt.datetime) -> str:
    links = mail.subscription_links(subscription)
    email = (subscription.user.email if subscription.user is not None else "") or subscription.email
    with translation.override(subscription.language):
        changes = describe_changes(before, after)
    context = {
        "subscription": subscription,
        "target": target,
        "is_action": isinstance(target, Action),
        "changes": changes,
        "page_url": mail.site_link(target.get_absolute_url()),
        "unsubscribe_url": links["unsubscribe_url"],
    }
    key = f"follow-{subscription.pk}-{now:%Y%m%dT%H%M%S}"

    def build() -> EmailMultiAlternatives:
        # The state told moves in the same transaction as the record and the hand-over, and only
        # from what this run read: a concurrent run that got there first makes this one a no-op.
        updated = Subscription.objects.filter(pk=subscription.pk, notified_state=before).update(
            notified_state=after, updated_at=now
        )
        if not updated:
            raise IntegrityError("the follower was told by a concurrent run")
        message = templated_email("partnerships/email/follow_change", context, to=email, language=subscription.language)
        return mail.with_unsubscribe_headers(message, links["unsubscribe_url"])

    if not changes:
        # Only values the e-mail does not show moved (none today): record them silently.
        Subscription.objects.filter(pk=subscription.pk, notified_state=before).update(notified_state=after)
        return mail.ALREADY
    return mail.attempt(MailKind.FOLLOW_CHANGE, key, email, build)
