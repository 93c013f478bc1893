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
from agents.extractors.cells import _is_anchor, _is_number_token, assign
from agents.extractors.columns import (
    _BRACKET_SKU, CODE_ROLES, ITEM_ROLES, Column, _merge_stacked, _record_upper, _roles, header_columns, is_header,
    may_be_header, resolve_roles,
)
from agents.extractors.labels import CARRIED_LABELS, LINE_COUNT_LABELS, TOTAL_LABELS
from agents.extractors.layout import Row, Token
from agents.extractors.lines import _Item, _make_line, _retype_columns
from agents.extractors.numbers import looks_numeric
from agents.extractors.rowkinds import _is_page_footer, _numbers, _row_label, total_candidate
from agents.extractors.units import canonical_unit

__all__ = ["Column", "TableResult", "find_tables", "header_columns", "is_header", "read_table", "resolve_roles"]


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
                _scan_after(rows, i, result, sep)  # totals and line counts follow after a blank line
                break
            continue
        blank_run = 0
        cols = header_columns(row) if may_be_header(row) else None
        if cols is not None and is_header(row, cols):
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
        short_label = total is not None and len([t for t in row.tokens if not looks_numeric(t.text)]) <= 5 and not any(
            re.search(r"\d", t.text) for r in CODE_ROLES for t in cells.get(r, []))
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
        if awaiting_header and anchor and sum(
                1 for r in ("qty", "unit_price", "line_total") if any(looks_numeric(t.text) for t in cells.get(r, []))) < 2:
            continue  # a page header line before the repeated table header, not an item
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
    wrapped = any(it.extra_above or it.extra_below for it in items[:-1]) or any(
        _BRACKET_SKU.search(p.text) or p.text[:1].islower() for p in pending[:1])  # "(HY-10255)", "zinc plated"
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
