"""Warehouses, stock rows (on hand, reserved) and reservations, with row locks."""
from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from oms_core.adapters import orm
from oms_core.adapters.deferred import GuardFailed, defer_insert, defer_sql, defers
from oms_core.adapters.sql import upsert
from oms_core.adapters.types import Quantity
from oms_core.domain.model import Reservation, StockItem, Warehouse, utcnow
from oms_core.domain.statuses import ReservationKind, ReservationStatus

# PostgreSQL: every delta in one UPDATE (rows as one json parameter), guarded like the SQLite form.
_GUARDED_ADD_PG = (
    "UPDATE stock SET reserved = stock.reserved + d.q "
    "FROM json_to_recordset(CAST({p} AS json)) AS d(w text, k text, q numeric) "
    "WHERE stock.warehouse_id = d.w AND stock.sku = d.k AND (d.q <= 0 OR stock.on_hand - stock.reserved >= d.q) "
    "RETURNING 1")
# Built once: statements on the booking path cost half as much Python when not rebuilt per call.
_WAREHOUSES = sa.select(orm.warehouses).order_by(orm.warehouses.c.warehouse_id)
_LOCK = (sa.select(orm.stock).where(orm.stock.c.sku.in_(sa.bindparam("skus", expanding=True)))
         .order_by(orm.stock.c.sku, orm.stock.c.warehouse_id).with_for_update())
_RES_FIELDS = ("order_id", "line_no", "sku", "warehouse_id", "qty", "kind", "status", "expires_at", "created_at")


def _reservation(r) -> Reservation:
    return Reservation(**{f: r[f] for f in _RES_FIELDS}, id=r["id"])


class SqlStockRepository:
    def __init__(self, session):
        self.session = session
        self._warehouses: list[Warehouse] | None = None  # per unit of work

    # -- warehouses and stock rows
    def warehouses(self) -> list[Warehouse]:
        if self._warehouses is None:
            rows = self.session.execute(_WAREHOUSES).mappings()
            self._warehouses = [Warehouse(r["warehouse_id"], r["name"], r["country"], r["postal_code"]) for r in rows]
        return self._warehouses

    def add_warehouse(self, warehouse: Warehouse) -> None:
        self._warehouses = None
        self.session.execute(orm.warehouses.insert(), [warehouse.__dict__])

    def set_on_hand(self, warehouse_id: str, sku: str, on_hand: Decimal) -> None:
        """Create or overwrite a stock row's on-hand quantity (reserved is kept)."""
        upsert(self.session, orm.stock, [{"warehouse_id": warehouse_id, "sku": sku, "on_hand": on_hand,
                                          "reserved": Decimal(0)}], ("warehouse_id", "sku"))
        self.session.execute(orm.stock.update().where(
            orm.stock.c.warehouse_id == warehouse_id, orm.stock.c.sku == sku).values(
            reserved=sa.select(sa.func.coalesce(sa.func.sum(orm.reservations.c.qty), 0)).where(
                orm.reservations.c.warehouse_id == warehouse_id, orm.reservations.c.sku == sku,
                orm.reservations.c.status == ReservationStatus.ACTIVE).scalar_subquery()))

    def lock(self, skus) -> list[StockItem]:
        """Stock rows of these SKUs in every warehouse, locked for this transaction.

        PostgreSQL: SELECT .. FOR UPDATE in (sku, warehouse) order, so two transactions
        always lock in the same order and cannot deadlock. SQLite: the transaction already
        holds the database write lock (BEGIN IMMEDIATE in oms.db.make_engine).
        """
        skus = sorted(set(skus))
        if not skus:
            return []
        return [StockItem(r["warehouse_id"], r["sku"], r["on_hand"], r["reserved"])
                for r in self.session.execute(_LOCK, {"skus": skus}).mappings()]

    def items(self, sku: str | None = None) -> list[StockItem]:
        """Stock rows (no lock), optionally of one SKU."""
        query = sa.select(orm.stock).order_by(orm.stock.c.sku, orm.stock.c.warehouse_id)
        if sku:
            query = query.where(orm.stock.c.sku == sku)
        return [StockItem(r["warehouse_id"], r["sku"], r["on_hand"], r["reserved"])
                for r in self.session.execute(query).mappings()]

    def add_reserved(self, deltas: list[tuple[str, str, Decimal]]) -> None:
        """Add (warehouse_id, sku, qty) to the reserved counters (negative qty releases).

        Guarded: an increase only applies while on_hand - reserved covers it, and a stock row that
        does not match fails the transaction (GuardFailed) -- a second line of defence behind the
        row locks, never a silent oversell. Deferred: on PostgreSQL it is one UPDATE .. FROM json_to_recordset(..)
        sent with the transaction's other writes. Each (warehouse, sku) must appear once.
        """
        if not deltas:
            return
        if defers(self.session):
            payload = json.dumps([{"w": w, "k": k, "q": str(Quantity.exact(q))} for w, k, q in deltas])
            defer_sql(self.session, _GUARDED_ADD_PG, payload, expect=len(deltas), what="reserve stock")
            return
        s = orm.stock.c
        q = sa.bindparam("q", type_=Quantity)
        statement = (orm.stock.update().where(s.warehouse_id == sa.bindparam("w"), s.sku == sa.bindparam("k"),
                                              sa.or_(q <= 0, s.on_hand - s.reserved >= q))
                     .values(reserved=s.reserved + q))
        for w, k, qty in deltas:  # SQLite: in-process, one statement per row costs no round trip
            if self.session.execute(statement, {"w": w, "k": k, "q": qty}).rowcount != 1:
                raise GuardFailed(f"reserve stock {w}/{k}: {qty} not available")

    def add_on_hand(self, deltas: list[tuple[str, str, Decimal]]) -> None:
        """Add (warehouse_id, sku, qty) to on hand, creating missing rows (returns restock)."""
        for warehouse_id, sku, qty in deltas:
            updated = self.session.execute(orm.stock.update().where(
                orm.stock.c.warehouse_id == warehouse_id, orm.stock.c.sku == sku).values(
                on_hand=orm.stock.c.on_hand + qty)).rowcount
            if not updated:
                self.session.execute(orm.stock.insert(), [{"warehouse_id": warehouse_id, "sku": sku,
                                                           "on_hand": qty, "reserved": Decimal(0)}])

    # -- reservations
    def add_reservations(self, reservations: list[Reservation]) -> None:
        """Insert reservations (deferred: one multi-row INSERT with the transaction's other writes)."""
        if not reservations:
            return
        now = utcnow()
        rows = []
        for r in reservations:
            r.created_at = r.created_at or now
            rows.append({**{f: getattr(r, f) for f in _RES_FIELDS}, "updated_at": now})
        defer_insert(self.session, orm.reservations, rows)

    def reservations_for(self, order_id: str, status: str | None = ReservationStatus.ACTIVE) -> list[Reservation]:
        query = sa.select(orm.reservations).where(orm.reservations.c.order_id == order_id)
        if status:
            query = query.where(orm.reservations.c.status == status)
        return [_reservation(r) for r in self.session.execute(query.order_by(orm.reservations.c.id)).mappings()]

    def set_reservation_status(self, ids: list[int], status: str) -> None:
        if ids:
            self.session.execute(orm.reservations.update().where(orm.reservations.c.id.in_(ids))
                                 .values(status=status, updated_at=utcnow()))

    def harden(self, order_id: str) -> int:
        """Turn an order's active soft holds into hard reservations; returns how many."""
        return self.session.execute(orm.reservations.update().where(
            orm.reservations.c.order_id == order_id, orm.reservations.c.kind == ReservationKind.SOFT,
            orm.reservations.c.status == ReservationStatus.ACTIVE).values(
            kind=ReservationKind.HARD, expires_at=None, updated_at=utcnow())).rowcount

    def expired_soft(self, now: datetime) -> list[Reservation]:
        """Active soft reservations whose time ran out."""
        rows = self.session.execute(sa.select(orm.reservations).where(
            orm.reservations.c.kind == ReservationKind.SOFT,
            orm.reservations.c.status == ReservationStatus.ACTIVE,
            orm.reservations.c.expires_at <= now).order_by(orm.reservations.c.id)).mappings()
        return [_reservation(r) for r in rows]

    def oversold(self) -> Decimal:
        """Sum over stock rows of reserved beyond on hand (must always be 0)."""
        excess = sa.case((orm.stock.c.reserved > orm.stock.c.on_hand, orm.stock.c.reserved - orm.stock.c.on_hand),
                         else_=0)
        return Decimal(str(self.session.execute(sa.select(sa.func.coalesce(sa.func.sum(excess), 0))).scalar_one()))
