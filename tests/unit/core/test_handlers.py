"""Handlers against the FakeUnitOfWork: idempotency, reservations, outbox, rules, messages."""
from datetime import timedelta
from decimal import Decimal as D

import pytest

from oms_core.domain.commands import (AcceptOrder, AddCrossReference, CancelOrder, ConfirmOrder, CreateOrder,
                                      NewOrderLine, RecordMessageDecision,
                                      RejectOrder, SaveLayoutHint, UpdateRuleSet)
from oms_core.domain.errors import InvalidRule, ReviewClaimed, UnknownSku
from oms_core.domain.model import Address, Customer, KitComponent, Product, ShipTo, Warehouse, utcnow
from oms_core.service_layer import handlers, queries
from tests.unit.core.fakes import FakeUnitOfWork


@pytest.fixture
def uow():
    uow = FakeUnitOfWork(soft_reservation_minutes=30)
    uow.customers.add(Customer("C1", "Acme", ("acme.example",), bill_address=Address(country="DE")))
    uow.customers.add_ship_to(ShipTo("C1", "S1", country="DE"))
    for sku in ("A", "B", "KIT"):
        uow.products.add(Product(sku, sku, unit_price=D(10)))
    uow.products.add_kit_component(KitComponent("KIT", "A", D(2)))
    uow.products.add_kit_component(KitComponent("KIT", "B", D(1)))
    uow.stock.add_warehouse(Warehouse("W1", country="DE"))
    uow.stock.set_on_hand("W1", "A", D(10))
    uow.stock.set_on_hand("W1", "B", D(3))
    return uow


def create(uow, key="k1", status="accepted", lines=None):
    lines = lines or (NewOrderLine(1, "A", D(4), qty_base=D(4), unit_price=D(10)),)
    return handlers.create_order(CreateOrder(key, "C1", "PO-1", None, None, "S1", "EUR", lines, status=status,
                                             actor="graph"), uow)


def test_create_order_is_idempotent_on_the_message_key(uow):
    assert create(uow) == create(uow)
    assert len(uow.orders.rows) == 1 and uow.stock.rows[("W1", "A")].reserved == D(4)


def test_accepted_order_queues_erp_push_and_confirmation_in_the_same_commit(uow):
    order_id = create(uow)
    keys = {m.idempotency_key: m for m in uow.outbox.rows}
    assert set(keys) == {f"erp:{order_id}", f"confirm:{order_id}"}
    assert keys[f"confirm:{order_id}"].payload["mode"] == "send"
    assert uow.commits == 1


def test_confirmation_is_a_draft_when_the_customer_does_not_auto_send(uow):
    handlers.update_rule_set(UpdateRuleSet("C1", {"auto_send_confirmation": False}, "admin", "manual"), uow)
    order_id = create(uow)
    confirmation = uow.outbox.get_by_key(f"confirm:{order_id}")
    assert (confirmation.status, confirmation.payload["mode"]) == ("draft", "draft")


def test_kit_reserves_its_components_and_backorders_when_one_is_short(uow):
    order_id = create(uow, lines=(NewOrderLine(1, "KIT", D(4), qty_base=D(4)),))
    line = uow.orders.rows[order_id].lines[0]
    # 4 kits need 8 A and 4 B; only 3 B -> 3 kits reserved, 1 backordered
    assert (line.qty_reserved, line.qty_backordered, line.status) == (D(3), D(1), "partial")
    assert uow.stock.rows[("W1", "A")].reserved == D(8)


def test_soft_holds_expire_and_give_stock_back(uow):
    order_id = create(uow, status="needs_review")
    assert uow.stock.rows[("W1", "A")].reserved == D(4)
    assert handlers.expire_soft_reservations(utcnow() + timedelta(minutes=10), uow) == 0
    assert handlers.expire_soft_reservations(utcnow() + timedelta(minutes=31), uow) == 1
    assert uow.stock.rows[("W1", "A")].reserved == D(0)
    assert uow.orders.rows[order_id].lines[0].status == "backordered"


def test_accept_after_expiry_reserves_again_as_hard(uow):
    order_id = create(uow, status="needs_review")
    handlers.expire_soft_reservations(utcnow() + timedelta(hours=1), uow)
    handlers.accept_order(AcceptOrder(order_id, "alice"), uow)
    assert [r.kind for r in uow.stock.reservations_for(order_id)] == ["hard"]


def test_confirm_marks_backordered_when_a_line_is_short(uow):
    order_id = create(uow, lines=(NewOrderLine(1, "B", D(5), qty_base=D(5)),))
    assert handlers.confirm_order(ConfirmOrder(order_id, "graph"), uow) == "backordered"
    assert handlers.confirm_order(ConfirmOrder(order_id, "graph"), uow) == "backordered"


def test_reject_releases_soft_holds_and_records_who_and_why(uow):
    order_id = create(uow, status="needs_review")
    handlers.reject_order(RejectOrder(order_id, "bob", "duplicate"), uow)
    event = uow.events.for_order(order_id)[-1]
    assert (event.type, event.actor, event.reasons) == ("order_rejected", "bob", ("duplicate",))
    assert uow.stock.rows[("W1", "A")].reserved == 0
    assert event.at.tzinfo is not None


def test_cancel_locks_stock_rows_in_key_order(uow):
    order_id = create(uow, lines=(NewOrderLine(1, "B", D(1)), NewOrderLine(2, "A", D(1))))
    handlers.cancel_order(CancelOrder(order_id, "alice"), uow)
    assert all(skus == sorted(skus) for skus in uow.stock.locked)


def test_cancelling_an_order_queued_for_the_erp_queues_its_cancellation_there(uow):
    order_id = create(uow)
    in_review = create(uow, key="k2", status="needs_review")
    handlers.cancel_order(CancelOrder(order_id, "alice", "customer called"), uow)
    handlers.cancel_order(CancelOrder(in_review, "alice"), uow)
    cancel = uow.outbox.get_by_key(f"erp:{order_id}:cancel")
    assert cancel.payload["cancel"] == {"reason": "customer called", "actor": "alice"}
    assert cancel.payload["order"]["status"] == "cancelled"
    assert not [m for m in uow.outbox.rows if m.order_id == in_review]


def test_rule_updates_are_versioned_with_who_and_why(uow):
    handlers.update_rule_set(UpdateRuleSet(None, {"lead_time_days": 3}, "admin", "slower carrier"), uow)
    handlers.update_rule_set(UpdateRuleSet(None, {"lead_time_days": 4}, "admin", "even slower"), uow)
    view = handlers.rule_set_view(uow)
    assert view["version"] == 2 and view["effective"]["lead_time_days"] == 4
    assert [h["why"] for h in view["history"]] == ["even slower", "slower carrier"]
    with pytest.raises(InvalidRule):
        handlers.update_rule_set(UpdateRuleSet(None, {"bogus": 1}, "admin", "typo"), uow)


def test_record_message_decision_keeps_fields_not_given(uow):
    handlers.record_message_decision(RecordMessageDecision("m1", kind="order", status="processing",
                                                           sender="a@acme.example"), uow)
    handlers.record_message_decision(RecordMessageDecision("m1", decision="review", status="needs_review",
                                                           review_reasons=["price_mismatch"]), uow)
    queue = queries.review_queue(uow, {"reason": "price_mismatch"})
    assert [(m["message_key"], m["sender"], m["kind"]) for m in queue] == [("m1", "a@acme.example", "order")]


def test_a_claimed_review_cannot_be_taken_by_someone_else(uow):
    handlers.record_message_decision(RecordMessageDecision("m1", status="needs_review"), uow)
    handlers.claim_review("m1", "alice", uow)
    with pytest.raises(ReviewClaimed):
        handlers.claim_review("m1", "bob", uow)
    handlers.release_review("m1", "alice", uow)
    assert handlers.claim_review("m1", "bob", uow).claimed_by == "bob"


def test_cross_references_need_a_known_sku_and_show_in_the_master_snapshot(uow):
    with pytest.raises(UnknownSku):
        handlers.add_cross_reference(AddCrossReference("C1", "X-1", "NOPE", "alice"), uow)
    handlers.add_cross_reference(AddCrossReference("C1", "X-1", "A", "alice"), uow)
    handlers.save_layout_hint(SaveLayoutHint("C1", "layout-1", {"qty_column": 3}, "alice"), uow)
    master = queries.master_snapshot(uow)
    assert master.customer_items[("C1", "X-1")].sku == "A"
    assert master.layout_hints[("C1", "layout-1")] == {"qty_column": 3}
    assert master.customers_by_domain("ACME.example")[0].customer_id == "C1"
    assert master.kits["KIT"][0].component_sku == "A"
