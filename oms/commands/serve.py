"""`oms serve --host H --port P`: serve the review web app (and its JSON API under /api)."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def add_arguments(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--insecure-cookie", action="store_true",
        help="send the session cookie over plain http too (only behind a TLS-terminating proxy "
        "that does not forward the scheme; browsers accept secure cookies on localhost anyway)",
    )


def build_context(settings):
    """The app context: GRAPH's bootstrap when present, else engine + schema only."""
    try:
        from oms.bootstrap import bootstrap
    except ImportError:  # the graph room has not landed: serve pages that need no pipeline
        from oms.db import make_engine, make_session_factory, upgrade
        from oms.hooks import web_hooks
        from oms_core.service_layer.unit_of_work import uow_factory
        from review_ui.context import SimpleContext

        log.warning("oms.bootstrap not available: serving without the processing pipeline")
        upgrade(settings.database_url)
        engine = make_engine(settings.database_url)
        factory = uow_factory(make_session_factory(engine), settings.soft_reservation_minutes)
        return SimpleContext(settings=settings, engine=engine, uow_factory=factory, hooks=web_hooks(pipeline=False))
    return bootstrap(settings)


def run(args) -> int:
    import uvicorn

    from oms.settings import get_settings
    from review_ui.app import create_app

    settings = get_settings()
    context = build_context(settings)
    app = create_app(context, cookie_secure=not args.insecure_cookie)
    print(f"serving on http://{args.host}:{args.port}/ (database {settings.database_url.split('@')[-1]})", flush=True)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="info", proxy_headers=True)
    finally:
        context.close()
    return 0
