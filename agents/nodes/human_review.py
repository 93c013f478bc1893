"""human_review: pause the thread until a reviewer decides. Only calls interrupt().

Side effects live in the next node: a resumed node re-runs from its top, and the pause itself is
an exception that must never be caught here.
"""
from __future__ import annotations

from langgraph.types import interrupt

from agents.state import OrderState


def human_review(state: OrderState) -> dict:
    """Ask a reviewer; the resume payload (approve/reject, corrections) becomes `review`."""
    return {"review": interrupt({
        "message_key": state["message_key"],
        "kind": state.get("kind"),
        "review_reasons": state.get("review_reasons", []),
        "reasons_detail": state.get("reasons_detail", []),
        "proposal": state.get("proposal"),
        "order_id": state.get("order_id"),
    })}
