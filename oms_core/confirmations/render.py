"""Render an order confirmation (subject, plain text, HTML) in the customer's language."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

LANGUAGES = ("de", "en", "nl", "fr", "zh")
DEFAULT_LANGUAGE = "en"
LOCALES = {"de": "de_DE", "en": "en_GB", "nl": "nl_NL", "fr": "fr_FR", "zh": "zh_CN"}
TEMPLATES = Path(__file__).with_name("templates")
REPLY_PREFIXES = ("re:", "aw:", "antw:", "sv:", "réf:", "回复:", "答复:")


def language_for(language: str | None) -> str:
    """One of LANGUAGES: 'de-AT' -> 'de'; unknown languages fall back to English."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def _to_decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _to_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _filters(language: str, currency: str) -> dict:
    locale = LOCALES[language]

    def qty(value):
        number = _to_decimal(value)
        return "" if number is None else format_decimal(number.normalize(), locale=locale,
                                                         decimal_quantization=False)

    def money(value):
        number = _to_decimal(value)
        return "" if number is None else format_currency(number, currency, locale=locale)

    def date(value):
        day = _to_date(value)
        return "" if day is None else format_date(day, format="medium", locale=locale)

    return {"qty": qty, "money": money, "date": date}


def reply_subject(original: str | None, fallback: str) -> str:
    """`Re: <original subject>` (not doubled); the fallback when there is nothing to answer."""
    if not original:
        return fallback
    if original.strip().lower().startswith(REPLY_PREFIXES):
        return original.strip()
    return f"Re: {original.strip()}"


def render_confirmation(order_view: Mapping[str, Any], language: str | None) -> tuple[str, str, str]:
    """(subject, text, html) for the confirmation of `order_view` (see view.confirmation_view)."""
    lang = language_for(language)
    env = _environment()
    currency = order_view.get("currency") or "EUR"
    context = {"order": order_view, "lines": order_view.get("lines") or [], "language": lang,
               "backorders": [line for line in order_view.get("lines") or []
                              if _to_decimal(line.get("backordered_qty"))],
               **_filters(lang, currency)}
    text = env.get_template("confirmation.txt.j2").render(context)
    html = env.get_template("confirmation.html.j2").render(context)
    wording = env.get_template(f"lang/{lang}.j2").module
    fallback = wording.subject % {"po": order_view.get("po_number") or order_view.get("reference")}
    reply_to = order_view.get("reply_to") or {}
    return reply_subject(reply_to.get("subject"), fallback), text, html
