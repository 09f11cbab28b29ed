"""The optimiser at the issue's scale (issue 12): 5,000 proposals × 5 sources × 6 years.

    .venv/bin/python benchmarks/portfolio.py [--proposals 5000] [--runs 3] [--seed N]

Builds a problem the way `portfolio.problem.problem_from_plan` would for a large network (no
database: the optimiser's own data classes), with dependencies, exclusions and minimum and
maximum per axis, and reports the time HiGHS takes to a proven optimum (gap 0), the objective,
and beside it the greedy score-per-euro heuristic's objective and how far below the optimum it is.
It prints a report and one JSON line.
"""

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

SOURCES = {"ERDF": 0.8, "NGEU-C11": 1.0, "NGEU-C15": 1.0, "REGIONAL": 0.5, "DIGITAL-EU": 0.6}
YEARS = list(range(2024, 2030))
AXES = ["1", "2", "3", "4"]
COUNCILS = 43


def build(n: int, seed: int):
    from municipia.portfolio.optimiser import Candidate, Problem

    rng = random.Random(seed)
    candidates = []
    demand: dict[tuple[str, int], float] = {}
    own_demand: dict[int, float] = {}
    for i in range(n):
        source = rng.choice(list(SOURCES))
        start = rng.choice(YEARS)
        years = [y for y in range(start, start + rng.randint(1, 3)) if y in YEARS]
        total = rng.lognormvariate(11.5, 0.8)  # median about 100,000 €
        costs = {}
        for year in years:
            amount = round(total / len(years), 2)
            share = round(amount * SOURCES[source], 2)
            costs[(source, year)] = (share, round(amount - share, 2))
            demand[(source, year)] = demand.get((source, year), 0) + share
            own_demand[year] = own_demand.get(year, 0) + amount - share
        candidates.append(
            Candidate(
                key=f"p{i}",
                title=f"Proposal {i}",
                score=round(rng.uniform(2, 10), 2),
                axis=rng.choice(AXES),
                councils=(f"council-{rng.randrange(COUNCILS)}",),
                costs=costs,
            )
        )
    keys = [c.key for c in candidates]
    dependencies = set()
    while len(dependencies) < n // 10:
        a, b = rng.sample(range(n), 2)
        dependencies.add((keys[max(a, b)], keys[min(a, b)]))  # later needs earlier: no cycles
    exclusions = set()
    while len(exclusions) < n // 20:
        a, b = rng.sample(range(n), 2)
        if (keys[a], keys[b]) not in dependencies and (keys[b], keys[a]) not in dependencies:
            exclusions.add((keys[a], keys[b]))
    problem = Problem(
        candidates=candidates,
        allocations={row: round(value * 0.35, 2) for row, value in demand.items()},
        own_budget={year: round(value * 0.4, 2) for year, value in own_demand.items()},
        dependencies=sorted(dependencies),
        exclusions=sorted(exclusions),
        axis_min=dict.fromkeys(AXES, n // 40),
        axis_max=dict.fromkeys(AXES, n // 10),
    )
    return problem


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20230530)
    args = parser.parse_args()
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)
    from municipia.portfolio.optimiser import solve

    rows = []
    for run in range(args.runs):
        problem = build(args.proposals, args.seed + run)
        started = time.perf_counter()
        result = solve(problem, time_limit=120)
        seconds = time.perf_counter() - started
        below = (result.objective - result.greedy_objective) / result.objective * 100 if result.objective else 0
        rows.append(
            {
                "seed": args.seed + run,
                "status": result.status,
                "proven": result.proven,
                "gap": result.gap,
                "seconds": round(seconds, 3),
                "objective": round(result.objective, 2),
                "selected": len(result.selected),
                "greedy_objective": round(result.greedy_objective, 2),
                "greedy_below_percent": round(below, 2),
                "binding": len(result.binding),
            }
        )
        print(
            f"seed {args.seed + run}: {result.status}, proven={result.proven} (gap {result.gap}), "
            f"{seconds:.2f} s (incl. greedy and LP duals); objective {result.objective:.2f} with "
            f"{len(result.selected)} chosen; greedy {result.greedy_objective:.2f} ({below:.2f} % below)"
        )
    times = [row["seconds"] for row in rows]
    print(
        f"{args.proposals} proposals × {len(SOURCES)} sources × {len(YEARS)} years: "
        f"median {statistics.median(times):.2f} s, max {max(times):.2f} s over {len(rows)} problems"
    )
    print(json.dumps({"benchmark": "portfolio-optimiser", "proposals": args.proposals, "runs": rows}))


if __name__ == "__main__":
    main()
