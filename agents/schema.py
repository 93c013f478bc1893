"""ExtractedOrder: what every extractor (structured, offline, LLM) produces, before matching.

Values are kept *as printed* (amounts as decimal strings with a dot, no thousands separators;
dates ISO). Each field may carry a confidence (0..1) and the provenance of the token(s) it came
from, so the review UI can outline it. `to_extract_json()` gives the `oms extract --json` shape.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

OrderKind = Literal["order", "change", "cancel", "not_order"]


class Provenance(BaseModel):
    """Where a value was read: message part, page, box (x0, top, x1, bottom in PDF points), line."""

    part: str
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    line: int | None = None
    column: int | None = None


class Party(BaseModel):
    name: str | None = None
    customer_number: str | None = None  # the buyer's account number with us, as printed
    vat_id: str | None = None
    email: str | None = None


class Address(BaseModel):
    name: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None  # ISO 3166 alpha-2 when recognisable
    location_id: str | None = None  # e.g. a GLN or the buyer's ship-to code


class ExtractedLine(BaseModel):
    line_no: int | None = None
    sku: str | None = None  # our (the supplier's) article number, as printed
    customer_sku: str | None = None  # the buyer's own part number
    gtin: str | None = None
    description: str | None = None
    qty: Decimal | None = None
    uom: str | None = None  # as printed, e.g. "Stk", "PCE", "box", "Cajas"
    unit_price: Decimal | None = None
    line_total: Decimal | None = None
    delivery_date: str | None = None  # ISO date
    confidence: dict[str, float] = Field(default_factory=dict)
    provenance: dict[str, Provenance] = Field(default_factory=dict)


class ExtractedOrder(BaseModel):
    file: str | None = None
    kind: OrderKind = "order"
    po_number: str | None = None
    order_date: str | None = None  # ISO date
    requested_delivery_date: str | None = None  # ISO date
    currency: str | None = None  # ISO 4217
    buyer: Party = Field(default_factory=Party)
    supplier: Party = Field(default_factory=Party)
    ship_to: Address | None = None
    bill_to: Address | None = None
    lines: list[ExtractedLine] = Field(default_factory=list)
    order_total: Decimal | None = None
    printed_line_count: int | None = None  # when the document states how many lines/positions it has
    confidence: dict[str, float] = Field(default_factory=dict)
    provenance: dict[str, Provenance] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    extractor: str = "unknown"  # "edifact", "x12", "ubl", "spreadsheet", "offline", "llm", ...
    layout_key: str | None = None  # fingerprint of the document layout, for layout memory
    injection: list[str] = Field(default_factory=list)  # phrases that try to instruct the system
    language: str | None = None  # guessed document language (de, en, nl, fr, es, zh)

    def to_extract_json(self) -> dict:
        """The `oms extract --json` contract of DESIGN.md (decimals as strings, nulls kept)."""

        def dec(value: Decimal | None) -> str | None:
            return None if value is None else format(value, "f")

        def party(p: Party | None) -> dict:
            p = p or Party()
            return {"name": p.name, "customer_number": p.customer_number, "vat_id": p.vat_id, "email": p.email}

        def address(a: Address | None) -> dict | None:
            if a is None:
                return None
            return {k: getattr(a, k) for k in ("name", "street", "postal_code", "city", "country")}

        return {
            "file": self.file,
            "kind": self.kind,
            "po_number": self.po_number,
            "order_date": self.order_date,
            "requested_delivery_date": self.requested_delivery_date,
            "currency": self.currency,
            "buyer": party(self.buyer),
            "supplier": {"name": self.supplier.name if self.supplier else None},
            "ship_to": address(self.ship_to) or {k: None for k in ("name", "street", "postal_code", "city", "country")},
            "bill_to": address(self.bill_to),
            "lines": [
                {
                    "line_no": line.line_no,
                    "sku": line.sku,
                    "customer_sku": line.customer_sku,
                    "gtin": line.gtin,
                    "description": line.description,
                    "qty": dec(line.qty),
                    "uom": line.uom,
                    "unit_price": dec(line.unit_price),
                    "line_total": dec(line.line_total),
                    "delivery_date": line.delivery_date,
                }
                for line in self.lines
            ],
            "order_total": dec(self.order_total),
            "confidence": self.confidence,
            "warnings": self.warnings,
        }
