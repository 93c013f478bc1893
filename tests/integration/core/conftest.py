"""Fixtures for core integration tests: a migrated database on SQLite and on PostgreSQL."""
from __future__ import annotations

from decimal import Decimal

import pytest

from oms.db import make_engine, make_session_factory, upgrade
from oms_core.domain.model import Address, Customer, Product, ShipTo, Warehouse
from oms_core.service_layer.unit_of_work import SqlAlchemyUnitOfWork


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request):
    """The same test on the embedded default (SQLite) and on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url = request.getfixturevalue(name)
    upgrade(url)
    return url


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow_factory(engine):
    factory = make_session_factory(engine)
    return lambda: SqlAlchemyUnitOfWork(factory)


@pytest.fixture
def seeded(uow_factory):
    """Two warehouses (DE, FR), one customer shipping to France, three products in stock."""
    with uow_factory() as uow:
        uow.customers.add(Customer("C1", "Acme GmbH", ("acme.example",), "DE123", "de", "EUR", Decimal("10000"),
                                   "30 days", Address("Hauptstr. 1", "10115", "Berlin", "DE")))
        uow.customers.add_ship_to(ShipTo("C1", "S-FR", "Acme Paris", "Rue 1", "75001", "Paris", "FR"))
        for sku, price in (("A", "10"), ("B", "5"), ("KIT", "30")):
            uow.products.add(Product(sku, f"Product {sku}", unit_price=Decimal(price)))
        uow.stock.add_warehouse(Warehouse("W-DE", "Berlin", "DE", "10115"))
        uow.stock.add_warehouse(Warehouse("W-FR", "Lyon", "FR", "69001"))
        uow.stock.set_on_hand("W-DE", "A", Decimal("100"))
        uow.stock.set_on_hand("W-FR", "A", Decimal("10"))
        uow.stock.set_on_hand("W-DE", "B", Decimal("50"))
        uow.commit()
    return uow_factory
