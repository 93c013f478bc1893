"""Attachments and the original .eml are served as downloads with safe headers."""
from __future__ import annotations

from email.message import EmailMessage

EVIL_HTML = b"<html><script>alert(document.cookie)</script></html>"


def _store_message(app_context) -> str:
    msg = EmailMessage()
    msg["From"] = "buyer@example.com"
    msg["To"] = "orders@example.com"
    msg["Subject"] = "PO with an HTML attachment"
    msg["Message-ID"] = "<attach-test@example.com>"
    msg.set_content("Please see the attached order.")
    msg.add_attachment(EVIL_HTML, maintype="text", subtype="html", filename='order".html')
    key, _created = app_context.store.save_raw(msg.as_bytes(), "test")
    return key


def test_an_attachment_downloads_as_octet_stream_with_nosniff_and_a_sandbox_csp(as_role, app_context):
    key = _store_message(app_context)
    response = as_role("reviewer").get(f"/review/{key}/attachments/0")
    assert response.status_code == 200
    assert response.content == EVIL_HTML
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"] == 'attachment; filename="order_.html"'
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]


def test_the_original_eml_downloads_and_an_unknown_attachment_is_404(as_role, app_context):
    key = _store_message(app_context)
    client = as_role("reviewer")
    raw = client.get(f"/review/{key}/raw")
    assert raw.headers["content-disposition"].startswith("attachment;")
    assert b"Message-ID: <attach-test@example.com>" in raw.content
    assert client.get(f"/review/{key}/attachments/7").status_code == 404


def test_sales_reps_cannot_download_review_attachments(as_role, app_context):
    key = _store_message(app_context)
    assert as_role("sales").get(f"/review/{key}/attachments/0").status_code == 403


def test_an_uploaded_eml_is_stored_first_and_duplicates_are_recognised(as_role, app_context):
    from tests.integration.review_ui.conftest import csrf_of

    msg = EmailMessage()
    msg["From"] = "buyer@example.com"
    msg["Subject"] = "Order 77"
    msg["Message-ID"] = "<upload-test@example.com>"
    msg.set_content("Please deliver 5 pieces of KL-1.")
    client = as_role("reviewer")
    token = csrf_of(client.get("/queue").text)
    first = client.post("/queue/upload", data={"csrf_token": token}, files={"files": ("po.eml", msg.as_bytes(), "message/rfc822")})
    assert first.status_code == 303
    assert "the worker will process it" in client.get("/queue").text  # no graph in this context
    assert app_context.store.pending()  # stored before anything else
    again = client.post("/queue/upload", data={"csrf_token": token}, files={"files": ("po.eml", msg.as_bytes(), "message/rfc822")})
    assert again.status_code == 303 and "already received" in client.get("/queue").text
