"""The diagnosis report of a plan: campaigns and their key results, maturity, SWOT, findings → challenges.

Why a plan and not a council: everything the diagnosis produces hangs off a plan. Findings
(the SWOT) belong to one plan and become that plan's challenges; campaigns name the plan they
inform; the maturity profile is that of the plan's owner (a council's departments, or a
network's member councils). A council with two plans (a Smart City plan, then its successor)
has two diagnoses, and a network's shared agenda has its own.

The report shows aggregates only: counts, shares and means of the campaigns (never a response,
an invitation, an e-mail address or a free-text answer), so a named consultation such as
Jerez's social agents' is reported as anonymously as a citizens' survey.

`diagnosis_report` reads it all in a fixed number of queries: the campaigns (1), one look-up of
each campaign's current results (`results.campaign_results`, cached), their questions and
options (2), the maturity profiles (4, or 5 for a network) and the findings with their
evidence and challenges (1) — whatever the number of responses, findings or departments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext

from municipia.diagnosis import analysis, results
from municipia.diagnosis.choices import QuestionKind, SwotKind
from municipia.diagnosis.models import Campaign, Finding, Option, Question
from municipia.diagnosis.selectors import campaigns_visible_to, finding_board
from municipia.organizations.choices import OrganizationKind
from municipia.strategy.models import Challenge, Plan

# Answers shown per choice question: the report summarises, the results page has the rest.
TOP_ANSWERS = 5


@dataclass
class AnswerShare:
    """One answer of a choice question: respondents, their share and (when weighted) the weighted share."""

    label: str
    count: int
    percent: float
    weighted_percent: float | None


@dataclass
class KeyChoiceResult:
    """The most chosen answers of a choice question, most chosen first."""

    code: str
    text: str
    multiple: bool
    answered: int
    n_eff: float
    answers: list[AnswerShare]
    others: int  # answers left out of the top


@dataclass
class KeyScaleResult:
    """The mean of a Likert question with its 95 % interval (weighted too when the campaign is)."""

    code: str
    text: str
    scale_min: int
    scale_max: int
    mean: analysis.MeanEstimate
    weighted_mean: analysis.MeanEstimate | None


@dataclass
class RankedOption:
    label: str
    mean_rank: float
    n: int


@dataclass
class KeyRankingResult:
    """The options of a ranking question by mean rank, first ranked first."""

    code: str
    text: str
    answered: int
    options: list[RankedOption]


@dataclass
class CampaignSummary:
    campaign: Campaign
    responses: int
    weighted: bool
    n_eff: float | None
    design_effect: float | None
    choices: list[KeyChoiceResult] = field(default_factory=list)
    scales: list[KeyScaleResult] = field(default_factory=list)
    rankings: list[KeyRankingResult] = field(default_factory=list)


@dataclass
class MaturitySummary:
    """Radar profiles: a council's departments and its mean, or a network's member councils."""

    dimensions: list
    profiles: list[results.MaturityProfile]
    overall: results.MaturityProfile | None
    is_network: bool

    @property
    def is_empty(self) -> bool:
        return not self.profiles and self.overall is None


@dataclass
class ChallengeOrigin:
    """A challenge of the plan and the findings it came from."""

    challenge: Challenge
    findings: list[Finding]


@dataclass
class DiagnosisReport:
    plan: Plan
    generated_on: dt.date
    campaigns: list[CampaignSummary]
    maturity: MaturitySummary
    swot: list[tuple[str, str, list[Finding]]]  # (kind, label, findings) in S, W, O, T order
    challenges: list[ChallengeOrigin]
    findings_count: int

    @property
    def is_empty(self) -> bool:
        return not self.campaigns and self.maturity.is_empty and not self.findings_count


def report_campaigns(user, plan: Plan) -> list[Campaign]:
    """The plan's campaigns whose results the user may see, oldest first."""
    return list(
        campaigns_visible_to(user)
        .filter(plan=plan)
        .select_related("owner", "results_published_to", "wave_of")
        .order_by("opens_at", "created_at", "id")
    )


def _questions_by_questionnaire(campaigns: list[Campaign]) -> dict[int, list[Question]]:
    """The questions (with options) of every campaign's questionnaire, in two queries."""
    options = Prefetch("options", queryset=Option.objects.order_by("is_row", "position", "id"))
    questions = (
        Question.objects.filter(questionnaire_id__in={c.questionnaire_id for c in campaigns})
        .select_related("section")
        .prefetch_related(options)
        .order_by("questionnaire_id", "section__position", "section_id", "position", "id")
    )
    grouped: dict[int, list[Question]] = {}
    for question in questions:
        grouped.setdefault(question.questionnaire_id, []).append(question)
    return grouped


def _key_choice(question: Question, table: analysis.FrequencyTable, weighted: bool) -> KeyChoiceResult:
    labels = {option.code: option.label for option in question.options.all() if not option.is_row}
    ranked = sorted(
        (row for row in table.rows if row.count),
        key=lambda row: (-(row.weighted_percent if weighted else row.percent), -row.count),
    )
    answers = [
        AnswerShare(
            label=gettext("Other (written in)")
            if row.option == results.OTHER
            else labels.get(row.option, str(row.option)),
            count=row.count,
            percent=row.percent,
            weighted_percent=row.weighted_percent if weighted else None,
        )
        for row in ranked[:TOP_ANSWERS]
    ]
    return KeyChoiceResult(
        code=question.code,
        text=question.text,
        multiple=table.multiple,
        answered=table.n,
        n_eff=table.n_eff,
        answers=answers,
        others=max(0, len(ranked) - TOP_ANSWERS),
    )


def campaign_summary(campaign: Campaign, questions: list[Question]) -> CampaignSummary:
    """Key results of one campaign: its choice questions' top answers, its rankings and its Likert means."""
    computed = results.campaign_results(campaign)
    weighting = computed.weighting
    weighted = bool(weighting and weighting.applied)
    summary = CampaignSummary(
        campaign=campaign,
        responses=computed.responses,
        weighted=weighted,
        n_eff=weighting.result.n_eff if weighted else None,
        design_effect=weighting.result.design_effect if weighted else None,
    )
    for question in questions:
        result = computed.questions.get(question.code)
        # Profile questions describe the sample, not the diagnosis.
        if result is None or question.is_profile or not result.answered:
            continue
        if result.frequencies is not None:
            summary.choices.append(_key_choice(question, result.frequencies, weighted))
        elif result.ranks:
            labels = {option.code: option.label for option in question.options.all() if not option.is_row}
            ranked = [
                RankedOption(labels.get(code, code), estimate.mean, estimate.n)
                for code, estimate in result.ranks.items()
                if estimate.mean is not None
            ]
            ranked.sort(key=lambda option: option.mean_rank)
            summary.rankings.append(KeyRankingResult(question.code, question.text, result.answered, ranked))
        elif question.kind == QuestionKind.LIKERT and result.mean is not None and result.mean.mean is not None:
            summary.scales.append(
                KeyScaleResult(
                    code=question.code,
                    text=question.text,
                    scale_min=question.scale_min,
                    scale_max=question.scale_max,
                    mean=result.mean,
                    weighted_mean=result.weighted_mean if weighted else None,
                )
            )
    return summary


def report_maturity(plan: Plan) -> MaturitySummary:
    if plan.owner.kind == OrganizationKind.NETWORK:
        dimensions, profiles = results.network_maturity(plan.owner)
        return MaturitySummary(dimensions, profiles, None, is_network=True)
    dimensions, profiles, council = results.council_maturity(plan.owner)
    return MaturitySummary(dimensions, profiles, council, is_network=False)


def diagnosis_report(user, plan: Plan) -> DiagnosisReport:
    """Everything the plan's diagnosis produced that `user` may see (the plan's owner is selected)."""
    campaigns = report_campaigns(user, plan)
    questions = _questions_by_questionnaire(campaigns) if campaigns else {}
    summaries = [campaign_summary(campaign, questions.get(campaign.questionnaire_id, [])) for campaign in campaigns]
    board = finding_board(plan)
    swot = [(kind, label, board[kind]) for kind, label in SwotKind.choices]
    origins: dict[int, ChallengeOrigin] = {}
    for _kind, _label, findings in swot:
        for finding in findings:
            if finding.challenge_id:
                origins.setdefault(finding.challenge_id, ChallengeOrigin(finding.challenge, [])).findings.append(
                    finding
                )
    challenges = sorted(
        origins.values(),
        key=lambda origin: (origin.challenge.axis.position, origin.challenge.axis.code, origin.challenge.code),
    )
    return DiagnosisReport(
        plan=plan,
        generated_on=timezone.localdate(),
        campaigns=summaries,
        maturity=report_maturity(plan),
        swot=swot,
        challenges=challenges,
        findings_count=sum(len(findings) for _kind, _label, findings in swot),
    )
