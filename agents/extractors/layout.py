"""Positioned rows of tokens built from PDF words, text lines or sheet cells.

Every reader turns its input into the same shape — `Row`s of `Token`s with an x-extent — so
one table finder (`tables.py`) and one label/value reader (`fields.py`) serve PDFs, mail
bodies and spreadsheets alike. For PDFs x is in points, for text in characters, for sheets the
column index.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from intake.model import BBox, Page, Source, Table


@dataclass(slots=True)
class Token:
    text: str
    x0: float
    x1: float
    top: float = 0.0
    bottom: float = 0.0
    source: Source | None = None

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


@dataclass(slots=True)
class Row:
    tokens: list[Token]
    page: int = 1
    index: int = 0  # reading order over the whole document
    top: float = 0.0
    bottom: float = 0.0
    unit: str = "pt"  # "pt" (PDF), "char" (text), "cell" (sheet)
    part: str = ""
    tags: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        if self.unit == "pt":
            return " ".join(t.text for t in self.tokens)
        return "  ".join(t.text for t in self.tokens)

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    def gap_threshold(self) -> float:
        """Horizontal distance that separates two phrases (larger than a word space)."""
        if self.unit == "pt":
            heights = sorted(t.height for t in self.tokens) or [10.0]
            return heights[len(heights) // 2] * 0.9
        return 1.5 if self.unit == "char" else 0.5

    def groups(self) -> list[list[Token]]:
        """Tokens grouped into phrases (word-space gaps), as lists of the original tokens."""
        out: list[list[Token]] = []
        gap = self.gap_threshold()
        for tok in self.tokens:
            if out and self.unit == "pt" and tok.x0 - out[-1][-1].x1 < gap:
                out[-1].append(tok)
            else:
                out.append([tok])
        return out

    def phrases(self) -> list[Token]:
        """Tokens merged into phrases where the gaps are word spaces."""
        out: list[Token] = []
        gap = self.gap_threshold()
        for tok in self.tokens:
            if out and self.unit == "pt" and tok.x0 - out[-1].x1 < gap:
                last = out[-1]
                out[-1] = Token(f"{last.text} {tok.text}", last.x0, tok.x1, min(last.top, tok.top),
                                max(last.bottom, tok.bottom), _merge_source(last.source, tok.source))
            else:
                out.append(Token(tok.text, tok.x0, tok.x1, tok.top, tok.bottom, tok.source))
        return out


def _merge_source(a: Source | None, b: Source | None) -> Source | None:
    if a is None or b is None or a.bbox is None or b.bbox is None:
        return a or b
    box = BBox(min(a.bbox.x0, b.bbox.x0), min(a.bbox.top, b.bbox.top), max(a.bbox.x1, b.bbox.x1),
               max(a.bbox.bottom, b.bbox.bottom))
    return Source(part=a.part, page=a.page, bbox=box, line=a.line, column=a.column)


def merge_sources(tokens: list[Token]) -> Source | None:
    """One Source covering several tokens (union of boxes)."""
    src = None
    for tok in tokens:
        src = tok.source if src is None else _merge_source(src, tok.source)
    return src


def rows_from_page(page: Page, part: str, start_index: int = 0) -> list[Row]:
    """Group a PDF page's words into visual lines (by vertical overlap), left to right."""
    words = [w for w in page.words if w.text.strip() and w.source.bbox is not None]
    words.sort(key=lambda w: (w.source.bbox.top, w.source.bbox.x0))
    lines: list[list] = []  # [anchor_top, anchor_mid, top, bottom, words]
    for word in words:
        box = word.source.bbox
        height = max(box.bottom - box.top, 1.0)
        mid = (box.top + box.bottom) / 2
        tol = max(1.5, 0.3 * height)
        target = None
        for line in reversed(lines[-6:]):
            if abs(box.top - line[0]) <= tol or abs(mid - line[1]) <= tol:
                target = line
                break
        if target is None:
            lines.append([box.top, mid, box.top, box.bottom, [word]])
        else:
            target[4].append(word)
            target[2], target[3] = min(target[2], box.top), max(target[3], box.bottom)
    lines = [[top, bottom, ws] for _, _, top, bottom, ws in lines]
    rows: list[Row] = []
    for top, bottom, line_words in sorted(lines, key=lambda item: item[0]):
        line_words.sort(key=lambda w: w.source.bbox.x0)
        tokens = _join_digit_groups(
            [Token(w.text, w.source.bbox.x0, w.source.bbox.x1, w.source.bbox.top, w.source.bbox.bottom, w.source)
             for w in line_words])
        rows.append(Row(tokens, page=page.number, index=start_index + len(rows), top=top, bottom=bottom,
                        unit="pt", part=part))
    return rows


_GROUP_HEAD = re.compile(r"^[-+]?\d{1,3}$")
_GROUP_TAIL = re.compile(r"^\d{3}(?:[.,]\d+)?(?:\s?[€$£%])?$")


def _join_digit_groups(tokens: list[Token]) -> list[Token]:
    """'1 000' / '1 388,00' printed with a space as thousands separator: one number, not two."""
    out: list[Token] = []
    for tok in tokens:
        if out and _GROUP_HEAD.match(out[-1].text.replace("\u202f", "")) is None and re.fullmatch(r"\d{1,3}(?: \d{3})+", out[-1].text):
            pass
        prev = out[-1] if out else None
        if (prev is not None and _GROUP_TAIL.match(tok.text) and re.fullmatch(r"[-+]?\d{1,3}(?: \d{3})*", prev.text)
                and 0 <= tok.x0 - prev.x1 < max(tok.height, 1.0) * 0.7):
            out[-1] = Token(f"{prev.text} {tok.text}", prev.x0, tok.x1, min(prev.top, tok.top), max(prev.bottom, tok.bottom),
                            _merge_source(prev.source, tok.source))
        else:
            out.append(tok)
    return out


_SEPARATED = re.compile(r"\t|\||;")


def _split_separated(line: str) -> list[tuple[int, str]]:
    """Cells of a tab/pipe/semicolon separated line with their index (empties keep their slot)."""
    sep = "\t" if "\t" in line else "|" if "|" in line else ";"
    pieces = line.split(sep)
    if sep == "|":
        if pieces and not pieces[0].strip():
            pieces = pieces[1:]
        if pieces and not pieces[-1].strip():
            pieces = pieces[:-1]
    return [(i, p.strip()) for i, p in enumerate(pieces)]


def rows_from_text(text: str, part: str, start_index: int = 0, line_offset: int = 0) -> list[Row]:
    """Text lines as rows: separated lines (tab, pipe, 2+ semicolons) give cell-indexed tokens,
    others are split on runs of 2+ spaces with x in characters (aligned plain-text tables)."""
    rows: list[Row] = []
    for number, raw in enumerate(text.splitlines()):
        line = raw.rstrip()
        src_line = line_offset + number
        row = Row([], page=1, index=start_index + len(rows), top=number, bottom=number + 1, unit="char", part=part)
        rows.append(row)
        if not line.strip() or not re.search(r"[^\W_]", line):
            continue
        separated = "\t" in line.strip() or line.count("|") >= 2 or line.count(";") >= 2
        if separated:
            row.unit = "cell"
            for index, cell in _split_separated(line):
                if cell:
                    row.tokens.append(Token(cell, float(index), float(index) + 1, number, number + 1,
                                            Source(part=part, line=src_line, column=index)))
            continue
        for match in re.finditer(r"\S+(?: \S+)*", line):
            row.tokens.append(Token(match.group(), float(match.start()), float(match.end()), number, number + 1,
                                    Source(part=part, line=src_line)))
    return rows


def rows_from_table(table: Table, part: str, start_index: int = 0) -> list[Row]:
    """Sheet/CSV rows as rows; x is the column index so header and data align exactly."""
    rows: list[Row] = []
    for r, cells in enumerate(table.rows):
        tokens = []
        for c, value in enumerate(cells):
            text = "" if value is None else str(value).strip()
            if not text:
                continue
            src = None
            if table.cell_sources and r < len(table.cell_sources) and c < len(table.cell_sources[r]):
                src = table.cell_sources[r][c]
            src = src or Source(part=part, line=r, column=c)
            tokens.append(Token(text, float(c), float(c) + 1.0, r, r + 1, src))
        rows.append(Row(tokens, page=table.source.page or 1, index=start_index + r, top=r, bottom=r + 1,
                        unit="cell", part=part))
    return rows
