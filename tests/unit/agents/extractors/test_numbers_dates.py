from decimal import Decimal

import pytest

from agents.extractors.dates import detect_date_order, parse_date
from agents.extractors.numbers import currency_in, detect_decimal_separator, parse_number


@pytest.mark.parametrize("text, sep, expected", [
    ("1.234,56", None, "1234.56"),
    ("1,234.56", None, "1234.56"),
    ("$6,547.55", None, "6547.55"),
    ("12,5", None, "12.5"),
    ("1 234,00 €", None, "1234.00"),
    ("1'234.50", None, "1234.50"),
    ("EUR 99,90", None, "99.90"),
    ("1.234", ",", "1234"),
    ("1.234", ".", "1.234"),
    ("1,234", ".", "1234"),
    ("1,234", ",", "1.234"),
    ("0,125", None, "0.125"),
    ("12,50-", None, "-12.50"),
])
def test_printed_numbers_are_read_with_their_separators(text, sep, expected):
    assert parse_number(text, sep) == Decimal(expected)


def test_words_and_two_numbers_are_not_a_number():
    assert parse_number("Stk") is None
    assert parse_number("12 34,5") is None


def test_decimal_separator_is_inferred_from_unambiguous_numbers():
    assert detect_decimal_separator(["1.234,50", "12,00", "3"]) == ","
    assert detect_decimal_separator(["1,500.00", "90.00"]) == "."
    assert detect_decimal_separator(["1.234"]) is None


def test_currency_is_recognised_from_sign_or_code():
    assert currency_in("Gesamt 1.234,00 €") == "EUR"
    assert currency_in("Total USD 12.00") == "USD"
    assert currency_in("no money here") is None


@pytest.mark.parametrize("text, order, language, expected", [
    ("21.03.2024", None, "de", "2024-03-21"),
    ("21.03.24", None, None, "2024-03-21"),
    ("7/27/2019", None, "en", "2019-07-27"),
    ("03/04/2024", "dmy", "en", "2024-04-03"),
    ("03/04/2024", None, "en", "2024-03-04"),
    ("2024-03-21", None, None, "2024-03-21"),
    ("21. März 2024", None, "de", "2024-03-21"),
    ("March 21, 2024", None, "en", "2024-03-21"),
    ("21 maart 2024", None, "nl", "2024-03-21"),
    ("le 21 mars 2024", None, "fr", "2024-03-21"),
    ("21 de marzo de 2024", None, "es", "2024-03-21"),
    ("2024年3月21日", None, "zh", "2024-03-21"),
    ("21-03-2024", None, "nl", "2024-03-21"),
    ("KW 12/2024", None, "de", "2024-03-18"),
])
def test_local_date_formats_become_iso(text, order, language, expected):
    assert parse_date(text, order, language) == expected


def test_date_order_is_inferred_from_a_day_above_twelve():
    assert detect_date_order(["Date 27/07/2019", "Due 03/08/2019"]) == "dmy"
    assert detect_date_order(["7/27/2019"]) == "mdy"
