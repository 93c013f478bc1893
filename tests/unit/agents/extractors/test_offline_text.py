from decimal import Decimal

from agents.extractors.offline_text import extract_text, prose_lines, prose_po_number
from agents.extractors.spreadsheet import extract_sheet

from tests.unit.agents.extractors.helpers import sheet_document, text_document


def test_german_prose_order_gives_lines_with_units_codes_and_prices():
    body = (
        "Hallo zusammen,\nbitte liefern Sie:\n"
        "- 20 Kartons Einweghandschuhe Nitril M (Art.-Nr. HS-100234) à 12,50 EUR\n"
        "- 1.000 Stk Kabelbinder 200 mm (Art.-Nr. KB-777)\n"
        "Unsere Bestellnummer: 4711-A\nLiefertermin: 15.04.2026\nViele Grüße\n"
    )
    order = extract_text(text_document(body))
    assert order.po_number == "4711-A" and order.requested_delivery_date == "2026-04-15"
    first, second = order.lines
    assert (first.qty, first.uom, first.sku, first.unit_price) == (Decimal(20), "Kartons", "HS-100234", Decimal("12.50"))
    assert first.description == "Einweghandschuhe Nitril M"
    assert (second.qty, second.sku) == (Decimal(1000), "KB-777")


def test_prose_in_french_dutch_and_chinese_is_read():
    lines = prose_lines(
        "2 bte de Vis CHC DIN 912 M6x16 (réf. VB-10429) à 1,75 EUR l'unité\n"
        "• 300 stuks O-ring 10x2 FKM 80 (art.nr. DI-10033) à 2,52 EUR\n"
        "SKU-88 20箱\n", "body", ",")
    assert [(ln.qty, ln.sku) for ln in lines] == [(Decimal(2), "VB-10429"), (Decimal(300), "DI-10033"), (Decimal(20), "SKU-88")]
    assert lines[0].unit_price == Decimal("1.75") and lines[0].description == "Vis CHC DIN 912 M6x16"


def test_dates_and_phone_numbers_are_not_order_lines():
    assert prose_lines("Lieferung bis 12.05.2026 bitte\nTel. 0221 12345 Stk\n", "body", ",") == []


def test_pasted_tab_table_in_a_body_is_read_by_columns():
    body = ("Bitte liefern Sie:\nPos.\tUnsere Mat.-Nr.\tBezeichnung\tMenge\tME\tEinzelpreis\tGesamt\n"
            "1\tMAT-1\tSchraube M6\t2\tPack\t166,00\t332,00\n2\t\tMutter M6\t1.000\tStk\t0,93\t930,00\n"
            "Gesamtsumme netto: 1.262,00 EUR\n")
    order = extract_text(text_document(body))
    assert [(ln.customer_sku, ln.qty, ln.unit_price) for ln in order.lines] == [
        ("MAT-1", Decimal(2), Decimal("166.00")), (None, Decimal(1000), Decimal("0.93"))]
    assert order.order_total == Decimal("1262.00")


def test_po_number_is_found_in_a_subject_line():
    assert prose_po_number("AW: Bestellung Nr. PO-2026-1 / Lieferung")[0] == "PO-2026-1"
    assert prose_po_number("Bon de commande n° GIR712681")[0] == "GIR712681"
    assert prose_po_number("订单 CG20261103036")[0] == "CG20261103036"


def test_spreadsheet_with_label_cells_above_the_table():
    doc = sheet_document([
        ["Bestellnummer", "PO-9"], ["Bestelldatum", "2026-11-07"], ["Währung", "EUR"], [],
        ["Zeile", "Unsere Art.-Nr.", "Lief.-Art.-Nr.", "Bezeichnung", "Menge", "Einheit", "Preis/Einheit", "Summe"],
        ["10", "", "HY-1", "Kugelhahn", "3", "ST", "106.82", "320.46"],
        ["20", "87.719.64", "WZ-2", "Schlüssel", "6", "ST", "151.81", "910.86"],
    ])
    order = extract_sheet(doc)
    assert (order.po_number, order.order_date, order.currency) == ("PO-9", "2026-11-07", "EUR")
    assert [(ln.line_no, ln.sku, ln.customer_sku, ln.unit_price) for ln in order.lines] == [
        (10, "HY-1", None, Decimal("106.82")), (20, "WZ-2", "87.719.64", Decimal("151.81"))]


def test_csv_repeating_order_fields_in_columns_fills_the_header():
    doc = sheet_document([
        ["Bestell-Nr.", "Bestelldatum", "Liefertermin", "Zeile", "Lief.-Art.-Nr.", "Menge", "Preis/Einheit", "Währung"],
        ["B/2026/1", "04.11.2026", "01.01.2027", "10", "KL-1", "10", "5.76", "CHF"],
        ["B/2026/1", "04.11.2026", "01.01.2027", "20", "KL-2", "150", "5.83", "CHF"],
    ], name="o.csv")
    order = extract_sheet(doc)
    assert (order.po_number, order.order_date, order.requested_delivery_date, order.currency) == (
        "B/2026/1", "2026-11-04", "2027-01-01", "CHF")
    assert len(order.lines) == 2


def test_delivery_dates_named_by_a_verb_after_the_date_or_by_arrival():
    from agents.extractors.offline_text import prose_delivery_date

    assert prose_delivery_date("Die Ware muss am 29.12.2026 an unserem Standort Genève eintreffen.", "dmy", "de") == "2026-12-29"
    assert prose_delivery_date("需要以下产品，请于 2026/12/24 前送到：", None, "zh") == "2026-12-24"
    assert prose_delivery_date("kindly ship the following on our PO# 4711, to arrive Jan 4, 2027:", None, "en") == "2027-01-04"
    # a date with no delivery word around it stays unread
    assert prose_delivery_date("Our quotation of 12.11.2026 refers; see the price list attached.", "dmy", "de") is None


def test_the_first_digit_of_an_amount_after_an_order_label_is_not_taken_for_the_po_number():
    from agents.extractors.offline_text import extract_text
    from intake.mime import parse_message

    raw = ("From: r.brown@brightwell.example\nSubject: Order BRI903131\n\n"
           "please book them against order ref. BRI903131.\n\n"
           "1; KL-10162; Deep groove ball bearing 6004; 6 Box; 17.50 GBP\n\n"
           "Order value 1,892.44 GBP net\n").encode()
    message = parse_message(raw, key="k")
    order = extract_text(message.readable_documents[0], subject=message.subject)
    assert order.po_number == "BRI903131"
