"""PDF reader: pdfium (pypdfium2) reads each page; words, layout text and ruled tables are built here.

Why pdfium: pdfplumber/pdfminer parse a page's content stream in pure Python, about 25-55 ms of CPU
per page here and the largest single cost of a PDF order in the pipeline; pdfium parses in C++ and
this reader needs 4-10 ms per page (`oms bench intake`: 52 -> 10 ms). The extractors were tuned on
pdfplumber's words, so the reading reproduces them, in small modules:
- `pdf_chars`: every character with pdfminer's box (origin, declared advance, font descent and size)
  in pdfplumber's coordinates (origin top-left, page rotation applied), pdfium's own generated
  spaces, line breaks and hyphen marks undone;
- `pdf_words`: pdfplumber's `extract_words` rules (x/y tolerance 3, split on whitespace, lines
  clustered by top, words left to right, runs of one size apart);
- `pdf_objects` + `pdf_tables`: ruling edges from pdfium's path objects, classified as pdfminer
  classifies paths, handed to pdfplumber's own table finder; cell texts from the words read here;
- `pdf_layout`: words with provenance and the layout-preserving page text.
On the committed corpora the words, boxes and tables equal pdfplumber's, and every extraction and
evaluation figure is unchanged; what differs are pdfminer's own mistakes (characters its CJK CMaps
lose, a trailing Tc it skips, a Symbol arrow read as "fi"), words of overprinted text, and float32
rounding (boxes within 0.02 pt; a few exact ties in the layout text's spacing). One fallback: pdfium's text page drops a text object it
has no glyph outline for (a lone character in a font that is not embedded, with no system font for
it, e.g. CJK on a server without CJK fonts); such a page's words come from pdfplumber, as before.
pdfium is not thread-safe: every call runs under `intake.pdfium_lock.PDFIUM_LOCK`, one page at a time.
"""
from __future__ import annotations

import io
import logging
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from intake.documents.common import Limits, mark_unreadable, new_document
from intake.documents.pdf_chars import PageGeometry, PageText, lacks_glyphs, page_geometry, page_text
from intake.documents.pdf_layout import layout
from intake.documents.pdf_objects import PageObjects, page_objects, text_object_font
from intake.documents.pdf_tables import ruled_tables
from intake.documents.pdf_words import RawWord, extract_words
from intake.model import Document, Page
from intake.pdfium_lock import PDFIUM_LOCK

log = logging.getLogger(__name__)


class _PageRead(NamedTuple):
    """What pdfium gives of one page, read under the lock; the rest is plain Python."""

    geometry: PageGeometry
    text: PageText
    objects: PageObjects
    lost_text: bool  # pdfium left out text it cannot draw: the words come from pdfplumber


def read_pdf(name: str, data: bytes, content_type: str, part: str, limits: Limits, depth: int = 0) -> Document:
    """Read a PDF: per page words with boxes, layout text, ruled tables; embedded files too."""
    doc = new_document("pdf", name, part, content_type or "application/pdf", data)
    with PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
            count = len(pdf)
        except Exception as exc:  # noqa: BLE001 - whatever pdfium makes of the bytes becomes a status
            return mark_unreadable(doc, _open_failure(exc))
    if count > limits.max_pages:
        doc.warnings.append(f"only the first {limits.max_pages} of {count} pages read")
    fallback = _PlumberPages(data)
    images_without_text = 0
    try:
        for number in range(1, min(count, limits.max_pages) + 1):
            with PDFIUM_LOCK:  # per page: other threads get their turn between pages
                read = _read_locked(pdf, number - 1)
            try:
                if isinstance(read, Exception):
                    raise read
                page = _build_page(read, number, part, fallback)
                if not page.words and read.objects.images:
                    images_without_text += 1
                    doc.warnings.append(f"page {number} has no text layer (scanned?)")
            except Exception as exc:  # noqa: BLE001 - a broken page must not lose the others
                log.debug("pdf page %s failed", number, exc_info=exc)
                doc.warnings.append(f"page {number} unreadable: {type(exc).__name__}")
                page = Page(number=number, width=0.0, height=0.0, text="")
            doc.pages.append(page)
    finally:
        with PDFIUM_LOCK:
            pdf.close()
        fallback.close()
    doc.text = "\f".join(p.text for p in doc.pages)
    if b"/EmbeddedFile" in data:  # file-spec streams are never compressed, so this check is exact enough
        _read_embedded(doc, data, part, limits, depth)
    total_words = sum(len(p.words) for p in doc.pages)
    if total_words == 0 and not doc.embedded:
        reason = "scanned pdf (no text layer)" if images_without_text else "pdf has no text"
        return mark_unreadable(doc, reason)
    if total_words and sum(1 for p in doc.pages for w in p.words if "(cid:" in w.text) > total_words / 2:
        return mark_unreadable(doc, "pdf text not extractable (fonts without unicode map)")
    return doc


def _open_failure(exc: Exception) -> str:
    code = getattr(exc, "err_code", None)
    if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return "encrypted pdf"
    # e.g. "Failed to load document (PDFium: Data format error)." -> "corrupt pdf (data format error)"
    reason = str(exc).partition("(PDFium: ")[2].rstrip(").") if code is not None else ""
    return f"corrupt pdf ({(reason or type(exc).__name__).lower()})"


def _read_locked(pdf, index: int) -> _PageRead | Exception:
    """Everything pdfium says about one page; the caller holds the lock. Errors are returned."""
    page = textpage = None
    try:
        page = pdf[index]
        geometry = page_geometry(page)
        textpage = page.get_textpage()
        text, objects = page_text(textpage, geometry), page_objects(page, geometry.transform)
        return _PageRead(geometry, text, objects, _lost_text(textpage, text, objects))
    except Exception as exc:  # noqa: BLE001 - kept for the page's warning, the other pages go on
        return exc
    finally:
        for handle in (textpage, page):  # explicitly, while locked (not by the garbage collector)
            if handle is not None:
                handle.close()


def _build_page(read: _PageRead, number: int, part: str, fallback: "_PlumberPages") -> Page:
    if read.lost_text:
        raw_words = fallback.words(number)
    else:
        raw_words = extract_words(read.text.chars)
    words, text = layout(raw_words, number, part)
    page = Page(number=number, width=float(read.geometry.width), height=float(read.geometry.height), text=text, words=words)
    if read.objects.edges:  # ruled tables only; unruled layouts are left to the extractors' word logic
        page.tables = ruled_tables(read.objects.edges, words, number, part)
    return page


def _lost_text(textpage, text: PageText, objects: PageObjects) -> bool:
    """pdfium left out text objects it has no glyphs for (not the spaces: those it drops on purpose).

    pdfium's text page skips text objects of zero width: a lone space, but also a lone character of
    a font that is not embedded and has no system font installed (typically CJK on a bare server).
    """
    dropped_fonts = {text_object_font(obj) for obj in objects.text_objects if obj not in text.text_objects}
    return any(lacks_glyphs(textpage, text, font) for font in dropped_fonts)


class _PlumberPages:
    """pdfplumber's words for the pages pdfium could not read in full; opened only when needed."""

    def __init__(self, data: bytes):
        self._data = data
        self._pdf = None

    def words(self, number: int) -> list[RawWord]:
        import pdfplumber  # late: only documents with text pdfium cannot draw come here

        if self._pdf is None:
            self._pdf = pdfplumber.open(io.BytesIO(self._data))
        page = self._pdf.pages[number - 1]
        try:
            return [RawWord(w["text"], w["x0"], w["top"], w["x1"], w["bottom"], w["size"])
                    for w in page.extract_words(extra_attrs=["size"])]
        finally:
            page.close()

    def close(self) -> None:
        if self._pdf is not None:
            try:
                self._pdf.close()
            except Exception:  # noqa: BLE001 - closing a damaged file may re-raise its damage
                log.debug("pdf close failed", exc_info=True)


def _read_embedded(doc: Document, data: bytes, part: str, limits: Limits, depth: int) -> None:
    """Files attached inside the PDF (e.g. UBL or ZUGFeRD XML) become embedded Documents."""
    from intake.documents import read_document  # late: the dispatcher imports this module

    try:
        from pypdf import PdfReader

        attachments = PdfReader(io.BytesIO(data)).attachments
        for file_name in attachments:
            for content in attachments[file_name]:
                doc.embedded.append(read_document(
                    file_name, content, None, part=f"{part}/embedded:{file_name}", limits=limits, depth=depth + 1,
                ))
    except Exception as exc:  # noqa: BLE001 - embedded files are a bonus; the page text stands
        log.debug("embedded files unreadable", exc_info=True)
        doc.warnings.append(f"embedded files unreadable: {type(exc).__name__}")
