"""The typed state of one message's workflow thread (thread id = the message key).

The state is checkpointed after every node, so it holds only JSON-like values: strings, numbers,
lists and dicts. Decimals travel as decimal strings (the `oms process --json` shape); the
InboundMessage itself is not kept here: nodes load it by key through the runtime context.
"""
from __future__ import annotations

from typing import Annotated, Any, TypedDict


def merge_dicts(left: dict | None, right: dict | None) -> dict:
    """Reducer: later nodes add keys (e.g. their timing) without dropping earlier ones."""
    return {**(left or {}), **(right or {})}


class InputState(TypedDict):
    """What a caller starts a thread with."""

    message_key: str
    file: str | None


class OrderState(InputState, total=False):
    """Everything the nodes learn about one message, in the order they learn it.

    - classify: `kind` (order|change|cancel|not_order), `classification` {kind, reasons,
      confidence}, `meta` (message_id, sender, subject, references, ...), `injection` (matched
      phrases), `unreadable` (why documents could not be read), `readable` (any text at all).
    - extract: `extracted` (ExtractedOrder as JSON), `extra_orders` (further orders found).
    - match: `proposal` (the order in the process-json shape, decimals as strings),
      `match` (scores and evidence for customer, ship-to and each line).
    - validate: `checks` (rule results from oms_core and reconciliation), `rules` (effective
      rule set of the customer), `original_order` (for change/cancel).
    - decide: `decision` (auto|review|failed|not_order), `review_reasons` (codes),
      `reasons_detail`, `confidence`.
    - hold/commit/confirm: `order_id`, `review` (the reviewer's resume payload), `outcome`.
    """

    kind: str
    classification: dict[str, Any]
    meta: dict[str, Any]
    injection: list[str]
    unreadable: list[str]
    readable: bool
    extracted: dict[str, Any] | None
    extra_orders: int
    llm: dict[str, Any]
    proposal: dict[str, Any] | None
    match: dict[str, Any]
    checks: list[dict[str, Any]]
    rules: dict[str, Any]
    original_order: dict[str, Any] | None
    decision: str
    review_reasons: list[str]
    reasons_detail: list[dict[str, Any]]
    confidence: float
    review: dict[str, Any] | None
    order_id: str | None
    outcome: str
    learned: list[str]
    language: str | None
    error: str | None
    versions: dict[str, Any]
    timings_ms: Annotated[dict[str, float], merge_dicts]
