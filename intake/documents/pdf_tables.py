"""Ruled tables on a PDF page: pdfplumber's table finder on the page's edges, cell text from words.

The finder runs as pdfplumber's TableFinder does with its default "lines" settings (filter, snap and
join the edges, intersect them, cells from intersections, tables from cells), with one step written
anew: pdfplumber's `intersections_to_cells` compares every intersection with every later one and
rebuilds edge sets on each comparison, which made it the slowest part of reading a ruled page. The
version here indexes the points by row and column and gives the same cells.
"""
from __future__ import annotations

import bisect
from collections import defaultdict

from pdfplumber import utils
from pdfplumber.table import Table as FoundTable
from pdfplumber.table import TableSettings, cells_to_tables, edges_to_intersections, merge_edges

from intake.documents.tables import make_table
from intake.model import BBox, Source, Table, Word

_SETTINGS = TableSettings.resolve(None)  # pdfplumber's defaults: ruling lines both ways


def ruled_tables(edges: list[dict], words: list[Word], number: int, part: str) -> list[Table]:
    """Cell boxes from pdfplumber's line finder; cell text from the words already read."""
    tables = []
    for found in find_tables(edges):
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
        sources = [[Source(part, number, BBox(*cell)) if cell else None for cell in cells] for cells in grid]
        if len(rows) < 2 and max((len(r) for r in rows), default=0) < 2:
            continue  # a box drawn around a block of text, not a table
        tables.append(make_table(rows, Source(part=part, page=number, bbox=BBox(x0, top, x1, bottom)), sources))
    return tables


def _cell_at(cells, cx: float, cy: float) -> int | None:
    for index, cell in enumerate(cells):
        if cell is not None and cell[0] <= cx <= cell[2] and cell[1] <= cy <= cell[3]:
            return index
    return None


def find_tables(edges: list[dict]) -> list[FoundTable]:
    """pdfplumber's TableFinder(page).tables for a page with these edges (default settings)."""
    s = _SETTINGS
    candidates = (utils.filter_edges(edges, "v", min_length=s.edge_min_length_prefilter)
                  + utils.filter_edges(edges, "h", min_length=s.edge_min_length_prefilter))
    merged = merge_edges(candidates, snap_x_tolerance=s.snap_x_tolerance, snap_y_tolerance=s.snap_y_tolerance,
                         join_x_tolerance=s.join_x_tolerance, join_y_tolerance=s.join_y_tolerance)
    merged = utils.filter_edges(merged, min_length=s.edge_min_length)
    intersections = edges_to_intersections(merged, s.intersection_x_tolerance, s.intersection_y_tolerance)
    return [FoundTable(None, group) for group in cells_to_tables(_intersections_to_cells(intersections))]


def _intersections_to_cells(intersections: dict) -> list[tuple]:
    """pdfplumber's intersections_to_cells: per point the smallest cell it is the top-left corner of."""
    v_edges = {p: set(map(utils.obj_to_bbox, found["v"])) for p, found in intersections.items()}
    h_edges = {p: set(map(utils.obj_to_bbox, found["h"])) for p, found in intersections.items()}

    def connects(p1, p2) -> bool:
        return ((p1[0] == p2[0] and not v_edges[p1].isdisjoint(v_edges[p2]))
                or (p1[1] == p2[1] and not h_edges[p1].isdisjoint(h_edges[p2])))

    points = sorted(intersections)
    column: dict[float, list] = defaultdict(list)  # same x, in sorted order (top to bottom)
    row: dict[float, list] = defaultdict(list)  # same top, in sorted order (left to right)
    for point in points:
        column[point[0]].append(point)
        row[point[1]].append(point)
    cells = []
    for point in points:
        below = column[point[0]]
        right = row[point[1]]
        below, right = below[below.index(point) + 1:], right[right.index(point) + 1:]
        cell = _smallest_cell(point, below, right, intersections, connects)
        if cell:
            cells.append(cell)
    return cells


def _smallest_cell(point, below, right, intersections, connects):
    for below_pt in below:
        if not connects(point, below_pt):
            continue
        for right_pt in right:
            if not connects(point, right_pt):
                continue
            corner = (right_pt[0], below_pt[1])
            if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                return (point[0], point[1], corner[0], corner[1])
    return None
