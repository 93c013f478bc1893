"""Read side for the other rooms: master data for matching, orders, the review queue."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from oms_core.domain.model import Customer, CustomerItem, KitComponent, Order, Price, Product, ShipTo
from oms_core.domain.pricing import applicable_price
from oms_core.service_layer.outbox_rows import effective_rules
from oms_core.service_layer.views import as_dict, order_view

__all__ = ["MasterData", "master_snapshot", "find_order_by_po", "review_queue", "order_detail",
           "effective_rules", "list_orders", "atp"]


@dataclass(frozen=True)
class MasterData:
    """An in-memory snapshot of master data for matching (read once per message or batch)."""

    customers: dict[str, Customer] = field(default_factory=dict)
    ship_tos: dict[str, tuple[ShipTo, ...]] = field(default_factory=dict)  # customer_id -> addresses
    products: dict[str, Product] = field(default_factory=dict)
    products_by_gtin: dict[str, str] = field(default_factory=dict)  # gtin -> sku
    customer_items: dict[tuple[str, str], CustomerItem] = field(default_factory=dict)  # (cust, their sku)
    uom_conversions: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (sku, uom) -> factor
    prices: dict[tuple[str, str], tuple[Price, ...]] = field(default_factory=dict)  # (cust, sku)
    layout_hints: dict[tuple[str, str], dict] = field(default_factory=dict)  # (cust, layout_key)
    kits: dict[str, tuple[KitComponent, ...]] = field(default_factory=dict)

    def customers_by_domain(self, domain: str) -> list[Customer]:
        """Customers whose email domains include `domain` (case-insensitive)."""
        domain = domain.lower().strip()
        return [c for c in self.customers.values() if domain in (d.lower() for d in c.email_domains)]

    def customer_by_vat(self, vat_id: str) -> Customer | None:
        wanted = vat_id.replace(" ", "").upper()
        return next((c for c in self.customers.values()
                     if c.vat_id and c.vat_id.replace(" ", "").upper() == wanted), None)

    def uom_factor(self, sku: str, uom: str | None) -> Decimal | None:
        """Base units per ordered unit: 1 for the product's own unit, else the conversion table."""
        product = self.products.get(sku)
        if product is None:
            return None
        if uom is None or uom.upper() == product.uom.upper():
            return Decimal(1)
        return self.uom_conversions.get((sku, uom)) or next(
            (f for (s, u), f in self.uom_conversions.items() if s == sku and u.upper() == uom.upper()), None)

    def contract_price(self, customer_id: str, sku: str, qty_base: Decimal | None = None,
                       on: date | None = None) -> Decimal | None:
        """Price per base unit: the customer's applicable contract price, else the list price."""
        price = applicable_price(self.prices.get((customer_id, sku), ()), qty_base, on)
        if price is not None:
            return price.unit_price
        product = self.products.get(sku)
        return product.unit_price if product else None


# Every write path of the master data the snapshot holds audits itself in the same transaction.
MASTER_DATA_ACTIONS = ("import_master", "add_cross_reference", "save_layout_hint")


def master_version(uow) -> int:
    """A number that grows whenever master data is imported or learned (cheap: one indexed query)."""
    with uow:
        return uow.events.last_audit_id(MASTER_DATA_ACTIONS)


def master_snapshot(uow) -> MasterData:
    """Everything matching needs, in memory (frozen)."""
    with uow:
        products = {p.sku: p for p in uow.products.all()}
        ship_tos: dict[str, list] = {}
        for s in uow.customers.ship_tos():
            ship_tos.setdefault(s.customer_id, []).append(s)
        prices: dict[tuple[str, str], list] = {}
        for p in uow.products.all_prices():
            prices.setdefault((p.customer_id, p.sku), []).append(p)
        kits: dict[str, list] = {}
        for k in uow.products.all_kits():
            kits.setdefault(k.kit_sku, []).append(k)
        return MasterData(
            customers={c.customer_id: c for c in uow.customers.all()},
            ship_tos={k: tuple(v) for k, v in ship_tos.items()},
            products=products,
            products_by_gtin={p.gtin: p.sku for p in products.values() if p.gtin},
            customer_items={(i.customer_id, i.customer_sku): i for i in uow.customers.cross_references()},
            uom_conversions={(c.sku, c.uom): c.factor for c in uow.products.conversions()},
            prices={k: tuple(v) for k, v in prices.items()},
            layout_hints={(h.customer_id, h.layout_key): h.hint for h in uow.customers.layout_hints()},
            kits={k: tuple(v) for k, v in kits.items()},
        )


def find_order_by_po(uow, customer_id: str, po_number: str) -> Order | None:
    """The newest order of the customer with this PO number, or None."""
    with uow:
        found = uow.orders.find_by_po(customer_id, po_number)
        return found[-1] if found else None


def list_orders(uow, status: str | None = None, customer_id: str | None = None, limit: int = 100,
                offset: int = 0) -> list[dict]:
    """Orders newest first as JSON-ready dicts."""
    with uow:
        return [order_view(o) for o in uow.orders.list(status, customer_id, limit, offset)]


def review_queue(uow, filters: dict | None = None) -> list[dict]:
    """Messages waiting for a person (status needs_review), newest first; filters: customer_id,
    reason, claimed_by, decision, status, limit, offset."""
    filters = dict(filters or {})
    filters.setdefault("status", "needs_review")
    with uow:
        return [as_dict(m) for m in uow.messages.list(**filters)]


def order_detail(uow, order_id: str) -> dict | None:
    """The order with its reservations, history and outbox rows, or None."""
    with uow:
        order = uow.orders.get(order_id)
        if order is None:
            return None
        view = order_view(order)
        view["reservations"] = [as_dict(r) for r in uow.stock.reservations_for(order_id, status=None)]
        view["events"] = [as_dict(e) for e in uow.events.for_order(order_id)]
        view["outbox"] = [as_dict(m) for m in uow.outbox.list(order_id=order_id)]
        return view


def atp(uow, sku: str) -> dict[str, Decimal]:
    """Available to promise per warehouse for one SKU."""
    with uow:
        return {s.warehouse_id: s.atp for s in uow.stock.items(sku)}
