"""E-mails of partnerships: reminders to the parties' editors, newsletter confirmations and digests.

- `send_reminders(now=…)`: commitments falling due within PARTNERSHIPS_COMMITMENT_REMINDER_DAYS
  (14 by default) that are neither delivered nor fulfilled by their linked work, and agreements
  expiring within PARTNERSHIPS_AGREEMENT_REMINDER_DAYS (60), to the editors of the party or parties;
  a commitment whose linked work is done while an action it serves has not moved is named in its
  reminder (the contradiction flagged to the owner).
- `send_confirmation(subscription)`: the double opt-in e-mail with its signed link.
- `send_news_digests(now=…)`: to every confirmed subscription, the news published since its last
  digest, in batches; an address is sent one e-mail per run, and running twice sends nothing twice.

Every e-mail goes through core.mail (templates in the recipient's language) and is recorded in
`MailSent` inside the transaction that sends it (the unique key is the lock, as in
governance.reminders): a failed hand-over to the mail server rolls the record back for the next run.
"""

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db import connection as db_connection
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from municipia.core.mail import templated_email
from municipia.organizations.selectors import editor_addresses
from municipia.partnerships.choices import CommitmentStatus, MailKind, NewsStatus, SendState, SubscriptionKind
from municipia.partnerships.models import Agreement, MailSent, NewsletterSend, NewsPost, Subscription
from municipia.partnerships.selectors import commitment_state, commitments_with_work

logger = logging.getLogger(__name__)

CONFIRM_SALT = "municipia.partnerships.subscription.confirm"
UNSUBSCRIBE_SALT = "municipia.partnerships.subscription.unsubscribe"
CONFIRM_MAX_AGE = dt.timedelta(days=7)
DIGEST_BATCH = 500
DONE_STATUSES = (CommitmentStatus.DELIVERED, CommitmentStatus.CANCELLED)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- Signed links


def confirm_token(subscription: Subscription) -> str:
    return signing.dumps({"id": subscription.pk, "email": subscription.email}, salt=CONFIRM_SALT, compress=True)


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps({"id": subscription.pk, "email": subscription.email}, salt=UNSUBSCRIBE_SALT, compress=True)


def subscription_from_token(token: str, *, purpose: str) -> Subscription:
    """The subscription a signed link names; a `ValidationError` on "token" if it is tampered
    with, expired (confirmation: 7 days) or its subscription is gone."""
    try:
        if purpose == "confirm":
            value = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        else:
            value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.SignatureExpired:
        raise ValidationError({"token": _("This link has expired: subscribe again to get a new one.")}) from None
    except signing.BadSignature:
        raise ValidationError({"token": _("This link is not valid.")}) from None
    subscription = None
    if isinstance(value, dict) and isinstance(value.get("id"), int):
        subscription = Subscription.objects.filter(pk=value["id"], email=value.get("email", "")).first()
    if subscription is None:
        raise ValidationError({"token": _("This subscription no longer exists.")})
    return subscription


def subscription_links(subscription: Subscription) -> dict[str, str]:
    with translation.override(subscription.language):
        unsubscribe = reverse("partnerships:subscription-cancel", kwargs={"token": unsubscribe_token(subscription)})
        confirm = reverse("partnerships:subscription-confirm", kwargs={"token": confirm_token(subscription)})
    return {"unsubscribe_url": site_link(unsubscribe), "confirm_url": site_link(confirm)}


def with_unsubscribe_headers(message: EmailMultiAlternatives, unsubscribe_url: str) -> EmailMultiAlternatives:
    # RFC 2369 and RFC 8058: mail programs offer their own one-click "unsubscribe" button.
    message.extra_headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


SENT, ALREADY, FAILED = "sent", "already", "failed"


def attempt(kind: str, key: str, recipient: str, build: Callable[[], EmailMultiAlternatives]) -> str:
    """Records and sends one e-mail atomically: SENT, ALREADY (recorded before, or moved on by a
    concurrent run) or FAILED (the mail server refused; the record is rolled back for the next run)."""
    try:
        with transaction.atomic():
            MailSent.objects.create(kind=kind, key=key, recipient=recipient)
            build().send()
    except IntegrityError:
        return ALREADY
    except OSError:
        logger.exception("E-mail %s %s to %s could not be sent", kind, key, recipient)
        return FAILED
    return SENT


def _deliver(kind: str, key: str, recipient: str, build: Callable[[], EmailMultiAlternatives]) -> bool:
    return attempt(kind, key, recipient, build) == SENT


def _scope_title(subscription: Subscription) -> str:
    if subscription.action_id:
        return str(subscription.action)
    if subscription.plan_id:
        return str(subscription.plan)
    if subscription.organization_id:
        return str(subscription.organization)
    return ""


def send_confirmation(subscription: Subscription) -> bool:
    """The double opt-in e-mail; once per subscription and address (a repeated request resends
    only after the link expired)."""
    context = {
        "subscription": subscription,
        "scope_title": _scope_title(subscription),
        **subscription_links(subscription),
    }
    key = f"subscription-{subscription.pk}-{timezone.now():%Y%m%d}"

    template = (
        "partnerships/email/confirm_follow"
        if subscription.kind == SubscriptionKind.FOLLOW
        else "partnerships/email/confirm"
    )

    def build() -> EmailMultiAlternatives:
        return templated_email(template, context, to=subscription.email, language=subscription.language)

    return _deliver(MailKind.CONFIRMATION, key, subscription.email, build)


# --- Reminders to the parties' editors


@dataclass
class PartnershipReminder:
    kind: str
    key: str
    recipient: str
    language: str
    context: dict[str, Any] = field(default_factory=dict)


def _editor_addresses(organization_ids: set[int]) -> dict[int, list[tuple[str, str]]]:
    """organisation id → (e-mail, language) of its editors with an address, in one query."""
    codes = {code for code, _name in settings.LANGUAGES}
    found: dict[int, list[tuple[str, str]]] = {}
    for org_id, email, language in editor_addresses(organization_ids):
        found.setdefault(org_id, []).append((email, language if language in codes else settings.LANGUAGE_CODE))
    return found


def reminders_due(*, now: dt.datetime) -> list[PartnershipReminder]:
    """Commitments coming due and agreements expiring, one reminder per thing and editor (fixed queries)."""
    today = timezone.localdate(now)
    commitment_horizon = today + dt.timedelta(days=_setting("PARTNERSHIPS_COMMITMENT_REMINDER_DAYS", 14))
    agreement_horizon = today + dt.timedelta(days=_setting("PARTNERSHIPS_AGREEMENT_REMINDER_DAYS", 60))
    commitments = [
        (commitment, commitment_state(commitment))
        for commitment in commitments_with_work()
        .filter(due_date__gte=today, due_date__lte=commitment_horizon)
        .exclude(status__in=DONE_STATUSES)
        .order_by("due_date", "id")
    ]
    commitments = [(c, state) for c, state in commitments if not state.fulfilled]
    agreements = list(
        Agreement.objects.filter(expires_on__gte=today, expires_on__lte=agreement_horizon)
        .prefetch_related("parties")
        .order_by("expires_on", "id")
    )
    ids = {c.party_id for c, _state in commitments} | {p.pk for a in agreements for p in a.parties.all()}
    editors = _editor_addresses(ids)
    due: list[PartnershipReminder] = []
    for commitment, state in commitments:
        for email, language in editors.get(commitment.party_id, []):
            due.append(
                PartnershipReminder(
                    MailKind.COMMITMENT_DUE,
                    f"commitment-{commitment.pk}-{commitment.due_date:%Y%m%d}",
                    email,
                    language,
                    {"commitment": commitment, "state": state},
                )
            )
    for agreement in agreements:
        addresses = {pair for party in agreement.parties.all() for pair in editors.get(party.pk, [])}
        for email, language in sorted(addresses):
            due.append(
                PartnershipReminder(
                    MailKind.AGREEMENT_EXPIRING,
                    f"agreement-{agreement.pk}-{agreement.expires_on:%Y%m%d}",
                    email,
                    language,
                    {"agreement": agreement},
                )
            )
    if due:
        sent = set(MailSent.objects.filter(key__in={r.key for r in due}).values_list("kind", "key", "recipient"))
        due = [r for r in due if (r.kind, r.key, r.recipient) not in sent]
    return due


REMINDER_TEMPLATES: dict[str, str] = {
    MailKind.COMMITMENT_DUE: "partnerships/email/commitment_due",
    MailKind.AGREEMENT_EXPIRING: "partnerships/email/agreement_expiring",
}


def send_reminders(*, now: dt.datetime | None = None, dry_run: bool = False) -> list[PartnershipReminder]:
    """Sends every reminder due at `now` once; returns what was sent (or would be)."""
    due = reminders_due(now=now or timezone.now())
    if dry_run:
        return due
    sent = []
    for reminder in due:
        thing = reminder.context.get("commitment") or reminder.context["agreement"]
        context = {**reminder.context, "page_url": site_link(thing.get_absolute_url())}

        def build(
            reminder: PartnershipReminder = reminder, context: dict[str, Any] = context
        ) -> EmailMultiAlternatives:
            return templated_email(
                REMINDER_TEMPLATES[reminder.kind], context, to=reminder.recipient, language=reminder.language
            )

        if _deliver(reminder.kind, reminder.key, reminder.recipient, build):
            sent.append(reminder)
    return sent


# --- News digests


def news_subscriptions() -> "QuerySet[Subscription]":
    """The confirmed subscriptions to news (not the follows of actions and plans)."""
    return Subscription.objects.filter(kind=SubscriptionKind.NEWS, confirmed_at__isnull=False)


@dataclass
class DigestRun:
    subscriptions: int = 0
    sent: int = 0
    posts: int = 0
    failed: int = 0


def _live_posts(since: dt.datetime, now: dt.datetime) -> list[NewsPost]:
    """Posts that went live in (since, now], with the plans they concern (2 queries)."""
    posts = (
        NewsPost.objects.filter(publish_at__gt=since, publish_at__lte=now)
        .exclude(status=NewsStatus.DRAFT)
        .select_related("organization")
        .prefetch_related("plans")
        .order_by("publish_at", "id")
    )
    return list(posts)


def _matches(subscription: Subscription, post: NewsPost) -> bool:
    if subscription.plan_id:
        return any(plan.pk == subscription.plan_id for plan in post.plans.all())
    if subscription.organization_id:
        return post.organization_id == subscription.organization_id
    return True


def _confirmed(batch: int) -> Iterator[list[Subscription]]:
    """Confirmed subscriptions in batches by id (keyset pagination: constant memory, fixed queries a batch)."""
    last = 0
    base = news_subscriptions().select_related("plan", "organization")
    while True:
        chunk = list(base.filter(pk__gt=last).order_by("pk")[:batch])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _release_database_cache() -> None:
    """On SQLite, empties the connection's page cache after a batch: the settings let it grow to
    62.5 MiB (`cache_size`), and a send of 100,000 digests touches a growing table of records, so
    the worker's memory rose by some 24 MiB over the send (flat with a small cache, measured with
    `benchmarks/newsletter.py --sqlite-cache-mib 2`). The next batch reads its few pages again from
    the file. PostgreSQL keeps its cache in the server, not in the worker."""
    if db_connection.vendor == "sqlite":
        with db_connection.cursor() as cursor:
            cursor.execute("PRAGMA shrink_memory")


def send_news_digests(
    *, now: dt.datetime | None = None, batch: int = DIGEST_BATCH, progress: Callable[[DigestRun], None] | None = None
) -> DigestRun:
    """Sends each confirmed subscription the news that went live since its last digest.

    The posts are read once (those live since the oldest watermark), then matched in memory; each
    e-mail is sent in the transaction that moves its subscription's watermark to `now` and records
    it, so a second run at the same moment finds nothing new to send.
    """
    now = now or timezone.now()
    run = DigestRun()
    oldest = (
        news_subscriptions()
        .annotate(mark=Coalesce("last_sent_at", "confirmed_at"))
        .order_by("mark")
        .values_list("mark", flat=True)[:1]
    )
    since = next(iter(oldest), None)
    if since is None:
        return run
    posts = _live_posts(since, now)
    run.posts = len(posts)
    rendered = DigestRenderings()
    for chunk in _confirmed(batch):
        # One connection to the mail server a batch, not one per e-mail. If it cannot be opened,
        # each e-mail tries on its own and a refusal is counted as a failure, as it would be anyway.
        connection = get_connection()
        try:
            connection.open()
        except OSError:
            logger.warning("The mail server did not accept a connection; sending e-mail by e-mail")
            connection = None
        try:
            _send_chunk(chunk, posts, since, now, run, connection, rendered)
        finally:
            if connection is not None:
                connection.close()
        _release_database_cache()
        if progress is not None:
            progress(run)
    return run


def _send_chunk(
    chunk: list[Subscription],
    posts: list[NewsPost],
    since: dt.datetime,
    now: dt.datetime,
    run: DigestRun,
    connection: Any,
    rendered: "DigestRenderings",
) -> None:
    # One transaction a batch: each e-mail's record, watermark and hand-over still go together (a
    # savepoint each, rolled back alone when the mail server refuses it), but the batch is committed
    # once, not once an e-mail. The price: if the worker dies in the middle of a batch, the e-mails of
    # that batch handed over before are sent again by the next run (at most one batch, never more).
    due = []
    for subscription in chunk:
        run.subscriptions += 1
        mark = subscription.last_sent_at or subscription.confirmed_at or since
        fresh = [
            post
            for post in posts
            if post.publish_at is not None and post.publish_at > mark and _matches(subscription, post)
        ]
        if fresh:
            due.append((subscription, fresh))
    if not due:
        return
    with transaction.atomic():
        for subscription, fresh in due:
            outcome = _send_digest(subscription, fresh, now, connection, rendered)
            if outcome == SENT:
                run.sent += 1
            elif outcome == FAILED:
                run.failed += 1


UNSUBSCRIBE_MARK = "unsubscribe-link-placeholder"


class DigestRenderings:
    """The digest's subject, text and HTML rendered once per language, scope and set of posts, with
    a placeholder where each subscriber's own signed unsubscribe link goes: at 100,000 subscribers
    the three templates are rendered a few times, not 100,000 times."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str, tuple[int, ...]], tuple[str, str, str]] = {}

    def message(
        self, subscription: Subscription, posts: list[NewsPost], unsubscribe_url: str
    ) -> EmailMultiAlternatives:
        scope_title = _scope_title(subscription)
        key = (subscription.language, scope_title, tuple(post.pk for post in posts))
        if key not in self._cache:
            context = {
                "subscription": subscription,
                "scope_title": scope_title,
                "posts": [(post, site_link(post.get_absolute_url())) for post in posts],
                "unsubscribe_url": UNSUBSCRIBE_MARK,
            }
            with translation.override(subscription.language):
                template = templated_email(
                    "partnerships/email/news_digest", context, to=subscription.email, language=subscription.language
                )
            html = next(content for content, mimetype in template.alternatives if mimetype == "text/html")
            self._cache[key] = (str(template.subject), str(template.body), str(html))
        subject, text, html = self._cache[key]
        message = EmailMultiAlternatives(
            subject=subject,
            body=text.replace(UNSUBSCRIBE_MARK, unsubscribe_url),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[subscription.email],
            headers={"Content-Language": subscription.language},
        )
        message.attach_alternative(html.replace(UNSUBSCRIBE_MARK, escape(unsubscribe_url)), "text/html")
        return message


def unsubscribe_link(subscription: Subscription) -> str:
    with translation.override(subscription.language):
        path = reverse("partnerships:subscription-cancel", kwargs={"token": unsubscribe_token(subscription)})
    return site_link(path)


def _send_digest(
    subscription: Subscription,
    posts: list[NewsPost],
    now: dt.datetime,
    connection: Any = None,
    rendered: DigestRenderings | None = None,
) -> str:
    unsubscribe_url = unsubscribe_link(subscription)
    rendered = rendered or DigestRenderings()
    key = f"digest-{subscription.pk}-{now:%Y%m%dT%H%M%S}"

    def build() -> EmailMultiAlternatives:
        # The watermark moves in the same transaction as the record and the hand-over.
        updated = Subscription.objects.filter(pk=subscription.pk, last_sent_at=subscription.last_sent_at).update(
            last_sent_at=now
        )
        if not updated:
            raise IntegrityError("the subscription was sent by a concurrent run")
        message = rendered.message(subscription, posts, unsubscribe_url)
        message.connection = connection
        return with_unsubscribe_headers(message, unsubscribe_url)

    return attempt(MailKind.NEWS_DIGEST, key, subscription.email, build)


# --- A newsletter send: the digests run with its state and counts kept for the progress page


def run_newsletter_send(
    send: NewsletterSend,
    *,
    now: dt.datetime | None = None,
    batch: int = DIGEST_BATCH,
    on_batch: Callable[[DigestRun], None] | None = None,
) -> NewsletterSend:
    """Runs a queued send once (a second call, or a second worker, does nothing), writing its counts
    after every batch; an unexpected error marks it failed with the error, and what was sent stays
    recorded, so queuing a new send finishes the rest without sending anything twice."""
    now = now or timezone.now()
    started = timezone.now()
    total = news_subscriptions().count()
    claimed = NewsletterSend.objects.filter(pk=send.pk, state=SendState.QUEUED).update(
        state=SendState.SENDING, started_at=started, total=total
    )
    if not claimed:
        send.refresh_from_db()
        return send

    def progress(run: DigestRun) -> None:
        NewsletterSend.objects.filter(pk=send.pk).update(
            processed=run.subscriptions, sent=run.sent, failed=run.failed, posts=run.posts
        )
        if on_batch is not None:
            on_batch(run)

    try:
        run = send_news_digests(now=now, batch=batch, progress=progress)
    except Exception as exc:  # noqa: BLE001 - any failure is shown on the progress page
        logger.exception("Newsletter send %s failed", send.pk)
        NewsletterSend.objects.filter(pk=send.pk).update(
            state=SendState.FAILED, finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"[:2000]
        )
    else:
        NewsletterSend.objects.filter(pk=send.pk).update(
            state=SendState.DONE,
            finished_at=timezone.now(),
            processed=run.subscriptions,
            sent=run.sent,
            failed=run.failed,
            posts=run.posts,
        )
    send.refresh_from_db()
    return send
