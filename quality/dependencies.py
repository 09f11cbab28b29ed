"""Checks how apps depend on each other: imports against the layering, and queries on other apps' models."""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from quality.sources import DEMO_MODULES, PACKAGE, ROOT, app_of_file, app_of_module, module_name, relative

# An app may import from its own layer and the layers below it, never from a layer above.
LAYERS = {
    "core": 0,
    "organizations": 1,
    "strategy": 2,
    **dict.fromkeys(["governance", "indicators", "alignment", "diagnosis", "reports", "portfolio", "partnerships"], 3),
    "portal": 4,
    "api": 4,
}
MANAGERS = {"objects", "history", "_default_manager"}
# The API's base classes (viewsets, serializers, permissions, pagination, errors) import only core
# and are shared by every app's api.py, like core; only the router (`municipia.api.urls`) and the
# API's own views sit on top of the apps.
API_TOP_MODULES = ("municipia.api.urls", "municipia.api.views")


def layer_of_module(app: str, module: str) -> int:
    if app == "api" and not any(module == top or module.startswith(f"{top}.") for top in API_TOP_MODULES):
        return LAYERS["core"]
    return LAYERS[app]


@dataclass(frozen=True)
class UpwardImport:
    """An import statement by which an app reaches into an app of a higher layer."""

    path: str
    line: int
    app: str
    imported_app: str
    module: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line} {self.app}({LAYERS[self.app]}) → "
            f"{self.imported_app}({LAYERS[self.imported_app]}): {self.module}"
        )


def resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The absolute dotted name a `from … import` statement in `module` reads from."""
    if not node.level:
        return node.module or ""
    package = module.split(".")[: None if is_package else -1]
    package = package[: len(package) - node.level + 1]
    return ".".join([*package, *([node.module] if node.module else [])])


def imported_modules(node: ast.Import | ast.ImportFrom, module: str, is_package: bool = False) -> list[str]:
    """The absolute dotted names an import statement in `module` brings in (`from municipia import x` → …x)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = resolve(node, module, is_package)
    return [f"{base}.{alias.name}" for alias in node.names] if base == PACKAGE else [base]


def _imports(path: Path, tree: ast.Module, root: Path) -> Iterator[tuple[ast.Import | ast.ImportFrom, list[str]]]:
    module = module_name(path, root)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, imported_modules(node, module, path.name == "__init__.py")


def upward_imports(trees: dict[Path, ast.Module], root: Path = ROOT) -> list[UpwardImport]:
    """Import statements (at any depth, inside functions too) from a lower layer into a higher one."""
    found = []
    for path, tree in trees.items():
        app = app_of_file(path, root)
        if app not in LAYERS:
            continue
        for node, modules in _imports(path, tree, root):
            targets = [(app_of_module(m), m) for m in modules]
            above = [
                (layer_of_module(t, m), t, m) for t, m in targets if t in LAYERS and layer_of_module(t, m) > LAYERS[app]
            ]
            if above:
                _layer, imported_app, imported = max(above)
                found.append(UpwardImport(relative(path, root), node.lineno, app, imported_app, imported))
    return sorted(found, key=lambda u: (u.path, u.line))


def cross_app_queries(trees: dict[Path, ast.Module], root: Path = ROOT) -> dict[str, int]:
    """Per file, how often an app queries (`.objects`, `.history`, `._default_manager`) another app's model."""
    counts: dict[str, int] = {}
    for path, tree in trees.items():
        app = app_of_file(path, root)
        if app is None or path.name in DEMO_MODULES:
            continue
        models: set[str] = set()  # names bound to another app's model classes
        modules: set[str] = set()  # names bound to another app's models module
        for node, imported in _imports(path, tree, root):
            if all(app_of_module(name) in {None, app} for name in imported):
                continue
            if isinstance(node, ast.Import):
                modules.update(a.asname for a in node.names if a.asname and a.name.endswith(".models"))
            elif imported[0].endswith(".models"):
                models.update(alias.asname or alias.name for alias in node.names)
            else:
                modules.update(alias.asname or alias.name for alias in node.names if alias.name == "models")
        uses = sum(
            1
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in MANAGERS and _is_model(node.value, models, modules)
        )
        if uses:
            counts[relative(path, root)] = uses
    return counts


def _is_model(node: ast.expr, models: set[str], modules: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in models
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
