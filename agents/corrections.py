"""A reviewer's corrections: apply them to the proposal, and learn from them for next time."""
from __future__ import annotations

from agents.layout_memory import FIELDS as LAYOUT_FIELDS

HEADER_FIELDS = ("customer_id", "po_number", "order_date", "requested_delivery_date", "ship_to_id", "currency",
                 "order_total")
LINE_FIELDS = ("line_no", "sku", "customer_sku", "description", "qty", "uom", "qty_base", "unit_price", "line_total")


def _text(value) -> str | None:
    return None if value is None else str(value)


def apply_corrections(proposal: dict | None, corrections: dict | None) -> dict:
    """The proposal with the reviewer's header fields, lines and customer put in."""
    out = dict(proposal or {k: None for k in HEADER_FIELDS})
    out.setdefault("lines", [])
    corrections = corrections or {}
    for field, value in (corrections.get("header") or {}).items():
        if field in HEADER_FIELDS:
            out[field] = _text(value)
    if corrections.get("customer_id"):
        out["customer_id"] = corrections["customer_id"]
    if corrections.get("lines") is not None:
        out["lines"] = [{k: (line.get(k) if k == "line_no" else _text(line.get(k))) for k in LINE_FIELDS}
                        for line in corrections["lines"]]
    return out


def learned_cross_references(before: dict | None, after: dict, extracted: dict | None) -> list[tuple[str, str]]:
    """(customer part number, our SKU) pairs where the reviewer chose a different article.

    The customer's part number is the printed customer_sku, else the code they printed as our
    SKU when we did not know it (an old or mistyped article number).
    """
    old_lines = {line.get("line_no"): line for line in (before or {}).get("lines") or []}
    printed = {line.get("line_no"): line for line in (extracted or {}).get("lines") or []}
    pairs = []
    for line in after.get("lines") or []:
        sku = line.get("sku")
        if not sku:
            continue
        old = old_lines.get(line.get("line_no"), {})
        if old.get("sku") == sku:
            continue
        raw = printed.get(line.get("line_no"), {})
        code = line.get("customer_sku") or raw.get("customer_sku") or (
            raw.get("sku") if raw.get("sku") and raw.get("sku") != sku else None)
        if code:
            pairs.append((str(code), str(sku)))
    return pairs


def corrected_layout_fields(before: dict | None, after: dict) -> dict[str, str]:
    """Header fields the reviewer changed that layout memory can learn positions for."""
    before = before or {}
    return {f: after[f] for f in LAYOUT_FIELDS if after.get(f) and after.get(f) != before.get(f)}
