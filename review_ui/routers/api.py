"""The JSON API under /api: same login and roles as the pages (401 for anonymous callers).

Unsafe methods need the session's CSRF token in the `X-CSRF-Token` header (GET /api/me gives it).
"""
from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field

from review_ui import actions
from review_ui.deps import ContextDep, CurrentUser, SessionDep, guarded
from review_ui.roles import ADMINS, EVERYONE, REVIEWERS, SALES_REPS
from review_ui.security import csrf_token
from review_ui.users import service as user_service
from review_ui.views import backtest as bt
from review_ui.views import confirmations as conf_view
from review_ui.views import orders as orders_view
from review_ui.views import review as review_view
from review_ui.views.dashboard import dashboard as dashboard_figures
from review_ui.views.queue import QueueFilters, review_queue

router = APIRouter(prefix="/api")
session_api = APIRouter(tags=["session"], dependencies=guarded(EVERYONE))
review_api = APIRouter(tags=["review"], dependencies=guarded(REVIEWERS))
orders_api = APIRouter(tags=["orders"], dependencies=guarded(EVERYONE))
sales_api = APIRouter(tags=["confirmations"], dependencies=guarded(SALES_REPS))
admin_api = APIRouter(tags=["admin"], dependencies=guarded(ADMINS))


class UserOut(BaseModel):
    id: int
    username: str
    role: str
    active: bool


class MeOut(UserOut):
    csrf_token: str = Field(description="send as X-CSRF-Token on POST requests")


class Corrections(BaseModel):
    header: dict[str, Any] = Field(default_factory=dict)
    lines: list[dict[str, Any]] = Field(default_factory=list, description="full corrected lines (process-json shape)")
    customer_id: str | None = None


class DecisionIn(BaseModel):
    action: Literal["approve", "reject"]
    reason: str | None = None
    corrections: Corrections = Field(default_factory=Corrections)


class RuleChangeIn(BaseModel):
    customer_id: str | None = None
    changes: dict[str, Any]
    why: str | None = None
    n: int = Field(default=500, ge=1, le=10000, description="backtest: how many recent messages")


@session_api.get("/me", response_model=MeOut)
def me(request: Request, user: CurrentUser) -> MeOut:
    """The logged-in user and the session's CSRF token."""
    return MeOut(id=user.id, username=user.username, role=user.role, active=user.active, csrf_token=csrf_token(request))


@session_api.get("/dashboard")
def dashboard(session: SessionDep, days: int = Query(30, ge=1, le=365)) -> dict:
    """Dashboard figures and chart series."""
    return dashboard_figures(session=session, days=days)


@review_api.get("/queue")
def queue(session: SessionDep, customer: str | None = None, reason: str | None = None, format: str | None = None,
          sort: Literal["age", "value"] = "age", page: int = Query(1, ge=1)) -> dict:
    """Messages waiting for review, oldest (or most valuable) first."""
    result = review_queue(session=session, filters=QueueFilters(customer, reason, format, sort, page))
    return {"total": result.total, "page": page, "pages": result.pages,
            "items": [item.__dict__ for item in result.items]}


@review_api.get("/messages/{message_key}")
def message(message_key: str, session: SessionDep) -> dict:
    """One message: status, reasons, proposed order and candidates."""
    item = review_view.load(session=session, message_key=message_key)
    if item is None:
        raise HTTPException(404, "no such message")
    row = item.row
    return {"message_key": row.message_key, "status": row.status, "decision": row.decision, "kind": row.kind,
            "review_reasons": item.reasons, "reasons_detail": item.details, "proposed": item.proposed,
            "order_id": row.order_id, "claimed_by": row.claimed_by, "customer_candidates": item.customer_candidates,
            "line_candidates": item.line_candidates, "sender": row.sender, "subject": row.subject}


@review_api.post("/messages/{message_key}/claim")
def claim(message_key: str, context: ContextDep, user: CurrentUser) -> dict:
    """Claim the message for the current reviewer (409 when someone else holds it)."""
    try:
        actions.claim(context, message_key, user.username)
    except actions.ClaimedByOther as exc:
        raise HTTPException(409, str(exc)) from None
    return {"message_key": message_key, "claimed_by": user.username}


@review_api.post("/messages/{message_key}/decision")
def decision(message_key: str, body: DecisionIn, session: SessionDep, context: ContextDep, user: CurrentUser) -> dict:
    """Approve (optionally with corrections) or reject a message waiting for review."""
    item = review_view.load(session=session, message_key=message_key)
    if item is None:
        raise HTTPException(404, "no such message")
    if not item.open:
        raise HTTPException(409, f"message is {item.row.status}")
    holder = item.claimed_by_other(user.username)
    if holder:
        raise HTTPException(409, f"claimed by {holder}")
    if body.action == "reject" and not (body.reason or "").strip():
        raise HTTPException(422, "a rejection needs a reason")
    session.rollback()
    payload = {"action": body.action, "reviewer": user.username, "reason": body.reason,
               "corrections": body.corrections.model_dump()}
    return actions.decide(context, message_key, payload)


@orders_api.get("/orders")
def orders(session: SessionDep, status: str | None = None, customer: str | None = None, q: str | None = None,
           page: int = Query(1, ge=1)) -> dict:
    """Orders, newest first, with ERP and confirmation state."""
    items, total = orders_view.list_orders(session=session, status=status, customer=customer, q=q, page=page)
    return {"total": total, "page": page, "items": [i.__dict__ for i in items]}


@orders_api.get("/orders/{order_id}")
def order(order_id: str, context: ContextDep) -> dict:
    """One order with lines, reservations, history and outbox rows."""
    detail = orders_view.order_detail(context, order_id)
    if detail is None:
        raise HTTPException(404, "no such order")
    return detail


@sales_api.get("/confirmations")
def confirmations(session: SessionDep, status: str | None = None, customer: str | None = None) -> dict:
    """Confirmations per customer (drafts and sent)."""
    groups = conf_view.list_confirmations(session=session, status=status, customer=customer)
    return {name: [r.__dict__ for r in rows] for name, rows in groups.items()}


@admin_api.get("/users", response_model=list[UserOut])
def list_users(session: SessionDep) -> list[UserOut]:
    """All web users."""
    return [UserOut(id=u.id, username=u.username, role=u.role, active=u.active) for u in user_service.list_all(session=session)]


@admin_api.get("/rules")
def rules(context: ContextDep, customer_id: str | None = None) -> dict:
    """Effective rules, overrides, history and schema for global or one customer."""
    return actions.rules_view(context, customer_id)


@admin_api.post("/rules/backtest")
def backtest(body: RuleChangeIn, session: SessionDep, context: ContextDep) -> dict:
    """Which of the last N messages would flip between auto and review under this change."""
    from review_ui.routers.admin_rules import effective_functions

    before, after = effective_functions(context, body.customer_id, body.changes)
    rows = bt.recent_messages(session=session, limit=body.n, customer_id=body.customer_id)
    session.rollback()
    result = bt.backtest(rows, before, after)

    def flip(f: bt.Flip) -> dict:
        return {"message_key": f.message_key, "customer_id": f.customer_id, "po_number": f.po_number,
                "before": f.before.__dict__, "after": f.after.__dict__}

    return {"considered": result.considered, "auto_before": result.auto_before, "auto_after": result.auto_after,
            "to_review": [flip(f) for f in result.to_review], "to_auto": [flip(f) for f in result.to_auto]}


@admin_api.post("/rules")
def save_rules(body: RuleChangeIn, context: ContextDep, user: CurrentUser) -> dict:
    """Store a new rule-set version (why is required)."""
    try:
        ruleset = actions.update_rules(context, customer_id=body.customer_id, changes=body.changes,
                                       actor=user.username, why=body.why or "")
    except actions.ActionFailed as exc:
        raise HTTPException(422, str(exc)) from None
    return {"customer_id": ruleset.customer_id, "version": ruleset.version, "rules": ruleset.rules}


@admin_api.get("/audit")
def audit(session: SessionDep, actor: str | None = None, action: str | None = None, before: int | None = None) -> list[dict]:
    """Newest audit entries first (100 per page; page with `before`)."""
    from review_ui.routers.admin_audit import audit_entries

    return [dict(r._mapping) for r in audit_entries(session, actor=actor, action=action, before=before)]


for sub in (session_api, review_api, orders_api, sales_api, admin_api):
    router.include_router(sub)
