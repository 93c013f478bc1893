"""The original message for the review page: bodies, sheets and PDF pages with outlined sources.

Raw bytes come from the intake store; documents from intake's readers (so line numbers and
boxes agree with the extractor's provenance). PDF pages are rendered to PNG with pypdfium2.
Everything here is untrusted: templates escape it, attachments are served as downloads only.
"""
from __future__ import annotations

import email
import email.policy
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO

from intake.pdfium_lock import PDFIUM_LOCK
from review_ui.views.provenance import Mark, line_box

log = logging.getLogger(__name__)
RENDER_SCALE = 1.6  # ~115 dpi: sharp enough to read, small enough to load fast
MAX_PAGES = 20
MAX_TEXT_LINES = 2000
MAX_SHEET_ROWS = 500


@dataclass(frozen=True)
class Attachment:
    index: int
    filename: str
    content_type: str
    size: int


@dataclass
class BoxView:
    field: str
    bbox: tuple[float, float, float, float]
    css: str = "box"


@dataclass
class PageView:
    number: int
    width: float
    height: float
    image_url: str
    boxes: list[BoxView] = field(default_factory=list)


@dataclass
class DocView:
    kind: str  # "pdf" | "text" | "sheet" | "other"
    name: str
    part: str
    status: str = "ok"
    attachment: int | None = None
    pages: list[PageView] = field(default_factory=list)
    lines: list[tuple[str, list[str]]] = field(default_factory=list)  # (text, fields read from it)
    rows: list[list[tuple[str, list[str]]]] = field(default_factory=list)  # cells (text, fields)
    truncated: bool = False


def attachments(raw: bytes) -> list[tuple[Attachment, bytes]]:
    """Every leaf part with a file name (or marked as attachment), in message order."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    found: list[tuple[Attachment, bytes]] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        disposition = (part.get("Content-Disposition") or "").lower()
        if not filename and "attachment" not in disposition:
            continue
        try:
            data = part.get_payload(decode=True) or b""
        except Exception:  # noqa: BLE001 - a broken part is shown as empty, never crashes the page
            data = b""
        name = _decode_filename(filename) or f"attachment-{len(found) + 1}"
        found.append((Attachment(len(found), name, part.get_content_type(), len(data)), data))
    return found


def _decode_filename(filename: str | None) -> str | None:
    if not filename:
        return None
    try:
        return str(email.header.make_header(email.header.decode_header(filename)))
    except Exception:  # noqa: BLE001
        return filename


def safe_filename(name: str) -> str:
    """A file name safe for a Content-Disposition header."""
    cleaned = re.sub(r"[^A-Za-z0-9._ -]+", "_", name).strip(" .") or "attachment"
    return cleaned[:120]


def pdf_page_sizes(data: bytes) -> list[tuple[float, float]]:
    """Page sizes in PDF points (what extractor boxes are measured in)."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:  # pdfium is not thread-safe; the server renders in threads
        pdf = pdfium.PdfDocument(data)
        try:
            sizes = []
            for index in range(min(len(pdf), MAX_PAGES)):
                page = pdf[index]
                try:
                    sizes.append(tuple(page.get_size()))
                finally:
                    page.close()  # while locked, not later by the garbage collector
            return sizes  # type: ignore[return-value]
        finally:
            pdf.close()


def render_pdf_page(data: bytes, number: int, scale: float = RENDER_SCALE) -> bytes:
    """One PDF page (1-based) as PNG bytes."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(data)
        try:
            if not 1 <= number <= min(len(pdf), MAX_PAGES):
                raise IndexError(f"no page {number}")
            page = pdf[number - 1]
            try:
                bitmap = page.render(scale=scale)
                try:
                    image = bitmap.to_pil().copy()  # own the pixels: the bitmap is freed here, locked
                finally:
                    bitmap.close()
            finally:
                page.close()
        finally:
            pdf.close()
    out = BytesIO()  # PNG encoding needs no pdfium: outside the lock
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _part_name(part: str) -> str:
    # "attachment:PO-4711.pdf" -> "PO-4711.pdf"; nested parts keep their last file name.
    tail = part.split("/")[-1] if part.startswith("attachment:") and "/" in part else part
    return tail.removeprefix("attachment:")


def _find_attachment(found: list[tuple[Attachment, bytes]], part: str, name: str) -> tuple[Attachment, bytes] | None:
    for candidate in (_part_name(part), name):
        for att, data in found:
            if att.filename == candidate:
                return att, data
    return None


def _pdf_view(doc, key: str, att: Attachment, data: bytes, marks: list[Mark]) -> DocView:
    view = DocView("pdf", att.filename, doc.part if doc else f"attachment:{att.filename}", attachment=att.index)
    try:
        sizes = pdf_page_sizes(data)
    except Exception as exc:  # noqa: BLE001 - unreadable PDFs are shown as such
        view.status = f"cannot render: {exc.__class__.__name__}"
        return view
    parts = {view.part, f"attachment:{att.filename}"}
    line_indexes = sorted({int(m.field.split(".")[1]) for m in marks if m.field.startswith("line.")})
    for number, (width, height) in enumerate(sizes, start=1):
        page = PageView(number, width, height, f"/review/{key}/attachments/{att.index}/pages/{number}.png")
        for mark in marks:
            if mark.part in parts and mark.page == number and mark.bbox:
                page.boxes.append(BoxView(mark.field, mark.bbox))
        for index in line_indexes:
            for part in parts:
                box = line_box(marks, index, part, number)
                if box:
                    page.boxes.append(BoxView(f"line.{index}", box, "box line-box"))
        view.pages.append(page)
    return view


def _text_view(doc, marks: list[Mark]) -> DocView:
    by_line: dict[int, list[str]] = {}
    for mark in marks:
        if mark.part == doc.part and mark.line is not None:
            by_line.setdefault(mark.line, []).append(mark.field)
    text_lines = (doc.text or "").splitlines()
    view = DocView("text", doc.name, doc.part, status=doc.status, truncated=len(text_lines) > MAX_TEXT_LINES)
    view.lines = [(line, by_line.get(i, [])) for i, line in enumerate(text_lines[:MAX_TEXT_LINES])]
    return view


def _sheet_view(doc, marks: list[Mark]) -> DocView:
    cells: dict[tuple[int, int], list[str]] = {}
    for mark in marks:
        if mark.part == doc.part and mark.line is not None:
            cells.setdefault((mark.line, mark.column if mark.column is not None else -1), []).append(mark.field)
    view = DocView("sheet", doc.name, doc.part, status=doc.status)
    for table in doc.tables[:3]:
        for r, row in enumerate(table.rows[:MAX_SHEET_ROWS]):
            out = []
            for col, value in enumerate(row):
                src = table.cell_sources[r][col] if table.cell_sources and r < len(table.cell_sources) and col < len(table.cell_sources[r]) else None
                line = src.line if src is not None and src.line is not None else r
                column = src.column if src is not None and src.column is not None else col
                out.append((value, cells.get((line, column), []) + cells.get((line, -1), [])))
            view.rows.append(out)
        view.truncated = view.truncated or len(table.rows) > MAX_SHEET_ROWS
    return view


def _other_view(doc, marks: list[Mark]) -> DocView:
    view = _text_view(doc, marks)
    view.kind = "other"
    if not view.lines and doc.segments:
        view.lines = [("+".join(":".join(e) for e in [[seg.tag]] + seg.elements), []) for seg in doc.segments[:MAX_TEXT_LINES]]
    if not view.lines and doc.xml:
        view.lines = [(line, []) for line in doc.xml.decode("utf-8", "replace").splitlines()[:MAX_TEXT_LINES]]
    return view


def _parse(raw: bytes, key: str):
    try:
        from intake.mime import parse_message
    except ImportError:  # intake's readers not installed: fall back to the plain-text parts
        return None
    try:
        return parse_message(raw, key=key)
    except Exception:  # noqa: BLE001 - readers promise not to raise; never break the page if they do
        log.exception("could not parse message %s", key)
        return None


def _fallback_docs(raw: bytes) -> list[DocView]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    view = DocView("text", "body", "body")
    view.lines = [(line, []) for line in text.splitlines()[:MAX_TEXT_LINES]]
    return [view]


@lru_cache(maxsize=64)
def _cached_message(key: str, raw: bytes):
    return _parse(raw, key)


def document_views(key: str, raw: bytes, marks: list[Mark]) -> tuple[list[DocView], list[Attachment]]:
    """Everything to show of the original: documents with outlines, and the attachment list."""
    found = attachments(raw)
    message = _cached_message(key, raw)
    views: list[DocView] = []
    used: set[int] = set()
    if message is None:
        views = _fallback_docs(raw)
    else:
        for doc in message.documents:
            if doc.kind == "pdf":
                hit = _find_attachment(found, doc.part, doc.name)
                if hit:
                    used.add(hit[0].index)
                    views.append(_pdf_view(doc, key, hit[0], hit[1], marks))
                    continue
            if doc.kind == "spreadsheet" and doc.tables:
                views.append(_sheet_view(doc, marks))
            elif doc.kind in ("text", "pdf", "unreadable"):
                views.append(_text_view(doc, marks))
            else:
                views.append(_other_view(doc, marks))
    for att, data in found:  # PDFs the readers did not turn into documents still get pages
        if att.index not in used and (att.content_type == "application/pdf" or att.filename.lower().endswith(".pdf")):
            views.append(_pdf_view(None, key, att, data, marks))
    return views, [att for att, _ in found]
