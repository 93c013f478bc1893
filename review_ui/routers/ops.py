"""Operations endpoints, open without login (for probes and Prometheus): /healthz, /readyz, /metrics.

The checks and collectors belong to the composition root (oms.health, oms.metrics): they look at
every room's tables and at the broker, which the web app itself knows nothing about.
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
    from oms.health import readiness

    context = request.app.state.context
    ready, checks = await run_in_threadpool(readiness, context.engine, context.settings)
    return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """Prometheus text exposition: database state at scrape time plus this process's events."""
    from oms.metrics import render

    body, content_type = await run_in_threadpool(render, request.app.state.context.engine)
    return Response(body, media_type=content_type)
