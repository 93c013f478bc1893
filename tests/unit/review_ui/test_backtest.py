"""Recomputing recorded decisions under other thresholds."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from review_ui.views.backtest import backtest, recompute

RULES = {"min_field_confidence": 0.8, "min_match_score": 0.85, "auto_accept": True, "auto_accept_max_order_value": Decimal("50000")}


def _row(key="k", value="1000", detail=(), decision="auto", proposed=None):
    return SimpleNamespace(message_key=key, customer_id="C1", po_number="PO", value=Decimal(value), decision=decision,
                           reasons_detail=list(detail), proposed=proposed or {}, versions={})


def test_a_clean_order_stays_automatic():
    assert recompute(_row(), RULES).decision == "auto"


def test_an_order_over_a_lower_value_limit_goes_to_review():
    outcome = recompute(_row(value="9000"), {**RULES, "auto_accept_max_order_value": Decimal("5000")})
    assert outcome.decision == "review" and outcome.reasons == ["max_order_value"]


def test_recorded_reasons_that_no_threshold_moves_stay():
    row = _row(detail=[{"code": "unknown_sku", "why": "x"}], decision="review")
    assert recompute(row, {**RULES, "min_field_confidence": 0.0}).reasons == ["unknown_sku"]


def test_low_confidence_follows_the_recorded_weakest_score():
    row = _row(detail=[{"code": "low_confidence", "fields": ["customer"], "overall": 0.82}], decision="review")
    assert recompute(row, RULES).decision == "review"  # 0.82 < 0.85
    assert recompute(row, {**RULES, "min_match_score": 0.8}).decision == "auto"


def test_recorded_field_scores_are_used_when_present():
    row = _row(proposed={"assessment": {"fields": {"po_number": 0.7, "customer": 0.99}}})
    assert recompute(row, RULES).reasons == ["low_confidence"]
    assert recompute(row, {**RULES, "min_field_confidence": 0.6}).decision == "auto"


def test_backtest_counts_flips_both_ways():
    rows = [_row("big", "9000"), _row("small", "100"),
            _row("limited", "60000", [{"code": "max_order_value", "why": "x"}], decision="review")]
    result = backtest(rows, lambda _c: RULES, lambda _c: {**RULES, "auto_accept_max_order_value": Decimal("70000")})
    assert [f.message_key for f in result.to_auto] == ["limited"] and result.to_review == []
    result = backtest(rows, lambda _c: RULES, lambda _c: {**RULES, "auto_accept_max_order_value": Decimal("5000")})
    assert [f.message_key for f in result.to_review] == ["big"]
    assert (result.auto_before, result.auto_after) == (2, 1)
