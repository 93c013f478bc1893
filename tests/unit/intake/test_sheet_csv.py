from intake.documents import read_document
from intake.documents.delimited import sniff_delimiter


def test_a_semicolon_csv_with_preamble_lines_and_decimal_commas_is_split_on_semicolons():
    text = ("Bestellnummer;77120\n"
            "Datum;Dienstag, 03.03.2026\n"
            "Lieferung an: Muster AG, Hauptstr. 1, 12345 Musterstadt\n"
            "Pos;Artikel;Bezeichnung;Menge;Preis;Wert\n"
            "1;A-1;Schraube M6, verzinkt;10;1,25;12,50\n"
            "2;A-2;Mutter M6;20;0,10;2,00\n")
    doc = read_document("po.csv", text.encode("utf-8"), "text/csv")
    table = doc.tables[0]
    assert doc.meta["delimiter"] == ";"
    assert table.header_row == 3
    assert table.rows[4] == ["1", "A-1", "Schraube M6, verzinkt", "10", "1,25", "12,50"]


def test_the_excel_sep_line_names_the_delimiter_and_is_not_a_row():
    doc = read_document("po.csv", b"sep=|\nItem|Qty\nA,1|5\n", "text/csv")
    assert doc.meta["delimiter"] == "|"
    assert doc.tables[0].rows == [["Item", "Qty"], ["A,1", "5"]]


def test_a_comma_csv_with_quoted_commas_stays_a_comma_csv():
    text = 'sku,description,qty\nA-1,"Bolt, M6",5\nA-2,"Nut, M6",7\n'
    assert sniff_delimiter(text) == ","


def test_a_tab_separated_export_with_commas_in_the_text_is_split_on_tabs():
    text = "Item\tDescription\tQty\tPrice\nA-1\tBolt, M6, zinc\t5\t1,20\nA-2\tNut, M6\t7\t0,40\n"
    assert sniff_delimiter(text) == "\t"
