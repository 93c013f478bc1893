"""Order XML other than UBL: Voxel (Spanish EDI-XML), and a generic element-name mapping.

`extract_xml(data, part, name)` picks UBL, Voxel or the generic reader from the root element.
"""
from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation

from agents.schema import Address, ExtractedLine, ExtractedOrder, Party, Provenance

from agents.extractors.common import finish, set_field, set_line
from agents.extractors.dates import parse_date
from agents.extractors.structured_ubl import _local, extract_ubl_root, is_ubl

log = logging.getLogger(__name__)


def _dec(value: str | None) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        return None


def _attr(el: ET.Element | None, *names: str) -> str | None:
    if el is None:
        return None
    lowered = {k.lower(): v for k, v in el.attrib.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value is not None and value.strip():
            return value.strip()
    return None


def _find(root: ET.Element, name: str) -> ET.Element | None:
    return next((el for el in root.iter() if _local(el.tag) == name), None)


def parse_xml(data: bytes) -> ET.Element | None:
    """Parse XML bytes safely (no external entities), None when not well-formed."""
    if b"<!ENTITY" in data[:4096]:
        log.warning("XML with entity declarations refused")
        return None
    try:
        return ET.fromstring(data)
    except ET.ParseError:
        return None


def extract_xml(data: bytes, part: str, name: str | None) -> list[ExtractedOrder]:
    """Orders in an XML file: UBL, Voxel or a generic order XML; [] when it is not an order."""
    root = parse_xml(data)
    if root is None:
        return []
    if is_ubl(root):
        return [extract_ubl_root(root, part, name)]
    if _local(root.tag) == "Transaction" and _find(root, "GeneralData") is not None:
        return [extract_voxel(root, part, name)]
    generic = extract_generic(root, part, name)
    return [generic] if generic is not None else []


def extract_voxel(root: ET.Element, part: str, name: str | None) -> ExtractedOrder:
    """A Voxel `Transaction` (Pedido): attributes carry every value."""
    prov = Provenance(part=part)
    general = _find(root, "GeneralData")
    kind_attr = (_attr(general, "Type") or "").lower()
    kind = "cancel" if "anula" in kind_attr else "change" if "modific" in kind_attr else "order"
    order = ExtractedOrder(extractor="voxel", file=name, kind=kind, layout_key="xml:voxel")
    set_field(order, "po_number", _attr(general, "Ref"), 1.0, prov)
    set_field(order, "order_date", parse_date(_attr(general, "BeginDate", "Date")), 1.0, prov)
    set_field(order, "requested_delivery_date", parse_date(_attr(general, "EndDate", "DeliveryDate")), 0.9, prov)
    set_field(order, "currency", _attr(general, "Currency"), 1.0, prov)
    supplier = _find(root, "Supplier")
    order.supplier = Party(name=_attr(supplier, "Company"))
    client = _find(root, "Client")
    order.buyer = Party(
        name=_attr(client, "Company"), customer_number=_attr(supplier, "CustomerSupplierID") or _attr(client, "ClientID"),
        vat_id=_attr(client, "CIF"), email=_attr(client, "Email"),
    )
    customer = _find(root, "Customer")
    if customer is not None:
        order.ship_to = Address(
            name=_attr(customer, "Customer"), street=_attr(customer, "Address"), postal_code=_attr(customer, "PC"),
            city=_attr(customer, "City"), country=_country(_attr(customer, "Country")),
            location_id=_attr(customer, "CustomerID"),
        )
        order.confidence["ship_to"] = 1.0
        if not order.buyer.name:
            order.buyer.name = _attr(customer, "Customer")
    for index, product in enumerate((el for el in root.iter() if _local(el.tag) == "Product"), start=1):
        line = ExtractedLine()
        lprov = Provenance(part=part, line=index)
        set_line(line, "line_no", index, 1.0, lprov)
        set_line(line, "sku", _attr(product, "SupplierSKU"), 1.0, lprov)
        set_line(line, "customer_sku", _attr(product, "CustomerSKU"), 1.0, lprov)
        set_line(line, "gtin", _attr(product, "EAN", "GTIN"), 1.0, lprov)
        set_line(line, "description", _attr(product, "Item", "Description"), 1.0, lprov)
        set_line(line, "qty", _dec(_attr(product, "Qty", "Quantity")), 1.0, lprov)
        set_line(line, "uom", _attr(product, "MU", "Unit"), 1.0, lprov)
        set_line(line, "unit_price", _dec(_attr(product, "UnitPrice", "Price", "NetPrice")), 1.0, lprov)
        set_line(line, "line_total", _dec(_attr(product, "Total", "TotalAmount", "Amount", "NetAmount")), 1.0, lprov)
        set_line(line, "delivery_date", parse_date(_attr(product, "DeliveryDate")), 1.0, lprov)
        order.lines.append(line)
    total = _find(root, "TotalSummary")
    set_field(order, "order_total", _dec(_attr(total, "NetAmount", "SubTotalAmount", "Total", "GrossAmount")), 1.0, prov)
    return finish(order)


_COUNTRIES = {"ESP": "ES", "DEU": "DE", "FRA": "FR", "NLD": "NL", "PRT": "PT", "ITA": "IT", "GBR": "GB",
              "USA": "US", "CHN": "CN", "BEL": "BE", "AUT": "AT", "CHE": "CH"}


def _country(value: str | None) -> str | None:
    if not value:
        return None
    return _COUNTRIES.get(value.upper(), value.upper() if len(value) == 2 else value)


# Generic order XML: element names (lower-cased, no separators) that carry each field.
_GENERIC_HEADER = {
    "po_number": {"ordernumber", "ponumber", "purchaseordernumber", "orderno", "orderid", "poid", "bestellnummer", "documentnumber"},
    "order_date": {"orderdate", "podate", "issuedate", "documentdate", "bestelldatum", "date"},
    "requested_delivery_date": {"deliverydate", "requesteddeliverydate", "requireddate", "lieferdatum", "needbydate"},
    "currency": {"currency", "currencycode", "documentcurrencycode", "waehrung"},
}
_GENERIC_LINE = {
    "line_no": {"linenumber", "lineno", "line", "position", "pos", "id"},
    "sku": {"supplierpartnumber", "suppliersku", "vendorpartnumber", "sellersitemid", "articlenumber", "sku", "itemnumber"},
    "customer_sku": {"buyerpartnumber", "customerpartnumber", "customersku", "buyersitemid"},
    "gtin": {"gtin", "ean", "upc"},
    "description": {"description", "itemdescription", "name", "productname"},
    "qty": {"quantity", "qty", "orderedquantity", "menge"},
    "uom": {"uom", "unit", "unitofmeasure", "unitcode"},
    "unit_price": {"unitprice", "price", "netprice"},
    "line_total": {"linetotal", "amount", "lineamount", "totalprice", "extendedprice"},
}
_LINE_CONTAINERS = {"line", "orderline", "item", "lineitem", "position", "product", "article"}


def _key(tag: str) -> str:
    return re.sub(r"[^a-z]", "", _local(tag).lower())


def extract_generic(root: ET.Element, part: str, name: str | None) -> ExtractedOrder | None:
    """Best-effort mapping of an unknown order XML by element/attribute names."""
    prov = Provenance(part=part)
    order = ExtractedOrder(extractor="xml", file=name, layout_key=f"xml:{_local(root.tag)}")
    line_elements = [el for el in root.iter() if _key(el.tag) in _LINE_CONTAINERS and len(el) + len(el.attrib) >= 2]
    line_ids = {id(el) for el in line_elements}
    inside = set()
    for el in line_elements:
        for sub in el.iter():
            if sub is not el:
                inside.add(id(sub))
    for el in root.iter():
        if id(el) in inside or id(el) in line_ids:
            continue
        key = _key(el.tag)
        value = (el.text or "").strip()
        for field, names in _GENERIC_HEADER.items():
            if key in names and value and getattr(order, field) is None:
                if field.endswith("date"):
                    value = parse_date(value)
                set_field(order, field, value, 0.8, prov)
    for index, el in enumerate(line_elements, start=1):
        values = {_key(k): v for k, v in el.attrib.items()}
        for sub in el.iter():
            if sub is not el and (sub.text or "").strip():
                values.setdefault(_key(sub.tag), sub.text.strip())
        line = ExtractedLine()
        lprov = Provenance(part=part, line=index)
        for field, names in _GENERIC_LINE.items():
            value = next((values[k] for k in names if k in values), None)
            if value is None:
                continue
            if field in {"qty", "unit_price", "line_total"}:
                value = _dec(value)
            elif field == "line_no":
                value = int(value) if value.isdigit() else None
            set_line(line, field, value, 0.8, lprov)
        if line.qty is not None or line.sku or line.description:
            order.lines.append(line)
    if not order.lines or (order.po_number is None and not order.lines):
        return None
    return finish(order)
