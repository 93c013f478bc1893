"""The review UI in real headless Chromium against `oms serve` and the real pipeline."""
from __future__ import annotations

import csv
import email
import email.policy
import re

import pytest
import sqlalchemy as sa

from oms_core.adapters import orm
from tests.e2e.conftest import CORPUS, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _rows(deployment, *where):
    engine = deployment.engine()
    try:
        with engine.connect() as conn:
            return conn.execute(sa.select(orm.processed_messages).where(*where)
                                .order_by(orm.processed_messages.c.created_at)).all()
    finally:
        engine.dispose()


def _row(deployment, key: str):
    [row] = _rows(deployment, orm.processed_messages.c.message_key == key)
    return row


def _raw(deployment, key: str) -> bytes:
    from intake.store import MessageStore

    engine = deployment.engine()
    try:
        return MessageStore(engine, deployment.root / "data").load_raw(key)
    finally:
        engine.dispose()


def _with_new_message_id(raw: bytes, suffix: str):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    old = message["Message-ID"] or "<none@example>"
    del message["Message-ID"]
    message["Message-ID"] = old.replace("@", f".{suffix}@", 1)
    return message


def _contract_sku(customer_id: str) -> str:
    with open(CORPUS / "master" / "prices.csv", newline="") as handle:
        return next(r["sku"] for r in csv.DictReader(handle) if r["customer_id"] == customer_id)


def test_login_page_refuses_a_wrong_password_then_lets_the_reviewer_in(page):
    page.goto("/queue")
    assert "/login" in page.url
    screenshot(page, "login")
    page.fill('input[name="username"]', "rita")
    page.fill('input[name="password"]', "wrong-password")
    page.click('button[type="submit"]')
    assert page.locator('[role="alert"]').inner_text() == "Wrong user name or password."
    log_in(page, "rita")
    page.goto("/queue")
    assert page.locator("h1").first.inner_text().startswith("Review queue")
    screenshot(page, "queue")
    assert page.js_errors == []


def _unknown_article_case(deployment):
    """A flagged message with a line whose customer part number matched none of our articles."""
    for row in _rows(deployment, orm.processed_messages.c.status == "needs_review"):
        if "unknown_sku" not in (row.review_reasons or []):
            continue
        for index, line in enumerate((row.proposed or {}).get("lines") or []):
            if line.get("sku") is None and line.get("customer_sku"):
                return row, index, line["customer_sku"]
    pytest.fail("no flagged message with an unknown customer part number in the corpus")


def test_reviewer_corrects_a_flagged_po_and_the_next_po_in_that_layout_needs_no_correction(page, deployment, tmp_path):
    flagged, index, customer_sku = _unknown_article_case(deployment)
    sku = _contract_sku(flagged.customer_id)
    log_in(page, "rita")
    page.goto(f"/queue?reason=unknown_sku&customer={flagged.customer_id}")
    page.click(f'tr[data-href^="/review/{flagged.message_key}"] a')
    page.wait_for_selector(f'input[name="l{index}_sku"]')
    page.wait_for_selector(".doc")  # the original beside the order
    assert page.locator(f'input[name="l{index}_customer_sku"]').input_value() == customer_sku
    screenshot(page, "review-correct")
    page.fill(f'input[name="l{index}_sku"]', sku)
    page.click("#approve")
    page.wait_for_url(lambda url: f"/review/{flagged.message_key}" not in url)
    assert page.js_errors == []

    booked = _row(deployment, flagged.message_key)
    assert booked.status == "done" and booked.decided_by == "rita" and booked.order_id
    engine = deployment.engine()
    with engine.connect() as conn:
        lines = conn.execute(sa.select(orm.order_lines.c.customer_sku, orm.order_lines.c.sku)
                             .where(orm.order_lines.c.order_id == booked.order_id)).all()
    engine.dispose()
    assert (customer_sku, sku) in lines
    page.goto(f"/orders/{booked.order_id}")
    assert sku in page.locator("table.grid").first.inner_text()
    screenshot(page, "order")

    # The customer's next PO in the same layout: same document, a new message.
    nxt = _with_new_message_id(_raw(deployment, flagged.message_key), "next")
    (tmp_path / "next.eml").write_bytes(nxt.as_bytes())
    [result] = deployment.process(tmp_path / "next.eml")
    again = [line for line in result["order"]["lines"] if line["customer_sku"] == customer_sku]
    assert again and again[0]["sku"] == sku
    assert "unknown_sku" not in result["review_reasons"]


def test_keyboard_only_review_approves_with_a_corrected_delivery_date(page, deployment):
    log_in(page, "rita")
    page.goto("/queue?reason=past_delivery_date")
    page.keyboard.press("j")
    selected = page.locator("tr.selected")
    assert selected.count() == 1
    key = re.match(r"/review/([0-9a-f]+)", selected.get_attribute("data-href")).group(1)
    page.keyboard.press("Enter")
    page.wait_for_selector('input[name="h_requested_delivery_date"]')
    page.wait_for_selector(".doc")
    if page.locator(".page-img img").count():  # a PDF: rendered page with outlined sources
        page.wait_for_function("document.querySelectorAll('.page-img .box').length > 0")
        screenshot(page, "review-pdf")
    page.keyboard.press("e")  # focus the first header field
    for _ in range(10):
        if page.evaluate("document.activeElement.name") == "h_requested_delivery_date":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "h_requested_delivery_date"
    page.keyboard.press("Control+A")
    page.keyboard.type("2027-02-15")
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    page.wait_for_url(lambda url: f"/review/{key}" not in url)
    decided = _row(deployment, key)
    assert decided.status == "done" and decided.decided_by == "rita"
    engine = deployment.engine()
    with engine.connect() as conn:
        delivery = conn.execute(sa.select(orm.orders.c.requested_delivery_date).where(orm.orders.c.order_id == decided.order_id)).scalar()
    engine.dispose()
    assert str(delivery) == "2027-02-15"
    assert page.js_errors == []


def test_admin_changes_a_threshold_after_a_backtest(page, deployment):
    auto = len(_rows(deployment, orm.processed_messages.c.decision == "auto"))
    assert auto > 0
    log_in(page, "ada")
    page.goto("/admin/rules")
    page.fill("#rule_auto_accept_max_order_value", "1")
    page.fill("#backtest-n", "200")
    page.click("#run-backtest")
    page.wait_for_selector("#backtest-result")
    assert int(page.locator("#flips-to-review").inner_text()) == auto  # every automatic order is worth more than 1
    screenshot(page, "rules-backtest")
    page.fill("#rule-why", "pilot: every order through review this week")
    page.click("#save-rules")
    page.wait_for_selector(".flash")
    assert "Saved version" in page.locator(".flash").first.inner_text()
    assert "pilot: every order through review this week" in page.locator("table.grid").last.inner_text()
    assert page.js_errors == []


def test_a_po_with_a_script_tag_renders_inert(page, deployment, tmp_path):
    source = _rows(deployment, orm.processed_messages.c.status == "needs_review")[0]  # an order mail to poison
    evil = _with_new_message_id(_raw(deployment, source.message_key), "evil")
    subject = evil["Subject"]
    del evil["Subject"]
    evil["Subject"] = f"<script>window.__xss=1</script> {subject}"
    body = evil.get_body(preferencelist=("plain",))
    body.set_content("<script>window.__xss=2</script><img src=x onerror=\"window.__xss=3\">\n" + body.get_content())
    (tmp_path / "evil.eml").write_bytes(evil.as_bytes())
    deployment.process(tmp_path / "evil.eml")
    log_in(page, "rita")
    page.goto("/queue")
    row = page.locator("tr", has_text="window.__xss").first
    row.locator("a").click()
    page.wait_for_selector(".mailtext")
    assert page.evaluate("window.__xss") is None
    assert "<script>window.__xss=1</script>" in page.locator("h1, .facts").all_inner_texts()[-1]
    assert "<script>window.__xss=2</script>" in page.locator(".mailtext").first.inner_text()
    assert page.js_errors == []


def test_main_pages_render_without_script_errors(page):
    log_in(page, "ada")
    for path, name in (("/", "dashboard"), ("/orders", "orders"), ("/confirmations", "confirmations"),
                       ("/admin/master", "master-data"), ("/admin/users", "users"), ("/admin/audit", "audit")):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").count() >= 1
        if name == "dashboard":
            page.wait_for_function("document.querySelectorAll('canvas[data-drawn]').length >= 6")
        screenshot(page, name)
    assert page.js_errors == []
