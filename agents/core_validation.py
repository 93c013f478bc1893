"""Ask oms_core's validate_order about a proposal (JSON-like in, rule results as dicts out)."""
from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal, InvalidOperation


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


def to_draft(message_key: str, proposal: dict, kind: str, received: str | None):
    """The proposal as oms_core's OrderDraft. Confidence is weighed by agents.decide, not here."""
    from oms_core.domain.rules import DraftLine, OrderDraft

    lines = tuple(
        DraftLine(line_no=int(line.get("line_no") or i + 1), sku=line.get("sku"), qty=_dec(line.get("qty")),
                  uom=line.get("uom"), qty_base=_dec(line.get("qty_base")), unit_price=_dec(line.get("unit_price")),
                  line_total=_dec(line.get("line_total")), customer_sku=line.get("customer_sku"),
                  description=line.get("description"))
        for i, line in enumerate(proposal.get("lines") or []))
    return OrderDraft(
        customer_id=proposal.get("customer_id"), po_number=proposal.get("po_number"),
        order_date=_date(proposal.get("order_date")), requested_delivery_date=_date(proposal.get("requested_delivery_date")),
        ship_to_id=proposal.get("ship_to_id"), currency=proposal.get("currency"), lines=lines,
        order_total=_dec(proposal.get("order_total")), message_key=message_key,
        kind="change" if kind == "change" else "order", today=_date(received))


def core_validate(uow, message_key: str, proposal: dict, kind: str, received: str | None) -> tuple[list[dict], dict]:
    """oms_core's rule results and the customer's thresholds (with the rule-set versions used)."""
    from oms_core.service_layer.validation import validate_order

    report = validate_order(to_draft(message_key, proposal, kind, received), uow)
    results = [{**asdict(r), "data": {k: str(v) for k, v in (r.data or {}).items()}} for r in report.results]
    thresholds = dict(report.thresholds)
    thresholds["version"] = ".".join(str(v) for v in report.versions.values()) or "defaults"
    return results, thresholds
