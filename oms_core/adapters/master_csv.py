"""Read and validate a master-data CSV folder (DESIGN contract); every bad row is reported.

`read_master_folder(folder)` returns a MasterDataSet of clean row dicts per table, or raises
MasterDataInvalid listing `file:line: column 'value' why` for every problem in every file.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable

from tqdm import tqdm

from oms_core.domain.errors import MasterDataInvalid


class _Bad(ValueError):
    """A cell failed its check; the message says why."""


def _text(v: str):
    return v or None


def _decimal(minimum: Decimal | None = None, positive: bool = False):
    def parse(v: str):
        if v == "":
            return None
        try:
            d = Decimal(v)
        except InvalidOperation:
            raise _Bad("is not a decimal") from None
        if not d.is_finite():
            raise _Bad("is not a decimal")
        if positive and d <= 0:
            raise _Bad("must be greater than 0")
        if minimum is not None and d < minimum:
            raise _Bad(f"must be at least {minimum}")
        if abs(d) >= Decimal("1e14"):
            raise _Bad("is too large")
        return d
    return parse


def _bool(v: str):
    if v == "":
        return None
    low = v.strip().lower()
    if low in {"1", "true", "yes", "y", "t"}:
        return True
    if low in {"0", "false", "no", "n", "f"}:
        return False
    raise _Bad("is not a boolean (true/false)")


def _date(v: str):
    if v == "":
        return None
    try:
        return date.fromisoformat(v)
    except ValueError:
        raise _Bad("is not an ISO date (YYYY-MM-DD)") from None


def _pattern(regex: str, what: str, transform=str.upper):
    compiled = re.compile(regex)

    def parse(v: str):
        if v == "":
            return None
        if not compiled.fullmatch(v):
            raise _Bad(f"is not {what}")
        return transform(v)
    return parse


def _domains(v: str):
    domains = [d.strip().lower().lstrip("@") for d in v.split(";") if d.strip()]
    for d in domains:
        if not re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", d):
            raise _Bad(f"holds {d!r}, not an email domain")
    return domains


_country = _pattern(r"[A-Za-z]{2}", "a 2-letter country code")
_currency = _pattern(r"[A-Za-z]{3}", "a 3-letter currency code")
_gtin = _pattern(r"\d{8}|\d{12,14}", "a GTIN (8, 12, 13 or 14 digits)", transform=str)

# column -> (parser, required, default when empty)
Spec = dict[str, tuple[Callable, bool, object]]
SPECS: dict[str, tuple[Spec, tuple[str, ...]]] = {
    "products.csv": ({
        "sku": (_text, True, None), "name": (_text, True, None), "description": (_text, False, None),
        "uom": (_text, True, None), "pack_size": (_decimal(positive=True), False, Decimal(1)),
        "unit_price": (_decimal(Decimal(0)), False, None), "currency": (_currency, False, "EUR"),
        "gtin": (_gtin, False, None), "active": (_bool, False, True)}, ("sku",)),
    "uom_conversions.csv": ({
        "sku": (_text, True, None), "uom": (_text, True, None),
        "factor": (_decimal(positive=True), True, None)}, ("sku", "uom")),
    "customers.csv": ({
        "customer_id": (_text, True, None), "name": (_text, True, None), "email_domains": (_domains, False, []),
        "vat_id?": (_text, False, None), "language": (_pattern(r"[A-Za-z]{2}", "a 2-letter language code",
                                                               str.lower), False, "en"),
        "currency": (_currency, False, "EUR"), "credit_limit": (_decimal(Decimal(0)), False, None),
        "payment_terms": (_text, False, None), "bill_street": (_text, False, None),
        "bill_postal_code": (_text, False, None), "bill_city": (_text, False, None),
        "bill_country": (_country, False, None), "active?": (_bool, False, True)}, ("customer_id",)),
    "ship_to.csv": ({
        "customer_id": (_text, True, None), "ship_to_id": (_text, True, None), "name": (_text, False, None),
        "street": (_text, False, None), "postal_code": (_text, False, None), "city": (_text, False, None),
        "country": (_country, False, None)}, ("customer_id", "ship_to_id")),
    "customer_items.csv": ({
        "customer_id": (_text, True, None), "customer_sku": (_text, True, None), "sku": (_text, True, None),
        "customer_description": (_text, False, None)}, ("customer_id", "customer_sku")),
    "prices.csv": ({
        "customer_id": (_text, True, None), "sku": (_text, True, None),
        "unit_price": (_decimal(Decimal(0)), True, None), "currency": (_currency, False, "EUR"),
        "valid_from": (_date, False, None), "valid_to": (_date, False, None),
        "min_qty": (_decimal(Decimal(0)), False, None)}, ("customer_id", "sku", "valid_from", "min_qty")),
    "warehouses.csv": ({
        "warehouse_id": (_text, True, None), "name": (_text, False, None), "country": (_country, False, None),
        "postal_code": (_text, False, None)}, ("warehouse_id",)),
    "stock.csv": ({
        "warehouse_id": (_text, True, None), "sku": (_text, True, None),
        "on_hand": (_decimal(Decimal(0)), True, None)}, ("warehouse_id", "sku")),
    "kits.csv": ({
        "kit_sku": (_text, True, None), "component_sku": (_text, True, None),
        "qty": (_decimal(positive=True), True, None)}, ("kit_sku", "component_sku")),
}
# (file, column) must name a key of (file, column) in the import or already in the database
REFERENCES = (
    ("uom_conversions.csv", "sku", "products"), ("ship_to.csv", "customer_id", "customers"),
    ("customer_items.csv", "customer_id", "customers"), ("customer_items.csv", "sku", "products"),
    ("prices.csv", "customer_id", "customers"), ("prices.csv", "sku", "products"),
    ("stock.csv", "warehouse_id", "warehouses"), ("stock.csv", "sku", "products"),
    ("kits.csv", "kit_sku", "products"), ("kits.csv", "component_sku", "products"),
)
_KEY_OF = {"products": ("products.csv", "sku"), "customers": ("customers.csv", "customer_id"),
           "warehouses": ("warehouses.csv", "warehouse_id")}


@dataclass
class MasterDataSet:
    """Clean rows per table name (file name without .csv), with their source line numbers."""

    tables: dict[str, list[dict]] = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)

    def count(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}


def read_master_folder(folder: Path, existing_keys: Callable[[str], set] | None = None,
                       progress: bool = True) -> MasterDataSet:
    """Parse and check every known CSV in `folder`; raise MasterDataInvalid listing all problems."""
    folder = Path(folder)
    if not folder.is_dir():
        raise MasterDataInvalid([f"{folder}: not a folder"])
    files = [name for name in SPECS if (folder / name).is_file()]
    if not files:
        raise MasterDataInvalid([f"{folder}: none of {', '.join(SPECS)} found"])
    data, problems = MasterDataSet(), []
    for name in files:
        rows, lines = _read_file(folder / name, problems, progress)
        data.tables[name.removesuffix(".csv")] = rows
        data.lines[name.removesuffix(".csv")] = lines
    _check_references(data, problems, existing_keys or (lambda table: set()))
    if problems:
        raise MasterDataInvalid(problems)
    return data


def _read_file(path: Path, problems: list[str], progress: bool) -> tuple[list[dict], list[int]]:
    spec, key = SPECS[path.name]
    columns = {c.rstrip("?"): parser for c, parser in spec.items()}
    rows, lines, seen = [], [], {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(f"{path.name}:1: file is not UTF-8 ({exc.reason})")
        return rows, lines
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in spec if not c.endswith("?") and c not in header]
    if missing:
        problems.append(f"{path.name}:1: missing column(s) {', '.join(repr(c) for c in missing)}")
        return rows, lines
    index = {c: header.index(c) for c in columns if c in header}
    for cells in tqdm(reader, desc=f"check {path.name}", unit=" rows", disable=None if progress else True, leave=False):
        line_no = reader.line_num  # physical line (quoted fields may span lines)
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(f"{path.name}:{line_no}: has {len(cells)} fields, the header has {len(header)}")
            continue
        row, ok = {}, True
        for column, (parser, required, default) in columns.items():
            raw = cells[index[column]].strip() if column in index else ""
            if required and raw == "":
                problems.append(f"{path.name}:{line_no}: {column} is required")
                ok = False
                continue
            try:
                value = parser(raw)
            except _Bad as why:
                problems.append(f"{path.name}:{line_no}: {column} {raw!r} {why}")
                ok = False
                continue
            row[column] = default if value is None else value
        if not ok:
            continue
        if row.get("valid_from") and row.get("valid_to") and row["valid_to"] < row["valid_from"]:
            problems.append(f"{path.name}:{line_no}: valid_to '{row['valid_to']}' is before valid_from")
            continue
        row_key = tuple(row[k] for k in key)
        if row_key in seen:
            problems.append(f"{path.name}:{line_no}: {', '.join(key)} {row_key!r} repeats line {seen[row_key]}")
            continue
        seen[row_key] = line_no
        rows.append(row)
        lines.append(line_no)
    return rows, lines


def _check_references(data: MasterDataSet, problems: list[str], existing_keys) -> None:
    known: dict[str, set] = {}
    for file, column, target in REFERENCES:
        table = file.removesuffix(".csv")
        if table not in data.tables:
            continue
        if target not in known:
            target_file, target_column = _KEY_OF[target]
            known[target] = {r[target_column] for r in data.tables.get(target_file.removesuffix(".csv"), [])}
            known[target] |= set(existing_keys(target))
        for row, line_no in zip(data.tables[table], data.lines[table]):
            if row[column] not in known[target]:
                problems.append(f"{file}:{line_no}: {column} {row[column]!r} is not a known {target[:-1]}")
