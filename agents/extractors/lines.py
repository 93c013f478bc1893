"""One table item (anchor row plus wrapped rows) to an ExtractedLine with confidences and provenance."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from agents.schema import ExtractedLine
from agents.extractors.cells import _is_code_token, _qty_value, assign
from agents.extractors.columns import _BRACKET_SKU, CODE_ROLES, Column
from agents.extractors.common import provenance, set_line
from agents.extractors.dates import parse_date
from agents.extractors.layout import Row, Token, merge_sources
from agents.extractors.numbers import normalise, parse_number

@dataclass
class _Item:
    row: Row
    cells: dict[str, list[Token]]
    extra_above: list[Row] = field(default_factory=list)
    extra_below: list[Row] = field(default_factory=list)



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
    if line.unit_price is None and line.qty and line.line_total is not None:
        derived = line.line_total / line.qty
        if derived == derived.quantize(Decimal("0.0001")):
            set_line(line, "unit_price", normalise(derived), 0.5)
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
