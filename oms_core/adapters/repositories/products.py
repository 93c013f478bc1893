"""Products, unit-of-measure conversions, contract prices and kits."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from oms_core.adapters import orm
from oms_core.domain.model import KitComponent, Price, Product, UomConversion

_PRODUCT_FIELDS = ("sku", "name", "description", "uom", "pack_size", "unit_price", "currency", "gtin", "active")
_KITS_OF = (sa.select(orm.kits).where(orm.kits.c.kit_sku.in_(sa.bindparam("skus", expanding=True)))
            .order_by(orm.kits.c.kit_sku, orm.kits.c.component_sku))  # built once: on the booking path


def product_from_row(r) -> Product:
    return Product(**{f: r[f] for f in _PRODUCT_FIELDS})


def price_from_row(r) -> Price:
    return Price(customer_id=r["customer_id"], sku=r["sku"], unit_price=r["unit_price"], currency=r["currency"],
                 valid_from=r["valid_from"], valid_to=r["valid_to"], min_qty=r["min_qty"])


class SqlProductRepository:
    def __init__(self, session):
        self.session = session

    def add(self, product: Product) -> None:
        self.session.execute(orm.products.insert(), [{f: getattr(product, f) for f in _PRODUCT_FIELDS}])

    def get(self, sku: str) -> Product | None:
        row = self.session.execute(sa.select(orm.products).where(orm.products.c.sku == sku)).mappings().first()
        return product_from_row(row) if row else None

    def get_many(self, skus) -> dict[str, Product]:
        skus = sorted(set(skus))
        if not skus:
            return {}
        rows = self.session.execute(sa.select(orm.products).where(orm.products.c.sku.in_(skus))).mappings()
        return {r["sku"]: product_from_row(r) for r in rows}

    def by_gtin(self, gtin: str) -> Product | None:
        row = self.session.execute(sa.select(orm.products).where(orm.products.c.gtin == gtin)).mappings().first()
        return product_from_row(row) if row else None

    def all(self) -> list[Product]:
        rows = self.session.execute(sa.select(orm.products).order_by(orm.products.c.sku)).mappings()
        return [product_from_row(r) for r in rows]

    def conversions(self) -> list[UomConversion]:
        rows = self.session.execute(sa.select(orm.uom_conversions)).mappings()
        return [UomConversion(r["sku"], r["uom"], r["factor"]) for r in rows]

    def uom_factor(self, sku: str, uom: str) -> Decimal | None:
        """Base units in one `uom` of `sku`, or None when no conversion is known."""
        return self.session.execute(sa.select(orm.uom_conversions.c.factor).where(
            orm.uom_conversions.c.sku == sku, orm.uom_conversions.c.uom == uom)).scalar()

    def prices_for(self, customer_id: str, sku: str) -> list[Price]:
        rows = self.session.execute(sa.select(orm.prices).where(
            orm.prices.c.customer_id == customer_id, orm.prices.c.sku == sku)).mappings()
        return [price_from_row(r) for r in rows]

    def all_prices(self) -> list[Price]:
        return [price_from_row(r) for r in self.session.execute(sa.select(orm.prices)).mappings()]

    def add_price(self, price: Price) -> None:
        self.session.execute(orm.prices.insert(), [price.__dict__])

    def kit_components(self, skus) -> dict[str, list[KitComponent]]:
        """Components of those SKUs that are kits: kit_sku -> components."""
        skus = sorted(set(skus))
        result: dict[str, list[KitComponent]] = {}
        if not skus:
            return result
        rows = self.session.execute(_KITS_OF, {"skus": skus}).mappings()
        for r in rows:
            result.setdefault(r["kit_sku"], []).append(KitComponent(r["kit_sku"], r["component_sku"], r["qty"]))
        return result

    def all_kits(self) -> list[KitComponent]:
        rows = self.session.execute(sa.select(orm.kits)).mappings()
        return [KitComponent(r["kit_sku"], r["component_sku"], r["qty"]) for r in rows]

    def add_kit_component(self, component: KitComponent) -> None:
        self.session.execute(orm.kits.insert(), [component.__dict__])

    def add_conversion(self, conversion: UomConversion) -> None:
        self.session.execute(orm.uom_conversions.insert(), [conversion.__dict__])
