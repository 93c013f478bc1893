"""hold: before pausing for review, make the proposal visible and hold stock for it."""
from __future__ import annotations

from agents.context import Context
from agents.decide import MIN_KIND_CONFIDENCE
from agents.nodes._timing import timed
from agents.records import decision_record, reply_to
from agents.state import OrderState


@timed("hold")
def hold(state: OrderState, context: Context) -> dict:
    """Record the proposal as needs_review; book the order as needs_review (soft reservations)."""
    proposal = state.get("proposal")
    order_id = state.get("order_id")
    sure_it_is_an_order = float((state.get("classification") or {}).get("confidence", 1.0)) >= MIN_KIND_CONFIDENCE
    if (state.get("kind") == "order" and sure_it_is_an_order and proposal and proposal.get("customer_id")
            and proposal.get("lines") and order_id is None):
        order_id = context.book.create_order(
            message_key=state["message_key"], proposal=proposal, status="needs_review", actor=context.actor,
            reasons=list(state.get("review_reasons") or []), versions=dict(state.get("versions") or {}),
            reply_to=reply_to(state))
    context.book.record_decision(decision_record(state, decision="review", status="needs_review",
                                                 now=context.clock(), order_id=order_id))
    return {"order_id": order_id}
