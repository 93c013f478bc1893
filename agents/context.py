"""The typed runtime context of the workflow: ports to oms_core, the readers, settings and clock.

Nodes never import a database, a settings module or a clock of their own: everything they use
from outside comes through this context, built once by the composition root (oms.bootstrap)
and bound to the graph in `build_graph`. Tests pass in-memory fakes of the same ports.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Protocol

from agents.master import MasterView
from agents.schema import ExtractedOrder
from intake.model import InboundMessage


class OrderBook(Protocol):
    """What the workflow asks of and tells oms_core (implemented over its handlers and queries)."""

    def master(self) -> MasterView:
        """A read-only snapshot of master data for matching."""

    def effective_rules(self, customer_id: str | None) -> dict:
        """The customer's rule set (global defaults overlaid by the customer's own)."""

    def validate(self, message_key: str, proposal: dict, received: str | None = None,
                 kind: str = "order") -> tuple[list[dict], dict]:
        """oms_core's rule results (dicts: code, severity, message_en, message_de, line_no, data) and thresholds."""

    def find_order(self, customer_id: str, po_number: str) -> dict | None:
        """The booked order of this customer with this PO number: {order_id, status, lines, ...}."""

    def create_order(self, *, message_key: str, proposal: dict, status: str, actor: str,
                     reasons: list[str], versions: dict, reply_to: dict | None) -> str:
        """Book (or re-find, idempotent on message_key) an order; returns its id."""

    def accept_order(self, order_id: str, *, actor: str, reason: str | None) -> None: ...

    def confirm_order(self, order_id: str, *, actor: str) -> None: ...

    def reject_order(self, order_id: str, *, actor: str, reason: str | None) -> None: ...

    def cancel_order(self, order_id: str, *, actor: str, reason: str | None) -> None: ...

    def change_order(self, order_id: str, *, proposal: dict, actor: str, reasons: list[str], versions: dict) -> None:
        """Apply a change order: diff the booked lines against the proposal's."""

    def record_decision(self, record: dict) -> None:
        """Upsert the processed_messages row of one message (every decision recorded)."""

    def add_cross_reference(self, customer_id: str, customer_sku: str, sku: str, *, actor: str) -> None: ...

    def save_layout_hint(self, customer_id: str | None, layout_key: str, hint: dict, *, actor: str) -> None: ...


class Reader(Protocol):
    """The reading side (EXTRACT's functions)."""

    def classify(self, message: InboundMessage) -> Any:
        """Classification(kind, reasons, confidence)."""

    def extract(self, message: InboundMessage, layout_hints: dict | None = None) -> list[ExtractedOrder]:
        """Orders in the message; `layout_hints` is a stored hint for the message's layout."""

    def detect_injection(self, text: str) -> list[str]: ...


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Context:
    """Everything a node may use from outside the graph."""

    book: OrderBook
    reader: Reader
    load_message: Callable[[str], InboundMessage]
    # Optional: (message, offline orders) -> (orders to use, accounting {llm_model, prompt, llm_tokens, llm_cost, llm_error})
    llm_extractor: Callable[[InboundMessage, list[ExtractedOrder]], tuple[list[ExtractedOrder], dict]] | None = None
    clock: Callable[[], datetime] = utc_now
    versions: dict[str, Any] = field(default_factory=lambda: {"workflow": "1", "extractor": "offline"})
    settings: Any = None
    actor: str = "system:agents"
