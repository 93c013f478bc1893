"""Table header recognition: column roles from header words (six languages), stacked and two-line headers."""
from __future__ import annotations

import re
from dataclasses import dataclass

from agents.extractors.labels import COLUMN_LABELS, HEADER_LABELS, match_vocab, norm
from agents.extractors.layout import Row
from agents.extractors.numbers import looks_numeric

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


def may_be_header(row: Row) -> bool:
    """Cheap first test (before the labels are read): a header has words and few numbers."""
    if not row.tokens:
        return False
    numeric = sum(1 for t in row.tokens if looks_numeric(t.text) and not t.text.strip().isdigit() or
                  re.fullmatch(r"\d{2,}", t.text.strip()) is not None)
    return numeric <= max(1, len(row.tokens) // 4)


def is_header(row: Row, columns: list[Column] | None = None) -> bool:
    """A row that names at least a quantity-like and an item-like column, with few numbers."""
    if not may_be_header(row):
        return False
    columns = columns if columns is not None else header_columns(row)
    roles = _roles(columns)
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
