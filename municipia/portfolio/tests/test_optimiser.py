"""Small optimisation cases computed by hand, and the explanations the optimiser gives."""

import random

from municipia.portfolio.optimiser import Candidate, Problem, describe_binding, describe_conflict, greedy, solve


def candidate(key, score, cost, axis="1", *, own=0.0, source="ERDF", year=2024, **kwargs):
    return Candidate(key, key, score, axis=axis, costs={(source, year): (cost, own)}, **kwargs)


def test_greedy_by_score_per_euro_is_not_optimal_here():
    # Budget 100. A: 60 € for 7 points (0.117/€); B and C: 50 € for 5 points each (0.1/€).
    # Greedy takes A first, then neither B nor C fits: 7 points. B + C use the budget exactly: 10 points.
    problem = Problem(
        [candidate("A", 7, 60), candidate("B", 5, 50), candidate("C", 5, 50)], allocations={("ERDF", 2024): 100}
    )
    result = solve(problem)
    assert result.status == "optimal" and result.proven and result.gap == 0
    assert sorted(result.selected) == ["B", "C"]
    assert result.objective == 10
    assert greedy(problem) == ["A"]
    assert result.greedy_objective == 7


def test_the_binding_allocation_and_its_worth_are_reported_in_words():
    problem = Problem(
        [candidate("A", 7, 60), candidate("B", 5, 50), candidate("C", 5, 50)], allocations={("ERDF", 2024): 100}
    )
    result = solve(problem)
    [binding] = result.binding
    assert (binding.kind, binding.subject, binding.year, binding.used, binding.limit) == (
        "source",
        "ERDF",
        2024,
        100,
        100,
    )
    # With B and C kept, the next euro would buy A at 7/60 points per euro in the LP relaxation.
    assert abs(binding.worth - 7 / 60) < 1e-9
    text = describe_binding(result.as_dict()["binding"][0], {"ERDF": "ERDF EDUSI"})
    assert "ERDF EDUSI" in text and "2024" in text and "0.116667" in text


def test_a_dependency_forces_a_low_scoring_proposal_in():
    # Budget 80. B (10 points, 50 €) needs C (1 point, 30 €); A: 6 points, 50 €.
    # A alone: 6; A + C: 7; B + C: 11 — the optimum takes C only because B needs it.
    problem = Problem(
        [candidate("A", 6, 50), candidate("B", 10, 50), candidate("C", 1, 30)],
        allocations={("ERDF", 2024): 80},
        dependencies=[("B", "C")],
    )
    result = solve(problem)
    assert sorted(result.selected) == ["B", "C"]
    assert result.objective == 11
    assert result.greedy_objective == 7  # greedy takes A (and then C), never B


def test_exclusions_and_axis_limits():
    problem = Problem(
        [
            candidate("A", 5, 10, "1"),
            candidate("B", 4, 10, "1"),
            candidate("C", 3, 10, "2"),
            candidate("D", 2, 10, "2"),
        ],
        allocations={("ERDF", 2024): 1000},
        exclusions=[("A", "B")],
        axis_max={"2": 1},
    )
    result = solve(problem)
    assert sorted(result.selected) == ["A", "C"]


def test_own_share_must_fit_the_own_budget():
    # Each proposal is 80 % co-financed; the own budget of 25 € pays the own share of only one.
    problem = Problem(
        [candidate("A", 5, 80, own=20), candidate("B", 4, 80, own=20)],
        allocations={("ERDF", 2024): 1000},
        own_budget={2024: 25},
    )
    result = solve(problem)
    assert result.selected == ["A"]
    assert [(b.kind, b.year) for b in result.binding] == [("own", 2024)]


def test_an_ineligible_proposal_is_never_chosen():
    problem = Problem([candidate("A", 9, 10, eligible=False), candidate("B", 1, 10)], allocations={("ERDF", 2024): 100})
    assert solve(problem).selected == ["B"]


def test_infeasible_minimum_is_explained():
    # Axis X needs two proposals, but A excludes B: only the minimum can give way.
    problem = Problem(
        [candidate("A", 7, 60, "X"), candidate("B", 5, 30, "X")],
        allocations={("ERDF", 2024): 100},
        axis_min={"X": 2},
        exclusions=[("A", "B")],
        labels={"X": "2 Digital infrastructure"},
    )
    result = solve(problem)
    assert result.status == "infeasible"
    assert [(c.kind, c.subject, c.shortfall) for c in result.conflicts] == [("axis_min", "X", 1.0)]
    text = describe_conflict(result.as_dict()["conflicts"][0], result.labels)
    assert text == "The minimum of 2 proposals in axis 2 Digital infrastructure cannot be met: 1 fewer would fit."


def test_an_overspent_allocation_is_named_with_its_shortfall():
    # Actions under way already take 30 € more than the 2024 allocation; nothing can be chosen to fix that.
    problem = Problem([candidate("A", 7, 10)], allocations={("ERDF", 2024): -30})
    result = solve(problem)
    assert result.status == "infeasible"
    [conflict] = result.conflicts
    assert (conflict.kind, conflict.subject, conflict.year, conflict.shortfall) == ("source", "ERDF", 2024, 30.0)
    assert describe_conflict(result.as_dict()["conflicts"][0], {}) == "The ERDF allocation for 2024 is 30.00 € short."


def test_a_council_floor_spreads_the_selection():
    problem = Problem(
        [
            candidate("A", 9, 50, councils=("tremp",)),
            candidate("B", 8, 50, councils=("tremp",)),
            candidate("C", 1, 50, councils=("bcn",)),
        ],
        allocations={("ERDF", 2024): 100},
        council_floor=1,
    )
    assert sorted(solve(problem).selected) == ["A", "C"]


def _random_problem(seed: int, size: int = 40) -> Problem:
    """A small problem of the benchmark's shape: two sources over two years, own shares, links and axis limits."""
    rng = random.Random(seed)
    candidates, demand = [], {}
    for i in range(size):
        source, year = rng.choice(["ERDF", "NGEU"]), rng.choice([2024, 2025])
        cost = round(rng.uniform(1_000, 50_000), 2)
        share = round(cost * 0.8, 2)
        candidates.append(
            Candidate(
                f"p{i}",
                f"p{i}",
                round(rng.uniform(2, 10), 2),
                axis=rng.choice("12"),
                costs={(source, year): (share, round(cost - share, 2))},
                required=i == 0,
                eligible=i != 1,
            )
        )
        demand[(source, year)] = demand.get((source, year), 0) + share
    return Problem(
        candidates,
        allocations={row: round(total * rng.uniform(0.3, 0.6), 2) for row, total in demand.items()},
        own_budget={2024: 60_000, 2025: 60_000},
        dependencies=[(f"p{rng.randrange(20, size)}", f"p{rng.randrange(2, 20)}") for _n in range(4)],
        exclusions=[(f"p{rng.randrange(2, size)}", f"p{rng.randrange(2, size)}") for _n in range(3)],
        axis_max={"1": size // 4},
    )


def test_reduced_cost_fixing_never_changes_the_optimum():
    fixed = 0
    for seed in range(12):
        problem = _random_problem(seed)
        plain, fixing = solve(problem, fixing=False), solve(problem, fixing=True)
        assert plain.proven and fixing.proven, seed
        assert round(fixing.objective, 2) == round(plain.objective, 2), seed
        assert "p0" in fixing.selected and "p1" not in fixing.selected, seed
        fixed += fixing.fixed
    # The proof step did fix columns (else this test would compare two plain solves).
    assert fixed > 0


def test_fixing_leaves_only_the_fractional_proposal_to_search():
    # Budget 100 €: the LP relaxation takes A (7 points, 40 €) and B (5 points, 50 €) whole and a ninth of
    # C (1 point, 90 €), bound 12.11; A and B rounded down score 12. A's and B's reduced costs (6.56 and
    # 4.44 points) exceed that 0.11 gap, so they are fixed; only C is left to the search.
    problem = Problem(
        [candidate("A", 7, 40), candidate("B", 5, 50), candidate("C", 1, 90)], allocations={("ERDF", 2024): 100}
    )
    result = solve(problem)
    assert result.proven and sorted(result.selected) == ["A", "B"] and result.fixed == 2


def test_a_wider_core_started_from_a_poor_one_keeps_the_optimum(monkeypatch):
    # Shrunk so that these small instances take the path the benchmark's hard instances take: a core
    # of two columns leaves most of the problem free, so a core of half the columns is solved from it.
    from municipia.portfolio import optimiser

    monkeypatch.setattr(optimiser, "CORE_COLUMNS", 2)
    monkeypatch.setattr(optimiser, "CORE_REDUCED_COST", 0)
    monkeypatch.setattr(optimiser, "WIDE_CORE_TRIGGER", 0.0)
    monkeypatch.setattr(optimiser, "WIDE_CORE_SHARE", 0.5)
    widened = []
    solve_core = optimiser._solve_core

    def spy(*args, **kwargs):
        if kwargs.get("start") is not None:
            widened.append(kwargs["columns"])
        return solve_core(*args, **kwargs)

    monkeypatch.setattr(optimiser, "_solve_core", spy)
    for seed in range(8):
        problem = _random_problem(seed)
        plain, fixing = solve(problem, fixing=False), solve(problem, fixing=True)
        assert plain.proven and fixing.proven, seed
        assert round(fixing.objective, 2) == round(plain.objective, 2), seed
    assert widened and all(columns > 2 for columns in widened)
