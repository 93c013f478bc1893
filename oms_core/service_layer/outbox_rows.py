"""Outbox rows written with the order (same transaction): ERP push, its amendments, confirmation."""
from __future__ import annotations

from oms_core.domain.model import Order, OutboxMessage
from oms_core.domain.rulebook import merge_rules
from oms_core.domain.statuses import OutboxKind, OutboxStatus
from oms_core.service_layer.views import order_view


def effective_rules(uow, customer_id: str | None) -> dict:
    """Global defaults overlaid by the customer's overrides (the newest version of each)."""
    global_set, customer_set = uow.rules.latest_pair(customer_id)
    return merge_rules(global_set.rules if global_set else None, customer_set.rules if customer_set else None)


def erp_key(order_id: str, *amendment) -> str:
    """`erp:<id>` for the push; `erp:<id>:change:<n>` or `erp:<id>:cancel` for later amendments."""
    return ":".join(("erp", str(order_id), *(str(part) for part in amendment)))


def queue_erp_amendment(order: Order, uow, what: str, detail: dict, *amendment) -> bool:
    """Queue a change or cancellation of an order already queued for the ERP; False if it wasn't.

    The payload carries the whole order as it is now plus `{what: detail}`, which tells the
    adapter to amend the ERP document of the first push instead of creating another one.
    """
    if not uow.outbox.get_by_key(erp_key(order.order_id)):
        return False
    uow.outbox.add(OutboxMessage(OutboxKind.ERP_PUSH, erp_key(order.order_id, *amendment),
                                 {"order": order_view(order), what: detail}, order.order_id))
    return True


def queue_order_messages(order: Order, uow) -> list[str]:
    """Queue `erp:<id>` and `confirm:<id>` unless queued before (one write); returns both keys."""
    rules = effective_rules(uow, order.customer_id)
    mode = "send" if rules["auto_send_confirmation"] else "draft"
    customer = uow.customers.get(order.customer_id) if order.customer_id else None
    rows = [
        OutboxMessage(OutboxKind.ERP_PUSH, erp_key(order.order_id), {"order": order_view(order)},
                      order_id=order.order_id),
        OutboxMessage(OutboxKind.CONFIRMATION, f"confirm:{order.order_id}", {
            "mode": mode, "reply_to": order.reply_to or {}, "order_id": order.order_id,
            "language": customer.language if customer else "en"},
            order_id=order.order_id, status=OutboxStatus.PENDING if mode == "send" else OutboxStatus.DRAFT),
    ]
    uow.outbox.add_all(rows)
    return [row.idempotency_key for row in rows]
