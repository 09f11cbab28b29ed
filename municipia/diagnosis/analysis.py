"""Survey statistics on plain Python data: frequencies, means with confidence intervals, cross-tabs, raking.

Nothing here touches the database: `results.py` loads a campaign's answers and passes them in as
sequences (one item per response) and weights (one float per response). No NumPy/SciPy is
available, so the t and chi-square distributions are computed from the regularised incomplete
beta and gamma functions (continued fractions, checked in the tests against published tables).

Weighted confidence intervals use Kish's effective sample size, n_eff = (Σw)² / Σw²: the
weighted standard error of a mean is s_w / √n_eff (s_w the weighted standard deviation with the
n_eff / (n_eff − 1) correction) and the t quantile has n_eff − 1 degrees of freedom; with equal
weights this is exactly the usual unweighted interval. It is the standard approximation for
weights that correct a sample's composition (Kish 1965, "Survey Sampling", §11.7); it ignores
the variance the estimated weights themselves add, so intervals are slightly narrow.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import NormalDist

CONFIDENCE = 0.95

# ---------------------------------------------------------------------------------------------
# Special functions and distributions
# ---------------------------------------------------------------------------------------------

_EPSILON = 1e-15
_TINY = 1e-300


def _continued_fraction_beta(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz evaluation)."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, 500):
        m2 = 2 * m
        # Even step of the fraction.
        numerator = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2))
        d = 1.0 + numerator * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + numerator / c
        c = c if abs(c) > _TINY else _TINY
        result *= d * c
        # Odd step.
        numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0))
        d = 1.0 + numerator * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + numerator / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        result *= delta
        if abs(delta - 1.0) < _EPSILON:
            break
    return result


def regularized_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularised incomplete beta function, for a, b > 0 and 0 ≤ x ≤ 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    # The fraction converges fast only below the mean; use the symmetry I_x(a,b) = 1 − I_1−x(b,a).
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _continued_fraction_beta(a, b, x) / a
    return 1.0 - front * _continued_fraction_beta(b, a, 1.0 - x) / b


def regularized_gamma_upper(a: float, x: float) -> float:
    """Q(a, x) = Γ(a, x) / Γ(a), the upper regularised incomplete gamma function."""
    if x <= 0.0:
        return 1.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1.0:
        # Series for the lower function P(a, x), then Q = 1 − P.
        term = total = 1.0 / a
        denominator = a
        for _ in range(1000):
            denominator += 1.0
            term *= x / denominator
            total += term
            if abs(term) < abs(total) * _EPSILON:
                break
        return max(0.0, 1.0 - total * math.exp(log_front))
    # Continued fraction for Q (Lentz).
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    result = d
    for i in range(1, 1000):
        numerator = -i * (i - a)
        b += 2.0
        d = numerator * d + b
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = b + numerator / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        result *= delta
        if abs(delta - 1.0) < _EPSILON:
            break
    return math.exp(log_front) * result


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t with `df` (> 0, not necessarily whole) degrees of freedom."""
    tail = 0.5 * regularized_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


# A pure function of two numbers, no database data: an in-process lru_cache is the right tool
# here (core.cache.cached_value is for values computed from data, which change with it).
@lru_cache(maxsize=4096)
def t_quantile(probability: float, df: float) -> float:
    """The `probability` quantile of Student's t with `df` degrees of freedom (bisection on t_cdf).

    Bisection on the exact CDF is slow only in comparison with a table look-up (about 100 CDF
    evaluations) and is cached per (probability, df); it is exact to ~1e-12 for any df > 0,
    which closed-form approximations such as Cornish–Fisher are not for df < 5.
    """
    if not 0.0 < probability < 1.0:
        raise ValueError("probability must be between 0 and 1")
    if df <= 0:
        raise ValueError("degrees of freedom must be positive")
    if probability == 0.5:
        return 0.0
    if probability < 0.5:
        return -t_quantile(1.0 - probability, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < probability:
        low, high = high, high * 2.0
        if high > 1e12:
            return math.inf
    for _ in range(200):
        middle = (low + high) / 2.0
        if t_cdf(middle, df) < probability:
            low = middle
        else:
            high = middle
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2.0


def z_quantile(probability: float) -> float:
    return NormalDist().inv_cdf(probability)


def chi_square_p_value(statistic: float, df: int) -> float:
    """P(X ≥ statistic) for a chi-square variable with `df` degrees of freedom."""
    if df <= 0:
        return 1.0
    return regularized_gamma_upper(df / 2.0, statistic / 2.0)


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


@dataclass(frozen=True)
class CrossTab:
    """Answers (rows) by a profile question (columns), with column percentages.

    `counts[r][c]` are respondents, `weighted[r][c]` their weights, `column_percent[r][c]` the
    (weighted, when weights are given) share of column c that gave answer r. The chi-square
    test of independence uses the unweighted counts (a weighted test would need the Rao–Scott
    correction); it is None when a row or column is empty or fewer than 2×2 cells are filled.
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
    weights = _weights_for(len(answers), weights)
    row_index = {option: i for i, option in enumerate(row_options)}
    column_index = {option: j for j, option in enumerate(column_options)}
    counts = [[0] * len(column_options) for _ in row_options]
    weighted = [[0.0] * len(column_options) for _ in row_options]
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
    column_percent = [
        [
            100.0 * weighted[i][j] / respondent_weight[j] if respondent_weight[j] else 0.0
            for j in range(len(column_options))
        ]
        for i in range(len(row_options))
    ]
    statistic, df, p_value = None, 0, None
    if not multiple:
        statistic, df, p_value = _chi_square(counts)
    return CrossTab(
        list(row_options), list(column_options), counts, weighted, column_percent, respondents, statistic, df, p_value
    )


def _chi_square(counts: list[list[int]]) -> tuple[float | None, int, float | None]:
    """Pearson's test of independence over the non-empty rows and columns."""
    rows = [row for row in counts if sum(row)]
    if not rows:
        return None, 0, None
    keep = [j for j in range(len(rows[0])) if sum(row[j] for row in rows)]
    table = [[row[j] for j in keep] for row in rows]
    if len(table) < 2 or len(keep) < 2:
        return None, 0, None
    total = sum(map(sum, table))
    row_sums = [sum(row) for row in table]
    column_sums = [sum(row[j] for row in table) for j in range(len(keep))]
    statistic = 0.0
    for i, row in enumerate(table):
        for j, observed in enumerate(row):
            expected = row_sums[i] * column_sums[j] / total
            statistic += (observed - expected) ** 2 / expected
    df = (len(table) - 1) * (len(keep) - 1)
    return statistic, df, chi_square_p_value(statistic, df)


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
