"""The read-only master-data view matching works on (built from oms_core's master snapshot).

Plain frozen dataclasses so matching can be unit-tested without a database; `from_snapshot`
adapts whatever oms_core's `master_snapshot` returns (attribute or dict shaped) into this view.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Iterable


@dataclass(frozen=True, slots=True)
class ShipToInfo:
    customer_id: str
    ship_to_id: str
    name: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""


@dataclass(frozen=True, slots=True)
class CustomerInfo:
    customer_id: str
    name: str
    email_domains: tuple[str, ...] = ()
    vat_id: str | None = None
    language: str | None = None
    currency: str | None = None
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    ship_tos: tuple[ShipToInfo, ...] = ()


@dataclass(frozen=True, slots=True)
class ProductInfo:
    sku: str
    name: str
    description: str = ""
    uom: str = "PCE"
    pack_size: Decimal = Decimal(1)
    unit_price: Decimal | None = None
    currency: str | None = None
    gtin: str | None = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class CustomerItem:
    customer_id: str
    customer_sku: str
    sku: str
    customer_description: str = ""


@dataclass(frozen=True, slots=True)
class ContractPrice:
    customer_id: str
    sku: str
    unit_price: Decimal
    currency: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    min_qty: Decimal = Decimal(0)


@dataclass(frozen=True)
class MasterView:
    """Everything matching needs, indexed once per snapshot."""

    customers: dict[str, CustomerInfo] = field(default_factory=dict)
    products: dict[str, ProductInfo] = field(default_factory=dict)
    customer_items: tuple[CustomerItem, ...] = ()
    uom_factors: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # sku -> uom -> factor
    prices: tuple[ContractPrice, ...] = ()
    layout_hints: dict[tuple[str | None, str], dict] = field(default_factory=dict)  # (customer, layout)
    own_domains: tuple[str, ...] = ()  # our own mail domains: never a customer
    cache: dict = field(default_factory=dict, compare=False, repr=False)  # derived indexes, built once per snapshot

    def items_of(self, customer_id: str | None) -> list[CustomerItem]:
        return [i for i in self.customer_items if i.customer_id == customer_id]

    def factors_of(self, sku: str) -> dict[str, Decimal]:
        """UoM -> base-unit factor for one SKU; the product's own unit is always 1."""
        factors = dict(self.uom_factors.get(sku, {}))
        product = self.products.get(sku)
        if product is not None:
            factors.setdefault(product.uom, Decimal(1))
        return factors

    def contract_price(self, customer_id: str | None, sku: str, qty_base: Decimal | None, on: date | None) -> ContractPrice | None:
        """The customer's best applicable contract price (highest min_qty not above qty)."""
        best: ContractPrice | None = None
        for price in self.prices:
            if price.customer_id != customer_id or price.sku != sku:
                continue
            if on and ((price.valid_from and on < price.valid_from) or (price.valid_to and on > price.valid_to)):
                continue
            if qty_base is not None and price.min_qty and qty_base < price.min_qty:
                continue
            if best is None or price.min_qty > best.min_qty:
                best = price
        return best


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _dec(value: Any, default: Decimal | None = None) -> Decimal | None:
    if value is None or value == "":
        return default
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _values(container: Any) -> Iterable[Any]:
    if container is None:
        return ()
    if isinstance(container, dict):
        return container.values()
    return container


def from_snapshot(snapshot: Any) -> MasterView:
    """Adapt oms_core's MasterData (objects or dicts) into a MasterView."""
    if isinstance(snapshot, MasterView):
        return snapshot
    ship_tos: dict[str, list[ShipToInfo]] = {}
    for s in _values(_get(snapshot, "ship_tos")):
        info = ShipToInfo(
            customer_id=str(_get(s, "customer_id")),
            ship_to_id=str(_get(s, "ship_to_id")),
            name=_get(s, "name") or "",
            street=_get(s, "street") or "",
            postal_code=str(_get(s, "postal_code") or ""),
            city=_get(s, "city") or "",
            country=_get(s, "country") or "",
        )
        ship_tos.setdefault(info.customer_id, []).append(info)
    customers: dict[str, CustomerInfo] = {}
    for c in _values(_get(snapshot, "customers")):
        cid = str(_get(c, "customer_id"))
        domains = _get(c, "email_domains") or ()
        if isinstance(domains, str):
            domains = [d for d in domains.split(";")]
        nested = _get(c, "ship_tos")
        own = list(ship_tos.get(cid, []))
        for s in _values(nested) if nested else ():
            sid = str(_get(s, "ship_to_id"))
            if not any(x.ship_to_id == sid for x in own):
                own.append(ShipToInfo(cid, sid, _get(s, "name") or "", _get(s, "street") or "",
                                      str(_get(s, "postal_code") or ""), _get(s, "city") or "", _get(s, "country") or ""))
        customers[cid] = CustomerInfo(
            customer_id=cid,
            name=_get(c, "name") or "",
            email_domains=tuple(d.strip().lower() for d in domains if d and d.strip()),
            vat_id=_get(c, "vat_id") or _get(c, "vat") or None,
            language=_get(c, "language"),
            currency=_get(c, "currency"),
            street=_get(c, "bill_street") or _get(c, "street") or "",
            postal_code=str(_get(c, "bill_postal_code") or _get(c, "postal_code") or ""),
            city=_get(c, "bill_city") or _get(c, "city") or "",
            country=_get(c, "bill_country") or _get(c, "country") or "",
            ship_tos=tuple(own),
        )
    products: dict[str, ProductInfo] = {}
    for p in _values(_get(snapshot, "products")):
        sku = str(_get(p, "sku"))
        products[sku] = ProductInfo(
            sku=sku,
            name=_get(p, "name") or "",
            description=_get(p, "description") or "",
            uom=_get(p, "uom") or "PCE",
            pack_size=_dec(_get(p, "pack_size"), Decimal(1)) or Decimal(1),
            unit_price=_dec(_get(p, "unit_price")),
            currency=_get(p, "currency"),
            gtin=_get(p, "gtin") or None,
            active=bool(_get(p, "active", True)),
        )
    items = tuple(
        CustomerItem(str(_get(i, "customer_id")), str(_get(i, "customer_sku")), str(_get(i, "sku")),
                     _get(i, "customer_description") or "")
        for i in _values(_get(snapshot, "customer_items"))
    )
    factors: dict[str, dict[str, Decimal]] = {}
    conversions = _get(snapshot, "uom_conversions")
    if isinstance(conversions, dict) and conversions and all(isinstance(v, dict) for v in conversions.values()):
        for sku, per in conversions.items():
            factors[str(sku)] = {str(u): _dec(f) for u, f in per.items()}
    else:
        for conv in _values(conversions):
            factors.setdefault(str(_get(conv, "sku")), {})[str(_get(conv, "uom"))] = _dec(_get(conv, "factor"))
    prices = tuple(
        ContractPrice(
            customer_id=str(_get(p, "customer_id")),
            sku=str(_get(p, "sku")),
            unit_price=_dec(_get(p, "unit_price")),
            currency=_get(p, "currency"),
            valid_from=_date(_get(p, "valid_from")),
            valid_to=_date(_get(p, "valid_to")),
            min_qty=_dec(_get(p, "min_qty"), Decimal(0)) or Decimal(0),
        )
        for p in _values(_get(snapshot, "contract_prices") or _get(snapshot, "prices"))
    )
    hints: dict[tuple[str | None, str], dict] = {}
    raw_hints = _get(snapshot, "layout_hints")
    if isinstance(raw_hints, dict):
        for key, hint in raw_hints.items():
            if isinstance(key, tuple):
                hints[(key[0], key[1])] = hint
            else:
                hints[(None, str(key))] = hint
    else:
        for h in _values(raw_hints):
            hints[(_get(h, "customer_id"), str(_get(h, "layout_key")))] = _get(h, "hint") or {}
    return MasterView(customers=customers, products=products, customer_items=items,
                      uom_factors=factors, prices=prices, layout_hints=hints)
