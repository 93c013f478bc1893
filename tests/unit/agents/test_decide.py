"""The decision: auto only when nothing speaks against it; reasons are DESIGN.md's codes."""
from __future__ import annotations

from agents.decide import REASON_CODES, decide

PROPOSAL = {"customer_id": "C1", "po_number": "P1", "lines": [{"line_no": 1, "sku": "A", "qty": "2", "unit_price": "5", "line_total": "10"}]}


def call(**kw):
    args = dict(kind="order", readable=True, unreadable=[], injection=[], proposal=PROPOSAL, checks=[],
                assessment={"overall": 0.99}, low_fields=[], rules={"auto_accept": True})
    args.update(kw)
    return decide(**args)


def test_clean_order_is_auto():
    result = call()
    assert (result.decision, result.reasons) == ("auto", [])


def test_every_rule_error_with_a_truth_code_becomes_a_reason():
    checks = [{"code": "price_mismatch", "severity": "error"}, {"code": "pack_size", "severity": "warning"},
              {"code": "out_of_stock", "severity": "info"}]
    result = call(checks=checks)
    assert result.decision == "review" and result.reasons == ["price_mismatch", "pack_size"]


def test_business_holds_block_without_inventing_reason_codes():
    result = call(checks=[{"code": "credit_limit", "severity": "error", "message_en": "over limit"}])
    assert result.decision == "review" and result.reasons == []
    assert result.detail[0]["code"] == "credit_limit"
    assert set(call(rules={"auto_accept": False}).reasons) <= set(REASON_CODES)
    assert call(rules={"auto_accept": False}).decision == "review"


def test_order_value_above_the_customers_limit_is_reviewed():
    assert call(rules={"auto_accept": True, "auto_accept_max_order_value": "5"}).decision == "review"
    assert call(rules={"auto_accept": True, "auto_accept_max_order_value": "50"}).decision == "auto"


def test_unknown_customer_and_sku_and_low_confidence():
    proposal = {"customer_id": None, "po_number": "P1", "lines": [{"line_no": 1, "sku": None}]}
    result = call(proposal=proposal, low_fields=["line 1.qty"])
    assert result.reasons == ["unknown_customer", "unknown_sku", "low_confidence"]


def test_unreadable_nothing_fails_and_non_orders_are_not_orders():
    assert call(readable=False, unreadable=["po.pdf: unreadable: scanned"]).decision == "failed"
    assert call(kind="not_order").decision == "not_order"
    partly = call(unreadable=["scan.pdf: unreadable: no text layer"], proposal=None)
    assert partly.decision == "review" and partly.reasons == ["unreadable"]


def test_change_without_an_original_order_is_reviewed():
    result = call(kind="change", original_order=None)
    assert result.decision == "review" and result.reasons == ["low_confidence"]


def test_an_uncertain_classification_or_a_missing_po_number_is_low_confidence():
    assert call(kind_confidence=0.65).reasons == ["low_confidence"]
    assert call(proposal={**PROPOSAL, "po_number": None}).reasons == ["low_confidence"]


def test_a_change_to_an_order_still_in_review_is_reviewed_too():
    result = call(kind="change", original_order={"order_id": "SO-1", "status": "needs_review"})
    assert result.decision == "review" and result.reasons == ["low_confidence"]
    assert call(kind="change", original_order={"order_id": "SO-1", "status": "confirmed"}).decision == "auto"
