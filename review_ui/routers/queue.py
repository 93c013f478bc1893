"""The reviewer queue: what waits for a person, with filters by customer, reason and format."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from review_ui.deps import ContextDep, CurrentUser, SessionDep, guarded
from review_ui.roles import REVIEWERS
from review_ui.templating import flash, render
from review_ui.views.queue import QueueFilters, review_queue

router = APIRouter(prefix="/queue", tags=["queue"], dependencies=guarded(REVIEWERS), include_in_schema=False)


def filters_from(request: Request) -> QueueFilters:
    """Queue filters from the query string (unknown values are ignored)."""
    q = request.query_params
    try:
        page = max(1, int(q.get("page") or 1))
    except ValueError:
        page = 1
    sort = q.get("sort") if q.get("sort") in ("age", "value") else "age"
    return QueueFilters(customer=q.get("customer") or None, reason=q.get("reason") or None,
                        format=q.get("format") or None, sort=sort, page=page)


@router.get("")
def queue_page(request: Request, session: SessionDep):
    page = review_queue(session=session, filters=filters_from(request), facet_cache=request.app.state.queue_facets)
    template = "partials/queue_table.html" if request.headers.get("hx-request") else "queue.html"
    return render(request, template, {"queue": page})


MAX_UPLOAD_BYTES = 30 * 1024 * 1024


@router.post("/upload")
async def upload_messages(request: Request, context: ContextDep, user: CurrentUser):
    """Store uploaded .eml files (intake's store first, like any mail), then process them."""
    from starlette.concurrency import run_in_threadpool
    from starlette.datastructures import UploadFile

    form = await request.form()
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
    if not files:
        flash(request, "Choose one or more .eml files.", "error")
        return RedirectResponse("/queue", status_code=303)
    done = []
    for upload in files:
        raw = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(raw) > MAX_UPLOAD_BYTES:
            flash(request, f"{upload.filename}: larger than 30 MB, not stored.", "error")
            continue
        done.append(await run_in_threadpool(_ingest, context, raw, f"upload:{user.username}:{upload.filename}"))
    for key, outcome in done:
        flash(request, f"{key[:10]}…: {outcome}", "error" if outcome.startswith("failed") else "ok")
    return RedirectResponse("/queue", status_code=303)


def _ingest(context, raw: bytes, source: str) -> tuple[str, str]:
    from intake.ingest import ingest_bytes

    result = ingest_bytes(context.store, raw, source, max_attachment_bytes=context.settings.max_attachment_bytes)
    if result.failed:
        return result.key, f"failed: {result.reason}"
    if not result.created:
        return result.key, f"already received ({result.status})"
    if context.hooks.process is None:
        return result.key, "stored; the worker will process it"
    outcome = context.hooks.process(context, result.key)
    return result.key, f"{outcome.get('decision')} {' '.join(outcome.get('review_reasons') or [])}".strip()
