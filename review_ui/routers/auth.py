"""Log in and out. The only pages open to anonymous visitors (plus /healthz and /static)."""
from __future__ import annotations

import logging
from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from review_ui.deps import SessionDep
from review_ui.security import check_csrf, csrf_token
from review_ui.templating import render
from review_ui.users import service as user_service

log = logging.getLogger(__name__)


def public() -> None:
    """Marker dependency: this router is deliberately open to anonymous visitors."""


router = APIRouter(tags=["auth"], dependencies=[Depends(public), Depends(check_csrf)], include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # Only same-site relative paths: never let ?next= send someone to another site.
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, next: str | None = None):
    return render(request, "login.html", {"next": _safe_next(next), "error": None, "username": ""})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str | None, Form()] = None,
):
    result = user_service.authenticate(session=session, username=username, password=password)
    session.commit()
    if result.user is None:
        log.info("failed login for %r", username[:100])
        context = {"next": _safe_next(next), "error": result.error, "username": username}
        return render(request, "login.html", context, status_code=401)
    request.session.clear()  # a fresh session (and CSRF token) on every login
    request.session["uid"] = result.user.id
    csrf_token(request)
    log.info("login %s (%s)", result.user.username, result.user.role)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request):
    request.session.clear()
    return RedirectResponse("/login", status_code=303)

