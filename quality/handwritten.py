"""Counts create/edit/delete code written by hand per model: page views, API hooks and admin overrides."""

import ast
from dataclasses import dataclass
from pathlib import Path

from quality.sources import PACKAGE, ROOT, relative, syntax_tree

EDIT_VIEW_SUFFIXES = ("CreateView", "UpdateView", "DeleteView")
EDIT_VIEW_BASES = {"ServiceFormView", "ServiceDeleteView", "EditorView"}
API_HOOKS = {"create_object", "update_object", "delete_object", "parent_of"}
ADMIN_HOOKS = {"create", "update"}


@dataclass(frozen=True)
class Found:
    """One hand-written piece: where it is and what it is called."""

    path: str
    line: int
    name: str


def _base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def edit_views(tree: ast.Module, path: str) -> list[Found]:
    """Page view classes named *CreateView/*UpdateView/*DeleteView or built directly on the editor views.

    The editor views themselves (EditorView, ServiceFormView, ServiceDeleteView) are the shared
    machinery, not a per-model page, and are not counted.
    """
    return [
        Found(path, node.lineno, node.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and node.name not in EDIT_VIEW_BASES
        and (node.name.endswith(EDIT_VIEW_SUFFIXES) or EDIT_VIEW_BASES & {_base_name(b) for b in node.bases})
    ]


def methods_named(tree: ast.Module, path: str, names: set[str]) -> list[Found]:
    """Methods (functions defined directly in a class body) with one of the given names."""
    return [
        Found(path, item.lineno, f"{cls.name}.{item.name}")
        for cls in ast.walk(tree)
        if isinstance(cls, ast.ClassDef)
        for item in cls.body
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name in names
    ]


def _files(root: Path, *patterns: str) -> list[Path]:
    found = {path for pattern in patterns for path in (root / PACKAGE).glob(pattern)}
    return sorted(path for path in found if path.parent.name != "tests")


def count(root: Path = ROOT) -> dict[str, list[Found]]:
    """The hand-written pieces by kind: page views, API hooks, admin overrides."""
    views = _files(root, "*/views*.py", "*/*_views.py")
    apis = _files(root, "*/api.py")
    admins = _files(root, "*/admin.py")
    return {
        "page views": [f for p in views for f in edit_views(syntax_tree(p), relative(p, root))],
        "API hooks": [f for p in apis for f in methods_named(syntax_tree(p), relative(p, root), API_HOOKS)],
        "admin create/update": [
            f for p in admins for f in methods_named(syntax_tree(p), relative(p, root), ADMIN_HOOKS)
        ],
    }
