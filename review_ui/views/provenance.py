"""Where each proposed value was read: flatten the proposed order's provenance into boxes to outline."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

HEADER_FIELDS = ("customer_id", "po_number", "order_date", "requested_delivery_date", "ship_to_id", "currency",
                 "order_total")
LINE_FIELDS = ("sku", "customer_sku", "description", "qty", "uom", "unit_price", "line_total")


@dataclass(frozen=True)
class Mark:
    """One outlined source: `field` is the form field it belongs to (header.x or line.N.x)."""

    field: str
    part: str
    page: int | None
    bbox: tuple[float, float, float, float] | None
    line: int | None
    column: int | None


def _as_mark(field: str, prov: Any) -> Mark | None:
    if not isinstance(prov, dict) or not prov.get("part"):
        return None
    bbox = prov.get("bbox")
    if bbox is not None:
        try:
            bbox = tuple(float(v) for v in bbox)[:4]
        except (TypeError, ValueError):
            bbox = None
        if bbox is not None and len(bbox) != 4:
            bbox = None
    page, line, column = prov.get("page"), prov.get("line"), prov.get("column")
    return Mark(field, str(prov["part"]), page if isinstance(page, int) else None, bbox,
                line if isinstance(line, int) else None, column if isinstance(column, int) else None)


# Extractor field names -> the review form's header fields.
HEADER_ALIASES = {"buyer.customer_number": "customer_id", "customer_number": "customer_id", "buyer": "customer_id",
                  "ship_to": "ship_to_id", "ship_to.name": "ship_to_id", "ship_to.street": "ship_to_id"}


def _provenance_maps(order: dict, extracted: dict | None) -> Iterable[dict]:
    # The proposed order may carry provenance itself, or the extractor's order comes beside it.
    yield order.get("provenance") or {}
    for source in (order.get("extracted"), extracted):
        if isinstance(source, dict):
            yield source.get("provenance") or {}


def collect_marks(proposed: dict | None, extracted: dict | None = None) -> list[Mark]:
    """Every outlined source for the header fields and lines of a proposed order."""
    if not isinstance(proposed, dict):
        return []
    marks: list[Mark] = []
    seen: set[str] = set()
    for prov_map in _provenance_maps(proposed, extracted):
        if not isinstance(prov_map, dict):
            continue
        for name, prov in prov_map.items():
            key = f"header.{HEADER_ALIASES.get(name, name)}"
            mark = _as_mark(key, prov)
            if mark and key not in seen:
                seen.add(key)
                marks.append(mark)
    line_lists = [proposed.get("lines") or []]
    for source in (proposed.get("extracted"), extracted):
        if isinstance(source, dict):
            line_lists.append(source.get("lines") or [])
    for lines in line_lists:
        for index, line in enumerate(lines):
            if not isinstance(line, dict):
                continue
            for name, prov in (line.get("provenance") or {}).items():
                key = f"line.{index}.{name}"
                mark = _as_mark(key, prov)
                if mark and key not in seen:
                    seen.add(key)
                    marks.append(mark)
    return marks


def line_box(marks: list[Mark], index: int, part: str, page: int) -> tuple[float, float, float, float] | None:
    """The union of a line's boxes on one page (outlines the whole line)."""
    boxes = [m.bbox for m in marks if m.field.startswith(f"line.{index}.") and m.part == part and m.page == page and m.bbox]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
