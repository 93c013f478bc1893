"""PDF reader: one pdfplumber pass per page; text, lines and tables are built from its words."""
from __future__ import annotations

import bisect
import io
import logging
import statistics

import pdfplumber

from intake.documents.common import Limits, mark_unreadable, new_document
from intake.documents.tables import make_table
from intake.model import BBox, Document, Page, Source, Table, Word

log = logging.getLogger(__name__)


def read_pdf(name: str, data: bytes, content_type: str, part: str, limits: Limits, depth: int = 0) -> Document:
    """Read a PDF: per page words with boxes, layout text, ruled tables; embedded files too."""
    doc = new_document("pdf", name, part, content_type or "application/pdf", data)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds; each becomes a status
        return mark_unreadable(doc, _open_failure(exc))
    try:
        try:
            pages = pdf.pages
        except Exception as exc:  # noqa: BLE001
            return mark_unreadable(doc, _open_failure(exc))
        if len(pages) > limits.max_pages:
            doc.warnings.append(f"only the first {limits.max_pages} of {len(pages)} pages read")
        images_without_text = 0
        for number, page in enumerate(pages[: limits.max_pages], start=1):
            try:
                read = _read_page(page, number, part)
                if not read.words and page.images:
                    images_without_text += 1
                    doc.warnings.append(f"page {number} has no text layer (scanned?)")
            except Exception as exc:  # noqa: BLE001 - a broken page must not lose the others
                log.debug("pdf page %s failed", number, exc_info=True)
                doc.warnings.append(f"page {number} unreadable: {type(exc).__name__}")
                read = Page(number=number, width=0.0, height=0.0, text="")
            finally:
                page.close()  # drop pdfplumber's per-page caches as we go
            doc.pages.append(read)
    finally:
        _close(pdf)
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


def _close(pdf) -> None:
    try:
        pdf.close()
    except Exception:  # noqa: BLE001 - closing a damaged file may re-raise its damage; nothing to keep
        log.debug("pdf close failed", exc_info=True)


def _open_failure(exc: Exception) -> str:
    chain = f"{type(exc).__name__} {exc!r} {exc.args!r}"
    if "Password" in chain or "Encrypt" in chain:
        return "encrypted pdf"
    return f"corrupt pdf ({type(exc).__name__})"


def _read_page(page, number: int, part: str) -> Page:
    raw_words = page.extract_words(extra_attrs=["size"])
    lines = _group_lines(raw_words)
    char_width = _char_width(raw_words)
    words: list[Word] = []
    text_lines: list[str] = []
    previous_bottom = None
    line_height = statistics.median([w["bottom"] - w["top"] for w in raw_words]) if raw_words else 10.0
    for line in lines:
        top = min(w["top"] for w in line)
        if previous_bottom is not None and top - previous_bottom > 1.2 * line_height:
            text_lines.append("")  # keep visible gaps between blocks
        previous_bottom = max(w["bottom"] for w in line)
        line_no = len(text_lines)
        text = ""
        previous_x1 = 0.0
        for w in line:
            column = min(int(w["x0"] / char_width), 400)  # pad to the word's column: keeps layout
            if not text:
                text = " " * column
            elif w["x0"] - previous_x1 < 2 * (w["x1"] - w["x0"]) / max(len(w["text"]), 1):
                text += " "  # a normal word gap, whatever the font size
            else:
                text += " " * max(1, column - len(text))
            text += w["text"]
            previous_x1 = w["x1"]
            words.append(Word(
                w["text"],
                Source(part=part, page=number, bbox=BBox(w["x0"], w["top"], w["x1"], w["bottom"]), line=line_no),
                size=round(float(w["size"]), 2) if w.get("size") is not None else None,
            ))
        text_lines.append(text.rstrip())
    result = Page(number=number, width=float(page.width), height=float(page.height), text=_dedent("\n".join(text_lines)), words=words)
    if page.edges:  # ruled tables only; unruled layouts are left to the extractors' word logic
        result.tables = _ruled_tables(page, words, number, part)
    return result


def _dedent(text: str) -> str:
    lines = text.split("\n")
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines)


def _group_lines(raw_words: list[dict]) -> list[list[dict]]:
    """Cluster words into text lines by vertical position, each line left to right."""
    lines: list[list[dict]] = []
    current: list[dict] = []
    anchor_top = anchor_bottom = 0.0
    for w in sorted(raw_words, key=lambda w: (w["top"], w["x0"])):
        if current:
            overlap = min(anchor_bottom, w["bottom"]) - max(anchor_top, w["top"])
            height = min(anchor_bottom - anchor_top, w["bottom"] - w["top"]) or 1.0
            if overlap >= 0.5 * height:
                current.append(w)
                continue
            lines.append(sorted(current, key=lambda w: w["x0"]))
        current = [w]
        anchor_top, anchor_bottom = w["top"], w["bottom"]
    if current:
        lines.append(sorted(current, key=lambda w: w["x0"]))
    return lines


def _char_width(raw_words: list[dict]) -> float:
    widths = [(w["x1"] - w["x0"]) / len(w["text"]) for w in raw_words if w["text"]]
    return max(statistics.median(widths), 1.0) if widths else 5.0


def _ruled_tables(page, words: list[Word], number: int, part: str) -> list[Table]:
    """Cell boxes from pdfplumber's line finder; cell text from the words already read."""
    tables = []
    for found in page.find_tables():
        x0, top, x1, bottom = found.bbox
        grid = [row.cells for row in found.rows]
        texts: list[list[list[Word]]] = [[[] for _ in cells] for cells in grid]
        row_tops = [min((c[1] for c in cells if c), default=top) for cells in grid]
        for word in words:
            box = word.source.bbox
            cx, cy = (box.x0 + box.x1) / 2, (box.top + box.bottom) / 2
            if not (x0 <= cx <= x1 and top <= cy <= bottom):
                continue
            # rows are ordered top to bottom: the last row starting above the word's centre
            r = bisect.bisect_right(row_tops, cy) - 1
            for rr in (r, r - 1):  # a merged cell may start in the row above
                if 0 <= rr < len(grid):
                    c = _cell_at(grid[rr], cx, cy)
                    if c is not None:
                        texts[rr][c].append(word)
                        break
        rows = [[" ".join(w.text for w in sorted(cell, key=lambda w: (w.source.line or 0, w.source.bbox.x0))) for cell in row] for row in texts]
        sources = [[Source(part=part, page=number, bbox=BBox(*cell)) if cell else None for cell in cells] for cells in grid]
        if len(rows) < 2 and max((len(r) for r in rows), default=0) < 2:
            continue  # a box drawn around a block of text, not a table
        tables.append(make_table(rows, Source(part=part, page=number, bbox=BBox(x0, top, x1, bottom)), sources))
    return tables


def _cell_at(cells, cx: float, cy: float) -> int | None:
    for index, cell in enumerate(cells):
        if cell is not None and cell[0] <= cx <= cell[2] and cell[1] <= cy <= cell[3]:
            return index
    return None


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
