"""Prints the code-quality measures of the product code (municipia/ without tests and migrations)."""

import argparse
import sys
import textwrap
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quality import complexity, dependencies, duplicates, handwritten, typecheck
from quality.sources import product_files, relative, syntax_tree

WORST_PAIRS = 15


def _measure(name: str, value: object, target: str) -> None:
    print(f"{name}: {value} (target {target})")


def _detail(text: str, indent: int = 2) -> None:
    print(textwrap.indent(text, " " * indent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-mypy", action="store_true", help="skip the type check (the slowest measure)")
    options = parser.parse_args()
    paths = product_files()
    trees = {path: syntax_tree(path) for path in paths}
    print(f"Product code: {len(paths)} modules under municipia/ (tests/ and migrations/ left out)\n")

    pairs = duplicates.scan(paths, relative)
    _measure("duplicate pairs", len(pairs), "≤ 60")
    _detail(f"the {WORST_PAIRS} longest:")
    for pair in pairs[:WORST_PAIRS]:
        _detail(str(pair), 4)

    pieces = handwritten.count()
    _measure("hand-written create/edit/delete", sum(len(found) for found in pieces.values()), "≤ 60")
    for kind, found in pieces.items():
        _detail(f"{kind}: {len(found)}")
        for path, n in sorted(Counter(f.path for f in found).items()):
            _detail(f"{path} {n}", 4)

    complex_functions = complexity.too_complex(paths, relative)
    _measure(f"functions with complexity > {complexity.LIMIT}", len(complex_functions), "0")
    for function in complex_functions:
        _detail(str(function))

    if options.no_mypy:
        print("mypy errors: skipped (--no-mypy)")
    else:
        result = typecheck.run_mypy()
        _measure("mypy errors", "did not finish" if result.errors is None else result.errors, "0")
        _detail(result.summary)
    unchecked = typecheck.not_type_clean()
    _detail(f"not yet type-clean ({len(unchecked)} modules, errors ignored in pyproject.toml):")
    _detail(textwrap.fill(", ".join(unchecked), width=110), 4)
    annotated, total = typecheck.annotation_share(paths)
    share = f"{annotated / total:.0%} ({annotated} of {total})" if total else "no parameters"
    _measure("annotated parameters in services/selectors", share, "100%")

    upward = dependencies.upward_imports(trees)
    _measure("apps importing upper apps", len(upward), "0")
    for statement in upward:
        _detail(str(statement))

    queries = dependencies.cross_app_queries(trees)
    _measure("cross-app model queries", sum(queries.values()), "0")
    for path, n in sorted(queries.items()):
        _detail(f"{path} {n}")


if __name__ == "__main__":
    main()
