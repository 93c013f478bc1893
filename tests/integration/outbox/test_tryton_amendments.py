"""Change orders and cancellations of pushed orders amend the one Tryton sale (real Tryton 8.2)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from oms_core.adapters.erp.tryton import TrytonErpAdapter
from oms_core.domain.commands import ApplyChangeOrder, CancelOrder
from oms_core.outbox import build_dispatcher
from oms_core.service_layer import handlers

from tests.integration.outbox.conftest import settings_for_tryton
from tests.integration.outbox.orders import book_order, order_lines

pytestmark = [pytest.mark.tryton, pytest.mark.slow]


@pytest.fixture(scope="module")
def queued_tryton_db(queued_tryton_service):
    """An ERP whose confirmed sales wait for a queue worker, as with `sale_process_after`."""
    return queued_tryton_service.url, queued_tryton_service.fresh_database()


def client_for(db):
    from tests.support.tryton import TrytonClient

    return TrytonClient(*db)


def sales(client, reference):
    return client.search_read("sale.sale", [("reference", "=", reference)], ["number", "state", "comment"])


def quantities(client, reference):
    lines = client.search_read("sale.line", [("sale.reference", "=", reference)], ["product.code", "quantity"])
    return sorted((line["product."]["code"], Decimal(str(line["quantity"]))) for line in lines)


def change(oms, order_id, skus):
    handlers.apply_change_order(ApplyChangeOrder(order_lines(skus), "test", order_id=order_id,
                                                 reason="customer change"), oms())


def erp_rows(oms, order_id):
    with oms() as uow:
        return {m.idempotency_key: m for m in uow.outbox.list(kind="erp_push", order_id=order_id)}


def amendment(reference, skus, number):
    """The payload the dispatcher hands the adapter for change `number` of `reference`."""
    lines = [{"line_no": n, "sku": sku, "qty": qty, "qty_base": qty, "unit_price": "18.50"}
             for n, (sku, qty) in enumerate(skus, 1)]
    return {"customer_id": "C1001", "lines": lines, "reference": f"{reference}-change-{number}",
            "amends": reference, "change": {"number": number}}


def quotation(adapter, reference, skus) -> int:
    """A sale left as a quotation, as a push stopped between quote and confirm leaves it."""
    sale_id = adapter._create_sale(amendment(reference, skus, 0), reference)
    adapter.rpc.model("sale.sale", "quote", [sale_id])
    return sale_id


def test_a_change_to_a_quotation_rewrites_its_lines_in_the_same_sale(tryton_settings, tryton_client):
    adapter = TrytonErpAdapter(tryton_settings)
    quotation(adapter, "OMS-30", [("SKU-100", "3"), ("SKU-200", "1")])
    number = adapter.push_order(amendment("OMS-30", [("SKU-100", "5")], 1), "OMS-30-change-1")
    (sale,) = sales(tryton_client, "OMS-30")
    assert sale["number"] == number and sale["state"] == "processing"
    assert quantities(tryton_client, "OMS-30") == [("SKU-100", Decimal("5"))]
    assert sales(tryton_client, "OMS-30-change-1") == []
    adapter.close()


def test_an_older_change_arriving_after_a_newer_one_is_not_applied(tryton_settings, tryton_client):
    adapter = TrytonErpAdapter(tryton_settings)
    quotation(adapter, "OMS-31", [("SKU-100", "3")])
    adapter.push_order(amendment("OMS-31", [("SKU-100", "7")], 2), "OMS-31-change-2")
    adapter.push_order(amendment("OMS-31", [("SKU-100", "4")], 1), "OMS-31-change-1")
    assert quantities(tryton_client, "OMS-31") == [("SKU-100", Decimal("7"))]
    adapter.close()


def test_cancelling_a_quotation_cancels_the_sale(tryton_settings, tryton_client):
    adapter = TrytonErpAdapter(tryton_settings)
    quotation(adapter, "OMS-32", [("SKU-100", "3")])
    adapter.push_order({"reference": "OMS-32-cancel", "amends": "OMS-32", "cancel": {"reason": "x"}},
                       "OMS-32-cancel")
    assert [s["state"] for s in sales(tryton_client, "OMS-32")] == ["cancelled"]
    adapter.close()


def test_a_change_after_tryton_processed_the_sale_is_dead_lettered_with_the_diff(
        oms, shared_tryton_db, tryton_client, request):
    order_id = book_order(oms, request.node.name, skus=(("SKU-100", "3"), ("SKU-200", "2")))
    dispatcher = build_dispatcher(settings_for_tryton(shared_tryton_db), oms)
    dispatcher.run_once()
    (pushed,) = sales(tryton_client, order_id)
    change(oms, order_id, [("SKU-100", "5")])
    dispatcher.run_once()

    rows = erp_rows(oms, order_id)
    assert rows[f"erp:{order_id}"].status == "sent"
    dead = rows[f"erp:{order_id}:change:1"]
    assert dead.status == "dead" and dead.attempts == 1
    assert dead.last_error == (
        f"refused: sale {pushed['number']} is confirmed in Tryton (processing); change 1 must be "
        "applied there by hand: SKU-100 quantity 3 -> 5; SKU-200 remove (was 2)")
    assert sales(tryton_client, order_id) == [pushed]  # one sale, untouched
    assert quantities(tryton_client, order_id) == [("SKU-100", Decimal("3")), ("SKU-200", Decimal("2"))]
    with oms() as uow:
        assert any(e.type == "outbox_dead" and "SKU-100 quantity 3 -> 5" in e.detail["error"]
                   for e in uow.events.for_order(order_id))
    dispatcher.close()


def test_cancelling_an_order_tryton_processed_is_dead_lettered_for_a_person(
        oms, shared_tryton_db, tryton_client, request):
    order_id = book_order(oms, request.node.name)
    dispatcher = build_dispatcher(settings_for_tryton(shared_tryton_db), oms)
    dispatcher.run_once()
    handlers.cancel_order(CancelOrder(order_id, "test", "customer cancelled"), oms())
    dispatcher.run_once()
    dead = erp_rows(oms, order_id)[f"erp:{order_id}:cancel"]
    assert dead.status == "dead"
    assert "is confirmed in Tryton (processing); the cancellation must be done there by hand" in dead.last_error
    assert [s["state"] for s in sales(tryton_client, order_id)] == ["processing"]
    dispatcher.close()


def test_confirmed_sales_are_changed_in_place_then_cancelled(oms, queued_tryton_db, request):
    client = client_for(queued_tryton_db)
    order_id = book_order(oms, request.node.name, skus=(("SKU-100", "3"), ("SKU-200", "2")))
    dispatcher = build_dispatcher(settings_for_tryton(queued_tryton_db), oms)
    dispatcher.run_once()
    (pushed,) = sales(client, order_id)
    assert pushed["state"] == "confirmed"

    change(oms, order_id, [("SKU-100", "5"), ("SKU-200", "2"), ("SKU-300", "1")])
    dispatcher.run_once()
    (changed,) = sales(client, order_id)
    assert changed["number"] == pushed["number"] and changed["state"] == "confirmed"
    assert "OMS change 1 applied" in changed["comment"]
    assert quantities(client, order_id) == [("SKU-100", Decimal("5")), ("SKU-200", Decimal("2")),
                                            ("SKU-300", Decimal("1"))]
    assert erp_rows(oms, order_id)[f"erp:{order_id}:change:1"].external_ref == pushed["number"]

    handlers.cancel_order(CancelOrder(order_id, "test", "customer cancelled"), oms())
    dispatcher.run_once()
    assert [s["state"] for s in sales(client, order_id)] == ["cancelled"]
    assert {m.status for m in erp_rows(oms, order_id).values()} == {"sent"}
    dispatcher.close()
    client.close()
