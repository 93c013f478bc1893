"""Order lifecycle handlers: create, accept, confirm, cancel, reject, deliver."""
from __future__ import annotations

from dataclasses import asdict

from oms_core.domain import events
from oms_core.domain.commands import (AcceptOrder, CancelOrder, ConfirmOrder, CreateOrder, DeliverOrder,
                                      RejectOrder)
from oms_core.domain.errors import InvalidQuantity, InvalidTransition
from oms_core.domain.model import ZERO, Order, OrderLine, new_order_id, order_id_for_message, utcnow
from oms_core.domain.statuses import OrderStatus as S
from oms_core.domain.statuses import ReservationKind
from oms_core.service_layer.handlers.common import get_order, record, record_plan
from oms_core.service_layer.inventory import release, reserve_order
from oms_core.service_layer.outbox_rows import effective_rules, queue_erp_amendment, queue_order_messages

_EXACT_PLACES = 4  # the scale of money and quantity columns: more places would be lost
_NUMBERS = ("qty", "qty_base", "unit_price", "line_total")

_AFTER_ACCEPT = (S.ACCEPTED, S.CONFIRMED, S.ALLOCATED, S.BACKORDERED, S.SHIPPED, S.DELIVERED)


def create_order(cmd: CreateOrder, uow) -> str:
    """Book a matched order; the same message_key always yields the same (single) order."""
    if cmd.status not in (S.ACCEPTED, S.NEEDS_REVIEW):
        raise InvalidTransition(f"a new order is accepted or needs_review, not {cmd.status!r}")
    check_places(cmd.lines)
    with uow:
        if cmd.message_key and (existing := uow.orders.get_by_message_key(cmd.message_key)):
            return existing.order_id
        now = cmd.at or utcnow()
        order = Order(order_id_for_message(cmd.message_key) if cmd.message_key else new_order_id(),
                      cmd.customer_id, cmd.po_number, S.RECEIVED, [OrderLine(**vars(l)) for l in cmd.lines],
                      cmd.order_date, cmd.requested_delivery_date, cmd.ship_to_id, cmd.currency,
                      cmd.message_key, cmd.origin, asdict(cmd.reply_to) if cmd.reply_to else None, now, now)
        record(uow, order, events.ORDER_CREATED, cmd.actor, cmd.reasons, versions=cmd.versions, at=now)
        # Read everything the booking needs before the stock rows are locked; after the lock the
        # writes are deferred and leave in one round trip with the COMMIT (see adapters/deferred.py).
        effective_rules(uow, order.customer_id)
        if order.customer_id:
            uow.customers.get(order.customer_id)
        order.move_to(cmd.status)
        kind = ReservationKind.HARD if cmd.status == S.ACCEPTED else ReservationKind.SOFT
        plan = reserve_order(order, uow, kind, now, new=True)
        uow.orders.add(order)
        if cmd.status == S.ACCEPTED:
            record(uow, order, events.ORDER_ACCEPTED, cmd.actor, cmd.reasons, versions=cmd.versions, at=now)
            queue_order_messages(order, uow)
        record_plan(uow, order, plan, cmd.actor, kind, at=now)
        uow.commit()
        return order.order_id


def check_places(lines) -> None:
    """Refuse quantities and prices with more decimal places than the books keep (nothing is rounded silently)."""
    for line in lines:
        for name in _NUMBERS:
            value = getattr(line, name)
            if value is not None and value.as_tuple().exponent < -_EXACT_PLACES and value != round(value, _EXACT_PLACES):
                raise InvalidQuantity(f"line {line.line_no}: {name} {value} has more than {_EXACT_PLACES} "
                                      "decimal places")


def accept_order(cmd: AcceptOrder, uow) -> str:
    """Approve an order in review: soft holds become hard, shortfalls are reserved, outbox queued."""
    with uow:
        order = get_order(uow, cmd.order_id)
        if order.status in _AFTER_ACCEPT:
            return order.status  # accepting twice (a re-run graph node) changes nothing
        order.move_to(S.ACCEPTED)
        uow.stock.harden(order.order_id)
        plan = reserve_order(order, uow, ReservationKind.HARD, utcnow())
        uow.orders.save(order)
        record(uow, order, events.ORDER_ACCEPTED, cmd.actor, (cmd.reason,), versions=cmd.versions)
        record_plan(uow, order, plan, cmd.actor, ReservationKind.HARD)
        queue_order_messages(order, uow)
        uow.commit()
        return order.status


def confirm_order(cmd: ConfirmOrder, uow) -> str:
    """Confirm an accepted order, then mark it allocated or backordered by its reservations."""
    with uow:
        order = get_order(uow, cmd.order_id)
        if order.status in (S.CONFIRMED, S.ALLOCATED, S.BACKORDERED, S.SHIPPED, S.DELIVERED):
            return order.status
        order.move_to(S.CONFIRMED)
        queue_order_messages(order, uow)
        record(uow, order, events.ORDER_CONFIRMED, cmd.actor, (cmd.reason,), versions=cmd.versions)
        order.move_to(order.fulfilment_status())
        record(uow, order, events.ORDER_ALLOCATED if order.status == S.ALLOCATED else events.ORDER_BACKORDERED,
               cmd.actor)
        uow.orders.save(order)
        uow.commit()
        return order.status


def _close(cmd, uow, status: str, event: str, *, amend_erp: bool = False) -> str:
    with uow:
        order = get_order(uow, cmd.order_id)
        if order.status == status:
            return status
        order.move_to(status)
        held = uow.stock.reservations_for(order.order_id)
        release(uow, held)
        for line in order.active_lines():
            line.qty_reserved, line.qty_backordered = ZERO, ZERO
        uow.orders.save(order)
        record(uow, order, event, cmd.actor, (cmd.reason,), {"released": len(held)}, cmd.versions)
        if amend_erp:
            queue_erp_amendment(order, uow, "cancel", {"reason": cmd.reason, "actor": cmd.actor}, "cancel")
        uow.commit()
        return status


def cancel_order(cmd: CancelOrder, uow) -> str:
    """Cancel an open order, give its stock back and queue its cancellation for the ERP."""
    return _close(cmd, uow, S.CANCELLED, events.ORDER_CANCELLED, amend_erp=True)


def reject_order(cmd: RejectOrder, uow) -> str:
    """Reject an order in review (not an order, duplicate, fraud); soft holds are released."""
    return _close(cmd, uow, S.REJECTED, events.ORDER_REJECTED)


def deliver_order(cmd: DeliverOrder, uow) -> str:
    """Record that the customer received a shipped order."""
    with uow:
        order = get_order(uow, cmd.order_id)
        order.move_to(S.DELIVERED)
        uow.orders.save(order)
        record(uow, order, events.ORDER_DELIVERED, cmd.actor)
        uow.commit()
        return order.status
