"""Concurrent reservation workload (shared by `oms bench reserve` and the concurrency test).

Clients book accepted orders for the same scarce SKUs through the real create_order handler;
afterwards the books are checked for oversell. Each client is a separate process with its own
engine, as Celery and web workers are. (Threads of one process measured about 20% more lines per
second on the 2-core test machine: the GIL throttles the clients and so leaves the CPU to
PostgreSQL. The bench measures what production runs.)
"""
from __future__ import annotations

import multiprocessing
import queue
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

READY_TIMEOUT = 120  # seconds for every client to start and connect


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


def run(connect, work: Workload, clients: int, total_lines: int, lines_per_order: int = 10) -> RunResult:
    """Book `total_lines` order lines from `clients` processes at once; returns timing and errors.

    `connect`: a picklable callable returning (uow_factory, close) in the client process. The
    clock runs from the moment every client is connected and released until the last is done.
    """
    context = multiprocessing.get_context("forkserver")  # clients fork from a server that imported this once
    context.set_forkserver_preload([__name__, getattr(connect, "func", connect).__module__])
    orders = max(1, total_lines // lines_per_order // clients)
    start, results = context.Barrier(clients + 1), context.Queue()
    processes = [context.Process(target=_client, args=(connect, work, n, clients, orders, lines_per_order, start,
                                                       results), daemon=True) for n in range(clients)]
    for p in processes:
        p.start()
    try:
        start.wait(READY_TIMEOUT)
        started = time.perf_counter()  # CLOCK_MONOTONIC: the clients' perf_counter() reads the same clock
    except threading.BrokenBarrierError:
        started = None
    reports = _collect(results, processes)
    for p in processes:
        p.join(5)
        if p.is_alive():
            p.kill()
    errors = [e for r in reports for e in r["errors"]]
    if started is None:
        raise RuntimeError(f"the clients did not start: {errors[:3]}")
    seconds = max((r["finished"] for r in reports if "finished" in r), default=started) - started
    return RunResult(clients, orders * clients, orders * clients * lines_per_order, seconds, errors)


def _client(connect, work: Workload, n: int, clients: int, orders: int, lines_per_order: int, start, results) -> None:
    errors: list[str] = []
    try:
        uow_factory, close = connect()
    except Exception as exc:  # noqa: BLE001 - reported, the barrier is broken so nobody waits forever
        start.abort()
        results.put({"errors": [f"client {n} could not connect: {type(exc).__name__}: {exc}"]})
        return
    try:
        with uow_factory() as uow:  # connect before the clock starts
            uow.stock.warehouses()
        rng = random.Random(n)
        start.wait(READY_TIMEOUT)
        for i in range(orders):
            skus = rng.sample(work.skus, lines_per_order)
            lines = tuple(NewOrderLine(no, sku, Decimal(rng.randint(1, 5)), unit_price=Decimal("1.00"))
                          for no, sku in enumerate(skus, start=1))
            try:
                create_order(CreateOrder(f"{work.prefix}{clients}-{n}-{i}-{uuid.uuid4().hex[:6]}", work.customer_id,
                                         f"{work.prefix}PO-{n}-{i}", None, None, None, "EUR", lines, actor="bench"),
                             uow_factory())
            except Exception as exc:  # noqa: BLE001 - every failed order is reported, none hidden
                errors.append(f"{type(exc).__name__}: {exc}")
        finished = time.perf_counter()
        results.put({"errors": errors, "finished": finished})
    except Exception as exc:  # noqa: BLE001
        results.put({"errors": [*errors, f"client {n}: {type(exc).__name__}: {exc}"]})
    finally:
        close()


def _collect(results, processes) -> list[dict]:
    """Every client's report; a client that exited without one is reported as an error."""
    reports: list[dict] = []
    while len(reports) < len(processes):
        try:
            reports.append(results.get(timeout=1))
        except queue.Empty:
            if all(p.exitcode is not None for p in processes):
                exits = sorted({p.exitcode for p in processes})
                reports += [{"errors": [f"a client process ended without a report (exit codes {exits})"]}] * (
                    len(processes) - len(reports))
    return reports


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
