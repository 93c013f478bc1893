"""Matching customers, ship-tos, articles and units against master data, with evidence."""
from __future__ import annotations

from decimal import Decimal

from agents.matching import ArticleIndex, match_article, match_customer, match_order, match_ship_to
from agents import units
from tests.unit.agents.fakes import demo_master

MASTER = demo_master()


def test_customer_is_found_by_sender_domain():
    m = match_customer({"buyer": {}}, {"sender": "einkauf@mueller-mb.de"}, MASTER)
    assert m.value == "C100" and m.score >= 0.9
    assert any("domain" in e for e in m.evidence)


def test_customer_number_or_vat_id_beats_a_free_mail_sender():
    by_number = match_customer({"buyer": {"customer_number": "c 200"}}, {"sender": "x@gmail.com"}, MASTER)
    by_vat = match_customer({"buyer": {"vat_id": "GB 987 654 321"}}, {"sender": "x@gmail.com"}, MASTER)
    assert by_number.value == "C200" and by_vat.value == "C200"


def test_our_own_domain_and_unknown_senders_match_no_customer():
    m = match_customer({"buyer": {}}, {"sender": "sales@ourcompany.example"}, MASTER)
    assert m.value is None and m.score == 0


def test_customer_by_name_and_postal_code_when_nothing_else_is_printed():
    extracted = {"buyer": {"name": "Mueller Maschinenbau GmbH"}, "bill_to": {"postal_code": "70173"}}
    m = match_customer(extracted, {"sender": "x@gmail.com"}, MASTER)
    assert m.value == "C100"


def test_ship_to_by_address_and_by_default_when_none_printed():
    customer = MASTER.customers["C100"]
    by_address = match_ship_to({"ship_to": {"street": "Hafenweg 9", "postal_code": "89073", "city": "Ulm"}}, customer)
    assert by_address.value == "C100-S2"
    only = match_ship_to({}, MASTER.customers["C200"])
    assert only.value == "C200-S1" and only.score >= 0.9


def test_article_by_sku_customer_part_number_and_gtin():
    index = ArticleIndex(MASTER, "C100")
    assert match_article({"sku": "brg 6204"}, index).value == "BRG-6204"
    cross = match_article({"customer_sku": "MM-4711"}, index)
    assert cross.value == "BRG-6204" and cross.method == "cross-reference"
    assert match_article({"gtin": "04012345000024"}, index).value == "BRG-6205"


def test_article_by_description_uses_spec_tokens_to_tell_sizes_apart():
    index = ArticleIndex(MASTER, "C100")
    m = match_article({"description": "Kugellager 6205 2RS"}, index)
    assert m.value == "BRG-6205"
    assert m.candidates and m.candidates[0][0] == "BRG-6204"


def test_unknown_printed_article_number_is_not_guessed_confidently():
    index = ArticleIndex(MASTER, "C100")
    m = match_article({"sku": "ZZ-99999", "description": "Rillenkugellager 6204-2RS"}, index)
    assert m.score <= 0.5


def test_units_resolve_printed_words_onto_the_skus_own_codes():
    factors = MASTER.factors_of("SCR-M8X20")
    assert units.resolve("Karton", {"PCE": Decimal(1), "CTN": Decimal(50)}, "PCE")[:2] == ("CTN", Decimal(50))
    assert units.resolve("boxes", factors, "PCE")[:2] == ("BOX", Decimal(100))
    assert units.resolve("Stück", factors, "PCE")[:2] == ("PCE", Decimal(1))
    assert units.resolve(None, factors, "PCE")[0] == "PCE"
    assert units.resolve("furlong", factors, "PCE")[2] < 0.5


def test_match_order_proposes_base_quantities_and_keeps_printed_prices():
    extracted = {"po_number": "PO-1", "currency": None, "buyer": {},
                 "lines": [{"line_no": 1, "customer_sku": "AC-55", "description": "Bolt", "qty": "2", "uom": "box",
                            "unit_price": "8.00", "line_total": "16.00"}], "order_total": "16.00"}
    proposal, record = match_order(extracted, {"sender": "buyer@acme-tools.co.uk"}, MASTER)
    line = proposal["lines"][0]
    assert proposal["customer_id"] == "C200" and proposal["ship_to_id"] == "C200-S1"
    assert proposal["currency"] == "GBP"  # the customer's currency when none is printed
    assert (line["sku"], line["uom"], line["qty_base"], line["unit_price"]) == ("SCR-M8X20", "BOX", "200", "8.00")
    assert record["lines"][0]["article"]["method"] == "cross-reference"


def test_ship_to_printed_under_a_delivery_label_wins_over_the_letterhead():
    from agents.matching import ship_to_in_text

    customer = MASTER.customers["C100"]
    text = "Müller Maschinenbau GmbH\nHafenweg 9, 89073 Ulm\n...\nLieferanschrift:\nWerk Nord, Industriestr. 5, 70469 Stuttgart"
    assert ship_to_in_text(text, customer).value == "C100-S1"


def test_house_number_one_is_not_found_inside_twelve():
    from agents.matching import _addr_tokens, _contains_street

    street = _addr_tokens("Hauptstr. 1")
    assert _contains_street(_addr_tokens("Hauptstr. 12, 10115 Berlin"), street) is False
    assert _contains_street(_addr_tokens("Hauptstr 1, 10115 Berlin"), street) is True
    assert _contains_street(_addr_tokens("北仑区 大港路 9号143, 215000"), _addr_tokens("北仑区 大港路 9号 143"))
