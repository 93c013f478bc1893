"""The dispatcher end to end: real Tryton 8.2, real SMTP (aiosmtpd), outbox rows from the core."""
from __future__ import annotations

import datetime as dt

import pytest

from oms_core.domain.model import utcnow
from oms_core.outbox import build_dispatcher

from tests.integration.outbox.conftest import settings_for_tryton
from tests.integration.outbox.orders import book_order, key_for

pytestmark = [pytest.mark.tryton, pytest.mark.slow]


def rows(uow_factory, order_id):
    with uow_factory() as uow:
        return {m.kind: m for m in uow.outbox.list(order_id=order_id)}


def sales_for(client, order_id):
    return client.search_read("sale.sale", [("reference", "=", order_id)], ["number", "state"])


def test_accepted_orders_reach_tryton_once_and_customers_get_a_threaded_reply(
        oms, shared_tryton_db, tryton_client, smtp_server, request):
    settings = settings_for_tryton(shared_tryton_db, **smtp_server.settings_overrides())
    first = book_order(oms, f"{request.node.name}-1", customer="C1001",
                       skus=(("SKU-100", "3"), ("SKU-300", "5")))  # SKU-300: none in stock
    second = book_order(oms, f"{request.node.name}-2", customer="C1003")
    dispatcher = build_dispatcher(settings, oms)
    assert dispatcher.run_once() == 4
    assert dispatcher.run_once() == 0

    for order_id in (first, second):
        (sale,) = sales_for(tryton_client, order_id)
        assert sale["state"] == "processing"
        sent = rows(oms, order_id)
        assert sent["erp_push"].status == "sent" and sent["erp_push"].external_ref == sale["number"]
        assert sent["confirmation"].status == "sent"

    by_order = {m["X-OMS-Order"]: m for m in smtp_server.messages}
    assert set(by_order) == {first, second}
    german = by_order[first]
    assert german["Subject"] == f"Re: Order {key_for(request.node.name + '-1')}"
    assert german["In-Reply-To"] == f"<{key_for(request.node.name + '-1')}@buyer.example>"
    assert german["References"].split() == [f"<earlier-{key_for(request.node.name + '-1')}@buyer.example>",
                                            f"<{key_for(request.node.name + '-1')}@buyer.example>"]
    assert german["To"] == "Buyer <buyer@c1001.example>"
    body = german.get_body(("plain",)).get_content()
    assert "Bestätigt: 3" in body and "Im Rückstand: 5 EA" in body  # German customer, backorder
    dutch = by_order[second].get_body(("plain",)).get_content()
    assert "Bevestigd: 3 EA" in dutch
    with oms() as uow:
        types = [e.type for e in uow.events.for_order(first)]
    assert "erp_pushed" in types and "confirmation_sent" in types
    dispatcher.close()


def test_erp_down_retries_with_backoff_then_delivers_once(oms, shared_tryton_db, tryton_client,
                                                           smtp_server, request):
    from tests.support.tryton import free_port

    order_id = book_order(oms, request.node.name)
    down = settings_for_tryton(("http://127.0.0.1:%d" % free_port(), shared_tryton_db[1]),
                               **smtp_server.settings_overrides())
    now = utcnow()
    build_dispatcher(down, oms).run_once(now)
    push = rows(oms, order_id)["erp_push"]
    assert push.status == "pending" and push.attempts == 1
    assert "unreachable" in push.last_error
    assert now + dt.timedelta(seconds=20) < push.next_attempt_at < now + dt.timedelta(seconds=40)

    # Not due yet: nothing happens even with the ERP back.
    up = build_dispatcher(settings_for_tryton(shared_tryton_db, **smtp_server.settings_overrides()), oms)
    assert up.run_once(now + dt.timedelta(seconds=5)) == 0
    assert up.run_once(now + dt.timedelta(minutes=2)) == 1
    push = rows(oms, order_id)["erp_push"]
    assert push.status == "sent" and push.attempts == 2 and push.last_error is None
    assert len(sales_for(tryton_client, order_id)) == 1


def test_an_erp_error_dead_letters_at_once_with_the_reason_and_can_be_retried(
        oms, shared_tryton_db, tryton_client, smtp_server, request):
    order_id = book_order(oms, request.node.name, skus=(("SKU-100", "1"), ("SKU-999", "2")))
    dispatcher = build_dispatcher(settings_for_tryton(shared_tryton_db, **smtp_server.settings_overrides()), oms)
    dispatcher.run_once()
    push = rows(oms, order_id)["erp_push"]
    assert push.status == "dead" and push.attempts == 1
    assert push.last_error == "refused: no Tryton product with code SKU-999"
    assert sales_for(tryton_client, order_id) == []
    with oms() as uow:
        dead = [e for e in uow.events.for_order(order_id) if e.type == "outbox_dead"]
    assert dead and "SKU-999" in dead[0].detail["error"]

    dispatcher.retry(push.id, actor="sales@oms")
    assert rows(oms, order_id)["erp_push"].status == "pending"
    with oms() as uow:
        assert uow.events.audit_log(action="outbox_retry")[0]["actor"] == "sales@oms"
