"""The dispatcher with the webhook and file adapters, drafts, EDI responses and two dispatchers."""
from __future__ import annotations

import json
import threading
from decimal import Decimal

import pytest

from oms.settings import get_settings
from oms_core.outbox import build_dispatcher

from tests.integration.outbox.conftest import WEBHOOK_SECRET
from tests.integration.outbox.orders import book_order, key_for, make_oms


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def oms(request):
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    engine, uow_factory = make_oms(url)
    yield uow_factory
    engine.dispose()


def rows(uow_factory, order_id):
    with uow_factory() as uow:
        return {m.kind: m for m in uow.outbox.list(order_id=order_id)}


def test_webhook_push_goes_through_the_dispatcher_signed_and_once(oms, webhook_receiver, smtp_server, request):
    order_id = book_order(oms, request.node.name, skus=(("SKU-100", "4"),))
    settings = get_settings(erp="webhook", erp_url=webhook_receiver.url,
                            erp_webhook_secret=WEBHOOK_SECRET, **smtp_server.settings_overrides())
    build_dispatcher(settings, oms).run_once()
    assert rows(oms, order_id)["erp_push"].external_ref == "WH-1"
    (order,) = webhook_receiver.state.orders.values()
    assert order["reference"] == order_id and order["customer_id"] == "C1001"
    assert order["ship_to"]["city"] == "Berlin"
    assert order["lines"][0]["sku"] == "SKU-100" and Decimal(order["lines"][0]["qty"]) == Decimal("4")


def test_file_export_goes_through_the_dispatcher(oms, tmp_path, smtp_server, request):
    order_id = book_order(oms, request.node.name)
    settings = get_settings(erp="file", erp_url=str(tmp_path / "erp"), **smtp_server.settings_overrides())
    build_dispatcher(settings, oms).run_once()
    exported = json.loads((tmp_path / "erp" / f"{order_id}.json").read_text())
    assert exported["po_number"] == f"PO-{key_for(request.node.name)}"
    assert rows(oms, order_id)["erp_push"].external_ref == f"{order_id}.json"


def test_drafts_wait_for_a_person_and_go_out_after_retry(oms, tmp_path, smtp_server, request):
    from oms_core.domain.commands import UpdateRuleSet
    from oms_core.service_layer import handlers

    handlers.update_rule_set(UpdateRuleSet("C1002", {"auto_send_confirmation": False}, "admin",
                                           "sales checks first"), oms())
    order_id = book_order(oms, request.node.name, customer="C1002")
    dispatcher = build_dispatcher(get_settings(erp="none", **smtp_server.settings_overrides()), oms)
    dispatcher.run_once()
    draft = rows(oms, order_id)["confirmation"]
    assert draft.status == "draft" and smtp_server.messages == []
    dispatcher.retry(draft.id, actor="sales")
    dispatcher.run_once()
    assert rows(oms, order_id)["confirmation"].status == "sent"
    (mail,) = smtp_server.messages
    assert mail["Subject"] == f"Re: Order {key_for(request.node.name)}"


def test_a_draft_edited_by_sales_is_sent_with_their_subject_and_text(oms, smtp_server, request):
    from oms_core.domain.commands import UpdateRuleSet
    from oms_core.service_layer import handlers

    handlers.update_rule_set(UpdateRuleSet("C1002", {"auto_send_confirmation": False}, "admin",
                                           "sales checks first"), oms())
    order_id = book_order(oms, request.node.name, customer="C1002")
    dispatcher = build_dispatcher(get_settings(erp="none", **smtp_server.settings_overrides()), oms)
    dispatcher.run_once()
    draft = rows(oms, order_id)["confirmation"]
    with oms() as uow:
        uow.outbox.set_payload(draft.id, {**draft.payload, "subject": "Re: your order - checked",
                                          "text": "Dear Anna, confirmed as discussed.", "mode": "send"})
        uow.commit()
    dispatcher.retry(draft.id, actor="sales")
    dispatcher.run_once()
    (mail,) = smtp_server.messages
    assert mail["Subject"] == "Re: your order - checked"
    assert mail.get_body(("plain",)).get_content().strip() == "Dear Anna, confirmed as discussed."
    assert mail["In-Reply-To"], "an edited draft still answers the PO thread"


def test_edi_customers_get_an_x12_855_with_their_confirmation(oms, smtp_server, request):
    order_id = book_order(oms, request.node.name, origin="x12", skus=(("SKU-100", "2"), ("SKU-300", "1")))
    build_dispatcher(get_settings(erp="none", **smtp_server.settings_overrides()), oms).run_once()
    (mail,) = smtp_server.messages
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_filename() == f"{order_id}.855.x12"
    document = attachment.get_content()
    document = document.decode() if isinstance(document, bytes) else document
    assert "ST*855*0001" in document and "ACK*IB*1*EA" in document


def test_two_dispatchers_draining_together_send_each_row_once(oms, tmp_path, smtp_server, request):
    orders = [book_order(oms, f"{request.node.name}-{n}") for n in range(12)]
    settings = get_settings(erp="file", erp_url=str(tmp_path / "erp"), outbox_batch_size=2,
                            **smtp_server.settings_overrides())
    dispatchers = [build_dispatcher(settings, oms) for _ in range(2)]
    handled = [0, 0]

    def drain(i):
        handled[i] = dispatchers[i].run_once()

    threads = [threading.Thread(target=drain, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(handled) == 24
    ids = [m["X-OMS-Order"] for m in smtp_server.messages]
    assert sorted(ids) == sorted(orders)  # every order once, none twice
    assert all(rows(oms, o)["confirmation"].status == "sent" for o in orders)


def test_run_forever_delivers_in_the_background_until_stopped(oms, smtp_server, request):
    settings = get_settings(erp="none", outbox_poll_seconds=0.05, **smtp_server.settings_overrides())
    dispatcher = build_dispatcher(settings, oms)
    stop = threading.Event()
    thread = threading.Thread(target=dispatcher.run_forever, args=(stop,))
    thread.start()
    try:
        order_id = book_order(oms, request.node.name)
        for _ in range(200):
            if rows(oms, order_id)["confirmation"].status == "sent":
                break
            stop.wait(0.05)
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert {m.status for m in rows(oms, order_id).values()} == {"sent"}
