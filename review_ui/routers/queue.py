"""The reviewer queue: what waits for a person, with filters by customer, reason and format."""
from __future__ import annotations

from fastapi import APIRouter, Request

from review_ui.deps import SessionDep, guarded
from review_ui.roles import REVIEWERS
from review_ui.templating import render
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
    page = review_queue(session=session, filters=filters_from(request))
    template = "partials/queue_table.html" if request.headers.get("hx-request") else "queue.html"
    return render(request, template, {"queue": page})
