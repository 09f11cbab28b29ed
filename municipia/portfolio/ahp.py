"""Criteria weights from pairwise comparisons (Saaty's Analytic Hierarchy Process); no database.

The weights are the principal eigenvector of the reciprocal comparison matrix, found by power
iteration; the consistency ratio is CI / RI with CI = (λmax − n) / (n − 1) and Saaty's random
index RI for matrices of order n (T. L. Saaty, *The Analytic Hierarchy Process*, McGraw-Hill,
1980, table 1.3; the same values are in Saaty, "How to make a decision: the analytic hierarchy
process", European Journal of Operational Research 48 (1990) 9–26). Above 0.1 the judgements
are too inconsistent to rely on, and the page says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: Saaty's random consistency index by matrix order (1980, table 1.3).
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}
CONSISTENCY_LIMIT = 0.1
SCALE_MIN, SCALE_MAX = 1 / 9, 9.0


@dataclass(frozen=True)
class AhpResult:
    weights: list[float]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float

    @property
    def is_consistent(self) -> bool:
        return self.consistency_ratio <= CONSISTENCY_LIMIT


def matrix_from_comparisons(codes: Sequence[str], comparisons: Mapping[str, float]) -> list[list[float]]:
    """The reciprocal matrix from {"a|b": how much more a matters than b}; missing pairs count as equal."""
    index = {code: i for i, code in enumerate(codes)}
    n = len(codes)
    matrix = [[1.0] * n for _ in range(n)]
    for key, value in comparisons.items():
        first, _sep, second = key.partition("|")
        if first not in index or second not in index or first == second:
            raise ValueError(key)
        value = float(value)
        if not SCALE_MIN - 1e-9 <= value <= SCALE_MAX + 1e-9:
            raise ValueError(key)
        i, j = index[first], index[second]
        matrix[i][j], matrix[j][i] = value, 1 / value
    return matrix


def principal_eigenvector(matrix: Sequence[Sequence[float]], *, tolerance: float = 1e-12, max_steps: int = 1000):
    """The principal eigenvector (summing to 1) and eigenvalue of a positive matrix, by power iteration."""
    n = len(matrix)
    vector = [1.0 / n] * n
    for _step in range(max_steps):
        product = [sum(row[j] * vector[j] for j in range(n)) for row in matrix]
        total = sum(product)
        following = [value / total for value in product]
        if max(abs(a - b) for a, b in zip(following, vector, strict=True)) < tolerance:
            vector = following
            break
        vector = following
    product = [sum(row[j] * vector[j] for j in range(n)) for row in matrix]
    eigenvalue = sum(product[i] / vector[i] for i in range(n)) / n
    return vector, eigenvalue


def ahp(matrix: Sequence[Sequence[float]]) -> AhpResult:
    n = len(matrix)
    if n == 0:
        return AhpResult([], 0.0, 0.0, 0.0)
    weights, lambda_max = principal_eigenvector(matrix)
    ci = (lambda_max - n) / (n - 1) if n > 1 else 0.0
    ri = RANDOM_INDEX.get(n, 1.49)
    cr = ci / ri if ri else 0.0
    return AhpResult(weights, lambda_max, ci, max(cr, 0.0))
