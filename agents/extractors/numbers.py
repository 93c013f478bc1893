"""Printed numbers to Decimal: decimal comma or point, thousands separators, currency signs.

The ambiguous case (`1.234` / `1,234`) is resolved by the document's own convention, which
`detect_decimal_separator` infers from unambiguous numbers elsewhere on the page, and then by
the document language.
"""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from typing import Iterable

CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "CNY", "￥": "CNY", "元": "CNY", "CHF": "CHF", "Fr.": "CHF"}
CURRENCY_CODES = {
    "EUR", "USD", "GBP", "CHF", "CNY", "RMB", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "JPY", "CAD",
    "AUD", "MXN", "BRL", "INR", "HKD", "SGD", "TRY", "ZAR", "RON", "BGN",
}
COMMA_LANGUAGES = {"de", "nl", "fr", "es", "it", "pt", "da", "sv", "pl", "cs"}

_STRIP = re.compile(r"(?i)(EUR|USD|GBP|CHF|CNY|RMB|SEK|NOK|DKK|PLN|JPY|CAD|AUD|€|\$|£|¥|￥|元|Fr\.)")
_NUMBER_CHARS = re.compile(r"^[+-]?[\d.,'’ \u00a0\u202f]*\d[\d.,'’ \u00a0\u202f]*-?$")
_EN_STYLE = re.compile(r"^\d{1,3}(,\d{3})+\.\d+$")
_DE_STYLE = re.compile(r"^\d{1,3}(\.\d{3})+,\d+$")
_SPACE_GROUPS = re.compile(r"^\d{1,3}([ '’\u00a0\u202f]\d{3})+([.,]\d+)?$")
_COMMA_DECIMAL = re.compile(r"^\d+,\d{1,2}$|^\d+,\d{4,}$")
_POINT_DECIMAL = re.compile(r"^\d+\.\d{1,2}$|^\d+\.\d{4,}$")


def detect_decimal_separator(tokens: Iterable[str]) -> str | None:
    """The decimal separator a document uses, from its unambiguous numbers; None when no evidence."""
    votes: Counter[str] = Counter()
    for raw in tokens:
        token = _STRIP.sub("", raw).strip().rstrip("-").lstrip("+-")
        if not token or not token[0].isdigit():
            continue
        if _EN_STYLE.match(token):
            votes["."] += 2
        elif _DE_STYLE.match(token):
            votes[","] += 2
        elif _COMMA_DECIMAL.match(token):
            votes[","] += 1
        elif _POINT_DECIMAL.match(token):
            votes["."] += 1
    if not votes:
        return None
    (best, count), *rest = votes.most_common()
    if rest and rest[0][1] == count:
        return None
    return best


def default_separator(language: str | None) -> str:
    """Decimal separator a language usually prints."""
    return "," if (language or "")[:2].lower() in COMMA_LANGUAGES else "."


def looks_numeric(text: str) -> bool:
    """True when the token is a printed number (possibly with currency sign or percent)."""
    token = _STRIP.sub("", text).strip().rstrip("%").strip()
    return bool(token) and bool(_NUMBER_CHARS.match(token))


def parse_number(text: str | None, decimal_sep: str | None = None) -> Decimal | None:
    """Parse a printed amount/quantity (`1.234,50 €`, `$6,547.55`, `12,5`, `1 200`) into Decimal."""
    if text is None:
        return None
    token = _STRIP.sub("", str(text)).replace("\u2212", "-").strip()
    token = token.replace(" ", " ").strip()
    negative = False
    if token.endswith("-") and len(token) > 1:
        negative, token = True, token[:-1].strip()
    if token.startswith("(") and token.endswith(")"):
        negative, token = True, token[1:-1]
    if token.startswith(("-", "+")):
        negative, token = token[0] == "-", token[1:].strip()
    if not token or not _NUMBER_CHARS.match(token) or not token[0].isdigit():
        return None
    if _SPACE_GROUPS.match(token):
        token = re.sub(r"[ '’\u00a0\u202f]", "", token)
    elif re.search(r"\d[ \u00a0\u202f]\d", token):
        return None  # two numbers side by side, not one
    token = token.replace("'", "").replace("’", "")
    dots, commas = token.count("."), token.count(",")
    if dots and commas:
        # The separator printed last is the decimal one.
        if token.rfind(",") > token.rfind("."):
            token = token.replace(".", "").replace(",", ".")
        else:
            token = token.replace(",", "")
    elif commas:
        token = _single_kind(token, ",", decimal_sep)
    elif dots:
        token = _single_kind(token, ".", decimal_sep)
    if token is None:
        return None
    try:
        value = Decimal(token)
    except InvalidOperation:
        return None
    return -value if negative else value


def _single_kind(token: str, sep: str, decimal_sep: str | None) -> str | None:
    parts = token.split(sep)
    if len(parts) > 2:
        # `1.234.567` or `1,234,567`: grouping only, when all groups have three digits.
        if all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3:
            return "".join(parts)
        return None
    head, tail = parts
    if len(tail) == 3 and 1 <= len(head) <= 3 and head != "0":
        # Ambiguous `1.234`: trust the document convention when known.
        if decimal_sep is None or decimal_sep != sep:
            return head + tail
        return head + "." + tail
    return head + "." + tail if tail else head


def normalise(value: Decimal | None) -> Decimal | None:
    """Drop meaningless trailing zeros in a quantity (`5.000` -> `5`) but keep a scale for money."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    normal = value.normalize()
    return normal if normal.as_tuple().exponent < 0 else value


def currency_in(text: str) -> str | None:
    """The ISO currency code a text mentions (code or sign), if exactly one kind appears."""
    found: set[str] = set()
    for code in re.findall(r"\b[A-Z]{3}\b", text):
        if code in CURRENCY_CODES:
            found.add("CNY" if code == "RMB" else code)
    for sign, code in CURRENCY_SIGNS.items():
        if len(sign) == 1 and sign in text:
            found.add(code)
    if re.search(r"\bCHF\b|\bFr\.\s?\d", text):
        found.add("CHF")
    if len(found) == 1:
        return found.pop()
    return None
