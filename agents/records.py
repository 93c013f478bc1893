"""The processed-message record: one row per inbound message, every decision with its why."""
from __future__ import annotations

from agents.decide import order_value


def decision_record(state: dict, *, decision: str, status: str, now, order_id: str | None = None,
                    decided_by: str | None = None, error: str | None = None) -> dict:
    """The processed_messages row for this state (JSON-safe; decimals as strings)."""
    meta = state.get("meta") or {}
    proposal = state.get("proposal")
    extracted = state.get("extracted") or {}
    return {
        "message_key": state["message_key"],
        "kind": state.get("kind"),
        "decision": decision,
        "status": status,
        "review_reasons": list(state.get("review_reasons") or []),
        "reasons_detail": list(state.get("reasons_detail") or []),
        "proposed": proposal,
        "order_id": order_id if order_id is not None else state.get("order_id"),
        "error": error if error is not None else state.get("error"),
        "timings": dict(state.get("timings_ms") or {}),
        "customer_id": (proposal or {}).get("customer_id"),
        "po_number": (proposal or {}).get("po_number") or extracted.get("po_number"),
        "sender": meta.get("sender"),
        "subject": meta.get("subject"),
        "format": extracted.get("extractor"),
        "language": state.get("language"),
        "value": str(order_value(proposal)) if proposal else None,
        "decided_by": decided_by,
        "decided_at": now.isoformat() if decided_by else None,
        "versions": dict(state.get("versions") or {}),
        "confidence": state.get("confidence"),
        "match": state.get("match"),
        "llm_tokens": (state.get("llm") or {}).get("llm_tokens"),
        "llm_cost": (state.get("llm") or {}).get("llm_cost"),
    }


def reply_to(state: dict) -> dict:
    """Threading facts for the confirmation reply."""
    meta = state.get("meta") or {}
    refs = list(meta.get("references") or [])
    if meta.get("message_id") and meta["message_id"] not in refs:
        refs.append(meta["message_id"])
    return {"message_id": meta.get("message_id"), "subject": meta.get("subject") or "",
            "sender": meta.get("sender") or "", "references": refs}
