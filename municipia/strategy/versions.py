"""Comparison of two plan snapshots: what was added, removed or changed since an approval."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    section: str  # "plan", "axes", "challenges", "objectives" or "actions"
    key: str  # the element's code ("" for the plan itself)
    kind: str  # "added", "removed" or "changed"
    field: str = ""
    before: object = None
    after: object = None


def diff_snapshots(old: dict, new: dict) -> list[Change]:
    """Every difference between two `plan_snapshot` results, in a stable order."""
    changes: list[Change] = []
    for field_name in sorted(set(old.get("plan", {})) | set(new.get("plan", {}))):
        before, after = old.get("plan", {}).get(field_name), new.get("plan", {}).get(field_name)
        if before != after:
            changes.append(Change("plan", "", "changed", field_name, before, after))
    for section in ("axes", "challenges", "objectives", "actions"):
        before_items, after_items = old.get(section, {}), new.get(section, {})
        for key in sorted(set(before_items) | set(after_items), key=_natural_key):
            if key not in after_items:
                changes.append(Change(section, key, "removed", before=before_items[key]))
            elif key not in before_items:
                changes.append(Change(section, key, "added", after=after_items[key]))
            else:
                for field_name in sorted(set(before_items[key]) | set(after_items[key])):
                    before = before_items[key].get(field_name)
                    after = after_items[key].get(field_name)
                    if before != after:
                        changes.append(Change(section, key, "changed", field_name, before, after))
    return changes


def _natural_key(code: str) -> list:
    """Sorts 2.10 after 2.9."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.replace("/", ".").split(".")]
