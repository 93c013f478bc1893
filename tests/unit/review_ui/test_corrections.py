"""Turning the review form into the resume payload's corrections."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from review_ui.views.review import CorrectionError, ReviewItem, corrections_from_form, has_corrections

LINES = [
    {"line_no": 1, "sku": None, "customer_sku": "ZNR-1", "description": "Sleeve", "qty": "10", "uom": "PCE",
     "qty_base": "10", "unit_price": "1.50", "line_total": "15.00"},
    {"line_no": 2, "sku": "KL-1", "customer_sku": None, "description": "Bearing", "qty": "5", "uom": "PCE",
     "qty_base": "5", "unit_price": "2.00", "line_total": "10.00"},
]


def _item() -> ReviewItem:
    header = {"customer_id": "C1", "po_number": "PO-1", "order_date": "2026-11-02", "requested_delivery_date": None,
              "ship_to_id": "C1-01", "currency": "EUR", "order_total": "25.00"}
    return ReviewItem(row=SimpleNamespace(), proposed={}, header=header, lines=[dict(x) for x in LINES], reasons=[],
                      details=[], customer_candidates=[], line_candidates={})


def _form(**changes) -> dict:
    form = {"line_count": "3", "h_customer_id": "C1", "h_po_number": "PO-1", "h_order_date": "2026-11-02",
            "h_requested_delivery_date": "", "h_ship_to_id": "C1-01", "h_currency": "EUR"}
    for i, line in enumerate(LINES):
        for key in ("sku", "customer_sku", "description", "qty", "uom", "unit_price", "line_total"):
            form[f"l{i}_{key}"] = "" if line[key] is None else line[key]
    for key in ("sku", "customer_sku", "description", "qty", "uom", "unit_price", "line_total"):
        form[f"l2_{key}"] = ""
    form.update(changes)
    return form


def test_an_unchanged_form_has_no_corrections():
    corrections = corrections_from_form(_item(), _form())
    assert corrections == {"header": {}, "lines": [], "customer_id": None}
    assert not has_corrections(corrections)


def test_a_corrected_sku_sends_all_lines_with_the_new_article():
    corrections = corrections_from_form(_item(), _form(l0_sku="KL-10495"))
    assert [line["sku"] for line in corrections["lines"]] == ["KL-10495", "KL-1"]
    assert corrections["lines"][0]["customer_sku"] == "ZNR-1" and corrections["lines"][0]["qty"] == "10"


def test_quantities_typed_with_a_decimal_comma_are_read_as_decimals():
    corrections = corrections_from_form(_item(), _form(l1_qty="7,5"))
    assert corrections["lines"][1]["qty"] == "7.5"
    assert corrections["lines"][1]["qty_base"] is None  # the core recomputes base units


def test_same_number_written_differently_is_not_a_correction():
    assert corrections_from_form(_item(), _form(l1_unit_price="2.0"))["lines"] == []


def test_a_header_change_names_only_that_field_and_a_new_customer_is_sent_apart():
    corrections = corrections_from_form(_item(), _form(h_requested_delivery_date="2027-02-15", h_customer_id="C2"))
    assert corrections["header"] == {"requested_delivery_date": "2027-02-15", "customer_id": "C2"}
    assert corrections["customer_id"] == "C2"


def test_a_removed_line_drops_out_and_a_filled_blank_row_is_added():
    corrections = corrections_from_form(_item(), _form(l0_remove="1", l2_sku="KL-9", l2_qty="3", l2_uom="PCE"))
    assert [(line["sku"], line["qty"]) for line in corrections["lines"]] == [("KL-1", "5"), ("KL-9", "3")]
    assert [line["line_no"] for line in corrections["lines"]] == [2, 3]  # a new line gets a fresh number


def test_text_in_a_number_field_is_refused_with_the_line_and_field():
    with pytest.raises(CorrectionError, match="line 2 qty"):
        corrections_from_form(_item(), _form(l1_qty="five"))
