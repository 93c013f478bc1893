"""Orders for sales reps: list with status, reservations, backorders and ERP push state."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from oms_core.adapters import orm

PAGE_SIZE = 50
STATUSES = ("received", "needs_review", "accepted", "confirmed", "allocated", "backordered", "shipped",
            "delivered", "cancelled", "rejected")


@dataclass(frozen=True)
class OrderRow:
    order_id: str
    customer_id: str | None
    customer_name: str | None
    po_number: str | None
    status: str
    total: Decimal | None
    currency: str | None
    created_at: object
    erp_status: str | None
    erp_ref: str | None
    confirmation_status: str | None
    backordered: Decimal


def list_orders(*, session: Session, status: str | None = None, customer: str | None = None, q: str | None = None,
                page: int = 1) -> tuple[list[OrderRow], int]:
    """One page of orders, newest first, with ERP/confirmation state and backordered quantity."""
    o, c, ob, ol = orm.orders, orm.customers, orm.outbox, orm.order_lines
    where = []
    if status:
        where.append(o.c.status == status)
    if customer:
        where.append(o.c.customer_id == customer)
    if q:
        where.append(sa.or_(o.c.po_number.like(f"%{q}%"), o.c.order_id.like(f"{q}%")))
    total = session.execute(sa.select(sa.func.count()).select_from(o).where(*where)).scalar_one()
    rows = session.execute(
        sa.select(o.c.order_id, o.c.customer_id, c.c.name, o.c.po_number, o.c.status, o.c.total, o.c.currency,
                  o.c.created_at)
        .select_from(o.outerjoin(c, c.c.customer_id == o.c.customer_id))
        .where(*where).order_by(o.c.created_at.desc(), o.c.order_id.desc())
        .limit(PAGE_SIZE).offset((max(1, page) - 1) * PAGE_SIZE)
    ).all()
    ids = [r.order_id for r in rows]
    outbox: dict[tuple[str, str], tuple[str, str | None]] = {}
    backorders: dict[str, Decimal] = {}
    if ids:
        for r in session.execute(sa.select(ob.c.order_id, ob.c.kind, ob.c.status, ob.c.external_ref).where(ob.c.order_id.in_(ids))):
            outbox[(r.order_id, r.kind)] = (r.status, r.external_ref)
        for r in session.execute(sa.select(ol.c.order_id, sa.func.sum(ol.c.qty_backordered)).where(ol.c.order_id.in_(ids)).group_by(ol.c.order_id)):
            backorders[r[0]] = Decimal(str(r[1] or 0))
    items = [
        OrderRow(r.order_id, r.customer_id, r.name, r.po_number, r.status, r.total, r.currency, r.created_at,
                 outbox.get((r.order_id, "erp_push"), (None, None))[0], outbox.get((r.order_id, "erp_push"), (None, None))[1],
                 outbox.get((r.order_id, "confirmation"), (None, None))[0], backorders.get(r.order_id, Decimal(0)))
        for r in rows
    ]
    return items, total


def order_detail(context, order_id: str) -> dict | None:
    """The core's order view with reservations, events and outbox rows."""
    from oms_core.service_layer.queries import order_detail as core_order_detail

    return core_order_detail(context.uow_factory(), order_id)


def customers(*, session: Session) -> list[tuple[str, str]]:
    c = orm.customers
    return [(r[0], r[1]) for r in session.execute(sa.select(c.c.customer_id, c.c.name).order_by(c.c.name))]
