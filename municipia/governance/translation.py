"""Translated content fields (django-modeltranslation) and change history registration.

History is registered after translation so that historical tables keep every language's column.
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from municipia.governance.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyInvitation,
    BodyMember,
    Decision,
    Meeting,
    MeetingSeries,
    Report,
    Task,
)


@register(Body)
class BodyTranslation(TranslationOptions):
    fields = ("name", "mandate")


@register(MeetingSeries)
class MeetingSeriesTranslation(TranslationOptions):
    fields = ("title",)


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title",)


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title",)


@register(Decision)
class DecisionTranslation(TranslationOptions):
    fields = ("text",)


@register(Task)
class TaskTranslation(TranslationOptions):
    fields = ("title",)


@register(Report)
class ReportTranslation(TranslationOptions):
    fields = ("progress", "issues", "next_steps")


register_history(Body, app=__package__)
register_history(BodyMember, app=__package__)
register_history(BodyInvitation, app=__package__)
register_history(MeetingSeries, app=__package__)
register_history(Meeting, app=__package__)
register_history(AgendaItem, app=__package__)
register_history(Decision, app=__package__)
register_history(Task, app=__package__)
register_history(Attendance, app=__package__)
register_history(Report, app=__package__)
