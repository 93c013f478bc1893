"""validate_order with the FakeUnitOfWork: every rule, its reason code and both languages."""
from datetime import date
from decimal import Decimal as D

import pytest

from oms_core.domain.commands import CreateOrder, NewOrderLine, UpdateRuleSet
from oms_core.domain.model import Address, Customer, Price, Product, ShipTo, UomConversion, Warehouse
from oms_core.domain.rules import DraftLine, OrderDraft
from oms_core.service_layer import handlers
from oms_core.service_layer.validation import validate_order
from tests.unit.core.fakes import FakeUnitOfWork


@pytest.fixture
def uow():
    uow = FakeUnitOfWork()
    uow.customers.add(Customer("C1", "Acme", ("acme.example",), credit_limit=D("1000"),
                               bill_address=Address(country="DE")))
    uow.customers.add_ship_to(ShipTo("C1", "S1", country="DE"))
    uow.products.add(Product("A", "Bolt", unit_price=D("10")))
    uow.products.add(Product("P6", "Six-pack", unit_price=D("2"), pack_size=D(6)))
    uow.products.add_conversion(UomConversion("A", "BOX", D(10)))
    uow.products.add_price(Price("C1", "A", D("9")))
    uow.stock.add_warehouse(Warehouse("W1", country="DE"))
    uow.stock.set_on_hand("W1", "A", D(100))
    return uow


def draft(*lines, **header):
    fields = dict(customer_id="C1", po_number="PO-9", order_date=date(2025, 3, 3),
                  requested_delivery_date=date(2025, 3, 20), ship_to_id="S1", currency="EUR",
                  lines=lines or (DraftLine(1, "A", D(5), "EA", None, D("9"), D("45")),), message_key="m-9")
    fields.update(header)
    return OrderDraft(**fields)


def codes(report):
    """The review reasons (errors and warnings); stock notes are checked separately."""
    return sorted({r.code for r in report.results if r.severity != "info"})


def test_a_clean_order_passes_and_may_be_auto_accepted(uow):
    report = validate_order(draft(), uow)
    assert report.results == [] and report.auto_accept_allowed(D("45"))
    assert report.thresholds["auto_accept"] is True


def test_unknown_customer_sku_and_ship_to_are_errors(uow):
    assert codes(validate_order(draft(customer_id=None), uow)) == ["unknown_customer"]
    assert codes(validate_order(draft(ship_to_id="S-NOPE"), uow)) == ["unknown_ship_to"]
    report = validate_order(draft(DraftLine(1, "ZZZ", D(1), customer_sku="THEIRS")), uow)
    assert codes(report) == ["unknown_sku"] and report.results[0].line_no == 1


def test_price_is_compared_with_the_contract_price_per_ordered_unit(uow):
    # contract 9 per EA; a BOX holds 10 -> 90 expected; 95 is 5.6% off (tolerance 2%)
    report = validate_order(draft(DraftLine(1, "A", D(1), "BOX", None, D("95"), D("95"))), uow)
    assert codes(report) == ["price_mismatch"]
    result = report.results[0]
    assert result.data["expected"] == D("90") and "Vertragspreis" in result.message_de
    assert codes(validate_order(draft(DraftLine(1, "A", D(1), "BOX", None, D("91"), D("91"))), uow)) == []


def test_pack_size_and_minimum_quantity(uow):
    assert codes(validate_order(draft(DraftLine(1, "P6", D(7), None, None, D(2), D(14))), uow)) == ["pack_size"]
    uow.products.add_price(Price("C1", "P6", D(2), min_qty=D(12)))
    report = validate_order(draft(DraftLine(1, "P6", D(6), None, None, D(2), D(12))), uow)
    assert codes(report) == ["pack_size"] and "Mindestbestellmenge" in report.results[0].message_de


def test_duplicate_po_fires_for_another_message_but_not_the_same_one_twice(uow):
    handlers.create_order(CreateOrder("m-9", "C1", "PO-9", None, None, "S1", "EUR",
                                      (NewOrderLine(1, "A", D(1), unit_price=D(9)),)), uow)
    assert "duplicate_po" not in codes(validate_order(draft(message_key="m-9"), uow))
    assert "duplicate_po" in codes(validate_order(draft(message_key="m-10"), uow))
    assert "duplicate_po" not in codes(validate_order(draft(message_key="m-10", kind="change"), uow))


def test_delivery_dates_before_the_order_or_inside_the_lead_time(uow):
    assert codes(validate_order(draft(requested_delivery_date=date(2025, 3, 1)), uow)) == ["past_delivery_date"]
    report = validate_order(draft(requested_delivery_date=date(2025, 3, 4)), uow)
    assert codes(report) == ["short_lead_time"] and report.results[0].severity == "warning"
    assert not report.has_errors


def test_arithmetic_of_lines_and_order_total(uow):
    bad_line = validate_order(draft(DraftLine(1, "A", D(5), None, None, D(9), D(50))), uow)
    assert codes(bad_line) == ["total_mismatch"] and bad_line.results[0].line_no == 1
    bad_total = validate_order(draft(order_total=D("46")), uow)
    assert codes(bad_total) == ["total_mismatch"] and bad_total.results[0].line_no is None
    assert codes(validate_order(draft(order_total=D("45.04")), uow)) == []


def test_credit_limit_counts_open_orders_plus_this_one(uow):
    handlers.create_order(CreateOrder("m-1", "C1", "PO-1", None, None, "S1", "EUR",
                                      (NewOrderLine(1, "A", D(100), unit_price=D(9), line_total=D(900)),)), uow)
    report = validate_order(draft(DraftLine(1, "A", D(20), None, None, D(9), D(180))), uow)
    assert "credit_limit" in codes(report)
    handlers.update_rule_set(UpdateRuleSet("C1", {"credit_check": False}, "admin", "prepaid"), uow)
    assert "credit_limit" not in codes(validate_order(draft(DraftLine(1, "A", D(20), None, None, D(9), D(180))), uow))


def test_short_stock_is_information_not_a_review_reason(uow):
    report = validate_order(draft(DraftLine(1, "A", D(150), None, None, D(9), D(1350))), uow)
    stock = [r for r in report.results if r.code == "out_of_stock"]
    assert stock[0].severity == "info" and "out_of_stock" not in report.review_reasons


def test_low_confidence_and_customer_thresholds_are_data(uow):
    report = validate_order(draft(confidence={"po_number": 0.4, "currency": 0.99}), uow)
    assert report.review_reasons == ["low_confidence"] and report.results[0].data["fields"] == ["po_number"]
    handlers.update_rule_set(UpdateRuleSet("C1", {"auto_accept_max_order_value": "40"}, "admin", "new customer"), uow)
    report = validate_order(draft(), uow)
    assert report.thresholds["auto_accept_max_order_value"] == D("40")
    assert not report.auto_accept_allowed(D("45")) and report.versions == {"rules_global": 0, "rules_customer": 1}
