"""How sure are we of the order as a whole? Field confidences and match scores in one figure.

The weakest link decides: an order is only as certain as its least certain field that matters
(PO number, customer, each line's article, quantity and unit).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

HEADER_FIELDS = ("po_number",)
LINE_FIELDS = ("qty",)


def _adds_up(line: dict) -> bool:
    try:
        qty, price, total = (Decimal(str(line[k])) for k in ("qty", "unit_price", "line_total"))
    except (KeyError, TypeError, InvalidOperation):
        return False
    return qty > 0 and total > 0 and abs(qty * price - total) <= max(Decimal("0.01"), total * Decimal("0.0005"))


def assess(extracted: dict, match: dict) -> dict:
    """{"overall": float, "fields": {name: score}, "weakest": [names]} for one matched order."""
    fields: dict[str, float] = {}
    conf = extracted.get("confidence") or {}
    for name in HEADER_FIELDS:
        if name in conf:
            fields[name] = float(conf[name])
    customer = (match.get("customer") or {}).get("score")
    if customer is not None:
        fields["customer"] = float(customer)
    ship = match.get("ship_to") or {}
    if (match.get("customer") or {}).get("value") and ship:
        # A known customer's delivery address we could not place is a guess, however sure the rest is.
        fields["ship_to"] = float(ship.get("score") or 0) if ship.get("value") else min(float(ship.get("score") or 0), 0.3)
    for i, (line, record) in enumerate(zip(extracted.get("lines") or [], match.get("lines") or [])):
        label = f"line {line.get('line_no') or i + 1}"
        fields[f"{label}.article"] = float(record["article"]["score"])
        if record.get("unit"):
            fields[f"{label}.unit"] = float(record["unit"]["score"])
        line_conf = dict(line.get("confidence") or {})
        if _adds_up(line):
            # qty × unit price = line total as printed: three numbers confirm each other.
            line_conf = {k: max(float(v), 0.95) for k, v in line_conf.items()}
        for name in LINE_FIELDS:
            if name in line_conf:
                fields[f"{label}.{name}"] = float(line_conf[name])
    for name in match.get("confirmed") or []:
        if name in fields:
            fields[name] = max(fields[name], 0.99)
    for name in match.get("missed") or []:
        if name != "order_total_differs":  # a reconciliation failure, reported by validate
            fields[f"{name} (printed, not read)"] = 0.3
    for name in match.get("uncertain") or []:
        fields[name] = min(fields.get(name, 1.0), 0.5)
    overall = min(fields.values()) if fields else 0.0
    weakest = sorted(fields, key=fields.get)[:3]
    return {"overall": round(overall, 4), "fields": {k: round(v, 4) for k, v in fields.items()}, "weakest": weakest}


def low_fields(assessment: dict, min_field_confidence: float, min_match_score: float) -> list[str]:
    """Names of the fields below their threshold (match scores vs min_match_score, others vs fields)."""
    low = []
    for name, score in assessment["fields"].items():
        is_match = name in ("customer", "ship_to") or name.endswith(".article") or name.endswith(".unit")
        if score < (min_match_score if is_match else min_field_confidence):
            low.append(name)
    return low
