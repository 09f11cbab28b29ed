"""Translated content fields (django-modeltranslation) and change history registration, in that order."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from municipia.partnerships.models import (
    Agreement,
    AgreementDocument,
    Clarification,
    Commitment,
    NewsPost,
    Signatory,
)


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("title", "scope")


@register(Signatory)
class SignatoryTranslation(TranslationOptions):
    fields = ("position",)


@register(Commitment)
class CommitmentTranslation(TranslationOptions):
    fields = ("deliverable",)


@register(Clarification)
class ClarificationTranslation(TranslationOptions):
    fields = ("title", "claim", "facts")


@register(NewsPost)
class NewsPostTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "image_alt")


register_history(Agreement, app=__package__, m2m_fields=["parties"])
register_history(Signatory, app=__package__)
register_history(AgreementDocument, app=__package__)
register_history(Commitment, app=__package__, m2m_fields=["actions", "tasks", "meetings", "campaigns"])
register_history(Clarification, app=__package__, m2m_fields=["plans", "actions"])
register_history(NewsPost, app=__package__, m2m_fields=["plans", "actions", "agreements", "meetings"])
