"""The offline extractor for laid-out documents: rows -> line table + label/value header fields.

`assemble(rows, ...)` is shared by PDFs (rows from word boxes), mail bodies and sheets, so every
improvement in the table finder or label vocabulary helps all of them.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from agents.schema import ExtractedOrder, Party
from agents.extractors.common import fingerprint, finish, provenance, set_field
from agents.extractors.dates import detect_date_order
from agents.extractors.fields import find_addresses, find_fields, source_of
from agents.extractors.labels import norm
from agents.extractors.language import guess_language
from agents.extractors.layout import Row, rows_from_page
from agents.extractors.numbers import currency_in, default_separator, detect_decimal_separator
from agents.extractors.records import find_records
from agents.extractors.tables import find_tables
from intake.model import Document

FIELD_CONFIDENCE = {"po_number": 0.9, "order_date": 0.9, "requested_delivery_date": 0.85, "customer_number": 0.85,
                    "vat_id": 0.85, "currency": 0.9, "email": 0.9}


def reindex(rows: list[Row]) -> list[Row]:
    """Make Row.index equal to the position in the list (the table reader relies on it)."""
    for i, row in enumerate(rows):
        row.index = i
    return rows


def document_conventions(rows: list[Row], language: str | None = None) -> tuple[str, str | None, str | None]:
    """(decimal separator, date order, language) inferred from the document's own tokens."""
    texts = [row.text for row in rows]
    joined = "\n".join(texts)
    language = language or guess_language(joined)
    sep = detect_decimal_separator(t.text for row in rows for t in row.tokens) or default_separator(language)
    order = detect_date_order(texts)
    if order is None and (language or "").startswith("en"):
        order = english_date_order(joined)
    return sep, order, language


def english_date_order(text: str) -> str | None:
    """Day-first for British/European English (GBP, .uk, VAT Reg, EU postcodes), month-first for US."""
    import re

    uk = len(re.findall(r"GBP|£|\.co\.uk|\bVAT\b|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b", text))
    us = len(re.findall(r"USD|\$|\b(?:AL|AK|AZ|CA|CO|CT|FL|GA|IL|MA|MI|MN|NJ|NY|OH|PA|TX|VA|WA)\s+\d{5}\b", text))
    if uk > us:
        return "dmy"
    if us > uk:
        return "mdy"
    return None


def assemble(rows: list[Row], *, part: str, file: str | None, extractor: str, sender_domain: str | None = None,
             hints: dict[str, Any] | None = None, language: str | None = None) -> ExtractedOrder:
    """One ExtractedOrder from positioned rows (tables, label/value fields, addresses, totals)."""
    hints = hints or {}
    rows = reindex(rows)
    sep, date_order, language = document_conventions(rows, language)
    sep = hints.get("decimal_separator") or sep
    date_order = hints.get("date_order") or date_order
    order = ExtractedOrder(file=file, extractor=extractor, language=language)
    tables = find_tables(rows, sep, date_order, language, hints)
    used: set[int] = set()
    if tables:
        best = max(tables, key=lambda t: (len(t.lines) * t.confidence))
        same = [t for t in tables if t.signature == best.signature]
        for table in same:
            order.lines.extend(table.lines)
            used |= table.used_rows
            order.warnings.extend(table.warnings)
        printed = next((t.printed_line_count for t in same if t.printed_line_count), None)
        order.printed_line_count = printed
        _set_total(order, [c for t in same for c in t.totals])
        order.confidence["lines"] = round(min(t.confidence for t in same), 3)
        if any(t.carried for t in same):
            order.warnings.append(f"carried-forward lines skipped: {sum(t.carried for t in same)}")
    if not order.lines and extractor == "offline_pdf":
        _records_instead(order, rows, used, sep)
    fields = find_fields(rows, used, date_order, language, hints)
    _table_header_values(fields, tables, date_order, language)
    if "order_date" not in fields and extractor != "offline_text":  # a mail's order date is its Date header
        first = _first_free_date(rows, used, fields, date_order, language)
        if first is not None:
            fields["order_date"] = first
    for name in ("po_number", "order_date", "requested_delivery_date", "currency"):
        cand = fields.get(name)
        if cand:
            conf = FIELD_CONFIDENCE[name] if cand.score > 0 else 0.6  # score 0: unlabelled guess
            set_field(order, name, cand.value, conf, provenance(source_of(cand.tokens)))
    buyer = Party()
    for name in ("customer_number", "vat_id", "email"):
        cand = fields.get(name)
        if cand:
            setattr(buyer, name, cand.value)
            order.confidence[f"buyer.{name}"] = FIELD_CONFIDENCE[name]
    order.buyer = buyer
    fill_addresses_and_currency(order, rows, used)
    # The key describes the printed layout (header words in order, labels seen), never our reading of
    # it, so a reviewer's hint saved under this key finds the same documents again.
    header_bits = [norm(c.text)[:20] for t in tables[:1] for c in sorted(t.columns, key=lambda c: c.x0)]
    label_bits = [] if header_bits else [norm(r.tokens[0].text)[:12] for r in rows[:8] if r.tokens]
    order.layout_key = fingerprint(extractor, sender_domain or "", "|".join(header_bits), "|".join(label_bits))
    order.warnings.append(f"conventions: decimal '{sep}', dates {date_order or 'default'}, language {language or '?'}")
    return finish(order)


def _records_instead(order: ExtractedOrder, rows: list[Row], used: set[int], sep: str | None) -> None:
    """No item table: read lines printed as numbered paragraphs or label/value cards."""
    found = find_records(rows, used, sep)
    if found is None:
        return
    order.lines.extend(found.lines)
    used |= found.used_rows
    _set_total(order, found.totals)
    order.confidence["lines"] = 0.8
    order.warnings.append(f"lines read from {len(found.lines)} record(s), no item table")


def _table_header_values(fields: dict, tables: list, date_order, language) -> None:
    """Order fields that a CSV-style table repeats in a column on every line."""
    from agents.extractors.fields import Candidate, _valid

    for table in tables[:1]:
        for name, tokens in table.header_values.items():
            text = " ".join(t.text for t in tokens)
            value = _valid(name, text, date_order, language)
            if value and name not in fields:
                fields[name] = Candidate(value, 1.0, tokens, None)
        dates = [ln.delivery_date for ln in table.lines if ln.delivery_date]
        if "requested_delivery_date" not in fields and dates:
            # the order's date is the one most lines share (lines may deviate)
            common = max(sorted(set(dates)), key=dates.count)
            if dates.count(common) * 2 >= len(table.lines):
                fields["requested_delivery_date"] = Candidate(common, 0.9, [], None)


def _first_free_date(rows: list[Row], used: set[int], fields: dict, date_order, language):
    """An unlabelled date near the top of the first page (under the PO number, in a letterhead)."""
    from agents.extractors.dates import find_dates
    from agents.extractors.fields import Candidate

    taken = {c.value for c in fields.values()}
    for row in rows[:40]:
        if row.index in used or row.page != rows[0].page:
            continue
        for tok in (row.phrases() if row.unit == "pt" else row.tokens):
            found = find_dates(tok.text, date_order, language)
            if found and found[0][1].isoformat() not in taken and len(tok.text) <= 80:
                return Candidate(found[0][1].isoformat(), 0.0, [tok], row)
    return None


def _set_total(order: ExtractedOrder, totals: list) -> None:
    """Pick the printed order total: the one equal to the sum of line totals, else net, else gross."""
    if not totals:
        return
    line_sum = sum((ln.line_total for ln in order.lines if ln.line_total is not None), Decimal(0))
    matching = [c for c in totals if abs(c[2] - line_sum) <= Decimal("0.05")]
    ranked = sorted(totals, key=lambda c: (c[0] != "net", not c[1]))
    chosen = matching[0] if matching else ranked[0]
    conf = 0.95 if matching else 0.6
    set_field(order, "order_total", chosen[2], conf, provenance(source_of(chosen[3].tokens)))


def extract_pdf(doc: Document, *, sender_domain: str | None = None, hints: dict | None = None,
                language: str | None = None) -> ExtractedOrder:
    """Offline extraction of a text PDF (word boxes from intake's PDF reader)."""
    rows: list[Row] = []
    for page in doc.pages:
        rows.extend(rows_from_page(page, doc.part, len(rows)))
    order = assemble(rows, part=doc.part, file=doc.name, extractor="offline_pdf", sender_domain=sender_domain,
                     hints=hints, language=language)
    if not doc.pages or not any(p.words for p in doc.pages):
        order.warnings.append("pdf has no text layer (scanned?)")
    return order


def fill_addresses_and_currency(order: ExtractedOrder, rows: list[Row], skip: set[int]) -> None:
    """Ship-to (unless already known), bill-to and a currency printed anywhere, from the header rows."""
    addresses = find_addresses(rows, skip)
    if "ship_to" in addresses and order.ship_to is None:
        order.ship_to, tokens = addresses["ship_to"]
        order.confidence["ship_to"] = 0.7
        prov = provenance(source_of(tokens))
        if prov:
            order.provenance["ship_to"] = prov
    if "bill_to" in addresses:
        order.bill_to = addresses["bill_to"][0]
        order.confidence["bill_to"] = 0.7
    if order.currency is None:
        code = currency_in("\n".join(r.text for r in rows))
        if code:
            set_field(order, "currency", code, 0.7)
