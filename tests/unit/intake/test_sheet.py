from datetime import date

from intake.documents import read_document
from tests.unit.intake.builders import make_xlsx


def test_xlsx_keeps_the_customers_column_names_and_finds_the_header_below_a_title():
    data = make_xlsx({"Bestellung": [
        ["Bestellung Nr. 4711"], [], ["Artikelnummer", "Bezeichnung", "Menge", "Einzelpreis"],
        ["A-1", "Schraube", 5, 12.5], ["B-2", "Mutter", 3, 0.1], [None, None, None, None],
    ]})
    doc = read_document("order.xlsx", data)
    assert doc.kind == "spreadsheet" and doc.readable
    table = doc.tables[0]
    assert table.header_row == 2
    assert table.rows[2] == ["Artikelnummer", "Bezeichnung", "Menge", "Einzelpreis"]
    assert table.rows[3] == ["A-1", "Schraube", "5", "12.5"] and table.rows[4][3] == "0.1"
    source = table.cell_sources[3][2]
    assert (source.part, source.sheet, source.line, source.column) == ("attachment:order.xlsx", "Bestellung", 3, 2)
    assert "Artikelnummer\tBezeichnung" in doc.text


def test_xlsx_dates_become_iso_and_every_sheet_is_read():
    data = make_xlsx({"One": [["SKU", "Date"], ["A", date(2025, 3, 4)]], "Two": [["x", "y"], ["1", "2"]]})
    doc = read_document("o.xlsx", data)
    assert [t.source.sheet for t in doc.tables] == ["One", "Two"]
    assert doc.tables[0].rows[1] == ["A", "2025-03-04"]


def test_corrupt_xlsx_is_unreadable_with_a_reason():
    data = make_xlsx({"S": [["a", "b"]]})
    doc = read_document("o.xlsx", data[: len(data) // 2])
    assert doc.status.startswith("unreadable: corrupt xlsx")


def test_csv_delimiter_and_charset_are_sniffed():
    data = "Artikel;Bezeichnung;Menge;Preis\nA-1;Größe M;5;12,50\nB-2;Mutter;3;1,00\n".encode("cp1252")
    doc = read_document("bestellung.csv", data, "text/csv")
    table = doc.tables[0]
    assert doc.meta["delimiter"] == ";"
    assert table.rows[1] == ["A-1", "Größe M", "5", "12,50"] and table.header_row == 0
    assert table.cell_sources[2][3].line == 2 and table.cell_sources[2][3].column == 3


def test_tab_separated_and_comma_files_with_quotes():
    tsv = read_document("o.tsv", b"sku\tqty\nA-1\t5\n")
    assert tsv.meta["delimiter"] == "\t" and tsv.tables[0].rows[1] == ["A-1", "5"]
    csv_doc = read_document("o.csv", b'sku,description,qty\nA-1,"Bolt, M8",5\n')
    assert csv_doc.tables[0].rows[1] == ["A-1", "Bolt, M8", "5"]


def test_header_row_is_found_after_preamble_lines_in_csv():
    data = b"Order 4711;;\nCustomer 12345;;\nItem;Qty;Price\nA-1;5;1.00\nB-2;7;2.00\n"
    assert read_document("o.csv", data).tables[0].header_row == 2
