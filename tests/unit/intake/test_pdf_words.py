"""The pdfium page reader gives pdfplumber's words, boxes and ruling, only faster."""
from __future__ import annotations

import io
import random

import pdfplumber
import pypdfium2 as pdfium
import pytest
from pdfplumber import utils
from pdfplumber.table import intersections_to_cells

from intake.documents import read_document
from intake.documents.pdf_chars import page_geometry
from intake.documents.pdf_objects import page_objects
from intake.documents.pdf_tables import _intersections_to_cells, find_tables
from intake.documents.pdf_words import extract_words
from tests.unit.intake.builders import make_cjk_cells_pdf, make_layout_pdf, make_pdf, make_unmapped_font_pdf


def plumber_words(data: bytes, page: int = 0) -> list[tuple]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        words = pdf.pages[page].extract_words(extra_attrs=["size"])
    return sorted((w["text"], w["x0"], w["top"], w["x1"], w["bottom"], w["size"]) for w in words)


def our_words(data: bytes, page: int = 0) -> list[tuple]:
    doc = read_document("po.pdf", data, "application/pdf")
    return sorted((w.text, w.source.bbox.x0, w.source.bbox.top, w.source.bbox.x1, w.source.bbox.bottom, w.size)
                  for w in doc.pages[page].words)


def assert_same_words(ours: list[tuple], theirs: list[tuple]) -> None:
    assert [w[0] for w in ours] == [w[0] for w in theirs]
    for mine, plumber in zip(ours, theirs):
        assert mine[1:5] == pytest.approx(plumber[1:5], abs=0.01), mine[0]
        assert mine[5] == round(plumber[5], 2)


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_words_and_boxes_are_pdfplumbers_on_a_tricky_page(rotate):
    data = make_layout_pdf(rotate=rotate)
    ours = our_words(data)
    assert_same_words(ours, plumber_words(data))
    texts = {w[0] for w in ours}
    assert "tightjoin" in texts and {"wide", "apart"} <= texts  # 2 pt gap joins, 4 pt splits
    assert {"Kerned", "gap", "far"} <= texts and {"In", "form", "XObject"} <= texts


def test_word_box_is_the_font_box_from_the_baseline():
    doc = read_document("po.pdf", make_pdf([["PO-4711 Widget"]]), "application/pdf")
    page = doc.pages[0]
    word = page.words[0]
    assert word.text == "PO-4711" and word.size == 12.0
    box = word.source.bbox
    width = 12 * (0.667 + 0.778 + 0.333 + 4 * 0.556)  # Helvetica advances, the PDF's own widths
    # drawn at (50, 800) on A4: top is the page height less baseline, less (1 + descent) x size
    assert (box.x0, box.x1) == pytest.approx((50.0, 50.0 + width), abs=1e-3)
    assert (box.top, box.bottom) == pytest.approx((page.height - 800 - 12 * 0.793, page.height - 800 + 12 * 0.207), abs=1e-3)


def chars(*specs):
    """Characters (text, x0, top, size) one point wide... as pdf_chars gives them (upright)."""
    return [(text, x0, top, x0 + width, top + size, size, True) for text, x0, top, width, size in specs]


def test_word_rules_split_at_whitespace_gaps_over_3pt_and_backward_steps():
    line = chars(("a", 10, 100, 5, 10), ("b", 15, 100, 5, 10), (" ", 20, 100, 1, 10), ("c", 21, 100, 5, 10),
                 ("d", 29, 100, 5, 10), ("e", 37.1, 100, 5, 10))
    assert [w.text for w in extract_words(line)] == ["ab", "cd", "e"]  # d: 3 pt after c joins, e: 3.1 splits
    overlapping = chars(("x", 50, 100, 5, 10), ("y", 53, 100, 5, 10), ("z", 52, 100, 5, 10))
    assert [w.text for w in extract_words(overlapping)] == ["xzy"]  # read left to right by x0


def test_word_rules_cluster_lines_by_top_in_chains_and_keep_sizes_apart():
    chained = chars(("a", 10, 100, 5, 10), ("c", 15, 105, 5, 10), ("b", 20, 102.5, 5, 10), ("d", 40, 108.1, 5, 10))
    words = extract_words(chained)
    # tops 100, 102.5, 105 chain into one line (each within 3 pt of the next); read left to right,
    # c is 5 pt below a (a new word) and b 2.5 above c (the same word); d is 3.1 below: another line
    assert [w.text for w in words] == ["a", "cb", "d"]
    sized = chars(("a", 10, 100, 5, 10), ("b", 15, 100, 5, 8))
    assert [(w.text, w.size) for w in extract_words(sized)] == [("a", 10), ("b", 8)]


def test_ruling_edges_are_pdfplumbers_for_lines_rects_curves_and_forms():
    data = make_layout_pdf()
    with pdfplumber.open(io.BytesIO(data)) as pdf:  # the edges its table finder starts from
        edges = pdf.pages[0].edges
        kept = utils.filter_edges(edges, "v", min_length=1) + utils.filter_edges(edges, "h", min_length=1)
        theirs = sorted((e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"]) for e in kept)
    doc = pdfium.PdfDocument(data)
    try:
        page = doc[0]
        found = page_objects(page, page_geometry(page).transform)
        page.close()
    finally:
        doc.close()
    ours = sorted((e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"]) for e in found.edges)
    assert len(ours) == len(theirs) >= 8
    for mine, plumber in zip(ours, theirs):
        assert mine[0] == plumber[0] and mine[1:] == pytest.approx(plumber[1:], abs=1e-3)


def test_ruled_table_cells_are_pdfplumbers():
    rows = [["Item", "Description", "Qty", "Price"], ["A-1", "Widget", "5", "12.50"], ["B-2", "Gadget", "3", "1.00"]]
    data = make_pdf([["Order"]], table=rows)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        theirs = [[row.cells for row in table.rows] for table in pdf.pages[0].find_tables()]
    doc = pdfium.PdfDocument(data)
    try:
        page = doc[0]
        edges = page_objects(page, page_geometry(page).transform).edges
        page.close()
    finally:
        doc.close()
    ours = [[row.cells for row in table.rows] for table in find_tables(edges)]
    assert len(ours) == len(theirs) == 1 and len(ours[0]) == 3
    assert [[pytest.approx(cell, abs=1e-3) for cell in row] for row in ours[0]] == theirs[0]


def test_cells_from_intersections_match_pdfplumbers_on_a_grid_with_merged_cells():
    rng = random.Random(7)
    xs, ys = [10.0 * i for i in range(8)], [12.0 * j for j in range(9)]
    h_edges = [{"x0": xs[0], "x1": xs[-1], "top": y, "bottom": y, "orientation": "h"} for y in ys]
    v_edges = []
    for x in xs:  # vertical rules broken at random rows: merged cells
        start = 0
        for j in range(1, len(ys)):
            if j == len(ys) - 1 or rng.random() < 0.3:
                v_edges.append({"x0": x, "x1": x, "top": ys[start], "bottom": ys[j], "orientation": "v"})
                start = j
    intersections: dict = {}
    for v in v_edges:
        for h in h_edges:
            if v["top"] <= h["top"] <= v["bottom"]:
                found = intersections.setdefault((v["x0"], h["top"]), {"v": [], "h": []})
                found["v"].append(v)
                found["h"].append(h)
    assert _intersections_to_cells(intersections) == intersections_to_cells(intersections)


def test_fonts_without_unicode_map_make_the_pdf_unreadable_with_reason():
    data = make_unmapped_font_pdf()
    doc = read_document("po.pdf", data, "application/pdf")
    assert doc.status == "unreadable: pdf text not extractable (fonts without unicode map)"
    assert [w.text for w in doc.pages[0].words] == [w[0] for w in sorted(plumber_words(data), key=lambda w: (round(w[2]), w[1]))]


def test_single_cjk_characters_are_read_with_or_without_a_system_font():
    doc = read_document("po.pdf", make_cjk_cells_pdf(), "application/pdf")
    assert doc.readable
    assert [w.text for w in doc.pages[0].words] == ["采购订单", "CG2026", "4", "袋", "12", "个", "3", "件"]
