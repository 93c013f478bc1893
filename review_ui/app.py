"""The web app factory: `create_app(app_context)` wires middleware, static files and routers."""
from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import sessionmaker
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from review_ui.context import AppContext
from review_ui.security import SECURITY_HEADERS, CsrfFailed, Forbidden, NotAuthenticated
from review_ui.templating import build_templates, render

log = logging.getLogger(__name__)
STATIC = Path(__file__).with_name("static")
SESSION_COOKIE = "oms_session"
SESSION_MAX_AGE = 10 * 3600  # one working day


class SecurityHeaders:
    """Add CSP, nosniff and friends to every response that does not set its own."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.lower().encode() not in present:
                        headers.append((name.lower().encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotAuthenticated)
    async def _not_authenticated(request: Request, _exc: NotAuthenticated):
        if _wants_json(request):
            return JSONResponse({"detail": "not authenticated"}, status_code=401)
        if request.headers.get("hx-request"):
            return JSONResponse({"detail": "not authenticated"}, status_code=401, headers={"HX-Redirect": "/login"})
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, _exc: Forbidden):
        if _wants_json(request):
            return JSONResponse({"detail": "forbidden for your role"}, status_code=403)
        return render(request, "error.html", {"title": "Not allowed", "message": "Your role may not open this page."}, 403)

    @app.exception_handler(CsrfFailed)
    async def _csrf_failed(request: Request, _exc: CsrfFailed):
        if _wants_json(request):
            return JSONResponse({"detail": "CSRF token missing or wrong"}, status_code=403)
        return render(request, "error.html", {"title": "Form expired", "message": "The form's security token is missing or wrong. Reload the page and try again."}, 403)


def page_engine(engine):
    """The engine for the pages' own reads (and the users table).

    On SQLite the shared engine opens every transaction with BEGIN IMMEDIATE (the core's row
    lock), so a page that only reads would block the writers. Pages read through a second engine
    with SQLite's default deferred transactions instead; WAL lets those reads run beside writes.
    """
    if engine.dialect.name != "sqlite":
        return engine
    from sqlalchemy import create_engine, event

    reader = create_engine(engine.url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(reader, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return reader


def create_app(app_context: AppContext, *, cookie_secure: bool | None = None) -> FastAPI:
    """Build the FastAPI app for this context (nothing is built at import time)."""
    from review_ui.routers import ROUTERS

    settings = app_context.settings
    app = FastAPI(
        title="OMS review and order management",
        version="1",
        docs_url=None,  # served under /api behind the login (see routers/api_docs.py)
        redoc_url=None,
        openapi_url=None,
    )
    app.state.context = app_context
    app.state.session_factory = sessionmaker(bind=page_engine(app_context.engine), expire_on_commit=False)
    app.state.templates = build_templates()
    app.state.queue_facets = {}  # customers/formats in the queue, refreshed every few seconds
    if cookie_secure is None:
        cookie_secure = bool(getattr(settings, "session_cookie_secure", True))
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=cookie_secure,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    from review_ui.routers.ops import router as ops_router  # /healthz /readyz /metrics, public (PROD)
    app.include_router(ops_router)
    for router in ROUTERS:
        app.include_router(router)
    _install_error_handlers(app)
    return app
