"""Hand-built intake Documents for extractor tests (no files, no readers)."""
from __future__ import annotations

import hashlib

from intake.model import BBox, Document, Page, Source, Table, Word

CHAR_W = 5.0


def pdf_document(pages: list[list[tuple[float, list[tuple[float, str]]]]], name: str = "po.pdf") -> Document:
    """A PDF Document from pages of (top, [(x0, phrase)]) lines; each phrase is split into word boxes."""
    doc_pages = []
    part = f"attachment:{name}"
    for number, lines in enumerate(pages, start=1):
        words = []
        for top, cells in lines:
            for x0, phrase in cells:
                x = x0
                for word in phrase.split():
                    width = len(word) * CHAR_W
                    words.append(Word(word, Source(part=part, page=number, bbox=BBox(x, top, x + width, top + 10))))
                    x += width + 2.5
        doc_pages.append(Page(number=number, width=600, height=840, text="", words=words))
    return Document(kind="pdf", name=name, part=part, content_type="application/pdf", size=0, sha256="", pages=doc_pages)


def text_document(text: str, part: str = "body") -> Document:
    return Document(kind="text", name="body", part=part, content_type="text/plain", size=len(text),
                    sha256=hashlib.sha256(text.encode()).hexdigest(), text=text)


def sheet_document(rows: list[list[str]], name: str = "order.xlsx") -> Document:
    part = f"attachment:{name}"
    return Document(kind="spreadsheet", name=name, part=part, content_type="", size=0, sha256="",
                    tables=[Table(rows=rows, source=Source(part=part))])
