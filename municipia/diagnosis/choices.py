"""Choice lists of the diagnosis app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionnaireKind(models.TextChoices):
    DIGITAL_MATURITY = "digital_maturity", _("Digital maturity")
    CITIZENS_SERVICES = "citizens_services", _("Citizens' digital services")
    SOCIAL_AGENTS = "social_agents", _("Social agents")
    CUSTOM = "custom", _("Custom")


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    LIKERT = "likert", _("Likert scale")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Free text")
    RANKING = "ranking", _("Ranking")
    MATRIX = "matrix", _("Matrix")


# Kinds whose answers pick options (matrix answers pick a column option per row option).
CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.RANKING})


class ProfileKind(models.TextChoices):
    """What a profile question measures, so weighting knows which margin it matches."""

    NONE = "", _("Not a profile question")
    AGE_BAND = "age_band", _("Age band")
    SEX = "sex", _("Sex")
    DISTRICT = "district", _("District")
    OTHER = "other", _("Other profile")


class Audience(models.TextChoices):
    CITIZENS = "citizens", _("Citizens")
    DEPARTMENTS = "departments", _("Municipal departments")
    SOCIAL_AGENTS = "social_agents", _("Social agents")
    BUSINESSES = "businesses", _("Businesses")


class Access(models.TextChoices):
    PUBLIC_LINK = "public_link", _("Public link")
    INVITATION = "invitation", _("One-time invitation")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class RefusalReason(models.TextChoices):
    CLOSED = "closed", _("Campaign closed")
    TOKEN_USED = "token_used", _("Invitation already used")
    TOKEN_REVOKED = "token_revoked", _("Invitation revoked")
    TOKEN_UNKNOWN = "token_unknown", _("Unknown invitation")
    HONEYPOT = "honeypot", _("Honeypot filled in")
    RATE_LIMITED = "rate_limited", _("Too many submissions from one client")
    ALREADY_ANSWERED = "already_answered", _("Already answered by this user")
    INVALID = "invalid", _("Invalid answers")


class SwotKind(models.TextChoices):
    STRENGTH = "S", _("Strength")
    WEAKNESS = "W", _("Weakness")
    OPPORTUNITY = "O", _("Opportunity")
    THREAT = "T", _("Threat")
