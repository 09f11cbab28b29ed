"""Who may change agreements, clarifications and news: one set of rules for pages, admin and API.

- An agreement and everything it holds (signatories, documents, commitments) is changed by the
  editors of any of its parties; a new agreement is registered by an editor of its owner.
- Clarifications and news posts are written by the editors of their publishing organisation.
- A clarification is published by an editor of its publisher who is not its author (four
  eyes); the service says why when the author tries (`clarification_publish`).
- Site administrators may do everything (the one superuser policy, core.visibility).
The `view_*` permissions are the entities' visibility rules (partnerships/entities.py).
"""

import rules

from municipia.organizations.permissions import editable_organization_ids, edits_organization, is_site_admin
from municipia.partnerships.models import Agreement, AgreementDocument, Clarification, Commitment, NewsPost, Signatory


def agreement_of(obj: object) -> Agreement | None:
    if isinstance(obj, Agreement):
        return obj
    if isinstance(obj, Signatory | Commitment | AgreementDocument):
        return obj.agreement
    return None


def party_ids(agreement: Agreement) -> set[int]:
    """Ids of the agreement's parties and its owner (prefetched `parties` cost no query)."""
    return {agreement.owner_id, *(party.pk for party in agreement.parties.all())}


@rules.predicate
def edits_a_party(user, obj) -> bool:
    agreement = agreement_of(obj)
    editable = editable_organization_ids(user)
    return agreement is not None and bool(editable) and bool(party_ids(agreement) & editable)


@rules.predicate
def edits_publisher(user, obj) -> bool:
    if isinstance(obj, Clarification):
        return obj.publisher_id in editable_organization_ids(user)
    if isinstance(obj, NewsPost):
        return obj.organization_id in editable_organization_ids(user)
    return False


@rules.predicate
def is_not_author(user, obj) -> bool:
    return isinstance(obj, Clarification) and obj.author_id != user.pk


can_edit_agreement = is_site_admin | edits_a_party
can_edit_publication = is_site_admin | edits_publisher

rules.add_perm("partnerships.add_agreement", is_site_admin | edits_organization)
rules.add_perm("partnerships.change_agreement", can_edit_agreement)
rules.add_perm("partnerships.delete_agreement", can_edit_agreement)
for model_name in ("signatory", "agreementdocument", "commitment"):
    # `add_*` receives the agreement, the others the element.
    rules.add_perm(f"partnerships.add_{model_name}", can_edit_agreement)
    rules.add_perm(f"partnerships.change_{model_name}", can_edit_agreement)
    rules.add_perm(f"partnerships.delete_{model_name}", can_edit_agreement)

for model_name in ("clarification", "newspost"):
    # `add_*` receives the publishing organisation.
    rules.add_perm(f"partnerships.add_{model_name}", is_site_admin | edits_organization)
    rules.add_perm(f"partnerships.change_{model_name}", can_edit_publication)
    rules.add_perm(f"partnerships.delete_{model_name}", can_edit_publication)
rules.add_perm("partnerships.publish_clarification", can_edit_publication & is_not_author)
# Editors of the parties see the contradictions between linked work and actions.
rules.add_perm("partnerships.follow_commitment", can_edit_agreement)

# Subscriptions are personal data: site administrators only (their owners use the signed links).
for action_name in ("add", "change", "delete"):
    rules.add_perm(f"partnerships.{action_name}_subscription", is_site_admin)

# Sending the newsletter to every subscriber, and watching its progress: site administrators.
rules.add_perm("partnerships.send_newsletter", is_site_admin)
