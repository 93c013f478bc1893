"""validate: oms_core's business rules on the proposal, plus the line-capture reconciliation."""
from __future__ import annotations

from decimal import Decimal

from agents.context import Context
from agents.nodes._timing import timed
from agents.reconcile import reconcile
from agents.state import OrderState

# Extractors that read free layouts: what they return may be a half-understanding of the page.
UNSURE_PREFIXES = ("offline", "llm")


def _unread(state: OrderState, context: Context, proposal: dict, tolerance: Decimal) -> list[dict]:
    """Label-free evidence that something printed was not read (agents.unread)."""
    from agents.missed import document_lines
    from agents.unread import unread_delivery_date, unread_item_rows, unread_total

    extracted = state.get("extracted") or {}
    if not str(extracted.get("extractor") or "").startswith(UNSURE_PREFIXES):
        return []  # structured formats are read field by field, not guessed from text
    lines = document_lines(context.load_message(state["message_key"]))
    sent = ((state.get("meta") or {}).get("date") or "")[:10] or None
    found = []
    if state.get("kind") == "order":
        found += unread_delivery_date(lines, extracted, proposal, sent)
    return found + unread_total(lines, extracted, tolerance, proposal) + unread_item_rows(lines, extracted)


@timed("validate")
def validate(state: OrderState, context: Context) -> dict:
    """Rule results for an order; for a change or cancellation, find the order it refers to."""
    proposal = state.get("proposal")
    kind = state.get("kind", "order")
    if proposal is None:
        return {"checks": [], "original_order": None}
    rules = dict(state.get("rules") or {})
    original = None
    if kind in ("change", "cancel") and proposal.get("customer_id") and proposal.get("po_number"):
        original = context.book.find_order(proposal["customer_id"], proposal["po_number"])
    update: dict = {}
    if original is not None:
        # The PO number is confirmed by the booked order it refers to.
        update["match"] = {**(state.get("match") or {}), "confirmed": ["po_number"]}
        # A change names what changes; everything it does not print stays as booked.
        filled = {k: original[k] for k in ("order_date", "requested_delivery_date", "currency")
                  if not proposal.get(k) and original.get(k)}
        if original.get("ship_to_id") and (state.get("match") or {}).get("ship_to", {}).get("method") in ("default", "none", "only"):
            filled["ship_to_id"] = original["ship_to_id"]
        if filled:
            update["proposal"] = {**proposal, **filled}
    checks: list[dict] = []
    if kind != "cancel":
        received = ((state.get("meta") or {}).get("date") or "")[:10] or None
        results, thresholds = context.book.validate(state["message_key"], proposal, received, kind)
        rules.update(thresholds or {})
        for result in results:
            if result.get("code") == "duplicate_po" and kind == "change":
                continue  # a change order refers to its PO on purpose
            checks.append({**result, "source": "rules"})
        tolerance = Decimal(str(rules.get("total_rounding_tolerance") or "0.05"))
        checks.extend(reconcile(state.get("extracted") or {}, tolerance, partial=kind == "change"))
        if "order_total_differs" in ((state.get("match") or {}).get("missed") or []):
            checks.append({"code": "total_mismatch", "severity": "error", "source": "reconcile", "check": "printed_total",
                           "message_en": f"the printed net total differs from the lines read ({proposal.get('order_total')})",
                           "line_no": None, "data": {}})
        checks.extend(_unread(state, context, proposal, tolerance))
    return {"checks": checks, "original_order": original, "rules": rules, **update}
