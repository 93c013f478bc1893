"""Amending a pushed Tryton sale: a change order rewrites its lines, a cancellation cancels it.

What Tryton 8.2's `sale.sale` allows: lines are created or deleted only while the sale is a
draft; `draft` is a transition from quotation, confirmed or cancelled; `cancel` one from draft or
quotation. A sale that is processing or done (shipment and invoice created on confirm) cannot be
amended over RPC, so the amendment is refused with a readable diff for a person to apply in
Tryton. Either way the amendment never creates a second sale.

Workflow transitions skip records in a state they do not start from without an error, so the
state is read back after each one.
"""
from __future__ import annotations

import logging
import re
from decimal import Decimal
from typing import Any

from oms_core.adapters.erp.base import ErpRejected, ErpUnavailable

log = logging.getLogger(__name__)

REOPENABLE = {"quotation", "confirmed"}  # states Tryton moves back to draft
CANCELLABLE = {"draft", "quotation"}
_APPLIED = re.compile(r"\n?OMS change (\d+) applied")


def amend_sale(adapter, order: dict[str, Any]) -> str:
    """Apply `order["change"]` or `order["cancel"]` to the sale of `order["amends"]`; its number."""
    reference = order["amends"]
    sale = adapter.find_sale(reference)
    if sale is None:
        # The first push is still queued or backing off: try again after it.
        raise ErpUnavailable(f"no Tryton sale {reference} yet to amend; waiting for its first push")
    if order.get("cancel"):
        return _cancel(adapter, sale)
    return _change(adapter, sale, order)


def _number(sale: dict) -> str:
    return sale["number"] or str(sale["id"])


def _state(adapter, sale_id: int) -> str:
    return adapter.rpc.model("sale.sale", "read", [sale_id], ["state"])[0]["state"]


def _reopen(adapter, sale: dict) -> str:
    """Back to draft where Tryton allows it; returns the state the sale is in afterwards."""
    if sale["state"] not in REOPENABLE:
        return sale["state"]
    adapter.rpc.model("sale.sale", "draft", [sale["id"]])
    return _state(adapter, sale["id"])


def _cancel(adapter, sale: dict) -> str:
    if sale["state"] == "cancelled":
        return _number(sale)
    state = _reopen(adapter, sale) if sale["state"] == "confirmed" else sale["state"]
    if state in CANCELLABLE:
        adapter.rpc.model("sale.sale", "cancel", [sale["id"]])
        state = _state(adapter, sale["id"])
    if state != "cancelled":
        raise ErpRejected(f"sale {_number(sale)} is confirmed in Tryton ({state}); the cancellation "
                          "must be done there by hand (its shipment and invoice first)")
    log.info("cancelled Tryton sale %s", _number(sale))
    return _number(sale)


def _change(adapter, sale: dict, order: dict[str, Any]) -> str:
    number, change_no = _number(sale), int(order["change"].get("number") or 0)
    if sale["state"] == "cancelled":
        raise ErpRejected(f"sale {number} was cancelled in Tryton; change {change_no} cannot be applied")
    if change_no and _applied(sale) >= change_no:
        log.info("change %s of sale %s was applied before (or a newer one)", change_no, number)
        return adapter.confirm_sale(sale["id"], sale["state"])
    wanted = adapter.sale_lines(order, order["amends"])
    have = adapter.rpc.search_read("sale.line", [("sale", "=", sale["id"]), ("type", "=", "line")],
                                   ["id", "product", "quantity", "unit_price"])
    if _key(have) != _key(wanted):
        state = _reopen(adapter, sale)
        if state != "draft":
            raise ErpRejected(f"sale {number} is confirmed in Tryton ({state}); change {change_no} "
                              f"must be applied there by hand: {_diff(adapter, have, wanted)}")
    else:
        state = sale["state"]
    values: dict[str, Any] = {"comment": _mark(sale, change_no)}
    if state == "draft":
        values |= {"lines": [["delete", [line["id"] for line in have]], ["create", wanted]],
                   **adapter.delivery(order, adapter.party(order.get("customer_id")))}
    adapter.rpc.model("sale.sale", "write", [sale["id"]], values)
    log.info("applied change %s to Tryton sale %s", change_no, number)
    return adapter.confirm_sale(sale["id"], state)


def _applied(sale: dict) -> int:
    return max((int(n) for n in _APPLIED.findall(sale.get("comment") or "")), default=0)


def _mark(sale: dict, change_no: int) -> str:
    """The sale comment noting the last change applied (so an older one is never replayed)."""
    return f"{_APPLIED.sub('', sale.get('comment') or '')}\nOMS change {change_no} applied".lstrip()


def _key(lines: list[dict]) -> list[tuple]:
    """Lines compared as Tryton stores them: product, quantity (a float) and unit price."""
    return sorted((line["product"], Decimal(str(line["quantity"])), Decimal(line["unit_price"]))
                  for line in lines)


def _totals(lines: list[dict], codes: dict[int, str]) -> dict[str, tuple[Decimal, Decimal]]:
    out: dict[str, tuple[Decimal, Decimal]] = {}
    for product, qty, price in _key(lines):
        code = codes.get(product, f"product {product}")
        out[code] = (out.get(code, (Decimal(0), price))[0] + qty, price)
    return out


def _diff(adapter, have: list[dict], wanted: list[dict]) -> str:
    """What a person has to change in Tryton, per product code: `SKU-100 quantity 3 -> 5; ...`."""
    ids = sorted({line["product"] for line in have + wanted})
    codes = {row["id"]: row["code"] for row in adapter.rpc.model("product.product", "read", ids, ["code"])}
    before, after = _totals(have, codes), _totals(wanted, codes)
    parts = []
    for code in sorted(before.keys() | after.keys()):
        (old_qty, old_price), (new_qty, new_price) = before.get(code, (None, None)), after.get(code, (None, None))
        if old_qty is None:
            parts.append(f"{code} add {_n(new_qty)} at {_n(new_price)}")
        elif new_qty is None:
            parts.append(f"{code} remove (was {_n(old_qty)})")
        else:
            if old_qty != new_qty:
                parts.append(f"{code} quantity {_n(old_qty)} -> {_n(new_qty)}")
            if old_price != new_price:
                parts.append(f"{code} unit price {_n(old_price)} -> {_n(new_price)}")
    return "; ".join(parts)


def _n(value: Decimal) -> str:
    return format(value.normalize(), "f")
