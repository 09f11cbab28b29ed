"""Survey statistics against hand-computed cases and published distribution tables."""

import math

import pytest

from municipia.diagnosis import analysis

# A sample of 10 respondents by sex (M/F) and age (Y = young, O = old):
#   M-Y 4, M-O 2, F-Y 3, F-O 1.
# Population margins (on the sample's scale of 10): sex M 5, F 5; age Y 4, O 6.
SAMPLE = (
    [{"sex": "M", "age": "Y"}] * 4
    + [{"sex": "M", "age": "O"}] * 2
    + [{"sex": "F", "age": "Y"}] * 3
    + [{"sex": "F", "age": "O"}] * 1
)
MARGINS = {"sex": {"M": 5, "F": 5}, "age": {"Y": 4, "O": 6}}


def cell_weight(result, index):
    return result.weights[index]


def test_raking_first_iteration_matches_the_hand_computation():
    # Iteration 1, margin "sex": M has 6 → factor 5/6; F has 4 → factor 5/4.
    #   cells: M-Y 4·5/6 = 3.3333, M-O 2·5/6 = 1.6667, F-Y 3·5/4 = 3.75, F-O 1·5/4 = 1.25
    # then margin "age": Y has 3.3333 + 3.75 = 7.0833 → factor 4/7.0833 = 0.564706;
    #                    O has 1.6667 + 1.25 = 2.9167 → factor 6/2.9167 = 2.057143.
    #   cells: M-Y 1.882353, M-O 3.428571, F-Y 2.117647, F-O 2.571429
    # Per respondent: M-Y 1.882353/4 = 0.470588, M-O 3.428571/2 = 1.714286,
    #                 F-Y 2.117647/3 = 0.705882, F-O 2.571429/1 = 2.571429.
    # Sex is now M 1.882353 + 3.428571 = 5.310924 (share 0.531092), so the largest error is
    # 0.531092 − 0.5 = 0.031092.
    result = analysis.rake(SAMPLE, MARGINS, max_iterations=1)
    assert result.iterations == 1
    assert not result.converged
    assert cell_weight(result, 0) == pytest.approx(8 / 17)  # 0.470588
    assert cell_weight(result, 4) == pytest.approx(12 / 7)  # 1.714286
    assert cell_weight(result, 6) == pytest.approx(12 / 17)  # 0.705882
    assert cell_weight(result, 9) == pytest.approx(18 / 7)  # 2.571429
    assert result.max_margin_error == pytest.approx(0.031092, abs=1e-6)


def test_raking_converges_to_the_closed_form_solution():
    # Raking keeps the sample's odds ratio (4·1)/(2·3) = 2/3 while meeting both margins. With
    # a = M-Y: M-O = 5 − a, F-Y = 4 − a, F-O = 1 + a and a(1 + a) / ((5 − a)(4 − a)) = 2/3,
    # i.e. a² + 21a − 40 = 0, a = (−21 + √601) / 2 = 1.757651.
    result = analysis.rake(SAMPLE, MARGINS, tolerance=1e-12, max_iterations=200)
    a = (-21 + math.sqrt(601)) / 2
    assert result.converged
    assert result.max_margin_error < 1e-12
    assert 1 < result.iterations < 200
    assert cell_weight(result, 0) == pytest.approx(a / 4, rel=1e-9)
    assert cell_weight(result, 4) == pytest.approx((5 - a) / 2, rel=1e-9)
    assert cell_weight(result, 6) == pytest.approx((4 - a) / 3, rel=1e-9)
    assert cell_weight(result, 9) == pytest.approx(1 + a, rel=1e-9)
    assert sum(result.weights) == pytest.approx(10)
    assert result.achieved["age"]["Y"] == pytest.approx(0.4)


def test_raking_accepts_shares_and_counts_alike():
    shares = {"sex": {"M": 0.5, "F": 0.5}, "age": {"Y": 0.4, "O": 0.6}}
    population = {"sex": {"M": 500_000, "F": 500_000}, "age": {"Y": 400_000, "O": 600_000}}
    first = analysis.rake(SAMPLE, shares, tolerance=1e-10)
    second = analysis.rake(SAMPLE, population, tolerance=1e-10)
    assert first.weights == pytest.approx(second.weights)


def test_a_sample_already_matching_the_margins_keeps_equal_weights():
    result = analysis.rake(SAMPLE, {"sex": {"M": 6, "F": 4}})
    assert result.iterations == 0
    assert result.converged
    assert result.weights == pytest.approx([1.0] * 10)
    assert result.design_effect == pytest.approx(1.0)


def test_raking_with_an_empty_cell_says_which_category_is_empty():
    margins = {"sex": {"M": 5, "F": 5}, "age": {"Y": 3, "O": 5, "85+": 2}}
    with pytest.raises(analysis.RakingError) as caught:
        analysis.rake(SAMPLE, margins)
    problem = caught.value.problems[0]
    assert (problem.margin, problem.category) == ("age", "85+")
    assert "no respondent" in str(caught.value)
    assert "“age”" in str(caught.value) and "“85+”" in str(caught.value)


def test_raking_with_margins_that_do_not_sum_to_the_same_total_names_the_margin():
    margins = {"sex": {"M": 0.5, "F": 0.5}, "age": {"Y": 0.4, "O": 0.5}}
    with pytest.raises(analysis.RakingError) as caught:
        analysis.rake(SAMPLE, margins)
    assert [p.margin for p in caught.value.problems] == ["age"]
    assert "adds up to 0.9" in str(caught.value)


@pytest.mark.parametrize("target", [0, -3, float("nan"), "many"])
def test_raking_refuses_targets_that_are_not_positive_numbers(target):
    margins = {"sex": {"M": 5, "F": target}}
    with pytest.raises(analysis.RakingError) as caught:
        analysis.rake(SAMPLE, margins)
    assert any(p.margin == "sex" and p.category == "F" for p in caught.value.problems)


def test_raking_names_respondents_outside_the_margins():
    respondents = [*SAMPLE, {"sex": "X", "age": "Y"}, {"age": "O"}]
    with pytest.raises(analysis.RakingError) as caught:
        analysis.rake(respondents, MARGINS)
    messages = str(caught.value)
    assert "category “X”, which has no population target" in messages
    assert "1 respondent(s) have no answer" in messages


def test_raking_without_margins_or_respondents_is_an_error_not_a_crash():
    with pytest.raises(analysis.RakingError):
        analysis.rake(SAMPLE, {})
    with pytest.raises(analysis.RakingError):
        analysis.rake([], MARGINS)


def test_raking_to_a_joint_age_by_sex_margin_and_a_district_margin():
    respondents = []
    for age in ("18-34", "35+"):
        for sex in ("f", "m"):
            for district in ("north", "south"):
                count = 1 + (age == "18-34") * 3 + (sex == "m") * 2 + (district == "north")
                respondents += [{"age_sex": analysis.joint_category(age, sex), "district": district}] * count
    margins = {
        "age_sex": {"18-34|f": 20, "18-34|m": 20, "35+|f": 32, "35+|m": 28},
        "district": {"north": 40, "south": 60},
    }
    result = analysis.rake(respondents, margins, tolerance=1e-9)
    assert result.converged
    total = sum(result.weights)
    north = sum(w for w, r in zip(result.weights, respondents, strict=True) if r["district"] == "north")
    assert north / total == pytest.approx(0.4, abs=1e-8)
    assert result.design_effect > 1


def test_non_convergence_is_reported_not_raised():
    # Two margins that cannot both hold: every respondent of district "a" is female, yet the
    # targets ask for district "a" to be 80 % of the population and women 20 %.
    respondents = [{"sex": "f", "district": "a"}] * 5 + [{"sex": "m", "district": "b"}] * 5
    result = analysis.rake(respondents, {"sex": {"f": 20, "m": 80}, "district": {"a": 80, "b": 20}}, max_iterations=25)
    assert not result.converged
    assert result.iterations == 25
    assert result.max_margin_error > 0.1


def test_effective_sample_size_and_design_effect_by_hand():
    # Weights 1, 1, 2, 4: (Σw)² / Σw² = 64 / 22 = 2.909; deff = 4 / 2.909 = 1.375.
    weights = [1, 1, 2, 4]
    assert analysis.effective_sample_size(weights) == pytest.approx(64 / 22)
    assert analysis.design_effect(weights) == pytest.approx(1.375)


@pytest.mark.parametrize(
    ("df", "expected"),
    # Two-sided 95 % critical values of Student's t (any statistics textbook table).
    [(1, 12.706), (2, 4.303), (4, 2.776), (5, 2.571), (10, 2.228), (30, 2.042), (100, 1.984), (1e6, 1.960)],
)
def test_t_quantiles_match_the_published_table(df, expected):
    assert analysis.t_quantile(0.975, df) == pytest.approx(expected, abs=5e-4)


def test_t_quantiles_for_other_levels_and_fractional_degrees_of_freedom():
    assert analysis.t_quantile(0.995, 3) == pytest.approx(5.841, abs=5e-4)
    assert analysis.t_quantile(0.95, 20) == pytest.approx(1.725, abs=5e-4)
    assert analysis.t_quantile(0.025, 10) == pytest.approx(-2.228, abs=5e-4)
    between = analysis.t_quantile(0.975, 7.5)
    assert analysis.t_quantile(0.975, 8) < between < analysis.t_quantile(0.975, 7)


@pytest.mark.parametrize(
    ("statistic", "df", "expected"),
    # Upper-tail probabilities of the chi-square distribution (published critical values).
    [(3.841, 1, 0.05), (5.991, 2, 0.05), (11.345, 3, 0.01), (18.307, 10, 0.05), (0.584, 3, 0.90)],
)
def test_chi_square_p_values_match_the_published_table(statistic, df, expected):
    assert analysis.chi_square_p_value(statistic, df) == pytest.approx(expected, abs=5e-4)


def test_mean_with_confidence_interval_by_hand():
    # 1..5: mean 3, s = √2.5 = 1.5811, se = 0.7071, t(4) = 2.7764 → 3 ± 1.9632.
    estimate = analysis.mean_with_ci([1, 2, 3, None, 4, 5])
    assert estimate.mean == 3
    assert estimate.n == 5
    assert estimate.low == pytest.approx(3 - 1.9632, abs=1e-4)
    assert estimate.high == pytest.approx(3 + 1.9632, abs=1e-4)


def test_equal_weights_give_the_unweighted_interval():
    plain = analysis.mean_with_ci([2, 4, 4, 5])
    weighted = analysis.mean_with_ci([2, 4, 4, 5], [3.0] * 4)
    assert (weighted.mean, weighted.low, weighted.high) == pytest.approx((plain.mean, plain.low, plain.high))


def test_weighted_mean_uses_the_effective_sample_size():
    # Values 1, 5 with weights 1, 3: mean (1 + 15)/4 = 4; n_eff = 16/10 = 1.6;
    # variance Σw(x−m)²/Σw = (9 + 3)/4 = 3, corrected ×1.6/0.6 = 8, s = 2.8284;
    # se = 2.8284/√1.6 = 2.2361; df = 0.6.
    estimate = analysis.mean_with_ci([1, 5], [1, 3])
    assert estimate.mean == pytest.approx(4)
    assert estimate.n_eff == pytest.approx(1.6)
    assert estimate.std_dev == pytest.approx(math.sqrt(8))
    margin = analysis.t_quantile(0.975, 0.6) * math.sqrt(8) / math.sqrt(1.6)
    assert estimate.high - estimate.mean == pytest.approx(margin)


def test_a_single_answer_has_a_mean_but_no_interval():
    estimate = analysis.mean_with_ci([4, None])
    assert estimate.mean == 4
    assert estimate.low is None and estimate.high is None
    assert analysis.mean_with_ci([None]).mean is None


def test_number_summary_has_median_minimum_and_maximum():
    summary = analysis.number_summary([3, 1, 10, 2])
    assert summary.median == 2.5
    assert (summary.minimum, summary.maximum) == (1, 10)
    weighted = analysis.number_summary([1, 2, 10], [1, 1, 5])
    assert weighted.median == 10


def test_single_choice_frequencies_weighted_and_unweighted():
    answers = ["yes", "no", "yes", None, "yes"]
    weights = [1.0, 3.0, 1.0, 9.0, 1.0]
    table = analysis.single_choice_frequencies(answers, ["yes", "no", "maybe"], weights)
    assert table.n == 4 and table.skipped == 1
    assert table.row("yes").count == 3
    assert table.row("yes").percent == 75.0
    assert table.row("yes").weighted_percent == 50.0
    assert table.row("no").weighted_percent == 50.0
    assert table.row("maybe").count == 0


def test_multiple_choice_percentages_are_of_respondents():
    answers = [["a", "b"], ["a"], [], ["b", "c", "c"]]
    table = analysis.multiple_choice_frequencies(answers, ["a", "b", "c"])
    assert table.n == 3 and table.skipped == 1
    assert [row.percent for row in table.rows] == pytest.approx([200 / 3, 200 / 3, 100 / 3])
    assert sum(row.percent for row in table.rows) > 100


def test_crosstab_column_percentages_and_chi_square_by_hand():
    # 2×2 table: men yes 30 / no 10, women yes 20 / no 40.
    # Expected: yes 50·40/100 = 20, 50·60/100 = 30; no 20, 30.
    # χ² = 10²/20 + 10²/30 + 10²/20 + 10²/30 = 16.667, df 1, p = 4.46e-5.
    answers = ["yes"] * 30 + ["no"] * 10 + ["yes"] * 20 + ["no"] * 40
    sex = ["m"] * 40 + ["f"] * 60
    table = analysis.crosstab(answers, sex, ["yes", "no"], ["m", "f"])
    assert table.counts == [[30, 20], [10, 40]]
    assert table.column_percent[0] == pytest.approx([75.0, 100 * 20 / 60])
    assert table.column_totals == [40, 60]
    assert table.chi_square == pytest.approx(50 / 3)
    assert table.degrees_of_freedom == 1
    assert table.p_value == pytest.approx(4.46e-5, rel=1e-2)


def test_crosstab_with_a_single_filled_column_has_no_test():
    table = analysis.crosstab(["yes", "no"], ["m", "m"], ["yes", "no"], ["m", "f"])
    assert table.p_value is None


def test_difference_of_proportions_between_waves():
    # 0.40 of 400 then 0.50 of 400: se = √(0.24/400 + 0.25/400) = 0.035; ±1.96·0.035 = ±0.0686.
    difference = analysis.difference_of_proportions(0.40, 400, 0.50, 400)
    assert difference.difference == pytest.approx(0.10)
    assert difference.low == pytest.approx(0.10 - 0.0686, abs=1e-4)
    assert difference.significant


def test_difference_of_means_between_waves_uses_welch():
    earlier = analysis.mean_with_ci([1, 2, 3, 4, 5])
    later = analysis.mean_with_ci([2, 3, 4, 5, 6])
    difference = analysis.difference_of_means(earlier, later)
    # Equal variances and sizes: se = √(2·2.5/5) = 1, Welch df = 8, t(8) = 2.306.
    assert difference.difference == pytest.approx(1.0)
    assert difference.high == pytest.approx(1 + 2.306, abs=1e-3)
    assert not difference.significant
