"""Change orders: diff old vs new lines and adjust reservations to match."""
from __future__ import annotations

from dataclasses import asdict

from oms_core.domain import events
from oms_core.domain.changes import diff_lines
from oms_core.domain.commands import ApplyChangeOrder
from oms_core.domain.errors import OrderNotEditable, UnknownOrder
from oms_core.domain.model import ZERO, OrderLine, OutboxMessage, utcnow
from oms_core.domain.statuses import LineStatus, OutboxKind, ReservationKind
from oms_core.domain.statuses import OrderStatus as S
from oms_core.service_layer.handlers.common import get_order, record, record_plan
from oms_core.service_layer.inventory import components_of, release, reserve_order
from oms_core.service_layer.views import order_view

_RESERVING = {S.NEEDS_REVIEW: ReservationKind.SOFT, S.ACCEPTED: ReservationKind.HARD,
              S.CONFIRMED: ReservationKind.HARD, S.ALLOCATED: ReservationKind.HARD,
              S.BACKORDERED: ReservationKind.HARD}


def _find(cmd: ApplyChangeOrder, uow):
    if cmd.order_id:
        return get_order(uow, cmd.order_id)
    candidates = [o for o in uow.orders.find_by_po(cmd.customer_id, cmd.po_number) if o.is_open]
    if not candidates:
        raise UnknownOrder(f"no open order {cmd.po_number!r} of customer {cmd.customer_id!r}")
    return get_order(uow, candidates[-1].order_id)


def apply_change_order(cmd: ApplyChangeOrder, uow) -> dict:
    """Replace the order's lines by the change order's; release/reserve only what changed."""
    with uow:
        order = _find(cmd, uow)
        if order.status not in S.CHANGEABLE:
            raise OrderNotEditable(f"order {order.order_id} is {order.status}; it can no longer change")
        new_lines = [OrderLine(**asdict(line)) for line in cmd.lines]
        diff = diff_lines(order.lines, new_lines)
        old_components = components_of(order, uow)
        touched = set(diff.removed) | set(diff.changed_line_nos)
        release(uow, [r for r in uow.stock.reservations_for(order.order_id) if r.line_no in touched])
        replaced = set(diff.changed_line_nos) | set(diff.added)
        lines = [line for line in order.lines if line.line_no not in replaced]
        for line in lines:
            if line.line_no in diff.removed:
                line.status, line.qty_reserved, line.qty_backordered = LineStatus.CANCELLED, ZERO, ZERO
        new_by_no = {line.line_no: line for line in new_lines}
        order.lines = sorted([*lines, *(new_by_no[n] for n in replaced)], key=lambda line: line.line_no)
        order.requested_delivery_date = cmd.requested_delivery_date or order.requested_delivery_date
        order.ship_to_id = cmd.ship_to_id or order.ship_to_id
        kind = _RESERVING.get(order.status)
        if kind:
            uow.stock.lock({s for comps in old_components.values() for s in comps}
                           | {s for comps in components_of(order, uow).values() for s in comps})
            plan = reserve_order(order, uow, kind, utcnow())
            record_plan(uow, order, plan, cmd.actor, kind)
        if order.status in (S.ALLOCATED, S.BACKORDERED) and order.fulfilment_status() != order.status:
            order.move_to(order.fulfilment_status())
        uow.orders.save(order)
        detail = {"added": diff.added, "removed": diff.removed, "changed": list(diff.changed),
                  "message_key": cmd.message_key}
        record(uow, order, events.ORDER_CHANGED, cmd.actor, (cmd.reason,), detail, cmd.versions)
        if order.status != S.NEEDS_REVIEW and uow.outbox.get_by_key(f"erp:{order.order_id}") and not diff.is_empty:
            n = sum(1 for e in uow.events.for_order(order.order_id) if e.type == events.ORDER_CHANGED)
            uow.outbox.add(OutboxMessage(OutboxKind.ERP_PUSH, f"erp:{order.order_id}:change:{n}",
                                         {"order": order_view(order), "change": detail}, order.order_id))
        uow.commit()
        return {"order_id": order.order_id, "status": order.status, **detail}
