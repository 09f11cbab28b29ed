"""Issue 15's mixed traffic: addresses drawn with a fixed seed over the whole data set, and an editor.

    .venv/bin/python benchmarks/mixed.py paths [--db …] [--count 4000]   # prints a sample of the mix
    .venv/bin/python benchmarks/mixed.py editor [--db …]                 # saves an action every second

`run.py` uses both: the mix is fed to wrk by a Lua script (each request takes the next address of
a fixed list, so two runs ask for the same addresses in the same order), the bare view's round
takes random published plans the same way, and the editor runs beside the mixed rounds, saving an
action through the product's service (history, search index, cache versions: the whole write) once
a second.
"""

import argparse
import random
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from benchmarks.generate import DEFAULT_DB, configure_django  # noqa: E402

SEED = 15
LANGUAGES = ["en", "es", "ca", "bg"]
# The shares: plan pages, action pages, filtered action lists, searches, API lists, API details.
SHARES = [("plan", 30), ("action", 25), ("list", 15), ("search", 10), ("api list", 10), ("api detail", 10)]
SEARCH_WORDS = [
    "cybersecurity",
    "digital",
    "open data",
    "broadband",
    "ciberseguridad",
    "formació",
    "administración electrónica",
    "smart",
    "portal",
    "training",
    "дигитализация",
    "sensors",
]
STATUSES = ["in_progress", "planned", "completed", "delayed"]


def draw_paths(count: int, seed: int = SEED) -> tuple[list[str], list[str]]:
    """(mixed addresses, bare-view addresses over random published plans); Django must be configured."""
    from municipia.strategy.models import Action, Plan

    rng = random.Random(seed)
    plans = list(Plan.objects.filter(is_published=True).order_by("pk").values_list("pk", "slug"))
    slug_of = dict(plans)
    low, high = (
        Action.objects.filter(plan__is_published=True).order_by("pk").values_list("pk", flat=True)[:1][0],
        (Action.objects.filter(plan__is_published=True).order_by("-pk").values_list("pk", flat=True)[:1][0]),
    )
    published_actions = set(
        Action.objects.filter(
            plan__is_published=True, pk__in=[rng.randint(low, high) for _ in range(count * 2)]
        ).values_list("pk", flat=True)
    )
    actions = sorted(published_actions)
    kinds = [kind for kind, share in SHARES for _ in range(share)]
    paths = []
    for _n in range(count):
        kind, language = rng.choice(kinds), rng.choice(LANGUAGES)
        slug = slug_of[rng.choice(plans)[0]]
        if kind == "plan":
            paths.append(f"/{language}/plans/{slug}/")
        elif kind == "action":
            paths.append(f"/{language}/actions/{rng.choice(actions)}/")
        elif kind == "list":
            paths.append(f"/{language}/actions/?plan={slug}&status={rng.choice(STATUSES)}")
        elif kind == "search":
            from urllib.parse import quote

            paths.append(f"/{language}/actions/?search={quote(rng.choice(SEARCH_WORDS))}")
        elif kind == "api list":
            paths.append(f"/api/v1/actions/?plan={slug}")
        else:
            paths.append(f"/api/v1/actions/{rng.choice(actions)}/")
    bare = [f"/bench/bare/?plan={slug_of[rng.choice(plans)[0]]}" for _n in range(count)]
    return paths, bare


def lua_script(paths: list[str], done_hook: str) -> str:
    """A wrk script that walks `paths` in order (each wrk thread from its own offset), then reports."""
    listed = ",\n".join('"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"' for path in paths)
    return f"""
local paths = {{
{listed}
}}
local counter = 0
local offset = 0
local threads = 0
setup = function(thread)
  thread:set("offset", threads * 997)
  threads = threads + 1
end
init = function(args)
  counter = offset
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
{done_hook}
"""


def run_editor(db_path: Path, seconds: float | None = None, seed: int = SEED) -> None:
    """Saves one published action a second through `action_update`, as an editor would, until stopped."""
    configure_django(db_path, "benchmarks.settings")
    from django.contrib.auth import get_user_model

    from municipia.strategy import services
    from municipia.strategy.models import Action

    editor, _created = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_superuser": True, "is_staff": True}
    )
    ids = list(Action.objects.filter(plan__is_published=True).order_by("pk").values_list("pk", flat=True))
    rng = random.Random(seed)
    started, saves = time.monotonic(), 0
    while seconds is None or time.monotonic() - started < seconds:
        tick = time.monotonic()
        action = Action.objects.get(pk=rng.choice(ids))
        services.action_update(acting_user=editor, action=action, data={"progress": (action.progress + 1) % 100})
        saves += 1
        print(f"saved {saves}", flush=True)
        time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["paths", "editor"])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=None)
    args = parser.parse_args()
    if args.what == "editor":
        run_editor(args.db.resolve(), args.seconds)
        return 0
    configure_django(args.db.resolve(), "benchmarks.settings")
    paths, bare = draw_paths(args.count)
    print("\n".join(paths + bare[:3]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
