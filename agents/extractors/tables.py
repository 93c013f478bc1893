"""Find the line-item table in positioned rows and read its lines.

The header row is recognised by its column vocabulary (labels.COLUMN_LABELS, six languages);
column extents come from the x-positions of the header words; data tokens are assigned to the
column whose region holds them, with type checks (numbers belong in numeric columns, a plain
word that spills into a code or quantity column goes back to the description). Repeated headers
on later pages, carried-forward lines and totals lines are recognised and never read as items.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from agents.schema import ExtractedLine
from agents.extractors.common import set_line
from agents.extractors.dates import parse_date
from agents.extractors.labels import (
    CARRIED_LABELS, COLUMN_LABELS, HEADER_LABELS, LINE_COUNT_LABELS, TOTAL_LABELS, match_vocab, norm,
)
from agents.extractors.layout import Row, Token, merge_sources
from agents.extractors.numbers import looks_numeric, parse_number
from agents.extractors.units import canonical_unit
from agents.extractors.common import provenance

NUMERIC_ROLES = {"qty", "unit_price", "line_total", "line_no", "discount", "tax"}
CODE_ROLES = {"sku", "customer_sku", "item_code", "gtin"}
ITEM_ROLES = {"description", "sku", "customer_sku", "item_code", "gtin"}
# Whose number a generic "Art.-Nr." / "Item #" column holds when the table does not say.
GENERIC_CODE_ROLE = "customer_sku"
_BRACKET_SKU = re.compile(
    r"\[\s*(?:(?:Art|Art\.-Nr|Artikel|SKU|Ref|Réf|Nr|No|Item|货号)\.?\s*:?\s*)?([A-Za-z0-9][\w\-./]{1,38})\s*\]"
    r"|\(\s*(?:(?:Art|Art\.-Nr|Artikel|SKU|Ref|Réf|Nr|No|Item|Code|货号)\.?\s*:?\s*)?([A-Z0-9][A-Z0-9\-./]*\d[A-Z0-9\-./]*|[A-Z]{2,}[-_][A-Z0-9\-_]+)\s*\)")


@dataclass
class Column:
    role: str | None
    x0: float
    x1: float
    text: str
    score: int = 0

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class TableResult:
    lines: list[ExtractedLine] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)
    used_rows: set[int] = field(default_factory=set)
    totals: list[tuple[str, bool, Decimal, Row]] = field(default_factory=list)
    printed_line_count: int | None = None
    header_values: dict[str, list[Token]] = field(default_factory=dict)  # order fields printed in table columns
    carried: int = 0
    warnings: list[str] = field(default_factory=list)
    confidence: float = 0.0

    @property
    def signature(self) -> str:
        return ",".join(f"{c.role or '-'}" for c in self.columns)


# ---------------------------------------------------------------- header recognition

_HEADER_FIELD_COLUMNS = {"po_number", "order_date", "currency", "customer_number"}


def _exact_role(text: str) -> tuple[str | None, int]:
    role, score = match_vocab(text, COLUMN_LABELS, exact=True)
    if role is None:
        # A column that repeats an order-level value on every row (CSV exports): "Bestell-Nr.", "Währung".
        field, fscore = match_vocab(text, HEADER_LABELS, exact=True)
        if field in _HEADER_FIELD_COLUMNS:
            return f"hdr:{field}", fscore
    return role, score


def header_columns(row: Row) -> list[Column]:
    """Columns a row would define if it were the table header (role None for unknown words)."""
    tokens = row.tokens
    columns: list[Column] = []
    if row.unit != "pt":
        for tok in tokens:
            role, score = _exact_role(tok.text)
            if role is None:
                role, score = match_vocab(tok.text, COLUMN_LABELS)
            if role and score < 100 and len(norm(tok.text)) > 3 * max(score, 1):
                role, score = None, 0  # a long sentence that merely mentions "price"
            columns.append(Column(role, tok.x0, tok.x1, tok.text, score))
        return columns
    gap = row.gap_threshold() * 1.6
    i = 0
    while i < len(tokens):
        best = None
        for k in range(min(5, len(tokens) - i), 0, -1):
            group = tokens[i:i + k]
            if any(group[j + 1].x0 - group[j].x1 > gap for j in range(k - 1)):
                continue
            role, score = _exact_role(" ".join(t.text for t in group))
            if role:
                best = (k, role, score)
                break
        if best is None:
            role, score = match_vocab(tokens[i].text, COLUMN_LABELS)
            k = 1
        else:
            k, role, score = best
        group = tokens[i:i + k]
        text = " ".join(t.text for t in group)
        if role is None and columns and group[0].x0 - columns[-1].x1 < (gap if columns[-1].role is None else gap / 1.6):
            last = columns[-1]  # "Prijs per": an unknown word glued to its column header
            columns[-1] = Column(last.role, last.x0, group[-1].x1, f"{last.text} {text}", last.score)
        else:
            columns.append(Column(role, group[0].x0, group[-1].x1, text, score))
        i += k
    return columns


def _roles(columns: list[Column]) -> set[str]:
    return {c.role for c in columns if c.role and c.role not in {"discount", "tax"} and not c.role.startswith("hdr:")}


def is_header(row: Row, columns: list[Column] | None = None) -> bool:
    """A row that names at least a quantity-like and an item-like column, with few numbers."""
    if not row.tokens:
        return False
    columns = columns if columns is not None else header_columns(row)
    roles = _roles(columns)
    numeric = sum(1 for t in row.tokens if looks_numeric(t.text) and not t.text.strip().isdigit() or
                  re.fullmatch(r"\d{2,}", t.text.strip()) is not None)
    if numeric > max(1, len(row.tokens) // 4):
        return False
    known = sum(1 for c in columns if c.role)
    if known < len(columns) / 2 - 0.01 and row.unit != "pt":
        return False
    has_qty = "qty" in roles
    has_item = bool(roles & ITEM_ROLES)
    has_money = bool(roles & {"unit_price", "line_total"})
    return (has_qty and (has_item or has_money) and len(roles) >= 2) or (has_item and has_money and len(roles) >= 3)


def _merge_stacked(rows: list[Row], at: int, columns: list[Column]) -> tuple[list[Column], list[int]]:
    """Fold header words printed above/below the main header line (two- or three-line headers)."""
    main = rows[at]
    used = [at]
    if main.unit != "pt":
        return columns, used
    for offset in (-1, 1, 2, -2):
        j = at + offset
        if j < 0 or j >= len(rows) or rows[j].page != main.page:
            continue
        other = rows[j]
        if abs(other.top - main.top) > main.height * 1.8 * abs(offset) or not other.tokens:
            continue
        if any(re.search(r"\d", t.text) for t in other.tokens):
            continue
        other_phrases = other.phrases()
        if not all(match_vocab(p.text, COLUMN_LABELS)[0] or any(min(c.x1, p.x1) - max(c.x0, p.x0) > 0 for c in columns)
                   for p in other_phrases):
            continue
        if (offset == 2 and at + 1 not in used) or (offset == -2 and at - 1 not in used):
            continue
        for phrase in other_phrases:
            target = None
            for col in columns:
                overlap = min(col.x1, phrase.x1) - max(col.x0, phrase.x0)
                if overlap > 0:
                    target = col
                    break
            if target is None:
                columns.append(Column(match_vocab(phrase.text, COLUMN_LABELS)[0], phrase.x0, phrase.x1, phrase.text))
            else:
                combined = f"{phrase.text} {target.text}" if offset < 0 else f"{target.text} {phrase.text}"
                role, score = match_vocab(combined, COLUMN_LABELS)
                if role and (target.role is None or score > target.score):
                    target.role, target.score = role, score
                target.text = combined
                target.x0, target.x1 = min(target.x0, phrase.x0), max(target.x1, phrase.x1)
        used.append(j)
    columns.sort(key=lambda c: c.x0)
    return columns, sorted(used)


def resolve_roles(columns: list[Column], hints: dict | None = None) -> list[Column]:
    """One column per role (rightmost wins for totals), generic codes resolved, reviewer hints applied."""
    hints = hints or {}
    by_header = {norm(k): v for k, v in (hints.get("columns") or {}).items()}
    for col in columns:
        if norm(col.text) in by_header:
            col.role, col.score = by_header[norm(col.text)], 999
    prices = [c for c in sorted(columns, key=lambda c: c.x0) if c.role == "unit_price"]
    if len(prices) >= 2 and not any(c.role == "line_total" for c in columns):
        prices[-1].role = "line_total"  # "Unit Price ... Price": the last money column is the line total
    seen: dict[str, Column] = {}
    for col in sorted(columns, key=lambda c: c.x0):
        if not col.role:
            continue
        prev = seen.get(col.role)
        if prev is None:
            seen[col.role] = col
            continue
        keep_right = col.role == "line_total" or col.score > prev.score
        loser = prev if keep_right else col
        if keep_right:
            seen[col.role] = col
        loser.role = "item_code" if loser.role in {"sku", "customer_sku"} and "item_code" not in seen else None
    roles = {c.role for c in columns}
    generic = hints.get("generic_code_role") or GENERIC_CODE_ROLE
    for col in columns:
        if col.role == "item_code":
            if "sku" in roles and "customer_sku" not in roles:
                col.role = "customer_sku"
            elif "customer_sku" in roles and "sku" not in roles:
                col.role = "sku"
            elif "sku" in roles and "customer_sku" in roles:
                col.role = None
            else:
                col.role = generic
            roles = {c.role for c in columns}
    if "qty" not in roles:
        # "Menge/Einheit" style or unit column only: the unit column then holds "20 Stk".
        for col in columns:
            if col.role == "uom":
                col.role = "qty"
                break
    return columns


# ---------------------------------------------------------------- row reading

def _regions(columns: list[Column]) -> list[tuple[float, float, Column]]:
    cols = sorted(columns, key=lambda c: c.x0)
    out = []
    for i, col in enumerate(cols):
        left = -1e9 if i == 0 else (cols[i - 1].x1 + col.x0) / 2
        right = 1e9 if i == len(cols) - 1 else (col.x1 + cols[i + 1].x0) / 2
        out.append((left, right, col))
    return out


def _is_number_token(text: str) -> bool:
    t = text.strip()
    return looks_numeric(t) or t in {"€", "$", "£", "%", "EUR", "USD", "CHF", "GBP"} or bool(
        re.fullmatch(r"[\d.,]+\s?[%€$£]?|[€$£]\s?[\d.,]+", t))


def _is_code_token(text: str) -> bool:
    t = text.strip()
    return bool(re.search(r"\d", t)) or bool(re.fullmatch(r"[A-Z0-9][A-Z0-9\-_./]{1,}", t))


def assign(row: Row, columns: list[Column]) -> dict[str, list[Token]]:
    """Tokens of a data row per role; the unknown columns' tokens under the key ''."""
    regions = _regions(columns)
    cells: dict[int, list[Token]] = {}

    def region_of(tok: Token) -> int:
        if row.unit == "cell":
            idx = next((i for i, (_, _, c) in enumerate(regions) if c.x0 <= tok.center < c.x1), None)
            if idx is None:
                idx = min(range(len(regions)), key=lambda i: abs(regions[i][2].center - tok.center))
            return idx
        return next(i for i, (lo, hi, _) in enumerate(regions) if lo <= tok.center < hi)

    for group in row.groups():
        idxs = [region_of(t) for t in group]
        first_role = regions[idxs[0]][2].role
        if len(set(idxs)) == 1 or first_role in NUMERIC_ROLES:
            for tok, idx in zip(group, idxs):
                cells.setdefault(idx, []).append(tok)
            continue
        # A left-aligned phrase belongs to the column it starts in; only trailing numbers that sit
        # under a numeric column are split off ("Type III 15" -> description + qty).
        tail = []
        for i in range(len(group) - 1, 0, -1):  # only trailing numbers under numeric columns split off
            if regions[idxs[i]][2].role in NUMERIC_ROLES and looks_numeric(group[i].text):
                tail.append(i)
            else:
                break
        body = [t for i, t in enumerate(group) if i not in tail]
        home = region_of(Token("", body[0].x0, body[-1].x1))  # the phrase's own centre decides
        for i, (tok, idx) in enumerate(zip(group, idxs)):
            cells.setdefault(idx if i in tail else home, []).append(tok)
    if row.unit != "cell":
        _fix_types(cells, regions)
    out: dict[str, list[Token]] = {}
    for idx, toks in cells.items():
        role = regions[idx][2].role or ""
        out.setdefault(role, []).extend(toks)
    return out


def _fix_types(cells: dict[int, list[Token]], regions: list) -> None:
    """Move words that cannot belong to a column (text in a number column) to the description."""
    desc_idx = next((i for i, r in enumerate(regions) if r[2].role == "description"), None)
    for idx in sorted(cells):
        role = regions[idx][2].role
        if idx == desc_idx or role is None:
            continue
        keep, move = [], []
        for tok in cells[idx]:
            if role in NUMERIC_ROLES and not _is_number_token(tok.text) and canonical_unit(tok.text) is None:
                move.append(tok)
            elif role in CODE_ROLES and not _is_code_token(tok.text) and desc_idx is not None:
                move.append(tok)
            else:
                keep.append(tok)
        if role in NUMERIC_ROLES:
            numbers = [t for t in keep if looks_numeric(t.text)]
            if len(numbers) > 1 and desc_idx is not None and desc_idx < idx:
                col = regions[idx][2]
                best = min(numbers, key=lambda t: min(abs(t.x1 - col.x1), abs(t.center - col.center)))
                move.extend(t for t in numbers if t is not best and t.x1 < best.x0)
                keep = [t for t in keep if t not in move]
        if move and desc_idx is not None:
            cells[idx] = keep
            cells.setdefault(desc_idx, []).extend(move)
            cells[desc_idx].sort(key=lambda t: t.x0)
    _spread_numbers(cells, regions)


def _spread_numbers(cells: dict[int, list[Token]], regions: list) -> None:
    """When two numbers crowd one numeric column while a neighbour is empty (header words not aligned
    with right-aligned figures), give the numbers to the numeric columns in reading order."""
    from itertools import combinations

    numeric = [i for i, r in enumerate(regions) if r[2].role in NUMERIC_ROLES - {"line_no"}]
    tokens = sorted((t for i in numeric for t in cells.get(i, []) if looks_numeric(t.text)), key=lambda t: t.x0)
    if not tokens or all(sum(1 for t in cells.get(i, []) if looks_numeric(t.text)) <= 1 for i in numeric):
        return
    if len(tokens) > len(numeric):
        return
    best, best_cost = None, None
    for combo in combinations(numeric, len(tokens)):
        cost = sum(abs(tok.center - regions[i][2].center) for tok, i in zip(tokens, combo))
        if best_cost is None or cost < best_cost:
            best, best_cost = combo, cost
    for i in numeric:
        cells[i] = [t for t in cells.get(i, []) if not looks_numeric(t.text)]
    for tok, i in zip(tokens, best):
        cells.setdefault(i, []).append(tok)


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


@dataclass
class _Item:
    row: Row
    cells: dict[str, list[Token]]
    extra_above: list[Row] = field(default_factory=list)
    extra_below: list[Row] = field(default_factory=list)


def _qty_value(tokens: list[Token], sep: str | None) -> tuple[Decimal | None, str | None]:
    qty, unit = None, None
    for tok in tokens:
        whole = parse_number(tok.text, sep)
        if whole is not None and qty is None:
            qty = whole
            continue
        for piece in re.split(r"\s+", tok.text):
            m = re.fullmatch(r"([\d.,]+)([A-Za-zÄÖÜäöüéè()]+\.?)", piece)
            if m and qty is None and canonical_unit(m.group(2)):
                qty, unit = parse_number(m.group(1), sep), m.group(2)
                continue
            value = parse_number(piece, sep)
            if value is not None and qty is None:
                qty = value
            elif canonical_unit(piece) and unit is None:
                unit = piece
    return qty, unit


def _is_anchor(cells: dict[str, list[Token]], sep: str | None) -> bool:
    qty, _ = _qty_value(cells.get("qty", []), sep)
    has_item = any(cells.get(r) for r in ITEM_ROLES)
    money = [r for r in ("unit_price", "line_total") if any(parse_number(t.text, sep) is not None for t in cells.get(r, []))]
    if qty is not None and qty > 0 and (has_item or money):
        return True
    return bool(len(money) == 2 and has_item)


def read_table(rows: list[Row], start: int, sep: str | None, date_order: str | None = None,
               language: str | None = None, hints: dict | None = None) -> TableResult:
    """Read the table whose header is rows[start] (continuing over pages with repeated headers)."""
    upper = _record_upper(rows, start)
    if upper is not None:
        columns, header_used = header_columns(rows[start]), [start - 1, start]
        upper = resolve_roles(upper, hints)
    else:
        columns, header_used = _merge_stacked(rows, start, header_columns(rows[start]))
    columns = resolve_roles(columns, hints)
    result = TableResult(columns=columns, header_rows=list(header_used))
    record_prev: Row | None = None
    result.used_rows.update(header_used)
    items: list[_Item] = []
    pending: list[Row] = []  # text-only rows not yet attached
    last_row = rows[max(header_used)]
    page = last_row.page
    awaiting_header = False
    suspended = False  # after a large gap on a page: only totals/carried/headers count until the page ends
    blank_run = 0
    i = max(header_used) + 1
    while i < len(rows):
        row = rows[i]
        i += 1
        if row.page != page:
            page = row.page
            awaiting_header, suspended = True, False
            if pending and items:
                items[-1].extra_below.extend(p for p in pending if p.top - items[-1].row.bottom <= p.height * 2.5)
            last_row = row
            pending = []
        if not row.tokens:
            blank_run += 1
            if row.unit != "pt" and blank_run >= (2 if row.unit == "cell" else 1) and items:
                break
            continue
        blank_run = 0
        cols = header_columns(row)
        if is_header(row, cols):
            if items and _roles(cols) != _roles(result.columns) and not awaiting_header:
                break  # a second, different table
            new_cols, used = _merge_stacked(rows, i - 1, cols)
            result.columns = resolve_roles(new_cols, hints)
            result.header_rows.extend(used)
            result.used_rows.update(used)
            i = max(used) + 1
            awaiting_header = False
            last_row = rows[max(used)]
            continue
        if row.unit == "pt" and not awaiting_header and row.top - last_row.bottom > max(row.height, 8) * 4 and items:
            suspended = True
        if _is_page_footer(row):
            continue
        if _row_label(row, CARRIED_LABELS):
            result.carried += 1
            result.used_rows.add(row.index)
            last_row = row
            continue
        count_label = _row_label(row, LINE_COUNT_LABELS)
        numbers = _numbers(row, sep)
        if count_label and numbers and numbers[-1] == numbers[-1].to_integral_value() and items:
            result.printed_line_count = int(numbers[-1])
            result.used_rows.add(row.index)
            continue
        total = total_candidate(row, sep)
        cells = assign(row, result.columns)
        anchor = _is_anchor(cells, sep)
        short_label = total is not None and len([t for t in row.tokens if not looks_numeric(t.text)]) <= 4 and not any(
            cells.get(r) for r in CODE_ROLES)
        if (total or _row_label(row, TOTAL_LABELS) and numbers) and (not anchor or not cells.get("description") or short_label):
            if total:
                result.totals.append(total)
            result.used_rows.add(row.index)
            if items:
                # totals end the table, but keep scanning for a printed line count just below
                _scan_after(rows, i, result, sep)
                break
            continue
        if suspended:
            continue
        if upper is not None:
            # Two-line records: item line (pos, code, description) then a numbers line (qty, unit, prices).
            numbers_in_row = sum(1 for t in row.tokens if _is_number_token(t.text))
            others = [t for t in row.tokens if not _is_number_token(t.text) and not canonical_unit(t.text)]
            numeric_only = numbers_in_row >= 1 and (not others or (numbers_in_row >= 2 and len(others) == 1
                                                                   and len(others[0].text) <= 8))
            if numeric_only and anchor:
                if record_prev is not None:
                    for role, toks in assign(record_prev, upper).items():
                        cells.setdefault(role, []).extend(toks)
                    result.used_rows.add(record_prev.index)
                items.append(_Item(row, cells))
                record_prev, last_row = None, row
                result.used_rows.add(row.index)
                continue
            if record_prev is None or row.top - record_prev.bottom > row.height * 0.8:
                record_prev = row
            else:
                record_prev = Row(record_prev.tokens + row.tokens, record_prev.page, record_prev.index,
                                  record_prev.top, row.bottom, record_prev.unit, record_prev.part)
            last_row = row
            continue
        if anchor:
            item = _Item(row, cells)
            if pending:
                prev = items[-1] if items else None
                for extra in pending:
                    if prev is not None and extra.top - prev.row.bottom <= row.top - extra.bottom + 0.01:
                        prev.extra_below.append(extra)
                    else:
                        item.extra_above.append(extra)
                pending = []
            items.append(item)
            awaiting_header = False
            last_row = row
            result.used_rows.add(row.index)
            continue
        if awaiting_header:
            continue
        text_only = all(r in ITEM_ROLES or r in {"", "uom"} for r in cells) and (
            cells.get("description") or cells.get(""))
        if text_only and (items or row.unit == "pt"):
            if row.unit == "pt" and row.top - last_row.bottom > row.height * 2.5 and items:
                continue
            if row.unit != "pt" and not items:
                continue
            pending.append(row)
            last_row = row
            continue
        if items and row.unit != "pt":
            _scan_after(rows, i - 1, result, sep)
            break
    wrapped = any(it.extra_above or it.extra_below for it in items[:-1])
    if pending and items and (wrapped or len(items) == 1 or pending[0].unit != "pt"):
        last = items[-1]
        for extra in pending:
            if extra.unit != "pt" or extra.top - last.row.bottom <= extra.height * 1.2:
                last.extra_below.append(extra)
                last = items[-1]
    if _retype_columns(items, result.columns):
        for item in items:
            item.cells = assign(item.row, result.columns)
    for item in items[:1]:
        for role, toks in item.cells.items():
            if role.startswith("hdr:") and toks:
                result.header_values[role[4:]] = toks
    for item in items:
        line = _make_line(item, result.columns, sep, date_order, language)
        result.lines.append(line)
        result.used_rows.add(item.row.index)
        result.used_rows.update(r.index for r in item.extra_above + item.extra_below)
    roles = _roles(result.columns)
    result.confidence = min(1.0, 0.55 + 0.1 * len(roles & {"qty", "unit_price", "line_total", "description"}) +
                            0.05 * len(roles & CODE_ROLES))
    return result


def _record_upper(rows: list[Row], start: int) -> list[Column] | None:
    """Columns of an item line printed above a numbers-only header line (two-line records)."""
    if start == 0 or rows[start].unit != "pt":
        return None
    above, main = rows[start - 1], rows[start]
    if above.page != main.page or main.top - above.bottom > main.height * 1.5 or not above.tokens:
        return None
    cols = header_columns(above)
    roles = _roles(cols)
    if len(roles) >= 2 and roles & ITEM_ROLES and "qty" not in roles and not (_roles(header_columns(main)) & ITEM_ROLES):
        return cols
    return None


def _retype_columns(items: list[_Item], columns: list[Column]) -> bool:
    """A "code" column whose values are words (no digits) is really the description."""
    changed = False
    has_desc = any(c.role == "description" for c in columns)
    for col in columns:
        if col.role not in CODE_ROLES:
            continue
        values = [" ".join(t.text for t in it.cells.get(col.role, [])) for it in items]
        values = [v for v in values if v]
        if values and sum(1 for v in values if not _is_code_token(v)) >= 0.6 * len(values):
            col.role = None if has_desc else "description"
            has_desc = True
            changed = True
    return changed


def _scan_after(rows: list[Row], i: int, result: TableResult, sep: str | None) -> None:
    for row in rows[i:i + 15]:
        label = _row_label(row, LINE_COUNT_LABELS)
        numbers = _numbers(row, sep)
        if label and numbers and result.printed_line_count is None and numbers[-1] == numbers[-1].to_integral_value():
            result.printed_line_count = int(numbers[-1])
            result.used_rows.add(row.index)
        total = total_candidate(row, sep)
        if total and all(t[3] is not row for t in result.totals):
            result.totals.append(total)
            result.used_rows.add(row.index)


def _text_of(tokens: list[Token]) -> str:
    return " ".join(t.text for t in sorted(tokens, key=lambda t: (t.top, t.x0))).strip()


def _make_line(item: _Item, columns: list[Column], sep: str | None, date_order: str | None,
               language: str | None) -> ExtractedLine:
    line = ExtractedLine()
    cells = item.cells
    conf = 0.9 if item.row.unit == "pt" else 0.95

    def prov(tokens: list[Token]):
        return provenance(merge_sources(tokens))

    for role in ("sku", "customer_sku", "gtin"):
        toks = cells.get(role)
        if toks:
            value = " ".join(t.text for t in toks).strip()
            if role == "gtin":
                value = re.sub(r"\s", "", value)
            set_line(line, role, value, conf, prov(toks))
    desc_tokens = list(cells.get("description", []))
    extra_tokens: list[Token] = []
    for extra in item.extra_above + item.extra_below:
        ex_cells = assign(extra, columns)
        for role in ("sku", "customer_sku") :
            if ex_cells.get(role) and getattr(line, role) is None and all(_is_code_token(t.text) for t in ex_cells[role]):
                set_line(line, role, " ".join(t.text for t in ex_cells[role]), conf * 0.9, prov(ex_cells[role]))
                ex_cells.pop(role)
        extra_tokens.extend(t for r, toks in ex_cells.items() if r in {"description", "", "sku", "customer_sku"} for t in toks)
    above = [t for t in extra_tokens if t.top < item.row.top]
    below = [t for t in extra_tokens if t.top >= item.row.top]
    parts = [_text_of(above), _text_of(desc_tokens), _text_of(below)]
    description = " ".join(p for p in parts if p).strip() or None
    if description and not cells.get("delivery_date") and any(c.role == "delivery_date" for c in columns):
        # an overlong description ran into the date column: "…zinc plated30/12/2026"
        m = re.search(r"(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})$", description)
        if m and parse_date(m.group(1), date_order, language):
            set_line(line, "delivery_date", parse_date(m.group(1), date_order, language), conf * 0.8, prov(desc_tokens))
            description = description[:m.start()].strip() or None
    if description:
        m = _BRACKET_SKU.search(description)
        if m and line.sku is None:
            # "[KIT-9014] ..." or "... (Art. KL-10462)": our article number inside the description
            set_line(line, "sku", (m.group(1) or m.group(2)).strip(), conf * 0.95, prov(desc_tokens or above))
        set_line(line, "description", description, conf, prov(desc_tokens + above + below))
    qty, unit = _qty_value(cells.get("qty", []), sep)
    set_line(line, "qty", qty, conf, prov(cells.get("qty", [])))
    uom_tokens = cells.get("uom", [])
    if uom_tokens:
        set_line(line, "uom", " ".join(t.text for t in uom_tokens), conf, prov(uom_tokens))
    elif unit:
        set_line(line, "uom", unit, conf * 0.95, prov(cells.get("qty", [])))
    for role in ("unit_price", "line_total"):
        toks = cells.get(role, [])
        values = [parse_number(t.text, sep) for t in toks]
        values = [v for v in values if v is not None]
        if values:
            set_line(line, role, values[-1], conf, prov(toks))
    toks = cells.get("line_no", [])
    if toks:
        m = re.match(r"\d+", toks[0].text.strip())
        if m:
            set_line(line, "line_no", int(m.group()), conf, prov(toks))
    toks = cells.get("delivery_date", [])
    if toks:
        set_line(line, "delivery_date", parse_date(" ".join(t.text for t in toks), date_order, language), conf * 0.95,
                 prov(toks))
    if line.qty is None and line.unit_price and line.line_total is not None:
        # quantity unreadable (overprinted by a long description): derive it from the printed amounts
        derived = line.line_total / line.unit_price
        if derived == derived.to_integral_value() and derived > 0:
            set_line(line, "qty", derived.quantize(Decimal(1)), 0.5)
    # Arithmetic cross-check raises or lowers confidence in the numbers.
    if line.qty is not None and line.unit_price is not None and line.line_total is not None:
        expected = line.qty * line.unit_price
        ok = abs(expected - line.line_total) <= max(Decimal("0.02"), abs(line.line_total) * Decimal("0.001"))
        for name in ("qty", "unit_price", "line_total"):
            line.confidence[name] = min(1.0, line.confidence.get(name, conf) + 0.05) if ok else line.confidence.get(name, conf) * 0.8
    return line


def find_tables(rows: list[Row], sep: str | None, date_order: str | None = None, language: str | None = None,
                hints: dict | None = None) -> list[TableResult]:
    """Every line-item table in the rows, in reading order."""
    results: list[TableResult] = []
    i = 0
    consumed: set[int] = set()
    while i < len(rows):
        row = rows[i]
        if row.index not in consumed and is_header(row):
            result = read_table(rows, i, sep, date_order, language, hints)
            if result.lines:
                results.append(result)
                consumed |= result.used_rows
                i = max(result.used_rows) + 1 if result.used_rows else i + 1
                # skip to the row after the last consumed one
                i = next((k for k, r in enumerate(rows) if r.index > max(result.used_rows)), len(rows))
                continue
        i += 1
    return results
