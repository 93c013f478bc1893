"""One review item: the message row, its proposed order, why it was flagged, candidates, corrections."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from oms_core.adapters import orm

CLAIM_MINUTES = 30  # an abandoned claim frees itself after this long
HEADER_EDIT_FIELDS = ("customer_id", "po_number", "order_date", "requested_delivery_date", "ship_to_id", "currency")
LINE_EDIT_FIELDS = ("sku", "customer_sku", "description", "qty", "uom", "unit_price", "line_total")
LINE_KEYS = ("line_no", "sku", "customer_sku", "description", "qty", "uom", "qty_base", "unit_price", "line_total")
DECIMAL_FIELDS = {"qty", "unit_price", "line_total", "qty_base"}


class CorrectionError(Exception):
    """A reviewer's input cannot be used (message shown beside the form)."""


@dataclass
class ReviewItem:
    row: Any  # the processed_messages row
    proposed: dict
    header: dict[str, Any]
    lines: list[dict[str, Any]]
    reasons: list[str]
    details: list[dict]
    customer_candidates: list[tuple[str, float, str | None]]
    line_candidates: dict[int, list[tuple[str, float, str | None]]]
    confidence: dict[str, float] = field(default_factory=dict)
    customer_name: str | None = None

    @property
    def key(self) -> str:
        return self.row.message_key

    @property
    def open(self) -> bool:
        return self.row.status == "needs_review"

    def claimed_by_other(self, username: str, now: datetime | None = None) -> str | None:
        """Who else holds the claim (None when free, stale or ours)."""
        row = self.row
        if not row.claimed_by or row.claimed_by == username:
            return None
        claimed_at = row.claimed_at
        if claimed_at is not None and claimed_at.tzinfo is None:
            claimed_at = claimed_at.replace(tzinfo=timezone.utc)
        if claimed_at and (now or datetime.now(timezone.utc)) - claimed_at > timedelta(minutes=CLAIM_MINUTES):
            return None
        return row.claimed_by


def _candidates(match: Any) -> list[tuple[str, float]]:
    out = []
    if isinstance(match, dict):
        if match.get("value"):
            out.append((str(match["value"]), float(match.get("score") or 0)))
        for cand in match.get("candidates") or []:
            if isinstance(cand, (list, tuple)) and len(cand) >= 2:
                out.append((str(cand[0]), float(cand[1] or 0)))
            elif isinstance(cand, dict) and cand.get("value"):
                out.append((str(cand["value"]), float(cand.get("score") or 0)))
    seen, unique = set(), []
    for value, score in out:
        if value not in seen:
            seen.add(value)
            unique.append((value, score))
    return unique


def _match_info(proposed: dict, row) -> dict:
    for source in (proposed.get("_match"), proposed.get("match"),
                   (row.versions or {}).get("match") if isinstance(row.versions, dict) else None):
        if isinstance(source, dict):
            return source
    return {}


def _names(session: Session, table, key_col: str, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = session.execute(sa.select(table.c[key_col], table.c.name).where(table.c[key_col].in_(ids)))
    return {r[0]: r[1] for r in rows}


def _field_confidence(proposed: dict) -> dict[str, float]:
    for key in ("confidence", "_confidence"):
        value = proposed.get(key)
        if isinstance(value, dict):
            return {k: float(v) for k, v in value.items() if isinstance(v, (int, float))}
    return {}


def load(*, session: Session, message_key: str) -> ReviewItem | None:
    """The review item for a message key, or None."""
    t = orm.processed_messages
    row = session.execute(sa.select(t).where(t.c.message_key == message_key)).first()
    if row is None:
        return None
    proposed = row.proposed if isinstance(row.proposed, dict) else {}
    header = {name: proposed.get(name) for name in HEADER_EDIT_FIELDS}
    header["order_total"] = proposed.get("order_total")
    lines = [dict(line) for line in proposed.get("lines") or [] if isinstance(line, dict)]
    details = [d for d in (row.reasons_detail or []) if isinstance(d, dict)]
    match = _match_info(proposed, row)
    customer_cands = _candidates(match.get("customer"))
    line_cands_raw = {i: _candidates(m.get("article", m)) for i, m in enumerate(match.get("lines") or []) if isinstance(m, dict)}
    customer_ids = {c for c, _ in customer_cands} | ({row.customer_id} if row.customer_id else set())
    cnames = _names(session, orm.customers, "customer_id", customer_ids)
    skus = {s for cands in line_cands_raw.values() for s, _ in cands}
    pnames = _names(session, orm.products, "sku", skus)
    return ReviewItem(
        row=row, proposed=proposed, header=header, lines=lines, reasons=list(row.review_reasons or []),
        details=details,
        customer_candidates=[(c, s, cnames.get(c)) for c, s in customer_cands],
        line_candidates={i: [(s, sc, pnames.get(s)) for s, sc in cands] for i, cands in line_cands_raw.items()},
        confidence=_field_confidence(proposed),
        customer_name=cnames.get(row.customer_id) if row.customer_id else None,
    )


def _decimal(value: str, label: str) -> str | None:
    value = value.strip().replace(" ", "")
    if not value:
        return None
    if "," in value and "." not in value:
        value = value.replace(",", ".")  # a German reviewer types 12,50
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise CorrectionError(f"{label}: {value!r} is not a number") from None
    if not number.is_finite():
        raise CorrectionError(f"{label}: {value!r} is not a number")
    return format(number, "f")


def _norm(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _same(a: Any, b: Any, is_decimal: bool) -> bool:
    if is_decimal:
        try:
            return Decimal(_norm(a) or "0") == Decimal(_norm(b) or "0") and bool(_norm(a)) == bool(_norm(b))
        except InvalidOperation:
            return _norm(a) == _norm(b)
    return _norm(a) == _norm(b)


def corrections_from_form(item: ReviewItem, form: dict[str, str]) -> dict:
    """Compare the form with the proposed order: changed header fields, full corrected lines, customer."""
    header: dict[str, Any] = {}
    for name in HEADER_EDIT_FIELDS:
        key = f"h_{name}"
        if key in form and not _same(form[key], item.header.get(name), False):
            header[name] = form[key].strip() or None
    count = int(form.get("line_count") or len(item.lines))
    new_lines: list[dict] = []
    changed = False
    for i in range(count):
        original = item.lines[i] if i < len(item.lines) else {}
        if form.get(f"l{i}_remove"):
            changed = changed or bool(original)
            continue
        values = {k: original.get(k) for k in LINE_KEYS}
        touched = False
        for name in LINE_EDIT_FIELDS:
            key = f"l{i}_{name}"
            if key not in form:
                continue
            raw = form[key]
            value = _decimal(raw, f"line {i + 1} {name}") if name in DECIMAL_FIELDS else (raw.strip() or None)
            if not _same(value, original.get(name), name in DECIMAL_FIELDS):
                values[name] = value
                touched = True
        if not original and not any(values.get(k) for k in ("sku", "customer_sku", "description", "qty")):
            continue  # the blank row for adding a line stayed blank
        if not original:
            touched = True
        if touched and ("qty" in values or "uom" in values or "sku" in values) and values.get("qty_base") == original.get("qty_base"):
            values["qty_base"] = None  # let the core recompute base units for corrected lines
        if touched:
            changed = True
        new_lines.append(values)
    next_no = max([int(line.get("line_no") or 0) for line in item.lines] + [0]) + 1
    for line in new_lines:
        if not line.get("line_no"):
            line["line_no"] = next_no
            next_no += 1
    corrections: dict[str, Any] = {"header": header, "lines": new_lines if changed else [], "customer_id": None}
    if "customer_id" in header:
        corrections["customer_id"] = header["customer_id"]
    return corrections


def has_corrections(corrections: dict) -> bool:
    return bool(corrections.get("header") or corrections.get("lines") or corrections.get("customer_id"))
