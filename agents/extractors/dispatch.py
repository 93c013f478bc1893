"""Route each intake Document to its extractor and combine a message's results."""
from __future__ import annotations

import logging
from pathlib import Path

from agents.schema import ExtractedOrder, Party, Provenance
from intake.model import Document, InboundMessage

from agents.extractors.common import set_field
from agents.extractors.offline_pdf import extract_pdf
from agents.extractors.offline_text import extract_text, prose_po_number
from agents.extractors.spreadsheet import extract_sheet
from agents.extractors.structured_edifact import extract_edifact, looks_like_edifact
from agents.extractors.structured_x12 import extract_x12, looks_like_x12
from agents.extractors.structured_xml import extract_xml

log = logging.getLogger(__name__)
RANK = {"edifact": 0, "x12": 0, "ubl": 0, "voxel": 0, "xml": 1, "spreadsheet": 2, "offline_pdf": 3, "offline_text": 4}
STRUCTURED = {"edifact", "x12", "ubl", "voxel", "xml"}


def extract_document(doc: Document, *, sender_domain: str | None = None, hints: dict | None = None,
                     subject: str | None = None) -> list[ExtractedOrder]:
    """Orders found in one Document (and the Documents embedded in it)."""
    if not doc.readable:
        return []
    text = doc.text or ""
    orders: list[ExtractedOrder] = []
    try:
        if doc.kind == "edifact_orders" or (doc.kind == "text" and looks_like_edifact(text)):
            return extract_edifact(doc)
        if doc.kind == "x12_850" or (doc.kind == "text" and looks_like_x12(text)):
            return extract_x12(doc)
        if doc.kind in {"ubl_order", "xml"} and doc.xml:
            return extract_xml(doc.xml, doc.part, doc.name)
        if doc.kind == "text" and text.lstrip().startswith("<?xml"):
            return extract_xml(text.encode("utf-8"), doc.part, doc.name)
        embedded = [o for e in doc.embedded for o in extract_document(e, sender_domain=sender_domain, hints=hints)]
        if doc.kind == "pdf":
            structured = [o for o in embedded if o.extractor in STRUCTURED and o.lines]
            if structured:
                # Machine-readable XML inside the PDF is the truth; the page text is only a fallback.
                return structured
            orders = [extract_pdf(doc, sender_domain=sender_domain, hints=hints)]
        elif doc.kind == "spreadsheet":
            orders = [extract_sheet(doc, sender_domain=sender_domain, hints=hints)]
        elif doc.kind == "text":
            orders = [extract_text(doc, sender_domain=sender_domain, hints=hints, subject=subject)]
        return [o for o in orders if o.lines or o.po_number] + embedded
    except Exception as exc:  # noqa: BLE001 - one bad document must not lose the message
        log.warning("extraction failed on %s: %s", doc.part, exc, exc_info=True)
        failed = ExtractedOrder(file=doc.name, extractor="failed")
        failed.warnings.append(f"extraction failed on {doc.part}: {type(exc).__name__}: {exc}"[:300])
        return [failed]


def _is_body(doc: Document) -> bool:
    return doc.kind == "text" and (doc.part.endswith("body") or doc.part.endswith("body.forwarded"))


def _rank(order: ExtractedOrder) -> tuple:
    return (0 if order.lines else 1, RANK.get(order.extractor, 5), -len(order.lines))


def extract_documents(message: InboundMessage, layout_hints: dict | None = None) -> list[ExtractedOrder]:
    """Every order in a message, most certain first, with kind, injection flags and fallbacks filled."""
    from agents.classify import classify
    from agents.injection import detect_injection

    domain = message.sender.rsplit("@", 1)[-1].lower() if message.sender and "@" in message.sender else None
    body_orders: list[ExtractedOrder] = []
    attachment_orders: list[ExtractedOrder] = []
    for doc in message.documents:
        found = extract_document(doc, sender_domain=domain, hints=layout_hints, subject=message.subject)
        (body_orders if _is_body(doc) else attachment_orders).extend(found)
    with_lines = [o for o in attachment_orders if o.lines]
    orders = with_lines or [o for o in body_orders if o.lines] or attachment_orders or body_orders
    orders = _dedupe(sorted(orders, key=_rank))
    texts = [d.text for d in message.readable_documents] + [p.text for d in message.readable_documents for p in d.pages]
    body_text = "\n".join(d.text for d in message.documents if _is_body(d))
    injection = detect_injection(message.subject + "\n" + "\n".join(t for t in texts if t))
    if not orders:
        orders = [ExtractedOrder(file=message.raw_path, extractor="none")]
    classification = classify(message, orders)
    for order in orders:
        _fill_from_message(order, message, body_orders, body_text)
        if classification.kind == "not_order":
            order.kind = "not_order"
        elif order.kind == "order" and classification.kind in {"change", "cancel"}:
            order.kind = classification.kind
        order.confidence["kind"] = round(classification.confidence, 3)
        order.warnings.append(f"classified {classification.kind}"
                              + (f" ({classification.category})" if classification.category else "")
                              + f": {'; '.join(classification.reasons)}")
        if injection:
            order.warnings.append("prompt_injection: " + " | ".join(injection[:5]))
            order.injection = injection
    return orders


def _dedupe(orders: list[ExtractedOrder]) -> list[ExtractedOrder]:
    """The same order attached twice (EDI + PDF of it): keep the most certain reading."""
    seen: set[str] = set()
    out = []
    for order in orders:
        key = (order.po_number or "").strip().lower()
        if key and key in seen:
            continue
        if key:
            seen.add(key)
        out.append(order)
    return out


def _fill_from_message(order: ExtractedOrder, message: InboundMessage, body_orders: list[ExtractedOrder],
                       body_text: str) -> None:
    """Header fields the document lacks, taken from the mail body or subject at lower confidence."""
    body = next((o for o in body_orders if o is not order), None)
    for name in ("po_number", "order_date", "requested_delivery_date", "currency"):
        if getattr(order, name) is None and body is not None and getattr(body, name) is not None:
            set_field(order, name, getattr(body, name), min(0.7, body.confidence.get(name, 0.7)),
                      body.provenance.get(name))
    if order.po_number is None:
        found = prose_po_number(message.subject or "")
        if found:
            set_field(order, "po_number", found[0], 0.6, Provenance(part="subject"))
    if order.buyer is None:
        order.buyer = Party()
    if order.buyer.email is None and message.sender:
        order.buyer.email = message.sender
    if order.buyer.name is None and message.sender_name:
        order.buyer.name = message.sender_name
    if order.file is None:
        order.file = message.raw_path


def extract_file(path: str | Path, layout_hints: dict | None = None) -> list[ExtractedOrder]:
    """Orders in one file (.eml, .pdf, .xlsx, .csv, .edi/.x12, .xml), as `oms extract` prints them."""
    path = Path(path)
    data = path.read_bytes()
    if path.suffix.lower() == ".eml":
        from intake.mime import parse_message

        message = parse_message(data)
        message.raw_path = message.raw_path or str(path)
        orders = extract_documents(message, layout_hints)
        for order in orders:
            order.file = str(path)
        return orders
    doc = _read(path.name, data)
    orders = extract_document(doc, hints=layout_hints)
    if not orders:
        orders = [ExtractedOrder(file=str(path), extractor="none", warnings=[f"no order found ({doc.status})"])]
    for order in orders:
        order.file = str(path)
        if order.extractor not in STRUCTURED:
            _classify_single(order, doc)
    return sorted(orders, key=_rank)


def _classify_single(order: ExtractedOrder, doc: Document) -> None:
    from agents.classify import classify_text

    text = doc.text or "\n".join(p.text or " ".join(w.text for w in p.words) for p in doc.pages)
    result = classify_text("", "", text, lines_found=len(order.lines))
    if result.kind == "not_order" and result.category not in {"other", "unreadable"}:
        order.kind = "not_order"
    elif result.kind in {"change", "cancel"}:
        order.kind = result.kind
    order.warnings.append(f"classified {result.kind}: {'; '.join(result.reasons)}")


def _read(name: str, data: bytes) -> Document:
    """intake's reader; structured text it cannot (yet) read is tokenised here."""
    from intake.documents import read_document

    doc = read_document(name, data)
    if doc.readable:
        return doc
    head = data[:4096].lstrip(b"\xef\xbb\xbf \r\n\t")
    text = data.decode("utf-8", errors="replace")
    import hashlib

    def make(kind: str) -> Document:
        return Document(kind=kind, name=name, part=f"attachment:{name}", content_type="", size=len(data),
                        sha256=hashlib.sha256(data).hexdigest(), text=text, xml=data if kind == "xml" else None)

    if head.startswith((b"UNA", b"UNB", b"UNH")):
        return make("edifact_orders")
    if head.startswith((b"ISA", b"ST*", b"GS*")):
        return make("x12_850")
    if head.startswith(b"<"):
        return make("xml")
    return doc
