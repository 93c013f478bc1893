"""The non-text side of a PDF page from pdfium's page objects: ruling edges, images, text objects.

Ruled tables are found by pdfplumber's table finder, which only looks at a page's `edges`. Those are
rebuilt here from pdfium's path objects exactly as pdfminer and pdfplumber derive them (a two-point
path is a line, a closed four-point axis-aligned path a rectangle with four edges, anything else a
curve whose consecutive points give edges), so the finder sees what it saw when pdfminer parsed the
page, without pdfminer's pure-Python parse of the whole content stream. Every call here touches
pdfium: the caller holds `intake.pdfium_lock.PDFIUM_LOCK`.
"""
from __future__ import annotations

import ctypes
from collections import deque
from dataclasses import dataclass, field
from itertools import repeat
from typing import Iterator

import pypdfium2.raw as pdfium_c

from intake.documents import pdfium_raw as raw

Matrix = tuple[float, float, float, float, float, float]  # x' = a x + c y + e, y' = b x + d y + f
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_FORM_DEPTH = 15  # as pypdfium2's get_objects
_MIN_LENGTH = 1.0  # pdfplumber's edge_min_length_prefilter: shorter edges never reach the finder


@dataclass(slots=True)
class PageObjects:
    edges: list[dict] = field(default_factory=list)  # pdfplumber's page.edges, those its table finder uses
    images: int = 0
    text_objects: list[int] = field(default_factory=list)  # addresses


def page_objects(page, transform: Matrix) -> PageObjects:
    """Edges, image count and text objects of a pypdfium2 page; `transform` maps user space to (x, top)."""
    found = PageObjects()
    for obj, kind, matrix in _walk(page.raw, transform):
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            found.edges.extend(_path_edges(obj, matrix))
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            found.images += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            found.text_objects.append(obj)
    return found


def text_object_font(obj: int) -> int:
    """The address of a text object's font (0 if it has none)."""
    return raw.text_object_font(obj) or 0


def _walk(page, transform: Matrix) -> Iterator[tuple[int, int, Matrix]]:
    """(object, type, object space -> display matrix) for every object, form XObjects opened."""
    stack = [(pdfium_c.FPDFPage_CountObjects(page), raw.address(page), raw.page_object, transform, 0)]
    while stack:
        count, holder, get, outer, depth = stack.pop()
        for k in range(count):
            obj = get(holder, k)
            kind = raw.object_type(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                if depth < _MAX_FORM_DEPTH:
                    inner = _concat(_object_matrix(obj), outer)
                    stack.append((raw.form_object_count(obj), obj, raw.form_object, inner, depth + 1))
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                yield obj, kind, _concat(_object_matrix(obj), outer)
            else:
                yield obj, kind, outer


_MATRIX = pdfium_c.FS_MATRIX()  # filled and read at once by each caller, who holds the pdfium lock
_MATRIX_REF = ctypes.byref(_MATRIX)


def _object_matrix(obj: int) -> Matrix:
    if not raw.object_matrix(obj, _MATRIX_REF):
        return _IDENTITY
    m = _MATRIX
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _concat(first: Matrix, then: Matrix) -> Matrix:
    """The matrix applying `first`, then `then`."""
    a1, b1, c1, d1, e1, f1 = first
    a2, b2, c2, d2, e2, f2 = then
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def _path_edges(path: int, matrix: Matrix) -> list[dict]:
    # (pdfium makes path objects of painted paths only: an "n"-ended path is a clip, as in pdfminer)
    count = raw.path_segment_count(path)
    if count <= 0:
        return []
    segments = list(map(raw.path_segment, repeat(path, count), range(count)))
    kinds = list(map(raw.segment_type, segments))
    points = _points(segments, matrix)
    if kinds == _RECT or kinds == _LINE:  # "re" or a lone line (closed or not): no "h" to look for
        return _shape_edges("mllll" if kinds == _RECT else "ml", points)
    edges: list[dict] = []
    for shape, pts in _subpaths(segments, kinds, points):
        edges.extend(_shape_edges(shape, pts))
    return edges


_MOVE, _LINE_TO, _CURVE_TO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_BEZIERTO
_RECT = [_MOVE, _LINE_TO, _LINE_TO, _LINE_TO, _LINE_TO]
_LINE = [_MOVE, _LINE_TO]


_FLOAT = ctypes.sizeof(ctypes.c_float)
_buffer = (ctypes.c_float * 64)()  # reused (callers hold the pdfium lock); grown for long paths


def _points(segments: list[int], matrix: Matrix) -> list[tuple[float, float]]:
    """The segments' end points in display space, pdfium writing them into one array (x, y, x, y...)."""
    global _buffer
    count = len(segments)
    if len(_buffer) < 2 * count:
        _buffer = (ctypes.c_float * (2 * count))()
    start, step = ctypes.addressof(_buffer), 2 * _FLOAT
    deque(map(raw.segment_point, segments, range(start, start + step * count, step),
              range(start + _FLOAT, start + _FLOAT + step * count, step)), maxlen=0)
    values = _buffer[:2 * count]
    a, b, c, d, e, f = matrix
    return [(a * x + c * y + e, b * x + d * y + f) for x, y in zip(values[0::2], values[1::2])]


def _subpaths(segments: list[int], kinds: list[int], points: list[tuple[float, float]]) -> Iterator[tuple[str, list]]:
    """pdfminer's view of the path: per subpath its operators m/l/c/h and their end points."""
    shape: list[str] = []
    pts: list[tuple[float, float]] = []
    curve_points = 0
    for segment, kind, point in zip(segments, kinds, points):
        if kind == _MOVE:
            if shape:
                yield "".join(shape), pts
            shape, pts = ["m"], [point]
            continue
        if kind == _CURVE_TO:
            curve_points += 1
            if curve_points % 3:
                continue  # a control point; pdfminer keeps the curve's end point only
            op = "c"
        else:
            op = "l"
        if not shape:
            shape, pts = ["m"], [point]  # pdfium lets a path start without a move; pdfminer needs one
            continue
        if op == "l" and point == pts[0] and raw.segment_closes(segment):
            op = "h"  # pdfium closes a path by a line back to its start; the content stream said "h"
        shape.append(op)
        pts.append(point)
        if op == "c" and raw.segment_closes(segment):
            shape.append("h")  # closed right after a curve: pdfminer still adds its "h" point
            pts.append(pts[0])
    if shape:
        yield "".join(shape), pts


def _shape_edges(shape: str, pts: list[tuple[float, float]]) -> list[dict]:
    """pdfminer's paint_path (line / rect / curve) followed by pdfplumber's edges of each.

    Only the edges pdfplumber's table finder keeps are made: horizontal or vertical, 1 pt or longer.
    """
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape, pts = shape[:-1], pts[:-1]  # a redundant line back to the start before "h"
    if shape in ("ml", "mlh"):
        (x0, y0), (x1, y1) = pts[0], pts[1]
        # pdfplumber's line_to_edge: anything not horizontal counts as vertical
        return _edges(x0, y0, x1, y1, "h" if y0 == y1 else "v", "line")
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            left, right = min(x0, x2), max(x0, x2)
            top, bottom = min(y0, y2), max(y0, y2)
            return (_edges(left, top, right, top, "h", "rect_edge") + _edges(left, bottom, right, bottom, "h", "rect_edge")
                    + _edges(left, top, left, bottom, "v", "rect_edge") + _edges(right, top, right, bottom, "v", "rect_edge"))
    edges = []
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if x0 == x1 or y0 == y1:
            edges += _edges(x0, y0, x1, y1, "v" if x0 == x1 else "h", "curve_edge")
    return edges


def _edges(x0: float, y0: float, x1: float, y1: float, orientation: str, kind: str) -> list[dict]:
    """The edge from (x0, y0) to (x1, y1) as pdfplumber has it, if the table finder would keep it."""
    if x1 < x0:
        x0, x1 = x1, x0
    if y1 < y0:
        y0, y1 = y1, y0
    if (x1 - x0 if orientation == "h" else y1 - y0) < _MIN_LENGTH:
        return []
    return [{"object_type": kind, "x0": x0, "x1": x1, "top": y0, "bottom": y1, "doctop": y0,
             "width": x1 - x0, "height": y1 - y0, "orientation": orientation}]
