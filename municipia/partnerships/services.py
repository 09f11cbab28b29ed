"""Every write to agreements, commitments, clarifications and news: pages, admin, API and the demo call these.

Each service runs in one transaction, validates (naming the field), records who changed what in
the history, and marks public content as changed so cached public pages are rendered afresh.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.core.cache import content_changed
from municipia.core.services import apply_fields, delete_with_history, save_with_history, unique_slug
from municipia.core.visibility import User
from municipia.diagnosis.models import Campaign
from municipia.governance.models import Meeting, Task
from municipia.organizations.models import Organization
from municipia.organizations.permissions import editable_organization_ids
from municipia.partnerships.choices import ClarificationStatus, NewsStatus, SubscriptionKind
from municipia.partnerships.entities import (
    AGREEMENT,
    CLARIFICATION,
    COMMITMENT,
    DOCUMENT,
    NEWS_POST,
    SIGNATORY,
    SUBSCRIPTION,
)
from municipia.partnerships.models import (
    Agreement,
    AgreementDocument,
    Clarification,
    ClarificationVersion,
    Commitment,
    NewsletterSend,
    NewsPost,
    Signatory,
    Subscription,
)
from municipia.strategy.models import Action, Plan

AGREEMENT_FIELDS = AGREEMENT.editable_names()
SIGNATORY_FIELDS = SIGNATORY.editable_names()
DOCUMENT_FIELDS = DOCUMENT.editable_names()
COMMITMENT_FIELDS = COMMITMENT.editable_names()
CLARIFICATION_FIELDS = CLARIFICATION.editable_names()
NEWS_POST_FIELDS = NEWS_POST.editable_names()
SUBSCRIPTION_FIELDS = SUBSCRIPTION.editable_names()

M = TypeVar("M", bound=Model)

PDF_MAGIC = b"%PDF-"
DEFAULT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def document_max_bytes() -> int:
    """The largest document accepted (setting `PARTNERSHIPS_DOCUMENT_MAX_BYTES`, 10 MiB by default)."""
    return int(getattr(settings, "PARTNERSHIPS_DOCUMENT_MAX_BYTES", DEFAULT_DOCUMENT_MAX_BYTES))


def _saved(instance: M, *, acting_user: User | None, reason: str = "") -> M:
    save_with_history(instance, acting_user=acting_user, reason=reason)
    content_changed()
    return instance


def _deleted(instance: Model, *, acting_user: User | None) -> None:
    delete_with_history(instance, acting_user=acting_user)
    content_changed()


# --- Agreements


def _party_list(owner: Organization, parties: Iterable[Organization] | None) -> list[Organization]:
    chosen = {party.pk: party for party in (parties or ())}
    chosen.setdefault(owner.pk, owner)
    return list(chosen.values())


def _check_commitments_in_period(agreement: Agreement) -> None:
    if not agreement.pk:
        return
    start, end = agreement.period_start, agreement.expires_on
    dues = [c.due_date for c in agreement.commitments.exclude(due_date=None).only("due_date") if c.due_date]
    outside = [due for due in dues if (start and due < start) or (end and due > end)]
    if outside:
        raise ValidationError({"expires_on": _("Some commitments fall due outside this period.")})


@transaction.atomic
def agreement_create(
    *,
    acting_user: User | None,
    owner: Organization,
    data: dict[str, Any],
    parties: Iterable[Organization] | None = None,
) -> Agreement:
    agreement = Agreement(owner=owner)
    apply_fields(agreement, data, AGREEMENT_FIELDS)
    if not agreement.slug:
        agreement.slug = unique_slug(Agreement, agreement.title or "agreement")
    _saved(agreement, acting_user=acting_user)
    agreement.parties.set(_party_list(owner, parties))
    return agreement


@transaction.atomic
def agreement_update(
    *,
    acting_user: User | None,
    agreement: Agreement,
    data: dict[str, Any],
    parties: Iterable[Organization] | None = None,
) -> Agreement:
    apply_fields(agreement, data, AGREEMENT_FIELDS)
    _check_commitments_in_period(agreement)
    _saved(agreement, acting_user=acting_user)
    if parties is not None:
        chosen = _party_list(agreement.owner, parties)
        kept = {party.pk for party in chosen}
        bound = set(agreement.commitments.values_list("party_id", flat=True)) | set(
            agreement.signatories.values_list("organization_id", flat=True)
        )
        if bound - kept:
            raise ValidationError({"parties": _("A party with commitments or signatories cannot be removed.")})
        agreement.parties.set(chosen)
    return agreement


@transaction.atomic
def agreement_delete(*, acting_user: User | None, agreement: Agreement) -> None:
    _deleted(agreement, acting_user=acting_user)


def _check_party(agreement: Agreement, organization: Organization | None, field: str) -> None:
    if organization is not None and not agreement.parties.filter(pk=organization.pk).exists():
        raise ValidationError({field: _("Choose one of the agreement's parties.")})


# --- Signatories


@transaction.atomic
def signatory_create(*, acting_user: User | None, agreement: Agreement, data: dict[str, Any]) -> Signatory:
    signatory = Signatory(agreement=agreement)
    apply_fields(signatory, data, SIGNATORY_FIELDS)
    _check_party(agreement, data.get("organization"), "organization")
    return _saved(signatory, acting_user=acting_user)


@transaction.atomic
def signatory_update(*, acting_user: User | None, signatory: Signatory, data: dict[str, Any]) -> Signatory:
    apply_fields(signatory, data, SIGNATORY_FIELDS)
    _check_party(signatory.agreement, data.get("organization"), "organization")
    return _saved(signatory, acting_user=acting_user)


@transaction.atomic
def signatory_delete(*, acting_user: User | None, signatory: Signatory) -> None:
    _deleted(signatory, acting_user=acting_user)


# --- Documents


def _check_pdf(upload: UploadedFile | None) -> None:
    """A PDF by its content (the `%PDF-` signature), not by its name or declared type, and not too large."""
    if upload is None:
        raise ValidationError({"file": _("Choose a PDF file.")})
    limit = document_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {"file": _("The file is too large: at most %(size)s MB.") % {"size": round(limit / 1048576, 1)}}
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError({"file": _("The file is not a PDF document.")})


@transaction.atomic
def document_create(*, acting_user: User | None, agreement: Agreement, data: dict[str, Any]) -> AgreementDocument:
    _check_pdf(data.get("file"))
    document = AgreementDocument(agreement=agreement)
    apply_fields(document, data, DOCUMENT_FIELDS)
    document.size = data["file"].size or 0
    return _saved(document, acting_user=acting_user)


@transaction.atomic
def document_update(
    *, acting_user: User | None, document: AgreementDocument, data: dict[str, Any]
) -> AgreementDocument:
    if data.get("file") is not None and data["file"] != document.file:
        _check_pdf(data["file"])
        document.size = data["file"].size or 0
    else:
        data = {k: v for k, v in data.items() if k != "file"}
    apply_fields(document, data, DOCUMENT_FIELDS)
    return _saved(document, acting_user=acting_user)


@transaction.atomic
def document_delete(*, acting_user: User | None, document: AgreementDocument) -> None:
    stored = document.file
    _deleted(document, acting_user=acting_user)
    # The file goes once the row is gone for good (not when the transaction rolls back).
    transaction.on_commit(lambda: stored.storage.delete(stored.name) if stored.name else None)


# --- Commitments


def _save_commitment(
    commitment: Commitment, *, acting_user: User | None, links: dict[str, Iterable | None]
) -> Commitment:
    errors: dict[str, list] = {}
    try:
        commitment.full_clean(exclude=list(commitment.required_translations))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        _check_party(commitment.agreement, commitment.party if commitment.party_id else None, "party")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    _saved(commitment, acting_user=acting_user)
    for name, values in links.items():
        if values is not None:
            getattr(commitment, name).set(list(values))
    return commitment


@transaction.atomic
def commitment_create(
    *,
    acting_user: User | None,
    agreement: Agreement,
    data: dict[str, Any],
    actions: Iterable[Action] | None = None,
    tasks: Iterable[Task] | None = None,
    meetings: Iterable[Meeting] | None = None,
    campaigns: Iterable[Campaign] | None = None,
) -> Commitment:
    commitment = Commitment(agreement=agreement)
    apply_fields(commitment, data, COMMITMENT_FIELDS)
    links = {"actions": actions, "tasks": tasks, "meetings": meetings, "campaigns": campaigns}
    return _save_commitment(commitment, acting_user=acting_user, links=links)


@transaction.atomic
def commitment_update(
    *,
    acting_user: User | None,
    commitment: Commitment,
    data: dict[str, Any],
    actions: Iterable[Action] | None = None,
    tasks: Iterable[Task] | None = None,
    meetings: Iterable[Meeting] | None = None,
    campaigns: Iterable[Campaign] | None = None,
) -> Commitment:
    apply_fields(commitment, data, COMMITMENT_FIELDS)
    links = {"actions": actions, "tasks": tasks, "meetings": meetings, "campaigns": campaigns}
    return _save_commitment(commitment, acting_user=acting_user, links=links)


@transaction.atomic
def commitment_delete(*, acting_user: User | None, commitment: Commitment) -> None:
    _deleted(commitment, acting_user=acting_user)


# --- Clarifications

SNAPSHOT_FIELDS = [name for name in CLARIFICATION_FIELDS if name not in ("is_demo", "correction_note", "slug")]


def clarification_snapshot(clarification: Clarification) -> dict[str, Any]:
    values = {name: getattr(clarification, name) for name in SNAPSHOT_FIELDS}
    return {name: value.isoformat() if hasattr(value, "isoformat") else value for name, value in values.items()}


def _set_links(clarification: Clarification, plans: Iterable[Plan] | None, actions: Iterable[Action] | None) -> None:
    if plans is not None:
        clarification.plans.set(list(plans))
    if actions is not None:
        clarification.actions.set(list(actions))


@transaction.atomic
def clarification_create(
    *,
    acting_user: User | None,
    publisher: Organization,
    data: dict[str, Any],
    plans: Iterable[Plan] | None = None,
    actions: Iterable[Action] | None = None,
) -> Clarification:
    """A draft clarification; its author is the acting user, and someone else publishes it."""
    clarification = Clarification(publisher=publisher, status=ClarificationStatus.DRAFT)
    apply_fields(clarification, data, CLARIFICATION_FIELDS)
    if acting_user is not None and acting_user.is_authenticated:
        clarification.author_id = acting_user.pk
    if not clarification.slug:
        clarification.slug = unique_slug(Clarification, clarification.title or "clarification")
    _saved(clarification, acting_user=acting_user)
    _set_links(clarification, plans, actions)
    return clarification


@transaction.atomic
def clarification_update(
    *,
    acting_user: User | None,
    clarification: Clarification,
    data: dict[str, Any],
    plans: Iterable[Plan] | None = None,
    actions: Iterable[Action] | None = None,
) -> Clarification:
    """Edits a draft; a change to a published clarification is a correction, keeping the earlier text."""
    before = clarification_snapshot(Clarification.objects.get(pk=clarification.pk))
    apply_fields(clarification, data, CLARIFICATION_FIELDS)
    corrected = (
        clarification.status == ClarificationStatus.PUBLISHED and clarification_snapshot(clarification) != before
    )
    if corrected:
        last = clarification.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ClarificationVersion.objects.create(clarification=clarification, number=last + 1, snapshot=before)
        clarification.corrected_at = timezone.now()
    _saved(clarification, acting_user=acting_user, reason=clarification.correction_note if corrected else "")
    _set_links(clarification, plans, actions)
    return clarification


@transaction.atomic
def clarification_publish(*, acting_user: User | None, clarification: Clarification) -> Clarification:
    """Publishes after a second person's review: never by its author, always by an editor of the publisher."""
    if clarification.author_id is not None and clarification.author_id == getattr(acting_user, "pk", None):
        raise ValidationError(
            {"reviewer": _("No one publishes alone: another editor must review and publish this clarification.")}
        )
    if acting_user is None or not acting_user.is_authenticated:
        raise ValidationError({"reviewer": _("Only an editor of the publishing organisation may publish it.")})
    is_admin = bool(getattr(acting_user, "is_superuser", False))
    if not is_admin and clarification.publisher_id not in editable_organization_ids(acting_user):
        raise ValidationError({"reviewer": _("Only an editor of the publishing organisation may publish it.")})
    if clarification.status == ClarificationStatus.PUBLISHED:
        return clarification
    clarification.status = ClarificationStatus.PUBLISHED
    clarification.reviewer_id = getattr(acting_user, "pk", None)
    clarification.published_at = clarification.published_at or timezone.now()
    return _saved(clarification, acting_user=acting_user)


@transaction.atomic
def clarification_delete(*, acting_user: User | None, clarification: Clarification) -> None:
    _deleted(clarification, acting_user=acting_user)


# --- News


def _news_links(post: NewsPost, links: dict[str, Iterable | None]) -> None:
    for name, values in links.items():
        if values is not None:
            getattr(post, name).set(list(values))


def _settle_schedule(post: NewsPost) -> None:
    """Published without a time means now; a time still to come means scheduled."""
    if post.status == NewsStatus.PUBLISHED and post.publish_at is None:
        post.publish_at = timezone.now()
    if post.status == NewsStatus.PUBLISHED and post.publish_at is not None and post.publish_at > timezone.now():
        post.status = NewsStatus.SCHEDULED


@transaction.atomic
def news_post_create(
    *,
    acting_user: User | None,
    organization: Organization,
    data: dict[str, Any],
    plans: Iterable[Plan] | None = None,
    actions: Iterable[Action] | None = None,
    agreements: Iterable[Agreement] | None = None,
    meetings: Iterable[Meeting] | None = None,
) -> NewsPost:
    post = NewsPost(organization=organization)
    apply_fields(post, data, NEWS_POST_FIELDS)
    if not post.slug:
        post.slug = unique_slug(NewsPost, post.title or "news")
    _settle_schedule(post)
    _saved(post, acting_user=acting_user)
    _news_links(post, {"plans": plans, "actions": actions, "agreements": agreements, "meetings": meetings})
    return post


@transaction.atomic
def news_post_update(
    *,
    acting_user: User | None,
    post: NewsPost,
    data: dict[str, Any],
    plans: Iterable[Plan] | None = None,
    actions: Iterable[Action] | None = None,
    agreements: Iterable[Agreement] | None = None,
    meetings: Iterable[Meeting] | None = None,
) -> NewsPost:
    apply_fields(post, data, NEWS_POST_FIELDS)
    _settle_schedule(post)
    _saved(post, acting_user=acting_user)
    _news_links(post, {"plans": plans, "actions": actions, "agreements": agreements, "meetings": meetings})
    return post


@transaction.atomic
def news_post_delete(*, acting_user: User | None, post: NewsPost) -> None:
    _deleted(post, acting_user=acting_user)


# --- Newsletter subscriptions (no account: double opt-in and one-click unsubscribe by signed links)


def subscription_scope(*, plan: Plan | None, organization: Organization | None) -> str:
    if plan is not None and organization is not None:
        raise ValidationError({"plan": _("Follow a plan or an organisation, not both at once.")})
    if plan is not None:
        return f"plan-{plan.pk}"
    if organization is not None:
        return f"organization-{organization.pk}"
    return "site"


def follow_scope(target: Action | Plan) -> str:
    return f"follow-action-{target.pk}" if isinstance(target, Action) else f"follow-plan-{target.pk}"


def _clean_subscription(subscription: Subscription) -> Subscription:
    subscription.email = (subscription.email or "").strip().lower()
    if subscription.kind == SubscriptionKind.FOLLOW:
        target = subscription.action if subscription.action_id else subscription.plan
        assert target is not None
        subscription.scope = follow_scope(target)
    else:
        subscription.scope = subscription_scope(plan=subscription.plan, organization=subscription.organization)
    subscription.full_clean(validate_constraints=False)
    same = Subscription.objects.filter(email=subscription.email, scope=subscription.scope)
    if same.exclude(pk=subscription.pk).exists():
        if subscription.kind == SubscriptionKind.FOLLOW:
            raise ValidationError({"email": _("This address already follows it.")})
        raise ValidationError({"email": _("This address already follows these news.")})
    return subscription


@transaction.atomic
def subscription_request(
    *, email: str, language: str, plan: Plan | None = None, organization: Organization | None = None
) -> Subscription:
    """A new, unconfirmed subscription; the confirmation e-mail is sent once the transaction commits.

    An address that asked before without confirming is sent the confirmation again; a confirmed
    one is refused (the message names the e-mail field). Nothing is saved or sent on bad input.
    """
    from municipia.partnerships import mail  # the e-mails import this module's models and selectors

    existing = Subscription.objects.filter(
        email=(email or "").strip().lower(),
        scope=subscription_scope(plan=plan, organization=organization),
        confirmed_at__isnull=True,
    ).first()
    subscription = existing or Subscription(email=email, language=language, plan=plan, organization=organization)
    subscription.language = language
    _clean_subscription(subscription)
    subscription.save()
    transaction.on_commit(lambda: mail.send_confirmation(subscription))
    return subscription


@transaction.atomic
def subscription_confirm(*, subscription: Subscription) -> Subscription:
    """Confirms the address (the signed link was opened); news published from now on are sent."""
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.last_sent_at = subscription.confirmed_at
        fields = ["confirmed_at", "last_sent_at", "updated_at"]
        if subscription.kind == SubscriptionKind.FOLLOW and subscription.target is not None:
            # Changes from now on are told: the state at confirmation is the "before" of the first.
            from municipia.partnerships.follows import current_state

            subscription.notified_state = current_state(subscription.target)
            fields.append("notified_state")
        subscription.save(update_fields=fields)
    return subscription


@transaction.atomic
def subscription_cancel(*, subscription: Subscription) -> None:
    """Unsubscribes: the address and its subscription are deleted, nothing more is sent."""
    subscription.delete()


@transaction.atomic
def subscription_create(*, acting_user: User | None, data: dict[str, Any]) -> Subscription:
    """A subscription entered by a site administrator (admin): confirmed only if `confirmed_at` is given."""
    subscription = Subscription()
    apply_fields(subscription, data, SUBSCRIPTION_FIELDS)
    _clean_subscription(subscription).save()
    return subscription


@transaction.atomic
def subscription_update(*, acting_user: User | None, subscription: Subscription, data: dict[str, Any]) -> Subscription:
    apply_fields(subscription, data, SUBSCRIPTION_FIELDS)
    _clean_subscription(subscription).save()
    return subscription


@transaction.atomic
def subscription_delete(*, acting_user: User | None, subscription: Subscription) -> None:
    subscription.delete()


# --- Following an action or a plan (a subscription of kind "follow")


def _follow_target(action: Action | None, plan: Plan | None) -> dict[str, Any]:
    if (action is None) == (plan is None):
        raise ValidationError({"action": _("Follow one action or one plan.")})
    return {"action": action} if action is not None else {"plan": plan}


def _target_of(action: Action | None, plan: Plan | None) -> Action | Plan:
    target = action if action is not None else plan
    if target is None or (action is not None and plan is not None):
        raise ValidationError({"action": _("Follow one action or one plan.")})
    return target


@transaction.atomic
def follow_create(
    *, acting_user: User, language: str, action: Action | None = None, plan: Plan | None = None
) -> Subscription:
    """A signed-in user follows an action or a plan (which the caller fetched through the user's
    scoped getter); confirmed at once, told of changes from now on. Following twice is one follow."""
    from municipia.partnerships.follows import current_state

    if acting_user is None or not acting_user.is_authenticated:
        raise ValidationError({"email": _("Sign in, or give an e-mail address to confirm.")})
    email = (getattr(acting_user, "email", "") or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Your account has no e-mail address: add one to your profile first.")})
    target = _target_of(action, plan)
    scope = follow_scope(target)
    existing = Subscription.objects.filter(user_id=acting_user.pk, scope=scope).first()
    if existing is not None:
        return existing
    # The address may have followed it before signing in (confirmed or not): it becomes the user's.
    subscription = Subscription.objects.filter(email=email, scope=scope).first() or Subscription(
        kind=SubscriptionKind.FOLLOW, email=email, language=language, **_follow_target(action, plan)
    )
    subscription.user_id = acting_user.pk
    _clean_subscription(subscription)
    subscription.confirmed_at = subscription.confirmed_at or timezone.now()
    subscription.last_sent_at = subscription.last_sent_at or subscription.confirmed_at
    if not subscription.notified_state:
        subscription.notified_state = current_state(target)
    subscription.save()
    return subscription


@transaction.atomic
def follow_request(
    *, email: str, language: str, action: Action | None = None, plan: Plan | None = None
) -> Subscription:
    """A reader without an account asks to follow: a confirmation link is e-mailed (double opt-in).

    An address that asked before without confirming is sent the link again; a confirmed one is
    refused, naming the e-mail field. Nothing is saved or sent on bad input."""
    from municipia.partnerships import mail

    target = _target_of(action, plan)
    existing = Subscription.objects.filter(
        email=(email or "").strip().lower(), scope=follow_scope(target), confirmed_at__isnull=True
    ).first()
    subscription = existing or Subscription(
        kind=SubscriptionKind.FOLLOW, email=email, language=language, **_follow_target(action, plan)
    )
    subscription.language = language
    _clean_subscription(subscription)
    subscription.save()
    transaction.on_commit(lambda: mail.send_confirmation(subscription))
    return subscription


@transaction.atomic
def follow_cancel(*, acting_user: User, action: Action | None = None, plan: Plan | None = None) -> int:
    """The signed-in user stops following (anonymous followers use the signed link); the number ended."""
    target = action if action is not None else plan
    if target is None or acting_user is None or not acting_user.is_authenticated:
        return 0
    deleted, _detail = Subscription.objects.filter(user_id=acting_user.pk, scope=follow_scope(target)).delete()
    return deleted


# --- Newsletter sends


@transaction.atomic
def newsletter_send_queue(*, acting_user: User | None) -> NewsletterSend:
    """Queues a send of the news digests for the worker (a running one is returned instead of a second)."""
    running = NewsletterSend.objects.filter(state__in=["queued", "sending"]).order_by("-created_at").first()
    if running is not None:
        return running
    send = NewsletterSend.objects.create(
        requested_by_id=acting_user.pk if acting_user is not None and acting_user.is_authenticated else None
    )
    from municipia.partnerships import tasks

    transaction.on_commit(lambda: tasks.send_newsletter.delay(send.pk))
    return send
