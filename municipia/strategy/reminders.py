"""The digest of actions needing an update, e-mailed to whoever answers for them.

Each open action late, at risk or not updated for `UPDATE_INTERVAL_DAYS` (strategy.selectors.
actions_needing_update) is owed by its lead (the person's e-mail, else their account's); an
action without a lead is owed by the editors of the plan's owner. Each recipient gets one digest,
in their language (core/mail.py), with a one-click link to each action's page, to "My work" and
to the plan's bulk update. The management command `send_action_digests` and the Celery beat
task of the same name send it (weekly).
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from municipia.core.mail import templated_email
from municipia.organizations.selectors import roles_with_people
from municipia.strategy.selectors import ActionToUpdate, actions_needing_update, owed_actions

logger = logging.getLogger(__name__)
TEMPLATE = "strategy/email/action_digest"


@dataclass
class Digest:
    recipient: str
    name: str
    language: str
    entries: list[ActionToUpdate] = field(default_factory=list)


def _language(code: str | None) -> str:
    codes = {c for c, _n in settings.LANGUAGES}
    return code if code in codes else settings.LANGUAGE_CODE


def digests_due() -> list[Digest]:
    """One digest per recipient address, in a fixed number of queries."""
    found = actions_needing_update(owed_actions())
    editors: dict[int, list[tuple[str, str, str]]] = {}
    leaderless_owners = {entry.action.plan.owner_id for entry in found if entry.action.lead_id is None}
    for role in roles_with_people(leaderless_owners):
        address = (role.user.email or "").strip()
        if address:
            person = getattr(role.user, "person", None)
            editors.setdefault(role.organization_id, []).append(
                (address, role.user.get_full_name() or role.user.get_username(), _language(person and person.language))
            )
    digests: dict[str, Digest] = {}
    for entry in found:
        lead = entry.action.lead
        recipients: list[tuple[str, str, str]] = []
        if lead is not None:
            address = (lead.email or "").strip() or ((lead.user.email or "").strip() if lead.user else "")
            if address:
                recipients.append((address, lead.full_name, _language(lead.language)))
        else:
            recipients = editors.get(entry.action.plan.owner_id, [])
        for address, name, language in recipients:
            digests.setdefault(address.lower(), Digest(address, name, language)).entries.append(entry)
    return list(digests.values())


def render(digest: Digest):
    base = settings.SITE_URL.rstrip("/")
    with translation.override(digest.language):
        plans = {entry.action.plan for entry in digest.entries}
        context = {
            "name": digest.name,
            "entries": [(entry, base + entry.action.get_absolute_url()) for entry in digest.entries],
            "my_work_url": base + reverse("portal:my-work"),
            "bulk_urls": [
                (plan, base + reverse("strategy:plan-progress-upload", args=[plan.slug]))
                for plan in sorted(plans, key=lambda p: p.pk)
            ],
        }
    return templated_email(TEMPLATE, context, to=digest.recipient, language=digest.language)


def send_action_digests(*, dry_run: bool = False) -> list[Digest]:
    """Sends each digest; returns what was sent (or, with `dry_run`, what would be)."""
    due = digests_due()
    if dry_run:
        return due
    sent = []
    for digest in due:
        try:
            render(digest).send()
        except OSError:
            logger.exception("Action digest to %s could not be sent", digest.recipient)
            continue
        sent.append(digest)
    return sent
