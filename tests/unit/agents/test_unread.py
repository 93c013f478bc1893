"""Label-free evidence that something printed was not read: unknown delivery labels, unread totals."""
from __future__ import annotations

from decimal import Decimal

from agents.decide import decide
from agents.unread import printed_amounts, unread_delivery_date, unread_total


def order(**fields):
    base = {"order_date": "2026-11-19", "requested_delivery_date": None, "order_total": None, "language": "de",
            "lines": [{"line_no": 1, "customer_sku": "VB-10600", "description": "Sechskantmutter M10", "line_total": "4.64"},
                      {"line_no": 2, "customer_sku": "PN-10030", "description": "Pneumatikzylinder", "line_total": "158.54"}]}
    return {**base, **fields}


PAGE = ["Bestellnummer   HUB815872", "Belegdatum   19. Nov. 2026", "Liefern bis   11. Jan. 2027",
        "10  VB-10600  Sechskantmutter M10   800 ST   4,64   0,0058",
        "20  PN-10030  Pneumatikzylinder       1 ST  158,54  158,54"]


def test_a_future_date_under_an_unknown_label_blocks_when_no_delivery_date_was_read():
    found = unread_delivery_date(PAGE, order(), {})
    assert [c["code"] for c in found] == ["low_confidence"]
    assert "2027-01-11" in found[0]["message_en"] and "Liefern bis" in found[0]["message_en"]


def test_a_delivery_date_that_was_read_leaves_nothing_to_flag():
    assert unread_delivery_date(PAGE, order(requested_delivery_date="2027-01-11"), {}) == []


def test_dates_that_are_the_order_date_or_far_ahead_are_not_taken_for_a_delivery_date():
    page = ["Datum 19.11.2026", "Angebot gültig bis 31.12.2028"]
    assert unread_delivery_date(page, order(), {}) == []


def test_a_printed_total_the_lines_do_not_reach_is_a_total_mismatch():
    page = PAGE + ["Orderwaarde excl. btw     2.385,45 EUR"]
    found = unread_total(page, order())
    assert [c["code"] for c in found] == ["total_mismatch"]
    assert "2385.45" in found[0]["message_en"] and "163.18" in found[0]["message_en"]


def test_a_printed_sum_of_the_lines_confirms_them_even_beside_vat_and_gross():
    page = PAGE + ["Bestellwert netto   163,18 EUR", "MwSt 19 %   31,00", "Brutto   194,18 EUR"]
    assert unread_total(page, order()) == []


def test_a_total_that_was_read_is_left_to_the_reconciliation():
    assert unread_total(PAGE + ["Summe 999,00"], order(order_total="163.18")) == []


def test_amounts_are_read_with_either_decimal_separator_and_thousands_marks():
    assert {Decimal("2385.45"), Decimal("1023.50")} <= printed_amounts("2.385,45 EUR and 1’023.50 CHF")


def test_an_unread_evidence_check_stops_auto_accept_with_its_reason():
    checks = unread_total(PAGE + ["Total 900,00"], order())
    result = decide(kind="order", readable=True, unreadable=[], injection=[], checks=checks, assessment={},
                    low_fields=[], rules={}, proposal={"po_number": "X", "customer_id": "C1",
                                                       "lines": [{"line_no": 1, "sku": "A"}]})
    assert result.decision == "review" and result.reasons == ["total_mismatch"]
    assert "900.00" in result.detail[0]["why"]


def test_a_past_date_named_as_delivery_date_blocks_but_a_past_date_without_such_words_does_not():
    needed = ["All of the above on PO# HAR736109, needed 26-Oct-2026."]
    found = unread_delivery_date(needed, order(language="en"), {})
    assert [c["data"]["date"] for c in found] == ["2026-10-26"]
    quoted = ["as quoted in your offer of 26-Oct-2026."]
    assert unread_delivery_date(quoted, order(language="en"), {}) == []


def test_lines_without_printed_totals_are_summed_from_quantity_and_price():
    lines = [{"line_no": 1, "description": "O-ring", "qty": "200", "unit_price": "0.1541"},
             {"line_no": 2, "description": "V-belt", "qty": "10", "unit_price": "91.47"}]
    text = ["- O-ring, 200 pcs, 0.1541 CNY", "- V-belt, 10 pcs, 91.47 CNY", "合计 1,161.47 CNY"]
    found = unread_total(text, {"order_total": None, "lines": lines})
    assert [c["code"] for c in found] == ["total_mismatch"]
    assert found[0]["data"] == {"printed": "1161.47", "sum": "945.5200"}
    agreeing = text[:2] + ["合计 945.52 CNY"]
    assert unread_total(agreeing, {"order_total": None, "lines": lines}) == []


def test_an_item_row_the_reader_skipped_is_flagged_and_rows_it_read_are_not():
    from agents.unread import unread_item_rows

    read = {"lines": [{"line_no": 1, "customer_sku": "WL36-0043", "description": "PU气管 4x2,5 blue"},
                      {"line_no": 2, "customer_sku": "WL47-0006", "description": "外六角螺栓 DIN 933 M16x80 A2"}]}
    body = ["请按采购单 CG20261107082 安排发货，交期 2026年12月18号，明细如下：",
            "6 袋 x WL54-0003 O型圈 40x3 FKM 80 @ 285.01 CNY",
            "5 米 x WL36-0043 PU气管 4x2,5 blue @ 4.39 CNY",
            "100x WL47-0006 外六角螺栓 DIN 933 M16x80 A2 @ 0.2066 CNY",
            "Order value 1,892.44 CNY net"]
    found = unread_item_rows(body, read)
    assert [c["check"] for c in found] == ["unread_item_row"] and "WL54-0003" in found[0]["message_en"]
    assert unread_item_rows([body[0], *body[2:]], read) == []


def test_a_list_item_with_a_code_and_a_quantity_but_no_price_counts_as_an_item_row():
    from agents.unread import unread_item_rows

    read = {"lines": [{"line_no": 1, "sku": "VB-10588", "description": "Socket head cap screw DIN 912 M10x40"}]}
    body = ["kindly ship the following on our PO# 818299, to arrive Jan 21, 2027:",
            "- Hydraulic hose 2SN DN20 (HY-10066) - 5 coil",
            "- Socket head cap screw DIN 912 M10x40 12.9 black oxide (VB-10588) - 1,200 ea",
            "Tel. +49 369 365723-11"]
    assert ["HY-10066" in c["message_en"] for c in unread_item_rows(body, read)] == [True]
    assert unread_item_rows([body[0], body[2], body[3]], read) == []


def test_without_prices_read_the_priced_proposal_is_checked_against_the_printed_total():
    extracted = {"order_total": None, "lines": [{"line_no": 20, "customer_sku": "PN-10396", "qty": "4"},
                                                {"line_no": 30, "customer_sku": "KL-10450", "qty": "12"}]}
    proposal = {"lines": [{"line_no": 20, "qty": "4", "unit_price": "86.95", "line_total": "347.80"},
                          {"line_no": 30, "qty": "12", "unit_price": "9.48", "line_total": "113.76"}]}
    text = ["10  VB-10735  Flat washer DIN 125 A 10 zinc   2,400.000 pcs   0.0022   5.28",
            "20  PN-10396  Solenoid valve 5/2 G3/8 230V A   4.000 EA   86.95   347.80",
            "30  KL-10450  Deep groove ball bearing 6300-   12.000 EA   9.48   113.76",
            "Order value                    GBP             466.84"]
    assert unread_total(text, extracted) == []  # nothing priced to compare without the proposal
    found = unread_total(text, extracted, proposal=proposal)
    assert [c["code"] for c in found] == ["total_mismatch"]
    assert found[0]["data"] == {"printed": "466.84", "sum": "461.56"}


def test_a_header_row_with_dates_before_a_currency_is_not_an_item_row():
    from agents.unread import unread_item_rows

    read = {"lines": [{"line_no": 1, "sku": "KL-10162", "description": "Deep groove ball bearing 6004"}]}
    header = ["PO-2026-71199                11.11.2026                  15.12.2026                  EUR"]
    assert unread_item_rows(header, read) == []
