"""EDIFACT ORDERS / ORDCHG (EANCOM D96A and later) read exactly, segment by segment."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from agents.schema import Address, ExtractedLine, ExtractedOrder, Party, Provenance
from intake.model import Document, EdiSegment

from agents.extractors.common import finish, set_field, set_line

EXTRACTOR = "edifact"


def split_segments(text: str) -> list[EdiSegment]:
    """Tokenise an EDIFACT interchange (UNA service string advice honoured, `?` release)."""
    text = text.lstrip("\ufeff")
    comp, elem, rel, term = ":", "+", "?", "'"
    if text.startswith("UNA") and len(text) >= 9:
        comp, elem, rel, term = text[3], text[4], text[6], text[8]
        text = text[9:]
    segments: list[EdiSegment] = []
    buf: list[str] = []
    i = 0
    raw_segments: list[str] = []
    while i < len(text):
        ch = text[i]
        if ch == rel and i + 1 < len(text):
            buf.append("\x00" + text[i + 1])
            i += 2
            continue
        if ch == term:
            raw_segments.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    if "".join(buf).strip():
        raw_segments.append("".join(buf))
    for index, raw in enumerate(raw_segments):
        raw = raw.strip("\r\n ")
        if not raw:
            continue
        elements = [
            [c.replace("\x00", "") for c in _split(e, comp)] for e in _split(raw, elem)
        ]
        tag = "".join(elements[0]).strip()
        segments.append(EdiSegment(tag=tag, elements=elements[1:], index=index))
    return segments


def _split(text: str, sep: str) -> list[str]:
    # Released characters were marked with \x00 + char, so a plain split is safe.
    parts, cur, i = [], [], 0
    while i < len(text):
        if text[i] == "\x00":
            cur.append(text[i:i + 2])
            i += 2
            continue
        if text[i] == sep:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(text[i])
        i += 1
    parts.append("".join(cur))
    return parts


def _get(seg: EdiSegment, element: int, component: int = 0) -> str | None:
    try:
        value = seg.elements[element][component].strip()
    except IndexError:
        return None
    return value or None


def _date(value: str | None, fmt: str | None) -> str | None:
    if not value:
        return None
    digits = re.sub(r"\D", "", value)
    if fmt == "101" and len(digits) >= 6:
        digits = "20" + digits
    if len(digits) >= 8:
        return f"{digits[0:4]}-{digits[4:6]}-{digits[6:8]}"
    return None


def _dec(value: str | None) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation:
        return None


def looks_like_edifact(text: str) -> bool:
    """True for text that starts like an EDIFACT interchange."""
    head = text.lstrip("\ufeff \r\n")[:200]
    return head.startswith(("UNA", "UNB", "UNH"))


def extract_edifact(doc: Document) -> list[ExtractedOrder]:
    """Every ORDERS/ORDCHG message of an interchange as an ExtractedOrder."""
    segments = doc.segments or split_segments(doc.text)
    orders: list[ExtractedOrder] = []
    current: ExtractedOrder | None = None
    line: ExtractedLine | None = None
    last_party: Party | Address | None = None
    summary = False

    def prov(seg: EdiSegment) -> Provenance:
        return Provenance(part=doc.part, line=seg.index)

    for seg in segments:
        tag = seg.tag.upper()
        if tag == "UNH":
            current = ExtractedOrder(extractor=EXTRACTOR, file=doc.name)
            message_type = _get(seg, 1, 0) or ""
            if message_type == "ORDCHG":
                current.kind = "change"
            current.layout_key = f"edifact:{message_type}:{_get(seg, 1, 4) or ''}"
            orders.append(current)
            line, last_party, summary = None, None, False
            continue
        if current is None:
            if tag in {"BGM", "LIN"}:  # a message without UNH: be lenient
                current = ExtractedOrder(extractor=EXTRACTOR, file=doc.name)
                orders.append(current)
            else:
                continue
        if tag == "BGM":
            set_field(current, "po_number", _get(seg, 1, 0), 1.0, prov(seg))
            function = _get(seg, 2, 0)
            if function in {"1", "3"}:
                current.kind = "cancel"
            elif function in {"4", "5"} and current.kind == "order":
                current.kind = "change"
        elif tag == "DTM":
            qualifier, value, fmt = _get(seg, 0, 0), _get(seg, 0, 1), _get(seg, 0, 2)
            iso = _date(value, fmt)
            if line is not None and not summary and qualifier in {"2", "63", "64", "69"}:
                if qualifier == "2" or line.delivery_date is None:
                    set_line(line, "delivery_date", iso, 1.0, prov(seg))
            elif qualifier == "137":
                set_field(current, "order_date", iso, 1.0, prov(seg))
            elif qualifier in {"2", "64", "63", "69", "10"}:
                # Requested delivery: 2 wins; else the earliest of the window (64), then latest (63).
                rank = {"2": 0, "64": 1, "63": 2, "69": 3, "10": 4}[qualifier]
                if rank < current.confidence.get("_rdd_rank", 99):
                    set_field(current, "requested_delivery_date", iso, 1.0, prov(seg))
                    current.confidence["_rdd_rank"] = rank
        elif tag == "NAD":
            last_party = _nad(current, seg, prov(seg))
        elif tag == "RFF":
            qualifier, value = _get(seg, 0, 0), _get(seg, 0, 1)
            if qualifier == "VA" and isinstance(last_party, Party):
                last_party.vat_id = value
            elif qualifier == "VA" and last_party is current.bill_to and current.buyer.vat_id is None:
                current.buyer.vat_id = value
            elif qualifier == "IT" and isinstance(last_party, Party):
                last_party.customer_number = value
            elif qualifier == "ON" and current.po_number is None:
                set_field(current, "po_number", value, 1.0, prov(seg))
        elif tag == "CUX":
            set_field(current, "currency", _get(seg, 0, 1), 1.0, prov(seg))
        elif tag == "LIN":
            line = ExtractedLine()
            current.lines.append(line)
            number = _get(seg, 0, 0)
            if number and number.isdigit():
                set_line(line, "line_no", int(number), 1.0, prov(seg))
            code, code_type = _get(seg, 2, 0), _get(seg, 2, 1)
            if code:
                if code_type in {"EN", "UP", "EAN", "SRV"} or (code_type is None and code.isdigit() and len(code) in {8, 12, 13, 14}):
                    set_line(line, "gtin", code, 1.0, prov(seg))
                elif code_type in {"BP", "IN"}:
                    set_line(line, "customer_sku", code, 1.0, prov(seg))
                else:
                    set_line(line, "sku", code, 1.0, prov(seg))
        elif tag == "PIA" and line is not None:
            for element in seg.elements[1:]:
                code, code_type = (element + ["", ""])[0].strip(), (element + ["", ""])[1].strip()
                if not code:
                    continue
                if code_type in {"SA", "VN", "VP", "MF"} and line.sku is None:
                    set_line(line, "sku", code, 1.0, prov(seg))
                elif code_type in {"BP", "IN"} and line.customer_sku is None:
                    set_line(line, "customer_sku", code, 1.0, prov(seg))
                elif code_type in {"EN", "UP", "SRV"} and line.gtin is None:
                    set_line(line, "gtin", code, 1.0, prov(seg))
        elif tag == "IMD" and line is not None:
            text = " ".join(c for c in (seg.elements[2] if len(seg.elements) > 2 else [])[3:] if c.strip())
            if text:
                joined = f"{line.description} {text}" if line.description else text
                set_line(line, "description", joined.strip(), 1.0, prov(seg))
        elif tag == "QTY" and line is not None and not summary:
            qualifier = _get(seg, 0, 0)
            if qualifier in {"21", "1", "46", "113"} and line.qty is None:
                set_line(line, "qty", _dec(_get(seg, 0, 1)), 1.0, prov(seg))
                set_line(line, "uom", _get(seg, 0, 2), 1.0, prov(seg))
        elif tag == "PRI" and line is not None and not summary:
            qualifier = _get(seg, 0, 0)
            if qualifier in {"AAA", "AAB", "INF", "CAL"} and (line.unit_price is None or qualifier == "AAA"):
                price = _dec(_get(seg, 0, 1))
                basis = _dec(_get(seg, 0, 4))
                if price is not None and basis not in (None, Decimal(0), Decimal(1)):
                    price = price / basis
                set_line(line, "unit_price", price, 1.0, prov(seg))
        elif tag == "MOA":
            qualifier, amount = _get(seg, 0, 0), _dec(_get(seg, 0, 1))
            if not summary and line is not None and qualifier in {"203", "66", "146"}:
                set_line(line, "line_total", amount, 1.0, prov(seg))
            elif summary or line is None:
                rank = {"79": 0, "86": 1, "128": 2, "39": 3, "77": 4}.get(qualifier or "")
                if rank is not None and rank < current.confidence.get("_total_rank", 99):
                    set_field(current, "order_total", amount, 1.0, prov(seg))
                    current.confidence["_total_rank"] = rank
        elif tag == "FTX":
            text = " ".join(" ".join(e) for e in seg.elements[3:]).strip()
            if text:
                current.warnings.append(f"free text: {text[:200]}")
        elif tag == "UNS":
            summary = True
        elif tag == "CNT":
            if _get(seg, 0, 0) == "2":
                value = _get(seg, 0, 1)
                if value and value.split(".")[0].isdigit():
                    current.printed_line_count = int(value.split(".")[0])
    for order in orders:
        order.confidence.pop("_rdd_rank", None)
        order.confidence.pop("_total_rank", None)
        finish(order)
    return orders


def _nad(order: ExtractedOrder, seg: EdiSegment, prov: Provenance) -> Party | Address | None:
    qualifier = _get(seg, 0, 0)
    party_id = _get(seg, 1, 0)
    name = " ".join(c.strip() for c in (seg.elements[3] if len(seg.elements) > 3 else []) if c.strip()) or None
    if name is None and len(seg.elements) > 2:
        name = " ".join(c.strip() for c in seg.elements[2] if c.strip()) or None
    street = " ".join(c.strip() for c in (seg.elements[4] if len(seg.elements) > 4 else []) if c.strip()) or None
    address = Address(
        name=name, street=street, city=_get(seg, 5, 0), postal_code=_get(seg, 7, 0),
        country=_get(seg, 8, 0), location_id=party_id,
    )
    if qualifier == "BY":
        order.buyer = Party(name=name, customer_number=party_id)
        order.provenance["buyer"] = prov
        order.confidence["buyer"] = 1.0
        if order.ship_to is None and (street or address.city):
            pass
        return order.buyer
    if qualifier in {"SU", "SE"}:
        order.supplier = Party(name=name, customer_number=party_id)
        return order.supplier
    if qualifier in {"DP", "ST", "UC"}:
        order.ship_to = address
        order.confidence["ship_to"] = 1.0
        order.provenance["ship_to"] = prov
        return address
    if qualifier in {"IV", "BT"}:
        order.bill_to = address
        order.confidence["bill_to"] = 1.0
        return address
    return None
