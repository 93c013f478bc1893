from decimal import Decimal

from agents.extractors.offline_pdf import extract_pdf

from tests.unit.agents.extractors.helpers import pdf_document

HEADER = [(40, "Pos"), (70, "Art.-Nr."), (140, "Bezeichnung"), (330, "Menge"), (380, "Einheit"), (430, "Einzelpreis"),
          (510, "Gesamt")]


def german_two_page_order():
    page1 = [
        (40, [(40, "Muster Handel GmbH"), (400, "Bestellung")]),
        (60, [(40, "Industriestr. 5"), (400, "Bestellnummer:"), (480, "B-2024-0815")]),
        (75, [(40, "50667 Köln"), (400, "Datum:"), (480, "12.03.2024")]),
        (90, [(400, "Liefertermin:"), (480, "28.03.2024")]),
        (120, [(40, "Lieferadresse:")]),
        (135, [(40, "Muster Handel GmbH Lager")]),
        (150, [(40, "Hafenweg 12")]),
        (165, [(40, "20457 Hamburg")]),
        (200, HEADER),
        (220, [(40, "1"), (70, "100234"), (140, "Einweghandschuhe Nitril M"), (340, "20"), (380, "Karton"),
               (440, "12,50"), (510, "250,00")]),
        (235, [(40, "2"), (70, "100777"), (140, "Kabelbinder 200 mm schwarz"), (340, "1.000"), (380, "Stk"),
               (440, "0,05"), (510, "50,00")]),
        (250, [(140, "UV-beständig")]),
        (700, [(330, "Übertrag"), (510, "300,00")]),
    ]
    page2 = [
        (40, [(40, "Muster Handel GmbH"), (400, "Bestellnummer:"), (480, "B-2024-0815")]),
        (80, HEADER),
        (100, [(330, "Übertrag"), (510, "300,00")]),
        (120, [(40, "3"), (70, "200001"), (140, "Schutzbrille klar"), (340, "5"), (380, "Stk"), (440, "1.234,00"),
               (510, "6.170,00")]),
        (150, [(330, "Gesamtsumme netto"), (510, "6.470,00")]),
        (165, [(330, "Anzahl Positionen:"), (510, "3")]),
    ]
    return pdf_document([page1, page2])


def test_table_over_two_pages_skips_repeated_header_and_carried_forward_lines():
    order = extract_pdf(german_two_page_order())
    assert [line.line_no for line in order.lines] == [1, 2, 3]
    assert [line.customer_sku for line in order.lines] == ["100234", "100777", "200001"]
    assert [line.qty for line in order.lines] == [Decimal(20), Decimal(1000), Decimal(5)]
    assert order.lines[2].unit_price == Decimal("1234.00") and order.lines[2].line_total == Decimal("6170.00")
    assert order.lines[0].uom == "Karton"


def test_wrapped_description_line_joins_its_item():
    order = extract_pdf(german_two_page_order())
    assert order.lines[1].description == "Kabelbinder 200 mm schwarz UV-beständig"


def test_header_labels_dates_total_and_printed_count_are_read():
    order = extract_pdf(german_two_page_order())
    assert order.po_number == "B-2024-0815"
    assert order.order_date == "2024-03-12" and order.requested_delivery_date == "2024-03-28"
    assert order.order_total == Decimal("6470.00")
    assert order.printed_line_count == 3
    assert order.ship_to.postal_code == "20457" and order.ship_to.city == "Hamburg"
    assert order.provenance["po_number"].page == 1 and order.provenance["po_number"].bbox is not None
    assert 0 < order.confidence["po_number"] <= 1
    assert order.lines[0].provenance["qty"].bbox is not None


def test_english_layout_with_sku_in_brackets_and_us_dates():
    doc = pdf_document([[
        (40, [(40, "PURCHASE ORDER")]),
        (60, [(40, "PO Number"), (130, "PO-778")]),
        (75, [(40, "Order Date"), (130, "04/05/2024")]),
        (90, [(40, "Required by"), (130, "04/20/2024")]),
        (120, [(40, "Description"), (300, "Quantity"), (370, "Unit Price"), (470, "Amount")]),
        (140, [(40, "[WID-9] Widget large"), (310, "2"), (380, "1,250.00"), (470, "2,500.00")]),
        (160, [(300, "Total"), (470, "2,500.00 USD")]),
    ]])
    order = extract_pdf(doc)
    assert order.po_number == "PO-778" and order.order_date == "2024-04-05" and order.requested_delivery_date == "2024-04-20"
    [line] = order.lines
    assert (line.sku, line.description, line.qty, line.unit_price) == ("WID-9", "[WID-9] Widget large", Decimal(2), Decimal("1250.00"))
    assert order.order_total == Decimal("2500.00") and order.currency == "USD"


def test_header_split_over_two_lines_is_recognised():
    doc = pdf_document([[
        (40, [(40, "Bestelnummer: 5566")]),
        (100, [(250, "Aantal"), (330, "Prijs per"), (420, "Totaal")]),
        (111, [(40, "Omschrijving"), (330, "stuk")]),
        (130, [(40, "Schroef M4"), (260, "10"), (335, "0,20"), (420, "2,00")]),
    ]])
    order = extract_pdf(doc)
    [line] = order.lines
    assert (line.description, line.qty, line.unit_price, line.line_total) == ("Schroef M4", Decimal(10), Decimal("0.20"), Decimal("2.00"))
    assert order.po_number == "5566"


def test_layout_hint_relabels_a_column_and_changes_the_layout_reading():
    doc = pdf_document([[
        (100, [(40, "Code"), (120, "Item"), (300, "Qty")]),
        (120, [(40, "X-1"), (120, "Thing"), (305, "3")]),
    ]])
    plain = extract_pdf(doc)
    hinted = extract_pdf(doc, hints={"columns": {"Code": "sku"}})
    assert plain.lines[0].customer_sku == "X-1"
    assert hinted.lines[0].sku == "X-1" and hinted.lines[0].customer_sku is None
    assert plain.layout_key == hinted.layout_key or hinted.layout_key  # a key is always computed


def test_layout_hint_teaches_an_unknown_label_and_keeps_the_layout_key():
    doc = pdf_document([[
        (40, [(40, "Vorgang"), (120, "VG-2026-77")]),
        (100, [(40, "Bezeichnung"), (300, "Menge")]),
        (120, [(40, "Schraube"), (305, "3")]),
    ]])
    plain = extract_pdf(doc)
    hinted = extract_pdf(doc, hints={"labels": {"Vorgang": "po_number"}})
    assert plain.po_number is None
    assert hinted.po_number == "VG-2026-77"
    assert plain.layout_key == hinted.layout_key
