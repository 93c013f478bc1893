"""Shipping (consumes reservations), returns (restock or scrap), soft-reservation expiry."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from oms_core.domain import events
from oms_core.domain.allocation import kit_units
from oms_core.domain.commands import ExpireSoftReservations, ReturnOrder, ShipOrder
from oms_core.domain.errors import InvalidQuantity, InvalidTransition
from oms_core.domain.model import ZERO, utcnow
from oms_core.domain.statuses import Disposition, ReservationKind, ReservationStatus
from oms_core.domain.statuses import OrderStatus as S
from oms_core.service_layer.handlers.common import get_order, record
from oms_core.service_layer.inventory import components_of, refresh_order_lines, release


def ship_order(cmd: ShipOrder, uow) -> dict:
    """Ship everything hard-reserved (optionally only some lines): on hand and reserved go down."""
    with uow:
        order = get_order(uow, cmd.order_id)
        if order.status not in S.ALLOWED_FROM[S.SHIPPED]:
            raise InvalidTransition(f"order {order.order_id} is {order.status}; it cannot ship")
        held = [r for r in uow.stock.reservations_for(order.order_id) if r.kind == ReservationKind.HARD
                and (cmd.line_nos is None or r.line_no in cmd.line_nos)]
        release(uow, held, ReservationStatus.CONSUMED)
        uow.stock.add_on_hand([(r.warehouse_id, r.sku, -r.qty) for r in held])
        components = components_of(order, uow)
        shipped = defaultdict(lambda: defaultdict(lambda: ZERO))
        for r in held:
            shipped[r.line_no][r.sku] += r.qty
        for line_no, per_sku in shipped.items():
            order.line(line_no).qty_shipped += kit_units(per_sku, components[line_no])
        refresh_order_lines(order, uow)
        if all(line.qty_shipped >= line.base_qty for line in order.active_lines() if line.sku):
            order.move_to(S.SHIPPED)
        uow.orders.save(order)
        detail = {"reference": cmd.reference, "shipments": [
            {"line_no": r.line_no, "sku": r.sku, "warehouse_id": r.warehouse_id, "qty": r.qty} for r in held]}
        record(uow, order, events.ORDER_SHIPPED, cmd.actor, detail=detail)
        uow.commit()
        return {"order_id": order.order_id, "status": order.status, **detail}


def return_order(cmd: ReturnOrder, uow) -> dict:
    """Take goods back (RMA): restock into the warehouse they left from, or scrap them."""
    with uow:
        order = get_order(uow, cmd.order_id)
        components = components_of(order, uow)
        consumed = uow.stock.reservations_for(order.order_id, ReservationStatus.CONSUMED)
        restock = []
        for ret in cmd.lines:
            line = order.line(ret.line_no)
            if ret.qty <= 0 or ret.qty > line.qty_shipped - line.qty_returned:
                raise InvalidQuantity(f"line {ret.line_no}: cannot return {ret.qty}; "
                                      f"shipped {line.qty_shipped}, returned {line.qty_returned}")
            line.qty_returned += ret.qty
            if ret.disposition == Disposition.RESTOCK:
                for sku, per_unit in components[ret.line_no].items():
                    origin = next((r.warehouse_id for r in consumed if r.line_no == ret.line_no and r.sku == sku),
                                  None)
                    restock.append((ret.warehouse_id or origin, sku, ret.qty * per_unit))
        uow.stock.add_on_hand([r for r in restock if r[0]])
        uow.orders.save(order)
        detail = {"rma_number": cmd.rma_number, "restocked": restock, "lines": [
            {"line_no": r.line_no, "qty": r.qty, "disposition": r.disposition} for r in cmd.lines]}
        record(uow, order, events.ORDER_RETURNED, cmd.actor, (cmd.reason,), detail)
        uow.commit()
        return {"order_id": order.order_id, **detail}


def expire_soft_reservations(now: datetime | ExpireSoftReservations | None, uow) -> int:
    """Release soft holds whose time ran out; returns how many reservations expired."""
    if isinstance(now, ExpireSoftReservations) or now is None:
        now = (now.at if now else None) or utcnow()
    with uow:
        expired = uow.stock.expired_soft(now)
        release(uow, expired, ReservationStatus.EXPIRED)
        for order_id in sorted({r.order_id for r in expired}):
            order = get_order(uow, order_id)
            refresh_order_lines(order, uow)
            uow.orders.save(order)
            record(uow, order, events.SOFT_RESERVATIONS_EXPIRED, "system", ("soft_reservation_expired",),
                   {"count": sum(1 for r in expired if r.order_id == order_id)}, at=now)
        uow.commit()
        return len(expired)
