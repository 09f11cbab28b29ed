"""Reminder e-mails to indicator owners whose values are stale (see status.py for "stale").

`reminders_due(today=…)` (a selector) lists, per recipient, the stale indicator × organisation
values not yet reminded about, in a fixed number of queries; `send_indicator_reminders(…)`
(a service) sends one digest per recipient in the owner's language. The management command
`send_indicator_reminders` and the Celery task of the same name call it.

Idempotence follows `municipia.governance.reminders`: each digest is sent inside a transaction
that first inserts its `IndicatorReminder` rows; the unique constraint makes a second (or
concurrent) run skip what was sent, and a failed send rolls the rows back for the next run.
A value is reminded about once per stale episode: its key includes the latest value's date,
so a new observation that goes stale again gets a new reminder. A council that owes a value it
has never given (owed.py) is reminded once per reporting period of the indicator (monthly,
quarterly… from the start of the year), keyed by the period's first day.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from municipia.core.mail import templated_email
from municipia.indicators.choices import FREQUENCY_MONTHS
from municipia.indicators.models import Indicator, IndicatorReminder
from municipia.indicators.owed import owed_values
from municipia.indicators.selectors import indicator_status
from municipia.indicators.status import Assessment
from municipia.organizations.models import Organization, Person
from municipia.organizations.selectors import organizations_by_id, roles_with_people

logger = logging.getLogger(__name__)
TEMPLATE = "indicators/email/stale_reminder"


@dataclass
class StaleValue:
    indicator: Indicator
    organization: Organization
    assessment: Assessment
    #: The day that keys the reminder (IndicatorReminder.latest_date): the latest value's date, or
    #: for a value never given, the first day of the indicator's current reporting period.
    episode: dt.date | None = None

    def __post_init__(self) -> None:
        if self.episode is None and self.assessment.latest is not None:
            self.episode = self.assessment.latest.date

    @property
    def missing(self) -> bool:
        return self.assessment.latest is None


def period_start(frequency: str, today: dt.date) -> dt.date:
    """The first day of the reporting period `today` falls in (periods counted from January)."""
    months = FREQUENCY_MONTHS.get(frequency, 12)
    index = (today.year * 12 + today.month - 1) // months * months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class Reminder:
    """One digest to one owner: their indicators' stale values."""

    person: Person
    recipient: str
    values: list[StaleValue] = field(default_factory=list)

    @property
    def language(self) -> str:
        codes = {code for code, _name in settings.LANGUAGES}
        return self.person.language if self.person.language in codes else settings.LANGUAGE_CODE


def owner_address(person: Person) -> str:
    """The owner's e-mail: the person's own, else their account's."""
    address = (person.email or "").strip()
    if not address and person.user_id is not None:
        address = (person.user.email or "").strip()
    return address


def reminders_due(*, today: dt.date) -> list[Reminder]:
    """Stale values not yet reminded about, one digest per address, in a fixed number of queries:
    to the indicator's owner (all its stale values) and to the editors of each council that owes
    one (owed.py: the councils a plan's indicator is judged on)."""
    indicators = [
        indicator
        for indicator in Indicator.objects.filter(owner_person__isnull=False).select_related("owner_person__user")
        if owner_address(indicator.owner_person)
    ]
    table = indicator_status(indicators, today=today)
    stale = [(key, a) for key, a in table.assessments.items() if a.stale and a.latest is not None]
    # Owed by a council: a stale value, or none ever given (a network member that never reported).
    owed = [
        v
        for v in owed_values(Indicator.objects.all(), today=today)
        if (v.assessment.stale and v.assessment.latest) or v.missing
    ]
    if not stale and not owed:
        return []
    by_id = {indicator.pk: indicator for indicator in indicators}
    sent = set(
        IndicatorReminder.objects.filter(
            indicator_id__in={ind for (ind, _org), _a in stale} | {v.indicator.pk for v in owed}
        ).values_list("indicator_id", "organization_id", "latest_date", "recipient")
    )
    organizations = organizations_by_id({org for (_ind, org), _a in stale})
    reminders: dict[str, Reminder] = {}

    def add(person: Person, address: str, value: StaleValue) -> None:
        key = (value.indicator.pk, value.organization.pk, value.episode, address)
        if key in sent:
            return
        sent.add(key)  # once per address, whoever it is reminded as
        reminders.setdefault(address.lower(), Reminder(person, address)).values.append(value)

    for (indicator_id, organization_id), assessment in sorted(stale, key=lambda item: item[0]):
        indicator = by_id[indicator_id]
        add(
            indicator.owner_person,
            owner_address(indicator.owner_person),
            StaleValue(indicator, organizations[organization_id], assessment),
        )
    for address, person, organization_id in _council_editors({v.organization.pk for v in owed}):
        for value in owed:
            if value.organization.pk == organization_id:
                episode = period_start(value.indicator.frequency, today) if value.missing else None
                add(person, address, StaleValue(value.indicator, value.organization, value.assessment, episode))
    return list(reminders.values())


def _council_editors(organization_ids: set[int]) -> list[tuple[str, Person, int]]:
    """(address, person, council id) of each council's editors with an e-mail address."""
    found = []
    for role in roles_with_people(organization_ids):
        address = (role.user.email or "").strip()
        if not address:
            continue
        person = getattr(role.user, "person", None) or Person(
            full_name=role.user.get_full_name() or role.user.get_username()
        )
        found.append((address, person, role.organization_id))
    return found


def render(reminder: Reminder) -> EmailMultiAlternatives:
    language = reminder.language
    with translation.override(language):
        base = settings.SITE_URL.rstrip("/")
        context = {
            "person": reminder.person,
            "values": [
                {
                    "value": value,
                    "url": base + reverse("indicators:indicator-detail", kwargs={"pk": value.indicator.pk}),
                }
                for value in reminder.values
            ],
            "import_url": base + reverse("indicators:observation-import"),
            "LANGUAGE_CODE": language,
        }
    return templated_email(TEMPLATE, context, to=reminder.recipient, language=language)


def _deliver(reminder: Reminder) -> bool:
    """Records and sends one digest atomically; False when already sent or the mail server refused."""
    try:
        with transaction.atomic():
            IndicatorReminder.objects.bulk_create(
                IndicatorReminder(
                    indicator=value.indicator,
                    organization=value.organization,
                    latest_date=value.episode,
                    recipient=reminder.recipient,
                )
                for value in reminder.values
            )
            render(reminder).send()
    except IntegrityError:
        return False  # sent by a concurrent run
    except OSError:
        logger.exception("Indicator reminder to %s could not be sent", reminder.recipient)
        return False
    return True


def send_indicator_reminders(*, today: dt.date | None = None, dry_run: bool = False) -> list[Reminder]:
    """Sends each due digest once; returns what was sent (or, with `dry_run`, what would be)."""
    due = reminders_due(today=today or timezone.localdate())
    if dry_run:
        return due
    return [reminder for reminder in due if _deliver(reminder)]
