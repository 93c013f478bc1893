"""Local date formats (de/en/nl/fr/es/zh and ISO/EDI) to ISO dates.

Numeric dates are ambiguous (03/04/2024); `detect_date_order` infers day-first or month-first
from the document's unambiguous dates, then the language decides (only US English is month-first).
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Iterable

MONTHS: dict[str, int] = {}
for _n, _names in enumerate(
    [
        "january jan januar jän jänner januari janvier janv enero ene",
        "february feb februar februari février fevrier févr fevr febrero",
        "march mar märz maerz mrz maart mrt mars marzo",
        "april apr avril avr abril abr",
        "may mai mei mayo",
        "june jun juni juin junio",
        "july jul juli juillet juil julio",
        "august aug augustus août aout agosto ago",
        "september sep sept septembre septiembre setiembre",
        "october oct oktober okt octobre octubre",
        "november nov novembre noviembre",
        "december dec dezember dez décembre decembre déc diciembre dic",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _n

_MONTH_WORD = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_YMD_SLASH = re.compile(r"(?<!\d)(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d.,])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d])")
_ZH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_DAY_MONTH_NAME = re.compile(
    rf"(?i)(?<!\w)(\d{{1,2}})(?:\.|er|st|nd|rd|th|º)?\s*(?:de\s+)?({_MONTH_WORD})\.?,?\s*(?:de\s+)?(\d{{4}})(?!\d)"
)
_MONTH_NAME_DAY = re.compile(rf"(?i)(?<!\w)({_MONTH_WORD})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)")
# "21-Jan-2027", "21/jan/27": day, month word and year joined by dashes or slashes
_DAY_MON_DASH = re.compile(rf"(?i)(?<![\w.,])(\d{{1,2}})([-/])({_MONTH_WORD})\.?\2(\d{{4}}|\d{{2}})(?![\w])")
_COMPACT = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")
_WEEK = re.compile(r"(?i)\b(?:KW|CW|week|wk|semaine|semana|sem\.?|week)\s*(\d{1,2})\s*[/.-]?\s*(\d{4})?")


def _make(y: int, m: int, d: int) -> date | None:
    if y < 100:
        y += 2000
    try:
        return date(y, m, d)
    except ValueError:
        return None


# A delivery verb after the date: "29.12.2026 an unserem Standort eintreffen", "2026/12/24 前送到".
_DELIVERY_AFTER = re.compile(
    r"(?i)\b(?:eintreffen|eintrifft|einzutreffen|ankommen|anliefern|geliefert|zu liefern|arrive|arrives|arriving"
    r"|livrée?s?|geleverd|te leveren|entregad[oa]s?)\b|前(?:送到|送达|到货|交货|交付|发货)")


# A delivery word before the date: "bitte bis 15.04.2024 liefern", "to arrive Jan 4", "needed 26-Oct-2026".
_DELIVERY_BEFORE = re.compile(
    r"(?i)(?:liefer\w*|deliver\w*|bis\b|bis zum|by|before|no later than|until|livr\w*|avant le|avant|entrega\w*|antes del?"
    r"|lever\w*|uiterlijk|vóór|voor|spätestens|交货|送达|到货|交期|需求日期|\bpour le\b|d[ée]lai|souhait\w*|au plus tard"
    r"|need(?:ed)?(?: by)?|required(?: by)?|wunschtermin|termin\w*|arriv\w*|请于|须于)")


def delivery_context(text: str, pos: int) -> bool:
    """True when the date starting at `pos` is named as a delivery date by the words around it."""
    return _DELIVERY_BEFORE.search(text, max(0, pos - 40), pos) is not None or delivery_verb_after(text, pos)


def delivery_verb_after(text: str, pos: int, span: int = 60) -> bool:
    """True when a delivery verb follows the date starting at `pos` within `span` characters."""
    return _DELIVERY_AFTER.search(text, pos, pos + span) is not None


def detect_date_order(texts: Iterable[str]) -> str | None:
    """'dmy' or 'mdy' from unambiguous numeric dates in the texts (first part > 12 or second > 12)."""
    dmy = mdy = 0
    for text in texts:
        for a, _, b, _y in _NUMERIC.findall(text):
            a, b = int(a), int(b)
            if a > 12 >= b:
                dmy += 1
            elif b > 12 >= a:
                mdy += 1
    if dmy > mdy:
        return "dmy"
    if mdy > dmy:
        return "mdy"
    return None


def default_order(language: str | None, separator: str = "/") -> str:
    """Day-first everywhere except US-style English slashes."""
    if (language or "").lower().startswith("en") and separator == "/":
        return "mdy"
    return "dmy"


def find_dates(text: str, order: str | None = None, language: str | None = None) -> list[tuple[int, date]]:
    """Every date in a text as (position, date), in reading order."""
    found: list[tuple[int, int, date]] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match, value: date | None) -> None:
        if value is None:
            return
        span = match.span()
        if any(s < span[1] and span[0] < e for s, e in taken):
            return
        taken.append(span)
        found.append((span[0], span[1], value))

    for m in _ZH.finditer(text):
        add(m, _make(int(m[1]), int(m[2]), int(m[3])))
    for m in _ISO.finditer(text):
        add(m, _make(int(m[1]), int(m[2]), int(m[3])))
    for m in _YMD_SLASH.finditer(text):
        add(m, _make(int(m[1]), int(m[2]), int(m[3])))
    for m in _DAY_MONTH_NAME.finditer(text):
        add(m, _make(int(m[3]), MONTHS[m[2].lower()], int(m[1])))
    for m in _DAY_MON_DASH.finditer(text):
        add(m, _make(int(m[4]), MONTHS[m[3].lower()], int(m[1])))
    for m in _MONTH_NAME_DAY.finditer(text):
        add(m, _make(int(m[3]), MONTHS[m[1].lower()], int(m[2])))
    for m in _NUMERIC.finditer(text):
        a, sep, b, y = int(m[1]), m[2], int(m[3]), int(m[4])
        chosen = "dmy" if sep in ".-" else (order or default_order(language, sep))
        if a > 12:
            chosen = "dmy"
        elif b > 12:
            chosen = "mdy"
        value = _make(y, b, a) if chosen == "dmy" else _make(y, a, b)
        add(m, value)
    for m in _COMPACT.finditer(text):
        add(m, _make(int(m[1]), int(m[2]), int(m[3])))
    for m in _WEEK.finditer(text):
        week = int(m[1])
        year = int(m[2]) if m[2] else None
        if year and 1 <= week <= 53:
            try:
                add(m, date.fromisocalendar(year, week, 1))
            except ValueError:
                pass
    found.sort()
    return [(start, value) for start, _, value in found]


def parse_date(text: str | None, order: str | None = None, language: str | None = None) -> str | None:
    """The first date in a text as an ISO string, or None."""
    if not text:
        return None
    dates = find_dates(text, order, language)
    return dates[0][1].isoformat() if dates else None


def week_monday(year: int, week: int) -> date:
    """Monday of an ISO calendar week (German 'KW 12')."""
    return date.fromisocalendar(year, week, 1)


def plausible(value: str | None, reference: date | None = None) -> bool:
    """A date within 2 years before / 3 years after the reference (guards against misreads)."""
    if not value:
        return False
    ref = reference or date.today()
    parsed = date.fromisoformat(value)
    return ref - timedelta(days=3 * 365) <= parsed <= ref + timedelta(days=4 * 365)
