"""Admin: rules and per-customer thresholds, versioned (who, when, why), with a backtest first."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from review_ui import actions
from review_ui.deps import ContextDep, CurrentUser, FormDep, SessionDep, guarded
from review_ui.roles import ADMINS
from review_ui.templating import flash, render
from review_ui.views import backtest as bt

router = APIRouter(prefix="/admin/rules", tags=["rules"], dependencies=guarded(ADMINS), include_in_schema=False)
DEFAULT_BACKTEST_N = 500


def rule_layers(context) -> tuple[dict, dict[str, dict]]:
    """The stored global rules and every customer's overrides (newest versions)."""
    uow = context.uow_factory()
    with uow:
        latest = uow.rules.latest(None)
        global_rules = dict(latest.rules) if latest else {}
        customers = {}
        for cid in uow.rules.customers_with_rules():
            ruleset = uow.rules.latest(cid)
            customers[cid] = dict(ruleset.rules) if ruleset else {}
    return global_rules, customers


def changes_from_form(form: dict[str, str], view: dict, customer_id: str | None) -> dict:
    """Only what differs from today's level: a blank customer value removes that override."""
    from oms_core.domain.rulebook import coerce_rule

    changes: dict = {}
    for key in view["schema"]:
        if f"rule_{key}" not in form:
            continue
        raw = form[f"rule_{key}"].strip()
        current = view["overrides"].get(key) if customer_id else view["effective"].get(key)
        if raw == "":
            if customer_id and key in view["overrides"]:
                changes[key] = None
            continue
        value = coerce_rule(key, raw)
        if current is None or str(coerce_rule(key, current)) != str(value):
            changes[key] = value
    return changes


def effective_functions(context, customer_id: str | None, changes: dict):
    """(rules_before, rules_after): customer id -> effective rules, without and with the change."""
    from oms_core.domain.rulebook import merge_rules

    global_rules, customers = rule_layers(context)
    new_global, new_customers = dict(global_rules), {k: dict(v) for k, v in customers.items()}
    target = new_customers.setdefault(customer_id, {}) if customer_id else new_global
    for key, value in changes.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
    return (lambda cid: merge_rules(global_rules, customers.get(cid)),
            lambda cid: merge_rules(new_global, new_customers.get(cid)))


def _page(request, context, customer_id, form=None, result=None, error=None, status=200):
    view = actions.rules_view(context, customer_id)
    customers = _customer_choices(context)
    return render(request, "admin/rules.html", {
        "view": view, "customer_id": customer_id, "customers": customers, "form": form or {},
        "result": result, "error": error, "n": int((form or {}).get("n") or DEFAULT_BACKTEST_N),
    }, status_code=status)


def _customer_choices(context) -> list[tuple[str, str]]:
    import sqlalchemy as sa

    from oms_core.adapters import orm

    with context.engine.connect() as conn:
        return [(r[0], r[1]) for r in conn.execute(sa.select(orm.customers.c.customer_id, orm.customers.c.name).order_by(orm.customers.c.name))]


@router.get("")
def rules_page(request: Request, context: ContextDep, customer: str | None = None):
    return _page(request, context, customer or None)


def _parse(context, form: dict[str, str]):
    customer_id = form.get("customer_id") or None
    view = actions.rules_view(context, customer_id)
    return customer_id, view, changes_from_form(form, view, customer_id)


@router.post("/backtest")
def run_backtest(request: Request, context: ContextDep, session: SessionDep, form: FormDep):
    from oms_core.domain.errors import OmsError

    try:
        customer_id, _view, changes = _parse(context, form)
        n = max(1, min(int(form.get("n") or DEFAULT_BACKTEST_N), 10000))
    except (OmsError, ValueError) as exc:
        return _page(request, context, form.get("customer_id") or None, form, error=str(exc), status=400)
    before, after = effective_functions(context, customer_id, changes)
    # A global change can move any customer; a customer's change only its own messages.
    rows = bt.recent_messages(session=session, limit=n, customer_id=customer_id)
    session.rollback()  # rows are plain tuples; free the database before rendering
    result = bt.backtest(rows, before, after)
    template = "partials/backtest.html" if request.headers.get("hx-request") else "admin/rules.html"
    if template == "admin/rules.html":
        return _page(request, context, customer_id, form, result={"result": result, "changes": changes, "n": n})
    return render(request, template, {"result": {"result": result, "changes": changes, "n": n}})


@router.post("")
def save_rules(request: Request, context: ContextDep, user: CurrentUser, form: FormDep):
    from oms_core.domain.errors import OmsError

    try:
        customer_id, _view, changes = _parse(context, form)
    except OmsError as exc:
        return _page(request, context, form.get("customer_id") or None, form, error=str(exc), status=400)
    target = f"/admin/rules?customer={customer_id}" if customer_id else "/admin/rules"
    if not changes:
        flash(request, "Nothing changed.", "warn")
        return RedirectResponse(target, status_code=303)
    try:
        ruleset = actions.update_rules(context, customer_id=customer_id, changes=changes, actor=user.username,
                                       why=form.get("why") or "")
    except actions.ActionFailed as exc:
        return _page(request, context, customer_id, form, error=str(exc), status=400)
    flash(request, f"Saved version {ruleset.version} of the {customer_id or 'global'} rules.")
    return RedirectResponse(target, status_code=303)
