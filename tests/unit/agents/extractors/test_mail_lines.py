from decimal import Decimal

from agents.extractors.mail_lines import delimited_lines, order_text
from agents.extractors.offline_text import extract_text, prose_lines, prose_po_number

from tests.unit.agents.extractors.helpers import text_document

SIGNATURE = ("\nCheers,\n-- \nJames Smith\nProcurement\nAshford Fluid Power plc\nAston Industrial Estate 134\n"
             "B6 7EU Birmingham\nTel. +33 542 425027-70\nwww.ashford-fluid.co.uk\n\n"
             "CONFIDENTIALITY NOTICE: This e-mail is confidential. Registered in England No. 57839.\n")


def test_signature_postal_codes_and_phones_are_not_order_lines():
    body = "Hello,\nplease deliver 40x KL-10300 Deep groove ball bearing @ 12.65 GBP\n" + SIGNATURE
    order = extract_text(text_document(body))
    assert [(ln.sku, ln.qty, ln.unit_price) for ln in order.lines] == [("KL-10300", Decimal(40), Decimal("12.65"))]


def test_order_text_stops_at_the_closing_formula_in_any_language():
    for closing in ("Mit freundlichen Grüßen", "Met vriendelijke groet,", "Cordialement", "此致", "Best regards,"):
        assert order_text(f"Bitte 5 Stk Art. 4711\n{closing}\nHans Meier\n50667 Köln\n").strip() == "Bitte 5 Stk Art. 4711"


def test_description_before_quantity_with_price_and_per_unit_words():
    lines = prose_lines(
        "* O-ring 20x3 NBR 70 (DI-10096) - 600 each, 0.89 EUR each\n"
        "- Sechskantschraube DIN 933 M12x80 A2 (VB-10279), 50 Stück\n"
        "PU tubing 12x9 blue (PN-10438) : 12 m, 1.56 EUR l'unité\n", "body", ".")
    assert [(ln.sku, ln.qty, ln.unit_price) for ln in lines] == [
        ("DI-10096", Decimal(600), Decimal("0.89")), ("VB-10279", Decimal(50), None),
        ("PN-10438", Decimal(12), Decimal("1.56"))]
    assert [ln.description for ln in lines] == [
        "O-ring 20x3 NBR 70", "Sechskantschraube DIN 933 M12x80 A2", "PU tubing 12x9 blue"]


def test_prices_with_decimal_comma_after_description_first_items():
    lines = prose_lines("• Sluitring DIN 125 A 5 (VB-10555), 200 stuks, per stuk 0,0007 EUR\n"
                        "* PU-slang 4x2,5 blue, 30 meter, per stuk 0,78 EUR\n", "body", ",")
    assert [(ln.sku, ln.qty, ln.unit_price) for ln in lines] == [
        ("VB-10555", Decimal(200), Decimal("0.0007")), (None, Decimal(30), Decimal("0.78"))]
    assert lines[1].description == "PU-slang 4x2,5 blue"


def test_ordinal_dates_are_not_quantities():
    assert prose_lines("Need by: 1st January 2027\n", "body", ".") == []


def test_semicolon_rows_are_read_by_what_each_cell_looks_like():
    lines = delimited_lines("10; KIT-9007; Seal kit hydraulic cylinder type B; 4 pce; 160,16 EUR\n"
                            "20; AT-10054; Courroie trapézoïdale SPZ 1600 Lw; 1.200 U; 5,17 EUR\n"
                            "Livrer à : Durand; Rue 1\n", "body", ",")
    assert [(ln.line_no, ln.sku, ln.qty, ln.uom, ln.unit_price) for ln in lines] == [
        (10, "KIT-9007", Decimal(4), "pce", Decimal("160.16")), (20, "AT-10054", Decimal(1200), "U", Decimal("5.17"))]
    assert lines[0].description == "Seal kit hydraulic cylinder type B"


def test_po_numbers_named_as_references_in_prose():
    assert prose_po_number("please book them against order ref. BN-76092.")[0] == "BN-76092"
    assert prose_po_number("pourriez-vous (notre référence DUR486018), livraison")[0] == "DUR486018"
    assert prose_po_number("Ons kenmerk: 578459.")[0] == "578459"
    assert prose_po_number("unsere Bestellung 4711 vom 3.5.")[0] == "4711"


def test_delivery_dates_in_french_and_chinese_prose():
    order = extract_text(text_document(
        "Messieurs,\nnous avons besoin des articles ci-dessous pour le 20/01/27, merci.\n"
        "* Clé dynamométrique 5-25 Nm : 2 pcs, 98,95 EUR l'unité\n"), language="fr")
    assert order.requested_delivery_date == "2027-01-20"


def test_an_order_value_line_is_not_taken_for_the_po_number():
    order = extract_text(text_document(
        "please book them against order ref. PO-2026-14878.\n"
        "- Machine tap HSS-E M12 (WZ-10198) - 6 each, 22.26 GBP each\nOrder value 136.84 GBP net\n"))
    assert order.po_number == "PO-2026-14878"
