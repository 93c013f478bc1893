"""The typed objects intake hands to the agents: an InboundMessage and its Documents.

Every token keeps its provenance (message part, page, bounding box) so the review UI can
highlight where an extracted value came from. Pure dataclasses: no I/O here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

DocumentKind = Literal[
    "text",  # a mail body (plain, or HTML turned into text)
    "pdf",
    "spreadsheet",  # XLSX or CSV
    "x12_850",
    "edifact_orders",
    "ubl_order",  # UBL 2.1 / PEPPOL Order XML
    "xml",  # other XML (e.g. Voxel); raw tree kept in `xml`
    "archive",  # a ZIP attachment; its members are Documents in `embedded`
    "unreadable",
]


@dataclass(frozen=True, slots=True)
class BBox:
    """Box on a page in PDF points, origin top-left (pdfplumber's x0, top, x1, bottom)."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True, slots=True)
class Source:
    """Where a token came from: message part, page (1-based, PDFs) or row/column (sheets), box."""

    part: str  # e.g. "body", "body.quoted", "attachment:PO-4711.pdf", "attachment:PO.eml/body"
    page: int | None = None
    bbox: BBox | None = None
    line: int | None = None  # text line (0-based) for bodies, row (0-based) for sheets
    column: int | None = None  # column index for sheets
    sheet: str | None = None  # worksheet name (XLSX)


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    source: Source
    size: float | None = None  # font size in points (PDF words), when known


@dataclass(slots=True)
class Table:
    """A table as rows of cell strings; header_row is the index of the detected header (or None)."""

    rows: list[list[str]]
    source: Source
    header_row: int | None = None
    cell_sources: list[list[Source | None]] | None = None  # same shape as rows when known


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    text: str  # layout-preserving text of the page
    words: list[Word] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(slots=True)
class EdiSegment:
    """One EDI segment with every element kept: tag + list of elements, each a list of components."""

    tag: str
    elements: list[list[str]]  # the tag is not included: elements[0] is BGM01 / BEG01
    index: int  # position in the interchange (= the line of Document.text holding the segment)


@dataclass(slots=True)
class Document:
    """One readable unit: a mail body or one attachment (an attached .eml yields its own Documents)."""

    kind: DocumentKind
    name: str  # file name or "body"
    part: str  # same vocabulary as Source.part
    content_type: str
    size: int
    sha256: str
    text: str = ""  # whole plain text (bodies: newest part only; see quoted_text)
    quoted_text: str = ""  # reply history / quoted part of a body, separated from the newest part
    pages: list[Page] = field(default_factory=list)  # PDFs; a body is one pseudo-page without boxes
    tables: list[Table] = field(default_factory=list)  # spreadsheets and CSV; PDFs keep tables per page
    segments: list[EdiSegment] = field(default_factory=list)  # X12 / EDIFACT
    xml: bytes | None = None  # UBL / other XML, and XML embedded in a PDF
    embedded: list["Document"] = field(default_factory=list)  # e.g. XML attached inside a PDF
    status: str = "ok"  # "ok" or "unreadable: <reason>" (e.g. "unreadable: encrypted pdf")
    warnings: list[str] = field(default_factory=list)
    # Extra facts about the part: for a forwarded or attached message its "from", "subject",
    # "date", "message_id"; for EDIFACT the "decimal_mark"; for XML the "root" element.
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def readable(self) -> bool:
        return self.status == "ok"


@dataclass(slots=True)
class InboundMessage:
    """A stored message: the raw bytes are kept before anything else is done with them."""

    key: str  # stable idempotency key (see intake.keys.message_key)
    message_id: str | None  # RFC 5322 Message-ID header
    sha256: str
    sender: str  # bare address, lower-case
    sender_name: str | None
    to: list[str]
    subject: str
    date: datetime | None  # timezone-aware
    in_reply_to: str | None
    references: list[str]
    documents: list[Document]
    raw_path: str | None = None  # where the .eml is stored
    status: str = "ok"  # "ok" or "unreadable: <reason>" (e.g. truncated MIME)
    warnings: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    reply_to: str | None = None  # bare address from Reply-To, lower-case
    headers: dict[str, str] = field(default_factory=dict)  # every header, decoded, names lower-case (first wins)

    @property
    def readable_documents(self) -> list[Document]:
        """Every readable Document, including those embedded in PDFs and archives, depth first."""
        out: list[Document] = []

        def walk(docs: list[Document]) -> None:
            for doc in docs:
                if doc.readable:
                    out.append(doc)
                walk(doc.embedded)

        walk(self.documents)
        return out
