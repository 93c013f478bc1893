"""A plan made on stock rows read without a lock is re-made under the lock when the stock changed meanwhile."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from oms.db import make_engine, make_session_factory, upgrade
from oms_core.adapters.repositories.stock import SqlStockRepository
from oms_core.domain.commands import CreateOrder, NewOrderLine
from oms_core.service_layer.handlers import create_order
from oms_core.service_layer.unit_of_work import SqlAlchemyUnitOfWork
from tests.integration.core.conftest import seed


@pytest.fixture
def pg_seeded(postgres_url):
    upgrade(postgres_url)
    engine = make_engine(postgres_url)
    sessions = make_session_factory(engine)
    yield seed(lambda: SqlAlchemyUnitOfWork(sessions))
    engine.dispose()


def _another_client_commits_after_the_read(monkeypatch, write):
    """Between this order's unlocked read and its write, another transaction commits `write`."""
    read, done = SqlStockRepository.available, []

    def read_then_write(self, skus):
        rows = read(self, skus)
        if not done:
            done.append(write())
        return rows
    monkeypatch.setattr(SqlStockRepository, "available", read_then_write)


def _book(uow, qty: str) -> str:
    return create_order(CreateOrder("stale-1", "C1", "PO-S", None, None, "S-FR", "EUR",
                                    (NewOrderLine(1, "A", D(qty)),), actor="test"), uow)


@pytest.mark.postgres
@pytest.mark.parametrize("change, qty, warehouse", [
    ("taken", "5", "W-DE"),  # FR (nearest, 10) planned; another order took 8: DE ships all 5
    ("restocked", "20", "W-FR"),  # DE (the only complete one) planned; FR was restocked to 30: FR ships
])
def test_stock_changed_after_the_plan_read_it_is_planned_again_under_the_lock(pg_seeded, monkeypatch, change, qty,
                                                                               warehouse):
    def write():
        with pg_seeded() as other:
            if change == "taken":
                other.stock.add_reserved([("W-FR", "A", D(8))])
            else:
                other.stock.set_on_hand("W-FR", "A", D(30))
            other.commit()
    _another_client_commits_after_the_read(monkeypatch, write)
    uow = pg_seeded()
    order_id = _book(uow, qty)
    assert uow.replans == 1
    with pg_seeded() as check:
        assert [(r.warehouse_id, r.qty) for r in check.stock.reservations_for(order_id)] == [(warehouse, D(qty))]
        assert check.orders.get(order_id).lines[0].status == "reserved"
        assert check.stock.oversold() == 0
        assert len(check.events.for_order(order_id)) == 3  # created, accepted, stock_reserved: once each


@pytest.mark.postgres
def test_a_change_that_leaves_the_plan_as_it_was_costs_no_second_run(pg_seeded, monkeypatch):
    def write():  # DE loses 50 of its 100; FR (nearest, complete) still has all 5 the plan takes
        with pg_seeded() as other:
            other.stock.add_reserved([("W-DE", "A", D(50))])
            other.commit()
    _another_client_commits_after_the_read(monkeypatch, write)
    uow = pg_seeded()
    order_id = _book(uow, "5")
    assert uow.replans == 0
    with pg_seeded() as check:
        assert [(r.warehouse_id, r.qty) for r in check.stock.reservations_for(order_id)] == [("W-FR", D(5))]
