"""Helpers shared by handlers: load-or-fail, order events, reservation outcome events."""
from __future__ import annotations

from oms_core.domain import events
from oms_core.domain.allocation import Plan
from oms_core.domain.errors import UnknownOrder
from oms_core.domain.model import Order, OrderEvent


def get_order(uow, order_id: str, lock: bool = True) -> Order:
    """The order (row-locked on PostgreSQL), or UnknownOrder."""
    order = uow.orders.get(order_id, for_update=lock)
    if order is None:
        raise UnknownOrder(f"no order {order_id!r}")
    return order


def record(uow, order: Order, type: str, actor: str, reasons=(), detail: dict | None = None,
           versions: dict | None = None, at=None) -> None:
    """Write one order event: what happened, who or what did it, why, with which versions."""
    uow.events.add(OrderEvent(order.order_id, type, actor, tuple(r for r in reasons if r),
                              {"status": order.status, **(detail or {})}, dict(versions or {}), at))


def record_plan(uow, order: Order, plan: Plan, actor: str, kind: str, at=None) -> None:
    """Events for what was reserved where, and what is backordered (reason `out_of_stock`)."""
    if plan.allocations:
        record(uow, order, events.STOCK_RESERVED, actor, detail={"kind": kind, "reservations": [
            {"line_no": a.line_no, "sku": a.sku, "warehouse_id": a.warehouse_id, "qty": a.qty}
            for a in plan.allocations]}, at=at)
    if plan.shortages:
        record(uow, order, events.OUT_OF_STOCK, actor, reasons=("out_of_stock",), detail={"shortages": [
            {"line_no": n.line_no, "sku": n.sku, "qty": n.qty} for n in plan.shortages]}, at=at)
