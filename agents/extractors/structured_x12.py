"""ANSI X12 850 purchase orders (and 860 changes) read exactly; one order per ST/SE set."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from agents.schema import Address, ExtractedLine, ExtractedOrder, Party, Provenance
from intake.model import Document, EdiSegment

from agents.extractors.common import finish, set_field, set_line

EXTRACTOR = "x12"
SKU_QUALIFIERS = {"VP", "VN", "VA", "SK", "MG", "VC"}
CUSTOMER_SKU_QUALIFIERS = {"BP", "IN", "PI", "CB"}
GTIN_QUALIFIERS = {"UP", "UK", "EN", "UA", "EA", "UI", "U2"}


def looks_like_x12(text: str) -> bool:
    """True for text that starts like an X12 interchange (ISA) or a bare transaction set (ST)."""
    head = text.lstrip("\ufeff \r\n")[:10]
    return head.startswith("ISA") or head.startswith("ST*") or head.startswith("GS*")


def split_segments(text: str) -> list[EdiSegment]:
    """Tokenise X12 using the delimiters the ISA segment declares."""
    text = text.lstrip("\ufeff \r\n")
    elem, comp, term = "*", ">", "~"
    if text.startswith("ISA") and len(text) > 106:
        elem = text[3]
        isa_end = _isa_end(text, elem)
        comp = text[isa_end - 1]
        term = text[isa_end]
    elif "~" not in text:
        term = "\n"
    segments: list[EdiSegment] = []
    for index, raw in enumerate(text.split(term)):
        raw = raw.strip("\r\n ")
        if not raw:
            continue
        parts = raw.split(elem)
        elements = [p.split(comp) if comp and parts[0] != "ISA" else [p] for p in parts[1:]]
        segments.append(EdiSegment(tag=parts[0].strip(), elements=elements, index=index))
    return segments


def _isa_end(text: str, elem: str) -> int:
    # ISA has 16 elements; the segment terminator follows the 16th (component separator).
    count, i = 0, 0
    while i < len(text):
        if text[i] == elem:
            count += 1
            if count == 16:
                return i + 2
        i += 1
    return 105


def _get(seg: EdiSegment, element: int, component: int = 0) -> str | None:
    try:
        value = seg.elements[element][component].strip()
    except IndexError:
        return None
    return value or None


def _dec(value: str | None) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def _date(value: str | None) -> str | None:
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 6:
        digits = "20" + digits
    if len(digits) >= 8:
        return f"{digits[0:4]}-{digits[4:6]}-{digits[6:8]}"
    return None


def extract_x12(doc: Document) -> list[ExtractedOrder]:
    """Every 850/860 transaction set in the file as an ExtractedOrder."""
    segments = doc.segments or split_segments(doc.text)
    orders: list[ExtractedOrder] = []
    current: ExtractedOrder | None = None
    line: ExtractedLine | None = None
    party: str | None = None
    party_address: Address | None = None

    def prov(seg: EdiSegment) -> Provenance:
        return Provenance(part=doc.part, line=seg.index)

    for seg in segments:
        tag = seg.tag.upper()
        if tag == "ST":
            current = ExtractedOrder(extractor=EXTRACTOR, file=doc.name)
            set_type = _get(seg, 0) or ""
            current.layout_key = f"x12:{set_type}"
            if set_type == "860":
                current.kind = "change"
            orders.append(current)
            line, party, party_address = None, None, None
            continue
        if current is None:
            continue
        if tag in {"BEG", "BCH"}:
            purpose = _get(seg, 0)
            set_field(current, "po_number", _get(seg, 2), 1.0, prov(seg))
            set_field(current, "order_date", _date(_get(seg, 4)), 1.0, prov(seg))
            if purpose in {"01", "03"}:
                current.kind = "cancel"
            elif purpose in {"04", "05"} or tag == "BCH":
                current.kind = "change" if purpose not in {"01", "03"} else "cancel"
        elif tag == "CUR":
            set_field(current, "currency", _get(seg, 1), 1.0, prov(seg))
        elif tag == "REF":
            if _get(seg, 0) in {"IA", "VR", "CR"} and current.buyer.customer_number is None:
                current.buyer.customer_number = _get(seg, 1)
        elif tag == "PER":
            for i, element in enumerate(seg.elements):
                if element and element[0] == "EM" and i + 1 < len(seg.elements):
                    current.buyer.email = current.buyer.email or _get(seg, i + 1)
        elif tag in {"DTM", "DTP"}:
            qualifier, iso = _get(seg, 0), _date(_get(seg, 1) if tag == "DTM" else _get(seg, 2))
            if line is not None:
                if qualifier in {"002", "010", "106", "074", "037"}:
                    set_line(line, "delivery_date", iso, 1.0, prov(seg))
            elif qualifier in {"002", "010", "106", "074", "037", "038", "068"}:
                rank = {"002": 0, "106": 1, "074": 2, "010": 3, "037": 4, "038": 5, "068": 6}[qualifier]
                if rank < current.confidence.get("_rdd_rank", 99):
                    set_field(current, "requested_delivery_date", iso, 1.0, prov(seg))
                    current.confidence["_rdd_rank"] = rank
            elif qualifier in {"004", "003"} and current.order_date is None:
                set_field(current, "order_date", iso, 1.0, prov(seg))
        elif tag == "N1":
            party = _get(seg, 0)
            name, code = _get(seg, 1), _get(seg, 3)
            party_address = Address(name=name, location_id=code)
            if party == "BY":
                current.buyer.name = name
                if code and current.buyer.customer_number is None:
                    current.buyer.customer_number = code
            elif party in {"SE", "VN", "SU"}:
                current.supplier = Party(name=name, customer_number=code)
            elif party == "ST":
                current.ship_to = party_address
                current.confidence["ship_to"] = 1.0
                current.provenance["ship_to"] = prov(seg)
            elif party == "BT":
                current.bill_to = party_address
        elif tag == "N3" and party_address is not None:
            party_address.street = " ".join(v for v in (_get(seg, 0), _get(seg, 1)) if v)
        elif tag == "N4" and party_address is not None:
            party_address.city = _get(seg, 0)
            party_address.postal_code = _get(seg, 2)
            party_address.country = _get(seg, 3) or ("US" if _get(seg, 1) else None)
        elif tag in {"PO1", "POC"}:
            line = ExtractedLine()
            current.lines.append(line)
            number = _get(seg, 0)
            if number and number.isdigit():
                set_line(line, "line_no", int(number), 1.0, prov(seg))
            offset = 0 if tag == "PO1" else 1  # POC carries a change code before the quantity
            if tag == "POC":
                offset = 2
            set_line(line, "qty", _dec(_get(seg, 1 + offset)), 1.0, prov(seg))
            set_line(line, "uom", _get(seg, 2 + offset), 1.0, prov(seg))
            set_line(line, "unit_price", _dec(_get(seg, 3 + offset)), 1.0, prov(seg))
            start = 5 + offset
            for i in range(start, len(seg.elements) - 1, 2):
                qualifier, code = _get(seg, i), _get(seg, i + 1)
                if not qualifier or not code:
                    continue
                if qualifier in SKU_QUALIFIERS and line.sku is None:
                    set_line(line, "sku", code, 1.0, prov(seg))
                elif qualifier in CUSTOMER_SKU_QUALIFIERS and line.customer_sku is None:
                    set_line(line, "customer_sku", code, 1.0, prov(seg))
                elif qualifier in GTIN_QUALIFIERS and line.gtin is None:
                    set_line(line, "gtin", code, 1.0, prov(seg))
        elif tag == "PID" and line is not None:
            text = _get(seg, 4)
            if text:
                joined = f"{line.description} {text}" if line.description else text
                set_line(line, "description", joined, 1.0, prov(seg))
        elif tag == "AMT" and _get(seg, 0) in {"TT", "1", "GV"}:
            set_field(current, "order_total", _dec(_get(seg, 1)), 1.0, prov(seg))
        elif tag == "CTT":
            count = _get(seg, 0)
            if count and count.isdigit():
                current.printed_line_count = int(count)
        elif tag == "MSG":
            text = _get(seg, 0)
            if text:
                current.warnings.append(f"free text: {text[:200]}")
        elif tag == "SE":
            current.confidence.pop("_rdd_rank", None)
            current = None
            line = None
    for order in orders:
        order.confidence.pop("_rdd_rank", None)
        for ln in order.lines:
            if ln.unit_price is not None and ln.qty is not None and ln.line_total is None:
                pass  # X12 does not print line totals; leave them absent (as printed)
        finish(order)
    return orders
