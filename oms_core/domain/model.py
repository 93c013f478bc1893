"""The order-management domain: plain dataclasses and Decimal, no I/O and no frameworks."""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal

from oms_core.domain.errors import InvalidTransition
from oms_core.domain.statuses import LineStatus, OrderStatus, ReservationKind, ReservationStatus

ZERO = Decimal("0")
CENT = Decimal("0.01")


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (the only clock the domain uses)."""
    return datetime.now(timezone.utc)


def order_id_for_message(message_key: str) -> str:
    """A stable order id derived from the message key: the same message always gives the same order."""
    return "SO-" + hashlib.sha256(message_key.encode()).hexdigest()[:12].upper()


def new_order_id() -> str:
    """A fresh order id for orders not booked from a message (manual entry, API)."""
    return "SO-" + uuid.uuid4().hex[:12].upper()


@dataclass(frozen=True)
class Address:
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Customer:
    customer_id: str
    name: str
    email_domains: tuple[str, ...] = ()
    vat_id: str | None = None
    language: str = "en"
    currency: str = "EUR"
    credit_limit: Decimal | None = None
    payment_terms: str | None = None
    bill_address: Address = Address()
    active: bool = True


@dataclass(frozen=True)
class ShipTo:
    customer_id: str
    ship_to_id: str
    name: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    description: str | None = None
    uom: str = "EA"
    pack_size: Decimal = Decimal("1")
    unit_price: Decimal | None = None
    currency: str = "EUR"
    gtin: str | None = None
    active: bool = True


@dataclass(frozen=True)
class UomConversion:
    sku: str
    uom: str
    factor: Decimal  # base units in one ordered unit


@dataclass(frozen=True)
class CustomerItem:
    customer_id: str
    customer_sku: str
    sku: str
    customer_description: str | None = None


@dataclass(frozen=True)
class Price:
    customer_id: str
    sku: str
    unit_price: Decimal  # per base unit
    currency: str = "EUR"
    valid_from: date | None = None
    valid_to: date | None = None
    min_qty: Decimal | None = None


@dataclass(frozen=True)
class Warehouse:
    warehouse_id: str
    name: str | None = None
    country: str | None = None
    postal_code: str | None = None


@dataclass(frozen=True)
class KitComponent:
    kit_sku: str
    component_sku: str
    qty: Decimal  # component base units per kit base unit


@dataclass(frozen=True)
class LayoutHint:
    customer_id: str
    layout_key: str
    hint: dict
    actor: str | None = None
    updated_at: datetime | None = None


@dataclass
class StockItem:
    warehouse_id: str
    sku: str
    on_hand: Decimal
    reserved: Decimal = ZERO

    @property
    def atp(self) -> Decimal:
        """Available to promise: on hand minus everything reserved (soft and hard)."""
        return self.on_hand - self.reserved


@dataclass
class Reservation:
    order_id: str
    line_no: int
    sku: str
    warehouse_id: str
    qty: Decimal
    kind: str = ReservationKind.HARD
    status: str = ReservationStatus.ACTIVE
    expires_at: datetime | None = None
    created_at: datetime | None = None
    id: int | None = None


@dataclass
class RuleSet:
    """One version of a rule set: global (customer_id None) or a customer's overrides."""

    customer_id: str | None
    version: int
    rules: dict
    actor: str
    why: str
    created_at: datetime | None = None


@dataclass
class OrderLine:
    line_no: int
    sku: str | None
    qty: Decimal
    uom: str | None = None
    qty_base: Decimal | None = None
    unit_price: Decimal | None = None
    line_total: Decimal | None = None
    customer_sku: str | None = None
    description: str | None = None
    status: str = LineStatus.OPEN
    qty_reserved: Decimal = ZERO  # base units
    qty_backordered: Decimal = ZERO  # base units
    qty_shipped: Decimal = ZERO  # base units
    qty_returned: Decimal = ZERO  # base units

    @property
    def base_qty(self) -> Decimal:
        """Quantity in the product's base unit (the unit stock is counted in)."""
        return self.qty_base if self.qty_base is not None else self.qty

    @property
    def amount(self) -> Decimal:
        """The line's value: the printed line total, else qty x unit price, else zero."""
        if self.line_total is not None:
            return self.line_total
        if self.unit_price is not None:
            return (self.qty * self.unit_price).quantize(CENT)
        return ZERO

    def same_content(self, other: "OrderLine") -> bool:
        """True when a change order leaves this line as it was (ignoring reservation state)."""
        return (self.sku, self.base_qty, self.unit_price, self.uom) == (
            other.sku, other.base_qty, other.unit_price, other.uom)


@dataclass
class Order:
    order_id: str
    customer_id: str | None
    po_number: str | None
    status: str
    lines: list[OrderLine] = field(default_factory=list)
    order_date: date | None = None
    requested_delivery_date: date | None = None
    ship_to_id: str | None = None
    currency: str | None = None
    message_key: str | None = None
    origin: str = "email"
    reply_to: dict | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.status != LineStatus.CANCELLED), ZERO)

    @property
    def is_open(self) -> bool:
        return self.status in OrderStatus.OPEN

    def line(self, line_no: int) -> OrderLine:
        for line in self.lines:
            if line.line_no == line_no:
                return line
        raise KeyError(line_no)

    def active_lines(self) -> list[OrderLine]:
        return [line for line in self.lines if line.status != LineStatus.CANCELLED]

    def move_to(self, status: str) -> str:
        """Change status if the lifecycle allows it; returns the previous status."""
        allowed = OrderStatus.ALLOWED_FROM.get(status, ())
        if self.status not in allowed:
            raise InvalidTransition(f"order {self.order_id} is {self.status}; cannot become {status}")
        previous, self.status = self.status, status
        return previous

    def fulfilment_status(self) -> str:
        """ALLOCATED when every active line is fully reserved, else BACKORDERED."""
        short = any(line.qty_backordered > 0 or line.status in (LineStatus.OPEN, LineStatus.BACKORDERED)
                    for line in self.active_lines() if line.sku)
        return OrderStatus.BACKORDERED if short else OrderStatus.ALLOCATED


@dataclass
class OrderEvent:
    """One entry of an order's history: what happened, who or what did it, why, with which versions."""

    order_id: str
    type: str
    actor: str
    reasons: tuple[str, ...] = ()
    detail: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    at: datetime | None = None
    id: int | None = None


@dataclass
class OutboxMessage:
    kind: str
    idempotency_key: str
    payload: dict
    order_id: str | None = None
    status: str = "pending"
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    external_ref: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    sent_at: datetime | None = None
    id: int | None = None


@dataclass
class ProcessedMessage:
    """One row per inbound message: what was decided about it and why."""

    message_key: str
    kind: str | None = None
    decision: str | None = None
    status: str = "processing"
    review_reasons: list = field(default_factory=list)
    reasons_detail: list = field(default_factory=list)
    proposed: dict | None = None
    order_id: str | None = None
    error: str | None = None
    timings: dict = field(default_factory=dict)
    customer_id: str | None = None
    po_number: str | None = None
    sender: str | None = None
    subject: str | None = None
    format: str | None = None
    language: str | None = None
    value: Decimal | None = None
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    versions: dict = field(default_factory=dict)
    llm_tokens: int | None = None
    llm_cost: Decimal | None = None
