"""OpenAPI schema and Swagger UI under /api, for logged-in users only, from vendored assets."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from review_ui.deps import guarded
from review_ui.roles import EVERYONE

router = APIRouter(prefix="/api", dependencies=guarded(EVERYONE), include_in_schema=False)

DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>OMS API</title>
<link rel="stylesheet" href="/static/vendor/swagger/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script></body></html>"""

# Swagger UI sets inline styles; this page alone may use them (scripts stay 'self' only).
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@router.get("/openapi.json")
def openapi_schema(request: Request) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    return HTMLResponse(DOCS_HTML, headers={"Content-Security-Policy": DOCS_CSP})
