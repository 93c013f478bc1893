"""Weigh an LLM proposal against the offline extraction: agreement raises trust, disagreement lowers it.

The offline value wins a disagreement (it is read from positions we can show a reviewer); the
field's confidence drops below any auto-accept threshold so a person looks at it. A value only
the LLM found is taken with low confidence. The LLM never decides alone.
"""
from __future__ import annotations

from agents.schema import ExtractedOrder

HEADER_FIELDS = ("po_number", "order_date", "requested_delivery_date", "currency", "order_total")
LINE_FIELDS = ("sku", "customer_sku", "qty", "unit_price", "line_total")
AGREED = 0.97
DISPUTED = 0.4
LLM_ONLY = 0.5


def _norm(value):
    return str(value).strip().upper() if value is not None else None


def merge(offline: ExtractedOrder | None, llm: ExtractedOrder | None) -> ExtractedOrder | None:
    """Return the order to use, with confidences adjusted and disagreements listed as warnings."""
    if llm is None:
        return offline
    if offline is None or not offline.lines:
        merged = llm.model_copy(deep=True)
        merged.warnings.append("llm_only: the offline extractor found no lines; all values need review")
        return merged
    merged = offline.model_copy(deep=True)
    merged.extractor = f"{offline.extractor}+llm"
    for name in HEADER_FIELDS:
        _merge_field(merged, llm, name, merged.confidence, f"header {name}", merged.warnings)
    if len(llm.lines) != len(offline.lines):
        merged.warnings.append(
            f"line_count_disagreement: offline found {len(offline.lines)} lines, llm {len(llm.lines)}"
        )
    for index, (line, llm_line) in enumerate(zip(merged.lines, llm.lines), start=1):
        for name in LINE_FIELDS:
            _merge_field(line, llm_line, name, line.confidence, f"line {index} {name}", merged.warnings)
    return merged


def _merge_field(target, llm_source, name: str, confidence: dict, label: str, warnings: list) -> None:
    mine, theirs = getattr(target, name), getattr(llm_source, name)
    if theirs is None:
        return
    if mine is None:
        setattr(target, name, theirs)
        confidence[name] = LLM_ONLY
        return
    if _norm(mine) == _norm(theirs):
        confidence[name] = max(confidence.get(name, 0.0), AGREED)
    else:
        confidence[name] = min(confidence.get(name, 1.0), DISPUTED)
        warnings.append(f"llm_disagrees: {label}: offline {mine!s} vs llm {theirs!s}")
