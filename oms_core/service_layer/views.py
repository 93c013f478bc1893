"""Plain-dict views of domain objects (JSON-ready: decimals as strings, dates ISO)."""
from __future__ import annotations

from dataclasses import asdict

from oms_core.adapters.types import jsonable
from oms_core.domain.model import Order

LINE_KEYS = ("line_no", "sku", "customer_sku", "description", "qty", "uom", "qty_base", "unit_price",
             "line_total", "status", "qty_reserved", "qty_backordered", "qty_shipped", "qty_returned")


def order_view(order: Order) -> dict:
    """The order as a JSON-ready dict (the ERP payload and the UI's order view)."""
    return jsonable({
        "order_id": order.order_id, "customer_id": order.customer_id, "po_number": order.po_number,
        "order_date": order.order_date, "requested_delivery_date": order.requested_delivery_date,
        "ship_to_id": order.ship_to_id, "currency": order.currency, "status": order.status,
        "origin": order.origin, "message_key": order.message_key, "reply_to": order.reply_to,
        "order_total": order.total, "created_at": order.created_at, "updated_at": order.updated_at,
        "lines": [{k: getattr(line, k) for k in LINE_KEYS} for line in order.lines],
    })


def as_dict(obj) -> dict:
    """Any domain dataclass as a JSON-ready dict."""
    return jsonable(asdict(obj))
