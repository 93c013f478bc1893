"""Commands: imperative requests to the order core, one handler each (frozen dataclasses)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class ReplyTo:
    """Where the confirmation goes: the message it answers (for threading)."""

    message_id: str | None = None
    subject: str | None = None
    sender: str | None = None
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewOrderLine:
    line_no: int
    sku: str | None
    qty: Decimal
    uom: str | None = None
    qty_base: Decimal | None = None
    unit_price: Decimal | None = None
    line_total: Decimal | None = None
    customer_sku: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class CreateOrder:
    message_key: str | None
    customer_id: str | None
    po_number: str | None
    order_date: date | None
    requested_delivery_date: date | None
    ship_to_id: str | None
    currency: str | None
    lines: tuple[NewOrderLine, ...]
    status: str = "accepted"  # "accepted" (hard reservations) or "needs_review" (soft hold)
    actor: str = "system"
    reasons: tuple[str, ...] = ()
    versions: dict = field(default_factory=dict)
    reply_to: ReplyTo | None = None
    origin: str = "email"
    at: datetime | None = None


@dataclass(frozen=True)
class AcceptOrder:
    order_id: str
    actor: str
    reason: str | None = None
    versions: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ConfirmOrder:
    order_id: str
    actor: str
    reason: str | None = None
    versions: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CancelOrder:
    order_id: str
    actor: str
    reason: str | None = None
    versions: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RejectOrder:
    order_id: str
    actor: str
    reason: str | None = None
    versions: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ApplyChangeOrder:
    """Replace an order's lines (and optionally dates/ship-to) by a customer's change order."""

    lines: tuple[NewOrderLine, ...]
    actor: str
    order_id: str | None = None
    customer_id: str | None = None
    po_number: str | None = None
    requested_delivery_date: date | None = None
    ship_to_id: str | None = None
    reason: str | None = None
    message_key: str | None = None
    versions: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ShipOrder:
    """Ship what is reserved for the order (all of it, or only the given line numbers)."""

    order_id: str
    actor: str
    line_nos: tuple[int, ...] | None = None
    reference: str | None = None  # delivery note / tracking number


@dataclass(frozen=True)
class DeliverOrder:
    order_id: str
    actor: str


@dataclass(frozen=True)
class ReturnLine:
    line_no: int
    qty: Decimal  # base units
    disposition: str = "restock"  # "restock" or "scrap"
    warehouse_id: str | None = None  # default: where the line shipped from


@dataclass(frozen=True)
class ReturnOrder:
    order_id: str
    lines: tuple[ReturnLine, ...]
    actor: str
    rma_number: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ExpireSoftReservations:
    at: datetime | None = None


@dataclass(frozen=True)
class UpdateRuleSet:
    customer_id: str | None  # None = the global defaults
    changes: dict  # rule key -> new value (None removes a customer override)
    actor: str
    why: str


@dataclass(frozen=True)
class AddCrossReference:
    customer_id: str
    customer_sku: str
    sku: str
    actor: str
    customer_description: str | None = None


@dataclass(frozen=True)
class SaveLayoutHint:
    customer_id: str
    layout_key: str
    hint: dict
    actor: str


@dataclass(frozen=True)
class RecordMessageDecision:
    """Upsert the processed_messages row of one inbound message (None fields keep old values)."""

    message_key: str
    kind: str | None = None
    decision: str | None = None
    status: str | None = None
    review_reasons: list | None = None
    reasons_detail: list | None = None
    proposed: dict | None = None
    order_id: str | None = None
    error: str | None = None
    timings: dict | None = None
    customer_id: str | None = None
    po_number: str | None = None
    sender: str | None = None
    subject: str | None = None
    format: str | None = None
    language: str | None = None
    value: Decimal | None = None
    decided_by: str | None = None
    versions: dict | None = None
    llm_tokens: int | None = None
    llm_cost: Decimal | None = None
    at: datetime | None = None
