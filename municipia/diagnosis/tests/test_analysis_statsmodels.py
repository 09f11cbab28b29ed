"""Survey figures checked against an independent implementation (statsmodels) on demo-like data.

The sample imitates the demo campaigns: respondents by age band, sex and district, raked to
population margins (so weights vary as in the demo), answering a single-choice question whose
answers depend on the district.
"""

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from municipia.diagnosis import analysis

DISTRICTS = ["centre", "north", "south"]
ANSWERS = ["daily", "weekly", "never"]


@pytest.fixture(scope="module")
def sample():
    rng = np.random.default_rng(2026)
    n = 400
    age = rng.choice(["18-34", "35-64", "65+"], size=n, p=[0.45, 0.40, 0.15])
    sex = rng.choice(["f", "m"], size=n, p=[0.42, 0.58])
    district = rng.choice(DISTRICTS, size=n, p=[0.5, 0.3, 0.2])
    respondents = [
        {"age_sex": analysis.joint_category(a, s), "district": d} for a, s, d in zip(age, sex, district, strict=True)
    ]
    margins = {
        "age_sex": {
            "18-34|f": 14,
            "18-34|m": 13,
            "35-64|f": 21,
            "35-64|m": 20,
            "65+|f": 18,
            "65+|m": 14,
        },
        "district": {"centre": 30, "north": 40, "south": 30},
    }
    weights = np.array(analysis.rake(respondents, margins, tolerance=1e-10).weights)
    chance = {"centre": [0.5, 0.3, 0.2], "north": [0.35, 0.35, 0.3], "south": [0.25, 0.35, 0.4]}
    answers = np.array([rng.choice(ANSWERS, p=chance[d]) for d in district])
    scores = np.array([rng.integers(1, 6) + (d == "centre") for d in district], dtype=float)
    return {"weights": weights, "district": district, "answers": answers, "scores": scores}


def test_weighted_mean_interval_matches_statsmodels(sample):
    weights, scores = sample["weights"], sample["scores"]
    estimate = analysis.mean_with_ci(list(scores), list(weights))
    # DescrStatsW treats weights as frequencies: scaled to add up to n_eff they give Kish's interval.
    scaled = weights * estimate.n_eff / weights.sum()
    low, high = DescrStatsW(scores, weights=scaled, ddof=1).tconfint_mean(alpha=0.05)
    assert estimate.n_eff < len(scores)  # the weights do cost precision
    assert (estimate.low, estimate.high) == pytest.approx((low, high), rel=1e-10)


def test_weighted_share_interval_is_wilson_on_the_effective_sample_size(sample):
    weights, answers = sample["weights"], sample["answers"]
    table = analysis.single_choice_frequencies(list(answers), ANSWERS, list(weights))
    for row in table.rows:
        interval = table.interval(row)
        share = row.weighted_percent / 100
        low, high = proportion_confint(share * table.n_eff, table.n_eff, alpha=0.05, method="wilson")
        assert (interval.low, interval.high) == pytest.approx((100 * low, 100 * high), rel=1e-10)
        assert interval.low < row.weighted_percent < interval.high


def test_unweighted_share_interval_matches_statsmodels_wilson():
    table = analysis.single_choice_frequencies(["yes"] * 2 + ["no"] * 8 + [None], ["yes", "no"])
    interval = table.interval(table.row("yes"))
    low, high = proportion_confint(2, 10, alpha=0.05, method="wilson")
    assert (interval.low, interval.high) == pytest.approx((100 * low, 100 * high))
    assert analysis.proportion_ci(0.5, 0).low is None


def _design_covariance(weights, columns):
    """Covariance of weighted means from statsmodels WLS with HC1 (sandwich) errors, pair by pair."""

    def variance(values):
        return sm.WLS(values, np.ones(len(values)), weights=weights).fit(cov_type="HC1").bse[0] ** 2

    size = len(columns)
    covariance = np.empty((size, size))
    for a in range(size):
        for b in range(size):
            covariance[a, b] = (variance(columns[a] + columns[b]) - variance(columns[a]) - variance(columns[b])) / 2
    return covariance


def test_rao_scott_test_matches_an_independent_computation(sample):
    weights, answers, district = sample["weights"], sample["answers"], sample["district"]
    table = analysis.crosstab(list(answers), list(district), ANSWERS, DISTRICTS, list(weights))
    n, total = len(answers), weights.sum()
    cells = np.array([[weights[(answers == a) & (district == d)].sum() for d in DISTRICTS] for a in ANSWERS])
    # Pearson's statistic on the weighted table scaled to n.
    pearson = Table(cells / total * n).test_nominal_association()
    assert table.pearson == pytest.approx(pearson.statistic, rel=1e-9)
    # Generalised design effects: design covariance of the contrasts (statsmodels sandwich) over
    # their multinomial covariance at the observed shares.
    shares = (cells / total).ravel()
    expected = np.outer(cells.sum(axis=1), cells.sum(axis=0)).ravel() / total**2
    r, c = cells.shape
    contrasts = []
    for i in range(1, r):
        for j in range(1, c):
            # Interaction contrast of cells (0,0), (0,j), (i,0), (i,j) on the log scale.
            vector = np.zeros((r, c))
            vector[0, 0], vector[0, j], vector[i, 0], vector[i, j] = 1, -1, -1, 1
            contrasts.append(vector.ravel() / expected)
    contrasts = np.array(contrasts).T
    cell_of = np.array([ANSWERS.index(a) * c + DISTRICTS.index(d) for a, d in zip(answers, district, strict=True)])
    per_respondent = [contrasts[cell_of, k] for k in range(contrasts.shape[1])]
    design = _design_covariance(weights, per_respondent)
    simple = contrasts.T @ ((np.diag(shares) - np.outer(shares, shares)) / n) @ contrasts
    deltas = np.linalg.eigvals(np.linalg.solve(simple, design)).real
    assert table.mean_design_effect == pytest.approx(deltas.mean(), rel=1e-8)
    df = (r - 1) * (c - 1)
    a_squared = ((deltas - deltas.mean()) ** 2).sum() / (df * deltas.mean() ** 2)
    statistic = pearson.statistic / deltas.mean() / (1 + a_squared)
    assert table.design_based
    assert table.chi_square == pytest.approx(statistic, rel=1e-8)
    assert table.corrected_df == pytest.approx(df / (1 + a_squared), rel=1e-8)
    assert table.p_value == pytest.approx(stats.chi2.sf(statistic, df / (1 + a_squared)), rel=1e-8)
    # The weights cost precision: the corrected test is less sure than Pearson's on the weighted table.
    assert table.p_value > pearson.pvalue


def test_rao_scott_with_equal_weights_is_pearson_scaled_by_n_over_n_minus_one(sample):
    answers, district = list(sample["answers"]), list(sample["district"])
    plain = analysis.crosstab(answers, district, ANSWERS, DISTRICTS)
    equal = analysis.crosstab(answers, district, ANSWERS, DISTRICTS, [2.5] * len(answers))
    n = len(answers)
    counts = np.array(plain.counts)
    assert plain.chi_square == pytest.approx(Table(counts).test_nominal_association().statistic)
    assert not plain.design_based
    assert equal.mean_design_effect == pytest.approx(n / (n - 1))
    assert equal.chi_square == pytest.approx(plain.chi_square * (n - 1) / n)


def test_rao_scott_survives_an_empty_cell():
    answers = ["yes"] * 5 + ["no"] * 5 + ["yes"] * 6
    groups = ["a"] * 5 + ["b"] * 5 + ["c"] * 6
    table = analysis.crosstab(answers, groups, ["yes", "no"], ["a", "b", "c"], [1.0, 2.0] * 8)
    assert table.p_value is not None and 0 <= table.p_value <= 1
    assert table.p_value < 0.05


def test_breakdown_columns_with_few_respondents_are_flagged():
    answers = ["yes"] * 40 + ["no"] * 2
    groups = ["big"] * 40 + ["small"] * 2
    table = analysis.crosstab(answers, groups, ["yes", "no"], ["big", "small", "empty"])
    assert table.column_totals == [40, 2, 0]
    assert table.few_respondents == [False, True, False]
