"""Order lines printed as records, not as a table: numbered paragraphs and label/value cards.

Used when no item table is found. A record starts at a leading position number ("1.", "#3",
"Pos. 20") or, without numbers, where a label already seen in the current record repeats.
Inside a record the quantity with its unit, article codes, unit price and total are recognised
by their labels ("Qty", "Stückpreis", "Réf. interne") and by pattern ("20 Stk zu je 1,23 EUR =
24,60 EUR"), then cross-checked by arithmetic.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from agents.schema import ExtractedLine
from agents.extractors.common import provenance, set_line
from agents.extractors.labels import COLUMN_LABELS, match_vocab, norm
from agents.extractors.layout import Row, Token, merge_sources
from agents.extractors.numbers import parse_number
from agents.extractors.rowkinds import total_candidate
from agents.extractors.units import canonical_unit

_POSITION = re.compile(r"^(?:#\s*|(?:pos|item|line|nr|no|n°)\.?\s*)?(\d{1,4})[.):]?$", re.I)
# Label words that say an article code is the buyer's own (not in the shared vocabulary).
_OWN_CODE = re.compile(r"(?i)\b(?:our|internal|stock|unsere?|werks|sach|ons|onze|interne?|notre|réf\.? interne"
                       r"|customer|kunden?|client|klant|buyer)\b"
                       r"|werksnummer|sachnummer|我司|我方|物料")
_CODE = re.compile(r"^(?=[^ ]*\d)[A-Za-z0-9][A-Za-z0-9\-./_]{2,30}$")
_NUM = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?!\d)|\d[\d.,'’\u202f]*"
_AMOUNT = re.compile(rf"[-+]?(?:{_NUM})")
_QTY_UNIT = re.compile(rf"(?<![\w.,\-/])({_NUM})\s*([^\W\d_][^\s\d=@]{{0,11}})(?=\s|$)")
_CODE_LABEL = re.compile(r"(?i)(?:\bnr|\bcode|\bp\s?n|\bref|\bsku|\bitem|编号|料号|货号)$")
_QTY_ONLY = re.compile(rf"^(?:{_NUM})\s*[^\W\d_][^\s\d]{{0,11}}$")
_EQUALS = re.compile(r"=|→")


@dataclass
class _Record:
    rows: list[Row] = field(default_factory=list)
    number: int | None = None
    number_token: Token | None = None


def _position(row: Row) -> tuple[int, Token] | None:
    """The leading position number of a row ("1.", "#3"), when followed by more text."""
    phrases = row.phrases()
    if len(phrases) < 2 and len(row.tokens) < 2:
        return None
    tok = row.tokens[0]
    m = _POSITION.match(tok.text.strip())
    if not m:
        return None
    rest = " ".join(t.text for t in row.tokens[1:])
    if parse_number(rest) is not None:
        return None  # "1 2,50": a bare number row, not a numbered paragraph
    return int(m.group(1)), tok


def _split_records(rows: list[Row]) -> list[_Record]:
    """Rows grouped into records by leading position numbers at one left edge."""
    starts = [(i, _position(r)) for i, r in enumerate(rows)]
    starts = [(i, p) for i, p in starts if p is not None]
    if len(starts) < 1:
        return []
    # The position numbers share a left edge; keep the largest group of starts on one edge.
    edges: dict[int, list] = {}
    for i, (num, tok) in starts:
        edges.setdefault(round(tok.x0 / 4), []).append((i, num, tok))
    group = max(edges.values(), key=len)
    group = [g for g in group if g[1] > 0]
    records: list[_Record] = []
    for k, (i, num, tok) in enumerate(group):
        end = group[k + 1][0] if k + 1 < len(group) else len(rows)
        rec = _Record(number=num, number_token=tok)
        for row in rows[i:end]:
            if row.page != rows[i].page and row is not rows[i]:
                pass
            rec.rows.append(row)
        records.append(rec)
    return records


def _label_role(label: str) -> str | None:
    """Column role of a printed label ("Qté commandée" -> qty), with buyer codes told apart."""
    if not label or len(norm(label)) > 40:
        return None
    role, _ = match_vocab(label, COLUMN_LABELS)
    if role in {"sku", "customer_sku", "item_code"} or (role is None and _OWN_CODE.search(label)):
        return "customer_sku" if _OWN_CODE.search(label) else "sku"
    return role


def _code_role(label: str, role: str | None) -> str | None:
    """A label that names an article code ("Catalogue no.", "Internal P/N") even if the vocabulary says otherwise."""
    if role in {"sku", "customer_sku"}:
        return role
    if len(label.split()) <= 5 and (_CODE_LABEL.search(norm(label)) or _OWN_CODE.search(label)):
        return "customer_sku" if _OWN_CODE.search(label) else "sku"
    return role


def _qty_unit(text: str, sep: str | None) -> tuple[Decimal | None, str | None]:
    for m in _QTY_UNIT.finditer(text):
        unit = m.group(2).rstrip(".,:;")
        if canonical_unit(unit) or canonical_unit(m.group(2)):
            value = parse_number(m.group(1), sep)
            if value is not None:
                return value, unit
    return None, None


def _amounts(text: str, sep: str | None) -> list[Decimal]:
    out = []
    for m in _AMOUNT.finditer(text):
        value = parse_number(m.group().rstrip(".,"), sep)
        if value is not None:
            out.append(value)
    return out


def _pieces(row: Row, skip: Token | None) -> list[list[Token]]:
    """A row's phrases (as token lists), the record's position number left out."""
    return [[t for t in g if t is not skip] for g in row.groups() if any(t is not skip for t in g)]


def _read_record(rec: _Record, sep: str | None) -> ExtractedLine | None:
    values: dict[str, tuple[str, list[Token]]] = {}
    free: list[tuple[str, list[Token]]] = []
    for row in rec.rows:
        pieces = _pieces(row, rec.number_token)
        if len(pieces) >= 2:
            label = " ".join(t.text for t in pieces[0])
            role = _label_role(label)
            value_toks = [t for p in pieces[1:] for t in p]
            if role not in {"sku", "customer_sku"} and len(value_toks) == 1 and _CODE.match(value_toks[0].text):
                role = _code_role(label, role)
            if role:
                values.setdefault(role, (" ".join(t.text for t in value_toks), value_toks))
                continue
        for piece in pieces:
            text = " ".join(t.text for t in piece)
            # "Item DI-10219 · Internal P/N A-3620-026": label + code pairs on one row
            parts = [p.strip() for p in re.split(r"\s+[·|;]\s+|\s{2,}", text) if p.strip()]
            rest = []
            for part in parts:
                words = part.split()
                if len(words) >= 2 and _CODE.match(words[-1]) and not _qty_unit(part, sep)[0]:
                    label = " ".join(words[:-1])
                    role = _code_role(label, _label_role(label))
                    if role in {"sku", "customer_sku"}:
                        values.setdefault(role, (words[-1], piece))
                        continue
                rest.append(part)
            if rest:
                free.append((" ".join(rest), piece))
    line = ExtractedLine()
    conf = 0.8

    def prov(tokens: list[Token]):
        return provenance(merge_sources(tokens))

    if rec.number is not None:
        set_line(line, "line_no", rec.number, conf, prov([rec.number_token]))
    for role in ("sku", "customer_sku"):
        if role in values:
            code = values[role][0].strip()
            if _CODE.match(code.split()[0] if code else ""):
                set_line(line, role, code.split()[0], conf, prov(values[role][1]))
    qty = unit = price = total = None
    qty_toks: list[Token] = []
    if "qty" not in values:
        # "Units: 10 bx" - a quantity with its unit under a label the vocabulary calls something else
        for role, (text, toks) in list(values.items()):
            if role not in {"sku", "customer_sku", "description"} and _QTY_ONLY.match(text.strip()):
                values["qty"] = values.pop(role)
                break
    if "qty" in values:
        qty, unit = _qty_unit(values["qty"][0], sep)
        if qty is None:
            nums = _amounts(values["qty"][0], sep)
            qty = nums[0] if nums else None
        qty_toks = values["qty"][1]
    if "uom" in values and unit is None:
        unit = values["uom"][0].split()[0] if values["uom"][0].split() else None
    money: list[tuple[str, Decimal, list[Token]]] = []
    for role in ("unit_price", "line_total"):
        if role in values:
            nums = _amounts(values[role][0], sep)
            if nums:
                money.append((role, nums[0], values[role][1]))
    description = values.get("description")
    loose: list[tuple[Decimal, list[Token]]] = []
    for text, toks in free:
        q, u = _qty_unit(text, sep)
        nums = _amounts(text, sep)
        if qty is None and q is not None and len(nums) >= 2:
            # "20 Stk zu je 1,23 EUR = 24,60 EUR" / "5 个 单价 129.41 CNY = 647.05 CNY"
            qty, unit, qty_toks = q, u, toks
            after = nums[1:]
            eq = _EQUALS.search(text)
            if eq:
                before = _amounts(text[:eq.start()], sep)
                behind = _amounts(text[eq.end():], sep)
                if behind:
                    money.append(("line_total", behind[0], toks))
                if len(before) >= 2:
                    money.append(("unit_price", before[-1], toks))
            else:
                for role, value in zip(("unit_price", "line_total"), after):
                    money.append((role, value, toks))
            continue
        if q is None and len(nums) == 1 and not re.search(r"[^\W\d_]{4,}", re.sub(r"\b[A-Z]{3}\b", "", text)):
            loose.append((nums[0], toks))  # "Each  4.67 GBP": an amount under a label we do not know
            continue
        if description is None and not _is_plain_number(text) and re.search(r"[^\W\d_]{2,}|[\u4e00-\u9fff]", text):
            description = (text, toks)
    found = {role: (value, toks) for role, value, toks in money}
    for value, toks in loose:
        for role in ("unit_price", "line_total"):
            if role not in found:
                found[role] = (value, toks)
                break
    price = found.get("unit_price", (None, []))[0]
    total = found.get("line_total", (None, []))[0]
    if qty is None:
        return None
    if price is not None and total is not None and qty * price != total and qty * total == price:
        found["unit_price"], found["line_total"] = found["line_total"], found["unit_price"]
        price, total = total, price
    set_line(line, "qty", qty, conf, prov(qty_toks))
    if unit:
        set_line(line, "uom", unit, conf, prov(qty_toks))
    if price is not None:
        set_line(line, "unit_price", price, conf, prov(found["unit_price"][1]))
    if total is not None:
        set_line(line, "line_total", total, conf, prov(found["line_total"][1]))
    if price is None and total is not None and qty:
        derived = total / qty
        if derived == derived.quantize(Decimal("0.0001")):
            set_line(line, "unit_price", derived.normalize() if derived.as_tuple().exponent < -2 else derived.quantize(Decimal("0.01")), 0.5)
    if description:
        set_line(line, "description", description[0].strip(), conf, prov(description[1]))
    if line.qty is not None and line.unit_price is not None and line.line_total is not None:
        ok = abs(line.qty * line.unit_price - line.line_total) <= max(Decimal("0.02"), abs(line.line_total) * Decimal("0.001"))
        for name in ("qty", "unit_price", "line_total"):
            line.confidence[name] = min(1.0, conf + 0.1) if ok else conf * 0.7
    if not (line.sku or line.customer_sku or line.description):
        return None
    if line.unit_price is None and line.line_total is None and not (line.sku or line.customer_sku):
        return None
    return line


def _is_plain_number(text: str) -> bool:
    return parse_number(text) is not None


@dataclass
class RecordResult:
    lines: list[ExtractedLine]
    used_rows: set[int]
    totals: list


def find_records(rows: list[Row], used: set[int], sep: str | None) -> RecordResult | None:
    """Order lines printed as numbered paragraphs or label/value cards; None when there are none."""
    free = [r for r in rows if r.index not in used and r.tokens]
    total_rows = {c[3].index for r in free if (c := total_candidate(r, sep) or _loose_total(r, sep))}
    records = _split_records(free)
    lines: list[ExtractedLine] = []
    used_rows: set[int] = set()
    for rec in records:
        # a record ends where a totals row or a long gap (another block) begins
        rec.rows = _trim(rec.rows, total_rows)
        line = _read_record(rec, sep)
        if line is not None:
            lines.append(line)
            used_rows |= {r.index for r in rec.rows}
    if len(lines) < max(1, len(records) // 2):
        return None
    totals = [c for r in free if r.index not in used_rows and (c := total_candidate(r, sep) or _loose_total(r, sep))]
    return RecordResult(lines, used_rows, totals)


_TOTAL_WORDS = re.compile(r"(?i)total|order value|summe|totaal|orderwaarde|montant|bestellwert|betrag|总计|总额|合计")


def _loose_total(row: Row, sep: str | None):
    """A totals row the shared vocabulary misses ("Order value: 4,030.09 GBP")."""
    text = row.text
    nums = _amounts(text, sep)
    if len(nums) == 1 and _TOTAL_WORDS.search(text) and len(text) < 60:
        return ("net", False, nums[0], row)
    return None


def _trim(rows: list[Row], total_rows: set[int]) -> list[Row]:
    """A record's rows up to a long gap, or a totals row once the record has its own line total."""
    out = [rows[0]]
    has_total = bool(_EQUALS.search(rows[0].text))
    for prev, row in zip(rows, rows[1:]):
        if row.page == prev.page and row.top - prev.bottom > 3 * max(prev.height, 8):
            break
        if row.index in total_rows:
            aligned = any(abs(r.tokens[0].x0 - row.tokens[0].x0) <= 3 for r in out[1:])
            if has_total or not aligned:
                break
            has_total = True
        elif _EQUALS.search(row.text) and _amounts(row.text[_EQUALS.search(row.text).end():], None):
            has_total = True
        out.append(row)
    return out
