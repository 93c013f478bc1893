"""CSV / TSV reader: charset and delimiter sniffed, header row detected, cells keep row+column."""
from __future__ import annotations

import csv
import io
import re
from collections import Counter

from intake.documents.charsets import decode_bytes
from intake.documents.common import Limits, mark_unreadable, new_document
from intake.documents.tables import make_table, table_text
from intake.model import Document, Source

_DELIMITERS = (",", ";", "\t", "|")
_SEP_LINE = re.compile(r"\A\ufeff?\"?sep=([,;\t|])\"?[ \t]*\r?\n", re.IGNORECASE)


def read_csv(name: str, data: bytes, content_type: str, part: str, limits: Limits, charset: str | None = None) -> Document:
    """Read a delimited text file into one Table."""
    doc = new_document("spreadsheet", name, part, content_type or "text/csv", data)
    text, codec = decode_bytes(data, charset)
    text = text.replace("\x00", "")
    doc.meta["charset"] = codec
    hint = _SEP_LINE.match(text)
    if hint:
        # Excel's "sep=;" first line names the delimiter and is not data.
        delimiter, text = hint.group(1), text[hint.end():]
    else:
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
    """The delimiter that splits the most lines into the same (widest) number of columns.

    Preamble lines above the table ("Bestellnummer;4711") and decimal commas inside a `;` file
    must not win: the table block (many rows x many columns) decides, not the share of lines.
    """
    sample = "\n".join(text.splitlines()[:60])
    best, best_score = ",", -1.0
    for delimiter in _DELIMITERS:
        try:
            widths = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
        except csv.Error:
            continue
        counts = Counter(w for w in widths if w >= 2)
        if not counts:
            continue
        score = max(n * min(w, 20) for w, n in counts.items())
        if score > best_score:
            best, best_score = delimiter, score
    return best
