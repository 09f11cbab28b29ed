"""The code-quality scanners behind `make quality`, on small samples (no database)."""

import ast
import textwrap
from pathlib import Path

from quality import complexity, dependencies, duplicates, handwritten, typecheck
from quality.sources import product_files, syntax_tree

SIX_LINES = """
def {name}(items, limit):
    total = 0
    for item in items:
        if item.{field} > limit:
            total += item.{field}
    return total
"""

FIVE_LINES = """
def {name}(items, limit):
    total = 0
    for item in items:
        total += item.{field}
    return total
"""


def _pairs(**sources: str) -> list[duplicates.Pair]:
    return duplicates.find_pairs({name: textwrap.dedent(text) for name, text in sources.items()})


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_same_six_line_logic_under_other_names_is_one_pair():
    pairs = _pairs(
        a=SIX_LINES.format(name="spent", field="amount"),
        b=SIX_LINES.format(name="late", field="days"),
    )

    assert [(p.first, p.first_line, p.second, p.second_line, p.length) for p in pairs] == [("a", 2, "b", 2, 6)]


def test_five_alike_lines_are_not_a_pair():
    assert _pairs(a=FIVE_LINES.format(name="x", field="y"), b=FIVE_LINES.format(name="z", field="w")) == []


def test_comments_docstrings_and_blank_lines_do_not_hide_a_copy():
    commented = SIX_LINES.format(name="late", field="days").replace(
        "    total = 0\n", '    """Sums the late days."""\n\n    total = 0  # start empty\n    # then add\n'
    )

    assert len(_pairs(a=SIX_LINES.format(name="spent", field="amount"), b=commented)) == 1


def test_longer_copy_is_one_pair_spanning_all_its_lines():
    body = SIX_LINES.format(name="spent", field="amount") + "    print(total)\n    return limit\n"
    body = body.replace("    return total\n", "    total -= limit\n", 1)

    pairs = _pairs(a=body, b=body.replace("spent", "late"))

    assert [p.length for p in pairs] == [8]


def test_copy_within_one_file_is_a_pair():
    text = SIX_LINES.format(name="spent", field="amount") + SIX_LINES.format(name="late", field="days")

    assert [(p.first, p.first_line, p.second, p.second_line) for p in _pairs(a=text)] == [("a", 2, "a", 9)]


def test_imports_and_declarations_are_not_copied_logic():
    imports = "".join(f"from app.m{i} import thing{i}\n" for i in range(8))
    fields = "class Plan(models.Model):\n" + "".join(
        f"    f{i} = models.CharField(_('f{i}'), max_length={i})\n" for i in range(8)
    )

    assert _pairs(a=imports + fields, b=imports.replace("app", "other") + fields.replace("Plan", "Axis")) == []


def test_other_nesting_is_other_logic():
    nested = SIX_LINES.format(name="late", field="days").replace("    return total", "        return total")

    assert _pairs(a=SIX_LINES.format(name="spent", field="amount"), b=nested) == []


def test_hand_written_views_api_hooks_and_admin_overrides_are_counted(tmp_path):
    _write(
        tmp_path / "municipia",
        {
            "core/views.py": "class EditorView: pass\nclass ServiceFormView(EditorView): pass\n",
            "strategy/views.py": """
                class PlanCreateView(View): pass
                class PlanStatusView(core.ServiceFormView): pass
                class PlanDetailView(View): pass
            """,
            "strategy/report_views.py": "class ReportDeleteView(View): pass\n",
            "strategy/api.py": """
                class PlanViewSet:
                    def create_object(self, data): ...
                    def parent_of(self, plan): ...
                    def list(self, request): ...
                def update_object(): ...
            """,
            "strategy/admin.py": "class PlanAdmin:\n    def create(self): ...\n    def save_model(self): ...\n",
            "strategy/tests/views.py": "class TestCreateView: pass\n",
        },
    )

    counted = {kind: sorted(f.name for f in found) for kind, found in handwritten.count(tmp_path).items()}

    assert counted == {
        "page views": ["PlanCreateView", "PlanStatusView", "ReportDeleteView"],
        "API hooks": ["PlanViewSet.create_object", "PlanViewSet.parent_of"],
        "admin create/update": ["PlanAdmin.create"],
    }


def test_lower_app_importing_upper_app_is_reported_even_inside_a_function(tmp_path):
    _write(
        tmp_path / "municipia",
        {
            "strategy/views.py": """
                from municipia.core.models import Base
                from municipia.organizations import selectors
                from . import models

                def page():
                    from municipia.governance.selectors import meetings
            """,
            "governance/views.py": (
                "from municipia.strategy.models import Plan\n"
                "from municipia.api.urls import router\n"
                "from municipia.api.viewsets import EntityViewSet\n"
            ),
        },
    )
    trees = {path: ast.parse(path.read_text()) for path in (tmp_path / "municipia").rglob("*.py")}

    found = dependencies.upward_imports(trees, tmp_path)

    assert [(u.path, u.line, u.imported_app) for u in found] == [
        ("municipia/governance/views.py", 2, "api"),
        ("municipia/strategy/views.py", 7, "governance"),
    ]


def test_queries_on_another_apps_models_are_counted_per_file(tmp_path):
    _write(
        tmp_path / "municipia",
        {
            "governance/selectors.py": """
                from municipia.strategy.models import Plan as P, Action
                from municipia.strategy import models as strategy_models
                from municipia.governance.models import Body

                def rows():
                    return P.objects.all(), Action.history.all(), strategy_models.Axis._default_manager, Body.objects
            """,
            "governance/demo.py": "from municipia.strategy.models import Plan\nPlan.objects.create()\n",
        },
    )
    trees = {path: ast.parse(path.read_text()) for path in (tmp_path / "municipia").rglob("*.py")}

    assert dependencies.cross_app_queries(trees, tmp_path) == {"municipia/governance/selectors.py": 3}


def test_the_product_reads_other_apps_models_only_through_their_selectors_and_entities():
    trees = {path: syntax_tree(path) for path in product_files()}

    assert dependencies.cross_app_queries(trees) == {}
    assert dependencies.upward_imports(trees) == []


def test_annotated_parameters_leave_out_self_and_cls():
    tree = ast.parse("class A:\n    def f(self, a: int, b, *args: str, c: int = 1, **kw): ...\n")

    assert typecheck.annotated_parameters(tree) == (3, 5)


def test_not_type_clean_modules_come_from_the_mypy_overrides(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.mypy.overrides]]\nmodule = ["b.x", "a.y"]\nignore_errors = true\n'
        '[[tool.mypy.overrides]]\nmodule = "c"\nignore_missing_imports = true\n'
    )

    assert typecheck.not_type_clean(tmp_path) == ["a.y", "b.x"]


def test_only_functions_over_the_limit_are_listed(tmp_path):
    branches = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(5))
    path = tmp_path / "m.py"
    path.write_text(
        f"def simple(x):\n    return x\n\nclass C:\n    def branchy(self, x):\n{textwrap.indent(branches, '    ')}"
    )

    found = complexity.too_complex([path], lambda p: p.name, limit=5)

    assert [(c.path, c.name, c.complexity) for c in found] == [("m.py", "C.branchy", 6)]
