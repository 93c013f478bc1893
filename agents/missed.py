"""Printed but not read: a labelled header value on the page that the extraction came back without.

A second, independent look at the document text: when a line carries a delivery-date label and
a date, or a total label and an amount, but the extracted order has no such value, something
was missed and a person should look. This catches extraction gaps in layouts never seen before.
"""
from __future__ import annotations

import re

from intake.model import InboundMessage

_AMOUNT = re.compile(r"\d[\d.,' ]*[.,]\d{2}(?!\d)")
_GENERIC = {"delivery", "levering", "livraison", "date", "datum", "fecha", "日期", "total", "summe", "totaal", "合计"}


def _lines(message: InboundMessage, documents_only: bool) -> list[str]:
    out = []
    for doc in message.readable_documents:
        if documents_only and doc.kind == "text":
            continue
        if doc.pages:
            out.extend(line for page in doc.pages for line in page.text.splitlines())
        elif doc.kind != "spreadsheet" or not doc.tables:
            out.extend(doc.text.splitlines())
        for table in doc.tables:
            out.extend(" ".join(cell for cell in row if cell) for row in table.rows)
    return out


def document_lines(message: InboundMessage) -> list[str]:
    """Every text line of the message's readable documents (pages, bodies and table rows)."""
    return _lines(message, False)


def _has_label(line: str, phrases: list[str], norm) -> int:
    """Position after the first specific label phrase in the line, or -1."""
    n = norm(line)
    for phrase in phrases:
        if phrase in _GENERIC:
            continue
        found = re.search(rf"(?<![\w]){re.escape(phrase)}(?![\w])", n) if phrase.isascii() else (
            re.search(re.escape(phrase), n))
        if found:
            return found.end()
    return -1


def _amounts(line: str) -> set:
    from agents.extractors.numbers import parse_number

    found = set()
    for token in _AMOUNT.findall(line):
        for sep in (None, ",", "."):
            value = parse_number(token.strip(), sep)
            if value is not None:
                found.add(value)
    return found


def missed_fields(message: InboundMessage, extracted: dict, computed_total=None) -> list[str]:
    """Header fields printed with a label in the message but absent from the extraction.

    A printed total equal to the sum of the lines read (`computed_total`) is not missed: it
    confirms the lines; a printed net total they do not add up to is `order_total_differs`.
    """
    from agents.extractors.dates import find_dates
    from agents.extractors.labels import HEADER_LABELS, TOTAL_LABELS, norm

    missed = []
    wanted = {
        "requested_delivery_date": (HEADER_LABELS.get("requested_delivery_date", []), "date", False),
        "order_date": ([p for p in HEADER_LABELS.get("order_date", []) if "date" in p or "datum" in p or "日期" in p
                        or "fecha" in p], "date", True),
        "order_total": (TOTAL_LABELS.get("net", []) + TOTAL_LABELS.get("gross", []), "amount", False),
    }
    for field, (phrases, kind, documents_only) in wanted.items():
        if extracted.get(field) not in (None, ""):
            continue
        delivery = HEADER_LABELS.get("requested_delivery_date", [])
        for line in _lines(message, documents_only):
            if _has_label(line, phrases, norm) < 0:
                continue
            if field == "order_date" and _has_label(line, delivery, norm) >= 0 and len(find_dates(line)) < 2:
                continue  # the line's only date is the delivery date
            if kind == "amount" and computed_total is not None and _AMOUNT.search(line):
                amounts = _amounts(line)
                if computed_total in amounts:
                    break  # printed total = the lines read: confirmed
                net_label = _has_label(line, TOTAL_LABELS.get("net", []), norm) >= 0
                if net_label and computed_total not in amounts:
                    missed.append("order_total_differs")  # a net total the lines do not reach
                    break
            if (kind == "date" and find_dates(line)) or (kind == "amount" and _AMOUNT.search(line)):
                missed.append(field)
                break
    return missed
