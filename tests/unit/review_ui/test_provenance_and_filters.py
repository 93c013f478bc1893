"""Outlines from provenance, safe attachment names, display filters."""
from __future__ import annotations

from decimal import Decimal

from review_ui.templating import money, qty
from review_ui.views.original import safe_filename
from review_ui.views.provenance import collect_marks, line_box

PDF = "attachment:PO.pdf"


def test_marks_come_from_the_proposal_and_the_extracted_order():
    proposed = {"lines": [{"sku": "A"}], "provenance": {"po_number": {"part": "body", "line": 3}}}
    extracted = {"provenance": {"order_total": {"part": PDF, "page": 1, "bbox": [1, 2, 3, 4]}},
                 "lines": [{"provenance": {"qty": {"part": PDF, "page": 1, "bbox": [10, 20, 30, 28]},
                                           "sku": {"part": PDF, "page": 1, "bbox": [40, 19, 60, 27]}}}]}
    marks = {m.field: m for m in collect_marks(proposed, extracted)}
    assert marks["header.po_number"].line == 3
    assert marks["header.order_total"].bbox == (1.0, 2.0, 3.0, 4.0)
    assert line_box(list(marks.values()), 0, PDF, 1) == (10.0, 19.0, 60.0, 28.0)


def test_broken_provenance_is_skipped_not_fatal():
    proposed = {"provenance": {"po_number": {"part": "body", "bbox": ["x"]}, "currency": "nonsense"}}
    marks = collect_marks(proposed)
    assert [(m.field, m.bbox) for m in marks] == [("header.po_number", None)]


def test_attachment_names_cannot_break_the_header_or_leave_the_folder():
    name = safe_filename('../../etc/"passwd\r\nX: y.pdf')
    assert name.endswith("passwd_X_ y.pdf")
    assert not set(name) & set('/\\"\r\n;')
    assert safe_filename("...") == "attachment"


def test_money_and_quantities_print_without_float_noise():
    assert money(Decimal("1234.5"), "EUR") == "1,234.50 EUR"
    assert qty("10.0000") == "10" and qty("2.5000") == "2.5"
