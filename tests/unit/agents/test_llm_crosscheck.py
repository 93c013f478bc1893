from decimal import Decimal

from agents.extractors.crosscheck import AGREED, DISPUTED, LLM_ONLY, merge
from agents.extractors.llm import LlmLine, LlmOrder, to_extracted_order
from agents.schema import ExtractedLine, ExtractedOrder


def offline_order(**overrides) -> ExtractedOrder:
    data = dict(
        po_number="PO-1", order_date="2026-11-20", currency="EUR", extractor="offline",
        lines=[ExtractedLine(line_no=1, sku="A-1", qty=Decimal("20"), unit_price=Decimal("3.10"),
                             confidence={"qty": 0.9, "unit_price": 0.9})],
        confidence={"po_number": 0.9, "order_date": 0.9, "currency": 0.8},
    )
    data.update(overrides)
    return ExtractedOrder(**data)


def test_agreement_raises_the_confidence_of_a_field():
    llm = offline_order(extractor="llm")
    merged = merge(offline_order(), llm)
    assert merged.confidence["po_number"] == AGREED
    assert merged.lines[0].confidence["qty"] == AGREED


def test_a_disagreement_keeps_the_offline_value_with_low_confidence_and_a_warning():
    llm = offline_order(lines=[ExtractedLine(line_no=1, sku="A-1", qty=Decimal("20"), unit_price=Decimal("0.01"))])
    merged = merge(offline_order(), llm)
    assert merged.lines[0].unit_price == Decimal("3.10")
    assert merged.lines[0].confidence["unit_price"] == DISPUTED
    assert any("line 1 unit_price" in w for w in merged.warnings)


def test_a_value_only_the_llm_found_is_taken_with_low_confidence():
    merged = merge(offline_order(), offline_order(requested_delivery_date="2026-12-01"))
    assert merged.requested_delivery_date == "2026-12-01"
    assert merged.confidence["requested_delivery_date"] == LLM_ONLY


def test_different_line_counts_are_reported():
    two = offline_order(lines=offline_order().lines * 2)
    merged = merge(offline_order(), two)
    assert any(w.startswith("line_count_disagreement") for w in merged.warnings)


def test_without_offline_lines_the_llm_order_is_used_and_marked_llm_only():
    merged = merge(offline_order(lines=[]), offline_order(extractor="llm"))
    assert merged.extractor == "llm" and any(w.startswith("llm_only") for w in merged.warnings)


def test_no_llm_result_leaves_the_offline_order_untouched():
    offline = offline_order()
    assert merge(offline, None) is offline


def test_llm_answer_becomes_an_extracted_order_with_decimals_and_low_confidence():
    parsed = LlmOrder(kind="order", po_number="PO-9", order_date="2026-11-20", requested_delivery_date=None,
                      currency="eur", buyer_name="ACME", buyer_customer_number=None, ship_to_name=None,
                      ship_to_street=None, ship_to_postal_code=None, ship_to_city=None, ship_to_country="de",
                      lines=[LlmLine(line_no=1, sku="A-1", customer_sku=None, description="Lager", qty="20",
                                     uom="pcs", unit_price="3.10", line_total="62.00")],
                      order_total="62.00")
    order = to_extracted_order(parsed)
    assert order.currency == "EUR" and order.ship_to.country == "DE"
    assert order.lines[0].qty == Decimal("20") and order.order_total == Decimal("62.00")
    assert order.confidence["po_number"] == LLM_ONLY and order.extractor == "llm"
