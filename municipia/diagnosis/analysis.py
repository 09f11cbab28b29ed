"""Survey statistics on plain Python data: frequencies, means with confidence intervals, cross-tabs, raking.

Nothing here touches the database: `results.py` loads a campaign's answers and passes them in as
sequences (one item per response) and weights (one float per response). Distributions come from
`scipy.stats`; the tests check the figures against `statsmodels`.

Weighted confidence intervals use Kish's effective sample size, n_eff = (Σw)² / Σw²: the
weighted standard error of a mean is s_w / √n_eff (s_w the weighted standard deviation with the
n_eff / (n_eff − 1) correction) and the t quantile has n_eff − 1 degrees of freedom; with equal
weights this is exactly the usual unweighted interval. It is the standard approximation for
weights that correct a sample's composition (Kish 1965, "Survey Sampling", §11.7); it ignores
the variance the estimated weights themselves add, so intervals are slightly narrow.

Shares get Wilson score intervals on the same effective sample size (a weighted share p̂ is
treated as p̂·n_eff successes out of n_eff), which stay inside 0–100 % and behave for small groups
and extreme shares where the normal (Wald) interval does not.

A weighted cross-table is tested with Rao and Scott's design-based correction of Pearson's χ²
(Rao & Scott 1981, 1984): Pearson's statistic on the weighted table scaled to the n respondents
is divided by the mean generalised design effect δ̄ of the table's interaction contrasts
(first order), and by (1 + a²) with its degrees of freedom divided by the same (second order,
Satterthwaite; a the coefficient of variation of the δ's). The design covariance of the cell
shares is the linearisation (with-replacement) estimate from the weights, the simple-random-
sampling one is multinomial at the same observed shares (as R's `survey::svychisq`), and the
contrasts are the log-linear interaction terms scaled at the shares expected under independence
(never zero, so an empty cell does not break them). With equal weights every δ is n/(n−1).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

CONFIDENCE = 0.95

# ---------------------------------------------------------------------------------------------
# Distributions (scipy.stats)
# ---------------------------------------------------------------------------------------------


def t_quantile(probability: float, df: float) -> float:
    """The `probability` quantile of Student's t with `df` (> 0, not necessarily whole) degrees of freedom."""
    if not 0.0 < probability < 1.0:
        raise ValueError("probability must be between 0 and 1")
    if df <= 0:
        raise ValueError("degrees of freedom must be positive")
    return float(stats.t.ppf(probability, df))


def z_quantile(probability: float) -> float:
    return float(stats.norm.ppf(probability))


def chi_square_p_value(statistic: float, df: float) -> float:
    """P(X ≥ statistic) for a chi-square variable with `df` degrees of freedom."""
    if df <= 0:
        return 1.0
    return float(stats.chi2.sf(statistic, df))


# ---------------------------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------------------------


def effective_sample_size(weights: Sequence[float]) -> float:
    """Kish's effective sample size (Σw)² / Σw²: the size of an unweighted sample as precise."""
    total = math.fsum(weights)
    squares = math.fsum(w * w for w in weights)
    return total * total / squares if squares > 0 else 0.0


def design_effect(weights: Sequence[float]) -> float:
    """Kish's design effect of weighting, n / n_eff (1 for equal weights)."""
    n_eff = effective_sample_size(weights)
    return len(weights) / n_eff if n_eff > 0 else math.nan


def _weights_for(count: int, weights: Sequence[float] | None) -> Sequence[float]:
    if weights is None:
        return [1.0] * count
    if len(weights) != count:
        raise ValueError(f"{len(weights)} weights for {count} answers")
    return weights


# ---------------------------------------------------------------------------------------------
# Choice questions
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrequencyRow:
    """One option of a choice question: respondents who chose it, raw and weighted."""

    option: Hashable
    count: int
    percent: float
    weighted_count: float
    weighted_percent: float


@dataclass(frozen=True)
class FrequencyTable:
    """Frequencies of a choice question among the respondents who answered it.

    For a multiple-choice question percentages are of respondents, so they may add up to more
    than 100. `n` counts respondents who answered, `weighted_n` their weights, `n_eff` Kish's
    effective size of that group (equal to `n` without weights).
    """

    rows: list[FrequencyRow]
    n: int
    weighted_n: float
    n_eff: float
    skipped: int
    multiple: bool = False

    def row(self, option: Hashable) -> FrequencyRow:
        return next(row for row in self.rows if row.option == option)

    def interval(self, row: FrequencyRow, *, weighted: bool = True, confidence: float = CONFIDENCE) -> Interval:
        """The confidence interval (in percent) of a row's share, on the effective sample size."""
        if weighted:
            return proportion_ci(row.weighted_percent / 100.0, self.n_eff, confidence=confidence)
        return proportion_ci(row.percent / 100.0, self.n, confidence=confidence)


@dataclass(frozen=True)
class Interval:
    """A confidence interval in percent; None bounds when there is no answer to base it on."""

    low: float | None
    high: float | None


def proportion_ci(share: float, n_eff: float, *, confidence: float = CONFIDENCE) -> Interval:
    """Wilson score interval (in percent) of a share 0–1 estimated from `n_eff` (effective) answers."""
    if n_eff <= 0:
        return Interval(None, None)
    z = z_quantile(0.5 + confidence / 2.0)
    z2 = z * z
    centre = (share + z2 / (2 * n_eff)) / (1 + z2 / n_eff)
    half = z / (1 + z2 / n_eff) * math.sqrt(share * (1 - share) / n_eff + z2 / (4 * n_eff * n_eff))
    return Interval(100.0 * max(0.0, centre - half), 100.0 * min(1.0, centre + half))


def _frequency_table(
    answered: list[tuple[Iterable[Hashable], float]], options: Sequence[Hashable], skipped: int, multiple: bool
) -> FrequencyTable:
    counts = dict.fromkeys(options, 0)
    weighted = dict.fromkeys(options, 0.0)
    for chosen, weight in answered:
        for option in chosen:
            if option not in counts:
                # An option removed from the questionnaire after answers came in still counts.
                counts[option] = 0
                weighted[option] = 0.0
            counts[option] += 1
            weighted[option] += weight
    n = len(answered)
    used_weights = [weight for _, weight in answered]
    weighted_n = math.fsum(used_weights)
    rows = [
        FrequencyRow(
            option=option,
            count=counts[option],
            percent=100.0 * counts[option] / n if n else 0.0,
            weighted_count=weighted[option],
            weighted_percent=100.0 * weighted[option] / weighted_n if weighted_n else 0.0,
        )
        for option in counts
    ]
    return FrequencyTable(
        rows=rows,
        n=n,
        weighted_n=weighted_n,
        n_eff=effective_sample_size(used_weights) if n else 0.0,
        skipped=skipped,
        multiple=multiple,
    )


def single_choice_frequencies(
    answers: Sequence[Hashable | None], options: Sequence[Hashable], weights: Sequence[float] | None = None
) -> FrequencyTable:
    """Frequencies of a single-choice question; `None` is a respondent who did not answer it."""
    weights = _weights_for(len(answers), weights)
    answered = [((answer,), weight) for answer, weight in zip(answers, weights, strict=True) if answer is not None]
    return _frequency_table(answered, options, len(answers) - len(answered), multiple=False)


def multiple_choice_frequencies(
    answers: Sequence[Iterable[Hashable] | None],
    options: Sequence[Hashable],
    weights: Sequence[float] | None = None,
) -> FrequencyTable:
    """Frequencies of a multiple-choice question as percentages of respondents (not of choices).

    `None` or an empty selection is a respondent who did not answer; an option chosen twice by
    one respondent counts once.
    """
    weights = _weights_for(len(answers), weights)
    answered = [(set(answer), weight) for answer, weight in zip(answers, weights, strict=True) if answer]
    return _frequency_table(answered, options, len(answers) - len(answered), multiple=True)


# ---------------------------------------------------------------------------------------------
# Means
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeanEstimate:
    """A mean with its confidence interval; low/high are None when fewer than two answers."""

    mean: float | None
    low: float | None
    high: float | None
    n: int
    n_eff: float
    std_dev: float | None
    median: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    confidence: float = CONFIDENCE

    @property
    def standard_error(self) -> float | None:
        if self.std_dev is None or self.n_eff <= 0:
            return None
        return self.std_dev / math.sqrt(self.n_eff)


def weighted_median(values: Sequence[float], weights: Sequence[float]) -> float:
    """The value at which half the weight lies below; the midpoint when exactly half lies at or below."""
    pairs = sorted(zip(values, weights, strict=True))
    half = math.fsum(weights) / 2.0
    running = 0.0
    for index, (value, weight) in enumerate(pairs):
        running += weight
        if math.isclose(running, half, rel_tol=1e-12) and index + 1 < len(pairs):
            return (value + pairs[index + 1][0]) / 2.0
        if running > half:
            return value
    return pairs[-1][0]


def mean_with_ci(
    values: Sequence[float | None],
    weights: Sequence[float] | None = None,
    *,
    confidence: float = CONFIDENCE,
    with_median: bool = False,
) -> MeanEstimate:
    """Mean of the answered values with a t-based confidence interval (see the module docstring).

    Unweighted: mean ± t(n−1) · s / √n. Weighted: weighted mean ± t(n_eff−1) · s_w / √n_eff.
    `None` values (no answer) are left out.
    """
    weights = _weights_for(len(values), weights)
    pairs = [(float(value), weight) for value, weight in zip(values, weights, strict=True) if value is not None]
    n = len(pairs)
    if n == 0:
        return MeanEstimate(None, None, None, 0, 0.0, None, confidence=confidence)
    used_weights = [weight for _, weight in pairs]
    total_weight = math.fsum(used_weights)
    mean = math.fsum(value * weight for value, weight in pairs) / total_weight
    n_eff = effective_sample_size(used_weights)
    median = minimum = maximum = None
    if with_median:
        numbers = [value for value, _ in pairs]
        median = weighted_median(numbers, used_weights)
        minimum, maximum = min(numbers), max(numbers)
    if n < 2 or n_eff <= 1.0:
        return MeanEstimate(mean, None, None, n, n_eff, None, median, minimum, maximum, confidence)
    spread = math.fsum(weight * (value - mean) ** 2 for value, weight in pairs) / total_weight
    std_dev = math.sqrt(spread * n_eff / (n_eff - 1.0))
    margin = t_quantile(0.5 + confidence / 2.0, n_eff - 1.0) * std_dev / math.sqrt(n_eff)
    return MeanEstimate(mean, mean - margin, mean + margin, n, n_eff, std_dev, median, minimum, maximum, confidence)


def number_summary(
    values: Sequence[float | None], weights: Sequence[float] | None = None, *, confidence: float = CONFIDENCE
) -> MeanEstimate:
    """A number question: mean with its interval, (weighted) median, minimum and maximum."""
    return mean_with_ci(values, weights, confidence=confidence, with_median=True)


# ---------------------------------------------------------------------------------------------
# Cross-tabulation
# ---------------------------------------------------------------------------------------------


# A breakdown's group with fewer respondents than this is flagged: its percentages move by tens of
# points with one answer (the usual "base below 30: read with caution" of survey reporting).
FEW_RESPONDENTS = 30


@dataclass(frozen=True)
class CrossTab:
    """Answers (rows) by a profile question (columns), with column percentages.

    `counts[r][c]` are respondents, `weighted[r][c]` their weights, `column_percent[r][c]` the
    (weighted, when weights are given) share of column c that gave answer r. The test of
    independence is Pearson's χ² on the counts without weights and the Rao–Scott corrected χ²
    with them (module docstring): `chi_square` is the statistic compared with a χ² of
    `corrected_df` degrees of freedom (`degrees_of_freedom` unless corrected), `pearson` the
    uncorrected statistic, `mean_design_effect` δ̄. The test is None when fewer than 2×2 rows and
    columns are filled, and for multiple-choice questions (a respondent is in several cells).
    """

    row_options: list[Hashable]
    column_options: list[Hashable]
    counts: list[list[int]]
    weighted: list[list[float]]
    column_percent: list[list[float]]
    column_totals: list[int]
    chi_square: float | None
    degrees_of_freedom: int
    p_value: float | None
    # Defaults: results pickled before these fields existed still load.
    corrected_df: float | None = None
    pearson: float | None = None
    mean_design_effect: float | None = None
    design_based: bool = False

    @property
    def few_respondents(self) -> list[bool]:
        """For each column, whether it has fewer respondents than FEW_RESPONDENTS (but some)."""
        return [0 < total < FEW_RESPONDENTS for total in self.column_totals]


def crosstab(
    answers: Sequence[Hashable | Iterable[Hashable] | None],
    profile: Sequence[Hashable | None],
    row_options: Sequence[Hashable],
    column_options: Sequence[Hashable],
    weights: Sequence[float] | None = None,
    *,
    multiple: bool = False,
) -> CrossTab:
    """Cross-tab of a question by a profile question; respondents missing either are left out."""
    design_based = weights is not None
    weights = _weights_for(len(answers), weights)
    row_index = {option: i for i, option in enumerate(row_options)}
    column_index = {option: j for j, option in enumerate(column_options)}
    counts = [[0] * len(column_options) for _ in row_options]
    weighted = [[0.0] * len(column_options) for _ in row_options]
    squared = [[0.0] * len(column_options) for _ in row_options]
    respondents = [0] * len(column_options)
    respondent_weight = [0.0] * len(column_options)
    for answer, group, weight in zip(answers, profile, weights, strict=True):
        if answer is None or group not in column_index:
            continue
        chosen = set(answer) if multiple else {answer}
        chosen = {option for option in chosen if option in row_index}
        if not chosen:
            continue
        j = column_index[group]
        respondents[j] += 1
        respondent_weight[j] += weight
        for option in chosen:
            counts[row_index[option]][j] += 1
            weighted[row_index[option]][j] += weight
            squared[row_index[option]][j] += weight * weight
    column_percent = [
        [
            100.0 * weighted[i][j] / respondent_weight[j] if respondent_weight[j] else 0.0
            for j in range(len(column_options))
        ]
        for i in range(len(row_options))
    ]
    test: IndependenceTest | None = None
    if not multiple:
        test = rao_scott(counts, weighted, squared) if design_based else pearson_test(counts)
    return CrossTab(
        list(row_options),
        list(column_options),
        counts,
        weighted,
        column_percent,
        respondents,
        **_test_fields(test, design_based),
    )


def _test_fields(test: IndependenceTest | None, design_based: bool) -> dict[str, Any]:
    """The CrossTab fields that report its test of independence (empty when there is none)."""
    if test is None:
        return {"chi_square": None, "degrees_of_freedom": 0, "p_value": None, "design_based": False}
    return {
        "chi_square": test.statistic,
        "degrees_of_freedom": test.degrees_of_freedom,
        "p_value": test.p_value,
        "corrected_df": test.corrected_df,
        "pearson": test.pearson,
        "mean_design_effect": test.mean_design_effect,
        "design_based": design_based,
    }


@dataclass(frozen=True)
class IndependenceTest:
    """A χ² test of independence: `statistic` on `corrected_df` degrees of freedom gives `p_value`."""

    statistic: float
    degrees_of_freedom: int
    corrected_df: float
    p_value: float
    pearson: float
    mean_design_effect: float = 1.0
    first_order: float | None = None


def _filled(table: Sequence[Sequence[float]]) -> tuple[list[int], list[int]]:
    rows = [i for i, row in enumerate(table) if any(row)]
    columns = [j for j in range(len(table[0]) if table else 0) if any(table[i][j] for i in rows)]
    return rows, columns


def pearson_test(counts: Sequence[Sequence[float]]) -> IndependenceTest | None:
    """Pearson's test of independence over the non-empty rows and columns (scipy)."""
    rows, columns = _filled(counts)
    if len(rows) < 2 or len(columns) < 2:
        return None
    table = np.array([[counts[i][j] for j in columns] for i in rows], dtype=float)
    result = stats.chi2_contingency(table, correction=False)
    df = int(result.dof)
    return IndependenceTest(float(result.statistic), df, float(df), float(result.pvalue), float(result.statistic))


def rao_scott(
    counts: Sequence[Sequence[int]], weighted: Sequence[Sequence[float]], squared: Sequence[Sequence[float]]
) -> IndependenceTest | None:
    """Rao–Scott corrected χ² of a weighted table from per-cell counts, Σw and Σw² (module docstring).

    Each respondent is in one cell, so the linearisation covariance of the cell shares p̂ needs
    only the cells' sums: V = n/(n−1) · Σ_cells Σw² (e_c − p̂)(e_c − p̂)ᵀ / W².
    """
    rows, columns = _filled(counts)
    if len(rows) < 2 or len(columns) < 2:
        return None
    r, c = len(rows), len(columns)
    n = sum(counts[i][j] for i in rows for j in columns)
    total = np.array([[weighted[i][j] for j in columns] for i in rows], dtype=float)
    w2 = np.array([[squared[i][j] for j in columns] for i in rows], dtype=float).ravel()
    weight = total.sum()
    if n < 2 or weight <= 0:
        return None
    shares = (total / weight).ravel()
    pearson = float(stats.chi2_contingency(total / weight * n, correction=False).statistic)
    # Design covariance of the cell shares (with-replacement linearisation).
    design = np.diag(w2) - np.outer(w2, shares) - np.outer(shares, w2) + w2.sum() * np.outer(shares, shares)
    design *= n / (n - 1) / (weight * weight)
    # Shares expected under independence: the point at which the contrasts are evaluated.
    expected = np.outer(total.sum(axis=1), total.sum(axis=0)).ravel() / (weight * weight)
    simple = (np.diag(shares) - np.outer(shares, shares)) / n
    contrasts = _interaction_contrasts(r, c) / expected[:, None]
    # pinv: with empty cells the multinomial covariance may be singular along a contrast.
    effects = np.linalg.pinv(contrasts.T @ simple @ contrasts) @ (contrasts.T @ design @ contrasts)
    deltas = np.linalg.eigvals(effects).real
    df = (r - 1) * (c - 1)
    mean_delta = float(deltas.mean())
    if not mean_delta > 0:
        return None
    first_order = pearson / mean_delta
    spread = float(((deltas - mean_delta) ** 2).sum() / (df * mean_delta * mean_delta))
    statistic = first_order / (1.0 + spread)
    corrected_df = df / (1.0 + spread)
    return IndependenceTest(
        statistic=statistic,
        degrees_of_freedom=df,
        corrected_df=corrected_df,
        p_value=chi_square_p_value(statistic, corrected_df),
        pearson=pearson,
        mean_design_effect=mean_delta,
        first_order=first_order,
    )


def _interaction_contrasts(r: int, c: int) -> np.ndarray:
    """The r·c × (r−1)(c−1) log-linear interaction columns, made orthogonal to the main effects."""
    row_of = np.repeat(np.arange(r), c)
    column_of = np.tile(np.arange(c), r)
    rows = (row_of[:, None] == np.arange(1, r)[None, :]).astype(float)
    cols = (column_of[:, None] == np.arange(1, c)[None, :]).astype(float)
    main = np.column_stack([np.ones(r * c), rows, cols])
    interaction = np.einsum("ki,kj->kij", rows, cols).reshape(r * c, -1)
    coefficients, *_ = np.linalg.lstsq(main, interaction, rcond=None)
    return interaction - main @ coefficients


# ---------------------------------------------------------------------------------------------
# Comparison between waves
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """Later wave minus earlier wave, with its confidence interval (None when not computable)."""

    difference: float | None
    low: float | None
    high: float | None

    @property
    def significant(self) -> bool:
        return self.low is not None and (self.low > 0 or self.high < 0)


def difference_of_proportions(
    earlier: float, earlier_n_eff: float, later: float, later_n_eff: float, *, confidence: float = CONFIDENCE
) -> Difference:
    """Difference of two independent proportions (shares 0–1) with a normal (Wald) interval.

    Each share's variance is p(1−p)/n_eff, so weighted waves use their effective sizes.
    """
    if earlier_n_eff <= 0 or later_n_eff <= 0:
        return Difference(None, None, None)
    difference = later - earlier
    error = math.sqrt(earlier * (1 - earlier) / earlier_n_eff + later * (1 - later) / later_n_eff)
    margin = z_quantile(0.5 + confidence / 2.0) * error
    return Difference(difference, difference - margin, difference + margin)


def difference_of_means(earlier: MeanEstimate, later: MeanEstimate, *, confidence: float = CONFIDENCE) -> Difference:
    """Difference of two independent means: Welch's interval with Satterthwaite's degrees of freedom."""
    if earlier.mean is None or later.mean is None:
        return Difference(None, None, None)
    difference = later.mean - earlier.mean
    first, second = earlier.standard_error, later.standard_error
    if first is None or second is None:
        return Difference(difference, None, None)
    variance = first * first + second * second
    if variance == 0:
        return Difference(difference, difference, difference)
    df = variance**2 / (first**4 / (earlier.n_eff - 1.0) + second**4 / (later.n_eff - 1.0))
    margin = t_quantile(0.5 + confidence / 2.0, df) * math.sqrt(variance)
    return Difference(difference, difference - margin, difference + margin)


# ---------------------------------------------------------------------------------------------
# Raking
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RakingProblem:
    """Why weighting cannot be done: the margin and category at fault and a sentence saying so."""

    margin: str
    category: Hashable | None
    message: str


class RakingError(ValueError):
    """Raised by `rake` when the margins or the sample make raking impossible; lists every problem."""

    def __init__(self, problems: list[RakingProblem]):
        self.problems = problems
        super().__init__(" ".join(problem.message for problem in problems))


@dataclass(frozen=True)
class RakingResult:
    """Weights (one per respondent, averaging 1), how raking went and what it did to precision.

    `max_margin_error` is the largest gap, in share points (0–1), between a weighted margin and
    its target after the last iteration; `converged` says it is below the tolerance.
    """

    weights: list[float]
    iterations: int
    converged: bool
    max_margin_error: float
    n_eff: float
    design_effect: float
    # Weighted share of each category after raking, per margin (for display next to targets).
    achieved: dict[str, dict[Hashable, float]] = field(default_factory=dict)


def margin_target_problems(margins: Mapping[str, Mapping[Hashable, float]]) -> list[RakingProblem]:
    """What is wrong with the margins themselves, whatever the sample: an empty margin, a target
    that is not a positive finite number, margins whose totals differ (all must describe the same
    population, e.g. shares adding up to 1)."""
    problems: list[RakingProblem] = []
    totals: dict[str, float] = {}
    for name, targets in margins.items():
        if not targets:
            problems.append(RakingProblem(name, None, f"Margin “{name}” has no categories."))
            continue
        for category, target in targets.items():
            if (
                isinstance(target, bool)
                or not isinstance(target, int | float)
                or not math.isfinite(target)
                or target <= 0
            ):
                problems.append(
                    RakingProblem(
                        name,
                        category,
                        f"Margin “{name}”, category “{category}”: the target must be a number greater "
                        f"than zero (it is {target!r}); remove the category or give it a population.",
                    )
                )
        totals[name] = math.fsum(t for t in targets.values() if isinstance(t, int | float) and math.isfinite(t))
    if totals:
        first_name, first_total = next(iter(totals.items()))
        for name, total in totals.items():
            if not math.isclose(total, first_total, rel_tol=1e-6):
                problems.append(
                    RakingProblem(
                        name,
                        None,
                        f"Margin “{name}” adds up to {total:g} but margin “{first_name}” adds up to "
                        f"{first_total:g}: every margin must describe the same population total.",
                    )
                )
    return problems


def margin_problems(
    respondents: Sequence[Mapping[str, Hashable]],
    margins: Mapping[str, Mapping[Hashable, float]],
) -> list[RakingProblem]:
    """Every reason raking to `margins` cannot converge, or an empty list.

    Checked: no margins; the margins' own problems (`margin_target_problems`); a respondent
    with no category or an unknown one for a margin; a category no respondent belongs to (an
    empty cell: no weight can make it reach its target).
    """
    if not margins:
        return [RakingProblem("", None, "There are no population margins to weight to.")]
    if not respondents:
        return [RakingProblem("", None, "There are no respondents to weight.")]
    return margin_target_problems(margins) + _sample_problems(respondents, margins)


def _sample_problems(
    respondents: Sequence[Mapping[str, Hashable]],
    margins: Mapping[str, Mapping[Hashable, float]],
) -> list[RakingProblem]:
    problems: list[RakingProblem] = []
    for name, targets in margins.items():
        seen: set[Hashable] = set()
        unknown: dict[Hashable, int] = {}
        missing = 0
        for respondent in respondents:
            category = respondent.get(name)
            if category is None:
                missing += 1
            elif category in targets:
                seen.add(category)
            else:
                unknown[category] = unknown.get(category, 0) + 1
        if missing:
            problems.append(
                RakingProblem(
                    name,
                    None,
                    f"Margin “{name}”: {missing} respondent(s) have no answer for it and cannot be weighted.",
                )
            )
        for category, count in unknown.items():
            problems.append(
                RakingProblem(
                    name,
                    category,
                    f"Margin “{name}”: {count} respondent(s) are in category “{category}”, which has no "
                    f"population target.",
                )
            )
        for category in targets:
            if category not in seen:
                problems.append(
                    RakingProblem(
                        name,
                        category,
                        f"Margin “{name}”, category “{category}”: no respondent is in it (an empty cell), so "
                        f"no weighting can reach its target; merge it with a neighbouring category.",
                    )
                )
    return problems


def rake(
    respondents: Sequence[Mapping[str, Hashable]],
    margins: Mapping[str, Mapping[Hashable, float]],
    *,
    base_weights: Sequence[float] | None = None,
    tolerance: float = 1e-6,
    max_iterations: int = 100,
) -> RakingResult:
    """Weights that make the sample's margins match the population's (iterative proportional fitting).

    `respondents[i]` maps each margin's name to respondent i's category, e.g.
    `{"age_sex": "30-44|female", "district": "Lozenets"}` (a joint age band × sex margin is one
    margin whose categories are the pairs). `margins[name][category]` is the population (count
    or share) of each category; all margins must add up to the same total. One iteration
    adjusts the weights to each margin in turn; raking stops when every weighted share is within
    `tolerance` of its target share, or after `max_iterations` (then `converged` is False).

    Respondents with the same categories in every margin always receive the same factor, so the
    fitting runs on the (few) cells of the cross-classification and the factors are applied to
    each respondent once at the end: cost O(n + iterations × cells), not O(n × iterations).

    Raises RakingError (a ValueError) naming the margin and category when raking cannot work.
    """
    problems = margin_problems(respondents, margins)
    if problems:
        raise RakingError(problems)
    names = list(margins)
    base = _weights_for(len(respondents), base_weights)
    if any(w <= 0 or not math.isfinite(w) for w in base):
        raise RakingError([RakingProblem("", None, "Base weights must be positive numbers.")])

    cell_of: list[tuple] = []
    cell_totals: dict[tuple, float] = {}
    for respondent, weight in zip(respondents, base, strict=True):
        cell = tuple(respondent[name] for name in names)
        cell_of.append(cell)
        cell_totals[cell] = cell_totals.get(cell, 0.0) + weight
    initial = dict(cell_totals)
    base_total = math.fsum(base)
    # Target totals on the scale of the sample's weights, so raked weights keep their sum.
    shares = {
        name: {c: t / math.fsum(targets.values()) for c, t in targets.items()} for name, targets in margins.items()
    }
    targets = {name: {c: s * base_total for c, s in share.items()} for name, share in shares.items()}
    cells = list(cell_totals)

    def margin_sums(position: int) -> dict[Hashable, float]:
        sums: dict[Hashable, float] = {}
        for cell in cells:
            sums[cell[position]] = sums.get(cell[position], 0.0) + cell_totals[cell]
        return sums

    def max_error() -> float:
        worst = 0.0
        for position, name in enumerate(names):
            sums = margin_sums(position)
            for category, share in shares[name].items():
                worst = max(worst, abs(sums.get(category, 0.0) / base_total - share))
        return worst

    iterations = 0
    error = max_error()
    while error >= tolerance and iterations < max_iterations:
        for position, name in enumerate(names):
            sums = margin_sums(position)
            factors = {category: targets[name][category] / sums[category] for category in sums}
            for cell in cells:
                cell_totals[cell] *= factors[cell[position]]
        iterations += 1
        error = max_error()

    multiplier = {cell: cell_totals[cell] / initial[cell] for cell in cells}
    # Weights averaging 1: the weighted sample keeps its size n.
    scale = len(respondents) / base_total
    weights = [weight * multiplier[cell] * scale for weight, cell in zip(base, cell_of, strict=True)]
    achieved = {
        name: {category: value / base_total for category, value in margin_sums(position).items()}
        for position, name in enumerate(names)
    }
    return RakingResult(
        weights=weights,
        iterations=iterations,
        converged=error < tolerance,
        max_margin_error=error,
        n_eff=effective_sample_size(weights),
        design_effect=design_effect(weights),
        achieved=achieved,
    )


def joint_category(*parts: Hashable) -> str:
    """The category of a joint margin (e.g. age band × sex) from its parts: "30-44|female"."""
    return "|".join(str(part) for part in parts)
