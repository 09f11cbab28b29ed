"""Which files are product code, what app each belongs to, and their parsed syntax trees."""

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "municipia"
LEFT_OUT_DIRS = {"tests", "migrations"}
DEMO_MODULES = {"demo.py", "sofia_demo.py"}


def product_files(root: Path = ROOT) -> list[Path]:
    """Every Python file of municipia/ except tests/ and migrations/ directories, in a stable order."""
    return sorted(
        path for path in (root / PACKAGE).rglob("*.py") if not LEFT_OUT_DIRS & set(path.relative_to(root).parts[:-1])
    )


def relative(path: Path, root: Path = ROOT) -> str:
    """The path as printed in the report: relative to the repository root."""
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def module_name(path: Path, root: Path = ROOT) -> str:
    """The dotted module name of a file under the repository root (`municipia.strategy.views`)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_of_module(module: str) -> str | None:
    """The app a dotted name points into (`municipia.strategy.views` → `strategy`); None outside municipia."""
    parts = module.split(".")
    return parts[1] if len(parts) >= 2 and parts[0] == PACKAGE else None


def app_of_file(path: Path, root: Path = ROOT) -> str | None:
    """The app directory a file lives in (`municipia/strategy/views.py` → `strategy`); None for project modules."""
    parts = path.relative_to(root / PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


@cache
def syntax_tree(path: Path) -> ast.Module:
    """The parsed file, read once per run whichever measure asks first."""
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
