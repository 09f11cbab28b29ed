"""Reads of agreements, commitments, clarifications and news, shaped for one page or endpoint each.

Every read starts from an entity's visibility rule and loads what its page shows in a fixed
number of queries, whatever the number of rows.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from municipia.core.entities import Entity
from municipia.core.filters import search_translated
from municipia.core.i18n import row_columns
from municipia.core.sections import WorkItem, WorkList
from municipia.core.visibility import User
from municipia.diagnosis.choices import CampaignStatus
from municipia.diagnosis.entities import CAMPAIGN
from municipia.governance.choices import TaskStatus
from municipia.governance.entities import MEETING, TASK
from municipia.organizations.models import Organization
from municipia.organizations.permissions import editable_organization_ids
from municipia.organizations.selectors import organization_list
from municipia.partnerships.choices import ClarificationStatus, CommitmentStatus, SubscriptionKind
from municipia.partnerships.entities import AGREEMENT, CLARIFICATION, NEWS_POST
from municipia.partnerships.models import (
    Agreement,
    Clarification,
    Commitment,
    NewsletterSend,
    NewsPost,
    Signatory,
    Subscription,
)
from municipia.strategy.choices import ActionStatus
from municipia.strategy.entities import ACTION, PLAN
from municipia.strategy.models import Action, Plan
from municipia.strategy.selectors import action_choices

# The keys of the three registers' keyset pages (core.keyset): newest first, then id; each has an
# index on (…, key, id) in models.py matching its visibility filter.
AGREEMENT_KEY = "signed_on"
CLARIFICATION_KEY = "published_at"
NEWS_KEY = "publish_at"

# The columns a register's rows show (partnerships/rows.py; translated fields bring every language,
# for the fallbacks): a news post has its body and four languages of each text, and building 50
# whole posts with their whole organisations was a quarter of a page's CPU.
AGREEMENT_ROW_FIELDS = ("slug", "title", "kind", "is_public", "signed_on", "expires_on")
CLARIFICATION_ROW_FIELDS = ("slug", "title", "verdict", "status", "is_demo", "published_at", "publisher__name")
NEWS_ROW_FIELDS = ("slug", "title", "summary", "status", "publish_at", "is_demo", "organization__name")


def _as_rows(queryset: QuerySet, fields: Sequence[str]) -> QuerySet:
    """`queryset` read as named tuples of its `pk` and `fields` (translated ones in every language:
    `core.i18n.row_columns`) instead of model instances: building 50 posts with their organisations,
    through modeltranslation's constructor, was about a fifth of a register page's CPU. The rows
    are read by `partnerships/rows.py` and paged by `core.keyset` as instances would be."""
    return queryset.rewrite(False).values_list("pk", *row_columns(queryset.model, fields), named=True)  # type: ignore[attr-defined]


PARTIES = Prefetch("parties", queryset=organization_list().order_by("name"))


# --- Agreements


def agreement_list(user: User | None) -> QuerySet[Agreement]:
    """The register: the agreements `user` may see (their parties: `agreement_parties`)."""
    return _as_rows(AGREEMENT.visible(user), AGREEMENT_ROW_FIELDS)


def agreement_parties(agreements: Sequence[Any]) -> dict[int, list[Any]]:
    """The parties of each agreement of a register page, by English name (the order the register
    has always shown), in one query whatever the page's size: each (agreement, party) pair with the
    party's names in every language, as a named tuple (its names are read by `rows.agreement_rows`
    across `organization__`). A prefetch made an organisation and a related manager for every pair
    (100 of each a page of 50, a third of its CPU)."""
    through = Agreement.parties.through
    pairs = (
        through.objects.filter(agreement_id__in=[agreement.pk for agreement in agreements])
        .order_by("organization__name_en", "organization_id")
        .values_list("agreement_id", *row_columns(through, ("organization__name",)), named=True)
    )
    parties: dict[int, list[Any]] = {}
    for pair in pairs:
        parties.setdefault(pair.agreement_id, []).append(pair)
    return parties


@dataclass
class CommitmentState:
    """What the linked work says of a commitment (computed, never stored)."""

    fulfilled: bool = False
    has_work: bool = False
    #: Linked actions that have not moved although work serving them is done.
    stalled_actions: list[Action] = field(default_factory=list)

    @property
    def contradiction(self) -> bool:
        return bool(self.stalled_actions)


def action_is_done(action: Action) -> bool:
    return action.status == ActionStatus.COMPLETED or (action.progress or 0) >= 100


def commitment_state(commitment: Commitment) -> CommitmentState:
    """Fulfilled when every piece of linked work is done: tasks done, actions completed (or at
    100 %), campaigns closed; cancelled tasks and actions do not count. A contradiction is a linked
    task or campaign that is done while a linked action has not moved to completion.

    Reads the prefetched `tasks`, `actions` and `campaigns` (no query when they were prefetched).
    """
    tasks = [t for t in commitment.tasks.all() if t.status != TaskStatus.CANCELLED]
    actions = [a for a in commitment.actions.all() if a.status != ActionStatus.CANCELLED]
    campaigns = list(commitment.campaigns.all())
    done = (
        [t.status == TaskStatus.DONE for t in tasks]
        + [action_is_done(a) for a in actions]
        + [c.status == CampaignStatus.CLOSED for c in campaigns]
    )
    served = any(t.status == TaskStatus.DONE for t in tasks) or any(
        c.status == CampaignStatus.CLOSED for c in campaigns
    )
    return CommitmentState(
        fulfilled=bool(done) and all(done),
        has_work=bool(done),
        stalled_actions=[a for a in actions if not action_is_done(a)] if served else [],
    )


def commitments_with_work(*, response_counts: bool = False) -> QuerySet[Commitment]:
    """Commitments with their party and linked work loaded (5 queries whatever their number); with
    `response_counts`, each linked campaign has its number of responses (`response_count`)."""
    campaigns = CAMPAIGN.model._default_manager.order_by("id")
    if response_counts:
        campaigns = campaigns.annotate(response_count=Count("responses"))
    return Commitment.objects.select_related("party", "agreement").prefetch_related(
        Prefetch("actions", queryset=action_choices().select_related("plan").order_by("code")),
        "tasks",
        "meetings",
        Prefetch("campaigns", queryset=campaigns),
    )


@dataclass
class AgreementPage:
    agreement: Agreement
    signatories: list[Signatory]
    commitments: list[tuple[Commitment, CommitmentState]]
    #: Ids of linked objects the reader may open, by kind ("action", "task", "meeting", "campaign").
    visible_links: dict[str, set[int]]


def _visible_ids(entity: Entity, user: User | None, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(entity.visible(user).filter(pk__in=ids).values_list("pk", flat=True))


def agreement_page(user: User | None, *, slug: str) -> AgreementPage:
    """One agreement with its signatories, documents, commitments and their state; Http404 if unseen."""
    agreement = AGREEMENT.get(user, slug=slug)
    agreement = (
        Agreement.objects.filter(pk=agreement.pk).select_related("owner").prefetch_related(PARTIES, "documents").get()
    )
    signatories = list(agreement.signatories.select_related("organization"))
    commitments = list(commitments_with_work().filter(agreement=agreement))
    linked: dict[str, set[int]] = {"action": set(), "task": set(), "meeting": set(), "campaign": set()}
    for commitment in commitments:
        linked["action"] |= {a.pk for a in commitment.actions.all()}
        linked["task"] |= {t.pk for t in commitment.tasks.all()}
        linked["meeting"] |= {m.pk for m in commitment.meetings.all()}
        linked["campaign"] |= {c.pk for c in commitment.campaigns.all()}
    entities = {"action": ACTION, "task": TASK, "meeting": MEETING, "campaign": CAMPAIGN}
    visible_links = {kind: _visible_ids(entities[kind], user, ids) for kind, ids in linked.items()}
    return AgreementPage(
        agreement=agreement,
        signatories=signatories,
        commitments=[(c, commitment_state(c)) for c in commitments],
        visible_links=visible_links,
    )


# --- Clarifications


def clarification_list(user: User | None, *, search: str = "") -> QuerySet[Clarification]:
    """The register of clarifications `user` may see, newest first, optionally searched."""
    queryset = CLARIFICATION.visible(user).select_related("publisher")
    queryset = search_translated(queryset, search, "title", "claim", "facts")
    return queryset.order_by("-published_at", "-created_at", "-id")


def clarification_register(user: User | None, *, search: str = "") -> QuerySet[Clarification]:
    """The register's page: `clarification_list` with only what its rows show."""
    return _as_rows(clarification_list(user, search=search), CLARIFICATION_ROW_FIELDS)


def published_clarifications() -> QuerySet[Clarification]:
    return clarification_list(AnonymousUser()).filter(status=ClarificationStatus.PUBLISHED)


def clarification_page(user: User | None, *, slug: str) -> Clarification:
    clarification = CLARIFICATION.get(user, slug=slug)
    return (
        Clarification.objects.filter(pk=clarification.pk)
        .select_related("publisher", "author", "reviewer")
        .prefetch_related(
            "versions",
            Prefetch("plans", queryset=PLAN.visible(user)),
            Prefetch("actions", queryset=ACTION.visible(user).select_related("plan")),
        )
        .get()
    )


# --- News


def news_list(
    user: User | None, *, plan: Plan | None = None, organization: Organization | None = None
) -> QuerySet[NewsPost]:
    """News posts `user` may see (for everyone: those whose time has come), newest first."""
    queryset = NEWS_POST.visible(user).select_related("organization")
    if plan is not None:
        queryset = queryset.filter(pk__in=NewsPost.plans.through.objects.filter(plan=plan).values("newspost_id"))
    if organization is not None:
        queryset = queryset.filter(organization=organization)
    return queryset.order_by("-publish_at", "-id")


def news_register(user: User | None) -> QuerySet[NewsPost]:
    """The news list's page: `news_list` with only what its rows show."""
    return _as_rows(news_list(user), NEWS_ROW_FIELDS)


def public_news(**scope: Any) -> QuerySet[NewsPost]:
    """What feeds publish: the posts anyone may read, at this moment."""
    return news_list(AnonymousUser(), **scope).filter(publish_at__lte=timezone.now())


def news_page(user: User | None, *, slug: str) -> NewsPost:
    post = NEWS_POST.get(user, slug=slug)
    return (
        NewsPost.objects.filter(pk=post.pk)
        .select_related("organization")
        .prefetch_related(
            Prefetch("plans", queryset=PLAN.visible(user)),
            Prefetch("agreements", queryset=AGREEMENT.visible(user)),
            Prefetch("meetings", queryset=MEETING.visible(user)),
            Prefetch("actions", queryset=ACTION.visible(user).select_related("plan")),
        )
        .get()
    )


# --- Sections of other apps' pages (registered in apps.py)


def action_commitments_section(user: User, action: Action) -> dict[str, Any]:
    """The action page's commitments: those serving the action that the reader may see, with the
    state of their linked work (tasks, studies and their responses), and whether work is done while
    the action has not moved (2 + 5 queries)."""
    commitments = list(
        commitments_with_work(response_counts=True)
        .filter(actions=action, agreement__in=AGREEMENT.visible(user))
        .order_by("due_date", "id")
    )
    rows = [(commitment, commitment_state(commitment)) for commitment in commitments]
    stalled = any(action.pk in {a.pk for a in state.stalled_actions} for _c, state in rows)
    tasks = {t.pk for commitment in commitments for t in commitment.tasks.all()}
    campaigns = {c.pk for commitment in commitments for c in commitment.campaigns.all()}
    return {
        "action_commitments": rows,
        "action_stalled": stalled and not action_is_done(action),
        "action_visible_work": {
            "task": _visible_ids(TASK, user, tasks),
            "campaign": _visible_ids(CAMPAIGN, user, campaigns),
        },
    }


def linked_sections(user: User, obj: Plan | Organization) -> dict[str, Any]:
    """The plan's or organisation's agreements, latest news and clarifications the reader may see (3 queries)."""
    if isinstance(obj, Plan):
        agreements = AGREEMENT.visible(user).filter(commitments__actions__plan=obj).distinct()
        news = NEWS_POST.visible(user).filter(plans=obj)
        clarifications = CLARIFICATION.visible(user).filter(plans=obj)
    else:
        agreements = AGREEMENT.visible(user).filter(parties=obj)
        news = NEWS_POST.visible(user).filter(organization=obj)
        clarifications = CLARIFICATION.visible(user).filter(publisher=obj)
    return {
        "linked_agreements": list(agreements.order_by("-signed_on", "id")[:LINKED_ON_PAGE]),
        "linked_news": list(news.order_by("-publish_at", "-id")[:LINKED_ON_PAGE]),
        "linked_clarifications": list(clarifications.order_by("-published_at", "-id")[:LINKED_ON_PAGE]),
    }


LINKED_ON_PAGE = 5


COMMITMENTS_AHEAD_DAYS = 30


def my_work_commitments(user: User) -> list[WorkList]:
    """The "My work" list of partnerships: open commitments of organisations I edit, overdue or
    due within COMMITMENTS_AHEAD_DAYS."""
    mine = editable_organization_ids(user)
    if not mine:
        return []
    horizon = timezone.localdate() + dt.timedelta(days=COMMITMENTS_AHEAD_DAYS)
    commitments = list(
        Commitment.objects.filter(party_id__in=mine, due_date__lte=horizon)
        .exclude(status__in=[CommitmentStatus.DELIVERED, CommitmentStatus.CANCELLED])
        .select_related("agreement", "party")
        .order_by("due_date", "id")
    )
    if not commitments:
        return []
    today = timezone.localdate()
    items = []
    for c in commitments[:25]:
        due = c.due_date or today  # the query keeps only dated commitments
        items.append(
            WorkItem(
                str(c.deliverable)[:140],
                c.agreement.get_absolute_url(),
                f"{c.party} · {date_format(due, 'DATE_FORMAT')}",
                status="late" if due < today else "",
                status_label=str(_("Overdue")) if due < today else "",
            )
        )
    return [WorkList(key="commitments", title=_("Commitments due"), items=items, total=len(commitments))]


def action_commitment_counts(action_ids: Any) -> dict[int, tuple[int, int]]:
    """Action id → (commitments serving it, not cancelled; those delivered), in one query
    (core.sections.linked_work)."""
    links = Commitment.actions.through.objects.filter(action_id__in=action_ids).exclude(
        commitment__status=CommitmentStatus.CANCELLED
    )
    rows = links.values("action_id").annotate(
        count=Count("id"), done=Count("id", filter=Q(commitment__status=CommitmentStatus.DELIVERED))
    )
    return {row["action_id"]: (row["count"], row["done"]) for row in rows}


# --- Following actions and plans


def follow_section(user: User, obj: Action | Plan) -> dict[str, Any]:
    """The follow button of an action or plan page: whether the reader follows it (one query when
    signed in, none otherwise; an anonymous reader is offered the e-mail form)."""
    kind = "action" if isinstance(obj, Action) else "plan"
    following = False
    if user is not None and user.is_authenticated:
        following = Subscription.objects.filter(user_id=user.pk, scope=f"follow-{kind}-{obj.pk}").exists()
    key = obj.pk if kind == "action" else getattr(obj, "slug", obj.pk)
    return {
        "follow": {
            "kind": kind,
            "following": following,
            "url": reverse(f"partnerships:follow-{kind}", args=[key]),
            "unfollow_url": reverse(f"partnerships:unfollow-{kind}", args=[key]),
        }
    }


FOLLOWS_ON_MY_WORK = 25


def follows_of(user: User) -> QuerySet[Subscription]:
    """The actions and plans a signed-in user follows, with what the list shows (one query)."""
    return (
        Subscription.objects.filter(user__pk=int(getattr(user, "pk", 0) or 0), kind=SubscriptionKind.FOLLOW)
        .select_related("action", "action__plan", "plan")
        .order_by("-created_at", "-id")
    )


def my_work_follows(user: User) -> list[WorkList]:
    """The "My work" list of what the user follows (changes are e-mailed to them)."""
    if user is None or not user.is_authenticated:
        return []
    follows = list(follows_of(user)[: FOLLOWS_ON_MY_WORK + 1])
    if not follows:
        return []
    items = []
    for subscription in follows[:FOLLOWS_ON_MY_WORK]:
        target = subscription.target
        if target is None:
            continue
        where = str(_("Action")) if subscription.action_id else str(_("Plan"))
        items.append(WorkItem(str(target)[:140], target.get_absolute_url(), where))
    return [
        WorkList(
            key="follows",
            title=_("Following"),
            items=items,
            total=len(follows)
            if len(follows) <= FOLLOWS_ON_MY_WORK
            else Subscription.objects.filter(
                user__pk=int(getattr(user, "pk", 0) or 0), kind=SubscriptionKind.FOLLOW
            ).count(),
        )
    ]


# --- Newsletter sends


def newsletter_sends() -> QuerySet[NewsletterSend]:
    return NewsletterSend.objects.select_related("requested_by").order_by("-created_at", "-id")
