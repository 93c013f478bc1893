"""Business-rule checks of a proposed order, asked of oms_core through the OrderBook port.

oms_core's own `validate_order` is used when it is installed; until then these checks apply the
same rule set (price tolerance, pack size, duplicate PO, delivery date, arithmetic, ship-to)
on the master-data snapshot. Results use oms_core's RuleResult shape as dicts.
"""
from __future__ import annotations

import importlib.util
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from agents.master import MasterView


def _dec(value) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def result(code: str, severity: str, en: str, de: str, line_no=None, **data) -> dict:
    return {"code": code, "severity": severity, "message_en": en, "message_de": de, "line_no": line_no, "data": data}


def price_results(master: MasterView, proposal: dict, rules: dict) -> list[dict]:
    """PO price per base unit vs the customer's contract (else list) price, within the tolerance."""
    out = []
    customer_id = proposal.get("customer_id")
    tolerance = Decimal(str(rules.get("price_tolerance_pct", 2)))
    on = _date(proposal.get("order_date"))
    for line in proposal.get("lines") or []:
        sku, price, qty, qty_base = line.get("sku"), _dec(line.get("unit_price")), _dec(line.get("qty")), _dec(line.get("qty_base"))
        product = master.products.get(sku) if sku else None
        if product is None or price is None:
            continue
        contract = master.contract_price(customer_id, sku, qty_base, on)
        expected = contract.unit_price if contract else product.unit_price
        if expected is None or expected == 0:
            continue
        factor = (qty_base / qty) if qty and qty_base else Decimal(1)
        per_base = price / factor
        deviation = abs(per_base - expected) / expected * 100
        if deviation > tolerance:
            out.append(result("price_mismatch", "error",
                              f"line {line.get('line_no')}: price {price} differs from {expected * factor} ({deviation:.1f} %)",
                              f"Pos. {line.get('line_no')}: Preis {price} weicht von {expected * factor} ab ({deviation:.1f} %)",
                              line.get("line_no"), expected=str(expected * factor), printed=str(price)))
    return out


def pack_results(master: MasterView, proposal: dict, rules: dict) -> list[dict]:
    """Base quantities must be whole multiples of the pack size."""
    if not rules.get("check_pack_size", True):
        return []
    out = []
    for line in proposal.get("lines") or []:
        product = master.products.get(line.get("sku") or "")
        qty_base = _dec(line.get("qty_base"))
        if product is None or qty_base is None or not product.pack_size or product.pack_size <= 1:
            continue
        if qty_base % product.pack_size != 0:
            out.append(result("pack_size", "error",
                              f"line {line.get('line_no')}: {qty_base} is not a multiple of the pack size {product.pack_size}",
                              f"Pos. {line.get('line_no')}: {qty_base} ist kein Vielfaches der VPE {product.pack_size}",
                              line.get("line_no"), pack_size=str(product.pack_size)))
    return out


def arithmetic_results(proposal: dict, rules: dict) -> list[dict]:
    """qty × unit price = line total, within the rounding tolerance."""
    tolerance = Decimal(str(rules.get("total_rounding_tolerance", "0.05")))
    out = []
    for line in proposal.get("lines") or []:
        qty, price, total = _dec(line.get("qty")), _dec(line.get("unit_price")), _dec(line.get("line_total"))
        if None in (qty, price, total):
            continue
        if abs(qty * price - total) > max(tolerance, total.copy_abs() * Decimal("0.0005")):
            out.append(result("total_mismatch", "error",
                              f"line {line.get('line_no')}: {qty} × {price} is not {total}",
                              f"Pos. {line.get('line_no')}: {qty} × {price} ergibt nicht {total}", line.get("line_no")))
    return out


def date_results(proposal: dict, rules: dict, received: date | None) -> list[dict]:
    """Requested delivery not in the past (before the order/receipt date) and not inside the lead time."""
    requested = _date(proposal.get("requested_delivery_date"))
    ordered = _date(proposal.get("order_date")) or received
    if requested is None or ordered is None:
        return []
    reference = max(d for d in (ordered, received) if d is not None)
    if requested < reference:
        return [result("past_delivery_date", "error", f"requested delivery {requested} is before {reference}",
                       f"Wunschtermin {requested} liegt vor {reference}")]
    lead = int(rules.get("lead_time_days") or 0)
    if lead and requested < ordered + timedelta(days=lead):
        return [result("short_lead_time", "warning", f"requested delivery {requested} is inside the lead time of {lead} days",
                       f"Wunschtermin {requested} liegt innerhalb der Lieferzeit von {lead} Tagen")]
    return []


def header_results(master: MasterView, proposal: dict) -> list[dict]:
    """Ship-to known; the order's currency is the one the customer is priced in."""
    out = []
    customer = master.customers.get(proposal.get("customer_id") or "")
    if customer is None:
        return out
    if customer.ship_tos and not proposal.get("ship_to_id"):
        out.append(result("unknown_ship_to", "warning", "ship-to address not recognised", "Lieferadresse unbekannt"))
    currency = proposal.get("currency")
    if currency and customer.currency and currency.upper() != customer.currency.upper():
        out.append(result("currency_mismatch", "warning", f"currency {currency}, customer is billed in {customer.currency}",
                          f"Währung {currency}, Kunde wird in {customer.currency} fakturiert"))
    return out


def run_checks(book, message_key: str, proposal: dict, received: str | None = None) -> tuple[list[dict], dict]:
    """All rule results for a proposal, and the customer's thresholds."""
    rules = book.effective_rules(proposal.get("customer_id"))
    if (importlib.util.find_spec("oms_core.service_layer.validation") is not None
            and importlib.util.find_spec("agents.core_validation") is not None):
        from agents.core_validation import core_validate

        return core_validate(book, message_key, proposal, rules, received)
    master = book.master()
    out = []
    out += price_results(master, proposal, rules)
    out += pack_results(master, proposal, rules)
    out += arithmetic_results(proposal, rules)
    out += date_results(proposal, rules, _date(received))
    out += header_results(master, proposal)
    if proposal.get("customer_id") and proposal.get("po_number"):
        found = book.find_order(proposal["customer_id"], proposal["po_number"])
        if found and any(k != message_key for k in found.get("all_message_keys", [found.get("message_key")])):
            out.append(result("duplicate_po", "error", f"PO {proposal['po_number']} was booked before ({found['order_id']})",
                              f"Bestellnummer {proposal['po_number']} wurde schon gebucht ({found['order_id']})"))
    thresholds = {k: rules[k] for k in ("auto_accept", "auto_accept_max_order_value", "min_field_confidence",
                                        "min_match_score") if k in rules}
    return out, thresholds
