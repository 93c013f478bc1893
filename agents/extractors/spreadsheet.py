"""XLSX / CSV orders: header row recognised by the column vocabulary, values read cell by cell."""
from __future__ import annotations

from agents.schema import ExtractedOrder
from agents.extractors.layout import Row, rows_from_table
from agents.extractors.offline_pdf import assemble
from intake.model import Document


def extract_sheet(doc: Document, *, sender_domain: str | None = None, hints: dict | None = None,
                  language: str | None = None) -> ExtractedOrder:
    """One order from a workbook or CSV (all sheets; label/value cells above the table)."""
    rows: list[Row] = []
    for table in doc.tables:
        rows.extend(rows_from_table(table, table.source.part or doc.part, len(rows)))
        rows.append(Row([], page=table.source.page or 1, unit="cell", part=doc.part))
    order = assemble(rows, part=doc.part, file=doc.name, extractor="spreadsheet", sender_domain=sender_domain,
                     hints=hints, language=language)
    # Cells hold exact values: raise confidence where the table had recognised columns.
    for line in order.lines:
        for key in list(line.confidence):
            line.confidence[key] = max(line.confidence[key], 0.97)
    return order
