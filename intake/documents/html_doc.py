"""HTML attachments: turned into text and tables like HTML mail bodies."""
from __future__ import annotations

from intake.documents.charsets import decode_bytes
from intake.documents.tables import make_table
from intake.documents.text import text_document
from intake.html_text import html_to_text
from intake.model import Document, Source


def read_html(name: str, data: bytes, content_type: str, part: str, charset: str | None = None) -> Document:
    """Read an HTML file as text (never rendered) plus its data tables."""
    html, _ = decode_bytes(data, charset)
    converted = html_to_text(html)
    doc = text_document(converted.text, name=name, part=part, content_type=content_type or "text/html", data=data)
    doc.tables = html_tables(converted.tables, part)
    return doc


def html_tables(tables: list[list[list[str]]], part: str):
    """Tables found in HTML, each cell knowing its row and column."""
    out = []
    for index, rows in enumerate(tables):
        sources = [[Source(part=part, line=r, column=c) for c in range(len(row))] for r, row in enumerate(rows)]
        out.append(make_table(rows, Source(part=part, page=index + 1), sources))
    return out
