"""Translated content fields (django-modeltranslation) and change history registration, in that order."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from municipia.portfolio.models import (
    BudgetLine,
    CriteriaSet,
    Criterion,
    EvaluatorAssignment,
    ExecutionEntry,
    ExecutionMapping,
    FundingSource,
    Proposal,
    Scenario,
    Score,
    SourceAllocation,
)


@register(Proposal)
class ProposalTranslation(TranslationOptions):
    fields = ("title", "description", "expected_results")


@register(CriteriaSet)
class CriteriaSetTranslation(TranslationOptions):
    fields = ("title",)


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(FundingSource)
class FundingSourceTranslation(TranslationOptions):
    fields = ("title",)


register_history(Proposal, app=__package__, m2m_fields=["councils", "depends_on", "excludes", "tags"])
register_history(CriteriaSet, app=__package__)
register_history(Criterion, app=__package__)
register_history(EvaluatorAssignment, app=__package__)
register_history(Score, app=__package__)
register_history(FundingSource, app=__package__, m2m_fields=["framework_items"])
register_history(SourceAllocation, app=__package__)
register_history(BudgetLine, app=__package__)
register_history(ExecutionEntry, app=__package__)
register_history(Scenario, app=__package__)
register_history(ExecutionMapping, app=__package__)
