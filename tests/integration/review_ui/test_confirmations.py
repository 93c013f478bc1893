"""Sales reps see confirmation drafts per customer, edit one and send it (it goes to the outbox)."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from oms_core.adapters import orm
from tests.integration.review_ui.conftest import csrf_of


def _draft(app_context) -> tuple[int, str]:
    now = datetime.now(timezone.utc)
    with app_context.engine.begin() as conn:
        order_id = conn.execute(sa.select(orm.orders.c.order_id).where(orm.orders.c.status == "confirmed").limit(1)).scalar()
        reply = {"message_id": "<po-1@buyer.example>", "subject": "Order PO-1", "sender": "buyer@buyer.example", "references": []}
        conn.execute(orm.orders.update().where(orm.orders.c.order_id == order_id).values(reply_to=reply))
        outbox_id = conn.execute(orm.outbox.insert().values(
            kind="confirmation", order_id=order_id, idempotency_key=f"confirm:{order_id}",
            payload={"mode": "draft", "reply_to": reply}, status="draft", attempts=0, created_at=now, updated_at=now)).inserted_primary_key[0]
    return outbox_id, order_id


def test_a_draft_shows_the_thread_and_sending_it_queues_the_edited_text(as_role, app_context, seeded):
    outbox_id, order_id = _draft(app_context)
    sales = as_role("sales")
    listing = sales.get("/confirmations?status=draft").text
    assert f"/confirmations/{outbox_id}" in listing and "Order PO-1" in listing
    page = sales.get(f"/confirmations/{outbox_id}")
    assert "&lt;po-1@buyer.example&gt;" in page.text and 'name="subject"' in page.text
    response = sales.post(f"/confirmations/{outbox_id}", data={
        "csrf_token": csrf_of(page.text), "subject": "Re: Order PO-1 confirmed", "text": "Thank you, confirmed.",
        "action": "send"})
    assert response.status_code == 303
    with app_context.engine.connect() as conn:
        row = conn.execute(sa.select(orm.outbox).where(orm.outbox.c.id == outbox_id)).one()
    assert row.status == "pending"
    assert row.payload["mode"] == "send" and row.payload["text"] == "Thank you, confirmed."
    assert row.payload["edited_by"] == "sam"
