"""validate_order: gather facts from master data and open orders, then run the pure rules."""
from __future__ import annotations

from decimal import Decimal

from oms_core.domain.model import Product, utcnow
from oms_core.domain.pricing import applicable_price
from oms_core.domain.rules import DraftLine, OrderDraft, RuleFacts, RuleResult, ValidationReport, evaluate
from oms_core.domain.statuses import OrderStatus
from oms_core.service_layer.outbox_rows import effective_rules

__all__ = ["validate_order", "effective_rules", "OrderDraft", "DraftLine", "RuleResult", "ValidationReport"]


def validate_order(draft: OrderDraft, uow) -> ValidationReport:
    """Check a matched order against the customer's effective rules; never raises for bad data."""
    with uow:
        rules = effective_rules(uow, draft.customer_id)
        customer = uow.customers.get(draft.customer_id) if draft.customer_id else None
        products = uow.products.get_many(line.sku for line in draft.lines if line.sku)
        kits = uow.products.kit_components(products)
        on = draft.order_date or draft.today or utcnow().date()
        expected, below_moq, base, atp = {}, {}, {}, {}
        for line in draft.lines:
            product = products.get(line.sku or "")
            if product is None or line.qty is None:
                continue
            factor = _factor(line, product, uow)
            qty_base = line.qty_base if line.qty_base is not None else (line.qty * factor if factor else None)
            if qty_base is None:
                continue
            base[line.line_no] = qty_base
            prices = uow.products.prices_for(customer.customer_id, product.sku) if customer else []
            price = applicable_price(prices, qty_base, on)
            valid_breaks = [p.min_qty for p in prices if p.min_qty and applicable_price([p], None, on)]
            if price is None and valid_breaks and len(valid_breaks) == len(prices):
                below_moq[line.line_no] = min(valid_breaks)
            per_base = price.unit_price if price else product.unit_price
            if customer:  # without a customer there is no contract to compare with
                expected[line.line_no] = per_base * factor if per_base is not None and factor else None
            atp[line.line_no] = _atp(product.sku, kits, uow)
        duplicates = ()
        if customer and draft.po_number:
            duplicates = tuple(o.order_id for o in uow.orders.find_by_po(customer.customer_id, draft.po_number)
                               if o.message_key != draft.message_key or o.message_key is None
                               if o.status != OrderStatus.REJECTED)
        facts = RuleFacts(
            rules=rules, customer=customer, products=products, expected_prices=expected, below_moq=below_moq,
            ship_to_known=bool(customer and draft.ship_to_id
                               and uow.customers.ship_to(customer.customer_id, draft.ship_to_id)),
            base_qty=base, atp=atp, duplicate_order_ids=duplicates,
            open_value=uow.orders.open_value(customer.customer_id) if customer else Decimal(0))
        report = evaluate(draft, facts)
        return ValidationReport(report.results, report.thresholds, _versions(uow, draft.customer_id))


def _factor(line: DraftLine, product: Product, uow) -> Decimal | None:
    """Base units per ordered unit: from qty_base/qty, the product's own unit, or the conversion table."""
    if line.qty_base is not None and line.qty:
        return line.qty_base / line.qty
    if not line.uom or line.uom.upper() == product.uom.upper():
        return Decimal(1)
    return uow.products.uom_factor(product.sku, line.uom)


def _atp(sku: str, kits: dict, uow) -> Decimal:
    """ATP over all warehouses; for a kit, how many kits the components allow."""
    def total(s: str) -> Decimal:
        return sum((item.atp for item in uow.stock.items(s)), Decimal(0))
    if sku in kits:
        return min(total(c.component_sku) / c.qty for c in kits[sku])
    return total(sku)


def _versions(uow, customer_id: str | None) -> dict:
    global_set, customer_set = uow.rules.latest_pair(customer_id)
    return {"rules_global": global_set.version if global_set else 0,
            "rules_customer": customer_set.version if customer_set else 0}
