"""Rows that are not items: totals, carried-forward lines, line counts, page footers."""
from __future__ import annotations

import re
from decimal import Decimal

from agents.extractors.labels import TOTAL_LABELS, match_vocab, norm
from agents.extractors.layout import Row
from agents.extractors.numbers import looks_numeric, parse_number

_TAX_WORDS = {"tax", "taxes", "vat", "mwst", "ust", "btw", "tva", "iva", "增值税", "税额", "税"}


_PAGE_FOOTER = re.compile(
    r"(?i)^\s*(?:page|seite|pagina|página|pag\.?|blatt|p\.)\s*\d+\s*(?:/|of|von|van|sur|de|di)\s*\d+\s*$"
    r"|^\s*第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?\s*$|^\s*\d+\s*/\s*\d+\s*$")


def _is_page_footer(row: Row) -> bool:
    return bool(_PAGE_FOOTER.match(" ".join(t.text for t in row.tokens)))


def _row_label(row: Row, vocab) -> str | None:
    text = " ".join(t.text for t in row.tokens if not looks_numeric(t.text))
    if not text.strip() or len(norm(text)) > 60:
        return None
    key, score = match_vocab(text, vocab)
    return key if key else None


def total_candidate(row: Row, sep: str | None) -> tuple[str, bool, Decimal, Row] | None:
    """(net|gross, label is exact, amount, row) for a totals line; tax lines are not totals."""
    words = [t.text for t in row.tokens if not looks_numeric(t.text) and t.text.strip() not in "€$£%"]
    text = _NUMBER_IN_TEXT.sub(" ", " ".join(words))
    n = norm(text)
    if not n or len(n) > 50 or set(n.split()) & _TAX_WORDS and "excl" not in n and "without" not in n and "sin" not in n:
        return None
    key, score = match_vocab(text, TOTAL_LABELS)
    numbers = _numbers(row, sep)
    if not key or not numbers:
        return None
    return key, score >= 100, numbers[-1], row


_NUMBER_IN_TEXT = re.compile(r"(?<![\w.,])[-+]?\d[\d.,' ]*\d(?![\w])|(?<![\w.,])\d(?![\w.,])")


def _numbers(row: Row, sep: str | None) -> list[Decimal]:
    values = []
    for tok in row.tokens:
        value = parse_number(tok.text, sep)
        if value is not None:
            values.append(value)
            continue
        for m in _NUMBER_IN_TEXT.finditer(tok.text):
            value = parse_number(m.group().strip(), sep)
            if value is not None:
                values.append(value)
    return values
