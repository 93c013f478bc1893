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
from dataclasses import dataclass, field
from typing import Iterator

import pypdfium2.raw as pdfium_c

from intake.documents import pdfium_raw as raw

Matrix = tuple[float, float, float, float, float, float]  # x' = a x + c y + e, y' = b x + d y + f
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_FORM_DEPTH = 15  # as pypdfium2's get_objects


@dataclass(slots=True)
class PageObjects:
    edges: list[dict] = field(default_factory=list)  # pdfplumber's page.edges
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


def _object_matrix(obj: int) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not raw.object_matrix(obj, ctypes.byref(m)):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _concat(first: Matrix, then: Matrix) -> Matrix:
    """The matrix applying `first`, then `then`."""
    a1, b1, c1, d1, e1, f1 = first
    a2, b2, c2, d2, e2, f2 = then
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def _path_edges(path: int, matrix: Matrix) -> list[dict]:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if raw.path_draw_mode(path, ctypes.byref(fill), ctypes.byref(stroke)) and not fill.value and not stroke.value:
        return []  # neither filled nor stroked: pdfminer does not see it either
    edges: list[dict] = []
    for subpath in _subpaths(path, matrix):
        edges.extend(_shape_edges(subpath))
    return edges


def _subpaths(path: int, matrix: Matrix) -> Iterator[list[tuple[str, float, float]]]:
    """pdfminer's view of the path: per subpath the operators m/l/c/h, each with its end point."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    current: list[tuple[str, float, float]] = []
    curve_points = 0
    for index in range(raw.path_segment_count(path)):
        segment = raw.path_segment(path, index)
        kind = raw.segment_type(segment)
        raw.segment_point(segment, x_ref, y_ref)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            if current:
                yield current
            current = [("m", *point)]
            continue
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            curve_points += 1
            if curve_points % 3:
                continue  # a control point; pdfminer keeps the curve's end point only
            op = "c"
        else:
            op = "l"
        if not current:
            current = [("m", *point)]  # pdfium lets a path start without a move; pdfminer needs one
            continue
        closes = raw.segment_closes(segment)
        if op == "l" and closes and point == current[0][1:]:
            op = "h"  # pdfium closes a path by a line back to its start; the content stream said "h"
        current.append((op, *point))
        if op == "c" and closes:
            current.append(("h", *current[0][1:]))  # closed right after a curve: pdfminer still adds "h"
    if current:
        yield current


def _shape_edges(ops: list[tuple[str, float, float]]) -> list[dict]:
    """pdfminer's paint_path (line / rect / curve) followed by pdfplumber's edges of each."""
    shape = "".join(op for op, _, _ in ops)
    pts = [(px, py) for _, px, py in ops]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape, pts = shape[:-1], pts[:-1]  # a redundant line back to the start before "h"
    if shape in ("ml", "mlh"):
        return [_edge("line", pts[0], pts[1], line=True)]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            return _rect_edges(pts[0], pts[2])
    return [_edge("curve_edge", p0, p1) for p0, p1 in zip(pts, pts[1:])]


def _edge(kind: str, p0: tuple[float, float], p1: tuple[float, float], line: bool = False, orientation: str | None = None) -> dict:
    x0, x1 = sorted((p0[0], p1[0]))
    top, bottom = sorted((p0[1], p1[1]))
    if orientation is None:
        if line:  # pdfplumber's line_to_edge: anything not horizontal counts as vertical
            orientation = "h" if top == bottom else "v"
        else:
            orientation = "v" if p0[0] == p1[0] else ("h" if p0[1] == p1[1] else None)
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "orientation": orientation}


def _rect_edges(corner: tuple[float, float], opposite: tuple[float, float]) -> list[dict]:
    x0, x1 = sorted((corner[0], opposite[0]))
    top, bottom = sorted((corner[1], opposite[1]))
    return [
        _edge("rect_edge", (x0, top), (x1, top), orientation="h"),
        _edge("rect_edge", (x0, bottom), (x1, bottom), orientation="h"),
        _edge("rect_edge", (x0, top), (x0, bottom), orientation="v"),
        _edge("rect_edge", (x1, top), (x1, bottom), orientation="v"),
    ]
