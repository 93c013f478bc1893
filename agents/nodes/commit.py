"""commit: the one place outcomes are written (through oms_core's handlers, never SQL).

Every write here is idempotent (create_order on the message key, change/cancel/accept on the
order's current state), because a node resumed after a crash re-runs from its top.
"""
from __future__ import annotations

from agents.context import Context
from agents.corrections import apply_corrections, corrected_layout_fields, learned_cross_references
from agents.layout_memory import build_layout_hint
from agents.nodes._timing import timed
from agents.records import decision_record, reply_to
from agents.state import OrderState


def _learn(state: OrderState, context: Context, corrected: dict, actor: str) -> list[str]:
    """Save corrected article matches as cross-references and corrected positions as layout memory."""
    learned = []
    customer_id = corrected.get("customer_id")
    extracted = state.get("extracted") or {}
    if customer_id:
        for customer_sku, sku in learned_cross_references(state.get("proposal"), corrected, extracted):
            context.book.add_cross_reference(customer_id, customer_sku, sku, actor=actor)
            learned.append(f"cross-reference {customer_sku} -> {sku}")
    fields = corrected_layout_fields(state.get("proposal"), corrected)
    if fields and extracted.get("layout_key"):
        hint = build_layout_hint(context.load_message(state["message_key"]), fields)
        if hint:
            context.book.save_layout_hint(customer_id, extracted["layout_key"], hint, actor=actor)
            learned.append(f"layout memory for {', '.join(sorted(hint['fields']))}")
    return learned


def _book(state: OrderState, context: Context, proposal: dict, actor: str, corrected: bool) -> tuple[str | None, str, str | None]:
    """Write the order outcome; returns (order_id, outcome, error)."""
    kind = state.get("kind", "order")
    versions = dict(state.get("versions") or {})
    reasons = list(state.get("review_reasons") or [])
    if kind in ("change", "cancel"):
        original = state.get("original_order")
        if corrected or original is None:
            if proposal.get("customer_id") and proposal.get("po_number"):
                original = context.book.find_order(proposal["customer_id"], proposal["po_number"])
        if original is None:
            return None, "failed", f"no booked order {proposal.get('po_number')!r} to {kind}"
        if kind == "cancel":
            context.book.cancel_order(original["order_id"], actor=actor, reason="cancelled by the customer")
            return original["order_id"], "cancelled", None
        context.book.change_order(original["order_id"], proposal=proposal, actor=actor, reasons=reasons, versions=versions)
        return original["order_id"], "changed", None
    if not proposal.get("customer_id"):
        return None, "failed", "no customer: the order cannot be booked"
    order_id = state.get("order_id")
    if order_id is None:
        order_id = context.book.create_order(message_key=state["message_key"], proposal=proposal, status="accepted",
                                             actor=actor, reasons=reasons, versions=versions, reply_to=reply_to(state))
    else:
        if corrected:
            context.book.change_order(order_id, proposal=proposal, actor=actor, reasons=reasons, versions=versions)
        context.book.accept_order(order_id, actor=actor, reason="approved in review")
    return order_id, "accepted", None


@timed("commit")
def commit(state: OrderState, context: Context) -> dict:
    """Book, change, cancel or reject; record the decision with its reasons and versions."""
    decision = state.get("decision")
    now = context.clock()
    if decision in ("not_order", "failed"):
        status = "done" if decision == "not_order" else "failed"
        context.book.record_decision(decision_record(state, decision=decision, status=status, now=now))
        return {"outcome": decision}
    review = state.get("review")
    actor, decided_by = context.actor, None
    proposal = state.get("proposal") or {}
    corrected = False
    update: dict = {}
    if review is not None:
        decided_by = str(review.get("reviewer") or "reviewer")
        actor = f"user:{decided_by}"
        if review.get("action") == "reject":
            if state.get("order_id"):
                context.book.reject_order(state["order_id"], actor=actor, reason=review.get("reason"))
            context.book.record_decision(decision_record(state, decision="rejected", status="done", now=now,
                                                         decided_by=decided_by, error=review.get("reason")))
            return {"outcome": "rejected"}
        if review.get("corrections"):
            new = apply_corrections(proposal, review["corrections"])
            corrected = new != proposal
            update["learned"] = _learn(state, context, new, actor) if corrected else []
            proposal = new
            update["proposal"] = proposal
    order_id, outcome, error = _book(state, context, proposal, actor, corrected)
    record_state = {**state, **update}
    status = "failed" if outcome == "failed" else "done"
    context.book.record_decision(decision_record(record_state, decision=decision, status=status, now=now,
                                                 order_id=order_id, decided_by=decided_by, error=error))
    return {**update, "order_id": order_id, "outcome": outcome, "error": error}
