"""Reads of questionnaires, campaigns, maturity assessments and findings, in fixed queries."""

from collections.abc import Iterable
from typing import Any, cast

from django.db.models import Count, Prefetch, Q, QuerySet

from municipia.core.visibility import User
from municipia.diagnosis.answers import Structure
from municipia.diagnosis.entities import CAMPAIGN, MATURITY_ASSESSMENT, QUESTIONNAIRE
from municipia.diagnosis.models import (
    Campaign,
    Finding,
    MaturityAssessment,
    MaturityDimension,
    MaturityRating,
    Option,
    Question,
    Questionnaire,
    RefusedSubmission,
    Section,
)
from municipia.strategy.models import Plan

# --- Visibility: each entity's one rule (diagnosis/entities.py); scoped look-ups answer 404 alike
# for missing and forbidden.


def questionnaires_visible_to(user: User) -> QuerySet[Questionnaire]:
    return QUESTIONNAIRE.visible(user)


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    """Campaigns whose page and results a user sees: owners and the organisation results go to."""
    return CAMPAIGN.visible(user)


def campaign_get(user: User, *, slug: str) -> Campaign:
    return cast(Campaign, CAMPAIGN.get(user, slug=slug))


# --- Shaped reads


def questionnaire_structure(questionnaire: Questionnaire) -> Structure:
    """Sections, questions and options in three queries, cached on the questionnaire object."""
    cached = getattr(questionnaire, "_structure", None)
    if cached is not None:
        return cached
    options = Prefetch("options", queryset=Option.objects.order_by("is_row", "position", "id"))
    questions = list(
        Question.objects.filter(questionnaire=questionnaire)
        .select_related("section")
        .prefetch_related(options)
        .order_by("section__position", "section_id", "position", "id")
    )
    sections = list(Section.objects.filter(questionnaire=questionnaire).order_by("position", "id"))
    by_section: dict[int, list[Question]] = {s.pk: [] for s in sections}
    for question in questions:
        by_section[question.section_id].append(question)
    for section in sections:
        section.question_list = by_section[section.pk]  # type: ignore[attr-defined]
    structure = Structure(
        sections=sections,
        questions=questions,
        by_code={q.code: q for q in questions},
        by_id={q.pk: q for q in questions},
    )
    questionnaire._structure = structure  # type: ignore[attr-defined]
    return structure


def questionnaire_list(user: User) -> QuerySet[Questionnaire]:
    return (
        questionnaires_visible_to(user)
        .select_related("owner")
        .annotate(question_count=Count("questions", distinct=True), campaign_count=Count("campaigns", distinct=True))
        .order_by("-is_template", "title", "id")
    )


def questionnaire_owner_ids() -> list[int | None]:
    """The owners of questionnaires (None for the shipped templates): a site admin's choice of campaign owners."""
    return list(Questionnaire.objects.values_list("owner_id", flat=True).distinct())


def campaign_list(user: User) -> QuerySet[Campaign]:
    return (
        campaigns_visible_to(user)
        .select_related("owner", "questionnaire", "results_published_to")
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("-created_at", "id")
    )


def campaign_counts(campaign: Campaign) -> dict[str, Any]:
    """Responses, invitations and refused submissions by reason, for the owner's page."""
    invitations = campaign.invitations.aggregate(
        total=Count("id"),
        used=Count("id", filter=Q(is_used=True)),
        revoked=Count("id", filter=Q(revoked_at__isnull=False)),
    )
    refused = dict(
        RefusedSubmission.objects.filter(campaign=campaign).values_list("reason").annotate(n=Count("id")).order_by()
    )
    return {
        "responses": campaign.responses.count(),
        "invitations": invitations,
        "refused": refused,
        "refused_total": sum(refused.values()),
    }


def maturity_assessment_list(user: User) -> QuerySet[MaturityAssessment]:
    ratings = Prefetch("ratings", queryset=MaturityRating.objects.select_related("dimension"))
    return (
        MATURITY_ASSESSMENT.visible(user)
        .select_related("organization", "department", "campaign")
        .prefetch_related(ratings)
        .order_by("organization_id", "department__name", "-assessed_on", "id")
    )


def maturity_dimensions() -> list[MaturityDimension]:
    return list(MaturityDimension.objects.order_by("position", "code"))


def finding_board(plan: Plan) -> dict[str, list[Finding]]:
    """The plan's findings grouped by SWOT quadrant, with their evidence, in one query."""
    findings = (
        Finding.objects.filter(plan=plan)
        .select_related("campaign", "question", "dimension", "challenge__axis")
        .order_by("kind", "position", "id")
    )
    board: dict[str, list[Finding]] = {"S": [], "W": [], "O": [], "T": []}
    for finding in findings:
        board[finding.kind].append(finding)
    return board


def campaigns_of_owners(organization_ids: Iterable[int]) -> QuerySet[Campaign]:
    """The survey campaigns these organisations run (partnerships' commitments link to them)."""
    return Campaign.objects.filter(owner_id__in=organization_ids)
