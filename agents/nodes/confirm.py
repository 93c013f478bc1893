"""confirm: an accepted order is confirmed to the customer (oms_core queues the reply)."""
from __future__ import annotations

from agents.context import Context
from agents.nodes._timing import timed
from agents.state import OrderState


@timed("confirm")
def confirm(state: OrderState, context: Context) -> dict:
    """Confirm accepted orders; oms_core writes the confirmation to the outbox in the same transaction."""
    if state.get("outcome") == "accepted" and state.get("order_id"):
        context.book.confirm_order(state["order_id"], actor=context.actor)
        return {"outcome": "confirmed"}
    return {}
