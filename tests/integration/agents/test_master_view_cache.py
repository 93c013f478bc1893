"""CoreOrderBook keeps one master-data view until the master data changes, whoever changes it."""
from __future__ import annotations

from decimal import Decimal

import pytest

from agents.core_book import CoreOrderBook
from oms.db import make_engine, make_session_factory, upgrade
from oms_core.domain.commands import AddCrossReference, SaveLayoutHint
from oms_core.domain.model import Address, Customer, Product
from oms_core.service_layer.handlers import add_cross_reference, save_layout_hint
from oms_core.service_layer.unit_of_work import SqlAlchemyUnitOfWork


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def uows(request):
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with SqlAlchemyUnitOfWork(factory) as uow:
        uow.customers.add(Customer("C100", "Müller GmbH", ("mueller.de",), None, "de", "EUR", Decimal("1000"),
                                   "30 days", Address("Hauptstr. 1", "70173", "Stuttgart", "DE")))
        uow.products.add(Product("BRG-6204", "Ball bearing 6204", "Kugellager 6204", "PCE", Decimal(1), Decimal("3.95")))
        uow.commit()
    yield lambda: SqlAlchemyUnitOfWork(factory)
    engine.dispose()


def test_the_master_view_is_reused_while_nothing_changes(uows):
    book = CoreOrderBook(uows)
    assert book.master() is book.master()


def test_a_cross_reference_added_elsewhere_is_seen_by_the_next_read(uows):
    book = CoreOrderBook(uows)
    before = book.master()
    assert not before.items_of("C100")
    # The review UI learns the correction in its own process: only the database is shared.
    add_cross_reference(AddCrossReference("C100", "MM-4711", "BRG-6204", "reviewer"), uows())
    after = book.master()
    assert [(i.customer_sku, i.sku) for i in after.items_of("C100")] == [("MM-4711", "BRG-6204")]
    assert book.master() is after


def test_a_layout_hint_saved_elsewhere_is_seen_by_the_next_read(uows):
    book = CoreOrderBook(uows)
    assert not book.master().layout_hints
    save_layout_hint(SaveLayoutHint("C100", "layout-1", {"columns": {"Menge": "qty"}}, "reviewer"), uows())
    assert book.master().layout_hints[("C100", "layout-1")] == {"columns": {"Menge": "qty"}}
