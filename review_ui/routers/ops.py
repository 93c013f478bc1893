"""Operations endpoints, open without login (for probes and Prometheus): /healthz, /readyz, /metrics.

The checks and collectors belong to the composition root: they look at every room's tables and
at the broker, which the web app itself knows nothing about, so they come in as the context's
hooks (`context.hooks.readiness`, `context.hooks.metrics`).
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from review_ui.routers.auth import public

router = APIRouter(tags=["ops"], dependencies=[Depends(public)], include_in_schema=False)


@router.get("/healthz")
def healthz() -> PlainTextResponse:
    """The process is alive (no dependency is checked)."""
    return PlainTextResponse("ok")


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Ready for traffic: database reachable, schema at head, broker reachable when configured."""
    context = request.app.state.context
    check = context.hooks.readiness
    if check is None:
        return JSONResponse({"ready": False, "checks": {"readiness": "no readiness check configured"}},
                            status_code=503)
    ready, checks = await run_in_threadpool(check, context.engine, context.settings)
    return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """Prometheus text exposition: database state at scrape time plus this process's events."""
    context = request.app.state.context
    if context.hooks.metrics is None:
        return PlainTextResponse("no metrics configured", status_code=503)
    body, content_type = await run_in_threadpool(context.hooks.metrics, context.engine)
    return Response(body, media_type=content_type)
