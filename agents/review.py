"""Resume a message's thread with a reviewer's decision: the one call the review UI makes."""
from __future__ import annotations

from typing import Any

from langgraph.types import Command

ACTIONS = ("approve", "reject")


class ReviewError(Exception):
    """The review cannot be applied (bad payload, or the message is not waiting for review)."""


def check_payload(payload: dict) -> dict:
    """Validate the resume payload of INTERFACES.md; returns a normalised copy."""
    if not isinstance(payload, dict) or payload.get("action") not in ACTIONS:
        raise ReviewError(f"action must be one of {ACTIONS}")
    if not payload.get("reviewer"):
        raise ReviewError("reviewer is required")
    if payload["action"] == "reject" and not payload.get("reason"):
        raise ReviewError("a rejection needs a reason")
    corrections = payload.get("corrections") or {}
    if not isinstance(corrections, dict):
        raise ReviewError("corrections must be an object")
    lines = corrections.get("lines")
    if lines is not None and (not isinstance(lines, list) or not all(isinstance(x, dict) for x in lines)):
        raise ReviewError("corrections.lines must be a list of line objects")
    return {"action": payload["action"], "reviewer": str(payload["reviewer"]), "reason": payload.get("reason"),
            "corrections": corrections}


def waiting_for_review(graph, message_key: str) -> bool:
    """True when the message's thread is paused at human_review."""
    snapshot = graph.get_state({"configurable": {"thread_id": message_key}})
    return "human_review" in (snapshot.next or ())


def resume_review(app: Any, message_key: str, payload: dict) -> dict:
    """Apply approve / approve-with-corrections / reject to a paused message; returns the outcome."""
    graph = getattr(app, "graph", app)
    clean = check_payload(payload)
    if not waiting_for_review(graph, message_key):
        raise ReviewError(f"message {message_key} is not waiting for review")
    config = {"configurable": {"thread_id": message_key}}
    state = graph.invoke(Command(resume=clean), config=config, durability="sync")
    return {
        "message_key": message_key,
        "action": clean["action"],
        "outcome": state.get("outcome"),
        "order_id": state.get("order_id"),
        "error": state.get("error"),
        "learned": state.get("learned") or [],
        "order": state.get("proposal"),
    }
