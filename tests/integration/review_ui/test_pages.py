"""Queue, review, orders, rules/backtest, master upload and dashboard pages on a seeded database."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import sqlalchemy as sa

from oms_core.adapters import orm
from tests.integration.review_ui.conftest import csrf_of


def _queue_keys(html: str) -> list[str]:
    return re.findall(r'<tr data-href="/review/([0-9a-f]+)\?', html)


def test_queue_lists_only_messages_waiting_oldest_first(as_role, app_context, seeded):
    html = as_role("reviewer").get("/queue").text
    keys = _queue_keys(html)
    assert sorted(keys) == sorted(seeded)
    with app_context.engine.connect() as conn:
        created = dict(conn.execute(sa.select(orm.processed_messages.c.message_key, orm.processed_messages.c.created_at)).all())
    assert [created[k] for k in keys] == sorted(created[k] for k in keys)


def test_queue_sorted_by_value_puts_the_biggest_order_first(as_role, app_context, seeded):
    keys = _queue_keys(as_role("reviewer").get("/queue?sort=value").text)
    with app_context.engine.connect() as conn:
        value = dict(conn.execute(sa.select(orm.processed_messages.c.message_key, orm.processed_messages.c.value)).all())
    assert [value[k] for k in keys] == sorted((value[k] for k in keys), reverse=True)


def test_queue_filters_by_reason_customer_and_format(as_role, app_context, seeded):
    client = as_role("reviewer")
    with app_context.engine.connect() as conn:
        rows = conn.execute(sa.select(orm.processed_messages).where(orm.processed_messages.c.status == "needs_review")).all()
    reason = rows[0].review_reasons[0]
    expected = {r.message_key for r in rows if reason in r.review_reasons}
    assert set(_queue_keys(client.get(f"/queue?reason={reason}").text)) == expected
    customer = rows[0].customer_id
    assert set(_queue_keys(client.get(f"/queue?customer={customer}").text)) == {r.message_key for r in rows if r.customer_id == customer}
    fmt = rows[0].format
    assert set(_queue_keys(client.get(f"/queue?format={fmt}").text)) == {r.message_key for r in rows if r.format == fmt}


def test_opening_an_item_claims_it_and_a_second_reviewer_sees_it_locked(as_role, app, app_context, seeded):
    from fastapi.testclient import TestClient

    from review_ui.users import service
    from sqlalchemy.orm import Session
    from tests.integration.review_ui.conftest import PASSWORD, log_in

    first = as_role("reviewer")
    page = first.get(f"/review/{seeded[0]}")
    assert page.status_code == 200 and 'id="approve"' in page.text
    with Session(app_context.engine) as session:
        service.create(session=session, username="rolf", password=PASSWORD, role="reviewer")
        session.commit()
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as second:
        log_in(second, "rolf")
        other = second.get(f"/review/{seeded[0]}")
        assert "rita is reviewing this message" in other.text
        assert 'id="approve"' not in other.text
        token = csrf_of(other.text)
        refused = second.post(f"/review/{seeded[0]}", data={"csrf_token": token, "action": "reject", "reason": "x"})
        assert refused.status_code == 409
    with app_context.engine.connect() as conn:
        row = conn.execute(sa.select(orm.processed_messages).where(orm.processed_messages.c.message_key == seeded[0])).one()
    assert row.claimed_by == "rita" and row.status == "needs_review"


def test_review_page_shows_why_it_was_flagged_and_the_lines(as_role, app_context, seeded):
    with app_context.engine.connect() as conn:
        row = conn.execute(sa.select(orm.processed_messages).where(orm.processed_messages.c.message_key == seeded[1])).one()
    html = as_role("reviewer").get(f"/review/{seeded[1]}").text
    for code in row.review_reasons:
        assert f'<span class="pill pill-warn">{code}</span>' in html
    for line in row.proposed["lines"]:
        assert f'value="{line["sku"]}"' in html
    assert 'data-field="header.po_number"' in html


def test_review_post_without_csrf_token_is_refused_and_changes_nothing(as_role, app_context, seeded):
    client = as_role("reviewer")
    client.get(f"/review/{seeded[2]}")
    response = client.post(f"/review/{seeded[2]}", data={"action": "reject", "reason": "spam"})
    assert response.status_code == 403
    with app_context.engine.connect() as conn:
        status = conn.execute(sa.select(orm.processed_messages.c.status).where(orm.processed_messages.c.message_key == seeded[2])).scalar()
    assert status == "needs_review"


def test_reject_needs_a_reason(as_role, seeded):
    client = as_role("reviewer")
    token = csrf_of(client.get(f"/review/{seeded[3]}").text)
    response = client.post(f"/review/{seeded[3]}", data={"csrf_token": token, "action": "reject", "reason": " "})
    assert response.status_code == 400 and "Give a reason to reject" in response.text


def test_orders_page_and_detail_show_status_lines_and_backorders(as_role, app_context, seeded):
    client = as_role("sales")
    listing = client.get("/orders?status=confirmed")
    assert listing.status_code == 200 and "needs_review</span>" not in listing.text
    order_id = re.search(r'href="/orders/(O\d+)"', listing.text).group(1)
    detail = client.get(f"/orders/{order_id}")
    assert detail.status_code == 200 and "Reservations" in detail.text and "Backordered" in detail.text


def test_dashboard_shows_the_touchless_rate_of_the_seeded_orders(as_role, app_context, seeded):
    with app_context.engine.connect() as conn:
        decisions = list(conn.execute(sa.select(orm.processed_messages.c.decision)).scalars())
    expected = round(100 * decisions.count("auto") / len(decisions))
    html = as_role("sales").get("/").text
    assert f'id="kpi-touchless">{expected} %' in html
    assert 'data-chart="chart-messages"' in html and "chart-4.6.1.umd.min.js" in html


def _set_value(app_context, key: str, value: str) -> None:
    with app_context.engine.begin() as conn:
        conn.execute(orm.processed_messages.update().where(orm.processed_messages.c.message_key == key).values(
            value=Decimal(value), decision="auto", status="done", review_reasons=[], reasons_detail=[],
            created_at=datetime.now(timezone.utc) + timedelta(minutes=1)))


def test_backtest_lists_the_messages_a_lower_order_limit_would_send_to_review(as_role, app_context, seeded):
    big, small = seeded[4], seeded[5]
    _set_value(app_context, big, "9000")
    _set_value(app_context, small, "100")
    admin = as_role("admin")
    token = csrf_of(admin.get("/admin/rules").text)
    response = admin.post("/admin/rules/backtest", data={"csrf_token": token, "rule_auto_accept_max_order_value": "5000", "n": "100"},
                          headers={"HX-Request": "true"})
    assert response.status_code == 200
    flipped = re.findall(r'href="/review/([0-9a-f]+)"', response.text)
    assert big in flipped and small not in flipped
    assert 'id="flips-to-review">' in response.text


def test_saving_a_rule_needs_a_why_and_then_records_a_version(as_role, app_context, seeded):
    admin = as_role("admin")
    token = csrf_of(admin.get("/admin/rules").text)
    refused = admin.post("/admin/rules", data={"csrf_token": token, "rule_min_match_score": "0.9", "why": ""})
    assert refused.status_code == 400
    saved = admin.post("/admin/rules", data={"csrf_token": token, "rule_min_match_score": "0.9", "why": "fewer wrong matches"})
    assert saved.status_code == 303
    page = admin.get("/admin/rules").text
    assert "fewer wrong matches" in page and "ada" in page
    with app_context.engine.connect() as conn:
        actions = list(conn.execute(sa.select(orm.audit_log.c.action)).scalars())
    assert "update_rules" in actions


def test_master_upload_reports_bad_rows_per_file_and_line(as_role):
    admin = as_role("admin")
    token = csrf_of(admin.get("/admin/master").text)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("master/products.csv", "sku,name,description,uom,pack_size,unit_price,currency,gtin,active\nA-1,Bolt,,EA,notanumber,1.00,EUR,,true\n")
    response = admin.post("/admin/master", data={"csrf_token": token}, files={"files": ("master.zip", archive.getvalue(), "application/zip")})
    assert response.status_code == 422
    assert 'id="import-problems"' in response.text and "products.csv" in response.text


def test_master_upload_refuses_unknown_files(as_role):
    admin = as_role("admin")
    token = csrf_of(admin.get("/admin/master").text)
    response = admin.post("/admin/master", data={"csrf_token": token}, files={"files": ("evil.sh", b"rm -rf /", "text/plain")})
    assert response.status_code == 400 and "not one of" in response.text


def test_review_page_links_j_and_k_to_the_neighbours_in_queue_order(as_role, seeded):
    client = as_role("reviewer")
    keys = _queue_keys(client.get("/queue").text)
    html = client.get(f"/review/{keys[1]}").text
    assert f'data-next="/review/{keys[2]}?' in html
    assert f'data-prev="/review/{keys[0]}?' in html
    assert 'data-prev=""' in client.get(f"/review/{keys[0]}").text
