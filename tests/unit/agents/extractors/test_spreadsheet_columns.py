import pytest

from agents.extractors.sheet_columns import column_role, is_net
from agents.extractors.sheet_table import find_header, sheet_date


@pytest.mark.parametrize("header, role", [
    ("Bestellmenge", "qty"), ("Req qty", "qty"), ("Aantal", "qty"), ("Qté", "qty"), ("需求数量", "qty"),
    ("Cantidad", "qty"),
    ("Nettopreis", "unit_price"), ("Preis netto", "unit_price"), ("PU net", "unit_price"), ("净价", "unit_price"),
    ("Preis/Einheit", "unit_price"), ("stukprijs", "unit_price"),
    ("Gesamtpreis", "line_total"), ("Positionswert", "line_total"), ("Ext value", "line_total"), ("金额", "line_total"),
    ("Materialkurztext", "description"), ("Libellé", "description"), ("品名", "description"),
    ("Preiseinheit", "price_unit"), ("Kostenstelle", "other"), ("成本中心", "other"),
    ("Wunschtermin", "delivery_date"), ("Date besoin", "delivery_date"), ("需求日期", "delivery_date"),
    ("EAN", "gtin"), ("ME", "uom"), ("Eenh", "uom"), ("Zeile", "line_no"), ("行", "line_no"),
])
def test_a_header_cell_is_named_by_its_words_compounds_included(header, role):
    assert column_role(header).role == role


@pytest.mark.parametrize("header, role", [
    ("Lief.-Artikel", "sku"), ("Ihre Artikelnummer", "sku"), ("Vendor item", "sku"), ("uw artikelnr.", "sku"),
    ("Réf. fournisseur", "sku"), ("供方货号", "sku"), ("Artikelnummer Lieferant", "sku"),
    ("Sachnummer", "customer_sku"), ("Our code", "customer_sku"), ("Kundenmaterial", "customer_sku"),
    ("Ons artikel", "customer_sku"), ("Code interne", "customer_sku"), ("我司料号", "customer_sku"),
    ("Material", "customer_sku"),
    ("Artikelnr.", "item_code"), ("Art.-Nr.", "item_code"), ("货号", "item_code"),
])
def test_article_columns_are_told_apart_by_whose_number_the_header_says_it_is(header, role):
    assert column_role(header).role == role


def test_a_sentence_that_mentions_a_price_is_not_a_price_column():
    assert column_role("Bitte beachten Sie, dass sich der Preis nach der Menge richtet").role is None


def test_net_prices_are_recognised_in_several_languages():
    assert is_net("Preis netto") and is_net("Net price") and is_net("净价") and not is_net("Listenpreis")


def test_the_header_row_below_a_title_block_wins_over_the_labels_above_it():
    grid = [
        ["Bestellung", "", "Muster GmbH"],
        ["Bestellnummer", "4711", ""],
        ["Datum", "01.02.2026", ""],
        ["", "", ""],
        ["Pos", "Artikel", "Bezeichnung", "Menge", "Preis"],
        ["1", "A-1", "Schraube", "5", "1,20"],
        ["2", "A-2", "Mutter", "7", "0,50"],
    ]
    rows, roles, _ = find_header(grid)
    assert rows == [4]
    assert {role for role, _ in roles.values()} >= {"line_no", "item_code", "description", "qty", "unit_price"}


def test_no_header_is_found_in_a_sheet_without_order_columns():
    assert find_header([["Name", "Telefon"], ["Anna", "0123"], ["Bernd", "0456"]]) is None


def test_cell_dates_are_read_from_iso_text_printed_words_and_excel_serials():
    assert sheet_date("2026-12-28", None, "de") == "2026-12-28"
    assert sheet_date("Montag, 28.12.2026", None, "de") == "2026-12-28"
    assert sheet_date("21 janv. 2027", None, "fr") == "2027-01-21"
    assert sheet_date("46384", None, None) == "2026-12-28"
    assert sheet_date("", None, None) is None
