"""Find and read the line-item table of one worksheet or CSV, cell by cell.

The header row is the row (or pair of rows) whose cells name the most order columns
(`sheet_columns.column_role`) and under which numbers follow in the quantity/price columns;
title blocks, blank rows and CSV preamble lines above it are simply outscored. Below it every
row is classified: an item (a quantity and an article number or description), a totals row
("Summe", "Total", "Σ", "合计": recorded, ends the items), a tax row, a repeated header, or a
note. Columns the vocabulary missed are recovered from arithmetic (qty × price = total).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from agents.schema import ExtractedLine, Provenance
from agents.extractors.common import clean_code, set_line
from agents.extractors.dates import parse_date
from agents.extractors.labels import TOTAL_LABELS, match_vocab, norm
from agents.extractors.numbers import detect_decimal_separator, looks_numeric, parse_number
from agents.extractors.sheet_columns import HEADER_ROLES, ID_ROLES, column_role, is_net
from agents.extractors.units import canonical_unit
from intake.model import Table

SCAN_ROWS = 40
ROLE_WEIGHT = {"qty": 3.0, "unit_price": 2.0, "line_total": 2.0, "description": 2.0, "sku": 2.0, "customer_sku": 2.0,
               "item_code": 2.0, "gtin": 1.5, "uom": 1.0, "line_no": 1.0, "delivery_date": 1.0, "discount": 0.5,
               "tax": 0.5, "price_unit": 0.5, "other": 0.3}
_DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_QTY_UNIT = re.compile(r"^\s*([+-]?[\d.,'’\s]*\d)\s*([^\d\s].{0,15})?$")
_TAX_WORDS = ("mwst", "ust", "vat", "tax", "tva", "btw", "iva", "税")
_EXTRA_TOTAL = {"σ", "∑", "sum", "summe", "somme", "suma", "totaal", "合计", "总计", "total", "gesamt", "totals"}


@dataclass
class SheetTable:
    """What was read from one sheet's item table."""

    sheet: str | None
    header_rows: list[int]
    roles: dict[str, int]  # role -> column index
    headers: dict[int, str]  # column index -> header text
    lines: list[ExtractedLine] = field(default_factory=list)
    item_rows: list[int] = field(default_factory=list)
    used_rows: set[int] = field(default_factory=set)
    totals: list[tuple[str, Decimal, int, int]] = field(default_factory=list)  # kind, amount, row, column
    header_values: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # field -> (text, row, column)
    printed_line_count: int = 0
    warnings: list[str] = field(default_factory=list)
    confidence: float = 0.0
    score: float = 0.0
    decimal_separator: str | None = None


def _cell(grid: list[list[str]], r: int, c: int | None) -> str:
    if c is None or r >= len(grid) or c >= len(grid[r]):
        return ""
    return (grid[r][c] or "").strip()


def _blank(row: list[str]) -> bool:
    return not any((c or "").strip() for c in row)


def _numeric(text: str) -> bool:
    text = text.strip()
    return bool(text) and (looks_numeric(text) or bool(_DATE_LIKE.match(text)))


# ---------------------------------------------------------------- header detection

def _header_texts(grid: list[list[str]], rows: list[int]) -> list[str]:
    """Header text per column; a second header row is joined under the first (merged cells carried right)."""
    width = max(len(grid[r]) for r in rows)
    if len(rows) == 1:
        return [_cell(grid, rows[0], c) for c in range(width)]
    upper, lower = rows
    out = []
    carried = ""
    for c in range(width):
        top = _cell(grid, upper, c)
        if top:
            carried = top
        elif _cell(grid, lower, c) and c > 0 and _cell(grid, lower, c - 1) and carried:
            top = carried  # a merged cell over two sub-columns ("Preis" over "netto | brutto")
        bottom = _cell(grid, lower, c)
        out.append(" ".join(t for t in (top, bottom) if t))
    return out


def _assign_roles(texts: list[str]) -> dict[int, tuple[str, float]]:
    roles: dict[int, tuple[str, float]] = {}
    for c, text in enumerate(texts):
        if not text:
            continue
        found = column_role(text)
        if found.role:
            roles[c] = (found.role, found.score)
    return roles


def _score_header(grid: list[list[str]], rows: list[int]) -> tuple[float, dict[int, tuple[str, float]]]:
    cells = [c for r in rows for c in grid[r] if c and c.strip()]
    if len(cells) < 2:
        return 0.0, {}
    if sum(1 for c in cells if _numeric(c)) > max(1, len(cells) // 4):
        return 0.0, {}
    texts = _header_texts(grid, rows)
    roles = _assign_roles(texts)
    kinds = {role for role, _ in roles.values()}
    core = kinds - {"other"} - HEADER_ROLES
    has_item = bool(core & (ID_ROLES | {"description"}))
    money = core & {"unit_price", "line_total"}
    if not (("qty" in core and (has_item or money)) or (has_item and money and len(core) >= 3)):
        return 0.0, {}
    score = sum(ROLE_WEIGHT.get(k, 0.5) for k in core) + 0.3 * len(kinds & HEADER_ROLES)
    score -= 0.5 * sum(1 for c in cells if column_role(c).role is None)  # unknown words weaken a header
    # Data support: numbers under the quantity / money columns in the next rows.
    numeric_cols = [c for c, (role, _) in roles.items() if role in {"qty", "unit_price", "line_total"}]
    below = [r for r in range(max(rows) + 1, min(len(grid), max(rows) + 8)) if not _blank(grid[r])][:4]
    support = 0
    for r in below:
        if any(parse_number(_qty_split(_cell(grid, r, c))[0]) is not None for c in numeric_cols):
            support += 1
    score += 1.5 * support - (0 if support else 3)
    return score, roles


def find_header(grid: list[list[str]]) -> tuple[list[int], dict[int, tuple[str, float]], float] | None:
    """(header row indexes, column roles, score) of the best header in the first rows, or None."""
    best = None
    for r in range(min(len(grid), SCAN_ROWS)):
        if _blank(grid[r]):
            continue
        candidates = [[r]]
        if r + 1 < len(grid) and not _blank(grid[r + 1]):
            candidates.append([r, r + 1])
        for rows in candidates:
            score, roles = _score_header(grid, rows)
            if len(rows) == 2:
                score -= 1.0  # a two-row header must name clearly more than either row alone
            if score > 0 and (best is None or score > best[2] + 1e-9):
                best = (rows, roles, score)
    return best


def resolve(roles: dict[int, tuple[str, float]], headers: dict[int, str]) -> dict[str, int]:
    """One column per role: the net price among several prices, generic codes given an owner."""
    by_role: dict[str, list[int]] = {}
    for c, (role, _) in sorted(roles.items()):
        by_role.setdefault(role, []).append(c)
    out: dict[str, int] = {}
    for role, cols in by_role.items():
        if role == "other":
            continue
        if len(cols) == 1:
            out[role] = cols[0]
            continue
        if role == "unit_price":
            net = [c for c in cols if is_net(headers.get(c, ""))]
            out[role] = net[0] if net else cols[0]
            rest = [c for c in cols if c != out[role]]
            if "line_total" not in by_role and rest:
                out["line_total"] = rest[-1]  # "Preis | Gesamtpreis"-style pairs with one unmatched word
        elif role == "line_total":
            net = [c for c in cols if is_net(headers.get(c, ""))]
            out[role] = net[0] if net else cols[-1]
        else:
            out[role] = max(cols, key=lambda c: roles[c][1])
    if "item_code" in out:
        if "sku" in out and "customer_sku" not in out:
            out["customer_sku"] = out.pop("item_code")
        elif "customer_sku" in out and "sku" not in out:
            out["sku"] = out.pop("item_code")
        elif "sku" in out and "customer_sku" in out:
            out.pop("item_code")
    if "qty" not in out and "uom" in out:
        out["qty"] = out.pop("uom")  # "Menge/ME" printed in one column as "20 Stk"
    return out


# ---------------------------------------------------------------- values

def _qty_split(text: str) -> tuple[str, str | None]:
    """'20 Stk' -> ('20', 'Stk'); '20' -> ('20', None)."""
    m = _QTY_UNIT.match(text or "")
    if not m:
        return text, None
    unit = (m.group(2) or "").strip() or None
    if unit and canonical_unit(unit) is None and not re.fullmatch(r"[A-Za-z\u4e00-\u9fff]{1,6}\.?", unit):
        return text, None
    return m.group(1).strip(), unit


def sheet_date(text: str, date_order: str | None, language: str | None) -> str | None:
    """A cell date: ISO, printed text ("Montag, 28.12.2026", "21 janv. 2027") or an Excel serial."""
    text = (text or "").strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{5})(?:\.0+)?", text)
    if m and 30000 <= int(m.group(1)) <= 80000:
        return (date(1899, 12, 30) + timedelta(days=int(m.group(1)))).isoformat()
    return parse_date(text, date_order, language)


def _prov(part: str, sheet: str | None, r: int, c: int) -> Provenance:
    return Provenance(part=part, page=None, line=r, column=c)


# ---------------------------------------------------------------- rows below the header

def _total_kind(texts: list[str]) -> str | None:
    """'net'/'gross'/'tax' when a row's words name a total, else None."""
    for text in texts:
        n = norm(text)
        if not n or looks_numeric(text):
            continue
        if any(re.search(rf"(?<![a-z]){w}(?![a-z])", n) for w in _TAX_WORDS if not w.startswith("税")) or "税" in text:
            if not re.search(r"(?i)(excl|ohne|zonder|hors|sin|without|未税|不含税|netto)", text):
                return "tax"
        kind, _ = match_vocab(text, TOTAL_LABELS)
        if kind:
            return kind
        if n in _EXTRA_TOTAL or text.strip() in _EXTRA_TOTAL:
            return "gross"
    return None


def read_table(table: Table, part: str, sep: str | None, date_order: str | None, language: str | None
               ) -> SheetTable | None:
    """The item table of one sheet (None when no header row is recognised)."""
    grid = table.rows
    found = find_header(grid)
    if found is None:
        return None
    header_rows, roles, score = found
    texts = _header_texts(grid, header_rows)
    headers = {c: t for c, t in enumerate(texts) if t}
    cols = resolve(roles, headers)
    result = SheetTable(table.source.sheet, header_rows, cols, headers, score=score)
    result.used_rows.update(header_rows)
    start = max(header_rows) + 1
    money_cols = [cols[r] for r in ("qty", "unit_price", "line_total", "price_unit", "discount") if r in cols]
    values = [_qty_split(_cell(grid, r, c))[0] for r in range(start, len(grid)) for c in money_cols]
    sep = detect_decimal_separator(v for v in values if v) or sep
    result.decimal_separator = sep
    _infer_numeric_roles(grid, start, cols, sep)
    id_cols = [cols[r] for r in ("sku", "customer_sku", "item_code", "gtin") if r in cols]
    desc_col = cols.get("description")
    _retype_word_codes(grid, start, cols)
    id_cols = [cols[r] for r in ("sku", "customer_sku", "item_code", "gtin") if r in cols]
    desc_col = cols.get("description")
    header_norms = {norm(t) for t in texts if t}
    ended = False
    for r in range(start, len(grid)):
        row = grid[r]
        if _blank(row):
            continue
        filled = [(c, v.strip()) for c, v in enumerate(row) if v and v.strip()]
        if sum(1 for _, v in filled if norm(v) in header_norms) >= max(2, len(filled) // 2):
            result.used_rows.add(r)  # the header printed again (exports of several pages)
            continue
        qty_text, qty_unit = _qty_split(_cell(grid, r, cols.get("qty")))
        qty = parse_number(qty_text, sep) if qty_text else None
        ident = any(_cell(grid, r, c) for c in id_cols)
        desc = _cell(grid, r, desc_col)
        price = parse_number(_cell(grid, r, cols.get("unit_price")), sep)
        total = parse_number(_cell(grid, r, cols.get("line_total")), sep)
        label_texts = [v for c, v in filled if c not in id_cols]
        kind = _total_kind(label_texts) if not ident else None
        # A totals row: its words name a total (the label may sit in the description column, and the
        # quantity column may hold the summed quantity), or it has nothing but an amount.
        label_row = kind is not None and (qty is None or not desc or _total_kind([desc]) is not None)
        if label_row or (not ident and not desc and qty is None and total is not None):
            amount = total
            amount_col = cols.get("line_total")
            if amount is None:
                numbers = [(c, parse_number(v, sep)) for c, v in filled if parse_number(v, sep) is not None]
                if numbers:
                    amount_col, amount = numbers[-1]
            if amount is not None:
                result.totals.append((kind or "unlabelled", amount, r, amount_col if amount_col is not None else 0))
            result.used_rows.add(r)
            if result.lines:
                ended = True
            continue
        if ended:
            continue
        is_item = (qty is not None and (ident or desc)) or ((ident or desc) and (price is not None or total is not None))
        if not is_item:
            if ident and qty is None and all(_code_like(_cell(grid, r, c)) for c in id_cols if _cell(grid, r, c)):
                is_item = True  # an article without a readable quantity: kept, flagged below
            else:
                continue  # a note, a section heading, a signature line
        result.item_rows.append(r)
        result.used_rows.add(r)
        result.lines.append(_make_line(grid, r, cols, sep, date_order, language, part, result.sheet,
                                       qty, qty_unit, price, total))
    result.printed_line_count = len(result.item_rows)
    if result.lines:
        first = result.item_rows[0]
        for role in HEADER_ROLES:
            c = cols.get(role)
            if c is not None and _cell(grid, first, c):
                result.header_values[role[4:]] = (_cell(grid, first, c), first, c)
    core = set(cols) & {"qty", "unit_price", "line_total", "description"}
    result.confidence = min(1.0, 0.6 + 0.08 * len(core) + 0.05 * len(set(cols) & ID_ROLES))
    return result


def _code_like(text: str) -> bool:
    """An article number rather than a sentence: one or two words, with a digit."""
    return len(text.split()) <= 2 and bool(re.search(r"\d", text))


def _column_numbers(grid, start: int, c: int, sep) -> list[Decimal | None]:
    return [parse_number(_qty_split(_cell(grid, r, c))[0], sep) if _cell(grid, r, c) else None
            for r in range(start, len(grid))]


def _infer_numeric_roles(grid, start: int, cols: dict[str, int], sep) -> None:
    """Quantity, price or total column the header words did not name, found by qty × price = total."""
    missing = [r for r in ("qty", "unit_price", "line_total") if r not in cols]
    if len(missing) != 1:
        return
    taken = set(cols.values())
    width = max((len(r) for r in grid[start:]), default=0)
    known = {r: _column_numbers(grid, start, cols[r], sep) for r in ("qty", "unit_price", "line_total") if r in cols}
    best, best_hits = None, 0
    for c in range(width):
        if c in taken:
            continue
        cand = _column_numbers(grid, start, c, sep)
        hits = 0
        for i, value in enumerate(cand):
            q = known.get("qty", cand)[i] if "qty" in known else value
            p = known.get("unit_price", cand)[i] if "unit_price" in known else value
            t = known.get("line_total", cand)[i] if "line_total" in known else value
            if None in (q, p, t) or not t:
                continue
            if abs(q * p - t) <= max(Decimal("0.02"), abs(t) * Decimal("0.002")):
                hits += 1
        if hits > best_hits:
            best, best_hits = c, hits
    if best is not None and best_hits >= 1:
        cols[missing[0]] = best


def _retype_word_codes(grid, start: int, cols: dict[str, int]) -> None:
    """A code column whose values are plain words is really the description."""
    for role in ("item_code", "sku", "customer_sku"):
        c = cols.get(role)
        if c is None:
            continue
        values = [_cell(grid, r, c) for r in range(start, min(len(grid), start + 30)) if _cell(grid, r, c)]
        wordy = [v for v in values if not re.search(r"\d", v) and len(v.split()) >= 2]
        if values and len(wordy) >= 0.6 * len(values):
            cols.pop(role)
            if "description" not in cols:
                cols["description"] = c


def _make_line(grid, r: int, cols: dict[str, int], sep, date_order, language, part: str, sheet: str | None,
               qty, qty_unit, price, total) -> ExtractedLine:
    line = ExtractedLine()
    conf = 0.97

    def prov(role: str) -> Provenance:
        return _prov(part, sheet, r, cols[role])

    for role in ("sku", "customer_sku", "gtin"):
        if role in cols and _cell(grid, r, cols[role]):
            value = clean_code(_cell(grid, r, cols[role]))
            if role == "gtin":
                value = re.sub(r"\s", "", value or "") or None
            set_line(line, role, value, conf, prov(role))
    if "item_code" in cols and _cell(grid, r, cols["item_code"]):
        # Whose number this is the header does not say: offer it as both; matching decides.
        value = clean_code(_cell(grid, r, cols["item_code"]))
        set_line(line, "sku", value, 0.7, prov("item_code"))
        set_line(line, "customer_sku", value, 0.7, prov("item_code"))
    if "description" in cols and _cell(grid, r, cols["description"]):
        set_line(line, "description", " ".join(_cell(grid, r, cols["description"]).split()), conf, prov("description"))
    if qty is not None:
        set_line(line, "qty", qty, conf, prov("qty"))
    else:
        line.confidence["qty"] = 0.0  # an item row whose quantity could not be read: a person must look
    uom = _cell(grid, r, cols.get("uom")) if "uom" in cols and cols.get("uom") != cols.get("qty") else None
    if uom:
        set_line(line, "uom", uom, conf, prov("uom"))
    elif qty_unit:
        set_line(line, "uom", qty_unit, conf * 0.95, prov("qty"))
    if price is not None:
        set_line(line, "unit_price", price, conf, prov("unit_price"))
    if total is not None:
        set_line(line, "line_total", total, conf, prov("line_total"))
    if "line_no" in cols:
        m = re.fullmatch(r"\s*(\d{1,6})(?:\.0+)?\s*", _cell(grid, r, cols["line_no"]))
        if m:
            set_line(line, "line_no", int(m.group(1)), conf, prov("line_no"))
    if "delivery_date" in cols:
        value = sheet_date(_cell(grid, r, cols["delivery_date"]), date_order, language)
        set_line(line, "delivery_date", value, 0.95, prov("delivery_date"))
    if line.qty is not None and line.unit_price is not None and line.line_total is not None:
        per = parse_number(_cell(grid, r, cols.get("price_unit")), sep) if "price_unit" in cols else None
        expected = line.qty * line.unit_price / (per if per and per > 0 else 1)
        ok = abs(expected - line.line_total) <= max(Decimal("0.02"), abs(line.line_total) * Decimal("0.002"))
        discounted = "discount" in cols and _cell(grid, r, cols["discount"])
        for name in ("qty", "unit_price", "line_total"):
            if ok:
                line.confidence[name] = 0.99
            elif not discounted:
                line.confidence[name] = 0.8  # the printed arithmetic does not hold: read, but doubtful
    return line
