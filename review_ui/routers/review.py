"""One review item: the original beside the proposed order; approve, correct or reject it."""
from __future__ import annotations

import logging
from functools import lru_cache

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from review_ui import actions
from review_ui.deps import ContextDep, CurrentUser, FormDep, SessionDep, guarded
from review_ui.roles import REVIEWERS
from review_ui.routers.queue import filters_from
from review_ui.templating import flash, render
from review_ui.views import original as original_view
from review_ui.views import review as review_view
from review_ui.views.provenance import collect_marks
from review_ui.views.queue import neighbours

log = logging.getLogger(__name__)
router = APIRouter(prefix="/review", tags=["review"], dependencies=guarded(REVIEWERS), include_in_schema=False)

# Attachments are shown by the browser only as downloads, never rendered in our origin.
DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
}


def load_raw(context, message_key: str) -> bytes | None:
    """The stored original message, or None when the store does not have it."""
    store = getattr(context, "store", None)
    try:
        if store is None:
            from intake.store import MessageStore

            store = MessageStore(context.engine, context.settings.data_dir)
        return store.load_raw(message_key)
    except Exception:  # noqa: BLE001 - unknown key or missing file: the page says so
        log.info("raw message %s not available", message_key)
        return None


def extracted_order(context, message_key: str) -> dict | None:
    """The extractor's order (with provenance) from the message's workflow thread, when there is one."""
    graph = getattr(context, "graph", None)
    if graph is None:
        return None
    try:
        snapshot = graph.get_state({"configurable": {"thread_id": message_key}})
    except Exception:  # noqa: BLE001 - no checkpoint for this key: show the original without outlines
        log.info("no workflow state for %s", message_key)
        return None
    extracted = (snapshot.values or {}).get("extracted")
    return extracted if isinstance(extracted, dict) else None


def _item_or_404(session, message_key: str) -> review_view.ReviewItem:
    item = review_view.load(session=session, message_key=message_key)
    if item is None:
        raise HTTPException(404, "no such message")
    return item


def _review_page(request, session, context, user, item, error: str | None = None, form: dict | None = None, status: int = 200):
    filters = filters_from(request)
    prev_key, next_key = neighbours(session=session, message_key=item.key, filters=filters)
    query = filters.query_string(page=None)
    holder = item.claimed_by_other(user.username) if item.open else None
    return render(request, "review.html", {
        "item": item, "holder": holder, "error": error, "form": form or {},
        "prev_url": f"/review/{prev_key}?{query}" if prev_key else "",
        "next_url": f"/review/{next_key}?{query}" if next_key else "",
        "query": query,
    }, status_code=status)


def _fresh_claim(item: review_view.ReviewItem, username: str) -> bool:
    """Our own claim from the last few minutes: no need to write it again on every view."""
    from datetime import datetime, timedelta, timezone

    claimed_at = item.row.claimed_at
    if item.row.claimed_by != username or claimed_at is None:
        return False
    if claimed_at.tzinfo is None:
        claimed_at = claimed_at.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc) - claimed_at < timedelta(minutes=5)


@router.get("/{message_key}")
def review_page(request: Request, message_key: str, session: SessionDep, context: ContextDep, user: CurrentUser):
    item = _item_or_404(session, message_key)
    if item.open and not item.claimed_by_other(user.username) and not _fresh_claim(item, user.username):
        session.rollback()  # end our read first: on SQLite every transaction holds the write lock
        try:
            actions.claim(context, message_key, user.username)  # also refreshes our own claim's time
        except actions.ClaimedByOther:
            pass  # shown from the reloaded row below
        item = _item_or_404(session, message_key)
    return _review_page(request, session, context, user, item)


@router.get("/{message_key}/original")
def original_panel(request: Request, message_key: str, session: SessionDep, context: ContextDep):
    item = _item_or_404(session, message_key)
    session.rollback()  # the store reads through its own connection (SQLite: one writer lock)
    raw = load_raw(context, message_key)
    marks = collect_marks(item.proposed, extracted_order(context, message_key))
    docs, atts = ([], []) if raw is None else original_view.document_views(message_key, raw, marks)
    return render(request, "partials/original.html", {"item": item, "docs": docs, "attachments": atts, "has_raw": raw is not None})


def _attachment(context, message_key: str, index: int) -> tuple[original_view.Attachment, bytes]:
    raw = load_raw(context, message_key)
    if raw is None:
        raise HTTPException(404, "message not stored")
    found = original_view.attachments(raw)
    if not 0 <= index < len(found):
        raise HTTPException(404, "no such attachment")
    return found[index]


@router.get("/{message_key}/attachments/{index}")
def download_attachment(message_key: str, index: int, context: ContextDep):
    att, data = _attachment(context, message_key, index)
    headers = dict(DOWNLOAD_HEADERS)
    headers["Content-Disposition"] = f'attachment; filename="{original_view.safe_filename(att.filename)}"'
    return Response(data, media_type="application/octet-stream", headers=headers)


@lru_cache(maxsize=48)
def _page_png(message_key: str, index: int, number: int, data: bytes) -> bytes:
    return original_view.render_pdf_page(data, number)


@router.get("/{message_key}/attachments/{index}/pages/{number}.png")
def attachment_page(message_key: str, index: int, number: int, context: ContextDep):
    _att, data = _attachment(context, message_key, index)
    try:
        png = _page_png(message_key, index, number, data)
    except Exception:  # noqa: BLE001 - not a PDF, or no such page
        raise HTTPException(404, "no such page") from None
    return Response(png, media_type="image/png", headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"})


@router.get("/{message_key}/raw")
def download_raw(message_key: str, context: ContextDep):
    raw = load_raw(context, message_key)
    if raw is None:
        raise HTTPException(404, "message not stored")
    headers = dict(DOWNLOAD_HEADERS)
    headers["Content-Disposition"] = f'attachment; filename="{original_view.safe_filename(message_key)}.eml"'
    return Response(raw, media_type="application/octet-stream", headers=headers)


@router.post("/{message_key}")
def decide(request: Request, message_key: str, session: SessionDep, context: ContextDep, user: CurrentUser, form: FormDep):
    item = _item_or_404(session, message_key)
    if not item.open:
        flash(request, "This message was already decided.", "warn")
        return RedirectResponse(f"/review/{message_key}", status_code=303)
    holder = item.claimed_by_other(user.username)
    if holder:
        return _review_page(request, session, context, user, item, f"{holder} is reviewing this message.", form, 409)
    action = form.get("action")
    reason = (form.get("reason") or "").strip() or None
    if action not in ("approve", "reject"):
        return _review_page(request, session, context, user, item, "Choose approve or reject.", form, 400)
    if action == "reject" and not reason:
        return _review_page(request, session, context, user, item, "Give a reason to reject.", form, 400)
    try:
        corrections = review_view.corrections_from_form(item, form) if action == "approve" else {"header": {}, "lines": [], "customer_id": None}
    except review_view.CorrectionError as exc:
        return _review_page(request, session, context, user, item, str(exc), form, 400)
    payload = {"action": action, "reviewer": user.username, "reason": reason, "corrections": corrections}
    filters = filters_from(request)
    _prev, next_key = neighbours(session=session, message_key=message_key, filters=filters)
    session.rollback()
    try:
        result = actions.decide(context, message_key, payload)
    except Exception as exc:  # noqa: BLE001 - show the failure, keep the reviewer's input
        log.exception("resume of %s failed", message_key)
        return _review_page(request, session, context, user, item, f"Could not record the decision: {exc}", form, 500)
    corrected = review_view.has_corrections(corrections)
    verb = "Rejected" if action == "reject" else ("Approved with corrections" if corrected else "Approved")
    order_id = (result or {}).get("order_id") if isinstance(result, dict) else None
    flash(request, f"{verb}: {item.row.po_number or message_key}" + (f" → order {order_id}" if order_id else ""))
    query = filters.query_string(page=None)
    return RedirectResponse(f"/review/{next_key}?{query}" if next_key else f"/queue?{query}", status_code=303)


@router.post("/{message_key}/release")
def release_claim(request: Request, message_key: str, context: ContextDep, user: CurrentUser):
    actions.release(context, message_key, user.username)
    flash(request, "Released back to the queue.")
    return RedirectResponse("/queue", status_code=303)
