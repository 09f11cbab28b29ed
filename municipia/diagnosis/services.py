"""Every write of the diagnosis: questionnaires, campaigns, invitations, responses, maturity, findings."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import math
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from municipia.core.datafiles import UnreadableTable, csv_rows
from municipia.core.i18n import language_codes, translated_names
from municipia.core.mail import templated_email
from municipia.core.services import apply_fields, delete_with_history, save_with_history, signed_in, unique_slug
from municipia.core.visibility import User
from municipia.diagnosis import analysis
from municipia.diagnosis.answers import Structure, clean_answers
from municipia.diagnosis.choices import Access, CampaignStatus, QuestionKind, RefusalReason
from municipia.diagnosis.entities import CAMPAIGN, FINDING, OPTION, QUESTION, QUESTIONNAIRE, SECTION
from municipia.diagnosis.models import (
    Answer,
    Campaign,
    Finding,
    Invitation,
    MaturityAssessment,
    MaturityDimension,
    MaturityRating,
    Option,
    Question,
    Questionnaire,
    RefusedSubmission,
    Response,
    Section,
)
from municipia.organizations.models import Department, Organization

if TYPE_CHECKING:
    from municipia.strategy.models import Axis, Challenge, Plan

# The editable fields of each model, from its one declaration (diagnosis/entities.py).
QUESTIONNAIRE_FIELDS = QUESTIONNAIRE.editable_names()
SECTION_FIELDS = SECTION.editable_names()
QUESTION_FIELDS = QUESTION.editable_names()
OPTION_FIELDS = OPTION.editable_names()
CAMPAIGN_FIELDS = CAMPAIGN.editable_names()
FINDING_FIELDS = FINDING.editable_names()
CSV_MAX_ROWS = 10_000
RATE_LIMIT_PER_HOUR = 20


# --- Questionnaires


@transaction.atomic
def questionnaire_create(*, acting_user: User, owner: Organization | None, data: dict[str, Any]) -> Questionnaire:
    questionnaire = Questionnaire(owner=owner)
    apply_fields(questionnaire, data, QUESTIONNAIRE_FIELDS)
    return save_with_history(questionnaire, acting_user=acting_user)


@transaction.atomic
def questionnaire_update(*, acting_user: User, questionnaire: Questionnaire, data: dict[str, Any]) -> Questionnaire:
    apply_fields(questionnaire, data, QUESTIONNAIRE_FIELDS)
    return save_with_history(questionnaire, acting_user=acting_user)


@transaction.atomic
def questionnaire_delete(*, acting_user: User, questionnaire: Questionnaire) -> None:
    if questionnaire.campaigns.exists():
        raise ValidationError(_("This questionnaire has campaigns; it cannot be deleted."))
    delete_with_history(questionnaire, acting_user=acting_user)


def _next_position(siblings: QuerySet) -> int:
    """The position after the last of `siblings` (a new section, question or option goes last)."""
    return (siblings.order_by("-position").values_list("position", flat=True).first() or 0) + 1


def _part_create(
    part: Section | Option,
    questionnaire: Questionnaire,
    siblings: QuerySet,
    data: dict[str, Any],
    fields: list[str],
    acting_user: User,
) -> Any:
    """A new section or option of a questionnaire without responses, placed last unless `data` places it."""
    _ensure_unanswered(questionnaire)
    apply_fields(part, data, fields)
    if "position" not in data:
        part.position = _next_position(siblings)
    return save_with_history(part, acting_user=acting_user)


def _ensure_unanswered(questionnaire: Questionnaire) -> None:
    # Changing the questions of a questionnaire with answers would change what those answers mean.
    if Response.objects.filter(campaign__questionnaire=questionnaire).exists():
        raise ValidationError(_("This questionnaire already has responses; copy it to change its questions."))


@transaction.atomic
def questionnaire_copy(
    *, acting_user: User, source: Questionnaire, owner: Organization, data: dict[str, Any] | None = None
) -> Questionnaire:
    """“Use this template”: a full copy (sections, questions, options, conditions) owned by `owner`."""
    copy = Questionnaire(owner=owner, kind=source.kind, copied_from=source)
    for name in translated_names("title", "description"):
        setattr(copy, name, getattr(source, name))
    apply_fields(copy, data or {}, QUESTIONNAIRE_FIELDS)
    save_with_history(copy, acting_user=acting_user)
    section_map: dict[int, Section] = {}
    for section in source.sections.order_by("position", "id"):
        new = Section(questionnaire=copy, position=section.position)
        for name in translated_names("title", "description"):
            setattr(new, name, getattr(section, name))
        new.save()
        section_map[section.pk] = new
    question_map: dict[int, Question] = {}
    conditions: list[tuple[Question, int]] = []
    options: list[Option] = []
    for question in source.questions.select_related("section").prefetch_related("options"):
        new_question = Question(questionnaire=copy, section=section_map[question.section_id])
        for name in QUESTION_FIELDS:
            if name not in ("section", "show_if_question"):
                setattr(new_question, name, getattr(question, name))
        new_question.save()
        question_map[question.pk] = new_question
        if question.show_if_question_id:
            conditions.append((new_question, question.show_if_question_id))
        for option in question.options.all():
            new_option = Option(question=new_question, code=option.code, position=option.position, is_row=option.is_row)
            for name in translated_names("label"):
                setattr(new_option, name, getattr(option, name))
            options.append(new_option)
    Option.objects.bulk_create(options)
    for question, condition_id in conditions:
        question.show_if_question = question_map[condition_id]
        question.save(update_fields=["show_if_question"])
    return copy


@transaction.atomic
def section_create(*, acting_user: User, questionnaire: Questionnaire, data: dict[str, Any]) -> Section:
    section = Section(questionnaire=questionnaire)
    return _part_create(section, questionnaire, questionnaire.sections.all(), data, SECTION_FIELDS, acting_user)


@transaction.atomic
def section_update(*, acting_user: User, section: Section, data: dict[str, Any]) -> Section:
    apply_fields(section, data, SECTION_FIELDS)
    return save_with_history(section, acting_user=acting_user)


@transaction.atomic
def section_delete(*, acting_user: User, section: Section) -> None:
    _ensure_unanswered(section.questionnaire)
    delete_with_history(section, acting_user=acting_user)


@transaction.atomic
def question_create(*, acting_user: User, section: Section, data: dict[str, Any]) -> Question:
    _ensure_unanswered(section.questionnaire)
    question = Question(section=section, questionnaire_id=section.questionnaire_id)
    apply_fields(question, data, QUESTION_FIELDS)
    if question.section_id != section.pk and question.section.questionnaire_id != section.questionnaire_id:
        raise ValidationError({"section": _("Choose a section of this questionnaire.")})
    if "position" not in data:
        question.position = _next_position(section.questions.all())
    return save_with_history(question, acting_user=acting_user)


@transaction.atomic
def question_update(*, acting_user: User, question: Question, data: dict[str, Any]) -> Question:
    if {"kind", "code", "section"} & set(data):
        _ensure_unanswered(question.questionnaire)
    apply_fields(question, data, QUESTION_FIELDS)
    if question.section.questionnaire_id != question.questionnaire_id:
        raise ValidationError({"section": _("Choose a section of this questionnaire.")})
    return save_with_history(question, acting_user=acting_user)


@transaction.atomic
def question_delete(*, acting_user: User, question: Question) -> None:
    _ensure_unanswered(question.questionnaire)
    delete_with_history(question, acting_user=acting_user)


@transaction.atomic
def option_create(*, acting_user: User, question: Question, data: dict[str, Any]) -> Option:
    option = Option(question=question)
    return _part_create(option, question.questionnaire, question.options.all(), data, OPTION_FIELDS, acting_user)


@transaction.atomic
def option_update(*, acting_user: User, option: Option, data: dict[str, Any]) -> Option:
    if "code" in data and data["code"] != option.code:
        _ensure_unanswered(option.question.questionnaire)
    apply_fields(option, data, OPTION_FIELDS)
    return save_with_history(option, acting_user=acting_user)


@transaction.atomic
def option_delete(*, acting_user: User, option: Option) -> None:
    _ensure_unanswered(option.question.questionnaire)
    delete_with_history(option, acting_user=acting_user)


# --- Campaigns


@transaction.atomic
def campaign_create(
    *,
    acting_user: User,
    owner: Organization,
    questionnaire: Questionnaire,
    data: dict[str, Any],
    population_margins: dict[str, dict[str, float]] | None = None,
) -> Campaign:
    campaign = Campaign(owner=owner, questionnaire=questionnaire)
    campaign.created_by = signed_in(acting_user)
    apply_fields(campaign, data, CAMPAIGN_FIELDS)
    if not campaign.slug:
        campaign.slug = unique_slug(Campaign, campaign.title or "campaign")
    campaign = save_with_history(campaign, acting_user=acting_user)
    return _margins_set(acting_user, campaign, population_margins)


@transaction.atomic
def campaign_update(
    *,
    acting_user: User,
    campaign: Campaign,
    data: dict[str, Any],
    questionnaire: Questionnaire | None = None,
    population_margins: dict[str, dict[str, float]] | None = None,
) -> Campaign:
    """Saves a campaign's fields (and, when given, its questionnaire and population margins)."""
    if campaign.responses.exists() and {"access", "is_anonymous"} & {
        k for k, v in data.items() if v != getattr(campaign, k)
    }:
        # The anonymity promise made to those who already answered cannot change under them.
        raise ValidationError({"is_anonymous": _("Access and anonymity cannot change once responses exist.")})
    apply_fields(campaign, data, CAMPAIGN_FIELDS)
    if questionnaire is not None:
        campaign.questionnaire = questionnaire
    campaign = save_with_history(campaign, acting_user=acting_user)
    if campaign.is_anonymous:
        # Answers saved with invitations before the campaign became anonymous would stay next to
        # the invitees' e-mail addresses: an anonymous campaign keeps no draft with an invitation.
        campaign.invitations.exclude(draft={}).update(draft={})
    return _margins_set(acting_user, campaign, population_margins)


def _margins_set(acting_user: User, campaign: Campaign, margins: dict[str, dict[str, float]] | None) -> Campaign:
    if margins is None:
        return campaign
    return campaign_margins_update(acting_user=acting_user, campaign=campaign, margins=margins)


@transaction.atomic
def campaign_delete(*, acting_user: User, campaign: Campaign) -> None:
    """Deletes a campaign with its invitations, responses and results (site administrators only)."""
    delete_with_history(campaign, acting_user=acting_user)


@transaction.atomic
def campaign_open(*, acting_user: User, campaign: Campaign) -> Campaign:
    if campaign.closes_at and campaign.closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("The closing date has passed; move it before opening again.")})
    if not campaign.questionnaire.questions.exists():
        raise ValidationError(_("The questionnaire has no questions yet."))
    campaign.status = CampaignStatus.OPEN
    return save_with_history(campaign, acting_user=acting_user, reason="open")


@transaction.atomic
def campaign_close(*, acting_user: User, campaign: Campaign) -> Campaign:
    campaign.status = CampaignStatus.CLOSED
    return save_with_history(campaign, acting_user=acting_user, reason="close")


@transaction.atomic
def campaign_new_wave(*, acting_user: User, campaign: Campaign, data: dict[str, Any] | None = None) -> Campaign:
    """Repeats a campaign with the same questionnaire as its next wave (a draft, no invitations)."""
    first = campaign.wave_of or campaign
    last_wave = max([campaign.wave_number, *first.later_waves.values_list("wave_number", flat=True)])
    wave = Campaign(
        questionnaire=campaign.questionnaire,
        owner=campaign.owner,
        plan=campaign.plan,
        audience=campaign.audience,
        access=campaign.access,
        is_anonymous=campaign.is_anonymous,
        language=campaign.language,
        results_published_to=campaign.results_published_to,
        wave_of=first,
        wave_number=last_wave + 1,
    )
    for name in translated_names("title", "description"):
        setattr(wave, name, getattr(campaign, name))
    wave.created_by = signed_in(acting_user)
    apply_fields(wave, data or {}, CAMPAIGN_FIELDS)
    if not wave.slug:
        wave.slug = unique_slug(Campaign, f"{first.slug}-wave-{wave.wave_number}")
    return save_with_history(wave, acting_user=acting_user)


# --- Population margins

# Shares typed as percentages with one or two decimals add up to 100 within this.
MARGIN_SUM_TOLERANCE = 0.001


def _margin_questions(campaign: Campaign) -> dict[str, Question]:
    """The campaign's single-choice profile questions, by code and by profile (what a margin may name)."""
    questions = list(
        Question.objects.filter(
            questionnaire_id=campaign.questionnaire_id, is_profile=True, kind=QuestionKind.SINGLE_CHOICE
        ).prefetch_related("options")
    )
    by_name = {q.profile_kind: q for q in questions if q.profile_kind}
    by_name.update({q.code: q for q in questions})
    return by_name


def _share_problem(parts: list[str], codes: list[set[str]], category: Any, share: Any) -> str | None:
    """What is wrong with one cell of a margin (its message still to be filled in), if anything."""
    values = str(category).split("|")
    if len(values) != len(parts) or any(v not in known for v, known in zip(values, codes, strict=False)):
        return _("Margin “%(margin)s”, category “%(category)s”: not an option of the profile question(s).")
    if isinstance(share, bool) or not isinstance(share, int | float) or not math.isfinite(share):
        return _("Margin “%(margin)s”, category “%(category)s”: the share must be a number.")
    if share < 0:
        return _("Margin “%(margin)s”, category “%(category)s”: the share cannot be negative.")
    if share > 1:
        return _("Margin “%(margin)s”, category “%(category)s”: the share cannot be more than 1 (100 %%).")
    return None


def _margin_problems(name: Any, cells: Any, questions: dict[str, Question]) -> list[str]:
    """The problems of one margin: its questions, then each cell, then the shares' total."""
    parts = str(name).split("|")
    found = [questions.get(part) for part in parts]
    missing = [part for part, question in zip(parts, found, strict=True) if question is None]
    if missing:
        return [
            _("Margin “%(margin)s”: “%(part)s” is not a single-choice profile question of this questionnaire.")
            % {"margin": name, "part": missing[0]}
        ]
    if not isinstance(cells, dict) or not cells:
        return [_("Margin “%(margin)s” is empty: give the population share of its categories.") % {"margin": name}]
    codes = [{option.code for option in question.options.all() if not option.is_row} for question in found if question]
    problems: list[str] = []
    total = 0.0
    for category, share in cells.items():
        problem = _share_problem(parts, codes, category, share)
        if problem is None:
            total += share
        else:
            problems.append(problem % {"margin": name, "category": category})
    if not problems and abs(total - 1.0) > MARGIN_SUM_TOLERANCE:
        problems.append(
            _("Margin “%(margin)s”: the shares add up to %(total)s %%, not 100 %%.")
            % {"margin": name, "total": f"{100 * total:.1f}"}
        )
    return problems


def margins_problems(campaign: Campaign, margins: Any) -> list[str]:
    """Every problem of `margins` for this campaign, each naming its margin and cell; [] when valid.

    A margin names a profile question (its code or its profile, e.g. "sex"), or several joined by
    "|" (a joint margin, e.g. "age_band|sex", whose categories join option codes: "18-29|female").
    Each category is an option of the question(s); each share is a number from 0 (excluded) to 1;
    every margin's shares add up to 1 (100 %).
    """
    if not isinstance(margins, dict):
        return [_("Population margins must be an object: {margin: {category: share}}.")]
    questions = _margin_questions(campaign)
    problems = [problem for name, cells in margins.items() for problem in _margin_problems(name, cells, questions)]
    if not problems:
        # The statistics' own check of the targets (positive, same total): a safety net.
        positive = {name: {c: v for c, v in cells.items() if v > 0} for name, cells in margins.items()}
        problems = [problem.message for problem in analysis.margin_target_problems(positive)]
    return problems


@transaction.atomic
def campaign_margins_update(*, acting_user: User, campaign: Campaign, margins: dict[str, dict[str, float]]) -> Campaign:
    """Sets the population margins the campaign's sample is weighted to ({} stops weighting).

    Categories with a share of 0 are dropped (nobody in the population). Each margin is scaled
    to add up to exactly 1, since typed percentages (33.3, 33.3, 33.4) are accepted within 0.1
    point and raking needs every margin to describe the same total. The results' version
    includes the margins, so a change makes the stored results stale and they are recomputed.
    """
    problems = margins_problems(campaign, margins)
    if problems:
        raise ValidationError({"population_margins": problems})
    cleaned = {}
    for name, cells in margins.items():
        total = math.fsum(cells.values())
        cleaned[str(name)] = {str(category): share / total for category, share in cells.items() if share > 0}
    campaign.population_margins = cleaned
    return save_with_history(campaign, acting_user=acting_user, reason="margins")


# --- Invitations


def _new_token() -> str:
    return secrets.token_urlsafe(24)


def invitation_url(invitation: Invitation, language: str | None = None) -> str:
    with translation.override(language or invitation.language or invitation.campaign.language):
        path = reverse("diagnosis:answer-token", kwargs={"token": invitation.token})
    return settings.SITE_URL.rstrip("/") + path


@dataclass
class ImportResult:
    created: list[Invitation]
    errors: list[tuple[int, str]]


def _parse_invitation_csv(
    content: bytes | str, existing: set[str]
) -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [(0, _("The file is not UTF-8 text."))]
    try:
        rows = list(csv_rows(csv.reader(io.StringIO(content))))
    except UnreadableTable as exc:
        return [], [(0, str(exc))]
    errors: list[tuple[int, str]] = []
    if not rows:
        return [], [(0, _("The file is empty."))]
    header = [c.strip().lower() for c in rows[0]]
    start = 1 if "email" in header or "e-mail" in header else 0
    email_col = header.index("email") if "email" in header else header.index("e-mail") if "e-mail" in header else 0
    lang_col = header.index("language") if start and "language" in header else None
    if len(rows) - start > CSV_MAX_ROWS:
        return [], [(0, _("At most %(n)d rows per file.") % {"n": CSV_MAX_ROWS})]
    seen: dict[str, int] = {}
    parsed: list[tuple[str, str]] = []
    for number, row in enumerate(rows[start:], start=start + 1):
        if not any(cell.strip() for cell in row):
            continue
        email = row[email_col].strip() if email_col < len(row) else ""
        language = row[lang_col].strip().lower() if lang_col is not None and lang_col < len(row) else ""
        try:
            validate_email(email)
        except ValidationError:
            errors.append((number, _("“%(value)s” is not an e-mail address.") % {"value": email[:100]}))
            continue
        key = email.lower()
        if key in seen:
            errors.append(
                (number, _("%(email)s is repeated (first on row %(row)d).") % {"email": email, "row": seen[key]})
            )
            continue
        if key in existing:
            errors.append((number, _("%(email)s is already invited to this campaign.") % {"email": email}))
            continue
        if language and language not in language_codes():
            errors.append((number, _("Unknown language “%(code)s”.") % {"code": language}))
            continue
        seen[key] = number
        parsed.append((email, language))
    return parsed, errors


def invitations_import_csv(
    *, acting_user: User, campaign: Campaign, content: bytes | str, send: bool = True
) -> ImportResult:
    """Creates one invitation per e-mail in the CSV, all or nothing; e-mails go out after commit.

    The file has an `email` column (and optionally `language`), or e-mails in its first column.
    Every bad row is reported with its number; then nothing is created and nothing is sent.
    """
    if campaign.access != Access.INVITATION:
        return ImportResult([], [(0, _("This campaign is answered by public link; it has no invitations."))])
    if campaign.status == CampaignStatus.CLOSED:
        return ImportResult([], [(0, _("The campaign is closed."))])
    existing = {e.lower() for e in campaign.invitations.values_list("email", flat=True)}
    parsed, errors = _parse_invitation_csv(content, existing)
    if errors:
        return ImportResult([], errors)
    if not parsed:
        return ImportResult([], [(0, _("The file has no e-mail addresses."))])
    with transaction.atomic():
        created = Invitation.objects.bulk_create(
            [
                Invitation(campaign=campaign, email=email, language=language, token=_new_token())
                for email, language in parsed
            ]
        )
        if send:
            ids = [i.pk for i in created] if created and created[0].pk else None
            transaction.on_commit(lambda: invitations_send(campaign=campaign, ids=ids, emails=[e for e, _l in parsed]))
    return ImportResult(created, [])


def invitations_send(*, campaign: Campaign, ids: list[int] | None = None, emails: list[str] | None = None) -> int:
    """E-mails the invitations not yet sent nor revoked (each in its own or the campaign's language)."""
    invitations = campaign.invitations.filter(sent_at__isnull=True, revoked_at__isnull=True, is_used=False)
    if ids:
        invitations = invitations.filter(pk__in=ids)
    elif emails is not None:
        invitations = invitations.filter(email__in=emails)
    sent = 0
    for invitation in invitations.select_related("campaign"):
        language = invitation.language or campaign.language
        context = {"campaign": campaign, "url": invitation_url(invitation, language)}
        templated_email("diagnosis/email/invitation", context, to=invitation.email, language=language).send()
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


@transaction.atomic
def invitation_revoke(*, acting_user: User, invitation: Invitation) -> Invitation:
    if invitation.is_used:
        raise ValidationError(_("This invitation has already been used."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.draft = {}
        invitation.save(update_fields=["revoked_at", "draft"])
    return invitation


# --- Answering


class SubmissionRefused(Exception):
    """A submission turned away; `reason` is a RefusalReason, `errors` the answers' errors if invalid."""

    def __init__(self, reason: str, errors: dict[str, str] | None = None) -> None:
        self.reason = reason
        self.errors = errors or {}
        super().__init__(reason)

    @property
    def message(self) -> str:
        return refusal_message(self.reason)


def refusal_message(reason: str) -> str:
    messages: dict[str, str] = {
        RefusalReason.CLOSED: _("This survey is closed: it no longer accepts answers."),
        RefusalReason.TOKEN_USED: _("This invitation has already been used to answer. Thank you!"),
        RefusalReason.TOKEN_REVOKED: _("This invitation has been withdrawn by the organisers."),
        RefusalReason.TOKEN_UNKNOWN: _("We do not know this invitation. Check the link in your e-mail."),
        RefusalReason.HONEYPOT: _("Your answers could not be accepted."),
        RefusalReason.RATE_LIMITED: _("Too many answers were sent from your connection. Please try again later."),
        RefusalReason.ALREADY_ANSWERED: _("You have already answered this survey. Thank you!"),
        RefusalReason.INVALID: _("Some answers need your attention."),
    }
    return messages.get(reason, _("Your answers could not be accepted."))


def refuse(campaign: Campaign | None, reason: str, errors: dict[str, str] | None = None) -> SubmissionRefused:
    """Counts a refused submission (reason and time only) and returns the exception to raise."""
    RefusedSubmission.objects.create(campaign=campaign, reason=reason)
    return SubmissionRefused(reason, errors)


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > 64:
        return None
    return Invitation.objects.select_related("campaign__questionnaire").filter(token=token).first()


def check_invitation(invitation: Invitation | None, *, record: bool = True) -> None:
    """Raises SubmissionRefused when the invitation cannot be used to answer now."""

    def fail(campaign: Campaign | None, reason: str) -> NoReturn:
        if record:
            raise refuse(campaign, reason)
        raise SubmissionRefused(reason)

    if invitation is None:
        fail(None, RefusalReason.TOKEN_UNKNOWN)
    if invitation.revoked_at is not None:
        fail(invitation.campaign, RefusalReason.TOKEN_REVOKED)
    if invitation.is_used:
        fail(invitation.campaign, RefusalReason.TOKEN_USED)
    if not invitation.campaign.is_accepting():
        fail(invitation.campaign, RefusalReason.CLOSED)


def response_save(*, invitation: Invitation, answers: dict[str, Any], structure: Structure) -> dict[str, Any]:
    """Save & resume: keeps the answers given so far with the invitation (checked, not yet submitted).

    Never for an anonymous campaign: the invitation holds the invitee's e-mail address.
    """
    check_invitation(invitation, record=False)
    if invitation.campaign.is_anonymous:
        raise ValidationError(_("Answers to an anonymous campaign are not kept with the invitation."))
    cleaned, errors = clean_answers(answers, structure, final=False)
    if errors:
        raise ValidationError(errors)
    updated = Invitation.objects.filter(pk=invitation.pk, is_used=False, revoked_at__isnull=True).update(draft=cleaned)
    if not updated:
        raise SubmissionRefused(RefusalReason.TOKEN_USED)
    invitation.draft = cleaned
    return cleaned


def client_key(ip: str, campaign: Campaign) -> str:
    """A keyed hash of the client's address: enough to count, useless to identify (and never stored
    with a response; it lives only in the cache, for an hour)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{campaign.pk}:{ip}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def _rate_limited(key: str) -> bool:
    # A counter in the shared cache, not a cached value (core.cache.cached_value has no counters):
    # it must be atomic across processes and expire on its own after the hour.
    cache_key = f"diagnosis-rate:{key}"
    cache.add(cache_key, 0, timeout=3600)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, timeout=3600)
        count = 1
    return count > RATE_LIMIT_PER_HOUR


def _submitted_at(campaign: Campaign) -> datetime:
    now = timezone.now()
    if campaign.is_anonymous:
        # The day only: a precise time could be matched with server logs or an invitation.
        return timezone.make_aware(datetime.combine(timezone.localdate(now), time()))
    return now


def _store(response: Response, cleaned: dict[str, Any], structure: Structure) -> None:
    rows: list[Answer] = []
    for code, value in cleaned.items():
        question = structure.by_code[code]
        options = {o.code: o for o in question.options.all()}
        kind = question.kind
        base = {"response": response, "question": question}
        if kind == QuestionKind.SINGLE_CHOICE:
            if value.get("option"):
                rows.append(Answer(**base, option=options[value["option"]]))
            if value.get("other"):
                rows.append(Answer(**base, value_text=value["other"]))
        elif kind == QuestionKind.MULTIPLE_CHOICE:
            rows.extend(Answer(**base, option=options[c]) for c in value.get("options", []))
            if value.get("other"):
                rows.append(Answer(**base, value_text=value["other"]))
        elif kind in (QuestionKind.LIKERT, QuestionKind.NUMBER):
            rows.append(Answer(**base, value_number=float(value)))
        elif kind == QuestionKind.TEXT:
            rows.append(Answer(**base, value_text=value))
        elif kind == QuestionKind.RANKING:
            rows.extend(Answer(**base, option=options[c], rank=i) for i, c in enumerate(value, start=1))
        elif kind == QuestionKind.MATRIX:
            rows.extend(Answer(**base, row=options[r], option=options[c]) for r, c in value.items())
    Answer.objects.bulk_create(rows)


def response_submit(
    *,
    campaign: Campaign | None = None,
    invitation: Invitation | None = None,
    answers: dict[str, Any],
    structure: Structure,
    user: User | None = None,
    language: str = "",
    client: str | None = None,
    honeypot: str = "",
) -> Response:
    """Submits a complete response, by invitation or by public link. Raises SubmissionRefused.

    One response per invitation: the invitation is claimed by a conditional UPDATE (only one of
    two simultaneous requests changes the row), and for named campaigns a unique constraint on
    the response's invitation backs it. One per signed-in user: a unique constraint on
    (campaign, user), named campaigns only: an anonymous response keeps no user.
    """
    if invitation is not None:
        campaign = invitation.campaign
    if campaign is None:
        raise TypeError("response_submit needs a campaign or an invitation")
    if honeypot:
        raise refuse(campaign, RefusalReason.HONEYPOT)
    if invitation is not None:
        check_invitation(invitation)
    else:
        if campaign.access != Access.PUBLIC_LINK:
            raise refuse(campaign, RefusalReason.TOKEN_UNKNOWN)
        if not campaign.is_accepting():
            raise refuse(campaign, RefusalReason.CLOSED)
        if client and _rate_limited(client):
            raise refuse(campaign, RefusalReason.RATE_LIMITED)
    keep_user = None if campaign.is_anonymous else signed_in(user)
    if keep_user and campaign.responses.filter(user=keep_user).exists():
        raise refuse(campaign, RefusalReason.ALREADY_ANSWERED)
    cleaned, errors = clean_answers(answers, structure, final=True)
    if errors:
        raise refuse(campaign, RefusalReason.INVALID, errors)
    try:
        with transaction.atomic():
            if invitation is not None:
                claimed = Invitation.objects.filter(pk=invitation.pk, is_used=False, revoked_at__isnull=True).update(
                    is_used=True, used_at=None if campaign.is_anonymous else timezone.now(), draft={}
                )
                if not claimed:
                    raise SubmissionRefused(RefusalReason.TOKEN_USED)
            response = Response.objects.create(
                campaign=campaign,
                submitted_at=_submitted_at(campaign),
                invitation=None if campaign.is_anonymous else invitation,
                user=keep_user,
                language=(language or "")[:5],
            )
            _store(response, cleaned, structure)
    except SubmissionRefused as exc:
        raise refuse(campaign, exc.reason) from None
    except IntegrityError:
        reason = RefusalReason.TOKEN_USED if invitation is not None else RefusalReason.ALREADY_ANSWERED
        raise refuse(campaign, reason) from None
    if invitation is not None:
        invitation.is_used = True
        invitation.draft = {}
    return response


# --- Maturity self-assessment

DEFAULT_DIMENSIONS = [
    # code, name in en / es / ca / bg
    (
        "strategy_governance",
        "Strategy and governance",
        "Estrategia y gobernanza",
        "Estratègia i governança",
        "Стратегия и управление",
    ),
    ("digital_services", "Digital services", "Servicios digitales", "Serveis digitals", "Цифрови услуги"),
    ("data", "Data", "Datos", "Dades", "Данни"),
    (
        "infrastructure_cybersecurity",
        "Infrastructure and cybersecurity",
        "Infraestructura y ciberseguridad",
        "Infraestructura i ciberseguretat",
        "Инфраструктура и киберсигурност",
    ),
    ("skills", "Digital skills", "Competencias digitales", "Competències digitals", "Цифрови умения"),
    ("participation", "Participation", "Participación", "Participació", "Участие"),
]


def maturity_dimensions_ensure() -> list[MaturityDimension]:
    """Creates the default maturity dimensions when missing (idempotent)."""
    dimensions = []
    for position, (code, en, es, ca, bg) in enumerate(DEFAULT_DIMENSIONS, start=1):
        dimension, _created = MaturityDimension.objects.update_or_create(
            code=code, defaults={"name_en": en, "name_es": es, "name_ca": ca, "name_bg": bg, "position": position}
        )
        dimensions.append(dimension)
    return dimensions


@transaction.atomic
def maturity_assessment_record(
    *,
    acting_user: User,
    organization: Organization,
    department: Department | None = None,
    assessed_on: date,
    ratings: dict[str, tuple[int | str | None, str]],
    campaign: Campaign | None = None,
    note: str = "",
    is_demo: bool = False,
) -> MaturityAssessment:
    """Records a self-assessment: `ratings` maps a dimension code to (level 1–5, evidence)."""
    dimensions = {d.code: d for d in MaturityDimension.objects.all()}
    errors: dict[str, str] = {}
    clean_ratings = []
    for code, (level, evidence) in ratings.items():
        if code not in dimensions:
            errors[f"level_{code}"] = _("Unknown dimension “%(code)s”.") % {"code": code}
            continue
        if level is None or level == "":
            continue
        try:
            level = int(level)
        except (TypeError, ValueError):
            level = 0
        if not 1 <= level <= 5:
            errors[f"level_{code}"] = _("Choose a level from 1 to 5.")
            continue
        clean_ratings.append(MaturityRating(dimension=dimensions[code], level=level, evidence=(evidence or "").strip()))
    if not clean_ratings and not errors:
        errors["__all__"] = _("Rate at least one dimension.")
    if errors:
        raise ValidationError(errors)
    assessment = MaturityAssessment(
        organization=organization,
        department=department,
        campaign=campaign,
        assessed_on=assessed_on,
        note=note,
        is_demo=is_demo,
        created_by=signed_in(acting_user),
    )
    save_with_history(assessment, acting_user=acting_user)
    for rating in clean_ratings:
        rating.assessment = assessment
    MaturityRating.objects.bulk_create(clean_ratings)
    return assessment


def maturity_assessment_create(
    *,
    acting_user: User,
    organization: Organization,
    data: dict[str, Any],
    ratings: list[dict[str, Any]] | None = None,
) -> MaturityAssessment:
    """`maturity_assessment_record` in the entity convention (the API's): `data` holds department,
    campaign, assessed_on and note; `ratings` lists {"dimension", "level", "evidence"}."""
    return maturity_assessment_record(
        acting_user=acting_user,
        organization=organization,
        department=data.get("department"),
        campaign=data.get("campaign"),
        assessed_on=data["assessed_on"],
        note=data.get("note", ""),
        ratings={r["dimension"].code: (r["level"], r.get("evidence", "")) for r in ratings or []},
    )


@transaction.atomic
def maturity_assessment_delete(*, acting_user: User, assessment: MaturityAssessment) -> None:
    delete_with_history(assessment, acting_user=acting_user)


# --- Findings (SWOT)


def _check_finding_links(finding: Finding, acting_user: User | None) -> None:
    errors = {}
    if (
        finding.campaign is not None
        and finding.campaign.owner_id != finding.plan.owner_id
        and (finding.campaign.results_published_to_id != finding.plan.owner_id)
    ):
        errors["campaign"] = _("Choose a campaign of the plan's owner or one whose results it received.")
    if finding.question_id:
        # The question's text goes into the plan (evidence, challenges): it must be one the editor
        # may see, and of the campaign's questionnaire when a campaign is named. A question the
        # editor may not see reads as any unsuitable one.
        question, campaign = finding.question, finding.campaign
        assert question is not None  # question_id is set
        of_campaign = campaign is None or question.questionnaire_id == campaign.questionnaire_id
        if not of_campaign or (acting_user is not None and not QUESTION.can_see(acting_user, question)):
            errors["question"] = _("Choose a question of the finding's campaign that you may see.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def finding_create(*, acting_user: User, plan: Plan, data: dict[str, Any]) -> Finding:
    finding = Finding(plan=plan)
    apply_fields(finding, data, FINDING_FIELDS)
    _check_finding_links(finding, acting_user)
    return save_with_history(finding, acting_user=acting_user)


@transaction.atomic
def finding_update(*, acting_user: User, finding: Finding, data: dict[str, Any]) -> Finding:
    apply_fields(finding, data, FINDING_FIELDS)
    _check_finding_links(finding, acting_user)
    return save_with_history(finding, acting_user=acting_user)


@transaction.atomic
def finding_delete(*, acting_user: User, finding: Finding) -> None:
    delete_with_history(finding, acting_user=acting_user)


def _next_challenge_code(axis: Axis) -> str:
    codes = set(axis.challenges.values_list("code", flat=True))
    n = len(codes) + 1
    while f"{axis.code}.C{n}" in codes:
        n += 1
    return f"{axis.code}.C{n}"


@transaction.atomic
def finding_to_challenge(*, acting_user: User, finding: Finding, axis: Axis | None, code: str = "") -> Finding:
    """Turns a finding into a challenge of one of its plan's axes, linked back to the finding."""
    from municipia.strategy.services import challenge_create

    if finding.challenge_id:
        raise ValidationError(_("This finding is already a challenge of the plan."))
    if axis is None or axis.plan_id != finding.plan_id:
        raise ValidationError({"axis": _("Choose an axis of this finding's plan.")})
    evidence_lines = [finding.evidence] if finding.evidence else []
    if finding.campaign is not None:
        evidence_lines.append(_("Campaign: %(title)s") % {"title": finding.campaign.title})
    if finding.question_id:
        evidence_lines.append(_("Question: %(text)s") % {"text": str(finding.question)})
    if finding.dimension is not None:
        evidence_lines.append(_("Maturity dimension: %(name)s") % {"name": finding.dimension.name})
    data: dict[str, Any] = {"code": code or _next_challenge_code(axis)}
    for lang in language_codes():
        title = getattr(finding, f"title_{lang}") or ""
        text = getattr(finding, f"text_{lang}") or ""
        data[f"title_{lang}"] = title
        if title or text:
            with translation.override(lang):
                origin = _("From the diagnosis (%(kind)s).") % {"kind": finding.get_kind_display()}
            data[f"description_{lang}"] = "\n\n".join(p for p in [text, origin, *evidence_lines] if p)
    challenge = challenge_create(acting_user=acting_user, axis=axis, data=data)
    finding.challenge = challenge
    return save_with_history(finding, acting_user=acting_user, reason="to challenge")


def finding_link_challenge(*, acting_user: User, finding: Finding, challenge: Challenge) -> Finding:
    """Records that an existing challenge came from this finding (used by the demo)."""
    finding.challenge = challenge
    return save_with_history(finding, acting_user=acting_user)
