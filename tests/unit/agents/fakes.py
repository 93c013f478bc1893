"""In-memory fakes of the workflow's ports: an order book, a reader and message builders."""
from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal

from agents.context import Context
from agents.master import (ContractPrice, CustomerInfo, CustomerItem, MasterView, ProductInfo, ShipToInfo)
from agents.schema import ExtractedLine, ExtractedOrder, Party
from intake.model import BBox, Document, InboundMessage, Page, Source, Word


def demo_master() -> MasterView:
    """Two customers, five products, cross-references and a box conversion."""
    customers = {
        "C100": CustomerInfo("C100", "Müller Maschinenbau GmbH", ("mueller-mb.de",), "DE123456789", "de", "EUR",
                             "Hauptstr. 1", "70173", "Stuttgart", "DE",
                             (ShipToInfo("C100", "C100-S1", "Werk Nord", "Industriestr. 5", "70469", "Stuttgart", "DE"),
                              ShipToInfo("C100", "C100-S2", "Lager Süd", "Hafenweg 9", "89073", "Ulm", "DE"))),
        "C200": CustomerInfo("C200", "Acme Tools Ltd", ("acme-tools.co.uk",), "GB987654321", "en", "GBP",
                             "1 High Street", "M1 1AA", "Manchester", "GB",
                             (ShipToInfo("C200", "C200-S1", "Acme Tools", "1 High Street", "M1 1AA", "Manchester", "GB"),)),
    }
    products = {
        "BRG-6204": ProductInfo("BRG-6204", "Deep groove ball bearing 6204-2RS", "Rillenkugellager 6204-2RS 20x47x14",
                                "PCE", Decimal(1), Decimal("4.20"), "EUR", "4012345000017"),
        "BRG-6205": ProductInfo("BRG-6205", "Deep groove ball bearing 6205-2RS", "Rillenkugellager 6205-2RS 25x52x15",
                                "PCE", Decimal(1), Decimal("4.90"), "EUR", "4012345000024"),
        "SCR-M8X20": ProductInfo("SCR-M8X20", "Hex bolt M8x20 DIN 933 zinc plated", "Sechskantschraube M8x20 DIN 933 verzinkt",
                                 "PCE", Decimal(100), Decimal("0.08"), "EUR", None),
        "GLV-NIT-L": ProductInfo("GLV-NIT-L", "Nitrile gloves size L", "Nitrilhandschuhe Größe L", "BOX",
                                 Decimal(1), Decimal("7.50"), "EUR", "4012345000031"),
        "OIL-HLP46-20": ProductInfo("OIL-HLP46-20", "Hydraulic oil HLP 46 20 l canister", "Hydrauliköl HLP 46 20-l-Kanister",
                                    "PCE", Decimal(1), Decimal("61.00"), "EUR", None),
    }
    items = (CustomerItem("C100", "MM-4711", "BRG-6204", "Kugellager klein"),
             CustomerItem("C200", "AC-55", "SCR-M8X20", "Bolt M8 short"))
    factors = {"SCR-M8X20": {"BOX": Decimal(100)}, "GLV-NIT-L": {"CT": Decimal(10)}}
    prices = (ContractPrice("C100", "BRG-6204", Decimal("3.95"), "EUR"),)
    return MasterView(customers=customers, products=products, customer_items=items, uom_factors=factors,
                      prices=prices, own_domains=("ourcompany.example",))


def order(lines: list[dict], **header) -> ExtractedOrder:
    """An ExtractedOrder with sensible defaults for the header."""
    buyer = header.pop("buyer", {})
    defaults = dict(po_number="PO-1001", order_date="2025-03-01", requested_delivery_date="2025-03-20",
                    currency="EUR", extractor="offline", confidence={"po_number": 0.99})
    defaults.update(header)
    return ExtractedOrder(buyer=Party(**buyer), lines=[ExtractedLine(**line) for line in lines], **defaults)


def message(key: str = "k1", sender: str = "einkauf@mueller-mb.de", subject: str = "Bestellung PO-1001",
            body: str = "Bitte liefern Sie", documents: list[Document] | None = None, status: str = "ok") -> InboundMessage:
    docs = documents if documents is not None else [text_document(body)]
    return InboundMessage(key=key, message_id=f"<{key}@mail>", sha256=hashlib.sha256(key.encode()).hexdigest(),
                          sender=sender, sender_name=None, to=["orders@ourcompany.example"], subject=subject,
                          date=datetime(2025, 3, 1, 9, tzinfo=timezone.utc), in_reply_to=None, references=[],
                          documents=docs, status=status)


def text_document(text: str, status: str = "ok") -> Document:
    return Document(kind="text", name="body", part="body", content_type="text/plain", size=len(text),
                    sha256="0" * 64, text=text, status=status)


def pdf_document(words: list[tuple[str, float, float]], status: str = "ok") -> Document:
    """A one-page PDF document from (text, x0, top) words."""
    src = "attachment:po.pdf"
    page_words = [Word(t, Source(src, 1, BBox(x, top, x + 6 * len(t), top + 10))) for t, x, top in words]
    page = Page(1, 595, 842, " ".join(t for t, _x, _y in words), page_words)
    return Document(kind="pdf", name="po.pdf", part=src, content_type="application/pdf", size=1000,
                    sha256="1" * 64, text=page.text, pages=[page], status=status)


@dataclass
class Classification:
    kind: str
    reasons: list[str]
    confidence: float


@dataclass
class FakeReader:
    """Returns prepared classifications and extractions per message key."""

    kinds: dict[str, str] = field(default_factory=dict)
    orders: dict[str, list[ExtractedOrder]] = field(default_factory=dict)
    injection_phrases: tuple[str, ...] = ("ignore previous instructions",)
    fail_extract: bool = False
    calls: list[str] = field(default_factory=list)
    hints_seen: list = field(default_factory=list)

    def classify(self, msg: InboundMessage) -> Classification:
        return Classification(self.kinds.get(msg.key, "order"), ["fake"], 0.95)

    def extract(self, msg: InboundMessage, layout_hints: dict | None = None) -> list[ExtractedOrder]:
        self.calls.append(msg.key)
        self.hints_seen.append(layout_hints)
        if self.fail_extract:
            raise RuntimeError("reader bug")
        return [o.model_copy(deep=True) for o in self.orders.get(msg.key, [])]

    def detect_injection(self, text: str) -> list[str]:
        return [p for p in self.injection_phrases if p in text.lower()]


@dataclass
class FakeBook:
    """oms_core in memory: orders, decisions, cross-references and layout hints."""

    master_view: MasterView = field(default_factory=demo_master)
    rules: dict = field(default_factory=dict)
    results: dict[str, list[dict]] = field(default_factory=dict)  # message_key -> rule results
    orders: dict[str, dict] = field(default_factory=dict)
    decisions: dict[str, dict] = field(default_factory=dict)
    cross_refs: list[tuple] = field(default_factory=list)
    hints: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def master(self) -> MasterView:
        items = self.master_view.customer_items + tuple(
            CustomerItem(c, cs, s) for c, cs, s in self.cross_refs)
        hints = dict(self.master_view.layout_hints)
        hints.update({(c, k): h for c, k, h in self.hints})
        return MasterView(self.master_view.customers, self.master_view.products, items,
                          self.master_view.uom_factors, self.master_view.prices, hints, self.master_view.own_domains)

    def effective_rules(self, customer_id):
        return dict(self.rules)

    def validate(self, message_key, proposal, received=None, kind="order"):
        return list(self.results.get(message_key, [])), {}

    def find_order(self, customer_id, po_number):
        for o in self.orders.values():
            if o["customer_id"] == customer_id and o["po_number"] == po_number and o["status"] != "cancelled":
                return {"order_id": o["order_id"], "status": o["status"], "message_key": o["message_key"]}
        return None

    def create_order(self, *, message_key, proposal, status, actor, reasons, versions, reply_to):
        for o in self.orders.values():
            if o["message_key"] == message_key:
                return o["order_id"]
        order_id = f"SO-{next(self._ids):05d}"
        self.orders[order_id] = {"order_id": order_id, "message_key": message_key, "status": status,
                                 "customer_id": proposal["customer_id"], "po_number": proposal["po_number"],
                                 "lines": [dict(x) for x in proposal["lines"]], "reply_to": reply_to}
        self.events.append(("create", order_id, status, actor))
        return order_id

    def _set(self, order_id, status, actor):
        self.orders[order_id]["status"] = status
        self.events.append((status, order_id, actor))

    def accept_order(self, order_id, *, actor, reason):
        self._set(order_id, "accepted", actor)

    def confirm_order(self, order_id, *, actor):
        self._set(order_id, "confirmed", actor)

    def reject_order(self, order_id, *, actor, reason):
        self._set(order_id, "rejected", actor)

    def cancel_order(self, order_id, *, actor, reason):
        self._set(order_id, "cancelled", actor)

    def change_order(self, order_id, *, proposal, actor, reasons, versions):
        self.orders[order_id]["lines"] = [dict(x) for x in proposal["lines"]]
        self.events.append(("change", order_id, actor))

    def record_decision(self, record):
        self.decisions[record["message_key"]] = record

    def add_cross_reference(self, customer_id, customer_sku, sku, *, actor):
        self.cross_refs.append((customer_id, customer_sku, sku))

    def save_layout_hint(self, customer_id, layout_key, hint, *, actor):
        self.hints.append((customer_id, layout_key, hint))


def make_context(book: FakeBook, reader: FakeReader, messages: dict[str, InboundMessage]) -> Context:
    return Context(book=book, reader=reader, load_message=messages.__getitem__,
                   clock=lambda: datetime(2025, 3, 1, 12, tzinfo=timezone.utc))
