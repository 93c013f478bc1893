"""XLSX reader (openpyxl, read-only): one Table per sheet, every cell with its row and column."""
from __future__ import annotations

import io
import logging
from datetime import date, datetime, time
from decimal import Decimal

from intake.documents.archive import UnsafeArchive, open_zip
from intake.documents.common import Limits, mark_unreadable, new_document
from intake.documents.tables import make_table, table_text
from intake.model import Document, Source

log = logging.getLogger(__name__)


def read_xlsx(name: str, data: bytes, content_type: str, part: str, limits: Limits) -> Document:
    """Read every non-empty worksheet; the customer's own header names stay as they are."""
    doc = new_document("spreadsheet", name, part, content_type or "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data)
    try:
        open_zip(data, limits)  # sizes and ratios checked before openpyxl inflates anything
    except UnsafeArchive as exc:
        reason = str(exc).replace("corrupt zip", "corrupt xlsx")
        return mark_unreadable(doc, reason)
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on broken files
        return mark_unreadable(doc, f"corrupt xlsx ({type(exc).__name__})")
    texts = []
    try:
        for index, sheet in enumerate(workbook.worksheets, start=1):
            try:
                rows = _rows(sheet, limits, doc)
            except Exception as exc:  # noqa: BLE001 - one broken sheet must not lose the others
                doc.warnings.append(f"sheet {sheet.title!r} unreadable: {type(exc).__name__}")
                continue
            if not rows:
                continue
            sources = [
                [Source(part=part, sheet=sheet.title, line=r, column=c) for c in range(len(row))]
                for r, row in enumerate(rows)
            ]
            doc.tables.append(make_table(rows, Source(part=part, page=index, sheet=sheet.title), sources))
            texts.append(f"# sheet: {sheet.title}\n{table_text(rows)}")
    finally:
        workbook.close()
    doc.text = "\n\n".join(texts)
    if not doc.tables:
        return mark_unreadable(doc, "empty spreadsheet")
    return doc


def _rows(sheet, limits: Limits, doc: Document) -> list[list[str]]:
    rows: list[list[str]] = []
    for count, values in enumerate(sheet.iter_rows(values_only=True)):
        if count >= limits.max_rows:
            doc.warnings.append(f"sheet {sheet.title!r}: only the first {limits.max_rows} rows read")
            break
        rows.append([cell_text(v) for v in values])
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return rows


def cell_text(value) -> str:
    """A cell value as the customer would read it: no float noise, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = format(value, ".15g")
        return format(Decimal(text), "f") if "e" in text else text
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()
