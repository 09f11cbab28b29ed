"""Who may see and change questionnaires, campaigns, results, maturity assessments and findings.

- A council's editors manage their council's questionnaires, campaigns and maturity
  self-assessments; a partner's editors manage the campaigns the partner owns.
- Shipped templates (no owner) are read by everyone, copied by signed-in users, changed by site admins.
- A campaign's results are seen by its owner's editors and by the editors of the organisation
  its results are published to.
- Findings follow their plan: the plan owner's editors manage them while the plan is open.
- Respondents need no account: answering is checked by the campaign's state and the token.

Who may *see* each declared model (`diagnosis.view_<model>`) is its visibility rule in
`diagnosis/entities.py`, which answers for querysets and single objects alike.
"""

import rules

from municipia.diagnosis.models import (
    Campaign,
    Finding,
    Invitation,
    MaturityAssessment,
    MaturityRating,
    Option,
    Question,
    Questionnaire,
    Section,
)
from municipia.organizations.models import Organization
from municipia.organizations.permissions import editable_organization_ids, edits_organization, is_site_admin
from municipia.strategy.permissions import can_edit as can_edit_plan


def owner_id_of(obj: object) -> int | None:
    """The organisation that owns a diagnosis object (callers select_related the chain)."""
    if isinstance(obj, Questionnaire):
        return obj.owner_id
    if isinstance(obj, Section | Question):
        return obj.questionnaire.owner_id
    if isinstance(obj, Option):
        return obj.question.questionnaire.owner_id
    if isinstance(obj, Campaign):
        return obj.owner_id
    if isinstance(obj, Invitation):
        return obj.campaign.owner_id
    if isinstance(obj, MaturityAssessment):
        return obj.organization_id
    if isinstance(obj, MaturityRating):
        return obj.assessment.organization_id
    if isinstance(obj, Organization):
        return obj.pk
    return None


@rules.predicate
def edits_owner(user, obj) -> bool:
    owner_id = owner_id_of(obj)
    return owner_id is not None and owner_id in editable_organization_ids(user)


@rules.predicate
def is_template(user, obj) -> bool:
    questionnaire = obj if isinstance(obj, Questionnaire) else getattr(obj, "questionnaire", None)
    return bool(questionnaire is not None and questionnaire.is_template)


@rules.predicate
def receives_results(user, obj) -> bool:
    return (
        isinstance(obj, Campaign)
        and obj.results_published_to_id is not None
        and obj.results_published_to_id in editable_organization_ids(user)
    )


@rules.predicate
def is_organization(user, obj) -> bool:
    return isinstance(obj, Organization)


@rules.predicate
def finding_plan_editable(user, obj) -> bool:
    plan = obj.plan if isinstance(obj, Finding) else obj
    return can_edit_plan.test(user, plan)


manages = is_site_admin | edits_owner

# Questionnaires and their parts (`add_questionnaire` receives the owning organisation;
# `add_section`/`add_question`/`add_option` the parent).
rules.add_perm("diagnosis.add_questionnaire", is_site_admin | (is_organization & edits_organization))
rules.add_perm("diagnosis.copy_questionnaire", is_site_admin | edits_owner | (rules.is_authenticated & is_template))
for name in ("questionnaire", "section", "question", "option"):
    rules.add_perm(f"diagnosis.change_{name}", manages)
    rules.add_perm(f"diagnosis.delete_{name}", manages)
for name in ("section", "question", "option"):
    rules.add_perm(f"diagnosis.add_{name}", manages)

# Campaigns (`add_campaign` receives the owning organisation: a council or a partner).
rules.add_perm("diagnosis.add_campaign", is_site_admin | (is_organization & edits_organization))
rules.add_perm("diagnosis.change_campaign", manages)
rules.add_perm("diagnosis.delete_campaign", is_site_admin)
rules.add_perm("diagnosis.manage_invitations", manages)
rules.add_perm("diagnosis.view_results", manages | receives_results)
rules.add_perm("diagnosis.view_response", manages | receives_results)
rules.add_perm("diagnosis.change_invitation", manages)

# Maturity self-assessments (`add_maturityassessment` and `view_maturity` receive the organisation;
# `view_maturity` is an organisation's, or a network's, maturity pages).
rules.add_perm("diagnosis.view_maturity", manages)
rules.add_perm("diagnosis.add_maturityassessment", manages)
rules.add_perm("diagnosis.change_maturityassessment", manages)
rules.add_perm("diagnosis.delete_maturityassessment", manages)

# Findings (`add_finding` receives the plan).
rules.add_perm("diagnosis.add_finding", finding_plan_editable)
rules.add_perm("diagnosis.change_finding", finding_plan_editable)
rules.add_perm("diagnosis.delete_finding", finding_plan_editable)
rules.add_perm("diagnosis.convert_finding", finding_plan_editable)


# The diagnosis report (`view_report` receives the plan) gathers campaign results and maturity
# levels, which only the owner's editors see: so it is for the plan owner's editors, whatever the
# plan's state, and site admins; publishing a plan does not publish its diagnosis report.
@rules.predicate
def edits_report_plan_owner(user, plan) -> bool:
    owner_id = getattr(plan, "owner_id", None)
    return owner_id is not None and owner_id in editable_organization_ids(user)


rules.add_perm("diagnosis.view_report", is_site_admin | edits_report_plan_owner)
