"""The characters of one PDF page from pdfium, boxed the way pdfminer/pdfplumber box them.

pdfium finds each character's origin fast (C++), but its own boxes differ from pdfplumber's: its loose
box runs from the font's ascent to its descent and uses the glyph's width, not the advance the PDF
declares. Words and lines are clustered with 3-point tolerances, so the boxes are rebuilt here as
pdfminer does: declared advance x (descent .. descent + font size), in pdfplumber's page coordinates
(origin top-left, page rotation applied, x/y relative to the MediaBox as pdfplumber has them).

pdfium's text page also adds characters of its own (spaces and line breaks where it guesses gaps,
flagged "generated"), drops some spaces and marks a line-end hyphen with U+0002 / U+FFFE; those are
undone here so the word grouping sees what the content stream holds.

Speed: a page has thousands of characters, so origins and text objects are fetched for all of them
with `map` over bare pdfium calls, and the characters of one text object are boxed together.
Every call here touches pdfium: the caller holds `intake.pdfium_lock.PDFIUM_LOCK`.
"""
from __future__ import annotations

import ctypes
from collections import deque
from itertools import compress, repeat
from operator import add
from typing import NamedTuple

import pypdfium2.raw as pdfium_c

from intake.documents import pdfium_raw as raw

# One character: (text, x0, top, x1, bottom, size, upright), with pdfminer's "size" (the box height,
# font size x scale). A plain tuple: a page has thousands of them.
Char = tuple[str, float, float, float, float, float, bool]
TEXT, X0, TOP, X1, BOTTOM, SIZE, UPRIGHT = range(7)
_SPACE, _CR, _LF, _HYPHEN_MARK = 0x20, 0x0D, 0x0A, 0xFFFE
_GENERATED_CANDIDATES = (_SPACE, _CR, _LF)
# Codes pdfium reports for a character without unicode (it falls back to the character code): control
# and Latin-1 values of simple fonts; a CID font without any map is caught by its first character.
_SUSPECT = frozenset(range(0x20)) | frozenset(range(0x7F, 0x100))


class PageGeometry(NamedTuple):
    width: float
    height: float
    transform: tuple[float, float, float, float, float, float]  # PDF user space -> (x, top)


class PageText(NamedTuple):
    chars: list[Char]
    text_objects: set[int]  # addresses of the text objects pdfium's text page kept
    samples: dict[int, dict[int, int]]  # per font of those objects: code -> index of a character
    embedded: set[int]  # the fonts of those that are embedded


class _Run(NamedTuple):
    """What all characters of one text object share."""

    font: int  # address
    font_size: float  # Tf size, text space
    matrix: tuple[float, float, float, float]  # text space -> display space, linear part
    descent: float  # fraction of the font size below the baseline (negative)
    upright: bool
    no_unicode: bool  # the font has no unicode map: pdfminer shows these characters as "(cid:N)"
    embedded: bool
    top_offset: float  # top and bottom of an upright character's box, from its origin
    bottom_offset: float
    plain: bool  # axis-aligned, left to right, a unicode map: boxed by the fast path


def page_geometry(page) -> PageGeometry:
    """Page size and the map from PDF user space to pdfplumber's (x, top) for a pypdfium2 page."""
    x0, y0, x1, y1 = _mediabox(page)
    rotation = page.get_rotation() % 360
    # pdfminer's device matrix for the page rotation (PDFPageInterpreter.process_page) ...
    ctm = {90: (0, -1, 1, 0, -y0, x1), 180: (-1, 0, 0, -1, x1, y1), 270: (0, 1, -1, 0, y1, -x0)}.get(
        rotation, (1, 0, 0, 1, -x0, -y0))
    n0, n1, n2, n3 = (y0, x0, y1, x1) if rotation in (90, 270) else (x0, y0, x1, y1)
    height = n3 - n1
    # ... then pdfplumber's flip: x + MediaBox x0, top = 2 * height - MediaBox top - y
    a, b, c, d, e, f = ctm
    return PageGeometry(n2 - n0, height, (a, -b, c, -d, e + n0, 2 * height - n3 - f))


def _mediabox(page) -> tuple[float, float, float, float]:
    box = page.get_mediabox(fallback_ok=False)
    if box is None:  # inherited from the page tree, which pdfium's getter does not follow
        rect = pdfium_c.FS_RECTF()
        if pdfium_c.FPDF_GetPageBoundingBox(page.raw, rect):
            box = (rect.left, rect.bottom, rect.right, rect.top)
        else:
            box = (0.0, 0.0, 612.0, 792.0)
    left, bottom, right, top = box
    return min(left, right), min(bottom, top), max(left, right), max(bottom, top)


def page_text(textpage, geometry: PageGeometry) -> PageText:
    """Every character pdfium found on the page, in its order, boxed as pdfplumber boxes it."""
    reader = _Reader(textpage, geometry)
    return reader.read()


class _Reader:
    def __init__(self, textpage, geometry: PageGeometry):
        self.textpage = textpage
        self.tp = textpage.raw
        self.transform = geometry.transform
        self.runs: dict[int, _Run] = {}
        self.fonts: dict[int, tuple[float, bool, bool]] = {}
        self.run_kinds: dict[tuple, _Run] = {}  # (font, size, matrix) -> what the objects share
        self.matrix = pdfium_c.FS_MATRIX()
        self.matrix_ref = ctypes.addressof(self.matrix)
        self.address = raw.address(self.tp)
        self.widths: dict[tuple[int, float], dict[int, float]] = {}  # (font, size) -> code -> advance
        self.samples: dict[int, dict[int, int]] = {}
        self.out: list[Char] = []
        self.generated: set[int] = set()

    def read(self) -> PageText:
        count = pdfium_c.FPDFText_CountChars(self.tp)
        if count <= 0:
            return PageText([], set(), {}, set())
        text = self.textpage.get_text_range()
        if len(text) == count:  # no skipped control characters: text[i] is character i
            codes = list(map(ord, text))
        else:
            codes = [pdfium_c.FPDFText_GetUnicode(self.tp, i) for i in range(count)]
        address = self.address
        handles = list(map(raw.text_object, repeat(address, count), range(count)))
        xs, ys = _origins(address, count)
        # pdfium's own spaces inside a text object (for a wide gap in a TJ array) are left out
        candidates = [i for i, code in enumerate(codes) if code in _GENERATED_CANDIDATES and handles[i] is not None]
        self.generated = set(compress(candidates, map(raw.is_generated, repeat(address), candidates)))
        starts = [0] + [i for i in range(1, count) if handles[i] != handles[i - 1]] + [count]
        for start, end in zip(starts, starts[1:]):
            handle = handles[start]
            if handle is None:
                self._generated(codes[start:end])
            else:
                self._run_chars(handle, start, codes[start:end], xs[start:end], ys[start:end])
        kept = set(self.runs)
        return PageText(self.out, kept, self.samples, {run.font for run in self.runs.values() if run.embedded})

    def _generated(self, codes: list[int]) -> None:
        """pdfium's own characters between text objects: where it put a space, a real one was dropped."""
        out = self.out
        for code in codes:
            if code == _SPACE and out:
                last = out[-1]  # the dropped space began where the last character ended
                out.append((" ", last[X1], last[TOP], last[X1], last[BOTTOM], last[SIZE], last[UPRIGHT]))

    def _run_chars(self, handle: int, start: int, codes: list[int], xs: list[float], ys: list[float]) -> None:
        run = self.runs.get(handle)
        if run is None:
            run = self.runs[handle] = self._run(handle, start)
        starts = None  # the characters' indices, when not start, start + 1, ...
        if self.generated and not self.generated.isdisjoint(range(start, start + len(codes))):
            keep = [k for k in range(len(codes)) if start + k not in self.generated]
            if not keep:
                return
            codes, xs, ys = [codes[k] for k in keep], [xs[k] for k in keep], [ys[k] for k in keep]
            starts = [start + k for k in keep]
        advances = self._advances(run, start, codes, starts)
        a, b, c, d = run.matrix
        ta, tb, tc, td, te, tf = self.transform
        plain = run.plain and tb == 0 and tc == 0  # upright, unrotated, unicode-mapped: the common case
        if plain and len(codes) == 1 and 0x2 < codes[0] < _HYPHEN_MARK and not self._unmapped(codes, start, starts):
            # a text object of one character (some PDF makers place every character on its own)
            py, px = td * ys[0] + tf, ta * xs[0] + te
            top, bottom = py + run.top_offset, py + run.bottom_offset
            self.out.append((chr(codes[0]), px, top, px + a * advances[0], bottom, bottom - top, run.upright))
            return
        if (plain and min(codes) > 0x2 and max(codes) < _HYPHEN_MARK
                and ys.count(ys[0]) == len(ys) and not self._unmapped(codes, start, starts)):
            # the common case: one horizontal line of text on an unrotated page, boxed together
            py = td * ys[0] + tf
            top, bottom = py + run.top_offset, py + run.bottom_offset
            px = xs if ta == 1 and te == 0 else [ta * x + te for x in xs]
            ends = list(map(add, px, advances if a == 1 else map(a.__mul__, advances)))
            self.out.extend(zip(map(chr, codes), px, repeat(top), ends, repeat(bottom), repeat(bottom - top), repeat(run.upright)))
            return
        for k, code in enumerate(codes):
            x, y = xs[k], ys[k]
            index = start + k if starts is None else starts[k]
            self.out.append(self._char(run, index, code, ta * x + tc * y + te, tb * x + td * y + tf, advances[k]))

    def _unmapped(self, codes: list[int], start: int, starts: list[int] | None) -> bool:
        """Some character has no unicode: pdfium then reports its code, a control or Latin-1 one."""
        if _SUSPECT.isdisjoint(codes):
            return False
        return any(code in _SUSPECT and pdfium_c.FPDFText_HasUnicodeMapError(self.tp, start + k if starts is None else starts[k])
                   for k, code in enumerate(codes))

    def _char(self, run: _Run, index: int, code: int, px: float, py: float, advance: float) -> Char:
        """One character the general way: any orientation, pdfium's marks and unmapped codes."""
        if code == _HYPHEN_MARK:  # a hyphen pdfium took for a line-end mark, or a character without code
            code = pdfium_c.FPDFText_GetUnicode(self.tp, index)
        if code == 0x2 and pdfium_c.FPDFText_IsHyphen(self.tp, index):
            text = "-"  # pdfium's mark for a hyphen at a line end
        elif (run.no_unicode or code in _SUSPECT) and pdfium_c.FPDFText_HasUnicodeMapError(self.tp, index):
            text = f"(cid:{code})"  # as pdfminer shows a character without unicode
        else:
            text = chr(code) if code else "(cid:0)"
        a, b, c, d = run.matrix
        low, high = run.descent * run.font_size, (run.descent + 1) * run.font_size
        xs = (px + c * low, px + c * high, px + a * advance + c * low, px + a * advance + c * high)
        ys = (py + d * low, py + d * high, py + b * advance + d * low, py + b * advance + d * high)
        top, bottom = min(ys), max(ys)
        return (text, min(xs), top, max(xs), bottom, bottom - top, run.upright)

    def _advances(self, run: _Run, start: int, codes: list[int], starts: list[int] | None) -> list[float]:
        widths = self.widths.setdefault((run.font, run.font_size), {})
        missing = set(codes).difference(widths)
        if missing:
            samples = self.samples.setdefault(run.font, {})
            for code in missing:
                k = codes.index(code)
                index = start + k if starts is None else starts[k]
                widths[code] = self._advance(run, index, code)
                samples.setdefault(code, index)
        return list(map(widths.__getitem__, codes))

    def _advance(self, run: _Run, index: int, code: int) -> float:
        """The advance width the PDF declares for the character, in text space (font size applied)."""
        width = ctypes.c_float()
        unmapped = (run.no_unicode or code in _SUSPECT) and pdfium_c.FPDFText_HasUnicodeMapError(self.tp, index)
        if (run.font and 0 < code < _HYPHEN_MARK and not unmapped  # pdfium finds the width by unicode
                and raw.font_glyph_width(run.font, code, run.font_size, ctypes.byref(width)) and width.value > 0):
            return width.value
        rect = pdfium_c.FS_RECTF()  # no width for this code (e.g. no unicode map): pdfium's own box
        if pdfium_c.FPDFText_GetLooseCharBox(self.tp, index, rect) and run.matrix[0]:
            return abs(rect.right - rect.left) / abs(run.matrix[0])
        return 0.0

    def _run(self, handle: int, index: int) -> _Run:
        matrix = self.matrix
        raw.char_matrix(self.address, index, self.matrix_ref)
        font = raw.text_object_font(handle) or 0
        size = raw.char_font_size(self.address, index)  # the Tf size (the matrix has the scale)
        key = (font, size, matrix.a, matrix.b, matrix.c, matrix.d)
        run = self.run_kinds.get(key)  # text objects differ mostly in position only
        if run is None:
            run = self.run_kinds[key] = self._new_run(font, size, index)
        return run

    def _new_run(self, font: int, size: float, index: int) -> _Run:
        matrix = self.matrix
        # text space -> page space (pdfium's character matrix) -> pdfplumber's display space
        ta, tb, tc, td = self.transform[:4]
        a = matrix.a * ta + matrix.b * tc
        b = matrix.a * tb + matrix.b * td
        c = matrix.c * ta + matrix.d * tc
        d = matrix.c * tb + matrix.d * td
        upright = a * -d > 0 and b * -c <= 0  # pdfminer's test, with the y axis flipped back
        info = self.fonts.get(font)
        if info is None:  # (descent, embedded, no unicode map: judged by its first character)
            info = self.fonts[font] = (_descent(font), bool(font and raw.font_is_embedded(font)),
                                       bool(pdfium_c.FPDFText_HasUnicodeMapError(self.tp, index)))
        descent, embedded, no_unicode = info
        low, high = d * descent * size, d * (descent + 1) * size
        plain = b == 0 and c == 0 and a > 0 and not no_unicode
        return _Run(font, size, (a, b, c, d), descent, upright, no_unicode, embedded, min(low, high), max(low, high), plain)


def _origins(textpage: int, count: int) -> tuple[list[float], list[float]]:
    """Every character's origin, pdfium writing straight into two arrays."""
    xs, ys = (ctypes.c_double * count)(), (ctypes.c_double * count)()
    x, y = ctypes.addressof(xs), ctypes.addressof(ys)
    size = ctypes.sizeof(ctypes.c_double)
    deque(map(raw.char_origin, repeat(textpage, count), range(count),
              range(x, x + size * count, size), range(y, y + size * count, size)), maxlen=0)
    return xs[:], ys[:]


_SYMBOLIC = 4  # FontDescriptor flag: glyphs beyond the standard Latin set (CJK fonts have it)


def lacks_glyphs(textpage, text: PageText, font: int) -> bool:
    """pdfium may have no outline for this font's characters (not embedded, no system font for it).

    Judged by the font's characters on the page; a font with none there, by its symbolic flag
    (pdfium substitutes Latin fonts with its own, but has no CJK or symbol fonts of its own).
    """
    if not font or font in text.embedded:
        return False
    samples = text.samples.get(font)
    if samples is None:
        return not raw.font_is_embedded(font) and bool(raw.font_flags(font) & _SYMBOLIC)
    return any(_no_glyph(textpage.raw, index) for code, index in samples.items() if not chr(code).isspace())


def _no_glyph(tp, index: int) -> bool:
    """pdfium found no outline for the character (it then boxes it 1/1000 of the font size high)."""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    if not pdfium_c.FPDFText_GetCharBox(tp, index, left, right, bottom, top):
        return False
    return abs(top.value - bottom.value) < 0.0021 * pdfium_c.FPDFText_GetFontSize(tp, index)


def _descent(font: int) -> float:
    """pdfminer's descent: the AFM value for the standard 14 fonts, else the FontDescriptor's."""
    if not font:
        return 0.0
    if not raw.font_is_embedded(font):
        standard = _standard_descent(_base_font_name(font))
        if standard is not None:
            return standard
    descent = ctypes.c_float()
    if raw.font_descent(font, 1.0, ctypes.byref(descent)):
        return -abs(descent.value)
    return 0.0


def _base_font_name(font: int) -> str:
    size = raw.font_base_name(font, None, 0)
    if size <= 0:
        return ""
    buffer = ctypes.create_string_buffer(size)
    raw.font_base_name(font, buffer, size)
    return buffer.value.decode("latin-1")


def _standard_descent(name: str) -> float | None:
    from pdfminer.fontmetrics import FONT_METRICS  # late: a large table, needed only for such fonts

    metrics = FONT_METRICS.get(name)
    return metrics[0].get("Descent", 0) / 1000 if metrics else None
