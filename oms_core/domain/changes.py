"""Change orders, pure: what differs between an order's lines and the customer's new lines."""
from __future__ import annotations

from dataclasses import dataclass

from oms_core.domain.model import OrderLine
from oms_core.domain.statuses import LineStatus

COMPARED = ("sku", "qty", "uom", "qty_base", "unit_price", "line_total", "customer_sku")


@dataclass(frozen=True)
class LineDiff:
    added: tuple[int, ...]
    removed: tuple[int, ...]
    changed: tuple[dict, ...]  # {"line_no", "field", "old", "new"}, one per changed field
    unchanged: tuple[int, ...]

    @property
    def changed_line_nos(self) -> tuple[int, ...]:
        return tuple(sorted({c["line_no"] for c in self.changed}))

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def diff_lines(old: list[OrderLine], new: list[OrderLine]) -> LineDiff:
    """Compare by line number; cancelled old lines count as absent."""
    before = {line.line_no: line for line in old if line.status != LineStatus.CANCELLED}
    after = {line.line_no: line for line in new}
    changed = []
    for no in sorted(before.keys() & after.keys()):
        for field in COMPARED:
            if getattr(before[no], field) != getattr(after[no], field):
                changed.append({"line_no": no, "field": field, "old": getattr(before[no], field),
                                "new": getattr(after[no], field)})
    changed_nos = {c["line_no"] for c in changed}
    return LineDiff(
        added=tuple(sorted(after.keys() - before.keys())),
        removed=tuple(sorted(before.keys() - after.keys())),
        changed=tuple(changed),
        unchanged=tuple(sorted((before.keys() & after.keys()) - changed_nos)))
