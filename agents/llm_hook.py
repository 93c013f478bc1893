"""The extract node's LLM hook: ask the LLM extractor, cross-check its answer with the offline one.

Structured documents (EDI, UBL, spreadsheets) are read exactly and never sent to the model.
The hook returns the orders to use and the call's accounting (model, prompt, tokens, cost, error).
"""
from __future__ import annotations

from typing import Any, Callable

from agents.schema import ExtractedOrder
from intake.model import InboundMessage

EXACT = ("edifact", "x12", "ubl", "xml", "spreadsheet", "csv", "xlsx")


def _text(message: InboundMessage) -> str:
    parts = [f"Subject: {message.subject}", f"From: {message.sender}"]
    for doc in message.readable_documents:
        parts.append(doc.text or "\n".join(p.text for p in doc.pages))
    return "\n\n".join(p for p in parts if p)


def make_llm_hook(extractor: Any) -> Callable[[InboundMessage, list[ExtractedOrder]], tuple[list[ExtractedOrder], dict]]:
    """Wrap agents.extractors.llm.LlmExtractor for the extract node."""
    from agents.extractors.crosscheck import merge

    def hook(message: InboundMessage, orders: list[ExtractedOrder]) -> tuple[list[ExtractedOrder], dict]:
        primary = orders[0] if orders else None
        if primary is not None and any(primary.extractor.startswith(e) for e in EXACT):
            return orders, {}
        result = extractor.extract(_text(message), file=primary.file if primary else None)
        stats = {"llm_model": result.model, "prompt": result.prompt_version,
                 "llm_tokens": result.input_tokens + result.output_tokens, "llm_cost": str(result.cost),
                 "llm_error": result.error}
        merged = merge(primary, result.order)
        if merged is None:
            return orders, stats
        return [merged, *orders[1:]], stats

    return hook
