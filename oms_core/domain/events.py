"""Domain events (past tense): what happened to an order; stored as order_events rows."""
from __future__ import annotations

ORDER_CREATED = "order_created"
ORDER_ACCEPTED = "order_accepted"
ORDER_CONFIRMED = "order_confirmed"
ORDER_ALLOCATED = "order_allocated"
ORDER_BACKORDERED = "order_backordered"
ORDER_CANCELLED = "order_cancelled"
ORDER_REJECTED = "order_rejected"
ORDER_CHANGED = "order_changed"
ORDER_SHIPPED = "order_shipped"
ORDER_DELIVERED = "order_delivered"
ORDER_RETURNED = "order_returned"
STOCK_RESERVED = "stock_reserved"
OUT_OF_STOCK = "out_of_stock"  # some quantity could not be reserved: backordered
RESERVATIONS_RELEASED = "reservations_released"
SOFT_RESERVATIONS_EXPIRED = "soft_reservations_expired"
OUTBOX_QUEUED = "outbox_queued"

ALL = (
    ORDER_CREATED, ORDER_ACCEPTED, ORDER_CONFIRMED, ORDER_ALLOCATED, ORDER_BACKORDERED,
    ORDER_CANCELLED, ORDER_REJECTED, ORDER_CHANGED, ORDER_SHIPPED, ORDER_DELIVERED,
    ORDER_RETURNED, STOCK_RESERVED, OUT_OF_STOCK, RESERVATIONS_RELEASED,
    SOFT_RESERVATIONS_EXPIRED, OUTBOX_QUEUED,
)
