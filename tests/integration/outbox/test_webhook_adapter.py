"""The webhook adapter against a real HTTP receiver on loopback."""
import json

import pytest

from oms_core.adapters.erp.base import ErpRejected, ErpUnavailable
from oms_core.adapters.erp.webhook import WebhookErpAdapter, sign

from tests.integration.outbox.conftest import WEBHOOK_SECRET


def adapter_for(receiver, **kwargs) -> WebhookErpAdapter:
    return WebhookErpAdapter(url=receiver.url, secret=WEBHOOK_SECRET, pause=0.01, **kwargs)


def test_push_posts_signed_json_with_the_idempotency_key(webhook_receiver):
    reference = adapter_for(webhook_receiver).push_order({"po_number": "PO-1", "total": "9.50"}, "OMS-1")
    assert reference == "WH-1"
    headers, body, status = webhook_receiver.state.requests[0]
    assert status == 201
    assert headers["Idempotency-Key"] == "OMS-1"
    assert headers["X-OMS-Signature"] == sign(WEBHOOK_SECRET, body)
    assert json.loads(body) == {"po_number": "PO-1", "total": "9.50"}


def test_a_repeated_push_is_deduplicated_by_the_receiver(webhook_receiver):
    adapter = adapter_for(webhook_receiver)
    assert adapter.push_order({"n": 1}, "OMS-2") == adapter.push_order({"n": 1}, "OMS-2")
    assert list(webhook_receiver.state.orders) == ["OMS-2"]


def test_server_errors_are_retried_until_the_receiver_recovers(webhook_receiver):
    webhook_receiver.state.scripted = [503, 502]
    assert adapter_for(webhook_receiver, attempts=3).push_order({"n": 1}, "OMS-3") == "WH-1"
    assert [status for _h, _b, status in webhook_receiver.state.requests] == [503, 502, 201]


def test_persistent_server_errors_become_a_transient_failure(webhook_receiver):
    webhook_receiver.state.scripted = [500, 500]
    with pytest.raises(ErpUnavailable, match="500"):
        adapter_for(webhook_receiver, attempts=2).push_order({"n": 1}, "OMS-4")


def test_client_errors_are_permanent_and_not_retried(webhook_receiver):
    webhook_receiver.state.scripted = [422]
    with pytest.raises(ErpRejected, match="422"):
        adapter_for(webhook_receiver, attempts=3).push_order({"n": 1}, "OMS-5")
    assert len(webhook_receiver.state.requests) == 1


def test_a_wrong_secret_is_refused_by_the_receiver(webhook_receiver):
    adapter = WebhookErpAdapter(url=webhook_receiver.url, secret="not-the-secret", pause=0.01)
    with pytest.raises(ErpRejected, match="401"):
        adapter.push_order({"n": 1}, "OMS-6")


def test_a_slow_receiver_times_out_as_a_transient_failure(webhook_receiver):
    webhook_receiver.state.delay_s = 0.5
    adapter = adapter_for(webhook_receiver, attempts=1, timeout=0.1)
    with pytest.raises(ErpUnavailable, match="timeout"):
        adapter.push_order({"n": 1}, "OMS-7")


def test_an_unreachable_receiver_is_a_transient_failure():
    from tests.support.smtp import free_port

    adapter = WebhookErpAdapter(url=f"http://127.0.0.1:{free_port()}/x", secret="s", pause=0.01,
                                attempts=2)
    with pytest.raises(ErpUnavailable, match="cannot reach"):
        adapter.push_order({"n": 1}, "OMS-8")
