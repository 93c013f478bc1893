"""Completing a proposal from master data, and the printed-but-not-read cross-check."""
from __future__ import annotations

from decimal import Decimal

from agents.completion import complete
from agents.missed import missed_fields
from tests.unit.agents.fakes import demo_master, message, text_document


def test_unprinted_prices_come_from_the_contract_and_totals_are_computed():
    proposal = {"customer_id": "C100", "order_date": None, "currency": "EUR", "order_total": None,
                "lines": [{"line_no": 1, "sku": "BRG-6204", "qty": "10", "qty_base": "10", "unit_price": None, "line_total": None},
                          {"line_no": 2, "sku": "BRG-6205", "qty": "2", "qty_base": "2", "unit_price": "4.90", "line_total": None}]}
    derived, uncertain = complete(proposal, demo_master(), "2025-03-01")
    assert proposal["lines"][0]["unit_price"] == "3.95"  # C100's contract price, not the 4.20 list price
    assert proposal["lines"][0]["line_total"] == "39.50" and proposal["lines"][1]["line_total"] == "9.80"
    assert proposal["order_total"] == "49.30" and proposal["order_date"] == "2025-03-01"
    assert uncertain == [] and len(derived) == 5


def test_a_document_date_we_could_not_read_is_filled_but_uncertain():
    proposal = {"customer_id": "C100", "order_date": None, "lines": []}
    _, uncertain = complete(proposal, demo_master(), "2025-03-01", date_in_text=False)
    assert uncertain == ["order_date"]


def test_line_delivery_dates_give_the_header_date_and_disagreement_is_uncertain():
    proposal = {"customer_id": "C100", "order_date": "2025-03-01", "requested_delivery_date": None, "lines": []}
    _, uncertain = complete(proposal, demo_master(), None, line_dates=["2025-04-02", "2025-03-30"])
    assert proposal["requested_delivery_date"] == "2025-03-30" and uncertain == ["requested_delivery_date"]


def test_a_labelled_date_or_total_the_extraction_lacks_is_reported():
    body = "Liefertermin: 12.04.2025\nGesamtsumme netto: 1.234,50 EUR"
    msg = message("m", documents=[text_document(body)])
    assert set(missed_fields(msg, {"requested_delivery_date": None, "order_total": None})) == {
        "requested_delivery_date", "order_total"}
    assert missed_fields(msg, {"requested_delivery_date": "2025-04-12", "order_total": "1234.50"}) == []


def test_a_printed_total_equal_to_the_lines_confirms_them_and_a_different_net_total_differs():
    msg = message("m", documents=[text_document("Gesamtsumme netto: 1.234,50 EUR")])
    assert missed_fields(msg, {"order_total": None}, Decimal("1234.50")) == []
    assert missed_fields(msg, {"order_total": None}, Decimal("234.50")) == ["order_total_differs"]
