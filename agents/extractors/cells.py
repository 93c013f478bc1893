"""Data-row tokens to columns: x-regions from the header, type checks, crowded numeric columns."""
from __future__ import annotations

import re
from decimal import Decimal

from agents.extractors.columns import CODE_ROLES, ITEM_ROLES, NUMERIC_ROLES, Column
from agents.extractors.layout import Row, Token
from agents.extractors.numbers import looks_numeric, parse_number
from agents.extractors.units import canonical_unit

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
        weight: dict[int, float] = {}
        for i, (tok, idx) in enumerate(zip(group, idxs)):
            if i not in tail:
                weight[idx] = weight.get(idx, 0.0) + (tok.x1 - tok.x0)
        home = max(weight, key=weight.get)  # most of the phrase's ink decides where it belongs
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
        if role in CODE_ROLES and len(keep) > 1 and desc_idx is not None and desc_idx > idx:
            # an article number is one token; words after it spilled over from the description
            move.extend(keep[1:])
            keep = keep[:1]
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
    if qty is not None and qty >= 10_000_000:
        return False  # a PO or phone number under the quantity column, not a quantity
    if qty is not None and qty > 0 and (has_item or money):
        return True
    return bool(len(money) == 2 and has_item)
