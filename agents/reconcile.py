"""Line-capture guarantee: did we read every line of the document exactly once?

Reconciles the extracted lines against what the document itself says: the printed number of
positions, the line numbering (gaps, duplicates), repeated identical lines (a table header or
page break read twice), and the sum of line totals against the printed order total. Any doubt
is a `total_mismatch` check, and an order with one is never auto-accepted.
"""
from __future__ import annotations

from collections import Counter
from decimal import Decimal, InvalidOperation
from math import gcd


def _dec(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _issue(check: str, message: str, **data) -> dict:
    # No lines at all is not a sum that fails: the reading failed (low confidence in decide).
    return {"code": "no_lines" if check == "no_lines" else "total_mismatch", "severity": "error", "source": "reconcile", "check": check,
            "message_en": message, "line_no": data.pop("line_no", None), "data": data}


def numbering_issues(numbers: list[int]) -> list[dict]:
    """Duplicated line numbers, and gaps in an otherwise regular numbering (1,2,4 or 10,20,40)."""
    issues = []
    for number, count in sorted(Counter(numbers).items()):
        if count > 1:
            issues.append(_issue("duplicate_line_no", f"line number {number} appears {count} times", line_no=number))
    ordered = sorted(set(numbers))
    if len(ordered) >= 2:
        diffs = [b - a for a, b in zip(ordered, ordered[1:])]
        step = 0
        for d in diffs:
            step = gcd(step, d)
        common = Counter(diffs).most_common(1)[0][0]
        # Regular numbering (every step equal, or first number at 1/step) with holes in it.
        if step > 0 and common == step:
            for a, b in zip(ordered, ordered[1:]):
                if b - a > step:
                    missing = list(range(a + step, b, step))
                    issues.append(_issue("line_no_gap", f"line numbers {missing} missing between {a} and {b}",
                                         missing=missing))
    return issues


def _same(a: dict, b: dict) -> bool:
    keys = ("sku", "customer_sku", "description", "qty", "unit_price", "line_total")
    return all(str(a.get(k) or "") == str(b.get(k) or "") for k in keys) and any(a.get(k) for k in keys)


def reconcile(extracted: dict, tolerance: Decimal = Decimal("0.05"), *, partial: bool = False) -> list[dict]:
    """All line-capture doubts for one extracted order (empty list: the lines add up).

    `partial`: the document may list only some lines (a change order), so gaps are not doubts.
    """
    lines = extracted.get("lines") or []
    issues: list[dict] = []
    if not lines:
        return [_issue("no_lines", "no order lines were read")]
    printed = extracted.get("printed_line_count")
    if printed is not None and int(printed) != len(lines):
        issues.append(_issue("line_count", f"document states {printed} lines, {len(lines)} read",
                             printed=int(printed), read=len(lines)))
    numbers = [int(line["line_no"]) for line in lines if line.get("line_no") is not None]
    if len(numbers) == len(lines):
        found = numbering_issues(numbers)
        # A change order may list only the lines that change: gaps there are expected.
        issues.extend(i for i in found if not (partial and i["check"] == "line_no_gap"))
    for i, (a, b) in enumerate(zip(lines, lines[1:])):
        if _same(a, b) and (a.get("line_no") is None or a.get("line_no") == b.get("line_no")):
            issues.append(_issue("repeated_line", f"line {i + 2} repeats line {i + 1}", line_no=b.get("line_no")))
    total = _dec(extracted.get("order_total"))
    line_totals = [_dec(line.get("line_total")) for line in lines]
    if total is not None and line_totals and all(t is not None for t in line_totals):
        diff = total - sum(line_totals, Decimal(0))
        if abs(diff) > tolerance:
            if diff > 0:
                hint = " (a line may be missing)"
            elif any(abs(-diff - t) <= tolerance for t in line_totals):
                hint = " (a line appears doubled)"
            else:
                hint = ""
            issues.append(_issue("sum", f"lines add up to {total - diff}, document total is {total}{hint}",
                                 printed_total=str(total), sum=str(total - diff)))
    return issues
