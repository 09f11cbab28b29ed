"""The coverage as CSV rows (header first); core.exports writes them, neutralising formula-like cells."""

from collections.abc import Iterator

from django.utils.translation import gettext as _


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
