"""The Tryton adapter against a real Tryton 8.2 server seeded by the tests."""
from decimal import Decimal

import pytest

from oms_core.adapters.erp.base import ErpRejected, ErpUnavailable
from oms_core.adapters.erp.tryton import TrytonErpAdapter
from oms_core.adapters.erp.tryton_rpc import TrytonRpc

pytestmark = [pytest.mark.tryton, pytest.mark.slow]


def order(**changes) -> dict:
    payload = {
        "order_id": 7, "reference": "OMS-7", "customer_id": "C1001", "po_number": "PO-4711",
        "currency": "EUR", "requested_delivery_date": "2099-01-15",
        "ship_to": {"street": "Hauptstraße 5", "postal_code": "10115", "city": "Berlin"},
        "lines": [
            {"line_no": 1, "sku": "SKU-100", "qty": "3", "qty_base": "3", "uom": "EA",
             "unit_price": "18.50", "line_total": "55.50", "description": "Flour 550"},
            {"line_no": 2, "sku": "SKU-200", "qty": "2", "qty_base": "20", "uom": "PK10",
             "unit_price": "99.00", "line_total": "198.00", "description": "Rye flour, pack of 10"},
        ],
    }
    payload.update(changes)
    return payload


def sales(client, reference):
    return client.search_read("sale.sale", [("reference", "=", reference)],
                              ["number", "state", "description", "party", "total_amount",
                               "shipping_date", "lines"])


def test_push_creates_a_confirmed_sale_with_lines_prices_and_our_reference(tryton_settings, tryton_client):
    adapter = TrytonErpAdapter(tryton_settings)
    number = adapter.push_order(order(), "OMS-7")
    (sale,) = sales(tryton_client, "OMS-7")
    assert sale["number"] == number
    assert sale["state"] == "processing"  # confirmed and processed: shipment created
    assert sale["description"] == "PO PO-4711"
    assert tryton_client.call("model.party.party.read", [sale["party"]], ["code"],
                              tryton_client.context)[0]["code"] == "C1001"
    lines = tryton_client.search_read("sale.line", [("sale.reference", "=", "OMS-7")],
                                      ["product", "quantity", "unit_price"])
    by_qty = {Decimal(str(line["quantity"])): line for line in lines}
    # The pack line is booked in base units (20 bags at 9.90 instead of 2 packs at 99.00).
    assert set(by_qty) == {Decimal("3"), Decimal("20")}
    assert by_qty[Decimal("20")]["unit_price"]["decimal"] == "9.9000"
    assert sale["total_amount"]["decimal"] == "253.50"
    assert adapter.find_order("OMS-7") == number
    adapter.close()


def test_pushing_the_same_order_twice_leaves_one_sale(tryton_settings, tryton_client):
    adapter = TrytonErpAdapter(tryton_settings)
    first = adapter.push_order(order(), "OMS-17")
    second = TrytonErpAdapter(tryton_settings).push_order(order(), "OMS-17")
    assert first == second
    assert len(sales(tryton_client, "OMS-17")) == 1


def test_a_push_interrupted_after_creating_the_draft_resumes_that_sale(tryton_settings, tryton_client):
    party = tryton_client.search_read("party.party", [("code", "=", "C1002")], ["addresses"])[0]
    product = tryton_client.search_read("product.product", [("code", "=", "SKU-100")],
                                        ["default_uom"])[0]
    tryton_client.call("model.sale.sale.create", [{
        "party": party["id"], "invoice_address": party["addresses"][0],
        "shipment_address": party["addresses"][0], "reference": "OMS-8",
        "lines": [["create", [{"product": product["id"], "quantity": 1.0,
                               "unit": product["default_uom"], "unit_price": Decimal("18.50")}]]],
    }], tryton_client.context)
    adapter = TrytonErpAdapter(tryton_settings)
    assert adapter.find_order("OMS-8") is None  # a draft is not a finished push
    number = adapter.push_order(order(customer_id="C1002"), "OMS-8")
    (sale,) = sales(tryton_client, "OMS-8")
    assert sale["state"] == "processing" and sale["number"] == number


def test_unknown_sku_is_a_permanent_error_and_creates_nothing(tryton_settings, tryton_client):
    bad = order()
    bad["lines"][1]["sku"] = "NOPE-1"
    with pytest.raises(ErpRejected, match="no Tryton product with code NOPE-1"):
        TrytonErpAdapter(tryton_settings).push_order(bad, "OMS-9")
    assert sales(tryton_client, "OMS-9") == []


def test_unknown_customer_is_a_permanent_error(tryton_settings):
    with pytest.raises(ErpRejected, match="no Tryton party with code 'C9999'"):
        TrytonErpAdapter(tryton_settings).push_order(order(customer_id="C9999"), "OMS-10")


def test_an_unreachable_tryton_is_a_transient_error():
    from tests.support.tryton import free_port

    rpc = TrytonRpc(f"http://127.0.0.1:{free_port()}", "nodb", "admin", "pw", timeout=2)
    with pytest.raises(ErpUnavailable, match="unreachable"):
        TrytonErpAdapter(rpc=rpc).push_order(order(), "OMS-11")


def test_wrong_credentials_are_retried_later_not_dead_lettered(shared_tryton_db):
    url, database = shared_tryton_db
    rpc = TrytonRpc(url, database, "admin", "wrong-password")
    with pytest.raises(ErpUnavailable, match="login failed"):
        TrytonErpAdapter(rpc=rpc).find_order("OMS-1")


def test_an_expired_session_logs_in_again(tryton_settings, tryton_client):
    adapter = TrytonErpAdapter(tryton_settings)
    assert adapter.find_order("OMS-12") is None
    # Simulate the server forgetting the session (timeout or restart).
    adapter.rpc.http.headers["Authorization"] = "Session " + "YWRtaW46MTpub3Bl"
    adapter.push_order(order(), "OMS-12")
    assert len(sales(tryton_client, "OMS-12")) == 1
