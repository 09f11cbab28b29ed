"""Reads of questionnaires, campaigns, maturity assessments and findings, in fixed queries."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from municipia.diagnosis.answers import Structure
from municipia.diagnosis.models import (
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
    Section,
)
from municipia.organizations.permissions import editable_organization_ids
from municipia.strategy.selectors import plans_visible_to


def _is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


# --- Visibility (scoped look-ups answer 404 alike for missing and forbidden)


def questionnaires_visible_to(user) -> QuerySet[Questionnaire]:
    questionnaires = Questionnaire.objects.all()
    if _is_admin(user):
        return questionnaires
    return questionnaires.filter(Q(is_template=True) | Q(owner_id__in=editable_organization_ids(user)))


def campaigns_managed_by(user) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.all()
    if _is_admin(user):
        return campaigns
    return campaigns.filter(owner_id__in=editable_organization_ids(user))


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """Campaigns whose page and results a user sees: owners and the organisation results go to."""
    campaigns = Campaign.objects.all()
    if _is_admin(user):
        return campaigns
    ids = editable_organization_ids(user)
    return campaigns.filter(Q(owner_id__in=ids) | Q(results_published_to_id__in=ids))


def questionnaire_get(user, *, pk) -> Questionnaire:
    try:
        return questionnaires_visible_to(user).select_related("owner").get(pk=pk)
    except (Questionnaire.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def campaign_get(user, *, slug: str) -> Campaign:
    try:
        return campaigns_visible_to(user).select_related("owner", "questionnaire", "plan", "wave_of").get(slug=slug)
    except Campaign.DoesNotExist:
        raise Http404 from None


def campaign_get_by_pk(user, *, pk) -> Campaign:
    try:
        return campaigns_visible_to(user).select_related("owner", "questionnaire").get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _child_get(model, user, pk, path: str):
    try:
        return model.objects.select_related(path).filter(**{f"{path}__in": questionnaires_visible_to(user)}).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def section_get(user, *, pk) -> Section:
    return _child_get(Section, user, pk, "questionnaire")


def question_get(user, *, pk) -> Question:
    return _child_get(Question, user, pk, "questionnaire")


def option_get(user, *, pk) -> Option:
    try:
        return (
            Option.objects.select_related("question__questionnaire")
            .filter(question__questionnaire__in=questionnaires_visible_to(user))
            .get(pk=pk)
        )
    except (Option.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def invitation_get(user, *, pk) -> Invitation:
    try:
        return Invitation.objects.select_related("campaign").filter(campaign__in=campaigns_managed_by(user)).get(pk=pk)
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def findings_visible_to(user) -> QuerySet[Finding]:
    return Finding.objects.filter(plan__in=plans_visible_to(user))


def finding_get(user, *, pk) -> Finding:
    try:
        return findings_visible_to(user).select_related("plan__owner", "challenge__axis").get(pk=pk)
    except (Finding.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def maturity_assessments_visible_to(user) -> QuerySet[MaturityAssessment]:
    assessments = MaturityAssessment.objects.all()
    if _is_admin(user):
        return assessments
    return assessments.filter(organization_id__in=editable_organization_ids(user))


def maturity_assessment_get(user, *, pk) -> MaturityAssessment:
    try:
        return maturity_assessment_list(user).get(pk=pk)
    except (MaturityAssessment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


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
        section.question_list = by_section[section.pk]
    structure = Structure(
        sections=sections,
        questions=questions,
        by_code={q.code: q for q in questions},
        by_id={q.pk: q for q in questions},
    )
    questionnaire._structure = structure
    return structure


def questionnaire_list(user) -> QuerySet[Questionnaire]:
    return (
        questionnaires_visible_to(user)
        .select_related("owner")
        .annotate(question_count=Count("questions", distinct=True), campaign_count=Count("campaigns", distinct=True))
        .order_by("-is_template", "title", "id")
    )


def campaign_list(user) -> QuerySet[Campaign]:
    return (
        campaigns_visible_to(user)
        .select_related("owner", "questionnaire", "results_published_to")
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("-created_at", "id")
    )


def campaign_counts(campaign: Campaign) -> dict:
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


def maturity_assessment_list(user) -> QuerySet[MaturityAssessment]:
    ratings = Prefetch("ratings", queryset=MaturityRating.objects.select_related("dimension"))
    return (
        maturity_assessments_visible_to(user)
        .select_related("organization", "department", "campaign")
        .prefetch_related(ratings)
        .order_by("organization_id", "department__name", "-assessed_on", "id")
    )


def maturity_dimensions() -> list[MaturityDimension]:
    return list(MaturityDimension.objects.order_by("position", "code"))


def finding_board(plan) -> dict[str, list[Finding]]:
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
