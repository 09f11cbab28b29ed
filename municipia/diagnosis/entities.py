"""Questionnaires, campaigns, invitations, maturity self-assessments and findings, each declared once
(see municipia.core.entities).

- Questionnaires and their sections, questions and options: the shipped templates are seen by
  everyone; the others by the owner's editors.
- Campaigns: by the owner's editors and by those of the organisation its results are published to.
- Invitations: by the campaign owner's editors only.
- Maturity self-assessments: by the assessed organisation's editors; the dimensions by everyone.
- Findings follow their plan: everyone sees a published plan's, the owner's editors also a draft's.

Responses and answers are not declared here: an anonymous response must stay unreachable, so
they are read only through the results (aggregates) and the owners' exports (`diagnosis.view_response`).
Site administrators see everything (core.visibility's one policy).
"""

from typing import cast

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from municipia.core.entities import Entity, register
from municipia.core.visibility import Always, Among, Is, Rule
from municipia.diagnosis.models import (
    Campaign,
    Finding,
    Invitation,
    MaturityAssessment,
    MaturityDimension,
    Option,
    Question,
    Questionnaire,
    Section,
)
from municipia.organizations.permissions import editable_organization_ids

SERVICES = "municipia.diagnosis.services"
FORMS = "municipia.diagnosis.forms"


def _of_questionnaire(path: str) -> Rule:
    """The questionnaire rule, for a part that reaches its questionnaire through `path`."""
    prefix = f"{path}__" if path else ""
    return Is(f"{prefix}is_template") | Among(f"{prefix}owner_id", editable_organization_ids)


def _of_plan(path: str) -> Rule:
    # The rule of strategy.entities.PLAN seen through `path` (strategy keeps its own helper private).
    return Is(f"{path}__is_published") | Among(f"{path}__owner_id", editable_organization_ids)


def _board_of(finding: Model) -> str:
    """Where a deleted finding's page goes: its plan's SWOT board."""
    return cast(Finding, finding).get_absolute_url()


QUESTIONNAIRE = register(
    Entity(
        model=Questionnaire,
        visibility=_of_questionnaire(""),
        parent="owner",
        fields=("title", "description", "kind"),
        translated=("title", "description"),
        create=f"{SERVICES}.questionnaire_create",
        update=f"{SERVICES}.questionnaire_update",
        delete=f"{SERVICES}.questionnaire_delete",
        select_related=("owner",),
        titles=(_("New questionnaire"), _("Edit questionnaire")),
        form=f"{FORMS}.QuestionnaireForm",
    )
)

SECTION = register(
    Entity(
        model=Section,
        visibility=_of_questionnaire("questionnaire"),
        parent="questionnaire",
        fields=("title", "description", "position"),
        translated=("title", "description"),
        create=f"{SERVICES}.section_create",
        update=f"{SERVICES}.section_update",
        delete=f"{SERVICES}.section_delete",
        select_related=("questionnaire",),
        titles=(_("New section"), _("Edit section")),
        form=f"{FORMS}.SectionForm",
    )
)

QUESTION = register(
    Entity(
        model=Question,
        visibility=_of_questionnaire("questionnaire"),
        parent="section",
        fields=(
            "text",
            "help_text",
            "scale_min_label",
            "scale_max_label",
            "section",
            "position",
            "code",
            "kind",
            "required",
            "allow_other",
            "max_choices",
            "scale_min",
            "scale_max",
            "number_min",
            "number_max",
            "max_length",
            "is_profile",
            "profile_kind",
            "show_if_question",
            "show_if_values",
        ),
        translated=("text", "help_text", "scale_min_label", "scale_max_label"),
        create=f"{SERVICES}.question_create",
        update=f"{SERVICES}.question_update",
        delete=f"{SERVICES}.question_delete",
        select_related=("questionnaire", "section__questionnaire"),
        titles=(_("New question"), _("Edit question")),
        form=f"{FORMS}.QuestionForm",
    )
)

OPTION = register(
    Entity(
        model=Option,
        visibility=_of_questionnaire("question__questionnaire"),
        parent="question",
        fields=("label", "code", "position", "is_row"),
        translated=("label",),
        create=f"{SERVICES}.option_create",
        update=f"{SERVICES}.option_update",
        delete=f"{SERVICES}.option_delete",
        select_related=("question__questionnaire",),
        titles=(_("New option"), _("Edit option")),
        form=f"{FORMS}.OptionForm",
    )
)

CAMPAIGN = register(
    Entity(
        model=Campaign,
        visibility=Among("owner_id", editable_organization_ids)
        | Among("results_published_to_id", editable_organization_ids),
        parent="owner",
        fields=(
            "title",
            "description",
            "slug",
            "plan",
            "audience",
            "access",
            "opens_at",
            "closes_at",
            "is_anonymous",
            "language",
            "results_published_to",
            "results_public",
        ),
        translated=("title", "description"),
        # Passed to the services as keyword arguments of their own: the questionnaire is chosen
        # once, at creation; the margins are checked and normalised by `campaign_margins_update`.
        links=("questionnaire", "population_margins"),
        create=f"{SERVICES}.campaign_create",
        update=f"{SERVICES}.campaign_update",
        delete=f"{SERVICES}.campaign_delete",
        lookup="slug",
        select_related=("owner", "questionnaire", "plan", "wave_of"),
        titles=(_("New campaign"), _("Edit campaign")),
        form=f"{FORMS}.CampaignForm",
    )
)

# Invitations are created in bulk from a CSV file and revoked, never edited (views say why).
INVITATION = register(
    Entity(
        model=Invitation,
        visibility=Among("campaign__owner_id", editable_organization_ids),
        parent="campaign",
        select_related=("campaign",),
    )
)

MATURITY_DIMENSION = register(
    Entity(
        model=MaturityDimension,
        visibility=Always(),
        fields=("code", "name", "description", "position"),
        translated=("name", "description"),
    )
)

MATURITY_ASSESSMENT = register(
    Entity(
        model=MaturityAssessment,
        visibility=Among("organization_id", editable_organization_ids),
        parent="organization",
        fields=("department", "campaign", "assessed_on", "note"),
        links=("ratings",),
        create=f"{SERVICES}.maturity_assessment_create",
        delete=f"{SERVICES}.maturity_assessment_delete",
        object_arg="assessment",
        select_related=("organization", "department", "campaign"),
    )
)

FINDING = register(
    Entity(
        model=Finding,
        visibility=_of_plan("plan"),
        parent="plan",
        fields=("title", "text", "kind", "position", "campaign", "question", "dimension", "evidence"),
        translated=("title", "text"),
        create=f"{SERVICES}.finding_create",
        update=f"{SERVICES}.finding_update",
        delete=f"{SERVICES}.finding_delete",
        select_related=("plan__owner", "challenge__axis"),
        titles=(_("New finding"), _("Edit finding")),
        form=f"{FORMS}.FindingForm",
        after_delete=_board_of,
    )
)
