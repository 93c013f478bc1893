"""Header-row detection and Table building shared by the sheet, CSV, HTML and PDF readers."""
from __future__ import annotations

import re

from intake.model import Source, Table

_NUMBER = re.compile(r"^[\s(+\-]*[\d.,' ]+[%)]?\s*[A-Za-z€$£¥]{0,3}$|^[€$£¥]\s*[\d.,' ]+$")
_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")


def looks_numeric(value: str) -> bool:
    """True for amounts, quantities and dates: cells a header row does not contain."""
    value = value.strip()
    return bool(value) and (bool(_NUMBER.match(value)) or bool(_DATE.match(value)))


def detect_header_row(rows: list[list[str]], scan: int = 25) -> int | None:
    """Index of the header row: the first mostly-text row that data rows with numbers follow."""
    best, best_score = None, 0.0
    for index, row in enumerate(rows[:scan]):
        filled = [c for c in row if c and c.strip()]
        if len(filled) < 2:
            continue
        texty = sum(1 for c in filled if not looks_numeric(c))
        if texty < max(2, int(len(filled) * 0.7)):
            continue
        below = [r for r in rows[index + 1:index + 6] if any(c.strip() for c in r)]
        if not below:
            continue
        numeric_below = sum(1 for r in below for c in r if looks_numeric(c))
        width_match = sum(1 for r in below if len([c for c in r if c.strip()]) >= max(2, len(filled) // 2))
        score = len(filled) + 2 * width_match + min(numeric_below, 10) - index * 0.1
        if score > best_score:
            best, best_score = index, score
    return best


def make_table(rows: list[list[str]], source: Source, cell_sources=None) -> Table:
    """A Table with trailing empty cells trimmed and its header row detected."""
    width = max((len(r) for r in rows), default=0)
    while width and all(len(r) < width or not r[width - 1].strip() for r in rows):
        width -= 1
    trimmed = [r[:width] for r in rows]
    if cell_sources is not None:
        cell_sources = [s[:width] for s in cell_sources]
    return Table(rows=trimmed, source=source, header_row=detect_header_row(trimmed), cell_sources=cell_sources)


def table_text(rows: list[list[str]]) -> str:
    """Rows as tab-separated lines (how sheets appear in Document.text)."""
    return "\n".join("\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in row).rstrip("\t") for row in rows)
