"""Stored XSS: text from a PO (subject, PO number, descriptions) is shown escaped, never as markup."""
from __future__ import annotations

import sqlalchemy as sa

from oms_core.adapters import orm

PAYLOAD = "<script>alert('xss')</script>"
ATTR = '"><img src=x onerror=alert(1)>'


def _poison(app_context, key: str) -> None:
    with app_context.engine.begin() as conn:
        row = conn.execute(sa.select(orm.processed_messages).where(orm.processed_messages.c.message_key == key)).one()
        proposed = dict(row.proposed)
        proposed["po_number"] = PAYLOAD
        proposed["lines"] = [dict(proposed["lines"][0], description=PAYLOAD, customer_sku=ATTR)]
        conn.execute(orm.processed_messages.update().where(orm.processed_messages.c.message_key == key).values(
            po_number=PAYLOAD, subject=PAYLOAD, sender=ATTR, proposed=proposed,
            reasons_detail=[{"code": row.review_reasons[0], "why": PAYLOAD, "message_en": PAYLOAD}]))
        conn.execute(orm.orders.update().where(orm.orders.c.order_id == row.order_id).values(po_number=PAYLOAD))


def test_a_po_containing_script_renders_inert_in_queue_review_and_orders(as_role, app_context, seeded):
    key = seeded[0]
    _poison(app_context, key)
    reviewer = as_role("reviewer")
    pages = [reviewer.get("/queue").text, reviewer.get(f"/review/{key}").text, as_role("sales").get("/orders").text]
    for html in pages:
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html
    review = pages[1]
    assert 'value="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in review


def test_api_returns_the_text_as_data_not_markup(as_role, app_context, seeded):
    _poison(app_context, seeded[0])
    body = as_role("reviewer").get(f"/api/messages/{seeded[0]}")
    assert body.headers["content-type"].startswith("application/json")
    assert body.json()["proposed"]["po_number"] == PAYLOAD
