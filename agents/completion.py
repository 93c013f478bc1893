"""Complete a proposed order with what the document did not print, from master data.

Orders written as prose rarely print prices or totals, and X12 carries no line totals; the
distributor books them at the customer's contract price (else the list price). The order date
defaults to the day the message was sent. Every derived value is listed, so a reviewer can see
what was read and what was filled in.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from agents.master import MasterView

CENT = Decimal("0.01")


def _dec(value) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        return None


def _fmt(value: Decimal) -> str:
    return format(value, "f")


def complete(proposal: dict, master: MasterView, sent_date: str | None, *, date_in_text: bool = True,
             line_dates: list[str | None] | None = None) -> tuple[list[str], list[str]]:
    """Fill missing order date, unit prices, line totals and order total in place.

    Returns (what was filled, which filled fields are uncertain). A mail written as text is
    dated by its sending; a document (PDF, sheet) prints its own date, so one we could not read
    is filled but uncertain.
    """
    derived, uncertain = [], []
    if not proposal.get("requested_delivery_date") and line_dates:
        dates = sorted({d for d in line_dates if d})
        if dates:
            proposal["requested_delivery_date"] = dates[0]
            derived.append("requested_delivery_date: the lines' delivery date")
            if len(dates) > 1:
                uncertain.append("requested_delivery_date")  # lines want different dates: earliest taken
    if not proposal.get("order_date") and sent_date:
        proposal["order_date"] = sent_date
        derived.append("order_date: the day the message was sent")
        if not date_in_text:
            uncertain.append("order_date")
    customer_id = proposal.get("customer_id")
    complete_lines = True
    for line in proposal.get("lines") or []:
        qty, qty_base = _dec(line.get("qty")), _dec(line.get("qty_base"))
        price, total = _dec(line.get("unit_price")), _dec(line.get("line_total"))
        product = master.products.get(line.get("sku") or "")
        if price is None and product is not None and qty:
            contract = master.contract_price(customer_id, product.sku, qty_base, None)
            base = contract.unit_price if contract else product.unit_price
            if base is not None:
                factor = (qty_base / qty) if qty_base is not None else Decimal(1)
                price = (base * factor).normalize() if factor != 1 else base
                line["unit_price"] = _fmt(price)
                derived.append(f"line {line.get('line_no')}: unit price from {'contract' if contract else 'list'} price")
        if total is None and price is not None and qty is not None:
            total = (qty * price).quantize(CENT, rounding=ROUND_HALF_UP)
            line["line_total"] = _fmt(total)
            derived.append(f"line {line.get('line_no')}: line total = qty × unit price")
        if total is None:
            complete_lines = False
    if not proposal.get("currency"):
        currencies = {master.products[x["sku"]].currency for x in proposal.get("lines") or []
                      if x.get("sku") in master.products and master.products[x["sku"]].currency}
        if len(currencies) == 1:
            proposal["currency"] = currencies.pop()
            derived.append("currency: the price list's currency")
    if proposal.get("order_total") is None and complete_lines and proposal.get("lines"):
        proposal["order_total"] = _fmt(sum((_dec(x["line_total"]) for x in proposal["lines"]), Decimal(0)))
        derived.append("order_total: sum of the line totals")
    return derived, uncertain
