"""What a confirmation shows: the order as stored now, in ordered units, with backorders."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from oms_core.service_layer.outbox_rows import effective_rules
from oms_core.service_layer.views import order_view

EDI_ORIGINS = {"x12", "edi", "edi_x12", "x12_850", "edifact", "edi_edifact", "edifact_orders"}


def _dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal("0")


def _ordered_units(base_qty: Decimal, line: dict) -> Decimal:
    """Base units back to the unit the customer ordered in (qty_base / qty per ordered unit)."""
    qty, qty_base = _dec(line.get("qty")), _dec(line.get("qty_base") or line.get("qty"))
    if not qty or not qty_base or qty == qty_base:
        return base_qty
    return (base_qty * qty / qty_base).normalize()


def message_format(uow, order) -> str | None:
    """The inbound format of the order's message (x12, edifact, pdf, ...) if recorded."""
    if getattr(order, "message_key", None):
        message = uow.messages.get(order.message_key)
        if message is not None and message.format:
            return str(message.format).lower()
    return (order.origin or "").lower() or None


def confirmation_view(uow, order_id: str, *, sender_name: str, today: date | None = None) -> dict:
    """The dict render_confirmation and the EDI writers take; read inside an open unit of work.

    Expected dates of backorders: the OMS keeps no purchase orders, so they are promised at the
    customer's lead time (`lead_time_days` rule) after today, never before the delivery date.
    """
    order = uow.orders.get(order_id)
    if order is None:
        raise LookupError(f"order {order_id} does not exist")
    view = order_view(order)
    customer = uow.customers.get(order.customer_id) if order.customer_id else None
    rules = effective_rules(uow, order.customer_id)
    today = today or date.today()
    lead = timedelta(days=int(rules.get("lead_time_days") or 0))
    delivery = order.requested_delivery_date or today + lead
    expected = max(delivery, today + lead)
    lines = []
    for line in view["lines"]:
        backordered = _ordered_units(_dec(line.get("qty_backordered")), line)
        qty = _dec(line.get("qty"))
        lines.append({**line, "confirmed_qty": max(qty - backordered, Decimal("0")),
                      "backordered_qty": backordered or None,
                      "expected_date": expected if backordered else None})
    fmt = message_format(uow, order)
    return {
        **view,
        "reference": order.order_id,
        "lines": lines,
        "delivery_date": delivery,
        "customer_name": customer.name if customer else None,
        "language": customer.language if customer else None,
        "sender_name": sender_name,
        "format": fmt,
        "is_edi": fmt in EDI_ORIGINS,
    }
