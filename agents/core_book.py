"""The OrderBook port over oms_core's handlers and queries (the graph's only way to write).

Turns the workflow's JSON-like proposals into oms_core commands (Decimals, dates) and back.
Every write is safe to repeat: a node resumed after a crash re-runs from its top.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from agents.master import (ContractPrice, CustomerInfo, CustomerItem, MasterView, ProductInfo, ShipToInfo)

log = logging.getLogger(__name__)

# The snapshot is rebuilt when the master-data version (imports, learned cross references and
# layout hints, from any process) moves; the long TTL only catches edits made outside oms.
MASTER_TTL_S = 600.0


def _dec(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def json_safe(rules: dict) -> dict:
    """Rule values the checkpointed state can hold: Decimals as strings, confidences as floats."""
    out = {}
    for key, value in rules.items():
        if key in ("min_field_confidence", "min_match_score") and value is not None:
            out[key] = float(value)
        elif isinstance(value, Decimal):
            out[key] = str(value)
        else:
            out[key] = value
    return out


def from_master_data(md: Any) -> MasterView:
    """Adapt oms_core's MasterData snapshot into the matching view."""
    customers = {}
    for cid, c in md.customers.items():
        bill = c.bill_address
        ship_tos = tuple(ShipToInfo(s.customer_id, s.ship_to_id, s.name or "", s.street or "", s.postal_code or "",
                                    s.city or "", s.country or "") for s in md.ship_tos.get(cid, ()))
        customers[cid] = CustomerInfo(cid, c.name, tuple(d.lower() for d in c.email_domains), c.vat_id, c.language,
                                      c.currency, bill.street or "", bill.postal_code or "", bill.city or "",
                                      bill.country or "", ship_tos)
    products = {sku: ProductInfo(sku, p.name, p.description or "", p.uom, p.pack_size, p.unit_price, p.currency,
                                 p.gtin, p.active) for sku, p in md.products.items()}
    items = tuple(CustomerItem(i.customer_id, i.customer_sku, i.sku, i.customer_description or "")
                  for i in md.customer_items.values())
    factors: dict[str, dict[str, Decimal]] = {}
    for (sku, uom), factor in md.uom_conversions.items():
        factors.setdefault(sku, {})[uom] = factor
    prices = tuple(ContractPrice(p.customer_id, p.sku, p.unit_price, p.currency, p.valid_from, p.valid_to,
                                 p.min_qty or Decimal(0)) for group in md.prices.values() for p in group)
    return MasterView(customers=customers, products=products, customer_items=items, uom_factors=factors,
                      prices=prices, layout_hints=dict(md.layout_hints))


def new_lines(proposal: dict) -> tuple:
    """The proposal's lines as oms_core NewOrderLines (lines without article or quantity left out)."""
    from oms_core.domain.commands import NewOrderLine

    out = []
    for i, line in enumerate(proposal.get("lines") or []):
        qty = _dec(line.get("qty"))
        if not line.get("sku") or qty is None:
            continue  # an unmatched line cannot reserve anything; it stays visible in the proposal
        out.append(NewOrderLine(
            line_no=int(line.get("line_no") or i + 1), sku=line["sku"], qty=qty, uom=line.get("uom"),
            qty_base=_dec(line.get("qty_base")), unit_price=_dec(line.get("unit_price")),
            line_total=_dec(line.get("line_total")), customer_sku=line.get("customer_sku"),
            description=line.get("description")))
    # Renumber duplicates so the order stays consistent; the proposal keeps the printed numbers.
    seen: set[int] = set()
    fixed = []
    for line in out:
        no = line.line_no
        while no in seen:
            no += 1000
        seen.add(no)
        fixed.append(line if no == line.line_no else NewOrderLine(**{**line.__dict__, "line_no": no}))
    return tuple(fixed)


class CoreOrderBook:
    """OrderBook over oms_core: one unit of work per call."""

    def __init__(self, uow_factory: Callable[[], Any], settings: Any = None):
        self.uow_factory = uow_factory
        self.settings = settings
        self._master: tuple[float, int, MasterView] | None = None
        self._master_lock = threading.Lock()

    # ---------------------------------------------------------------- reads
    def master(self) -> MasterView:
        """The matching view of the master data, rebuilt only when the master data changed."""
        from oms_core.service_layer.queries import master_snapshot, master_version

        version = master_version(self.uow_factory())
        cached = self._master
        now = time.monotonic()
        if cached is not None and cached[1] == version and now - cached[0] <= MASTER_TTL_S:
            return cached[2]
        with self._master_lock:  # one rebuild at a time; threads arriving meanwhile reuse it
            cached = self._master
            if cached is not None and cached[1] == version and now - cached[0] <= MASTER_TTL_S:
                return cached[2]
            view = from_master_data(master_snapshot(self.uow_factory()))
            self._master = (time.monotonic(), version, view)
            return view

    def invalidate(self) -> None:
        self._master = None

    def effective_rules(self, customer_id: str | None) -> dict:
        from oms_core.service_layer.queries import effective_rules

        uow = self.uow_factory()
        with uow:
            rules = dict(effective_rules(uow, customer_id))
            versions = [r.version for r in (uow.rules.latest(None), uow.rules.latest(customer_id) if customer_id else None) if r]
        rules["version"] = ".".join(str(v) for v in versions) or "defaults"
        return json_safe(rules)

    def validate(self, message_key: str, proposal: dict, received: str | None = None,
                 kind: str = "order") -> tuple[list[dict], dict]:
        from agents.core_validation import core_validate

        results, thresholds = core_validate(self.uow_factory(), message_key, proposal, kind, received)
        # Confidence is weighed in agents.decide with the extraction's own figures.
        results = [r for r in results if r["code"] != "low_confidence"]
        return results, json_safe(thresholds)

    def find_order(self, customer_id: str, po_number: str) -> dict | None:
        from oms_core.service_layer.queries import find_order_by_po

        uow = self.uow_factory()
        with uow:
            found = [o for o in uow.orders.find_by_po(customer_id, po_number)]
        if not found:
            return None
        open_orders = [o for o in found if o.is_open] or found
        order = open_orders[-1]
        return {"order_id": order.order_id, "status": order.status, "message_key": order.message_key,
                "order_date": order.order_date.isoformat() if order.order_date else None,
                "requested_delivery_date": order.requested_delivery_date.isoformat() if order.requested_delivery_date else None,
                "ship_to_id": order.ship_to_id, "currency": order.currency,
                "lines": [{"line_no": l.line_no, "sku": l.sku, "qty": str(l.qty)} for l in order.lines],
                "all_message_keys": [o.message_key for o in found]}

    # ---------------------------------------------------------------- writes
    def create_order(self, *, message_key: str, proposal: dict, status: str, actor: str, reasons: list[str],
                     versions: dict, reply_to: dict | None) -> str:
        from oms_core.domain.commands import CreateOrder, ReplyTo
        from oms_core.service_layer.handlers import create_order

        reply = ReplyTo(reply_to.get("message_id"), reply_to.get("subject"), reply_to.get("sender"),
                        tuple(reply_to.get("references") or ())) if reply_to else None
        cmd = CreateOrder(
            message_key=message_key, customer_id=proposal.get("customer_id"), po_number=proposal.get("po_number"),
            order_date=_date(proposal.get("order_date")),
            requested_delivery_date=_date(proposal.get("requested_delivery_date")),
            ship_to_id=proposal.get("ship_to_id"), currency=proposal.get("currency"), lines=new_lines(proposal),
            status=status, actor=actor, reasons=tuple(reasons), versions=dict(versions), reply_to=reply)
        return create_order(cmd, self.uow_factory())

    def accept_order(self, order_id: str, *, actor: str, reason: str | None) -> None:
        from oms_core.domain.commands import AcceptOrder
        from oms_core.service_layer.handlers import accept_order

        accept_order(AcceptOrder(order_id, actor, reason), self.uow_factory())

    def confirm_order(self, order_id: str, *, actor: str) -> None:
        from oms_core.domain.commands import ConfirmOrder
        from oms_core.service_layer.handlers import confirm_order

        confirm_order(ConfirmOrder(order_id, actor), self.uow_factory())

    def reject_order(self, order_id: str, *, actor: str, reason: str | None) -> None:
        from oms_core.domain.commands import RejectOrder
        from oms_core.service_layer.handlers import reject_order

        reject_order(RejectOrder(order_id, actor, reason), self.uow_factory())

    def cancel_order(self, order_id: str, *, actor: str, reason: str | None) -> None:
        from oms_core.domain.commands import CancelOrder
        from oms_core.service_layer.handlers import cancel_order

        cancel_order(CancelOrder(order_id, actor, reason), self.uow_factory())

    def change_order(self, order_id: str, *, proposal: dict, actor: str, reasons: list[str], versions: dict) -> None:
        from oms_core.domain.commands import ApplyChangeOrder
        from oms_core.service_layer.handlers import apply_change_order

        apply_change_order(ApplyChangeOrder(
            lines=new_lines(proposal), actor=actor, order_id=order_id,
            requested_delivery_date=_date(proposal.get("requested_delivery_date")),
            ship_to_id=proposal.get("ship_to_id"), reason=", ".join(reasons) or None, versions=dict(versions)),
            self.uow_factory())

    def record_decision(self, record: dict) -> None:
        from oms_core.domain.commands import RecordMessageDecision
        from oms_core.service_layer.handlers import record_message_decision

        fields = set(RecordMessageDecision.__dataclass_fields__) - {"message_key", "at"}
        values = {k: v for k, v in record.items() if k in fields}
        values["value"] = _dec(values.get("value"))
        values["llm_cost"] = _dec(values.get("llm_cost"))
        # Keep the match evidence beside the proposal so the review UI can show why.
        if record.get("proposed") is not None and record.get("match") is not None:
            values["proposed"] = {**record["proposed"], "_match": record["match"],
                                  "_confidence": record.get("confidence")}
        record_message_decision(RecordMessageDecision(message_key=record["message_key"], **values), self.uow_factory())

    def add_cross_reference(self, customer_id: str, customer_sku: str, sku: str, *, actor: str) -> None:
        from oms_core.domain.commands import AddCrossReference
        from oms_core.service_layer.handlers import add_cross_reference

        add_cross_reference(AddCrossReference(customer_id, customer_sku, sku, actor), self.uow_factory())
        self.invalidate()

    def save_layout_hint(self, customer_id: str | None, layout_key: str, hint: dict, *, actor: str) -> None:
        from oms_core.domain.commands import SaveLayoutHint
        from oms_core.service_layer.handlers import save_layout_hint

        if not customer_id:
            log.info("layout hint for %s not saved: no customer", layout_key)
            return
        save_layout_hint(SaveLayoutHint(customer_id, layout_key, hint, actor), self.uow_factory())
        self.invalidate()
