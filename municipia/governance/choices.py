"""Choice lists of the governance app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BodyKind(models.TextChoices):
    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    COORDINATION_GROUP = "coordination_group", _("Coordination group")
    WORKING_GROUP = "working_group", _("Working group")
    COMMITTEE = "committee", _("Committee")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


# Chairs and secretaries run a body's meetings, decisions and tasks.
OFFICER_ROLES = (MemberRole.CHAIR, MemberRole.SECRETARY)


class HolidayPolicy(models.TextChoices):
    NEXT_WORKING_DAY = "next_working_day", _("Move to the next working day")
    SKIP = "skip", _("Skip the meeting")
    KEEP = "keep", _("Keep the meeting")


class HolidayRegion(models.TextChoices):
    """Whose public holidays apply: a country (ISO 3166-1) or a region (ISO 3166-2)."""

    NONE = "", _("No public holidays")
    SPAIN = "ES", _("Spain (national holidays)")
    ANDALUSIA = "ES-AN", _("Spain · Andalusia")
    ARAGON = "ES-AR", _("Spain · Aragon")
    ASTURIAS = "ES-AS", _("Spain · Asturias")
    BALEARIC_ISLANDS = "ES-IB", _("Spain · Balearic Islands")
    BASQUE_COUNTRY = "ES-PV", _("Spain · Basque Country")
    CANARY_ISLANDS = "ES-CN", _("Spain · Canary Islands")
    CANTABRIA = "ES-CB", _("Spain · Cantabria")
    CASTILE_LA_MANCHA = "ES-CM", _("Spain · Castile-La Mancha")
    CASTILE_AND_LEON = "ES-CL", _("Spain · Castile and León")
    CATALONIA = "ES-CT", _("Spain · Catalonia")
    CEUTA = "ES-CE", _("Spain · Ceuta")
    EXTREMADURA = "ES-EX", _("Spain · Extremadura")
    GALICIA = "ES-GA", _("Spain · Galicia")
    LA_RIOJA = "ES-RI", _("Spain · La Rioja")
    MADRID = "ES-MD", _("Spain · Community of Madrid")
    MELILLA = "ES-ML", _("Spain · Melilla")
    MURCIA = "ES-MC", _("Spain · Region of Murcia")
    NAVARRE = "ES-NC", _("Spain · Navarre")
    VALENCIA = "ES-VC", _("Spain · Valencian Community")
    BULGARIA = "BG", _("Bulgaria")


class MinutesStatus(models.TextChoices):
    # A context of their own: "minutes" is feminine in Spanish and Catalan ("acta aprobada").
    DRAFT = "draft", pgettext_lazy("minutes", "Draft")
    APPROVED = "approved", pgettext_lazy("minutes", "Approved")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class ReminderKind(models.TextChoices):
    AGENDA = "agenda", _("Agenda of an upcoming meeting")
    MINUTES_AWAITING_APPROVAL = "minutes", _("Minutes awaiting approval")
    OVERDUE_TASKS = "overdue_tasks", _("Digest of overdue tasks")


class InvitationStatus(models.TextChoices):
    """Where an invitation to sit in a body stands: only an accepted one is a membership."""

    PENDING = "pending", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
