"""Warehouses, stock rows (on hand, reserved) and reservations, with row locks."""
from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from oms_core.adapters import orm
from oms_core.adapters.deferred import Check, GuardFailed, StaleRead, defer_insert, defer_sql, defers
from oms_core.adapters.sql import upsert
from oms_core.adapters.types import Quantity
from oms_core.domain.allocation import plan_still_holds
from oms_core.domain.model import Reservation, StockItem, Warehouse, utcnow
from oms_core.domain.statuses import ReservationKind, ReservationStatus

# PostgreSQL: every delta in one UPDATE (rows as one json parameter), guarded like the SQLite form.
_GUARDED_ADD_PG = (
    "{w}_d AS (SELECT * FROM json_to_recordset(CAST({p} AS json)) AS d(w text, k text, q numeric)), "
    "{w} AS (UPDATE stock SET reserved = stock.reserved + d.q FROM {w}_d d "
    "WHERE stock.warehouse_id = d.w AND stock.sku = d.k AND (d.q <= 0 OR stock.on_hand - stock.reserved >= d.q) "
    "RETURNING 1)")
_SHORT = "reserve stock: a stock row lacks the quantity or does not exist"
_GUARD = Check("(SELECT count(*) FROM {w}) = (SELECT count(*) FROM {w}_d)", GuardFailed, _SHORT)

# PostgreSQL: reserve a plan made on rows read without a lock. One statement locks every stock row
# of the SKUs in (sku, warehouse) order (SELECT .. FOR UPDATE: the same order everywhere, so no
# deadlocks), checks plan_still_holds() on the locked rows (d.seen: the ATP the plan was made on,
# d.q: what it takes; a row nobody saw counts as seen at 0) and only then applies the guarded update.
_RESERVE_PG = (
    "{w}_d AS (SELECT * FROM json_to_recordset(CAST({p} AS json)) AS d(w text, k text, q numeric, seen numeric)), "
    "{w}_rows AS (SELECT s.warehouse_id, s.sku, s.on_hand - s.reserved AS atp FROM stock s "
    "WHERE s.sku = ANY(ARRAY(SELECT k FROM {w}_d)) ORDER BY s.sku, s.warehouse_id FOR UPDATE), "
    "{w}_holds AS (SELECT coalesce(bool_and(r.atp <= coalesce(d.seen, 0) AND (coalesce(d.q, 0) <= 0 OR r.atp >= d.q)), "
    "true) AS ok FROM {w}_rows r LEFT JOIN {w}_d d ON d.w = r.warehouse_id AND d.k = r.sku), "
    "{w} AS (UPDATE stock SET reserved = stock.reserved + d.q FROM {w}_d d, {w}_holds h "
    "WHERE h.ok AND d.q > 0 AND stock.warehouse_id = d.w AND stock.sku = d.k "
    "AND stock.on_hand - stock.reserved >= d.q RETURNING 1)")
_RESERVE_CHECKS = (
    Check("(SELECT ok FROM {w}_holds)", StaleRead, "stock changed since the plan read it"),
    Check("(SELECT count(*) FROM {w}) = (SELECT count(*) FROM {w}_d WHERE q > 0)", GuardFailed, _SHORT))
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
            rows = self.session.execute(sa.select(orm.warehouses).order_by(orm.warehouses.c.warehouse_id)).mappings()
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
        return self._rows(skus, lock=True)

    def available(self, skus) -> list[StockItem]:
        """Stock rows of these SKUs in every warehouse, not locked: to plan on, then `reserve()`."""
        return self._rows(skus, lock=False)

    def _rows(self, skus, lock: bool) -> list[StockItem]:
        skus = sorted(set(skus))
        if not skus:
            return []
        query = (sa.select(orm.stock).where(orm.stock.c.sku.in_(skus))
                 .order_by(orm.stock.c.sku, orm.stock.c.warehouse_id))
        return [StockItem(r["warehouse_id"], r["sku"], r["on_hand"], r["reserved"])
                for r in self.session.execute(query.with_for_update() if lock else query).mappings()]

    def reserve(self, deltas: list[tuple[str, str, Decimal]], seen: dict, skus) -> None:
        """Add (warehouse_id, sku, qty > 0) to reserved, if a plan made on ATP `seen` still holds.

        `seen`: (warehouse_id, sku) -> the ATP the plan was made on (read by `available()` or
        `lock()`), `skus`: every SKU it planned for. The rows of `skus` are locked in key order
        (like lock()) and checked with plan_still_holds(); if it fails, StaleRead fails the
        transaction (run it again locking first), and the guard of add_reserved stays as the
        second line of defence (GuardFailed). Deferred on PostgreSQL: one statement, sent after
        the transaction's other writes and with its COMMIT, so the locks are held only then.
        """
        if defers(self.session):
            rows = {(w, k): {"w": w, "k": k, "seen": str(Quantity.exact(q))} for (w, k), q in seen.items()}
            for w, k, q in deltas:
                rows.setdefault((w, k), {"w": w, "k": k})["q"] = str(Quantity.exact(q))
            missing = [{"k": k} for k in sorted(set(skus) - {k for _, k in seen})]  # rows appearing later grew
            defer_sql(self.session, _RESERVE_PG, json.dumps([*rows.values(), *missing]), _RESERVE_CHECKS, locks=True)
            return
        now = {(s.warehouse_id, s.sku): s.atp for s in self.lock(skus)}
        if not plan_still_holds(seen, now, {(w, k): q for w, k, q in deltas}):
            raise StaleRead("stock changed since the plan read it")
        self.add_reserved(deltas)

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
            defer_sql(self.session, _GUARDED_ADD_PG, payload, (_GUARD,))
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
