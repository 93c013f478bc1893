"""An OMS database with the same customers and products as the test Tryton, and order booking."""
from __future__ import annotations

import hashlib
from decimal import Decimal

from oms.db import make_engine, make_session_factory, upgrade
from oms_core.domain.commands import CreateOrder, NewOrderLine, ReplyTo
from oms_core.domain.model import Address, Customer, Product, ShipTo, Warehouse
from oms_core.service_layer import handlers
from oms_core.service_layer.unit_of_work import SqlAlchemyUnitOfWork

from tests.support.tryton import SEED_CUSTOMERS, SEED_PRODUCTS

D = Decimal


def make_oms(url: str):
    """Migrate `url`, load master data mirroring the Tryton seed; returns (engine, uow_factory)."""
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    uow_factory = lambda: SqlAlchemyUnitOfWork(factory)  # noqa: E731
    with uow_factory() as uow:
        for code, name, lang, street, postal, city, country in SEED_CUSTOMERS:
            uow.customers.add(Customer(code, name, (f"{code.lower()}.example",), None, lang, "EUR",
                                       None, None, Address(street, postal, city, country)))
            uow.customers.add_ship_to(ShipTo(code, "MAIN", name, street, postal, city, country))
        uow.stock.add_warehouse(Warehouse("W1", "Main", "DE", "10115"))
        for sku, name, price, on_hand in SEED_PRODUCTS + [("SKU-999", "Not in the ERP", D("1.00"), D("50"))]:
            uow.products.add(Product(sku, name, unit_price=price))
            uow.stock.set_on_hand("W1", sku, on_hand)
        uow.commit()
    return engine, uow_factory


def key_for(name: str) -> str:
    """A short message key for a test name (column widths are 64; names can be longer)."""
    return "k" + hashlib.sha256(name.encode()).hexdigest()[:14]


def order_lines(skus) -> tuple[NewOrderLine, ...]:
    """Lines 1..n of (sku, qty) at the seeded list prices."""
    prices = {sku: price for sku, _n, price, _h in SEED_PRODUCTS} | {"SKU-999": D("1.00")}
    return tuple(NewOrderLine(n, sku, D(qty), "EA", D(qty), prices[sku], prices[sku] * D(qty))
                 for n, (sku, qty) in enumerate(skus, 1))


def book_order(uow_factory, name: str, *, customer: str = "C1001", skus=(("SKU-100", "3"),),
               po: str | None = None, origin: str = "email") -> str:
    """An accepted order (queues erp:<id> and confirm:<id>) answering the PO email `key_for(name)`."""
    key = key_for(name)
    return handlers.create_order(CreateOrder(
        key, customer, po or f"PO-{key}", None, None, "MAIN", "EUR", order_lines(skus), actor="test",
        reasons=("auto",), reply_to=ReplyTo(f"<{key}@buyer.example>", f"Order {key}",
                                            f"Buyer <buyer@{customer.lower()}.example>",
                                            (f"<earlier-{key}@buyer.example>",)),
        origin=origin), uow_factory())
