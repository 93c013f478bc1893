"""Failure paths: a worker killed mid-delivery, SMTP refusing, attempts running out."""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from oms.settings import get_settings
from oms_core.domain.model import utcnow
from oms_core.outbox import build_dispatcher

from tests.integration.outbox.conftest import settings_for_tryton
from tests.integration.outbox.orders import book_order

REPO = Path(__file__).resolve().parents[3]


def rows(uow_factory, order_id):
    with uow_factory() as uow:
        return {m.kind: m for m in uow.outbox.list(order_id=order_id)}


def as_env(settings) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMS_")}
    for name, value in settings.model_dump().items():
        if value is not None:
            env[f"OMS_{name.upper()}"] = str(value)
    return env


def crashing_worker(settings, kind: str, minutes_ahead: int) -> int:
    process = subprocess.run([sys.executable, "-m", "tests.support.crashing_worker", kind,
                              str(minutes_ahead)], cwd=REPO, env=as_env(settings), timeout=120,
                             capture_output=True)
    return process.returncode


@pytest.mark.tryton
@pytest.mark.slow
def test_workers_killed_between_sending_and_marking_leave_one_sale_and_one_email(
        oms, sqlite_url, shared_tryton_db, tryton_client, smtp_server, request):
    settings = settings_for_tryton(shared_tryton_db, database_url=sqlite_url,
                                   **smtp_server.settings_overrides())
    order_id = book_order(oms, request.node.name)

    # 1. Killed right after Tryton confirmed the sale, before the row was marked sent.
    assert crashing_worker(settings, "erp_push", 0) == -signal.SIGKILL
    assert {m.status for m in rows(oms, order_id).values()} == {"sending"}
    assert len(tryton_client.search_read("sale.sale", [("reference", "=", order_id)], ["id"])) == 1

    # 2. A later worker reclaims both stale rows: the ERP already has the sale (looked up, not
    #    created again); it is killed right after SMTP accepted the confirmation.
    assert crashing_worker(settings, "confirmation", 11) == -signal.SIGKILL
    current = rows(oms, order_id)
    assert current["erp_push"].status == "sent" and current["erp_push"].attempts == 2
    assert current["confirmation"].status == "sending"
    assert len(smtp_server.messages) == 1

    # 3. The next worker finds the email half-done and does not send it blindly again.
    build_dispatcher(settings, oms).run_once(utcnow() + dt.timedelta(minutes=22))
    confirmation = rows(oms, order_id)["confirmation"]
    assert confirmation.status == "dead"
    assert "probably delivered" in confirmation.last_error
    sales = tryton_client.search_read("sale.sale", [("reference", "=", order_id)], ["state"])
    assert [s["state"] for s in sales] == ["processing"]
    assert len(smtp_server.messages) == 1


def smtp_settings(tmp_path, smtp_server, **changes):
    return get_settings(erp="file", erp_url=str(tmp_path / "erp"), **smtp_server.settings_overrides(),
                        **changes)


def test_smtp_refusing_a_recipient_dead_letters_the_confirmation_with_the_reason(oms, tmp_path, smtp_server,
                                                                              request):
    order_id = book_order(oms, request.node.name)
    smtp_server.handler.refuse = "550 5.1.1 <buyer@c1001.example>: mailbox unknown"
    build_dispatcher(smtp_settings(tmp_path, smtp_server), oms).run_once()
    current = rows(oms, order_id)
    assert current["erp_push"].status == "sent"  # the ERP push does not wait for the email
    assert current["confirmation"].status == "dead"
    assert "550" in current["confirmation"].last_error and "mailbox unknown" in current["confirmation"].last_error
    assert smtp_server.messages == []


def test_smtp_temporarily_refusing_is_retried_and_the_email_goes_out_once(oms, tmp_path, smtp_server, request):
    order_id = book_order(oms, request.node.name)
    smtp_server.handler.refuse = "451 4.3.0 greylisted, try later"
    dispatcher = build_dispatcher(smtp_settings(tmp_path, smtp_server), oms)
    now = utcnow()
    dispatcher.run_once(now)
    assert rows(oms, order_id)["confirmation"].status == "pending"
    smtp_server.handler.refuse = None
    dispatcher.run_once(now + dt.timedelta(minutes=5))
    confirmation = rows(oms, order_id)["confirmation"]
    assert confirmation.status == "sent" and confirmation.attempts == 2
    assert [m["Message-ID"] for m in smtp_server.messages] == [confirmation.external_ref]


def test_smtp_down_until_attempts_run_out_dead_letters_with_the_count(oms, tmp_path, request):
    from tests.support.smtp import free_port

    order_id = book_order(oms, request.node.name)
    settings = get_settings(erp="none", smtp_host="127.0.0.1", smtp_port=free_port(),
                            smtp_security="none", outbox_max_attempts=3)
    dispatcher = build_dispatcher(settings, oms)
    now = utcnow()
    for hours in range(4):
        dispatcher.run_once(now + dt.timedelta(hours=hours))
    confirmation = rows(oms, order_id)["confirmation"]
    assert confirmation.status == "dead" and confirmation.attempts == 3
    assert confirmation.last_error.startswith("gave up after 3 attempts: SMTP 127.0.0.1")
    assert rows(oms, order_id)["erp_push"].external_ref == f"none:{order_id}"


def test_backoff_doubles_per_attempt_within_the_jitter(oms, tmp_path, request):
    from tests.support.smtp import free_port

    order_id = book_order(oms, request.node.name)
    settings = get_settings(erp="none", smtp_host="127.0.0.1", smtp_port=free_port(),
                            smtp_security="none", outbox_backoff_seconds=60)
    dispatcher = build_dispatcher(settings, oms)
    now = utcnow()
    delays = []
    for _ in range(3):
        dispatcher.run_once(now)
        due = rows(oms, order_id)["confirmation"].next_attempt_at
        delays.append((due - now).total_seconds())
        now = due
    for delay, nominal in zip(delays, (60, 120, 240)):
        assert nominal * 0.8 <= delay <= nominal * 1.2
