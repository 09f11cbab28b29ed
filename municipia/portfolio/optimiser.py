"""The optimal portfolio: which proposals and not-yet-started actions to fund, solved exactly with HiGHS.

The problem (`Problem`) is a 0–1 programme, built from a plan by `problem_from_plan` or directly
by tests and benchmarks:

    maximise    Σ scoreᵢ·xᵢ                                    xᵢ ∈ {0, 1}
    subject to  Σ source shareᵢ,s,y·xᵢ ≤ allocation s,y         each source and year
                Σ own shareᵢ,y·xᵢ      ≤ own budget y            each year
                xᵢ ≤ xⱼ                                         i depends on j
                xᵢ + xⱼ ≤ 1                                     i excludes j
                min a ≤ Σ_{i∈a} xᵢ ≤ max a                      each axis with limits
                Σ_{i involves c} xᵢ ≥ floor                     each council (optional)
                xᵢ = 0                                          i not eligible

`solve` reports whether the optimum is proven (gap 0), which budget rows bind, and what one
more euro of each would be worth (the row duals of the LP relaxation with the optimal selection
kept chosen); when nothing fits, `explain_infeasible` finds the fewest groups of constraints
that must be relaxed (an elastic 0–1 programme) and by how much. `greedy` is the
score-per-euro heuristic the optimum is compared with.
"""

from __future__ import annotations

import math
import re
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

import highspy
import numpy as np
from django.utils.translation import gettext as _
from scipy import sparse

INF = highspy.kHighsInf
TOLERANCE = 1e-6
#: Scores are compared to the hundredth of a point: the solver works with whole hundredths, so
#: its objective is an integer and a bound less than one unit above the best selection proves that
#: no better selection exists (gap 0 to the hundredth of a point).
SCORE_UNITS = 100


@dataclass
class Candidate:
    key: str  # "p<id>" for a proposal, "a<id>" for an action
    title: str
    score: float
    axis: str = ""
    councils: tuple[str, ...] = ()
    #: (source, year) → (the source's share, the own share)
    costs: dict[tuple[str, int], tuple[float, float]] = field(default_factory=dict)
    eligible: bool = True
    #: The scenario insists on it (its "must include"); a scenario's "must exclude" makes it not eligible.
    required: bool = False

    @property
    def total_cost(self) -> float:
        return sum(a + b for a, b in self.costs.values())


@dataclass
class Problem:
    candidates: list[Candidate]
    #: (source, year) → what the source may still pay; a pair without an entry is unlimited.
    allocations: dict[tuple[str, int], float] = field(default_factory=dict)
    #: year → what the own budget may still pay.
    own_budget: dict[int, float] = field(default_factory=dict)
    dependencies: list[tuple[str, str]] = field(default_factory=list)  # (needs, needed)
    exclusions: list[tuple[str, str]] = field(default_factory=list)
    axis_min: dict[str, int] = field(default_factory=dict)
    axis_max: dict[str, int] = field(default_factory=dict)
    council_floor: int = 0
    labels: dict[str, str] = field(default_factory=dict)  # source, axis and council names for the report


@dataclass
class Row:
    kind: str  # source | own | axis_min | axis_max | floor | depends | excludes
    subject: str  # the source, axis or council (or candidate pair)
    year: int | None
    lower: float
    upper: float
    coefficients: dict[int, float]

    @property
    def relaxable(self) -> bool:
        return self.kind in ("source", "own", "axis_min", "axis_max", "floor")


@dataclass
class Binding:
    kind: str
    subject: str
    year: int | None
    used: float
    limit: float
    worth: float  # the objective gained per extra unit (euro, or proposal for axis limits)


@dataclass
class Conflict:
    kind: str
    subject: str
    year: int | None
    limit: float
    shortfall: float  # how far the limit must move for a selection to exist


@dataclass
class Result:
    status: str  # optimal (proven) | feasible (time ran out first) | infeasible | error
    objective: float = 0.0
    gap: float | None = None  # points between the selection and the best any selection could reach
    bound: float | None = None
    proven: bool = False
    selected: list[str] = field(default_factory=list)
    binding: list[Binding] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    #: Columns fixed by the reduced-cost proof before HiGHS searched the rest.
    fixed: int = 0
    greedy_objective: float | None = None
    greedy_selected: list[str] = field(default_factory=list)
    seconds: float = 0.0
    labels: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


# --- Building the rows


def build_rows(problem: Problem) -> list[Row]:
    index = {c.key: i for i, c in enumerate(problem.candidates)}
    return [*_budget_rows(problem), *_link_rows(problem, index), *_limit_rows(problem)]


def _budget_rows(problem: Problem) -> list[Row]:
    source_rows: dict[tuple[str, int], dict[int, float]] = defaultdict(dict)
    own_rows: dict[int, dict[int, float]] = defaultdict(dict)
    for i, candidate in enumerate(problem.candidates):
        for (source, year), (share, own) in candidate.costs.items():
            if share and (source, year) in problem.allocations:
                source_rows[(source, year)][i] = source_rows[(source, year)].get(i, 0.0) + share
            if own and year in problem.own_budget:
                own_rows[year][i] = own_rows[year].get(i, 0.0) + own
    rows = [
        Row("source", source, year, -INF, problem.allocations[(source, year)], coefficients)
        for (source, year), coefficients in sorted(source_rows.items())
    ]
    rows += [Row("own", "", year, -INF, problem.own_budget[year], c) for year, c in sorted(own_rows.items())]
    # Allocations no candidate draws on still bind when already overdrawn (a negative remainder).
    rows += [
        Row("source", source, year, -INF, limit, {})
        for (source, year), limit in sorted(problem.allocations.items())
        if limit < 0 and (source, year) not in source_rows
    ]
    rows += [
        Row("own", "", year, -INF, limit, {})
        for year, limit in sorted(problem.own_budget.items())
        if limit < 0 and year not in own_rows
    ]
    return rows


def _link_rows(problem: Problem, index: dict[str, int]) -> list[Row]:
    rows = [
        Row("depends", f"{needs}|{needed}", None, -INF, 0, {index[needs]: 1, index[needed]: -1})
        for needs, needed in problem.dependencies
        if needs in index and needed in index
    ]
    rows += [
        Row("excludes", f"{first}|{second}", None, -INF, 1, {index[first]: 1, index[second]: 1})
        for first, second in problem.exclusions
        if first in index and second in index
    ]
    return rows


def _limit_rows(problem: Problem) -> list[Row]:
    by_axis: dict[str, dict[int, float]] = defaultdict(dict)
    by_council: dict[str, dict[int, float]] = defaultdict(dict)
    for i, candidate in enumerate(problem.candidates):
        by_axis[candidate.axis][i] = 1
        for council in candidate.councils:
            by_council[council][i] = 1
    rows = [
        Row("axis_min", axis, None, low, INF, by_axis.get(axis, {})) for axis, low in sorted(problem.axis_min.items())
    ]
    rows += [
        Row("axis_max", axis, None, -INF, high, by_axis.get(axis, {}))
        for axis, high in sorted(problem.axis_max.items())
    ]
    if problem.council_floor:
        rows += [
            Row("floor", council, None, problem.council_floor, INF, coefficients)
            for council, coefficients in sorted(by_council.items())
        ]
    return rows


def _highs() -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("log_to_console", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    # Below one unit of the (integral) objective: a bound this close proves the optimum.
    h.setOptionValue("mip_abs_gap", 0.999)
    h.setOptionValue("threads", 1)
    # The sub-MIP heuristics (RINS, RENS, root reduced cost) found the optimum no sooner and took most
    # of the root's time: off, the 500-proposal benchmark is proven about 30 % faster (README).
    for option in ("mip_heuristic_run_rins", "mip_heuristic_run_rens", "mip_heuristic_run_root_reduced_cost"):
        h.setOptionValue(option, False)
    return h


def _add_rows(h: highspy.Highs, rows: list[Row]) -> None:
    if not rows:
        return
    starts, indices, values = [], [], []
    for row in rows:
        starts.append(len(indices))
        for column, value in row.coefficients.items():
            indices.append(column)
            values.append(value)
    h.addRows(
        len(rows),
        np.array([r.lower for r in rows], dtype=np.float64),
        np.array([r.upper for r in rows], dtype=np.float64),
        len(indices),
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.array(values, dtype=np.float64),
    )


def units(score: float) -> int:
    return round(score * SCORE_UNITS)


def _column_bounds(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    upper = np.array([1.0 if c.eligible else 0.0 for c in problem.candidates], dtype=np.float64)
    lower = np.array([1.0 if c.required else 0.0 for c in problem.candidates], dtype=np.float64)
    return np.minimum(lower, upper), upper


def _model(
    problem: Problem,
    rows: list[Row],
    *,
    integer: bool,
    lower: np.ndarray | None = None,
    upper: np.ndarray | None = None,
) -> highspy.Highs:
    n = len(problem.candidates)
    h = _highs()
    scores = np.array([units(c.score) for c in problem.candidates], dtype=np.float64)
    required, eligible = _column_bounds(problem)
    lower = required if lower is None else np.maximum(lower, required)
    upper = eligible if upper is None else np.minimum(upper, eligible)
    h.addCols(n, scores, lower, upper, 0, np.array([], dtype=np.int32), np.array([], dtype=np.int32), np.array([]))
    if integer and n:
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    _add_rows(h, rows)
    return h


def _round_and_complete(
    problem: Problem,
    matrix: sparse.csr_matrix,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    x_lp: np.ndarray,
    reduced: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
) -> list[int] | None:
    """A good selection to start from: the LP relaxation's whole columns, then the others in order of
    LP value and reduced cost wherever every ≤ limit still holds (two passes, so that a proposal whose
    dependency came later gets its turn). None when a ≥ limit (axis minimum, council floor) is unmet."""
    columns = matrix.tocsc()
    slack = 1e-9 * np.maximum(1.0, np.abs(row_upper))
    taken = ((x_lp > 1 - 1e-6) | (lower > 0.5)) & (upper > 0.5)
    activity = matrix @ taken.astype(np.float64)
    if np.any(activity > row_upper + slack):
        return None
    order = np.lexsort((-reduced, -x_lp))
    for _pass in range(2):
        for j in order:
            if taken[j] or upper[j] < 0.5:
                continue
            start, end = columns.indptr[j], columns.indptr[j + 1]
            where, values = columns.indices[start:end], columns.data[start:end]
            after = activity[where] + values
            if np.all(after <= row_upper[where] + slack[where]):
                activity[where] = after
                taken[j] = True
    if np.any(activity < row_lower - 1e-9 * np.maximum(1.0, np.abs(row_lower))):
        return None
    return [int(j) for j in np.flatnonzero(taken)]


# --- Solving


@dataclass
class _Outcome:
    """What one way of solving found: the chosen columns and the bound in whole score units."""

    status: str  # solved | infeasible | empty | none
    chosen: list[int] = field(default_factory=list)
    bound_units: int | None = None
    fixed: int = 0


def solve(
    problem: Problem,
    *,
    with_greedy: bool = True,
    time_limit: float = 60.0,
    relative_gap: float = 0.0,
    fixing: bool = True,
) -> Result:
    """The best selection, proven optimal (gap 0) unless `relative_gap` allows a proven bound instead
    (the benchmark measures both) or the time limit comes first (status "feasible").

    With `fixing` (the default) the exact solve first fixes the proposals that the LP relaxation's
    reduced costs prove cannot change the optimum (`_solve_with_fixing`) and hands HiGHS only the rest.
    """
    started = time.perf_counter()
    deadline = started + time_limit
    result = Result(status="error", labels=dict(problem.labels), titles={c.key: c.title for c in problem.candidates})
    impossible = [c for c in problem.candidates if c.required and not c.eligible]
    if impossible:
        result.status = "infeasible"
        result.conflicts = [Conflict("required", c.title, None, 1, 1) for c in impossible]
        result.seconds = time.perf_counter() - started
        return result
    rows = build_rows(problem)
    outcome = _Outcome("none")
    if fixing and problem.candidates:
        outcome = _solve_with_fixing(problem, rows, deadline, relative_gap)
    if outcome.status == "none":
        outcome = _solve_plain(problem, rows, deadline, relative_gap)
    if outcome.status == "empty":
        # Nothing to choose: the empty selection is optimal.
        result.status, result.gap, result.bound, result.proven = "optimal", 0.0, 0.0, True
    elif outcome.status == "solved":
        _read_selection(problem, rows, outcome, result)
    elif outcome.status == "infeasible":
        result.status = "infeasible"
        result.conflicts = explain_infeasible(problem, rows)
    if with_greedy:
        picked = greedy(problem)
        result.greedy_selected = picked
        by_key = {c.key: c for c in problem.candidates}
        result.greedy_objective = sum(by_key[key].score for key in picked)
    result.seconds = time.perf_counter() - started
    return result


def _solve_plain(problem: Problem, rows: list[Row], deadline: float, relative_gap: float = 0.0) -> _Outcome:
    """The whole 0–1 programme handed to HiGHS as it is."""
    h = _model(problem, rows, integer=True)
    h.setOptionValue("time_limit", max(deadline - time.perf_counter(), 0.01))
    if relative_gap:
        h.setOptionValue("mip_rel_gap", relative_gap)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kModelEmpty:
        return _Outcome("empty")
    if status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return _Outcome("infeasible")
    if status == highspy.HighsModelStatus.kOptimal or (
        status == highspy.HighsModelStatus.kTimeLimit and h.getInfo().primal_solution_status == 2
    ):
        chosen = [i for i, value in enumerate(h.getSolution().col_value) if value > 0.5]
        # The objective is whole units, so no selection beats the incumbent when the bound rounds down to it.
        return _Outcome("solved", chosen, math.floor(h.getInfo().mip_dual_bound + 1e-6))
    return _Outcome("error")


def _matrix(n: int, rows: list[Row]) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    row_index = [r for r, row in enumerate(rows) for _column in row.coefficients]
    columns = [column for row in rows for column in row.coefficients]
    values = [value for row in rows for value in row.coefficients.values()]
    matrix = sparse.csr_matrix((values, (row_index, columns)), shape=(len(rows), n), dtype=np.float64)
    return matrix, np.array([r.lower for r in rows]), np.array([r.upper for r in rows])


def _solve_with_fixing(problem: Problem, rows: list[Row], deadline: float, relative_gap: float = 0.0) -> _Outcome:
    """Reduced-cost fixing before the exact solve, our own proof step.

    1. The LP relaxation gives row prices y. For any prices of the right signs, and any selection x
       within the columns' bounds, Σ cⱼxⱼ ≤ L(y) + Σ dⱼ(xⱼ − x̂ⱼ), where dⱼ = cⱼ − (Aᵀy)ⱼ, x̂ⱼ is the
       bound that maximises dⱼxⱼ and L(y) = Σ yᵣbᵣ + Σ dⱼx̂ⱼ (Lagrangian duality; L is recomputed here
       from y in our own arithmetic, so the proof does not rest on the solver's tolerances).
    2. A good selection scores z: the better of the LP rounded down and completed (`_round_and_complete`)
       and the core problem's selection (`_solve_core`), which is usually the optimum or within a few
       hundredths of it; when that would leave much of the problem free, a wider core's (`_widen_core`).
    3. Any selection that moves xⱼ off x̂ⱼ scores at most L − |dⱼ|. Scores are whole units, so when
       L − |dⱼ| < z + 1 no such selection beats z: xⱼ is fixed to x̂ⱼ without losing any better selection.
    4. HiGHS solves the rest exactly, starting from that selection; the answer is the better of its
       optimum and z, and the bound is the larger of its bound and z (what it did not search cannot beat z).

    Asked only within `relative_gap`, it stops at step 2 when L is already that close to z.
    """
    n = len(problem.candidates)
    lp = _model(problem, rows, integer=False)
    lp.run()
    if lp.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return _Outcome("none")  # infeasible or odd: the plain solve explains it
    solution = lp.getSolution()
    x_lp = np.array(solution.col_value)
    lower, upper = _column_bounds(problem)
    matrix, row_lower, row_upper = _matrix(n, rows)
    prices = np.array(solution.row_dual)
    # Only a price of the right sign gives a valid bound: ≤ rows take y ≥ 0, ≥ rows y ≤ 0.
    prices = np.where((prices > 0) & ~np.isfinite(row_upper), 0.0, prices)
    prices = np.where((prices < 0) & ~np.isfinite(row_lower), 0.0, prices)
    scores = np.array([units(c.score) for c in problem.candidates], dtype=np.float64)
    reduced = scores - matrix.T @ prices
    best_side = np.where(reduced > 0, upper, lower)
    bound = float(prices @ np.where(prices > 0, row_upper, np.where(prices < 0, row_lower, 0.0)) + reduced @ best_side)
    chosen = _round_and_complete(problem, matrix, row_lower, row_upper, x_lp, reduced, lower, upper)
    if chosen is None:
        return _Outcome("none")
    incumbent = int(scores[chosen].sum())
    if bound >= incumbent + 1 and not (relative_gap and bound - incumbent <= relative_gap * abs(incumbent)):
        core = _solve_core(problem, rows, reduced, best_side, lower, upper, deadline)
        if core is not None and int(scores[core].sum()) > incumbent:
            chosen, incumbent = core, int(scores[core].sum())
        chosen, incumbent = _widen_core(problem, rows, reduced, best_side, lower, upper, bound, chosen, deadline)
    # A safety margin against rounding in the sums above (scores are up to ~10⁷ units).
    margin = 1e-6 * max(1.0, abs(bound))
    free = lower < upper
    movable = free & (np.abs(reduced) <= bound - incumbent - 1 + margin)
    fixed_lower = np.where(movable | ~free, lower, best_side)
    fixed_upper = np.where(movable | ~free, upper, best_side)
    fixed = int((free & ~movable).sum())
    if bound < incumbent + 1 - margin:
        return _Outcome("solved", chosen, incumbent, fixed)
    if relative_gap and bound - incumbent <= relative_gap * abs(incumbent):
        return _Outcome("solved", chosen, math.floor(bound + margin), fixed)
    h = _model(problem, rows, integer=True, lower=fixed_lower, upper=fixed_upper)
    h.setOptionValue("time_limit", max(deadline - time.perf_counter(), 0.01))
    # When the core stopped well short of the optimum (30 hundredths or more), HiGHS's tree search took
    # 10 s and more to find the better selections; RINS (a sub-MIP around the LP and the incumbent)
    # finds them in its root. On nine instances of the benchmark's shape it cut the total CPU time by
    # a third and the slowest instance from ~11 s to ~4 s; RENS and root reduced cost cost more than
    # they found (README, "Portfolio optimiser").
    h.setOptionValue("mip_heuristic_run_rins", True)
    if relative_gap:
        h.setOptionValue("mip_rel_gap", relative_gap)
    _start_from(h, chosen, n)
    h.run()
    status = h.getModelStatus()
    if status in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
        highspy.HighsModelStatus.kModelEmpty,
    ):
        # Nothing beats the selection outside what was fixed: it is optimal.
        return _Outcome("solved", chosen, incumbent, fixed)
    info = h.getInfo()
    if status == highspy.HighsModelStatus.kOptimal or (
        status == highspy.HighsModelStatus.kTimeLimit and info.primal_solution_status == 2
    ):
        found = [i for i, value in enumerate(h.getSolution().col_value) if value > 0.5]
        better = found if scores[found].sum() > incumbent else chosen
        # What HiGHS did not search (the fixed columns) cannot beat the incumbent; what it searched is
        # bounded by its own bound (or, if it stopped before having one, by the LP's).
        searched = info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else bound
        residual_bound = math.floor(min(searched, bound) + 1e-6)
        return _Outcome("solved", better, max(residual_bound, incumbent), fixed)
    # Time ran out before HiGHS found anything better: the incumbent stands, with the LP's bound.
    return _Outcome("solved", chosen, max(math.floor(bound + 1e-6), incumbent), fixed)


#: The core problem (`_solve_core`): the columns whose reduced cost is within this many score units
#: of zero, and at least this many columns, are left free; the others keep the LP's side.
CORE_REDUCED_COST = 5
CORE_COLUMNS = 300
#: At most this share of the time left goes to the core problem.
CORE_TIME_SHARE = 0.3
#: The core is a start, not the answer: it stops once its selection is within this many score units
#: of the core's own bound (proving the core's optimum took longer than the proof of the whole).
CORE_ABS_GAP = 10
#: The wider core (`_widen_core`): when the core's selection still leaves more than this share of the
#: columns free for the search, a core of this share of them is solved from that selection, stopped
#: within WIDE_CORE_ABS_GAP score units of its own bound or after WIDE_CORE_SECONDS.
WIDE_CORE_TRIGGER = 0.4
WIDE_CORE_SHARE = 0.1
WIDE_CORE_ABS_GAP = 25
WIDE_CORE_SECONDS = 0.5


def _solve_core(
    problem: Problem,
    rows: list[Row],
    reduced: np.ndarray,
    best_side: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    deadline: float,
    *,
    columns: int = CORE_COLUMNS,
    abs_gap: float = CORE_ABS_GAP,
    seconds: float = math.inf,
    start: list[int] | None = None,
) -> list[int] | None:
    """A near-optimal selection, found fast: the "core" of a knapsack problem.

    The optimum differs from the LP relaxation's side mostly on the columns whose reduced cost is
    near zero (moving column j costs |dⱼ| of the bound). The core leaves those free, fixes every
    other column to its LP side and solves that much smaller 0–1 programme with HiGHS's sub-MIP
    heuristics on. Its answer is a selection of the whole problem (every row is kept), so it is
    only a start: nothing is proven here. None when the core has no selection or no time."""
    free_columns = lower < upper
    distance = np.where(free_columns, np.abs(reduced), np.inf)
    if not free_columns.any():
        return None
    size = min(columns, int(free_columns.sum()))
    threshold = max(CORE_REDUCED_COST, float(np.partition(distance, size - 1)[size - 1]))
    core = free_columns & (distance <= threshold)
    time_left = min((deadline - time.perf_counter()) * CORE_TIME_SHARE, seconds)
    if time_left < 0.01:
        return None
    h = _model(
        problem,
        rows,
        integer=True,
        lower=np.where(core, lower, best_side),
        upper=np.where(core, upper, best_side),
    )
    for option in ("mip_heuristic_run_rins", "mip_heuristic_run_rens", "mip_heuristic_run_root_reduced_cost"):
        h.setOptionValue(option, True)
    h.setOptionValue("time_limit", time_left)
    h.setOptionValue("mip_abs_gap", abs_gap)
    if start is not None:
        _start_from(h, start, len(problem.candidates))
    h.run()
    if h.getInfo().primal_solution_status != 2:
        return None
    return [i for i, value in enumerate(h.getSolution().col_value) if value > 0.5]


def _widen_core(
    problem: Problem,
    rows: list[Row],
    reduced: np.ndarray,
    best_side: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    bound: float,
    chosen: list[int],
    deadline: float,
) -> tuple[list[int], int]:
    """A better start when the core's is poor, and the score of the start kept.

    How many columns the search must leave free follows from the start's score (those whose reduced
    cost is within L − z − 1 of zero). When that is a large part of the problem, the core held too
    few of the columns the optimum changes: on two instances of the benchmark's shape it stopped 1.5
    and 1.8 points below the optimum, ~4,600 of the 5,000 columns stayed free and the search took 9
    and 17 s. A core of a tenth of the columns, started from the first core's selection, found starts
    within 0.1 point in under 0.5 s there; where the first core did well it is not run at all."""
    scores = np.array([units(c.score) for c in problem.candidates], dtype=np.float64)
    incumbent = int(scores[chosen].sum())
    free_columns = lower < upper
    free = int(free_columns.sum())
    left_free = int((free_columns & (np.abs(reduced) <= bound - incumbent - 1)).sum())
    columns = round(WIDE_CORE_SHARE * free)
    if left_free <= WIDE_CORE_TRIGGER * free or columns <= CORE_COLUMNS:
        return chosen, incumbent
    wider = _solve_core(
        problem,
        rows,
        reduced,
        best_side,
        lower,
        upper,
        deadline,
        columns=columns,
        abs_gap=WIDE_CORE_ABS_GAP,
        seconds=WIDE_CORE_SECONDS,
        start=chosen,
    )
    if wider is not None and int(scores[wider].sum()) > incumbent:
        return wider, int(scores[wider].sum())
    return chosen, incumbent


def _start_from(h: highspy.Highs, chosen: list[int], n: int) -> None:
    """Hands HiGHS a selection to start from (its bound then prunes against it from the first node)."""
    values = np.zeros(n)
    values[chosen] = 1.0
    start = highspy.HighsSolution()
    start.col_value = list(values)
    start.value_valid = True
    h.setSolution(start)


def _read_selection(problem: Problem, rows: list[Row], outcome: _Outcome, result: Result) -> None:
    """The selection found; proven when the bound is less than one score unit above it."""
    chosen = outcome.chosen
    objective_units = sum(units(problem.candidates[i].score) for i in chosen)
    bound_units = outcome.bound_units if outcome.bound_units is not None else objective_units
    result.gap = max(bound_units - objective_units, 0) / SCORE_UNITS
    result.bound = max(bound_units, objective_units) / SCORE_UNITS
    result.proven = result.gap == 0
    result.status = "optimal" if result.proven else "feasible"
    result.fixed = outcome.fixed
    result.selected = [problem.candidates[i].key for i in chosen]
    result.objective = sum(problem.candidates[i].score for i in chosen)
    result.binding = binding_rows(problem, rows, chosen)


def binding_rows(problem: Problem, rows: list[Row], chosen: list[int]) -> list[Binding]:
    """The budget and axis rows the optimal selection uses up, with their worth in the LP relaxation.

    The worth of a row is its dual in the LP relaxation whose chosen proposals stay chosen: what
    one more euro of that allocation (or one more proposal of that axis) would add to the score.
    """
    n = len(problem.candidates)
    lower = np.zeros(n)
    lower[chosen] = 1.0
    lp = _model(problem, rows, integer=False, lower=lower)
    lp.run()
    duals = list(lp.getSolution().row_dual) if lp.getModelStatus() == highspy.HighsModelStatus.kOptimal else []
    chosen_set = set(chosen)
    found = []
    for r, row in enumerate(rows):
        if row.kind not in ("source", "own", "axis_max"):
            continue
        used = sum(value for column, value in row.coefficients.items() if column in chosen_set)
        worth = abs(duals[r]) / SCORE_UNITS if r < len(duals) else 0.0
        tight = row.upper - used <= max(TOLERANCE, abs(row.upper) * 1e-9)
        if tight or worth > TOLERANCE:
            found.append(Binding(row.kind, row.subject, row.year, used, row.upper, worth))
    return found


def explain_infeasible(problem: Problem, rows: list[Row]) -> list[Conflict]:
    """The fewest groups of limits that must be relaxed for any selection to exist, and by how much.

    Each relaxable row gets an elastic variable allowed only when its group's 0–1 switch is on;
    the switches are minimised (the elastic amounts break ties).
    """
    n = len(problem.candidates)
    relaxable = [r for r, row in enumerate(rows) if row.relaxable]
    groups = sorted({(rows[r].kind, rows[r].subject, rows[r].year) for r in relaxable}, key=str)
    group_index = {g: n + len(relaxable) + k for k, g in enumerate(groups)}
    h = _highs()
    columns = n + len(relaxable) + len(groups)
    cost = np.zeros(columns)
    big = {r: _big_m(rows[r]) for r in relaxable}
    for k, r in enumerate(relaxable):
        cost[n + k] = 1.0 / (big[r] * (len(relaxable) + 1))
    for g in groups:
        cost[group_index[g]] = 1.0
    upper = np.array(
        [1.0 if c.eligible else 0.0 for c in problem.candidates] + [INF] * len(relaxable) + [1.0] * len(groups)
    )
    lower = np.array([1.0 if c.required else 0.0 for c in problem.candidates] + [0.0] * (columns - n))
    h.addCols(
        columns,
        cost,
        lower,
        upper,
        0,
        np.array([], dtype=np.int32),
        np.array([], dtype=np.int32),
        np.array([]),
    )
    integer = [*range(n), *range(n + len(relaxable), columns)]
    h.changeColsIntegrality(
        len(integer), np.array(integer, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * len(integer))
    )
    elastic_rows = []
    for r, row in enumerate(rows):
        coefficients = dict(row.coefficients)
        if r in relaxable:
            k = relaxable.index(r)
            coefficients[n + k] = 1.0 if row.lower > -INF else -1.0
        elastic_rows.append(Row(row.kind, row.subject, row.year, row.lower, row.upper, coefficients))
    for k, r in enumerate(relaxable):
        g = group_index[(rows[r].kind, rows[r].subject, rows[r].year)]
        elastic_rows.append(Row("link", "", None, -INF, 0, {n + k: 1.0, g: -big[r]}))
    _add_rows(h, elastic_rows)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return [Conflict("hard", "", None, 0, 0)]
    values = h.getSolution().col_value
    conflicts = []
    for k, r in enumerate(relaxable):
        if values[n + k] > TOLERANCE:
            row = rows[r]
            limit = row.lower if row.lower > -INF else row.upper
            conflicts.append(Conflict(row.kind, row.subject, row.year, limit, float(values[n + k])))
    return conflicts


def _big_m(row: Row) -> float:
    total = sum(abs(v) for v in row.coefficients.values())
    bound = row.lower if row.lower > -INF else row.upper
    return max(total + abs(bound), 1.0)


def greedy(problem: Problem) -> list[str]:
    """Best score per euro first, taking a candidate when it fits every budget, axis maximum and exclusion
    and its dependencies are already taken (the usual spreadsheet method)."""
    remaining = dict(problem.allocations)
    own_left = dict(problem.own_budget)
    axis_left = dict(problem.axis_max)
    excluded: set[str] = set()
    needs: dict[str, set[str]] = defaultdict(set)
    for first, second in problem.dependencies:
        needs[first].add(second)
    exclusions: dict[str, set[str]] = defaultdict(set)
    for first, second in problem.exclusions:
        exclusions[first].add(second)
        exclusions[second].add(first)
    chosen: list[str] = []
    taken: set[str] = set()

    def ratio(candidate: Candidate) -> float:
        cost = candidate.total_cost
        return candidate.score / cost if cost > 0 else float("inf")

    # What the scenario insists on comes first, then the best score per euro.
    ordered = sorted(
        (c for c in problem.candidates if c.eligible),
        key=lambda c: (c.required, ratio(c)),
        reverse=True,
    )
    for candidate in ordered:
        if candidate.key in excluded or not needs[candidate.key] <= taken:
            continue
        if candidate.axis in axis_left and axis_left[candidate.axis] < 1:
            continue
        if not _fits(candidate, remaining, own_left):
            continue
        for (source, year), (share, own) in candidate.costs.items():
            if (source, year) in remaining:
                remaining[(source, year)] -= share
            if year in own_left:
                own_left[year] -= own
        if candidate.axis in axis_left:
            axis_left[candidate.axis] -= 1
        chosen.append(candidate.key)
        taken.add(candidate.key)
        excluded |= exclusions[candidate.key]
    return chosen


def _fits(candidate: Candidate, remaining: dict, own_left: dict) -> bool:
    own_by_year: dict[int, float] = defaultdict(float)
    share_by_row: dict[tuple[str, int], float] = defaultdict(float)
    for (source, year), (share, own) in candidate.costs.items():
        share_by_row[(source, year)] += share
        own_by_year[year] += own
    return all(share <= remaining[row] + TOLERANCE for row, share in share_by_row.items() if row in remaining) and all(
        own <= own_left[year] + TOLERANCE for year, own in own_by_year.items() if year in own_left
    )


# --- Words


def describe_binding(entry: dict, labels: dict[str, str]) -> str:
    name = labels.get(entry["subject"], entry["subject"])
    values = {"name": name, "year": entry["year"], "used": _euros(entry["used"]), "limit": _euros(entry["limit"])}
    if entry["kind"] == "source":
        text = _("The %(name)s allocation for %(year)s is used up to %(used)s of %(limit)s.") % values
        worth = _("One more euro of it would be worth %(worth)s points.")
    elif entry["kind"] == "own":
        text = _("The own budget for %(year)s is used up to %(used)s of %(limit)s.") % values
        worth = _("One more euro of it would be worth %(worth)s points.")
    else:
        values["limit"] = int(entry["limit"])
        text = _("The axis %(name)s is at its maximum of %(limit)s proposals.") % values
        worth = _("One more proposal allowed there would be worth %(worth)s points.")
    points = "{:.6g}".format(entry["worth"])
    return f"{text} {worth % {'worth': points}}"


def describe_conflict(entry: dict, labels: dict[str, str]) -> str:
    name = labels.get(entry["subject"], entry["subject"])
    values = {"name": name, "year": entry["year"], "limit": entry["limit"], "short": _euros(entry["shortfall"])}
    kind = entry["kind"]
    if kind == "source":
        return _("The %(name)s allocation for %(year)s is %(short)s short.") % values
    if kind == "own":
        return _("The own budget for %(year)s is %(short)s short.") % values
    values["limit"] = int(round(entry["limit"]))
    values["short"] = int(round(entry["shortfall"]))
    if kind == "axis_min":
        return (
            _("The minimum of %(limit)s proposals in axis %(name)s cannot be met: %(short)s fewer would fit.") % values
        )
    if kind == "axis_max":
        return _("The maximum of %(limit)s proposals in axis %(name)s must rise by %(short)s.") % values
    if kind == "floor":
        return _("The floor of %(limit)s proposals for %(name)s cannot be met: %(short)s fewer would fit.") % values
    if kind == "required":
        return _("“%(name)s” must be included but cannot be funded (not eligible, or also excluded).") % values
    return _("The dependencies and exclusions between proposals contradict each other.")


def describe_parameters(parameters: dict, titles: dict[str, str]) -> list[str]:
    """A scenario's parameters in words, for its page (the form that typed them is ScenarioForm)."""
    lines = []
    for code, factor in sorted(parameters.get("source_factors", {}).items()):
        lines.append(
            _("%(source)s: %(percent)s %% of its allocations.") % {"source": code, "percent": f"{factor * 100:g}"}
        )
    for key, factor in sorted(parameters.get("year_factors", {}).items()):
        code, _sep, year = key.partition("|")
        values = {"source": code, "year": year, "percent": f"{factor * 100:g}"}
        lines.append(_("%(source)s in %(year)s: %(percent)s %% of its allocation.") % values)
    for code, value in sorted(parameters.get("axis_min", {}).items()):
        lines.append(_("Axis %(code)s: at least %(count)s proposals.") % {"code": code, "count": value})
    for code, value in sorted(parameters.get("axis_max", {}).items()):
        lines.append(_("Axis %(code)s: at most %(count)s proposals.") % {"code": code, "count": value})
    if parameters.get("council_floor"):
        lines.append(_("At least %(count)s proposals per council.") % {"count": parameters["council_floor"]})
    if "action_score" in parameters:
        lines.append(_("Planned actions never evaluated score %(score)s.") % {"score": parameters["action_score"]})
    for name, text in (("include", _("Must include: %(names)s.")), ("exclude", _("Must exclude: %(names)s."))):
        if parameters.get(name):
            lines.append(text % {"names": "; ".join(titles.get(key, key) for key in parameters[name])})
    return lines


def _euros(value: float) -> str:
    return f"{value:,.2f} €"


# --- From a plan


def parameter_errors(parameters: object) -> str:
    """A message when scenario parameters are malformed, or ''."""
    if not isinstance(parameters, dict):
        return _("Parameters must be an object.")
    known = {"source_factors", "year_factors", "axis_min", "axis_max", "council_floor", "action_score", *KEY_LISTS}
    unknown = set(parameters) - known
    if unknown:
        return _("Unknown parameter: %(names)s.") % {"names": ", ".join(sorted(unknown))}
    for name in ("source_factors", "year_factors", "axis_min", "axis_max"):
        values = parameters.get(name, {})
        if not isinstance(values, dict) or not all(_is_number(v) and float(v) >= 0 for v in values.values()):
            return _("%(name)s must map names to numbers of at least 0.") % {"name": name}
    for name in ("council_floor", "action_score"):
        if name in parameters and not (_is_number(parameters[name]) and float(parameters[name]) >= 0):
            return _("%(name)s must be a number of at least 0.") % {"name": name}
    for name in KEY_LISTS:
        keys = parameters.get(name, [])
        if not isinstance(keys, list) or not all(isinstance(k, str) and re.fullmatch(r"[pa]\d+", k) for k in keys):
            return _("%(name)s must list proposals and actions as p<id> or a<id>.") % {"name": name}
    both = set(parameters.get("include", [])) & set(parameters.get("exclude", []))
    if both:
        return _("Included and excluded at once: %(keys)s.") % {"keys": ", ".join(sorted(both))}
    return ""


#: Scenario parameters that list candidates ("p12" a proposal, "a7" an action) to include or exclude.
KEY_LISTS = ("include", "exclude")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def solve_plan(plan, parameters: dict) -> Result:
    from municipia.portfolio.problem import problem_from_plan

    return solve(problem_from_plan(plan, parameters))
