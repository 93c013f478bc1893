"""The order core's tables (SQLAlchemy Core, on its own MetaData; Alembic branch `core`).

Repositories map rows to the plain domain dataclasses by hand: the domain stays free of
SQLAlchemy, and hot paths (reservations, imports) run lean set-based SQL.
"""
from __future__ import annotations

import sqlalchemy as sa

from oms_core.adapters.types import BigId, Estimate, Json, Money, Quantity, UtcDateTime

metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


def _id(name: str = "id") -> sa.Column:
    return sa.Column(name, BigId, primary_key=True, autoincrement=True)


def _ts(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, UtcDateTime(), nullable=nullable)


# ---- master data -------------------------------------------------------------------------
products = sa.Table(
    "products", metadata,
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("uom", sa.String(16), nullable=False),
    sa.Column("pack_size", Quantity, nullable=False),
    sa.Column("unit_price", Money),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("gtin", sa.String(32), index=True),
    sa.Column("active", sa.Boolean, nullable=False),
)

uom_conversions = sa.Table(
    "uom_conversions", metadata,
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("uom", sa.String(16), primary_key=True),
    sa.Column("factor", Quantity, nullable=False),
)

customers = sa.Table(
    "customers", metadata,
    sa.Column("customer_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("email_domains", Json, nullable=False),
    sa.Column("vat_id", sa.String(32), index=True),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("credit_limit", Money),
    sa.Column("payment_terms", sa.String(100)),
    sa.Column("bill_street", sa.String(300)),
    sa.Column("bill_postal_code", sa.String(20)),
    sa.Column("bill_city", sa.String(100)),
    sa.Column("bill_country", sa.String(2)),
    sa.Column("active", sa.Boolean, nullable=False),
)

ship_to = sa.Table(
    "ship_to", metadata,
    sa.Column("customer_id", sa.String(64), primary_key=True),
    sa.Column("ship_to_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(300)),
    sa.Column("street", sa.String(300)),
    sa.Column("postal_code", sa.String(20)),
    sa.Column("city", sa.String(100)),
    sa.Column("country", sa.String(2)),
)

customer_items = sa.Table(
    "customer_items", metadata,
    sa.Column("customer_id", sa.String(64), primary_key=True),
    sa.Column("customer_sku", sa.String(100), primary_key=True),
    sa.Column("sku", sa.String(64), nullable=False),
    sa.Column("customer_description", sa.Text),
)

prices = sa.Table(
    "prices", metadata,
    _id(),
    sa.Column("customer_id", sa.String(64), nullable=False),
    sa.Column("sku", sa.String(64), nullable=False),
    sa.Column("unit_price", Money, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("valid_from", sa.Date),
    sa.Column("valid_to", sa.Date),
    sa.Column("min_qty", Quantity),
    sa.Index("ix_prices_customer_sku", "customer_id", "sku"),
)

warehouses = sa.Table(
    "warehouses", metadata,
    sa.Column("warehouse_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(300)),
    sa.Column("country", sa.String(2)),
    sa.Column("postal_code", sa.String(20)),
)

stock = sa.Table(
    "stock", metadata,
    sa.Column("warehouse_id", sa.String(64), primary_key=True),
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("on_hand", Quantity, nullable=False),
    sa.Column("reserved", Quantity, nullable=False),  # sum of active reservations, kept in step
    sa.Index("ix_stock_sku", "sku"),
)

kits = sa.Table(
    "kits", metadata,
    sa.Column("kit_sku", sa.String(64), primary_key=True),
    sa.Column("component_sku", sa.String(64), primary_key=True),
    sa.Column("qty", Quantity, nullable=False),
)

layout_hints = sa.Table(
    "layout_hints", metadata,
    sa.Column("customer_id", sa.String(64), primary_key=True),
    sa.Column("layout_key", sa.String(128), primary_key=True),
    sa.Column("hint", Json, nullable=False),
    sa.Column("actor", sa.String(100)),
    _ts("updated_at"),
)

# ---- orders --------------------------------------------------------------------------------
orders = sa.Table(
    "orders", metadata,
    sa.Column("order_id", sa.String(32), primary_key=True),
    sa.Column("message_key", sa.String(64), unique=True),
    sa.Column("customer_id", sa.String(64)),
    sa.Column("po_number", sa.String(100)),
    sa.Column("order_date", sa.Date),
    sa.Column("requested_delivery_date", sa.Date),
    sa.Column("ship_to_id", sa.String(64)),
    sa.Column("currency", sa.String(3)),
    sa.Column("status", sa.String(20), nullable=False, index=True),
    sa.Column("origin", sa.String(20), nullable=False),
    sa.Column("total", Money, nullable=False),
    sa.Column("reply_to", Json),
    _ts("created_at", nullable=False),
    _ts("updated_at", nullable=False),
    sa.Index("ix_orders_customer_po", "customer_id", "po_number"),
)

order_lines = sa.Table(
    "order_lines", metadata,
    sa.Column("order_id", sa.String(32), sa.ForeignKey("orders.order_id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("line_no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("sku", sa.String(64)),
    sa.Column("customer_sku", sa.String(100)),
    sa.Column("description", sa.Text),
    sa.Column("qty", Quantity, nullable=False),
    sa.Column("uom", sa.String(16)),
    sa.Column("qty_base", Quantity),
    sa.Column("unit_price", Money),
    sa.Column("line_total", Money),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("qty_reserved", Quantity, nullable=False),
    sa.Column("qty_backordered", Quantity, nullable=False),
    sa.Column("qty_shipped", Quantity, nullable=False),
    sa.Column("qty_returned", Quantity, nullable=False),
)

reservations = sa.Table(
    "reservations", metadata,
    _id(),
    sa.Column("order_id", sa.String(32), nullable=False, index=True),
    sa.Column("line_no", sa.Integer, nullable=False),
    sa.Column("sku", sa.String(64), nullable=False),
    sa.Column("warehouse_id", sa.String(64), nullable=False),
    sa.Column("qty", Quantity, nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("status", sa.String(12), nullable=False),
    _ts("expires_at"),
    _ts("created_at", nullable=False),
    _ts("updated_at", nullable=False),
    sa.Index("ix_reservations_status_expires", "status", "expires_at"),
)

order_events = sa.Table(
    "order_events", metadata,
    _id(),
    sa.Column("order_id", sa.String(32), nullable=False, index=True),
    sa.Column("type", sa.String(40), nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("reasons", Json, nullable=False),
    sa.Column("detail", Json, nullable=False),
    sa.Column("versions", Json, nullable=False),
    _ts("at", nullable=False),
)

audit_log = sa.Table(
    "audit_log", metadata,
    _id(),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("action", sa.String(60), nullable=False, index=True),
    sa.Column("target", sa.String(200)),
    sa.Column("detail", Json, nullable=False),
    _ts("at", nullable=False),
)

rule_versions = sa.Table(
    "rule_versions", metadata,
    _id(),
    sa.Column("customer_id", sa.String(64), index=True),  # NULL = global defaults
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("rules", Json, nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("why", sa.Text, nullable=False),
    _ts("created_at", nullable=False),
)

processed_messages = sa.Table(
    "processed_messages", metadata,
    sa.Column("message_key", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(20)),
    sa.Column("decision", sa.String(20), index=True),
    sa.Column("status", sa.String(20), nullable=False, index=True),
    sa.Column("review_reasons", Json, nullable=False),
    sa.Column("reasons_detail", Json, nullable=False),
    sa.Column("proposed", Json),
    sa.Column("order_id", sa.String(32)),
    sa.Column("error", sa.Text),
    sa.Column("timings", Json, nullable=False),
    sa.Column("customer_id", sa.String(64), index=True),
    sa.Column("po_number", sa.String(100)),
    sa.Column("sender", sa.String(300)),
    sa.Column("subject", sa.Text),
    sa.Column("format", sa.String(30)),
    sa.Column("language", sa.String(8)),
    sa.Column("value", Estimate),  # a sort/display figure: rounded half-even
    sa.Column("claimed_by", sa.String(100)),
    _ts("claimed_at"),
    sa.Column("decided_by", sa.String(100)),
    _ts("decided_at"),
    _ts("created_at", nullable=False),
    _ts("updated_at", nullable=False),
    sa.Column("versions", Json, nullable=False),
    sa.Column("llm_tokens", sa.Integer),
    sa.Column("llm_cost", Estimate),  # an estimate: rounded half-even
)

outbox = sa.Table(
    "outbox", metadata,
    _id(),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("order_id", sa.String(32), index=True),
    sa.Column("idempotency_key", sa.String(100), nullable=False, unique=True),
    sa.Column("payload", Json, nullable=False),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    _ts("next_attempt_at"),
    sa.Column("last_error", sa.Text),
    sa.Column("external_ref", sa.String(200)),
    _ts("created_at", nullable=False),
    _ts("updated_at", nullable=False),
    _ts("sent_at"),
    sa.Index("ix_outbox_status_next", "status", "next_attempt_at"),
)

CORE_TABLES = tuple(metadata.tables)
