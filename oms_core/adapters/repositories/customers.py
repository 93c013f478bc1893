"""Customers, their ship-to addresses, cross references (their part numbers) and layout hints."""
from __future__ import annotations

import sqlalchemy as sa

from oms_core.adapters import orm
from oms_core.adapters.sql import upsert
from oms_core.domain.model import Address, Customer, CustomerItem, LayoutHint, ShipTo, utcnow

_SHIP_FIELDS = ("customer_id", "ship_to_id", "name", "street", "postal_code", "city", "country")
_BY_ID = sa.select(orm.customers).where(orm.customers.c.customer_id == sa.bindparam("id"))  # built once


def customer_from_row(r) -> Customer:
    return Customer(
        customer_id=r["customer_id"], name=r["name"], email_domains=tuple(r["email_domains"] or ()),
        vat_id=r["vat_id"], language=r["language"], currency=r["currency"], credit_limit=r["credit_limit"],
        payment_terms=r["payment_terms"], active=r["active"],
        bill_address=Address(r["bill_street"], r["bill_postal_code"], r["bill_city"], r["bill_country"]))


def customer_to_row(c: Customer) -> dict:
    return {"customer_id": c.customer_id, "name": c.name, "email_domains": list(c.email_domains),
            "vat_id": c.vat_id, "language": c.language, "currency": c.currency,
            "credit_limit": c.credit_limit, "payment_terms": c.payment_terms, "active": c.active,
            "bill_street": c.bill_address.street, "bill_postal_code": c.bill_address.postal_code,
            "bill_city": c.bill_address.city, "bill_country": c.bill_address.country}


class SqlCustomerRepository:
    def __init__(self, session):
        self.session = session
        self._cache: dict[str, Customer | None] = {}  # per unit of work: customers are read-mostly

    def add(self, customer: Customer) -> None:
        self._cache.pop(customer.customer_id, None)
        self.session.execute(orm.customers.insert(), [customer_to_row(customer)])

    def get(self, customer_id: str) -> Customer | None:
        if customer_id not in self._cache:
            row = self.session.execute(_BY_ID, {"id": customer_id}).mappings().first()
            self._cache[customer_id] = customer_from_row(row) if row else None
        return self._cache[customer_id]

    def all(self) -> list[Customer]:
        rows = self.session.execute(sa.select(orm.customers).order_by(orm.customers.c.customer_id)).mappings()
        return [customer_from_row(r) for r in rows]

    def add_ship_to(self, ship_to: ShipTo) -> None:
        self.session.execute(orm.ship_to.insert(), [{f: getattr(ship_to, f) for f in _SHIP_FIELDS}])

    def ship_to(self, customer_id: str, ship_to_id: str) -> ShipTo | None:
        row = self.session.execute(sa.select(orm.ship_to).where(
            orm.ship_to.c.customer_id == customer_id, orm.ship_to.c.ship_to_id == ship_to_id)).mappings().first()
        return ShipTo(**{f: row[f] for f in _SHIP_FIELDS}) if row else None

    def ship_tos(self, customer_id: str | None = None) -> list[ShipTo]:
        query = sa.select(orm.ship_to).order_by(orm.ship_to.c.customer_id, orm.ship_to.c.ship_to_id)
        if customer_id:
            query = query.where(orm.ship_to.c.customer_id == customer_id)
        return [ShipTo(**{f: r[f] for f in _SHIP_FIELDS}) for r in self.session.execute(query).mappings()]

    def cross_references(self, customer_id: str | None = None) -> list[CustomerItem]:
        query = sa.select(orm.customer_items)
        if customer_id:
            query = query.where(orm.customer_items.c.customer_id == customer_id)
        return [CustomerItem(r["customer_id"], r["customer_sku"], r["sku"], r["customer_description"])
                for r in self.session.execute(query).mappings()]

    def save_cross_reference(self, item: CustomerItem) -> None:
        """Insert or replace the mapping of a customer's part number to our SKU."""
        upsert(self.session, orm.customer_items, [item.__dict__], ("customer_id", "customer_sku"))

    def layout_hint(self, customer_id: str, layout_key: str) -> LayoutHint | None:
        row = self.session.execute(sa.select(orm.layout_hints).where(
            orm.layout_hints.c.customer_id == customer_id,
            orm.layout_hints.c.layout_key == layout_key)).mappings().first()
        return LayoutHint(**row) if row else None

    def layout_hints(self) -> list[LayoutHint]:
        return [LayoutHint(**r) for r in self.session.execute(sa.select(orm.layout_hints)).mappings()]

    def save_layout_hint(self, hint: LayoutHint) -> None:
        """Insert or replace a layout hint (time defaults to now)."""
        row = {**hint.__dict__, "updated_at": hint.updated_at or utcnow()}
        upsert(self.session, orm.layout_hints, [row], ("customer_id", "layout_key"))
