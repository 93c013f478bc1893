"""Order lines printed as numbered paragraphs or label/value cards (no item table)."""
from decimal import Decimal

from agents.extractors.offline_pdf import extract_pdf

from tests.unit.agents.extractors.helpers import pdf_document


def test_numbered_paragraphs_give_one_line_each_with_codes_quantity_price_and_total():
    doc = pdf_document([[
        (30, [(40, "Bestellschein"), (400, "Bestellnummer 4711")]),
        (60, [(40, "1."), (62, "Rillenkugellager 6204-2RS 20x47x14")]),
        (72, [(62, "Artikel KL-10420  ·  Sachnummer A-2611-043")]),
        (84, [(62, "20 Stk zu je 1,23 EUR = 24,60 EUR")]),
        (102, [(40, "2."), (62, "Sechskantmutter DIN 934 M10")]),
        (114, [(62, "Artikel VB-10600")]),
        (126, [(62, "2 000 Stk zu je 0,005 EUR = 10,00 EUR")]),
        (150, [(40, "Summe Positionen: 34,60 EUR")]),
    ]])
    order = extract_pdf(doc)
    assert [(ln.line_no, ln.sku, ln.customer_sku, ln.qty, ln.unit_price, ln.line_total) for ln in order.lines] == [
        (1, "KL-10420", "A-2611-043", Decimal(20), Decimal("1.23"), Decimal("24.60")),
        (2, "VB-10600", None, Decimal(2000), Decimal("0.005"), Decimal("10.00")),
    ]
    assert order.lines[0].description == "Rillenkugellager 6204-2RS 20x47x14"
    assert order.lines[0].uom == "Stk"
    assert order.order_total == Decimal("34.60")


def test_label_value_cards_are_read_even_with_labels_the_vocabulary_does_not_know():
    card = lambda top, no, code, own, desc, qty, price, total: [  # noqa: E731
        (top, [(46, f"#{no}"), (90, "Catalogue no."), (210, code)]),
        (top + 11, [(90, "Internal P/N"), (210, own)]),
        (top + 22, [(90, "Details"), (210, desc)]),
        (top + 33, [(90, "Units"), (210, qty)]),
        (top + 44, [(90, "Each"), (210, price)]),
        (top + 55, [(90, "Line value"), (210, total)]),
    ]
    doc = pdf_document([[(30, [(40, "Order Form · PO-7")])]
                        + card(100, 1, "KL-10282", "MAT-885721", "Deep groove ball bearing", "30 EA", "4.67 GBP", "140.10 GBP")
                        + card(180, 2, "VB-10642", "70.604.48", "Hex nut DIN 934 M16", "425 pcs", "0.011 GBP", "4.68 GBP")
                        + [(260, [(300, "Total excl. VAT"), (500, "144.78 GBP")])]])
    order = extract_pdf(doc)
    got = [(ln.sku, ln.customer_sku, ln.qty, ln.uom, ln.unit_price, ln.line_total) for ln in order.lines]
    assert got == [("KL-10282", "MAT-885721", Decimal(30), "EA", Decimal("4.67"), Decimal("140.10")),
                   ("VB-10642", "70.604.48", Decimal(425), "pcs", Decimal("0.011"), Decimal("4.68"))]
    assert order.order_total == Decimal("144.78")


def test_a_document_without_quantities_gives_no_record_lines():
    doc = pdf_document([[
        (30, [(40, "1."), (62, "Please quote your best price for bearings")]),
        (50, [(40, "2."), (62, "Delivery within two weeks")]),
    ]])
    assert extract_pdf(doc).lines == []
