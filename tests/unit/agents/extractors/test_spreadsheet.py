from datetime import date
from decimal import Decimal

from agents.extractors.spreadsheet import extract_sheet
from intake.documents import read_document
from tests.unit.agents.extractors.helpers import sheet_document
from tests.unit.intake.builders import make_xlsx


def _lines(order):
    return [(ln.line_no, ln.sku, ln.customer_sku, ln.qty, ln.uom, ln.unit_price, ln.line_total) for ln in order.lines]


def test_an_xlsx_with_a_title_block_extra_columns_and_a_totals_row_is_read_completely():
    data = make_xlsx({"Bestellung": [
        ["Einkaufsauftrag", None, None, "Beispiel Werke AG"],
        [],
        ["Bestellnummer", "EA-20931"],
        ["Bestelldatum", date(2026, 3, 2)],
        ["Einkäufer", "K. Lorenz"],
        [],
        ["Position", "Teilenummer", "Ihre Art.-Nr.", "Benennung", "Bestellmenge", "Mengeneinheit", "Nettopreis",
         "Positionswert", "Kostenträger", "Bedarfstermin"],
        [1, "T-100-7", "XY-501", "Passfeder 8x7x40", 40, "Stk", 0.84, 33.6, "K-17", date(2026, 4, 20)],
        [2, None, "XY-777", "Zylinderstift 6m6x30", 250, "Stk", 0.0312, 7.8, "K-17", date(2026, 4, 20)],
        [3, "T-555-1", None, "Sonderteil nach Zeichnung", 2, "Stk", 145, 290, "K-17", date(2026, 4, 20)],
        [],
        [None, None, None, "Summe", None, None, None, 331.4],
    ]})
    order = extract_sheet(read_document("EA-20931.xlsx", data))
    assert order.po_number == "EA-20931" and order.order_date == "2026-03-02"
    assert _lines(order) == [
        (1, "XY-501", "T-100-7", Decimal(40), "Stk", Decimal("0.84"), Decimal("33.6")),
        (2, "XY-777", None, Decimal(250), "Stk", Decimal("0.0312"), Decimal("7.8")),
        (3, None, "T-555-1", Decimal(2), "Stk", Decimal(145), Decimal(290)),
    ]
    assert order.order_total == Decimal("331.4") and order.confidence["order_total"] >= 0.9
    assert order.requested_delivery_date == "2026-04-20"
    assert order.printed_line_count == 3
    prov = order.lines[1].provenance["unit_price"]
    assert (prov.part, prov.line, prov.column) == ("attachment:EA-20931.xlsx", 8, 6)
    assert all(ln.confidence["qty"] >= 0.95 for ln in order.lines)


def test_a_csv_with_preamble_lines_decimal_commas_and_chinese_headers_is_read():
    text = ("采购单号\tZX-88120\n"
            "日期\t2026/05/06\n"
            "\n"
            "序号\t我方料号\t供应商料号\t物料名称\t采购数量\t单位\t不含税单价\t行金额\n"
            "1\tM-0091\tAB-1234\t轴承 6204\t1.200\t件\t1,05\t1.260,00\n"
            "2\tM-0092\t\t密封圈 40x3\t30\t件\t0,40\t12,00\n"
            "合计\t\t\t\t\t\t\t1.272,00\n")
    order = extract_sheet(read_document("zx.csv", text.encode("utf-8"), "text/csv"))
    assert order.po_number == "ZX-88120" and order.order_date == "2026-05-06"
    assert _lines(order) == [
        (1, "AB-1234", "M-0091", Decimal(1200), "件", Decimal("1.05"), Decimal("1260.00")),
        (2, None, "M-0092", Decimal(30), "件", Decimal("0.40"), Decimal("12.00")),
    ]
    assert order.order_total == Decimal("1272.00")


def test_a_value_written_under_its_label_is_found_and_the_printed_net_total_is_preferred():
    grid = [
        ["Purchase order", "", "Buyer"],
        ["PO-55-1", "", "R. Miles"],
        ["", "", ""],
        ["Line", "Item", "Description", "Quantity", "Unit price", "Amount"],
        ["1", "QQ-1", "Washer M8", "100", "0.05", "5.00"],
        ["2", "QQ-2", "Nut M8", "100", "0.07", "7.00"],
        ["", "", "Subtotal", "", "", "12.00"],
        ["", "", "VAT 20%", "", "", "2.40"],
        ["", "", "Total", "", "", "14.40"],
    ]
    order = extract_sheet(sheet_document(grid, "po.xlsx"))
    assert order.po_number == "PO-55-1"
    assert [ln.qty for ln in order.lines] == [Decimal(100), Decimal(100)]
    assert order.order_total == Decimal("12.00")


def test_a_generic_article_column_is_offered_as_both_numbers_with_lower_confidence():
    grid = [["Art.-Nr.", "Bezeichnung", "Menge", "Preis"], ["K-4410", "Keilriemen", "3", "12,00"]]
    line = extract_sheet(sheet_document(grid)).lines[0]
    assert line.sku == line.customer_sku == "K-4410"
    assert line.confidence["sku"] < 0.9 and line.confidence["customer_sku"] < 0.9


def test_a_two_row_header_with_a_merged_price_cell_is_understood():
    grid = [
        ["Pos", "Artikel", "", "Menge", "Preis", ""],
        ["", "Nr.", "Bezeichnung", "", "je Stück", "gesamt"],
        ["1", "R-77", "Rohrschelle 32", "10", "2,50", "25,00"],
        ["2", "R-78", "Rohrschelle 40", "4", "3,00", "12,00"],
    ]
    order = extract_sheet(sheet_document(grid))
    assert [(ln.description, ln.qty, ln.unit_price, ln.line_total) for ln in order.lines] == [
        ("Rohrschelle 32", Decimal(10), Decimal("2.50"), Decimal("25.00")),
        ("Rohrschelle 40", Decimal(4), Decimal("3.00"), Decimal("12.00")),
    ]


def test_a_quantity_column_with_an_unknown_name_is_found_by_the_arithmetic():
    grid = [
        ["Artikelnummer", "Bezeichnung", "Bestellt", "Einzelpreis", "Zeilenbetrag"],
        ["P-1", "Platte", "6", "4,00", "24,00"],
        ["P-2", "Winkel", "3", "1,50", "4,50"],
    ]
    order = extract_sheet(sheet_document(grid))
    assert [ln.qty for ln in order.lines] == [Decimal(6), Decimal(3)]


def test_excel_serial_dates_and_text_numbers_with_thousands_separators_are_converted():
    grid = [
        ["Pos.", "Art.-Nr. Lieferant", "Bezeichnung", "Menge", "EP", "Betrag", "Liefertermin"],
        ["10", "S-1", "Stahlrohr", "1.500", "1,2345", "1.851,75", "46384"],
    ]
    line = extract_sheet(sheet_document(grid)).lines[0]
    assert (line.qty, line.unit_price, line.line_total, line.delivery_date) == (
        Decimal(1500), Decimal("1.2345"), Decimal("1851.75"), "2026-12-28")


def test_an_item_row_with_an_unreadable_quantity_is_kept_with_zero_confidence():
    grid = [["Artikel", "Bezeichnung", "Menge", "Preis"], ["A-1", "Lager", "5", "2,00"], ["A-2", "Dichtung", "fünf", "1,00"]]
    order = extract_sheet(sheet_document(grid))
    assert order.printed_line_count == 2
    assert order.lines[1].qty is None and order.lines[1].confidence["qty"] == 0.0


def test_repeated_headers_blank_rows_and_notes_between_items_are_skipped():
    grid = [
        ["Item", "Description", "Qty", "Price"],
        ["X-1", "Bolt", "2", "1.00"],
        ["", "", "", ""],
        ["Item", "Description", "Qty", "Price"],
        ["X-2", "Screw", "3", "2.00"],
        ["Please deliver to gate 4", "", "", ""],
    ]
    order = extract_sheet(sheet_document(grid))
    assert [(ln.customer_sku, ln.qty) for ln in order.lines] == [("X-1", Decimal(2)), ("X-2", Decimal(3))]


def test_a_sheet_without_recognisable_columns_says_so_and_caps_its_confidence():
    grid = [["Foo", "Bar", "Baz"], ["alpha", "12", "3"], ["beta", "7", "4"]]
    order = extract_sheet(sheet_document(grid))
    assert any("sheet not understood" in w for w in order.warnings)
    assert all(v <= 0.5 for ln in order.lines for v in ln.confidence.values())


def test_a_totals_row_with_its_label_in_the_description_column_and_a_quantity_sum_is_no_item():
    grid = [
        ["Artikel", "Bezeichnung", "Menge", "Preis", "Gesamt"],
        ["A-1", "Lager", "5", "2,00", "10,00"],
        ["A-2", "Dichtung", "10", "1,00", "10,00"],
        ["", "Summe", "15", "", "20,00"],
    ]
    order = extract_sheet(sheet_document(grid))
    assert len(order.lines) == 2 and order.order_total == Decimal("20.00")


def test_header_values_written_under_a_row_of_labels_are_paired_by_column():
    grid = [
        ["Bestellnummer", "Bestelldatum", "Liefertermin"],
        ["B-7788", "03.02.2026", "01.03.2026"],
        [],
        ["Artikel", "Bezeichnung", "Menge", "Preis"],
        ["A-1", "Scheibe", "1", "2,00"],
    ]
    order = extract_sheet(sheet_document(grid))
    assert (order.po_number, order.order_date, order.requested_delivery_date) == ("B-7788", "2026-02-03", "2026-03-01")
    assert order.provenance["order_date"].column == 1 and order.provenance["order_date"].line == 1
