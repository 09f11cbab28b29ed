"""The respondents' pages: one section per page, conditions evaluated on earlier pages' answers.

No JavaScript is needed: a page's questions are chosen on the server from the answers already
given, which are kept between pages in the invitation (token links) or in the respondent's
session (public links) and become a response only when submitted.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from municipia.core.http import client_ip
from municipia.core.i18n import current_language
from municipia.diagnosis import services
from municipia.diagnosis.answers import Structure, clean_answers, is_visible
from municipia.diagnosis.choices import Access, CampaignStatus, QuestionKind, RefusalReason
from municipia.diagnosis.models import Campaign, Question
from municipia.diagnosis.selectors import questionnaire_structure

OTHER = "__other__"
HONEYPOT_FIELD = "website"


@dataclass
class QuestionView:
    """What the template needs to draw one question with what the respondent typed or saved."""

    question: Question
    field: str
    value: Any = None
    other: str = ""
    error: str = ""
    options: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    scale: list = field(default_factory=list)
    ranks: list = field(default_factory=list)


def _field(question: Question) -> str:
    return f"q-{question.code}"


def parse_section(post, questions: list[Question], structure: Structure) -> dict[str, Any]:
    """The answers of one page's form, in the shapes `clean_answers` expects (raw text kept)."""
    raw: dict[str, Any] = {}
    for question in questions:
        name = _field(question)
        kind = question.kind
        if kind == QuestionKind.SINGLE_CHOICE:
            code = post.get(name, "")
            other = post.get(f"{name}-other", "") if code == OTHER else ""
            raw[question.code] = {"option": code if code and code != OTHER else None, "other": other}
        elif kind == QuestionKind.MULTIPLE_CHOICE:
            codes = post.getlist(name)
            other = post.get(f"{name}-other", "") if OTHER in codes else ""
            raw[question.code] = {"options": [c for c in codes if c != OTHER], "other": other}
        elif kind == QuestionKind.RANKING:
            # One "place" select per option; the order follows the places given.
            places = []
            for option in structure.options(question):
                value = post.get(f"{name}-{option.code}", "")
                if value.isdigit():
                    places.append((int(value), option.code))
            numbers = [p for p, _c in places]
            if len(set(numbers)) != len(numbers):
                raw[question.code] = {"duplicate": True}
            else:
                raw[question.code] = [c for _p, c in sorted(places)]
        elif kind == QuestionKind.MATRIX:
            raw[question.code] = {row.code: post.get(f"{name}-{row.code}", "") for row in structure.rows(question)}
        else:
            raw[question.code] = post.get(name, "")
    return raw


def build_views(questions, structure, values: dict, errors: dict) -> list[QuestionView]:
    views = []
    for question in questions:
        value = values.get(question.code)
        view = QuestionView(question=question, field=_field(question), error=errors.get(question.code, ""))
        kind = question.kind
        chosen: set[str] = set()
        if isinstance(value, dict) and kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            chosen = set(value.get("options") or []) | ({value["option"]} if value.get("option") else set())
            view.other = value.get("other") or ""
        options = structure.options(question)
        if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            view.options = [(o, o.code in chosen) for o in options]
        elif kind == QuestionKind.LIKERT:
            selected = str(value) if value not in (None, "") else ""
            view.scale = [(n, str(n) == selected) for n in range(question.scale_min, question.scale_max + 1)]
        elif kind == QuestionKind.RANKING:
            order = value if isinstance(value, list) else []
            places = {code: i for i, code in enumerate(order, start=1)}
            view.ranks = [(o, places.get(o.code)) for o in options]
            view.scale = list(range(1, len(options) + 1))
        elif kind == QuestionKind.MATRIX:
            answered = value if isinstance(value, dict) else {}
            view.options = options
            view.rows = [
                (row, [(o, answered.get(row.code) == o.code) for o in options]) for row in structure.rows(question)
            ]
        else:
            view.value = "" if value is None else value
            if isinstance(view.value, float) and view.value.is_integer():
                view.value = int(view.value)
        views.append(view)
    return views


class Flow:
    """The respondent's place in a campaign: the saved answers and the pages left to show."""

    def __init__(self, request, campaign: Campaign, invitation=None):
        self.request = request
        self.campaign = campaign
        self.invitation = invitation
        self.structure = questionnaire_structure(campaign.questionnaire)

    @property
    def session_key(self) -> str:
        # In an anonymous campaign the session names no invitation either: a session row holding
        # answers beside an invitation's id would be a draft next to the invitee's e-mail address.
        named = self.invitation is not None and not self.campaign.is_anonymous
        suffix = f"-{self.invitation.pk}" if named else ""
        return f"diagnosis-draft-{self.campaign.pk}{suffix}"

    @property
    def drafts_on_server(self) -> bool:
        # An invitee's draft is kept with the invitation (resumable from any device), except in an
        # anonymous campaign: answers must never sit next to the invitee's e-mail address, so the
        # draft lives only in this browser's session.
        return self.invitation is not None and not self.campaign.is_anonymous

    def saved(self) -> dict[str, Any]:
        if self.drafts_on_server:
            return dict(self.invitation.draft or {})
        return dict(self.request.session.get(self.session_key, {}))

    def keep(self, answers: dict[str, Any]) -> None:
        if self.drafts_on_server:
            services.response_save(invitation=self.invitation, answers=answers, structure=self.structure)
        else:
            self.request.session[self.session_key] = answers

    def forget(self) -> None:
        self.request.session.pop(self.session_key, None)

    def pages(self, answers: dict[str, Any]) -> list[tuple[Any, list[Question]]]:
        """Sections with the questions shown given `answers`; sections left empty are skipped."""
        pages = []
        for section in self.structure.sections:
            shown = [q for q in section.question_list if is_visible(q, answers, self.structure)]
            if shown:
                pages.append((section, shown))
        return pages

    def url(self, page: int | None = None) -> str:
        if self.invitation is not None:
            url = reverse("diagnosis:answer-token", kwargs={"token": self.invitation.token})
        else:
            url = reverse("diagnosis:answer-public", kwargs={"slug": self.campaign.slug})
        return f"{url}?page={page}" if page else url


def _page_number(request, count: int) -> int:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    return max(1, min(number, max(count, 1)))


def _message_page(request, campaign, reason: str, status: int):
    return render(
        request,
        "diagnosis/answer_message.html",
        {"campaign": campaign, "message": services.refusal_message(reason), "reason": reason},
        status=status,
    )


def _answer(request, flow: Flow):
    campaign = flow.campaign
    answers = flow.saved()
    pages = flow.pages(answers)
    number = _page_number(request, len(pages))
    if not pages:
        return _message_page(request, campaign, RefusalReason.CLOSED, 410)
    section, questions = pages[number - 1]
    errors: dict[str, str] = {}
    values = answers
    status = 200
    if request.method == "POST":
        if request.POST.get(HONEYPOT_FIELD):
            services.refuse(campaign, RefusalReason.HONEYPOT)
            flow.forget()
            return _message_page(request, campaign, RefusalReason.HONEYPOT, 400)
        action = request.POST.get("action", "next")
        raw = parse_section(request.POST, questions, flow.structure)
        merged = {k: v for k, v in answers.items() if k not in raw}
        merged.update({k: v for k, v in raw.items() if not (isinstance(v, dict) and v.get("duplicate"))})
        required_for = questions if action in ("next", "submit") else []
        cleaned, errors = clean_answers(merged, flow.structure, final=False, required_for=required_for)
        for code, value in raw.items():
            if isinstance(value, dict) and value.get("duplicate"):
                errors[code] = _("Give each option a different place.")
        errors = {code: message for code, message in errors.items() if code in raw}
        if errors:
            values = {**merged}
            status = 400
        else:
            try:
                flow.keep(cleaned)
            except services.SubmissionRefused as exc:
                return _message_page(request, campaign, exc.reason, 410)
            except ValidationError as exc:  # answers saved earlier no longer fit (questionnaire changed)
                errors, status, values = {k: v[0] for k, v in exc.message_dict.items()}, 400, merged
            else:
                new_pages = flow.pages(cleaned)
                if action == "back":
                    return HttpResponseRedirect(flow.url(max(1, number - 1)))
                if action == "save":
                    messages.success(request, _("Your answers are saved. Open this same link later to continue."))
                    return HttpResponseRedirect(flow.url(number))
                if action == "submit" or number >= len(new_pages):
                    return _submit(request, flow, cleaned)
                return HttpResponseRedirect(flow.url(number + 1))
    context = {
        "campaign": campaign,
        "section": section,
        "questions": build_views(questions, flow.structure, values, errors),
        "errors": errors,
        "page_number": number,
        "page_count": len(pages),
        "is_last": number == len(pages),
        "form_action": flow.url(number),
        "honeypot_field": HONEYPOT_FIELD,
        "by_invitation": flow.invitation is not None,
        "other_value": OTHER,
    }
    return render(request, "diagnosis/answer.html", context, status=status)


def _submit(request, flow: Flow, cleaned: dict[str, Any]):
    campaign = flow.campaign
    try:
        services.response_submit(
            campaign=campaign,
            invitation=flow.invitation,
            answers=cleaned,
            structure=flow.structure,
            user=request.user,
            language=current_language(),
            client=None if flow.invitation is not None else services.client_key(client_ip(request), campaign),
        )
    except services.SubmissionRefused as exc:
        if exc.reason == RefusalReason.INVALID:
            # A required answer of an earlier page is missing: go back to the first such page.
            for number, (_section, questions) in enumerate(flow.pages(cleaned), start=1):
                if any(q.code in exc.errors for q in questions):
                    messages.error(request, _("Some answers need your attention."))
                    return HttpResponseRedirect(flow.url(number))
        status = 429 if exc.reason == RefusalReason.RATE_LIMITED else 409
        return _message_page(request, campaign, exc.reason, status)
    flow.forget()
    return HttpResponseRedirect(reverse("diagnosis:answer-thanks", kwargs={"slug": campaign.slug}))


@never_cache
@csrf_protect
def answer_public(request, slug):
    """A public-link survey, page by page: a respondents' workflow (no account, answers kept in the
    session until submitted), not an edit page, so it is written here rather than as an entity page."""
    campaign = Campaign.objects.select_related("questionnaire", "owner").filter(slug=slug).first()
    if campaign is None or campaign.access != Access.PUBLIC_LINK or campaign.status == CampaignStatus.DRAFT:
        raise Http404
    if not campaign.is_accepting():
        return _message_page(request, campaign, RefusalReason.CLOSED, 410)
    return _answer(request, Flow(request, campaign))


@never_cache
@csrf_protect
def answer_token(request, token):
    """An invited respondent's survey, by the invitation's one-time token (save & resume): special as above."""
    invitation = services.invitation_for_token(token)
    try:
        services.check_invitation(invitation, record=False)
    except services.SubmissionRefused as exc:
        status = 404 if exc.reason == RefusalReason.TOKEN_UNKNOWN else 410
        return _message_page(request, invitation.campaign if invitation else None, exc.reason, status)
    return _answer(request, Flow(request, invitation.campaign, invitation))


def answer_thanks(request, slug):
    """The thank-you page after a submission (nothing about the response is shown)."""
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        raise Http404
    return render(request, "diagnosis/answer_thanks.html", {"campaign": campaign})
