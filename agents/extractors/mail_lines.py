"""Mail-body helpers: where the order text ends (signature, disclaimer) and delimited item rows.

A mail body carries the order between the greeting and the closing; everything after the
closing formula or the "-- " signature separator (names, postal addresses, phone numbers,
legal notices) must never be read as order lines.
"""
from __future__ import annotations

import re
from decimal import Decimal

from agents.schema import ExtractedLine, Provenance
from agents.extractors.common import set_line
from agents.extractors.numbers import parse_number
from agents.extractors.units import UNIT_WORDS

# Whole-line closing formulas (optionally followed by "," or "!"): the signature starts here.
_CLOSING = re.compile(
    r"(?i)^\s*(?:(?:best|kind|warm|many|with best)\s+regards|regards|best|cheers|thanks(?:\s+(?:in advance|a lot))?"
    r"|thank you(?:\s+in advance)?|many thanks|sincerely|yours(?: sincerely| faithfully| truly)?"
    r"|(?:mit\s+)?freundlichen?\s+gr[üu](?:ß|ss)en|mfg|viele\s+gr[üu](?:ß|ss)e|beste\s+gr[üu](?:ß|ss)e|sch[öo]ne\s+gr[üu](?:ß|ss)e"
    r"(?:\s+aus\s+[\w\s]+)?|liebe\s+gr[üu](?:ß|ss)e|gru(?:ß|ss)|danke(?:\s+im\s+voraus)?|vielen\s+dank"
    r"|met\s+vriendelijke\s+groet(?:en)?|vriendelijke\s+groet(?:en)?|mvg|groeten|groet|alvast\s+bedankt|bedankt"
    r"|cordialement|bien\s+cordialement|salutations(?:\s+distingu[ée]es)?|bien\s+[àa]\s+vous|merci(?:\s+d'avance|\s+d’avance)?"
    r"|meilleures\s+salutations|atentamente|saludos(?:\s+cordiales)?|un\s+saludo|gracias"
    r"|此致(?:\s*敬礼)?|敬礼|谢谢|顺祝商祺|祝好)\s*[,!.。，]?\s*$")
_SIG_RULE = re.compile(r"^\s*(?:--|—|__)\s*$")
# Lines that are contact details or legal boilerplate wherever they stand.
_CONTACT = re.compile(
    r"(?i)^\s*(?:tel(?:efon|ephone)?\.?|phone|fax|telefax|mob(?:il|ile)?\.?|mobile|cell|handy|gsm|e-?mail|mail|web|www\.|https?://"
    r"|电话|手机|传真|邮箱)\b|^\s*www\.|^\s*\+?\d[\d ()/-]{7,}\s*$")
_DISCLAIMER = re.compile(
    r"(?i)confidential|vertraulich|vertrouwelijk|confidentiel|bestemd voor de geadresseerde|registered (?:in|office)"
    r"|handelsregister|amtsgericht|gesch[äa]ftsf[üu]hrer|rcs\b|capital de|kvk\b|siret|disclaimer|保密")


def order_text(text: str) -> str:
    """The part of a mail body that can hold the order: before the signature, without contact lines."""
    kept: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if _SIG_RULE.match(raw) or (kept and _CLOSING.match(line)):
            break
        if _CONTACT.match(line) or (len(line) > 60 and _DISCLAIMER.search(line)):
            kept.append("")  # keep line numbers stable for provenance
            continue
        kept.append(raw)
    return "\n".join(kept)


_CURRENCY = r"(?:EUR|USD|GBP|CHF|CNY|RMB|SEK|NOK|DKK|PLN|€|\$|£|¥|元)"
_NUM = r"\d{1,3}(?:[.,' ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_QTY_UNIT = re.compile(rf"(?i)^(?P<qty>{_NUM})\s*(?P<unit>[^\d\s][\w().]*)?\s*$")
_MONEY = re.compile(rf"(?i)^(?:{_CURRENCY}\s*)?(?P<n>{_NUM})\s*(?:{_CURRENCY})?(?:\s*(?:/|per|je|pro|par)\s*\w+\.?)?$")
_HAS_CURRENCY = re.compile(rf"(?i){_CURRENCY}")
_CODE = re.compile(r"^(?=[^\s]*\d)(?=[^\s]*[A-Za-z-])[A-Za-z0-9][A-Za-z0-9\-./_]{2,}$")
_SPLIT = re.compile(r"\s*[;|\t]\s*")


def _is_unit(word: str | None) -> bool:
    return bool(word) and word.lower().rstrip(".") in UNIT_WORDS or (word or "").lower() in UNIT_WORDS


def _delimited_row(cells: list[str], sep: str) -> dict | None:
    """Field roles of one "10; KIT-9007; Seal kit; 4 pce; 160,16 EUR" row, by what each cell looks like."""
    row: dict = {}
    money: list[Decimal] = []
    i = 0
    if len(cells) >= 4 and re.fullmatch(r"\d{1,4}", cells[0]):
        row["line_no"] = int(cells[0])
        i = 1
    while i < len(cells):
        cell = cells[i].strip()
        nxt = cells[i + 1].strip() if i + 1 < len(cells) else ""
        qty = _QTY_UNIT.match(cell)
        if "qty" not in row and qty and not _HAS_CURRENCY.search(cell) and (
                _is_unit(qty.group("unit")) or (qty.group("unit") is None and _is_unit(nxt))):
            row["qty"] = parse_number(qty.group("qty"), sep)
            row["uom"] = qty.group("unit") or nxt
            i += 1 if qty.group("unit") else 2
            continue
        m = _MONEY.match(cell)
        if m and ("qty" in row or _HAS_CURRENCY.search(cell)) and parse_number(m.group("n"), sep) is not None:
            money.append(parse_number(m.group("n"), sep))
        elif "sku" not in row and "description" not in row and _CODE.match(cell):
            row["sku"] = cell
        elif re.search(r"[^\W\d_]", cell) and "description" not in row:
            row["description"] = cell
        elif cell:
            return None  # an unexplained cell: not an item row
        i += 1
    if not row.get("qty") or not (row.get("sku") or row.get("description")):
        return None
    if money:
        row["unit_price"] = money[0]
    if len(money) > 1:
        row["line_total"] = money[-1]
    return row


def delimited_lines(text: str, part: str, sep: str) -> list[ExtractedLine]:
    """Items written as semicolon-, pipe- or tab-separated rows, one per line (header rows skipped)."""
    lines: list[ExtractedLine] = []
    for number, raw in enumerate(text.split("\n")):
        cells = [c for c in _SPLIT.split(raw.strip().strip(";|")) if c != ""] if re.search(r"[;|\t]", raw) else []
        if len(cells) < 3:
            continue
        row = _delimited_row(cells, sep)
        if row is None:
            continue
        prov = Provenance(part=part, line=number)
        item = ExtractedLine()
        for name in ("sku", "description", "qty", "uom", "unit_price", "line_total"):
            if row.get(name) is not None:
                set_line(item, name, row[name], 0.85, prov)
        if row.get("line_no") is not None:
            item.line_no = row["line_no"]
        lines.append(item)
    if len(lines) < 1:
        return []
    numbers = [item.line_no for item in lines]
    if any(n is None for n in numbers) or len(set(numbers)) != len(numbers):
        for i, item in enumerate(lines, start=1):
            item.line_no = i
    return lines
