"""AHP weights and consistency against a published example, and the service that stores them."""

import pytest
from django.core.exceptions import ValidationError

from municipia.portfolio.ahp import ahp, matrix_from_comparisons
from municipia.portfolio.services import criteria_set_compare
from municipia.portfolio.tests.factories import CriteriaSetFactory, CriterionFactory


def test_saaty_three_criteria_example():
    """The 3×3 matrix [[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]] is Saaty's textbook example (T. L. Saaty,
    *The Analytic Hierarchy Process*, 1980, and reproduced in e.g. H. A. Taha, *Operations Research:
    An Introduction*, ch. "Decision analysis"): weights 0.637, 0.258, 0.105, λmax ≈ 3.039,
    CI ≈ 0.019 and CR ≈ 0.033 with the random index 0.58."""
    result = ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    assert [round(w, 3) for w in result.weights] == [0.637, 0.258, 0.105]
    assert round(result.lambda_max, 3) == 3.039
    assert round(result.consistency_index, 3) == 0.019
    assert round(result.consistency_ratio, 3) == 0.033
    assert result.is_consistent


def test_a_consistent_matrix_has_ratio_zero_and_exact_weights():
    # w = (4, 2, 1)/7: every a_ij = w_i / w_j.
    result = ahp([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    assert [round(w, 6) for w in result.weights] == [round(4 / 7, 6), round(2 / 7, 6), round(1 / 7, 6)]
    assert result.consistency_ratio < 1e-9


def test_an_intransitive_matrix_is_flagged_above_one_tenth():
    # a > b, b > c, c > a: as inconsistent as judgements get.
    result = ahp([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    assert result.consistency_ratio > 0.1
    assert not result.is_consistent


def test_comparisons_outside_the_scale_are_refused():
    with pytest.raises(ValueError):
        matrix_from_comparisons(["a", "b"], {"a|b": 12})
    with pytest.raises(ValueError):
        matrix_from_comparisons(["a", "b"], {"a|z": 3})


@pytest.mark.django_db
def test_the_service_stores_weights_and_the_consistency_ratio():
    criteria_set = CriteriaSetFactory()
    for code in ("impact", "feasibility", "cost"):
        CriterionFactory(
            criteria_set=criteria_set, code=code, position={"impact": 1, "feasibility": 2, "cost": 3}[code]
        )
    criteria_set_compare(
        acting_user=None,
        criteria_set=criteria_set,
        comparisons={"impact|feasibility": 3, "impact|cost": 5, "feasibility|cost": 3},
    )
    weights = dict(criteria_set.criteria.values_list("code", "weight"))
    assert [float(weights[c]) for c in ("impact", "feasibility", "cost")] == [0.637, 0.2583, 0.1047]
    criteria_set.refresh_from_db()
    assert float(criteria_set.consistency_ratio) == pytest.approx(0.0332, abs=1e-4)
    assert criteria_set.weighting == "ahp"


@pytest.mark.django_db
def test_a_comparison_naming_an_unknown_criterion_names_the_field():
    criteria_set = CriteriaSetFactory()
    CriterionFactory(criteria_set=criteria_set, code="impact")
    with pytest.raises(ValidationError) as error:
        criteria_set_compare(acting_user=None, criteria_set=criteria_set, comparisons={"impact|nope": 3})
    assert "comparisons" in error.value.message_dict
