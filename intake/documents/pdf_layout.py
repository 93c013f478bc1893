"""A PDF page's words with provenance, and its layout-preserving text, from the raw words.

Lines are words whose boxes overlap vertically by half; each line is padded to the words' columns
(page width in median character widths) so that column layouts stay visible in the text.
"""
from __future__ import annotations

import statistics

from intake.documents.pdf_words import RawWord
from intake.model import BBox, Source, Word

# A gap of exactly two character widths (monospaced layouts) is a column gap, not a word gap, also when
# rounding puts it a hair below: pdfium's coordinates are float32, pdfminer's were float64.
_TIE = 1e-4


def layout(raw_words: list[RawWord], number: int, part: str) -> tuple[list[Word], str]:
    """Words with provenance (line numbers of the layout text) and the layout-preserving page text."""
    lines = _group_lines(raw_words)
    char_width = _char_width(raw_words)
    words: list[Word] = []
    sizes: dict[float | None, float | None] = {}
    text_lines: list[str] = []
    previous_bottom = None
    line_height = statistics.median([w.bottom - w.top for w in raw_words]) if raw_words else 10.0
    for line in lines:
        top = min(w.top for w in line)
        if previous_bottom is not None and top - previous_bottom > 1.2 * line_height:
            text_lines.append("")  # keep visible gaps between blocks
        previous_bottom = max(w.bottom for w in line)
        line_no = len(text_lines)
        text = ""
        previous_x1 = 0.0
        for w in line:
            column = min(int(w.x0 / char_width), 400)  # pad to the word's column: keeps layout
            if not text:
                text = " " * column
            elif w.x0 - previous_x1 < 2 * (w.x1 - w.x0) / max(len(w.text), 1) - _TIE:
                text += " "  # a normal word gap, whatever the font size
            else:
                text += " " * max(1, column - len(text))
            text += w.text
            previous_x1 = w.x1
            size = sizes.get(w.size)
            if size is None:
                size = sizes[w.size] = round(float(w.size), 2) if w.size is not None else None
            # positional: Source(part, page, bbox, line), Word(text, source, size); made by the hundred
            words.append(Word(w.text, Source(part, number, BBox(w.x0, w.top, w.x1, w.bottom), line_no), size))
        text_lines.append(text.rstrip())
    return words, _dedent("\n".join(text_lines))


def _dedent(text: str) -> str:
    lines = text.split("\n")
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines)


def _group_lines(raw_words: list[RawWord]) -> list[list[RawWord]]:
    """Cluster words into text lines by vertical position, each line left to right."""
    lines: list[list[RawWord]] = []
    current: list[RawWord] = []
    anchor_top = anchor_bottom = 0.0
    for w in sorted(raw_words, key=lambda w: (w.top, w.x0)):
        if current:
            overlap = min(anchor_bottom, w.bottom) - max(anchor_top, w.top)
            height = min(anchor_bottom - anchor_top, w.bottom - w.top) or 1.0
            if overlap >= 0.5 * height:
                current.append(w)
                continue
            lines.append(sorted(current, key=lambda w: w.x0))
        current = [w]
        anchor_top, anchor_bottom = w.top, w.bottom
    if current:
        lines.append(sorted(current, key=lambda w: w.x0))
    return lines


def _char_width(raw_words: list[RawWord]) -> float:
    widths = [(w.x1 - w.x0) / len(w.text) for w in raw_words if w.text]
    return max(statistics.median(widths), 1.0) if widths else 5.0
