"""Orders through the real handlers and repositories, on SQLite and PostgreSQL."""
from __future__ import annotations

from decimal import Decimal

import pytest

from oms_core.domain.commands import (AcceptOrder, ApplyChangeOrder, CancelOrder, ConfirmOrder, CreateOrder,
                                      NewOrderLine, ReplyTo, ReturnLine, ReturnOrder, ShipOrder)
from oms_core.domain.errors import InvalidTransition
from oms_core.service_layer import handlers, queries

D = Decimal


def _create(uow_factory, key="msg-1", status="accepted", lines=None, po="PO-1"):
    lines = lines or (NewOrderLine(1, "A", D("5"), "EA", D("5"), D("10"), D("50")),
                      NewOrderLine(2, "B", D("60"), "EA", D("60"), D("5"), D("300")))
    return handlers.create_order(CreateOrder(
        key, "C1", po, None, None, "S-FR", "EUR", lines, status=status, actor="graph",
        reasons=("auto",), versions={"rules": 1}, reply_to=ReplyTo("<m1@acme>", "PO 1", "buyer@acme.example")),
        uow_factory())


def test_creating_the_same_message_twice_books_one_order(seeded):
    first = _create(seeded)
    second = _create(seeded)
    assert first == second
    with seeded() as uow:
        assert len(uow.orders.find_by_po("C1", "PO-1")) == 1


def test_accepted_order_reserves_nearest_complete_warehouse_and_backorders_shortfall(seeded):
    order_id = _create(seeded)
    detail = queries.order_detail(seeded(), order_id)
    lines = {line["line_no"]: line for line in detail["lines"]}
    # A: FR warehouse is nearest to the French ship-to but B only exists in DE (50 of 60):
    # no complete shipment; nearest (FR) gives A, DE gives B's 50; 10 B backordered.
    assert lines[1]["status"] == "reserved"
    assert lines[2]["qty_reserved"] == "50.0000" and lines[2]["qty_backordered"] == "10.0000"
    warehouses = {(r["sku"], r["warehouse_id"]) for r in detail["reservations"]}
    assert warehouses == {("A", "W-FR"), ("B", "W-DE")}
    assert {m["kind"] for m in detail["outbox"]} == {"erp_push", "confirmation"}
    assert {e["type"] for e in detail["events"]} >= {"order_created", "order_accepted", "stock_reserved",
                                                    "out_of_stock"}
    assert queries.atp(seeded(), "B") == {"W-DE": D("0")}


def test_review_order_takes_soft_holds_that_become_hard_on_accept(seeded):
    order_id = _create(seeded, status="needs_review")
    with seeded() as uow:
        assert {r.kind for r in uow.stock.reservations_for(order_id)} == {"soft"}
        assert uow.outbox.list(order_id=order_id) == []
    assert handlers.accept_order(AcceptOrder(order_id, "alice", "checked"), seeded()) == "accepted"
    with seeded() as uow:
        assert {r.kind for r in uow.stock.reservations_for(order_id)} == {"hard"}
        assert len(uow.outbox.list(order_id=order_id)) == 2


def test_confirm_then_ship_consumes_reservations_and_return_restocks(seeded):
    order_id = _create(seeded, lines=(NewOrderLine(1, "A", D("4"), "EA", D("4"), D("10"), D("40")),))
    assert handlers.confirm_order(ConfirmOrder(order_id, "graph"), seeded()) == "allocated"
    shipped = handlers.ship_order(ShipOrder(order_id, "warehouse", reference="DN-1"), seeded())
    assert shipped["status"] == "shipped"
    with seeded() as uow:
        fr = {s.warehouse_id: s for s in uow.stock.items("A")}["W-FR"]
        assert (fr.on_hand, fr.reserved) == (D("6"), D("0"))
    handlers.return_order(ReturnOrder(order_id, (ReturnLine(1, D("3")),), "service", "RMA-1"), seeded())
    with seeded() as uow:
        assert {s.warehouse_id: s for s in uow.stock.items("A")}["W-FR"].on_hand == D("9")
    with pytest.raises(InvalidTransition):
        handlers.cancel_order(CancelOrder(order_id, "alice"), seeded())


def test_cancel_releases_stock_and_change_order_adjusts_reservations(seeded):
    order_id = _create(seeded, lines=(NewOrderLine(1, "A", D("4"), "EA", D("4"), D("10"), D("40")),))
    result = handlers.apply_change_order(ApplyChangeOrder(
        (NewOrderLine(1, "A", D("8"), "EA", D("8"), D("10"), D("80")),
         NewOrderLine(2, "B", D("2"), "EA", D("2"), D("5"), D("10"))),
        "graph", customer_id="C1", po_number="PO-1"), seeded())
    assert result["added"] == (2,) and result["changed"][0]["field"] == "qty"
    # A 8 + B 2 ship complete from W-DE (W-FR has no B), so the FR hold is given back.
    assert queries.atp(seeded(), "A") == {"W-DE": D("92"), "W-FR": D("10")}
    handlers.cancel_order(CancelOrder(order_id, "alice", "customer called"), seeded())
    assert queries.atp(seeded(), "A") == {"W-DE": D("100"), "W-FR": D("10")}
    assert queries.atp(seeded(), "B") == {"W-DE": D("50")}


def test_validation_reads_rules_prices_and_duplicates_from_the_database(seeded):
    from datetime import date

    from oms_core.domain.commands import UpdateRuleSet
    from oms_core.domain.rules import DraftLine, OrderDraft
    from oms_core.service_layer.validation import validate_order

    _create(seeded)
    handlers.update_rule_set(UpdateRuleSet("C1", {"price_tolerance_pct": "50"}, "admin", "loose"), seeded())
    draft = OrderDraft("C1", "PO-1", date(2025, 1, 1), date(2025, 1, 10), "S-FR", "EUR",
                       (DraftLine(1, "A", D(2), "EA", None, D("14"), D("28")),), message_key="msg-2")
    report = validate_order(draft, seeded())
    assert report.review_reasons == ["duplicate_po"]
    assert report.thresholds["auto_accept"] is True and report.versions["rules_customer"] == 1
