"""Backtest a rule change: recompute past decisions from their recorded reasons and scores.

Only the threshold rules move a recorded decision (auto_accept, auto_accept_max_order_value,
min_field_confidence, min_match_score); every other recorded reason stays as it was. Before and
after are both recomputed here, so the comparison is like for like.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from oms_core.adapters import orm

THRESHOLD_DETAIL = {"max_order_value", "auto_accept_disabled"}
MATCH_SUFFIXES = (".article", ".unit")


@dataclass
class Outcome:
    decision: str  # auto | review
    reasons: list[str] = field(default_factory=list)


@dataclass
class Flip:
    message_key: str
    customer_id: str | None
    po_number: str | None
    value: Decimal | None
    recorded: str
    before: Outcome
    after: Outcome


@dataclass
class BacktestResult:
    considered: int
    to_review: list[Flip]
    to_auto: list[Flip]
    auto_before: int
    auto_after: int

    @property
    def flips(self) -> list[Flip]:
        return self.to_auto + self.to_review


def _dec(value: Any) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        return None


def _assessment(row) -> dict[str, float] | None:
    """Per-field scores when the pipeline recorded them (proposed, versions or a detail entry)."""
    for source in ((row.proposed or {}).get("assessment") if isinstance(row.proposed, dict) else None,
                   (row.versions or {}).get("assessment") if isinstance(row.versions, dict) else None):
        if isinstance(source, dict) and isinstance(source.get("fields"), dict):
            return {k: float(v) for k, v in source["fields"].items()}
    for entry in row.reasons_detail or []:
        if isinstance(entry, dict) and isinstance(entry.get("scores"), dict):
            return {k: float(v) for k, v in entry["scores"].items()}
    return None


def _is_match(name: str) -> bool:
    return name == "customer" or name.endswith(MATCH_SUFFIXES)


def recompute(row, rules: dict) -> Outcome:
    """The decision this recorded message would get under `rules`."""
    reasons: list[str] = []
    low_entry = None
    for entry in row.reasons_detail or []:
        if not isinstance(entry, dict):
            continue
        code = entry.get("code")
        if code in THRESHOLD_DETAIL:
            continue
        if code == "low_confidence" and "fields" in entry:
            low_entry = entry
            continue
        reasons.append(code)
    min_field = float(rules.get("min_field_confidence", 0.8))
    min_match = float(rules.get("min_match_score", 0.85))
    scores = _assessment(row)
    if scores is not None:
        if any(score < (min_match if _is_match(name) else min_field) for name, score in scores.items()):
            reasons.append("low_confidence")
    elif low_entry is not None:
        # Only the weakest score is recorded: the order stays low while it is under a threshold.
        overall = float(low_entry.get("overall") or 0)
        kinds = {_is_match(name) for name in low_entry.get("fields") or []} or {False}
        limit = max(min_match if k else min_field for k in kinds)
        if overall < limit:
            reasons.append("low_confidence")
    if not rules.get("auto_accept", True):
        reasons.append("auto_accept_disabled")
    limit = _dec(rules.get("auto_accept_max_order_value"))
    value = _dec(row.value)
    if limit is not None and value is not None and value > limit:
        reasons.append("max_order_value")
    unique = list(dict.fromkeys(r for r in reasons if r))
    return Outcome("review" if unique else "auto", unique)


def recent_messages(*, session: Session, limit: int, customer_id: str | None = None) -> list:
    """The last `limit` orders decided auto or review (optionally one customer's)."""
    t = orm.processed_messages
    query = sa.select(t).where(t.c.decision.in_(("auto", "review")))
    if customer_id:
        query = query.where(t.c.customer_id == customer_id)
    return list(session.execute(query.order_by(t.c.created_at.desc()).limit(limit)))


def backtest(rows: list, rules_before, rules_after) -> BacktestResult:
    """Compare decisions under two rule sets; `rules_*` map a customer id to its effective rules."""
    to_review, to_auto = [], []
    auto_before = auto_after = 0
    for row in rows:
        before = recompute(row, rules_before(row.customer_id))
        after = recompute(row, rules_after(row.customer_id))
        auto_before += before.decision == "auto"
        auto_after += after.decision == "auto"
        if before.decision != after.decision:
            flip = Flip(row.message_key, row.customer_id, row.po_number, _dec(row.value), row.decision, before, after)
            (to_review if after.decision == "review" else to_auto).append(flip)
    return BacktestResult(len(rows), to_review, to_auto, auto_before, auto_after)
