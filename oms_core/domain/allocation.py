"""Warehouse routing, pure: which warehouse reserves how much of each line.

Order of preference (DESIGN): one complete shipment from a single warehouse (the nearest such);
else the nearest warehouse ships all it can; the rest goes to the warehouses that cover most of
what is still missing (fewest splits), nearest first on ties. What nobody has is backordered.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Sequence

ZERO = Decimal("0")


@dataclass(frozen=True)
class Need:
    """Base units of one SKU that one order line still needs (kits are split into components)."""

    line_no: int
    sku: str
    qty: Decimal


@dataclass(frozen=True)
class Allocation:
    line_no: int
    sku: str
    warehouse_id: str
    qty: Decimal


@dataclass(frozen=True)
class Plan:
    allocations: tuple[Allocation, ...]
    shortages: tuple[Need, ...]  # what could not be reserved (backorders)

    @property
    def split_count(self) -> int:
        return len({a.warehouse_id for a in self.allocations})


def plan_allocation(needs: Sequence[Need], atp: Mapping[tuple[str, str], Decimal],
                    warehouse_order: Sequence[str]) -> Plan:
    """Plan reservations for `needs` given ATP per (warehouse_id, sku), nearest warehouse first."""
    needs = [n for n in needs if n.qty > 0]
    avail = {key: max(qty, ZERO) for key, qty in atp.items()}
    totals: dict[str, Decimal] = {}
    for need in needs:
        totals[need.sku] = totals.get(need.sku, ZERO) + need.qty
    complete = [w for w in warehouse_order if all(avail.get((w, s), ZERO) >= q for s, q in totals.items())]
    if complete:
        return Plan(tuple(Allocation(n.line_no, n.sku, complete[0], n.qty) for n in needs), ())
    remaining = {i: n.qty for i, n in enumerate(needs)}
    allocations: list[Allocation] = []
    candidates = list(warehouse_order)
    first = True
    while candidates and any(remaining.values()):
        warehouse = candidates[0] if first else _best_cover(candidates, needs, remaining, avail)
        first = False
        candidates.remove(warehouse)
        for i, need in enumerate(needs):
            take = min(remaining[i], avail.get((warehouse, need.sku), ZERO))
            if take > 0:
                allocations.append(Allocation(need.line_no, need.sku, warehouse, take))
                remaining[i] -= take
                avail[(warehouse, need.sku)] -= take
    shortages = tuple(Need(n.line_no, n.sku, remaining[i]) for i, n in enumerate(needs) if remaining[i] > 0)
    return Plan(tuple(allocations), shortages)


def _best_cover(candidates, needs, remaining, avail) -> str:
    """The candidate covering most missing units; `candidates` is nearest-first so ties go near."""
    def cover(warehouse: str) -> Decimal:
        return sum((min(remaining[i], avail.get((warehouse, n.sku), ZERO)) for i, n in enumerate(needs)), ZERO)
    return max(candidates, key=lambda w: (cover(w), -candidates.index(w)))


def kit_units(component_reserved: Mapping[str, Decimal], components: Mapping[str, Decimal]) -> Decimal:
    """How many whole kits the reserved components make up (the scarcest component decides)."""
    if not components:
        return ZERO
    return min((component_reserved.get(sku, ZERO) / per_kit for sku, per_kit in components.items()), default=ZERO)
