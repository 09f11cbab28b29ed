"""A campaign's results: load its answers in a fixed number of queries, weight them, analyse, keep.

How and when results are computed. Every computed `CampaignResults` is stored in the database as
the campaign's `CampaignResultSnapshot`, under a version key made of the campaign id, its highest
response id (so any new submission makes a new key) and a digest of its population margins (so
changing the weighting does too), and kept in Django's cache under that key. Reading the key
costs one index look-up, so a page built from stored results does a constant, small number of
queries whatever the number of responses.

- `campaign_results(campaign)` gives the current results, computing them on the spot when the
  stored ones are stale (exports, the report, the API's figures need exactly the current ones).
- `campaign_results_page(campaign)` never waits for a large campaign: when the stored results
  are stale and the campaign has at least `DIAGNOSIS_INLINE_RESULTS_MAX` responses (5,000 by
  default) and Celery runs on Redis (REDIS_URL), it queues one background computation per
  campaign (`tasks.compute_campaign_results`) and serves the previous snapshot meanwhile, saying
  so. Smaller campaigns, and every campaign without REDIS_URL (the embedded default, which has
  no worker), are computed inline. `manage.py compute_survey_results` recomputes on demand.

Statistics are in `analysis.py`; this module only turns rows into the sequences it expects.
Answers and options are keyed by their codes (not ids), so two waves of a campaign, whose
questionnaires are copies, can be compared question by question.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import math
import pickle
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from municipia.core.cache import cached_value
from municipia.diagnosis import analysis
from municipia.diagnosis.choices import QuestionKind
from municipia.diagnosis.models import (
    Answer,
    Campaign,
    CampaignResultSnapshot,
    MaturityAssessment,
    MaturityDimension,
    MaturityRating,
    Option,
    Question,
    Response,
)
from municipia.organizations.models import Organization
from municipia.organizations.selectors import network_members

OTHER = "__other__"
CACHE_SECONDS = 24 * 3600
# Names of what is cached with a results version (core.cache.cached_value).
RESULTS = "diagnosis-results"
WEIGHTS = "diagnosis-results-weights"
CHUNK = 20_000
DATA = Path(__file__).resolve().parent / "data"

# Campaigns with fewer responses than this are computed inline even when a worker is available:
# their computation takes less time than queueing it would be worth.
INLINE_RESULTS_MAX = 5_000
# A background computation that has not finished after this long is presumed lost (worker killed).
COMPUTING_TIMEOUT = dt.timedelta(minutes=30)

CHOICE_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE}
SCALE_KINDS = {QuestionKind.LIKERT, QuestionKind.NUMBER}


# ---------------------------------------------------------------------------------------------
# Margins
# ---------------------------------------------------------------------------------------------


def read_margins(path: Path) -> dict[str, dict[str, float]]:
    """Margins from a CSV with columns margin, category, population (comment lines start with #)."""
    margins: dict[str, dict[str, float]] = {}
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if line.strip() and not line.startswith("#"))
        for row in rows:
            margins.setdefault(row["margin"].strip(), {})[row["category"].strip()] = float(row["population"])
    return margins


def margins_as_shares(margins: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """Population counts per category turned into shares adding up to 1 per margin."""
    shares = {}
    for name, counts in margins.items():
        total = math.fsum(counts.values())
        shares[name] = {category: count / total for category, count in counts.items()}
    return shares


def campaign_margins(campaign: Campaign) -> dict[str, dict[str, float]]:
    """The population margins a campaign's sample is weighted to ({} when it is not weighted)."""
    return campaign.population_margins or {}


def margins_version(margins: dict) -> str:
    return hashlib.sha256(json.dumps(margins, sort_keys=True).encode()).hexdigest()[:12] if margins else "none"


# ---------------------------------------------------------------------------------------------
# Computed results
# ---------------------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    """The analysis of one question; which fields are set depends on its kind."""

    code: str
    kind: str
    answered: int = 0
    frequencies: analysis.FrequencyTable | None = None
    mean: analysis.MeanEstimate | None = None
    weighted_mean: analysis.MeanEstimate | None = None
    # Matrix: one frequency table per row option code.
    matrix: dict[str, analysis.FrequencyTable] = field(default_factory=dict)
    # Ranking: mean rank (1 = first) per option code.
    ranks: dict[str, analysis.MeanEstimate] = field(default_factory=dict)


@dataclass
class MarginCheck:
    """One category of a margin: the population share, the sample's and the weighted sample's."""

    margin: str
    category: str
    population: float
    sample: float
    weighted: float


@dataclass
class Weighting:
    """How the sample was weighted, or why it could not be."""

    margins: dict[str, dict[str, float]]
    result: analysis.RakingResult | None = None
    problems: list[analysis.RakingProblem] = field(default_factory=list)
    excluded: int = 0
    checks: list[MarginCheck] = field(default_factory=list)
    milliseconds: float = 0.0
    # Respondents with the same profile get the same weight: (category per margin) → weight, and
    # the profile question codes of each margin, so an export can weigh a row from its answers.
    cell_weights: dict[tuple[str, ...], float] = field(default_factory=dict)
    margin_questions: dict[str, list[str]] = field(default_factory=dict)

    @property
    def applied(self) -> bool:
        return self.result is not None

    def weight_of(self, answers_by_code: dict[str, object]) -> float | None:
        """The weight of a respondent from its profile answers (None when it is left out)."""
        cell = []
        for codes in self.margin_questions.values():
            parts = [answers_by_code.get(code) for code in codes]
            if any(part is None or part == "" for part in parts):
                return None
            cell.append(analysis.joint_category(*parts))
        return self.cell_weights.get(tuple(cell))


@dataclass
class CampaignResults:
    campaign_id: int
    responses: int
    questions: dict[str, QuestionResult]
    weighting: Weighting | None
    computed_at: float
    milliseconds: float
    key: str = ""


def results_key(campaign: Campaign) -> str:
    """The cache key of a campaign's current results: changes with every response and margin change."""
    # The highest response id alone: an index look-up, where COUNT(*) reads every response of
    # the campaign (7 ms at 100,000). Responses are only ever added (no service deletes one; a
    # campaign's deletion removes its results too), so a new response is a new highest id.
    if hasattr(campaign, "last_response"):  # read with the campaign (`last_response_subquery`)
        last = campaign.last_response
    else:
        last = Response.objects.filter(campaign=campaign).aggregate(last=Max("id"))["last"]
    version = margins_version(campaign_margins(campaign))
    return f"diagnosis:results:{campaign.pk}:{last or 0}:{version}"


def last_response_subquery() -> Subquery:
    """The campaign's highest response id, to annotate a campaign query with as `last_response`."""
    return Subquery(Response.objects.filter(campaign=OuterRef("pk")).order_by("-id").values("id")[:1])


def campaign_results(campaign: Campaign, *, use_cache: bool = True) -> CampaignResults:
    """The campaign's current results: from the cache or the stored snapshot when nothing changed
    since they were computed, otherwise computed now (and stored). Blocks while computing."""
    key = results_key(campaign)
    if use_cache:
        found = _cached_or_stored(campaign, key)
        if found is not None:
            return found
    return _compute_and_store(campaign, key, store=use_cache)


def _cached(name: str, key: str, compute: Callable[[], object]) -> Any:
    """A value kept with the results of version `key` (core.cache; a new version is a new key)."""
    return cached_value(name, [key], compute, seconds=CACHE_SECONDS, keep=lambda value: value is not None)


def _cached_or_stored(campaign: Campaign, key: str) -> CampaignResults | None:
    """The results of version `key` from the cache or, failing that, from the stored snapshot."""

    def stored() -> CampaignResults | None:
        data = (
            CampaignResultSnapshot.objects.filter(campaign=campaign, key=key, results__isnull=False)
            .values_list("results", flat=True)
            .first()
        )
        return None if data is None else _loads(data)

    return _cached(RESULTS, key, stored)


def _loads(data) -> CampaignResults:
    # The snapshot is written only by snapshot_store below from computed figures, never from input.
    return pickle.loads(bytes(data))  # noqa: S301


def _compute_and_store(campaign: Campaign, key: str, *, store: bool = True) -> CampaignResults:
    computed, weights = compute_results(campaign)
    computed.key = key
    if store:
        snapshot_store(campaign, computed)
        _cached(RESULTS, key, lambda: computed)
        _cached(WEIGHTS, key, lambda: weights)
    return computed


def snapshot_store(campaign: Campaign, computed: CampaignResults) -> None:
    """Keeps `computed` as the campaign's snapshot and ends any background computation of it."""
    last = int(computed.key.split(":")[3]) if computed.key.count(":") >= 4 else 0
    values = {
        "key": computed.key,
        "last_response_id": last,
        "responses": computed.responses,
        "computed_at": dt.datetime.fromtimestamp(computed.computed_at, tz=dt.UTC),
        "milliseconds": computed.milliseconds,
        "results": pickle.dumps(computed, protocol=pickle.HIGHEST_PROTOCOL),
        "computing_since": None,
    }
    # One UPDATE (or one INSERT the first time): two computations racing both write, the later wins.
    if not CampaignResultSnapshot.objects.filter(campaign=campaign).update(**values):
        try:
            with transaction.atomic():
                CampaignResultSnapshot.objects.create(campaign=campaign, **values)
        except IntegrityError:
            CampaignResultSnapshot.objects.filter(campaign=campaign).update(**values)


@dataclass
class ResultsState:
    """What the results page shows: the latest computed results and whether they are current."""

    results: CampaignResults | None
    current: bool
    # Responses received since `results` were computed (0 when current).
    new_responses: int = 0
    # True when a background computation was queued (or is running) for the newer responses.
    computing: bool = False
    # Whether results of this campaign are computed in the background (large, with a worker).
    in_background: bool = False


def computes_in_background(responses: int) -> bool:
    """Whether stale results are recomputed by a worker rather than on the request.

    Only with Celery on Redis (REDIS_URL): the embedded default runs tasks in-process, so a
    "background" task would block the request just the same. Small campaigns compute in less
    time than it is worth queueing them.
    """
    threshold = getattr(settings, "DIAGNOSIS_INLINE_RESULTS_MAX", INLINE_RESULTS_MAX)
    return bool(settings.REDIS_URL) and responses >= threshold


def campaign_results_page(campaign: Campaign, *, key: str = "") -> ResultsState:
    """The results to show now, never waiting for a large campaign's computation (see the module doc).

    Current results cost the version look-up and a cache hit (or one snapshot read). Stale
    ones cost two or three more small queries, then either an inline computation or one queued
    task per campaign, while the previous snapshot is served.
    """
    key = key or results_key(campaign)
    found = _cached_or_stored(campaign, key)
    if found is not None:
        return ResultsState(found, current=True, in_background=computes_in_background(found.responses))
    snapshot = CampaignResultSnapshot.objects.filter(campaign=campaign).first()
    last_id = snapshot.last_response_id if snapshot else 0
    new = Response.objects.filter(campaign=campaign, id__gt=last_id).count()
    total = (snapshot.responses if snapshot else 0) + new
    if not computes_in_background(total):
        return ResultsState(_compute_and_store(campaign, key), current=True, in_background=False)
    previous = None
    if snapshot is not None and snapshot.results is not None:
        previous = _cached(RESULTS, snapshot.key, lambda: _loads(snapshot.results))
    queued = snapshot_request(campaign)
    running = queued or bool(snapshot and snapshot.computing_since)
    return ResultsState(previous, current=False, new_responses=new, computing=running, in_background=True)


def snapshot_request(campaign: Campaign) -> bool:
    """Queues the background computation of the campaign's results unless one is already running.

    The claim is one conditional UPDATE of the snapshot row (`computing_since` empty or older than
    COMPUTING_TIMEOUT), so two requests, or two hosts, never queue the same campaign twice.
    Returns whether a computation was queued.
    """
    from municipia.diagnosis import tasks

    now = timezone.now()
    try:
        with transaction.atomic():
            CampaignResultSnapshot.objects.get_or_create(campaign=campaign)
    except IntegrityError:
        pass  # created meanwhile by another request
    claimed = (
        CampaignResultSnapshot.objects.filter(campaign=campaign)
        .filter(Q(computing_since__isnull=True) | Q(computing_since__lt=now - COMPUTING_TIMEOUT))
        .update(computing_since=now)
    )
    if claimed:
        campaign_id = campaign.pk
        transaction.on_commit(lambda: tasks.compute_campaign_results.delay(campaign_id))
    return bool(claimed)


def snapshot_is_current(campaign: Campaign) -> bool:
    return CampaignResultSnapshot.objects.filter(
        campaign=campaign, key=results_key(campaign), results__isnull=False
    ).exists()


def snapshot_compute(campaign: Campaign) -> CampaignResults:
    """Computes and stores the campaign's current results (the task's and the command's work)."""
    try:
        return _compute_and_store(campaign, results_key(campaign))
    finally:
        # A failed computation releases the claim so that the next visit queues another.
        CampaignResultSnapshot.objects.filter(campaign=campaign).update(computing_since=None)


def campaign_questions(campaign: Campaign) -> list[Question]:
    return list(
        Question.objects.filter(questionnaire_id=campaign.questionnaire_id)
        .select_related("section")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("is_row", "position", "id")))
    )


def _profile_margin_questions(questions: list[Question], margins: dict) -> dict[str, list[Question]]:
    """For each margin, its profile questions: "age_band|sex" → [the age-band question, the sex question]."""
    by_kind = {q.profile_kind: q for q in questions if q.is_profile and q.profile_kind}
    by_code = {q.code: q for q in questions}
    mapping: dict[str, list[Question]] = {}
    for name in margins:
        parts = []
        for part in name.split("|"):
            question = by_kind.get(part) or by_code.get(part)
            if question is not None:
                parts.append(question)
        mapping[name] = parts if len(parts) == len(name.split("|")) else []
    return mapping


def load_answers(campaign: Campaign, questions: list[Question]) -> tuple[list[int], dict[int, list]]:
    """Response ids and, per question id, one entry per response (in response order).

    Single choice: an option code or None; multiple choice: a list of codes; Likert and number:
    a float or None; ranking: {option code: rank}; matrix: {row code: column code}. Free-text
    answers are not loaded (they are listed page by page). Two queries, answers streamed.
    """
    response_ids = list(Response.objects.filter(campaign=campaign).order_by("id").values_list("id", flat=True))
    position = {response_id: index for index, response_id in enumerate(response_ids)}
    option_code = {option.pk: option.code for question in questions for option in question.options.all()}
    analysed = {q.pk: q.kind for q in questions if q.kind != QuestionKind.TEXT}
    n = len(response_ids)
    values: dict[int, list] = {question_id: [None] * n for question_id in analysed}
    if not analysed or not n:
        return response_ids, values
    rows = (
        Answer.objects.filter(response__campaign=campaign, question_id__in=list(analysed))
        .values_list("response_id", "question_id", "option_id", "row_id", "value_number", "rank")
        .order_by()
        .iterator(chunk_size=CHUNK)
    )
    for response_id, question_id, option_id, row_id, number, rank in rows:
        index = position.get(response_id)
        if index is None:
            continue
        kind = analysed[question_id]
        column = values[question_id]
        code = option_code.get(option_id, OTHER) if option_id is not None or kind in CHOICE_KINDS else None
        if kind == QuestionKind.SINGLE_CHOICE:
            # An option and an "other" text together count as the option.
            if code != OTHER or column[index] is None:
                column[index] = code
        elif kind == QuestionKind.MULTIPLE_CHOICE:
            if column[index] is None:
                column[index] = []
            column[index].append(code)
        elif kind in SCALE_KINDS:
            column[index] = number
        elif kind == QuestionKind.RANKING:
            if column[index] is None:
                column[index] = {}
            column[index][code] = rank if rank is not None else number
        elif kind == QuestionKind.MATRIX:
            if column[index] is None:
                column[index] = {}
            column[index][option_code.get(row_id, "")] = code
    return response_ids, values


def weigh(
    questions: list[Question], values: dict[int, list], margins: dict[str, dict[str, float]], n: int
) -> tuple[Weighting, list[float] | None]:
    """Rakes the respondents with a complete profile; the others weigh 0 and are counted as excluded."""
    weighting = Weighting(margins=margins)
    mapping = _profile_margin_questions(questions, margins)
    unknown = [name for name, parts in mapping.items() if not parts]
    if unknown:
        weighting.problems = [
            analysis.RakingProblem(name, None, f"Margin “{name}” matches no profile question of the questionnaire.")
            for name in unknown
        ]
        return weighting, None
    respondents: list[dict[str, str]] = []
    kept: list[int] = []
    for index in range(n):
        profile = {}
        for name, parts in mapping.items():
            codes = [values[q.pk][index] for q in parts]
            if any(code is None or code == OTHER for code in codes):
                break
            profile[name] = analysis.joint_category(*codes)
        else:
            respondents.append(profile)
            kept.append(index)
    weighting.excluded = n - len(kept)
    started = time.perf_counter()
    try:
        raked = analysis.rake(respondents, margins)
    except analysis.RakingError as error:
        weighting.problems = error.problems
        return weighting, None
    weighting.milliseconds = (time.perf_counter() - started) * 1000
    weighting.result = raked
    weights = [0.0] * n
    for index, weight in zip(kept, raked.weights, strict=True):
        weights[index] = weight
    names = list(margins)
    weighting.margin_questions = {name: [q.code for q in mapping[name]] for name in names}
    for respondent, weight in zip(respondents, raked.weights, strict=True):
        weighting.cell_weights[tuple(respondent[name] for name in names)] = weight
    # Keep the per-respondent weights out of the cached object (the page does not need them).
    weighting.result = analysis.RakingResult(
        weights=[],
        iterations=raked.iterations,
        converged=raked.converged,
        max_margin_error=raked.max_margin_error,
        n_eff=raked.n_eff,
        design_effect=raked.design_effect,
        achieved=raked.achieved,
    )
    for name, targets in margins.items():
        total = sum(targets.values())
        counts: dict[str, int] = {}
        for respondent in respondents:
            counts[respondent[name]] = counts.get(respondent[name], 0) + 1
        for category, target in targets.items():
            weighting.checks.append(
                MarginCheck(
                    margin=name,
                    category=category,
                    population=target / total,
                    sample=counts.get(category, 0) / len(respondents),
                    weighted=raked.achieved[name].get(category, 0.0),
                )
            )
    return weighting, weights


def analyse_question(question: Question, column: list, weights: list[float] | None) -> QuestionResult:
    result = QuestionResult(code=question.code, kind=question.kind)
    options = [option.code for option in question.options.all() if not option.is_row]
    if question.kind == QuestionKind.SINGLE_CHOICE:
        result.frequencies = analysis.single_choice_frequencies(column, options, weights)
        result.answered = result.frequencies.n
    elif question.kind == QuestionKind.MULTIPLE_CHOICE:
        result.frequencies = analysis.multiple_choice_frequencies(column, options, weights)
        result.answered = result.frequencies.n
    elif question.kind in SCALE_KINDS:
        summary = analysis.number_summary if question.kind == QuestionKind.NUMBER else analysis.mean_with_ci
        result.mean = summary(column)
        if weights is not None:
            result.weighted_mean = summary(column, weights)
        result.answered = result.mean.n
    elif question.kind == QuestionKind.MATRIX:
        rows = [option.code for option in question.options.all() if option.is_row]
        for row in rows:
            cells = [answer.get(row) if answer else None for answer in column]
            result.matrix[row] = analysis.single_choice_frequencies(cells, options, weights)
        result.answered = sum(1 for answer in column if answer)
    elif question.kind == QuestionKind.RANKING:
        for option in options:
            ranks = [answer.get(option) if answer else None for answer in column]
            result.ranks[option] = analysis.mean_with_ci(ranks, weights)
        result.answered = sum(1 for answer in column if answer)
    return result


def compute_results(campaign: Campaign) -> tuple[CampaignResults, dict[int, float] | None]:
    """Loads, weights (when the campaign has margins) and analyses every question.

    Returns the results and the weight of each response id (None when not weighted).
    """
    started = time.perf_counter()
    questions = campaign_questions(campaign)
    response_ids, values = load_answers(campaign, questions)
    margins = campaign_margins(campaign)
    weighting, weights = (None, None)
    if margins:
        weighting, weights = weigh(questions, values, margins, len(response_ids))
    analysed = {
        question.code: analyse_question(question, values[question.pk], weights)
        for question in questions
        if question.kind != QuestionKind.TEXT
    }
    text_counts = dict(
        Answer.objects.filter(response__campaign=campaign, question__kind=QuestionKind.TEXT)
        .exclude(value_text="")
        .values_list("question__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    for question in questions:
        if question.kind == QuestionKind.TEXT:
            analysed[question.code] = QuestionResult(
                code=question.code, kind=question.kind, answered=text_counts.get(question.code, 0)
            )
    results = CampaignResults(
        campaign_id=campaign.pk,
        responses=len(response_ids),
        questions=analysed,
        weighting=weighting,
        computed_at=time.time(),
        milliseconds=(time.perf_counter() - started) * 1000,
    )
    return results, (dict(zip(response_ids, weights, strict=True)) if weights is not None else None)


def campaign_weights(campaign: Campaign) -> dict[int, float] | None:
    """Response id → weight for the campaign's current margins (cached with its results)."""
    margins = campaign_margins(campaign)
    if not margins:
        return None

    def compute() -> dict[int, float] | None:
        questions = [q for q in campaign_questions(campaign) if q.is_profile]
        response_ids, values = load_answers(campaign, questions)
        _weighting, weights = weigh(questions, values, margins, len(response_ids))
        return None if weights is None else dict(zip(response_ids, weights, strict=True))

    return _cached(WEIGHTS, results_key(campaign), compute)


def crosstab_tables(
    campaign: Campaign, questions: list[Question], profile: Question, *, weighted: bool = True
) -> tuple[dict[int, analysis.CrossTab], bool]:
    """Each question by a profile question, from one read of their answers (two queries however many).

    Column percentages; weighted when `weighted` and margins are set. Returns the tables by
    question id and whether they are weighted.
    """
    response_ids, values = load_answers(campaign, [*questions, profile])
    weights = None
    if weighted:
        by_response = campaign_weights(campaign)
        if by_response is not None:
            weights = [by_response.get(response_id, 0.0) for response_id in response_ids]
    columns = [option.code for option in profile.options.all() if not option.is_row]
    tables = {}
    for question in questions:
        rows = [option.code for option in question.options.all() if not option.is_row]
        if question.allow_other:
            rows.append(OTHER)
        tables[question.pk] = analysis.crosstab(
            values[question.pk],
            values[profile.pk],
            rows,
            columns,
            weights,
            multiple=question.kind == QuestionKind.MULTIPLE_CHOICE,
        )
    return tables, weights is not None


def crosstab_results(
    campaign: Campaign, question: Question, profile: Question, *, weighted: bool = True
) -> analysis.CrossTab:
    """A question by a profile question (column percentages; weighted when margins are set)."""
    key = f"{results_key(campaign)}:{question.pk}:{profile.pk}:{int(weighted)}"
    return _cached(
        "diagnosis-crosstab",
        key,
        lambda: crosstab_tables(campaign, [question], profile, weighted=weighted)[0][question.pk],
    )


# ---------------------------------------------------------------------------------------------
# Waves
# ---------------------------------------------------------------------------------------------


@dataclass
class WaveChange:
    """The change of one figure since the earlier wave (shares as percentage points)."""

    earlier: float
    later: float
    difference: analysis.Difference


def compare_waves(earlier: CampaignResults, later: CampaignResults) -> dict[str, dict[str, WaveChange]]:
    """Per question code: per option code (choice) or "mean" (scale), the change since `earlier`.

    Weighted figures are compared when both waves are weighted, otherwise unweighted ones.
    """
    weighted = bool(earlier.weighting and earlier.weighting.applied and later.weighting and later.weighting.applied)
    changes: dict[str, dict[str, WaveChange]] = {}
    for code, now in later.questions.items():
        before = earlier.questions.get(code)
        if before is None or before.kind != now.kind:
            continue
        if now.frequencies and before.frequencies:
            per_option = {}
            for row in now.frequencies.rows:
                try:
                    old = before.frequencies.row(row.option)
                except StopIteration:
                    continue
                share_now = (row.weighted_percent if weighted else row.percent) / 100
                share_before = (old.weighted_percent if weighted else old.percent) / 100
                n_now = now.frequencies.n_eff if weighted else now.frequencies.n
                n_before = before.frequencies.n_eff if weighted else before.frequencies.n
                difference = analysis.difference_of_proportions(share_before, n_before, share_now, n_now)
                per_option[row.option] = WaveChange(
                    100 * share_before,
                    100 * share_now,
                    analysis.Difference(
                        *(
                            None if v is None else 100 * v
                            for v in (difference.difference, difference.low, difference.high)
                        )
                    ),
                )
            changes[code] = per_option
        elif now.mean and before.mean:
            first = before.weighted_mean if weighted and before.weighted_mean else before.mean
            second = now.weighted_mean if weighted and now.weighted_mean else now.mean
            if first.mean is not None and second.mean is not None:
                changes[code] = {
                    "mean": WaveChange(first.mean, second.mean, analysis.difference_of_means(first, second))
                }
    return changes


# ---------------------------------------------------------------------------------------------
# Free text, exports
# ---------------------------------------------------------------------------------------------


def text_answers(campaign: Campaign, question: Question, *, search: str = "") -> QuerySet[Answer]:
    """The non-empty free-text answers of a question (and "other" texts), newest first, filtered."""
    answers = Answer.objects.filter(response__campaign=campaign, question=question).exclude(value_text="")
    if search:
        answers = answers.filter(value_text__icontains=search)
    return answers.only("id", "value_text", "response_id").order_by("-response_id", "-id")


def response_export_rows(
    campaign: Campaign, questions: list[Question], weighting: Weighting | None = None
) -> Iterator[list]:
    """One row per response (id, submission day, language, weight, one cell per question), streamed.

    Answers are read in response order in chunks, so memory stays flat whatever the number of
    responses; multiple choices and rankings are joined with "; ". The weight comes from the
    campaign's weighting by profile cell (a small table), not from a per-response list.
    """
    codes = [question.code for question in questions]
    applied = weighting is not None and weighting.applied
    option_code = {option.pk: option.code for question in questions for option in question.options.all()}
    column_of = {question.pk: index for index, question in enumerate(questions)}
    # Rows go by the random public id, not by submission: neither the id nor the row order tells
    # who answered when (both queries sort by it, so the answers still stream alongside).
    responses = (
        Response.objects.filter(campaign=campaign)
        .order_by("public_id")
        .values_list("public_id", "submitted_at", "language")
        .iterator(chunk_size=CHUNK)
    )
    answers = (
        Answer.objects.filter(response__campaign=campaign)
        .order_by("response__public_id", "question_id", "id")
        .values_list("response__public_id", "question_id", "option_id", "row_id", "value_number", "value_text", "rank")
        .iterator(chunk_size=CHUNK)
    )
    pending = next(answers, None)
    for response_id, submitted_at, language in responses:
        cells: list[list[str]] = [[] for _ in questions]
        while pending is not None and pending[0] <= response_id:
            _, question_id, option_id, row_id, number, text, rank = pending
            if pending[0] == response_id and question_id in column_of:
                if row_id is not None:
                    value = f"{option_code.get(row_id, '')}={option_code.get(option_id, '')}"
                elif rank is not None:
                    value = f"{option_code.get(option_id, '')}={rank}"
                elif option_id is not None:
                    value = option_code.get(option_id, "")
                elif number is not None:
                    value = number
                else:
                    value = text
                cells[column_of[question_id]].append(value)
            pending = next(answers, None)
        values = [cell[0] if len(cell) == 1 else "; ".join(str(v) for v in cell) for cell in cells]
        weight = weighting.weight_of(dict(zip(codes, values, strict=True))) if applied else None
        yield [
            str(response_id),
            submitted_at.date().isoformat() if submitted_at else "",
            language,
            "" if weight is None else round(weight, 6),
            *values,
        ]


# ---------------------------------------------------------------------------------------------
# Digital maturity
# ---------------------------------------------------------------------------------------------


@dataclass
class MaturityProfile:
    """One radar polygon: a name and a level per dimension (None = not rated)."""

    name: str
    scores: list[float | None]
    assessed_on: object = None
    organization_id: int | None = None


def _latest_by(assessments: list[MaturityAssessment], key) -> list[MaturityAssessment]:
    latest: dict = {}
    for assessment in assessments:  # ordered newest first
        latest.setdefault(key(assessment), assessment)
    return list(latest.values())


def _scores(assessment: MaturityAssessment, dimensions: list[MaturityDimension]) -> list[float | None]:
    levels = {rating.dimension_id: rating.level for rating in assessment.ratings.all()}
    return [levels.get(dimension.pk) for dimension in dimensions]


def _mean_profile(name: str, profiles: list[list[float | None]], dimensions: list) -> list[float | None]:
    means = []
    for index in range(len(dimensions)):
        levels = [scores[index] for scores in profiles if scores[index] is not None]
        means.append(round(sum(levels) / len(levels), 2) if levels else None)
    return means


def _assessments(organization_ids: list[int]) -> list[MaturityAssessment]:
    return list(
        MaturityAssessment.objects.filter(organization_id__in=organization_ids)
        .select_related("department", "organization")
        .prefetch_related(Prefetch("ratings", queryset=MaturityRating.objects.order_by("dimension_id")))
        .order_by("-assessed_on", "-id")
    )


def maturity_dimensions() -> list[MaturityDimension]:
    return list(MaturityDimension.objects.all())


def council_maturity(
    organization: Organization,
) -> tuple[list[MaturityDimension], list[MaturityProfile], MaturityProfile | None]:
    """Dimensions, each department's latest profile and the council's profile (4 queries).

    The council's profile is the mean level per dimension over its departments' latest
    self-assessments; a council without department assessments uses its own latest one.
    """
    dimensions = maturity_dimensions()
    assessments = _assessments([organization.pk])
    departments = _latest_by([a for a in assessments if a.department_id], lambda a: a.department_id)
    profiles = [
        MaturityProfile(str(a.department), _scores(a, dimensions), a.assessed_on, organization.pk)
        for a in sorted(departments, key=lambda a: str(a.department))
    ]
    council = None
    if profiles:
        council = MaturityProfile(str(organization), _mean_profile("", [p.scores for p in profiles], dimensions))
    else:
        own = [a for a in assessments if not a.department_id]
        if own:
            council = MaturityProfile(
                str(organization), _scores(own[0], dimensions), own[0].assessed_on, organization.pk
            )
    return dimensions, profiles, council


def network_maturity(network: Organization) -> tuple[list[MaturityDimension], list[MaturityProfile]]:
    """Every member council's profile (as in `council_maturity`), side by side (5 queries)."""
    dimensions = maturity_dimensions()
    members = list(network_members(network).order_by("name"))
    assessments = _assessments([member.pk for member in members])
    by_council: dict[int, list[MaturityAssessment]] = {}
    for assessment in assessments:
        by_council.setdefault(assessment.organization_id, []).append(assessment)
    profiles = []
    for member in members:
        own = by_council.get(member.pk, [])
        departments = _latest_by([a for a in own if a.department_id], lambda a: a.department_id)
        if departments:
            scores = _mean_profile("", [_scores(a, dimensions) for a in departments], dimensions)
        elif own:
            scores = _scores(own[0], dimensions)
        else:
            continue
        profiles.append(MaturityProfile(str(member), scores, None, member.pk))
    return dimensions, profiles


def profile_questions(campaign: Campaign) -> list[Question]:
    return [q for q in campaign_questions(campaign) if q.is_profile and q.kind == QuestionKind.SINGLE_CHOICE]
