"""Pure domain: lifecycle transitions, change diffs, prices, rule coercion."""
from datetime import date
from decimal import Decimal as D

import pytest

from oms_core.domain.changes import diff_lines
from oms_core.domain.errors import InvalidRule, InvalidTransition
from oms_core.domain.model import Order, OrderLine, Price, order_id_for_message
from oms_core.domain.pricing import applicable_price
from oms_core.domain.rulebook import DEFAULT_RULES, coerce_rule, merge_rules
from oms_core.domain.statuses import OrderStatus


def test_order_lifecycle_refuses_shipping_a_cancelled_order():
    order = Order("SO-1", "C", "PO", OrderStatus.ACCEPTED)
    order.move_to(OrderStatus.CANCELLED)
    with pytest.raises(InvalidTransition):
        order.move_to(OrderStatus.SHIPPED)


def test_every_status_has_a_meaning():
    assert set(OrderStatus.ALL) == {"received", "needs_review", "accepted", "confirmed", "allocated",
                                    "backordered", "shipped", "delivered", "cancelled", "rejected"}
    assert all(OrderStatus.MEANINGS.values())


def test_order_total_sums_line_totals_or_qty_times_price():
    order = Order("SO-1", "C", "PO", "accepted", [OrderLine(1, "A", D(2), unit_price=D("1.50")),
                                                   OrderLine(2, "B", D(1), line_total=D("7"))])
    assert order.total == D("10.00")


def test_order_id_is_stable_per_message_key():
    assert order_id_for_message("k1") == order_id_for_message("k1") != order_id_for_message("k2")


def test_change_diff_lists_added_removed_and_changed_fields():
    old = [OrderLine(1, "A", D(1)), OrderLine(2, "B", D(2)), OrderLine(3, "C", D(3))]
    new = [OrderLine(1, "A", D(1)), OrderLine(2, "B", D(5)), OrderLine(4, "D", D(1))]
    diff = diff_lines(old, new)
    assert diff.added == (4,) and diff.removed == (3,) and diff.unchanged == (1,)
    assert diff.changed == ({"line_no": 2, "field": "qty", "old": D(2), "new": D(5)},)


def test_applicable_price_picks_highest_reached_quantity_break_within_validity():
    prices = [Price("C", "A", D("10")), Price("C", "A", D("9"), min_qty=D(100)),
              Price("C", "A", D("8"), valid_from=date(2030, 1, 1))]
    assert applicable_price(prices, D(150), date(2025, 1, 1)).unit_price == D("9")
    assert applicable_price(prices, D(5), date(2025, 1, 1)).unit_price == D("10")


def test_rules_merge_defaults_global_and_customer_layers_with_types():
    merged = merge_rules({"lead_time_days": "5"}, {"auto_accept": "false"})
    assert merged["lead_time_days"] == 5 and merged["auto_accept"] is False
    assert merged["price_tolerance_pct"] == DEFAULT_RULES["price_tolerance_pct"]
    with pytest.raises(InvalidRule):
        coerce_rule("price_tolerance_pct", "lots")
    with pytest.raises(InvalidRule):
        coerce_rule("no_such_rule", 1)
