"""UBL 2.1 / PEPPOL Order, OrderChange and OrderCancellation read exactly (namespace-agnostic)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation

from agents.schema import Address, ExtractedLine, ExtractedOrder, Party, Provenance

from agents.extractors.common import finish, set_field, set_line

EXTRACTOR = "ubl"
ROOTS = {"Order": "order", "OrderChange": "change", "OrderCancellation": "cancel", "Quotation": "order"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def child(el: ET.Element | None, *path: str) -> ET.Element | None:
    """Follow a path of local names (first match at each step)."""
    for name in path:
        if el is None:
            return None
        el = next((c for c in el if _local(c.tag) == name), None)
    return el


def children(el: ET.Element | None, name: str) -> list[ET.Element]:
    """Direct children with a local name."""
    return [] if el is None else [c for c in el if _local(c.tag) == name]


def text(el: ET.Element | None, *path: str) -> str | None:
    """Stripped text at a path, or None."""
    found = child(el, *path) if path else el
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _dec(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def is_ubl(root: ET.Element) -> bool:
    """True for a UBL Order/OrderChange/OrderCancellation root."""
    return _local(root.tag) in ROOTS and "ubl" in root.tag.lower() or (
        _local(root.tag) in ROOTS and (child(root, "OrderLine") is not None or child(root, "QuotationLine") is not None))


def _address(el: ET.Element | None, name: str | None = None) -> Address | None:
    if el is None:
        return None
    street = " ".join(v for v in (text(el, "StreetName"), text(el, "BuildingNumber")) if v) or None
    lines = [text(al, "Line") for al in children(el, "AddressLine")]
    street = street or " ".join(v for v in lines if v) or None
    return Address(
        name=name, street=street, postal_code=text(el, "PostalZone"), city=text(el, "CityName"),
        country=text(el, "Country", "IdentificationCode"), location_id=text(el, "ID"),
    )


def _party(party_el: ET.Element | None) -> tuple[Party, Address | None]:
    party = child(party_el, "Party")
    name = text(party, "PartyName", "Name") or text(party, "PartyLegalEntity", "RegistrationName")
    vat = text(party, "PartyTaxScheme", "CompanyID")
    email = text(party, "Contact", "ElectronicMail")
    number = text(party_el, "SupplierAssignedAccountID") or text(party_el, "CustomerAssignedAccountID")
    if number is None:
        ids = [text(pi, "ID") for pi in children(party, "PartyIdentification")]
        number = next((i for i in ids if i), None)
    return (Party(name=name, customer_number=number, vat_id=vat, email=email),
            _address(child(party, "PostalAddress"), name))


def extract_ubl_root(root: ET.Element, part: str, name: str | None) -> ExtractedOrder:
    """One UBL order document as an ExtractedOrder."""
    order = ExtractedOrder(extractor=EXTRACTOR, file=name, kind=ROOTS.get(_local(root.tag), "order"))
    prov = Provenance(part=part)
    order.layout_key = f"ubl:{_local(root.tag)}"
    set_field(order, "po_number", text(root, "ID") or text(root, "OrderReference", "ID"), 1.0, prov)
    set_field(order, "order_date", text(root, "IssueDate"), 1.0, prov)
    set_field(order, "currency", text(root, "DocumentCurrencyCode") or text(root, "PricingCurrencyCode"), 1.0, prov)
    buyer, buyer_address = _party(child(root, "BuyerCustomerParty"))
    order.buyer = buyer
    order.confidence["buyer"] = 1.0
    supplier, _ = _party(child(root, "SellerSupplierParty"))
    order.supplier = Party(name=supplier.name)
    _, bill_address = _party(child(root, "AccountingCustomerParty"))
    order.bill_to = bill_address
    delivery = child(root, "Delivery")
    ship = _address(child(delivery, "DeliveryLocation", "Address")) or _address(child(delivery, "DeliveryAddress"))
    if ship is not None:
        ship.name = ship.name or buyer.name
        ship.location_id = ship.location_id or text(delivery, "DeliveryLocation", "ID")
    order.ship_to = ship or buyer_address
    order.confidence["ship_to"] = 1.0 if ship else 0.6
    rdd = (text(delivery, "RequestedDeliveryPeriod", "StartDate") or text(delivery, "RequestedDeliveryPeriod", "EndDate")
           or text(delivery, "LatestDeliveryDate") or text(delivery, "ActualDeliveryDate"))
    set_field(order, "requested_delivery_date", rdd, 1.0, prov)
    totals = child(root, "AnticipatedMonetaryTotal")
    if totals is None:
        totals = child(root, "LegalMonetaryTotal")
    total = text(totals, "LineExtensionAmount") or text(totals, "PayableAmount")
    set_field(order, "order_total", _dec(total), 1.0, prov)
    count = text(root, "LineCountNumeric")
    if count and count.isdigit():
        order.printed_line_count = int(count)
    for note in children(root, "Note"):
        if note.text and note.text.strip():
            order.warnings.append(f"free text: {note.text.strip()[:200]}")
    order_lines = children(root, "OrderLine") or children(root, "QuotationLine")
    for index, order_line in enumerate(order_lines, start=1):
        item_el = child(order_line, "LineItem")
        if item_el is None:
            continue
        line = ExtractedLine()
        lprov = Provenance(part=part, line=index)
        number = text(item_el, "ID")
        set_line(line, "line_no", int(number) if number and number.isdigit() else None, 1.0, lprov)
        qty_el = child(item_el, "Quantity")
        set_line(line, "qty", _dec(text(qty_el)), 1.0, lprov)
        if qty_el is not None:
            set_line(line, "uom", qty_el.get("unitCode"), 1.0, lprov)
        price = _dec(text(item_el, "Price", "PriceAmount"))
        base = _dec(text(item_el, "Price", "BaseQuantity"))
        if price is not None and base not in (None, Decimal(0), Decimal(1)):
            price = price / base
        set_line(line, "unit_price", price, 1.0, lprov)
        set_line(line, "line_total", _dec(text(item_el, "LineExtensionAmount")), 1.0, lprov)
        item = child(item_el, "Item")
        set_line(line, "description", text(item, "Name") or text(item, "Description"), 1.0, lprov)
        set_line(line, "sku", text(item, "SellersItemIdentification", "ID"), 1.0, lprov)
        set_line(line, "customer_sku", text(item, "BuyersItemIdentification", "ID"), 1.0, lprov)
        set_line(line, "gtin", text(item, "StandardItemIdentification", "ID"), 1.0, lprov)
        ldel = child(item_el, "Delivery")
        set_line(line, "delivery_date", text(ldel, "RequestedDeliveryPeriod", "StartDate")
                 or text(ldel, "RequestedDeliveryPeriod", "EndDate") or text(ldel, "LatestDeliveryDate"), 1.0, lprov)
        order.lines.append(line)
    return finish(order)
