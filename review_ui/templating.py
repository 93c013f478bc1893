"""Jinja2 templates (autoescape on for everything) and the one render helper every page uses."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, ChainableUndefined

from review_ui.security import csrf_token

TEMPLATES = Path(__file__).with_name("templates")

# (label, path, roles) — the navigation; routers enforce the same roles.
NAV = (
    ("Dashboard", "/", ("reviewer", "sales", "admin")),
    ("Review queue", "/queue", ("reviewer", "admin")),
    ("Orders", "/orders", ("reviewer", "sales", "admin")),
    ("Confirmations", "/confirmations", ("sales", "admin")),
    ("Rules", "/admin/rules", ("admin",)),
    ("Master data", "/admin/master", ("admin",)),
    ("Users", "/admin/users", ("admin",)),
    ("Audit log", "/admin/audit", ("admin",)),
    ("API", "/api/docs", ("reviewer", "sales", "admin")),
)


def money(value: Any, currency: str | None = None) -> str:
    """Format a decimal amount with two decimals and thousands separators (display only)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{amount:,.2f}"
    return f"{text} {currency}" if currency else text


def qty(value: Any) -> str:
    """Show a quantity without trailing zeros."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = format(amount.normalize(), "f") if amount == amount.to_integral() else format(amount, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def as_datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def when(value: Any) -> str:
    """A timestamp as 'YYYY-MM-DD HH:MM' UTC."""
    moment = as_datetime(value)
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def age(value: Any, now: datetime | None = None) -> str:
    """How long ago, short: '5 min', '3 h', '2 d'."""
    moment = as_datetime(value)
    if moment is None:
        return ""
    seconds = max(0, int(((now or datetime.now(timezone.utc)) - moment).total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"


def build_templates() -> Jinja2Templates:
    """Templates with autoescaping forced on (every value from mail or documents is untrusted)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=money, qty=qty, when=when, age=age)
    # tojson escapes <, >, & and ' (safe inside HTML); decimals and dates print as strings.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": str}
    return Jinja2Templates(env=env)


def nav_for(user) -> list[tuple[str, str]]:
    if user is None:
        return []
    return [(label, path) for label, path, roles in NAV if user.role in roles]


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """Queue a one-time message for the next page."""
    request.session.setdefault("flash", []).append([kind, message])


def render(request: Request, template: str, context: dict | None = None, status_code: int = 200):
    """Render a page with the user, navigation, CSRF token and pending flash messages."""
    user = getattr(request.state, "user", None)
    data = {
        "user": user,
        "nav": nav_for(user),
        "csrf_token": csrf_token(request),
        "flashes": request.session.pop("flash", []),
        "path": request.url.path,
    }
    data.update(context or {})
    return request.app.state.templates.TemplateResponse(request, template, data, status_code=status_code)
