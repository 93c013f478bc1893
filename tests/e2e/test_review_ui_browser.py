"""The review UI in real headless Chromium against `oms serve` and the real pipeline."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from oms_core.adapters import orm
from tests.e2e.conftest import CORPUS, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _message(deployment, po_number: str):
    engine = deployment.engine()
    try:
        with engine.connect() as conn:
            return conn.execute(sa.select(orm.processed_messages).where(orm.processed_messages.c.po_number == po_number)
                                .order_by(orm.processed_messages.c.created_at.desc())).first()
    finally:
        engine.dispose()


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


def test_reviewer_corrects_a_flagged_po_and_the_next_po_in_that_layout_needs_no_correction(page, deployment, tmp_path):
    flagged = _message(deployment, "WHI892756")
    assert flagged is not None and flagged.status == "needs_review" and "unknown_sku" in flagged.review_reasons
    log_in(page, "rita")
    page.goto("/queue?reason=unknown_sku")
    page.click("text=WHI892756")
    page.wait_for_selector('input[name="l0_sku"]')
    page.wait_for_selector(".mailtext")  # the original mail body beside the order
    assert "ZNR-3877-C" in page.locator(".original").inner_text()
    screenshot(page, "review-mail")
    page.fill('input[name="l0_sku"]', "KL-10495")
    page.click("#approve")
    page.wait_for_url(lambda url: f"/review/{flagged.message_key}" not in url)
    assert page.js_errors == []

    booked = _message(deployment, "WHI892756")
    assert booked.status == "done" and booked.decided_by == "rita"
    engine = deployment.engine()
    with engine.connect() as conn:
        lines = conn.execute(sa.select(orm.order_lines.c.line_no, orm.order_lines.c.sku)
                             .where(orm.order_lines.c.order_id == booked.order_id)).all()
    engine.dispose()
    assert (1, "KL-10495") in lines
    page.goto(f"/orders/{booked.order_id}")
    assert "KL-10495" in page.locator("table.grid").first.inner_text()
    screenshot(page, "order")

    raw = (CORPUS / "mail" / "0089.eml").read_text()
    nxt = (raw.replace(".89@whitmore", ".89-next@whitmore").replace("WHI892756", "WHI892999")
           .replace("at 11=\n5.39 GBP", "at 4.3=\n4 GBP"))
    (tmp_path / "next.eml").write_text(nxt)
    [result] = deployment.process(tmp_path / "next.eml")
    line = result["order"]["lines"][0]
    assert line["customer_sku"] == "ZNR-3877-C" and line["sku"] == "KL-10495"
    assert "unknown_sku" not in result["review_reasons"]


def test_keyboard_only_review_approves_with_a_corrected_delivery_date(page, deployment):
    flagged = _message(deployment, "FAV990278")
    assert flagged is not None and flagged.status == "needs_review"
    log_in(page, "rita")
    page.goto("/queue?reason=past_delivery_date")
    page.keyboard.press("j")
    assert page.locator("tr.selected").count() == 1
    page.keyboard.press("Enter")
    page.wait_for_selector('input[name="h_requested_delivery_date"]')
    page.wait_for_selector(".page-img img")  # the PDF page rendered beside the order
    page.wait_for_function("document.querySelectorAll('.page-img .box').length > 0 && document.querySelector('.page-img img').complete")
    screenshot(page, "review-pdf")
    page.keyboard.press("e")  # focus the first header field
    for _ in range(10):
        if page.evaluate("document.activeElement.name") == "h_requested_delivery_date":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "h_requested_delivery_date"
    assert page.locator(".box.active").count() >= 1  # the field's source is outlined on the page
    page.keyboard.press("Control+A")
    page.keyboard.type("2027-02-15")
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    page.wait_for_url(lambda url: f"/review/{flagged.message_key}" not in url)
    decided = _message(deployment, "FAV990278")
    assert decided.status == "done" and decided.decided_by == "rita"
    engine = deployment.engine()
    with engine.connect() as conn:
        delivery = conn.execute(sa.select(orm.orders.c.requested_delivery_date).where(orm.orders.c.order_id == decided.order_id)).scalar()
    engine.dispose()
    assert str(delivery) == "2027-02-15"
    assert page.js_errors == []


def test_admin_changes_a_threshold_after_a_backtest(page, deployment):
    log_in(page, "ada")
    page.goto("/admin/rules")
    page.fill("#rule_auto_accept_max_order_value", "1")
    page.fill("#backtest-n", "50")
    page.click("#run-backtest")
    page.wait_for_selector("#backtest-result")
    to_review = int(page.locator("#flips-to-review").inner_text())
    auto = _count_auto(deployment)
    assert to_review == auto and auto > 0  # every automatic order is worth more than 1
    screenshot(page, "rules-backtest")
    page.fill("#rule-why", "pilot: every order through review this week")
    page.click("#save-rules")
    page.wait_for_selector(".flash")
    assert "Saved version" in page.locator(".flash").first.inner_text()
    assert "pilot: every order through review this week" in page.locator("table.grid").last.inner_text()
    assert page.js_errors == []


def _count_auto(deployment) -> int:
    engine = deployment.engine()
    with engine.connect() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(orm.processed_messages)
                         .where(orm.processed_messages.c.decision == "auto")).scalar()
    engine.dispose()
    return n


def test_a_po_with_a_script_tag_renders_inert(page, deployment, tmp_path):
    raw = (CORPUS / "mail" / "0089.eml").read_text()
    evil = (raw.replace(".89@whitmore", ".89-evil@whitmore")
            .replace("Subject: New order WHI892756", "Subject: <script>window.__xss=1</script> New order")
            .replace("Dear Sir or Madam,", "Dear Sir or Madam, <script>window.__xss=2</script><img src=x onerror=\"window.__xss=3\">")
            .replace("WHI892756", "WHI<script>window.__xss=4</script>"))
    (tmp_path / "evil.eml").write_text(evil)
    deployment.process(tmp_path / "evil.eml")
    log_in(page, "rita")
    page.goto("/queue")
    row = page.locator("tr", has_text="window.__xss").first
    row.locator("a").click()
    page.wait_for_selector(".mailtext")
    assert page.evaluate("window.__xss") is None
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
    assert re.search(r"\d", page.locator("table.grid").first.inner_text())
