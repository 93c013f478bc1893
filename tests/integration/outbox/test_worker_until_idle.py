"""`oms worker --until-idle` drains the outbox (real Tryton, real SMTP) and exits."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.integration.outbox.conftest import settings_for_tryton
from tests.integration.outbox.orders import book_order, make_oms
from tests.integration.outbox.test_crash_and_refusals import REPO, as_env

pytestmark = [pytest.mark.tryton, pytest.mark.slow]


def test_worker_until_idle_drains_the_outbox_and_exits(sqlite_url, tmp_path, shared_tryton_db,
                                                       tryton_client, smtp_server, request):
    engine, oms = make_oms(sqlite_url)
    orders = [book_order(oms, f"{request.node.name}-{n}", customer=c)
              for n, c in enumerate(("C1001", "C1002"))]
    settings = settings_for_tryton(shared_tryton_db, database_url=sqlite_url, data_dir=tmp_path / "data",
                                   **smtp_server.settings_overrides())
    done = subprocess.run([sys.executable, "-m", "oms", "worker", "--until-idle"], cwd=REPO,
                          env=as_env(settings), timeout=300, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    with oms() as uow:
        statuses = {(m.order_id, m.kind): m.status for m in uow.outbox.list()}
    assert statuses == {(o, k): "sent" for o in orders for k in ("erp_push", "confirmation")}
    for order_id in orders:
        assert len(tryton_client.search_read("sale.sale", [("reference", "=", order_id)], ["id"])) == 1
    assert sorted(m["X-OMS-Order"] for m in smtp_server.messages) == sorted(orders)
    engine.dispose()
