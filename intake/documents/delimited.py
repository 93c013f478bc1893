"""CSV / TSV reader: charset and delimiter sniffed, header row detected, cells keep row+column."""
from __future__ import annotations

import csv
import io

from intake.documents.charsets import decode_bytes
from intake.documents.common import Limits, mark_unreadable, new_document
from intake.documents.tables import make_table, table_text
from intake.model import Document, Source

_DELIMITERS = (",", ";", "\t", "|")


def read_csv(name: str, data: bytes, content_type: str, part: str, limits: Limits, charset: str | None = None) -> Document:
    """Read a delimited text file into one Table."""
    doc = new_document("spreadsheet", name, part, content_type or "text/csv", data)
    text, codec = decode_bytes(data, charset)
    text = text.replace("\x00", "")
    doc.meta["charset"] = codec
    delimiter = sniff_delimiter(text)
    doc.meta["delimiter"] = delimiter
    rows: list[list[str]] = []
    try:
        for count, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)):
            if count >= limits.max_rows:
                doc.warnings.append(f"only the first {limits.max_rows} rows read")
                break
            rows.append([cell.strip() for cell in row])
    except csv.Error as exc:
        doc.warnings.append(f"csv stopped early: {exc}")
    while rows and not any(c for c in rows[-1]):
        rows.pop()
    if not rows:
        return mark_unreadable(doc, "empty csv")
    sources = [[Source(part=part, line=r, column=c) for c in range(len(row))] for r, row in enumerate(rows)]
    doc.tables = [make_table(rows, Source(part=part), sources)]
    doc.text = table_text(rows)
    return doc


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent number of columns."""
    sample = "\n".join(text.splitlines()[:50])
    best, best_score = ",", -1.0
    for delimiter in _DELIMITERS:
        try:
            widths = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not widths:
            continue
        modal = max(set(widths), key=widths.count)
        if modal < 2:
            continue
        score = widths.count(modal) / len(widths) * 10 + min(modal, 10) * 0.1
        if score > best_score:
            best, best_score = delimiter, score
    return best
