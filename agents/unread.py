"""Printed but not accounted for: label-free evidence that the extraction missed something.

`agents.missed` looks for known labels; documents in unseen layouts use labels we do not know
("Liefern bis", "Deliver on", "Orderwaarde excl. btw", a date in a cover letter). These checks
need no label: a date after the order date that no extracted field holds while no delivery date
was read, and an amount that looks like the order total but is not the sum of the lines read
while no total was read. Each returns validate-style checks with a reason a person can follow.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Iterable

_AMOUNT = re.compile(r"(?<![\w.,'’])\d{1,3}(?:[.,'’ ]\d{3})*[.,]\d{2}(?![\d])|(?<![\w.,'’])\d+[.,]\d{2}(?![\d.,])")
MAX_AHEAD = timedelta(days=400)  # a delivery date is months ahead, not years (years are validity dates, ids)


def _dec(value) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        return None


def _iso(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _check(code: str, check: str, message: str, **data) -> dict:
    return {"code": code, "severity": "error", "source": "unread", "check": check, "message_en": message,
            "line_no": None, "data": {k: str(v) for k, v in data.items()}}


def unread_delivery_date(lines: Iterable[str], extracted: dict, proposal: dict, sent: str | None = None) -> list[dict]:
    """A date after the order date printed in the document, held by no field, while no delivery date was read."""
    from agents.extractors.dates import delivery_context, find_dates

    if extracted.get("requested_delivery_date"):
        return []
    reference = _iso(extracted.get("order_date")) or _iso(proposal.get("order_date")) or _iso(sent)
    if reference is None:
        return []
    known = {_iso(v) for v in (extracted.get("order_date"), proposal.get("order_date"),
                               proposal.get("requested_delivery_date"))}
    known |= {_iso(line.get("delivery_date")) for line in extracted.get("lines") or []}
    language = extracted.get("language")
    for line in lines:
        for pos, found in find_dates(line, language=language):
            if found in known:
                continue
            # A future date may be the delivery date; a past one only when words name it so
            # ("needed 26-Oct-2026"): read, it would have failed the delivery-date rule.
            if not (reference < found <= reference + MAX_AHEAD
                    or reference - MAX_AHEAD <= found <= reference and delivery_context(line, pos)):
                continue
            return [_check("low_confidence", "unread_date",
                           f"the date {found.isoformat()} is printed ('{line.strip()[:80]}') but no delivery date was read",
                           date=found.isoformat())]
    return []


def printed_amounts(line: str) -> set[Decimal]:
    """Every money-looking amount on a text line (two decimals), read with either decimal separator."""
    from agents.extractors.numbers import parse_number

    found = set()
    for token in _AMOUNT.findall(line):
        for sep in (",", "."):
            value = parse_number(token.replace("’", "'").strip(), sep)
            if value is not None and value == value.quantize(Decimal("0.01")):
                found.add(value.quantize(Decimal("0.01")))
    return found


def _is_item_row(line: str, extracted: dict) -> bool:
    """True when a text line is (part of) one of the order lines read: it names a line's code or text."""
    low = line.lower()
    for item in extracted.get("lines") or []:
        for key in ("sku", "customer_sku", "gtin"):
            if item.get(key) and str(item[key]).lower() in low:
                return True
        desc = (item.get("description") or "").lower()
        if len(desc) >= 8 and desc[:20] in low:
            return True
    return False


# An item row's two marks: an article-code-like token and a unit price ("@ 285.01 CNY", "12,50 EUR").
_CODE = re.compile(r"(?<![\w-])(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+(?![\w-])")
_PRICE = re.compile(r"(?i)@\s*\d|(?<![\d.,])\d+(?:[.,' ]\d{3})*[.,]\d{2,4}(?![\d.,])\s*(?:EUR|USD|GBP|CHF|CNY|RMB|€|\$|£|¥|元)"
                    r"(?![A-Za-z])|(?:EUR|USD|GBP|CHF|CNY|RMB|€|\$|£|¥)\s*\d+[.,]\d{2}(?![\d.,])")  # not a date's "2.2026 EUR"


# A list item with a quantity: "- Hydraulic hose 2SN DN20 (HY-10066) - 5 coil", "* 40x ...".
_BULLET_QTY = re.compile(r"^\s*(?:[-*•·–]|\d{1,3}[.)])\s+.*(?<![\w.,-])\d+(?:[.,]\d{3})*(?![\w.,-]*\d)")


def unread_item_rows(lines: Iterable[str], extracted: dict) -> list[dict]:
    """A text line that looks like an order line (a code and a unit price, or a list item with a code and a
    quantity) but is none of the lines read.

    Catches an item row written in a shape the reader did not take ("6 袋 x WL54-0003 … @ 285.01
    CNY" above rows it did read) when no printed total would reveal the gap.
    """
    if not extracted.get("lines"):
        return []  # nothing read at all is reported by reconcile
    for line in lines:
        item_like = _PRICE.search(line) or _BULLET_QTY.search(line)
        if item_like and _CODE.search(line) and not _is_item_row(line, extracted):
            return [_check("low_confidence", "unread_item_row",
                           f"'{line.strip()[:80]}' looks like an order line but was not read")]
    return []


def _line_total(line: dict) -> Decimal | None:
    """The printed line total, else quantity × unit price (a mail that prints prices but no totals)."""
    total = _dec(line.get("line_total"))
    if total is None and _dec(line.get("qty")) is not None and _dec(line.get("unit_price")) is not None:
        total = _dec(line.get("qty")) * _dec(line.get("unit_price"))
    return total


def unread_total(lines: Iterable[str], extracted: dict, tolerance: Decimal = Decimal("0.05"),
                 proposal: dict | None = None) -> list[dict]:
    """An amount printed apart from the item rows, larger than every line, that the lines read do not add up to.

    Only when the document's total was not read (a read total is reconciled by agents.reconcile).
    Any printed amount equal to Σ line totals confirms the lines (net total printed beside VAT
    and gross), so only documents whose every total-like amount disagrees are flagged.
    """
    if extracted.get("order_total") not in (None, ""):
        return []
    totals = [_line_total(line) for line in extracted.get("lines") or []]
    if totals and any(t is None for t in totals) and proposal:
        # no prices read: the proposal's lines, priced from master data, are what would be booked
        totals = [_line_total(line) for line in proposal.get("lines") or []]
    if not totals or any(t is None for t in totals):
        return []
    expected = sum(totals, Decimal(0))
    largest = max(totals)
    candidates: list[tuple[Decimal, str]] = []
    for line in lines:
        amounts = printed_amounts(line)
        if any(abs(a - expected) <= tolerance for a in amounts):
            return []  # the lines' sum is printed: confirmed
        if not amounts or _is_item_row(line, extracted) or not re.search(r"[^\W\d_]{2,}", line):
            continue
        candidates.extend((a, line) for a in amounts if a > largest + tolerance)
    if not candidates:
        return []
    amount, line = max(candidates, key=lambda c: c[0])
    hint = " (a line may be missing)" if amount > expected else ""
    return [_check("total_mismatch", "unread_total",
                   f"'{line.strip()[:80]}' prints {amount}, the lines read add up to {expected}{hint}",
                   printed=amount, sum=expected)]
