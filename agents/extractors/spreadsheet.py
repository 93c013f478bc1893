"""XLSX / CSV orders: the item table read cell by cell, header fields from the title block.

Each sheet's item table is found by its column vocabulary (`sheet_table`); the order fields come
from label/value cells around it (label left of or above its value, "Label: value" in one cell)
through the same field reader the PDFs use, and from columns a CSV export repeats on every line
("Bestell-Nr.", "Währung"). When no sheet can be understood the old row reader is tried, with
its confidence capped, so the order goes to a person instead of being booked on a guess.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from decimal import Decimal

from agents.schema import ExtractedOrder, Party, Provenance
from agents.extractors.common import fingerprint, finish, set_field
from agents.extractors.dates import detect_date_order
from agents.extractors.fields import Candidate, _valid, find_fields, parse_address, source_of
from agents.extractors.labels import HEADER_LABELS, norm, starts_with_label
from agents.extractors.language import guess_language
from agents.extractors.layout import Row, Token, rows_from_table
from agents.extractors.numbers import currency_in, default_separator, detect_decimal_separator
from agents.extractors.offline_pdf import FIELD_CONFIDENCE, assemble, fill_addresses_and_currency, reindex
from agents.extractors.common import provenance
from agents.extractors.sheet_table import SheetTable, read_table, sheet_date
from intake.model import Document, Source

log = logging.getLogger(__name__)
UNDERSTOOD_FLOOR = 0.5  # confidence cap for lines read without a recognised header row


def extract_sheet(doc: Document, *, sender_domain: str | None = None, hints: dict | None = None,
                  language: str | None = None) -> ExtractedOrder:
    """One order from a workbook or CSV (all sheets; label/value cells above and below the table)."""
    text = "\n".join("\n".join("\t".join(r) for r in t.rows) for t in doc.tables)
    language = language or guess_language(text)
    all_cells = [c for t in doc.tables for r in t.rows for c in r if c]
    sep = (hints or {}).get("decimal_separator") or detect_decimal_separator(all_cells) or default_separator(language)
    date_order = (hints or {}).get("date_order") or detect_date_order(all_cells)
    tables: list[tuple[int, SheetTable]] = []
    for index, table in enumerate(doc.tables):
        try:
            found = read_table(table, table.source.part or doc.part, sep, date_order, language)
        except Exception as exc:  # noqa: BLE001 - one odd sheet must not lose the workbook
            log.warning("sheet %s of %s unreadable: %s", table.source.sheet, doc.name, exc, exc_info=True)
            found = None
        if found is not None and found.lines:
            tables.append((index, found))
    if not tables:
        return _fallback(doc, sender_domain=sender_domain, hints=hints, language=language)
    best_index, best = max(tables, key=lambda it: (len(it[1].lines) * it[1].confidence, it[1].score))
    order = ExtractedOrder(file=doc.name, extractor="spreadsheet", language=language)
    order.lines = best.lines
    order.printed_line_count = best.printed_line_count
    order.confidence["lines"] = round(best.confidence, 3)
    order.warnings.extend(best.warnings)
    others = [t for i, t in tables if i != best_index]
    if others:
        extra = sum(t.printed_line_count for t in others)
        order.printed_line_count += extra  # lines on other sheets: reconcile flags the count for a person
        order.warnings.append(f"{len(others)} other sheet(s) also hold item rows ({extra}); only "
                              f"{best.sheet or 'the first'} was read")
    _header_fields(order, doc, best_index, best, date_order, language, hints)
    _set_total(order, best)
    order.layout_key = fingerprint("spreadsheet", sender_domain or "",
                                   ",".join(sorted(f"{r}={best.headers.get(c, '')}" for r, c in best.roles.items())))
    order.warnings.append(f"sheet {best.sheet or '-'}: header row {best.header_rows[0] + 1}, columns "
                          + ", ".join(f"{best.headers.get(c, '?')!s}->{r}" for r, c in sorted(best.roles.items(), key=lambda x: x[1]))
                          + f"; {len(best.lines)} item rows; decimal '{best.decimal_separator or sep}',"
                          f" dates {date_order or 'default'}, language {language or '?'}")
    return finish(order)


def _header_fields(order: ExtractedOrder, doc: Document, best_index: int, best: SheetTable,
                   date_order, language, hints) -> None:
    """PO number, dates, buyer, currency and addresses from the cells outside the item table."""
    rows: list[Row] = []
    skip: set[int] = set()
    for index, table in enumerate(doc.tables):
        part = table.source.part or doc.part
        table_rows = rows_from_table(table, part, len(rows))
        if index == best_index:
            for r in best.used_rows:
                if r < len(table_rows):
                    table_rows[r].tokens = []  # the item table is no address block or label/value pair
        rows.extend(table_rows)
        rows.append(Row([], page=table.source.page or 1, index=len(rows), unit="cell", part=part))
    reindex(rows)
    fields = find_fields(rows, skip, date_order, language, hints)
    for key, cand in _grid_fields(doc, best_index, best, date_order, language).items():
        if key not in fields or fields[key].score < 20:  # 20+: a label the reviewer taught (layout memory)
            fields[key] = cand
    for name in ("po_number", "order_date", "requested_delivery_date", "currency"):
        cand = fields.get(name)
        if cand:
            conf = FIELD_CONFIDENCE[name] if cand.score > 0 else 0.6
            set_field(order, name, cand.value, conf, provenance(source_of(cand.tokens)))
    buyer = Party()
    for name in ("customer_number", "vat_id", "email"):
        cand = fields.get(name)
        if cand:
            setattr(buyer, name, cand.value)
            order.confidence[f"buyer.{name}"] = FIELD_CONFIDENCE[name]
    order.buyer = buyer
    # Fields a CSV export repeats in a column on every item row.
    part = doc.tables[best_index].source.part or doc.part
    for name, (text, r, c) in best.header_values.items():
        prov = Provenance(part=part, line=r, column=c)
        if name == "po_number" and order.po_number is None:
            set_field(order, "po_number", text.strip(), 0.95, prov)
        elif name in {"order_date", "requested_delivery_date"} and getattr(order, name) is None:
            set_field(order, name, sheet_date(text, date_order, language), 0.95, prov)
        elif name == "currency" and order.currency is None:
            set_field(order, "currency", currency_in(text) or (text.strip().upper() if len(text.strip()) == 3 else None),
                      0.95, prov)
        elif name == "customer_number" and order.buyer.customer_number is None:
            order.buyer.customer_number = text.strip()
            order.confidence["buyer.customer_number"] = 0.9
        elif name == "ship_to" and order.ship_to is None:
            address = parse_address([s.strip() for s in text.replace("\n", ",").split(",") if s.strip()])
            if address:
                order.ship_to = address
                order.confidence["ship_to"] = 0.8
                order.provenance["ship_to"] = prov
    if order.requested_delivery_date is None:
        dates = Counter(ln.delivery_date for ln in order.lines if ln.delivery_date)
        if dates and sum(dates.values()) == len(order.lines) and len(dates) == 1:
            only = next(iter(dates))
            set_field(order, "requested_delivery_date", only, 0.9, order.lines[0].provenance.get("delivery_date"))
        elif dates:
            # Lines with different need dates: the earliest is when delivery must start; a person may check.
            set_field(order, "requested_delivery_date", min(dates), 0.6)
    if order.ship_to is None:
        _inline_ship_to(order, rows)
    fill_addresses_and_currency(order, rows, skip)


def _grid_fields(doc: Document, best_index: int, best: SheetTable, date_order, language) -> dict[str, Candidate]:
    """Label cells with their value in the next filled cell to the right or in the cell below."""
    found: dict[str, tuple[float, Candidate]] = {}
    for index, table in enumerate(doc.tables):
        grid = table.rows
        used = best.used_rows if index == best_index else set()

        def cell(r: int, c: int) -> str:
            return (grid[r][c] or "").strip() if 0 <= r < len(grid) and 0 <= c < len(grid[r]) and r not in used else ""

        for r, row in enumerate(grid):
            if r in used:
                continue
            for c, raw in enumerate(row):
                text = (raw or "").strip().rstrip(":：").strip()
                key, length = starts_with_label(text, HEADER_LABELS)
                if not key or length < len(norm(text)):
                    continue  # not a label cell ("Label: value" in one cell is the row reader's job)
                options = [(r, k) for k in range(c + 1, min(c + 4, len(row))) if cell(r, k)][:1] + [(r + 1, c)]
                for vr, vc in options:
                    value_text = cell(vr, vc)
                    if not value_text or starts_with_label(value_text, HEADER_LABELS)[1] >= len(norm(value_text)):
                        continue
                    value = _valid(key, value_text, date_order, language)
                    if value is None:
                        continue
                    source = (table.cell_sources[vr][vc] if table.cell_sources and vr < len(table.cell_sources)
                              and vc < len(table.cell_sources[vr]) else None) or Source(
                        part=table.source.part or doc.part, sheet=table.source.sheet, line=vr, column=vc)
                    token = Token(value_text, float(vc), float(vc) + 1, vr, vr + 1, source)
                    score = length + (2 if vr == r else 0)
                    if key not in found or score > found[key][0]:
                        found[key] = (score, Candidate(value, float(score), [token], None))
                    break
    return {key: cand for key, (_, cand) in found.items()}


_SHIP_LABEL = re.compile(
    r"^\s*([^:：]{0,40}(?:liefer|deliver|ship|lever|livr|entreg|送货|收货|交货)[^:：]{0,30})[:：]\s*(.+\d.+)$", re.I)


def _inline_ship_to(order: ExtractedOrder, rows: list[Row]) -> None:
    """'Anlieferung bitte an: Firma, Straße 1, 12345 Ort' written into one cell."""
    for row in rows:
        for tok in row.tokens:
            m = _SHIP_LABEL.match(tok.text)
            if not m or "," not in m.group(2):
                continue
            address = parse_address([s.strip() for s in m.group(2).split(",") if s.strip()])
            if address and (address.postal_code or address.city):
                order.ship_to = address
                order.confidence["ship_to"] = 0.75
                if tok.source is not None:
                    order.provenance["ship_to"] = provenance(tok.source)
                return


def _set_total(order: ExtractedOrder, table: SheetTable) -> None:
    """The printed total: the one equal to the sum of the lines, else the net, else the last one."""
    candidates = [t for t in table.totals if t[0] != "tax"]
    if not candidates:
        return
    line_sum = sum((ln.line_total for ln in order.lines if ln.line_total is not None), Decimal(0))
    matching = [t for t in candidates if abs(t[1] - line_sum) <= Decimal("0.05")]
    if matching:
        chosen, conf = matching[0], 0.95
    else:
        ranked = sorted(candidates, key=lambda t: (t[0] != "net", t[0] != "unlabelled"))
        chosen, conf = ranked[0], 0.6
    kind, amount, r, c = chosen
    set_field(order, "order_total", amount, conf, Provenance(part=order.lines[0].provenance["qty"].part
                                                             if order.lines and "qty" in order.lines[0].provenance
                                                             else (order.file or "sheet"), line=r, column=c))


def _fallback(doc: Document, *, sender_domain, hints, language) -> ExtractedOrder:
    """No recognisable item table: the generic row reader, its confidence capped so a person looks."""
    rows: list[Row] = []
    for table in doc.tables:
        rows.extend(rows_from_table(table, table.source.part or doc.part, len(rows)))
        rows.append(Row([], page=table.source.page or 1, unit="cell", part=doc.part))
    order = assemble(rows, part=doc.part, file=doc.name, extractor="spreadsheet", sender_domain=sender_domain,
                     hints=hints, language=language)
    for line in order.lines:
        for key in list(line.confidence):
            line.confidence[key] = min(line.confidence[key], UNDERSTOOD_FLOOR)
        line.confidence.setdefault("qty", UNDERSTOOD_FLOOR)
    order.confidence["lines"] = min(order.confidence.get("lines", UNDERSTOOD_FLOOR), UNDERSTOOD_FLOOR)
    order.warnings.append("sheet not understood: no header row naming quantity and article/price columns; "
                          "lines read by the generic row reader need review")
    return order
