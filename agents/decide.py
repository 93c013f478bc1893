"""Auto or review: field confidences, match scores and rule results -> a decision with reasons.

Reason codes are exactly DESIGN.md's truth codes plus `low_confidence`. Other rule results that
must stop an automatic booking (credit limit, lead time, customer rules) block with a detail
entry that explains them, so every decision is recorded with its why.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

TRUTH_CODES = (
    "unknown_customer", "unknown_sku", "price_mismatch", "pack_size", "duplicate_po",
    "past_delivery_date", "total_mismatch", "unreadable", "prompt_injection",
)
REASON_CODES = TRUTH_CODES + ("low_confidence",)
# Rule codes that are not review reasons of their own but say we are unsure of the order.
AS_LOW_CONFIDENCE = {"unknown_ship_to", "arithmetic", "no_lines", "unknown_order", "currency_mismatch"}
# Rule codes that block automation but are business holds, not reading problems.
BLOCKING_DETAIL = {"credit_limit", "short_lead_time", "auto_accept_disabled", "max_order_value", "inactive_sku"}

MIN_KIND_CONFIDENCE = 0.7  # below this the classifier is guessing; a person decides what it is

DEFAULT_RULES = {
    "min_field_confidence": 0.8,
    "min_match_score": 0.85,
    "auto_accept": True,
    "auto_accept_max_order_value": None,
}


@dataclass
class Decision:
    decision: str  # auto | review | failed | not_order
    reasons: list[str] = field(default_factory=list)
    detail: list[dict] = field(default_factory=list)

    def add(self, code: str, why: str, **data) -> None:
        if code in REASON_CODES and code not in self.reasons:
            self.reasons.append(code)
        self.detail.append({"code": code, "why": why, **data})


def _dec(value) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        return None


def order_value(proposal: dict | None) -> Decimal:
    """Σ line totals (or qty × price) of the proposed order."""
    total = Decimal(0)
    for line in (proposal or {}).get("lines") or []:
        line_total = _dec(line.get("line_total"))
        if line_total is None and _dec(line.get("qty")) is not None and _dec(line.get("unit_price")) is not None:
            line_total = _dec(line["qty"]) * _dec(line["unit_price"])
        total += line_total or 0
    return total


def decide(
    *,
    kind: str,
    readable: bool,
    unreadable: list[str],
    injection: list[str],
    proposal: dict | None,
    checks: list[dict],
    assessment: dict,
    low_fields: list[str],
    rules: dict,
    original_order: dict | None = None,
    kind_confidence: float = 1.0,
) -> Decision:
    """The decision for one message; pure, so it can be tested and backtested without a graph."""
    result = Decision("auto")
    if not readable:
        # Nothing could be read, so nothing can be said about what the message is.
        result.decision = "failed"
        result.add("unreadable", "nothing in the message could be read", documents=unreadable)
        return result
    if kind == "not_order":
        return Decision("not_order")
    if injection:
        result.add("prompt_injection", "text tries to instruct the system; nothing it says is used",
                   phrases=injection[:5])
    for why in unreadable:
        result.add("unreadable", why)
    if proposal is None:
        result.add("unreadable" if unreadable else "low_confidence", "no order could be extracted")
    else:
        if kind_confidence < MIN_KIND_CONFIDENCE:
            result.add("low_confidence", f"not sure this message is an order ({kind_confidence:.2f})")
        if not proposal.get("po_number"):
            result.add("low_confidence", "no PO number read")
        if kind in ("change", "cancel") and original_order is None:
            result.add("low_confidence", "the original order of this change/cancellation was not found",
                       po_number=proposal.get("po_number"))
        elif kind == "change" and original_order.get("status") in ("needs_review", "received"):
            # The booked values it builds on are not confirmed yet: a person decides both together.
            result.add("low_confidence", "the original order is still waiting for review",
                       order_id=original_order.get("order_id"))
        if proposal.get("customer_id") is None:
            result.add("unknown_customer", "the customer could not be identified")
        for line in proposal.get("lines") or [] if kind != "cancel" else []:
            if line.get("sku") is None:
                result.add("unknown_sku", f"line {line.get('line_no')}: article not recognised",
                           line_no=line.get("line_no"), description=line.get("description"))
    for check in checks:
        code, severity = check.get("code"), check.get("severity", "error")
        why = check.get("message_en") or check.get("message") or code
        data = {"line_no": check.get("line_no"), "source": check.get("source", "rules")}
        if severity == "info":
            continue
        if code in REASON_CODES:
            result.add(code, why, **data)
        elif code in AS_LOW_CONFIDENCE:
            result.add("low_confidence", why, rule=code, **data)
        elif severity == "error" or code in BLOCKING_DETAIL:
            result.add(code, why, **data)
    if low_fields and proposal is not None:
        result.add("low_confidence", "fields below the confidence threshold: " + ", ".join(low_fields[:5]),
                   fields=low_fields, overall=assessment.get("overall"))
    if kind not in ("cancel",) and proposal is not None:
        if not rules.get("auto_accept", True):
            result.add("auto_accept_disabled", "this customer's orders are always reviewed")
        limit = _dec(rules.get("auto_accept_max_order_value"))
        value = order_value(proposal)
        if limit is not None and value > limit:
            result.add("max_order_value", f"order value {value} above the auto-accept limit {limit}")
    if result.detail:
        result.decision = "review"
    return result
