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


def test_with_the_roots_pipeline_hook_an_upload_is_processed_at_once(template_db, tmp_path):
    import shutil

    from oms.bootstrap import bootstrap
    from oms.settings import get_settings
    from review_ui.app import create_app
    from tests.integration.review_ui.conftest import client_for, csrf_of, log_in

    shutil.copyfile(template_db, tmp_path / "oms.sqlite3")
    context = bootstrap(get_settings(database_url=f"sqlite:///{tmp_path / 'oms.sqlite3'}", data_dir=tmp_path / "data",
                                     secret_key="test-secret-key-123456", llm_base_url=None, llm_api_key=None))
    msg = EmailMessage()
    msg["From"] = "newsletter@example.com"
    msg["Subject"] = "Our spring catalogue"
    msg["Message-ID"] = "<upload-now@example.com>"
    msg.set_content("Discover our new products this spring. Unsubscribe at any time.")
    try:
        with client_for(create_app(context)) as client:
            log_in(client, "rita")
            token = csrf_of(client.get("/queue").text)
            client.post("/queue/upload", data={"csrf_token": token},
                        files={"files": ("news.eml", msg.as_bytes(), "message/rfc822")})
            page = client.get("/queue").text
        (stored,) = context.store.recent()
        assert stored.status == "processed"  # in the request, not left for a worker
        assert f"{stored.key[:10]}…: " in page and "the worker will process it" not in page
    finally:
        context.close()
