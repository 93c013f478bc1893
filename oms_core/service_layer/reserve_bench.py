"""Concurrent reservation workload (shared by `oms bench reserve` and the concurrency test).

Clients (threads, each with its own sessions) book accepted orders for the same scarce SKUs
through the real create_order handler; afterwards the books are checked for oversell.
"""
from __future__ import annotations

import random
import threading
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from oms_core.adapters import orm
from oms_core.domain.commands import CreateOrder, NewOrderLine
from oms_core.domain.model import Address, Customer, Product, Warehouse
from oms_core.domain.statuses import LineStatus, ReservationStatus
from oms_core.service_layer.handlers import create_order


@dataclass
class Workload:
    prefix: str
    skus: list[str]
    customer_id: str


@dataclass
class RunResult:
    clients: int
    orders: int
    lines: int
    seconds: float
    errors: list[str]

    @property
    def lines_per_s(self) -> float:
        return self.lines / self.seconds if self.seconds else 0.0


def seed(uow_factory, skus: int = 50, on_hand: int = 100, warehouses: int = 3) -> Workload:
    """Products with a little stock in a few warehouses, one customer: a scarce catalogue."""
    prefix = f"B{uuid.uuid4().hex[:6].upper()}-"
    work = Workload(prefix, [f"{prefix}{i:04d}" for i in range(skus)], f"{prefix}CUST")
    with uow_factory() as uow:
        uow.customers.add(Customer(work.customer_id, "Bench customer", bill_address=Address(country="DE")))
        for w, country in zip(range(warehouses), ("DE", "FR", "PL", "IT", "ES")):
            uow.stock.add_warehouse(Warehouse(f"{prefix}W{w}", country=country))
        for sku in work.skus:
            uow.products.add(Product(sku, sku, unit_price=Decimal("1.00")))
            for w in range(warehouses):
                uow.stock.set_on_hand(f"{prefix}W{w}", sku, Decimal(on_hand))
        uow.commit()
    return work


def run(uow_factory, work: Workload, clients: int, total_lines: int, lines_per_order: int = 10) -> RunResult:
    """Book `total_lines` order lines from `clients` threads at once; returns timing and errors."""
    orders_per_client = max(1, total_lines // lines_per_order // clients)
    errors: list[str] = []
    barrier = threading.Barrier(clients + 1)

    def client(n: int) -> None:
        rng = random.Random(n)
        barrier.wait()
        for i in range(orders_per_client):
            skus = rng.sample(work.skus, lines_per_order)
            lines = tuple(NewOrderLine(no, sku, Decimal(rng.randint(1, 5)), unit_price=Decimal("1.00"))
                          for no, sku in enumerate(skus, start=1))
            try:
                create_order(CreateOrder(f"{work.prefix}{clients}-{n}-{i}-{uuid.uuid4().hex[:6]}", work.customer_id,
                                         f"{work.prefix}PO-{n}-{i}", None, None, None, "EUR", lines, actor="bench"),
                             uow_factory())
            except Exception as exc:  # noqa: BLE001 - every failed order is reported, none hidden
                errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    orders = orders_per_client * clients
    return RunResult(clients, orders, orders * lines_per_order, seconds, errors)


def audit(session_factory, work: Workload) -> dict:
    """Check the books: oversell, counters vs reservations, and every line reserved or backordered."""
    with session_factory() as s:
        stock = s.execute(sa.select(orm.stock).where(orm.stock.c.sku.like(f"{work.prefix}%"))).mappings().all()
        oversell = sum((max(r["reserved"] - r["on_hand"], Decimal(0)) for r in stock), Decimal(0))
        r = orm.reservations.c
        held = {(w, k): q for w, k, q in s.execute(
            sa.select(r.warehouse_id, r.sku, sa.func.sum(r.qty))
            .where(r.sku.like(f"{work.prefix}%"), r.status == ReservationStatus.ACTIVE)
            .group_by(r.warehouse_id, r.sku))}
        counter_mismatch = sum(1 for row in stock if held.get((row["warehouse_id"], row["sku"]), 0) != row["reserved"])
        lines = s.execute(sa.select(orm.order_lines.c.status, orm.order_lines.c.qty, orm.order_lines.c.qty_reserved,
                                    orm.order_lines.c.qty_backordered)
                          .where(orm.order_lines.c.sku.like(f"{work.prefix}%"))).all()
        unresolved = sum(1 for st, qty, res, back in lines
                         if st not in (LineStatus.RESERVED, LineStatus.PARTIAL, LineStatus.BACKORDERED)
                         or res + back != qty)
        backordered = sum(1 for st, *_ in lines if st != LineStatus.RESERVED)
        return {"oversell": oversell, "counter_mismatch": counter_mismatch, "lines": len(lines),
                "unresolved_lines": unresolved, "short_lines": backordered,
                "on_hand": sum((r["on_hand"] for r in stock), Decimal(0)),
                "reserved": sum((r["reserved"] for r in stock), Decimal(0))}


def cleanup(session_factory, work: Workload) -> None:
    """Remove everything the workload created (the bench may run against a real database)."""
    like = f"{work.prefix}%"
    with session_factory() as s:
        order_ids = sa.select(orm.orders.c.order_id).where(orm.orders.c.customer_id == work.customer_id)
        for table in (orm.order_events, orm.outbox, orm.reservations, orm.order_lines):
            s.execute(table.delete().where(table.c.order_id.in_(order_ids)))
        s.execute(orm.orders.delete().where(orm.orders.c.customer_id == work.customer_id))
        s.execute(orm.stock.delete().where(orm.stock.c.sku.like(like)))
        s.execute(orm.products.delete().where(orm.products.c.sku.like(like)))
        s.execute(orm.warehouses.delete().where(orm.warehouses.c.warehouse_id.like(like)))
        s.execute(orm.customers.delete().where(orm.customers.c.customer_id == work.customer_id))
        s.commit()
