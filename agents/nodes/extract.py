"""extract: read the order(s) out of the message; the optional LLM extractor hooks in here."""
from __future__ import annotations

import logging

from agents.context import Context
from agents.layout_memory import apply_layout_hint, find_hint
from agents.nodes._timing import timed
from agents.state import OrderState

log = logging.getLogger(__name__)

STRUCTURED = {"edifact", "x12", "ubl", "xml", "spreadsheet"}


def _primary(orders):
    """The order this message is about: the one with lines (most of them), with a PO number."""
    return max(orders, key=lambda o: (len(o.lines) > 0, o.po_number is not None, len(o.lines)))


@timed("extract")
def extract(state: OrderState, context: Context) -> dict:
    """Extract orders (structured first, then offline; then the LLM when configured)."""
    message = context.load_message(state["message_key"])
    unreadable = list(state.get("unreadable") or [])
    versions = dict(state.get("versions") or {})
    llm: dict = {}
    try:
        orders = list(context.reader.extract(message))
        if context.llm_extractor is not None:
            # The LLM sees the offline result and returns its cross-checked choice.
            orders, llm = context.llm_extractor(message, orders)
            orders = list(orders)
    except Exception as exc:  # noqa: BLE001 - a reader bug must route to review, not lose the message
        log.exception("extraction failed for %s", state["message_key"])
        return {"extracted": None, "extra_orders": 0, "unreadable": unreadable + [f"extraction failed: {exc}"]}
    if not orders:
        return {"extracted": None, "extra_orders": 0}
    primary = _primary(orders)
    hint = find_hint(context.book.master(), primary.layout_key) if primary.layout_key else None
    if hint:
        # A reviewer taught us this layout: read it again with what they showed us.
        hinted = [o for o in context.reader.extract(message, layout_hints=hint) if o.layout_key == primary.layout_key]
        if hinted:
            primary = _primary(hinted)
    extracted = primary.model_dump(mode="json")
    hint_used = None
    if hint:
        extracted, hint_used = apply_layout_hint(extracted, message, context.book.master(), hint)
    versions["extractor"] = primary.extractor
    versions.update({k: v for k, v in llm.items() if k in ("llm_model", "prompt")})
    kind = state.get("kind", "order")
    if kind == "order" and primary.kind in ("change", "cancel") and primary.extractor in STRUCTURED:
        kind = primary.kind  # a structured message states its purpose exactly
    update = {"extracted": extracted, "extra_orders": len(orders) - 1, "versions": versions, "kind": kind,
              "llm": llm}
    if hint_used:
        update["extracted"]["warnings"] = extracted.get("warnings", []) + [f"layout memory applied: {hint_used}"]
    return update
