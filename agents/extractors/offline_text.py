"""Orders in mail bodies: pasted tables, label/value lines, and orders written as prose.

Only the newest part of a reply is read (intake separates the quoted history); a forwarded
order arrives as its own Document and is read the same way.
"""
from __future__ import annotations

import re
from decimal import Decimal

from agents.schema import ExtractedLine, ExtractedOrder, Provenance
from agents.extractors.common import set_field, set_line
from agents.extractors.dates import delivery_context, find_dates
from agents.extractors.labels import norm
from agents.extractors.mail_lines import delimited_lines, order_text
from agents.extractors.layout import rows_from_table, rows_from_text
from agents.extractors.numbers import parse_number
from agents.extractors.offline_pdf import assemble, document_conventions, reindex
from agents.extractors.units import UNIT_WORDS, canonical_unit
from intake.model import Document

_UNIT_ALT = "|".join(sorted((re.escape(u) for u in UNIT_WORDS if len(u) > 1 or u in {"x", "m", "l", "g", "u"}),
                            key=len, reverse=True))
_CJK_UNITS = "箱|件|个|只|台|套|包|卷|双|对|支|片|盒|托|公斤|千克|米"
_QTY = r"(?P<qty>\d{1,3}(?:[.,' ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
_QTY_FIRST = re.compile(
    rf"(?i)(?<![\w.,/-]){_QTY}\s*(?:(?P<unit>{_UNIT_ALT})\.?(?![\w])|(?P<cjk>{_CJK_UNITS}))\s*(?:x\s+|×\s*)?"
    r"(?:(?:of|von|de|van|du|des|d'|del)\s+)?(?P<rest>[^\n;]*)")
_CODE_FIRST = re.compile(
    rf"(?i)^\s*(?:[-*•·]\s*)?(?:(?:art(?:ikel)?\.?[- ]?(?:nr|no)\.?|sku|item|ref|réf|code|artikel|货号|料号)\s*[:#]?\s*)?"
    rf"(?P<code>(?=[A-Z0-9\-./_]*[A-Z\-])[A-Z0-9][A-Z0-9\-./_]*\d[A-Z0-9\-./_]*|[A-Z]{{2,}}[-_][A-Z0-9\-_]+)"
    rf"(?:\s*[:\-–,=]\s*|\s+){_QTY}\s*"
    rf"(?:(?P<unit>{_UNIT_ALT})\.?(?![\w])|(?P<cjk>{_CJK_UNITS})|x(?![\w]))?(?P<rest>.*)$")
_KEYED_CODE = re.compile(
    r"(?i)(?:\(|\[|\b)(?:art(?:ikel)?\.?[- ]?(?:nr|no)?\.?|artikelnummer|sku|item(?:\s*(?:no|nr|#))?|ref\.?|réf\.?|referencia"
    r"|référence|code|part(?:\s*(?:no|nr|#))?|货号|料号|编号)\s*[:#.]?\s*(?P<code>[A-Za-z0-9][A-Za-z0-9\-./_]*\d[A-Za-z0-9\-./_]*"
    r"|[A-Za-z0-9]*\d[A-Za-z0-9\-./_]*)\)?\]?")
_BRACKET = re.compile(r"[\[(](?P<code>[A-Z0-9][A-Z0-9\-./_]*\d[A-Z0-9\-./_]*)[\])]")
_LEADING_CODE = re.compile(r"^(?P<code>[A-Z0-9]*\d[A-Z0-9]*(?:[-./_][A-Z0-9]+)+|[A-Z]{1,6}[-_]\d[A-Z0-9]*(?:[-./_][A-Z0-9]+)*"
                           r"|[A-Z]{1,5}\d{3,}[A-Z0-9]*|\d{5,})\b")
_PRICE = re.compile(
    r"(?i)(?:\bà|\ba\b|\bat\b|@|\bzu je\b|\bzu\b|\bje\b|\bper\b|\beach\b|\bfor\b|\bfür\b|\bpour\b|\bpor\b|\bvoor\b|\bprice\b"
    r"|\bpreis\b|\bprix\b|\bprecio\b|\bprijs\b|单价|单价为|价格)\s*:?\s*(?P<cur1>EUR|USD|GBP|CHF|CNY|RMB|€|\$|£|¥)?\s*"
    r"(?P<price>\d{1,3}(?:[.,' ]\d{3})+(?:[.,]\d+)?(?![\d])|\d+(?:[.,]\d+)?)\s*(?P<cur2>€|EUR|USD|GBP|CHF|CNY|RMB|\$|元)?"
    r"|(?P<price2>\d+(?:[.,]\d{2,4}))\s*(?:€|EUR|USD|CHF|\$|元)\s*(?:/|per|je|pro|par|por|each)\s*\w+")
_PER_UNIT = re.compile(r"(?i)\s*(?:l'unité|l’unité|par unité|pièce|each|per (?:unit|piece|pc)|je (?:Stück|Stk\.?|Einheit)"
                       r"|pro (?:Stück|Stk\.?)|per stuk|per stuk\.?|la unidad|por unidad|/\s*\w+|每件|每个)\b\.?")
_FULLWIDTH = str.maketrans({"（": " (", "）": ") ", "，": ", ", "：": ": ", "；": "; ", "　": " "})
_NOT_ITEM = re.compile(r"(?i)\b(tel|fax|phone|telefon|plz|postfach|iban|bic|ust|vat|btw|kw|page|seite|uhr|hrb)\b")


def extract_text(doc: Document, *, sender_domain: str | None = None, hints: dict | None = None,
                 language: str | None = None, subject: str | None = None) -> ExtractedOrder:
    """Offline extraction of a mail body or text attachment."""
    text = doc.text or ""
    rows = rows_from_text(text, doc.part)
    table_rows = []
    for table in doc.tables:
        table_rows.extend(rows_from_table(table, table.source.part or doc.part))
    order = assemble(rows, part=doc.part, file=doc.name, extractor="offline_text", sender_domain=sender_domain,
                     hints=hints, language=language)
    if table_rows:
        # An HTML table is the exact rendition of what the text shows: its cells win for the lines.
        from_table = assemble(reindex(table_rows), part=doc.part, file=doc.name, extractor="offline_text",
                              sender_domain=sender_domain, hints=hints, language=language)
        if from_table.lines:
            order.lines = from_table.lines
            order.printed_line_count = order.printed_line_count or from_table.printed_line_count
            for name in ("po_number", "order_date", "requested_delivery_date", "currency", "order_total"):
                if getattr(order, name) is None and getattr(from_table, name) is not None:
                    setattr(order, name, getattr(from_table, name))
                    order.confidence[name] = from_table.confidence.get(name, 0.8)
    sep, date_order, language = document_conventions(rows, language)
    if not order.lines:
        body = order_text(text)
        order.lines = delimited_lines(body, doc.part, sep) or prose_lines(body, doc.part, sep)
        if order.lines:
            order.confidence["lines"] = 0.7
            order.warnings.append("lines read from prose")
    if order.po_number is not None and (re.fullmatch(r"\d{1,7}[.,]\d{2}", str(order.po_number))
                                        or len(str(order.po_number)) < 3):
        # "Order value 136.84 GBP net" was read as an order-number label: an amount (or the "1" of
        # "1,892.44") is never the PO
        prose = prose_po_number(order_text(text))
        if prose:
            order.po_number = None
            order.warnings.append(f"PO {prose[0]!r} from the text replaces the amount read as a PO")
    if order.po_number is None:
        po = prose_po_number(order_text(text)) or prose_po_number(subject or "")
        if po:
            set_field(order, "po_number", po[0], 0.75 if po[1] == "text" else 0.6, Provenance(part=doc.part))
    if order.requested_delivery_date is None:
        rdd = prose_delivery_date(text, date_order, language)
        if rdd:
            set_field(order, "requested_delivery_date", rdd, 0.7, Provenance(part=doc.part))
    return order


def _clean_desc(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,.;:-–")
    text = re.sub(r"(?i)^(?:st(?:ück|k)?\.?|pcs\.?|x)\s+", "", text)
    return text.strip(" ,.;:-–") or ""


_STOP_TAIL = re.compile(
    r"(?i)\s+(?:bis(?:\s+zum)?|by|before|until|avant|le|antes|para el|vóór|voor|uiterlijk|spätestens|zum|à livrer|"
    r"liefern|deliver|bitte|please|merci|danke|thanks|gracias|bedankt)\b.*$")


_CURRENCY_PRICE = re.compile(
    r"(?i)(?:(?:EUR|USD|GBP|CHF|CNY|RMB|€|\$|£|¥)\s*(?P<a>\d{1,3}(?:[.,' ]\d{3})+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)?)"
    r"|(?<![\w.,])(?P<b>\d{1,3}(?:[.,' ]\d{3})+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)?)\s*(?:EUR|USD|GBP|CHF|CNY|RMB|€|\$|£|元)(?![A-Za-z]))")
_LEFTOVER_PER_UNIT = re.compile(
    r"(?i)(?:^|(?<=[\s,;]))(?:each|per (?:stuk|piece|unit|pc|item)|l'unité|l’unité|par unité|la pièce|je (?:Stück|Stk\.?|Einheit)"
    r"|pro (?:Stück|Stk\.?)|la unidad|por unidad|net|netto)(?=[\s,;.]|$)")


def _split_rest(rest: str, sep: str) -> tuple[str | None, str | None, Decimal | None]:
    """(code, description, unit price) from the text after a quantity."""
    price = None
    for m in _PRICE.finditer(rest):
        text = m.group("price") or m.group("price2")
        has_currency = bool(m.group("price2") or m.group("cur1") or m.group("cur2"))
        if not has_currency and not re.search(r"[.,]\d", text):
            continue  # "Typ A 8" is not a price
        price = parse_number(text, sep)
        tail = _PER_UNIT.match(rest, m.end())
        end = tail.end() if tail else m.end()
        rest = rest[:m.start()] + " " + rest[end:]
        break
    if price is None:
        m = _CURRENCY_PRICE.search(rest)
        if m:
            # "0.89 EUR each", "per stuk 1,88 EUR", "£ 12.50": a number next to a currency is the price
            price = parse_number(m.group("a") or m.group("b"), sep)
            tail = _PER_UNIT.match(rest, m.end())
            rest = rest[:m.start()] + " " + rest[tail.end() if tail else m.end():]
    rest = _LEFTOVER_PER_UNIT.sub(" ", rest)
    code = None
    m = _KEYED_CODE.search(rest) or _BRACKET.search(rest)
    if m:
        code = m.group("code").rstrip(".,)")
        rest = rest[:m.start()] + " " + rest[m.end():]
    else:
        m = _LEADING_CODE.match(rest.strip())
        if m:
            code = m.group("code")
            rest = rest.strip()[m.end():]
    rest = _STOP_TAIL.sub("", rest)
    rest = re.sub(r"[()\[\]]", " ", rest)
    desc = _clean_desc(rest) or None
    return code, desc, price


_MONTH_AFTER = re.compile(r"(?i)(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")
_CUSTOMER_CODE = re.compile(r"(?i)\b(?:our|unsere?|notre|nos|onze|ons|nuestra|nuestro|mat(?:erial)?(?:-?nr)?|我方|我司)\b")


def _code_role(text: str) -> str:
    """A code keyed "Art.-Nr."/"réf." names our article; "our part no." / "Material" the buyer's."""
    return "customer_sku" if _CUSTOMER_CODE.search(text) else "sku"


def prose_lines(text: str, part: str, sep: str) -> list[ExtractedLine]:
    """Order lines written as sentences or bullet lists ("20 Kartons Handschuhe (Art. 100234)")."""
    lines: list[ExtractedLine] = []
    for number, raw in enumerate(text.splitlines()):
        line = raw.strip().translate(_FULLWIDTH)
        if not line or len(line) > 300 or _NOT_ITEM.search(line):
            continue
        prov = Provenance(part=part, line=number)
        found = []
        m = _CODE_FIRST.match(line)
        if m and not re.search(r"\d", m.group("code")) and re.search(r"[a-z]", m.group("code")):
            m = None  # "PU-slang 4x2,5 blue, 30 meter": a hyphenated word, not an article code
        if m and not find_dates(line[:m.end("qty")]):
            code, desc, price = _split_rest(m.group("rest") or "", sep)
            found.append((m.group("code"), m.group("qty"), m.group("unit") or m.group("cjk"), desc, price, "sku"))
        else:
            for m in _QTY_FIRST.finditer(line):
                if find_dates(line[max(0, m.start() - 3):m.end("qty") + 3]):
                    continue
                unit = m.group("unit") or m.group("cjk")
                if unit and unit.lower() == "st" and _MONTH_AFTER.match(m.group("rest")):
                    continue  # "1st January 2027" is a date, not one piece
                if unit and unit.lower() in {"x", "m", "l", "g"} and not re.match(r"\s*(?:[A-Za-z]|[,;]|$)", m.group("rest")):
                    continue
                rest = m.group("rest")
                nxt = _QTY_FIRST.search(rest[1:])
                if nxt and re.search(r"(?i)\b(und|and|et|en|y|sowie)\s*$", rest[:nxt.start() + 1]):
                    rest = rest[:nxt.start() + 1]
                code, desc, price = _split_rest(rest, sep)
                if not code and not desc:
                    # "外六角螺栓 M10 (货号 WL53-0027) 1箱, 单价 55.40": the item is named before the quantity
                    code, desc, prefix_price = _split_rest(re.sub(r"^[-*•·]\s*", "", line[:m.start()]), sep)
                    price = price or prefix_price
                if not code and not desc:
                    continue
                found.append((code, m.group("qty"), unit, desc, price, _code_role(rest)))
                if not nxt:
                    break
        for code, qty_text, unit, desc, price, code_role in found:
            qty = parse_number(qty_text, sep)
            if qty is None or qty <= 0:
                continue
            item = ExtractedLine()
            # a bullet with quantity, unit word and a keyed article number is as clear as a table row;
            # so is a plain count times an article code ("40x KL-10300"), but not "4x2,5" or "1,200x"
            times = bool(unit) and unit.lower() in {"x", "×"}
            sure = 0.85 if unit and (code or desc) and (not times or code and qty_text.isdigit()) else 0.7
            set_line(item, "qty", qty, sure, prov)
            if unit and unit.lower() not in {"x", "×"}:
                set_line(item, "uom", unit, 0.75, prov)
            if code:
                set_line(item, code_role, code, 0.6, prov)
            set_line(item, "description", desc, 0.7, prov)
            set_line(item, "unit_price", price, 0.7, prov)
            lines.append(item)
    for i, item in enumerate(lines, start=1):
        item.line_no = i
    return lines


_PO_PROSE = re.compile(
    r"(?i)(?:(?:\bP\.?O\.?|purchase order|\border|bestellung|bestellnummer|bestell-?nr\.?|auftrag(?:snummer)?|commande|"
    r"\babruf(?:auftrag|nummer)?|call-?off(?: order)?|"
    r"bon de commande|pedido|orden de compra|bestelling|inkooporder|ordernummer|订单号?|采购单号?|采购订单号?)"
    r"|(?:\border|\bP\.?O\.?|\bour|\bnotre|\bnuestra|\bons|\bonze|\bunser(?:e|em)?|\bnos)\s+"
    r"(?:ref(?:erence)?\b\.?|référence|réf\.?|referencia|kenmerk|referentie|zeichen|referenz))"
    r"\s*(?:nr\.?|no\.?|n°|nº|number|nummer|numéro|número|#)?\s*[:#.]?\s*"
    r"(?P<po>[A-Z0-9][A-Z0-9\-/_.]*\d[A-Z0-9\-/_]*)")


def prose_po_number(text: str) -> tuple[str, str] | None:
    """A PO number mentioned in running text or a subject line ("Bestellung 4711", "our PO #A-12")."""
    for m in _PO_PROSE.finditer(text):
        value = m.group("po").rstrip(".")
        if find_dates(value) or len(value) < 3:
            continue
        return value, "text"
    return None



def prose_delivery_date(text: str, date_order: str | None, language: str | None) -> str | None:
    """A requested delivery date written in a sentence ("bitte bis 15.04.2024 liefern")."""
    for line in text.splitlines():
        dates = find_dates(line, date_order, language)
        if not dates:
            continue
        for pos, value in dates:
            if delivery_context(line, pos):
                return value.isoformat()
    return None


def label_norm(text: str) -> str:
    """Exposed for tests: normalised label text."""
    return norm(text)


__all__ = ["extract_text", "prose_lines", "prose_po_number", "prose_delivery_date", "canonical_unit"]
