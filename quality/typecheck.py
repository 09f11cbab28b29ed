"""Runs mypy over municipia and measures how many parameters of services and selectors are annotated."""

import ast
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from quality.sources import PACKAGE, ROOT, syntax_tree

TYPED_MODULES = {"services.py", "selectors.py"}
UNANNOTATED_NAMES = {"self", "cls"}


@dataclass(frozen=True)
class MypyResult:
    """mypy's verdict: the number of errors (None when it did not finish) and its last line."""

    errors: int | None
    summary: str


def run_mypy(root: Path = ROOT) -> MypyResult:
    """mypy over the package with the configuration in pyproject.toml."""
    done = subprocess.run(  # noqa: S603 — a fixed command line
        [sys.executable, "-m", "mypy", PACKAGE], cwd=root, capture_output=True, text=True, check=False
    )
    lines = (done.stdout + done.stderr).strip().splitlines()
    summary = lines[-1] if lines else f"mypy exited with {done.returncode} and printed nothing"
    if summary.startswith("Success:"):
        return MypyResult(0, summary)
    found = re.match(r"Found (\d+) errors?", summary)
    return MypyResult(int(found.group(1)) if found else None, summary)


def not_type_clean(root: Path = ROOT) -> list[str]:
    """Modules whose errors pyproject.toml tells mypy to ignore for now."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    overrides = config.get("tool", {}).get("mypy", {}).get("overrides", [])
    modules = [
        module
        for override in overrides
        if override.get("ignore_errors")
        for module in ([override["module"]] if isinstance(override["module"], str) else override["module"])
    ]
    return sorted(modules)


def annotated_parameters(tree: ast.Module) -> tuple[int, int]:
    """(annotated, all) parameters of the functions in a module, `self` and `cls` left out."""
    annotated = total = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            for arg in [*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg]:
                if arg is not None and arg.arg not in UNANNOTATED_NAMES:
                    total += 1
                    annotated += arg.annotation is not None
    return annotated, total


def annotation_share(paths: Iterable[Path]) -> tuple[int, int]:
    """(annotated, all) parameters over the services.py and selectors.py modules among `paths`."""
    counts = [annotated_parameters(syntax_tree(path)) for path in paths if path.name in TYPED_MODULES]
    return sum(a for a, _ in counts), sum(t for _, t in counts)
