"""OMS_OUTBOX_STALE_SENDING_SECONDS: a row left `sending` by a dead dispatcher is taken again after
that window, and not before (a live dispatcher may still be talking to the ERP)."""
from __future__ import annotations

import datetime as dt

from oms.settings import get_settings
from oms_core.domain.model import utcnow
from oms_core.outbox import build_dispatcher
from tests.integration.outbox.orders import book_order


def test_a_claimed_row_is_reclaimed_only_after_the_configured_window(oms, tmp_path, request):
    order_id = book_order(oms, request.node.name)
    now = utcnow()
    with oms() as uow:  # a dispatcher claims the rows, then dies before delivering
        claimed = uow.outbox.claim_due(now, 10)
        uow.commit()
    assert {m.order_id for m in claimed} == {order_id}
    settings = get_settings(erp="file", erp_url=str(tmp_path / "erp"), outbox_stale_sending_seconds=120)
    dispatcher = build_dispatcher(settings, oms)
    dispatcher.run_once(now + dt.timedelta(seconds=60))
    assert not list((tmp_path / "erp").glob("*.json")), "inside the window the claim is respected"
    dispatcher.run_once(now + dt.timedelta(seconds=180))
    assert [p.name for p in (tmp_path / "erp").glob("*.json")] == [f"{order_id}.json"]
    with oms() as uow:
        erp = [m for m in uow.outbox.list(order_id=order_id) if m.kind == "erp_push"]
    assert [(m.status, m.attempts) for m in erp] == [("sent", 2)]
