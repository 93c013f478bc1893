"""Outbox rows written with the order (same transaction): ERP push and confirmation."""
from __future__ import annotations

from oms_core.domain.model import Order, OutboxMessage
from oms_core.domain.rulebook import merge_rules
from oms_core.domain.statuses import OutboxKind, OutboxStatus
from oms_core.service_layer.views import order_view


def effective_rules(uow, customer_id: str | None) -> dict:
    """Global defaults overlaid by the customer's overrides (the newest version of each)."""
    global_set, customer_set = uow.rules.latest_pair(customer_id)
    return merge_rules(global_set.rules if global_set else None, customer_set.rules if customer_set else None)


def queue_order_messages(order: Order, uow) -> list[str]:
    """Queue `erp:<id>` and `confirm:<id>` unless queued before (one write); returns both keys."""
    rules = effective_rules(uow, order.customer_id)
    mode = "send" if rules["auto_send_confirmation"] else "draft"
    customer = uow.customers.get(order.customer_id) if order.customer_id else None
    rows = [
        OutboxMessage(OutboxKind.ERP_PUSH, f"erp:{order.order_id}", {"order": order_view(order)},
                      order_id=order.order_id),
        OutboxMessage(OutboxKind.CONFIRMATION, f"confirm:{order.order_id}", {
            "mode": mode, "reply_to": order.reply_to or {}, "order_id": order.order_id,
            "language": customer.language if customer else "en"},
            order_id=order.order_id, status=OutboxStatus.PENDING if mode == "send" else OutboxStatus.DRAFT),
    ]
    uow.outbox.add_all(rows)
    return [row.idempotency_key for row in rows]
