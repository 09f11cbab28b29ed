"""The coverage as CSV rows, with cells that spreadsheets would run as formulas neutralised."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(row: list) -> list[str]:
    return [safe_cell(value) for value in row]


def coverage_rows(coverage) -> Iterator[list]:
    """One long table: section, row, code, label, actions, budget, share or served."""
    yield [_("section"), _("row"), _("code"), _("label"), _("actions"), _("budget (€)"), _("share or served")]
    for row in coverage.rows:
        for total, cell in zip(coverage.goals, row.cells, strict=True):
            if cell.actions:
                yield [
                    _("SDG by row"),
                    row.label,
                    f"SDG {total.goal.code}",
                    total.goal.short_title or total.goal.title,
                    cell.actions,
                    cell.budget,
                    "",
                ]
    for total in coverage.goals:
        yield [
            _("SDG"),
            "",
            f"SDG {total.goal.code}",
            total.goal.short_title or total.goal.title,
            total.actions,
            total.budget,
            "",
        ]
    for total in coverage.goals:
        for target in total.served_targets:
            yield [_("SDG target"), "", target.code, target.title, "", "", _("served")]
        for target in total.unserved_targets:
            yield [_("SDG target"), "", target.code, target.title, "", "", _("not served")]
    for pillar in coverage.pillars:
        share = "" if pillar.share is None else f"{pillar.share:.1f} %"
        yield [_("PRTR pillar"), "", pillar.item.code, pillar.item.title, pillar.actions, pillar.budget, share]
    for principle in coverage.principles:
        yield [_("Digital rights"), "", principle.item.code, principle.item.title, principle.elements, "", ""]
