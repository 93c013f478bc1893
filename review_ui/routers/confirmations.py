"""Sales: confirmations sent and drafts waiting, per customer; edit a draft and send it."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse

from review_ui.audit import record
from review_ui.deps import ContextDep, CurrentUser, FormDep, SessionDep, guarded
from review_ui.roles import SALES_REPS
from review_ui.templating import flash, render
from review_ui.views import confirmations as conf_view
from review_ui.views import orders as orders_view

router = APIRouter(prefix="/confirmations", tags=["confirmations"], dependencies=guarded(SALES_REPS), include_in_schema=False)
STATUSES = ("draft", "pending", "sending", "sent", "dead")


@router.get("")
def confirmations_page(request: Request, session: SessionDep, status: str | None = None, customer: str | None = None):
    groups = conf_view.list_confirmations(session=session, status=status or None, customer=customer or None)
    return render(request, "confirmations.html", {
        "groups": groups, "status": status or "", "customer": customer or "", "statuses": STATUSES,
        "customers": orders_view.customers(session=session),
    })


def _language(session, customer_id: str | None) -> str | None:
    import sqlalchemy as sa

    from oms_core.adapters import orm

    if not customer_id:
        return None
    return session.execute(sa.select(orm.customers.c.language).where(orm.customers.c.customer_id == customer_id)).scalar()


@router.get("/{outbox_id}")
def confirmation_page(request: Request, outbox_id: int, session: SessionDep, context: ContextDep):
    row = conf_view.load(session=session, outbox_id=outbox_id)
    if row is None:
        raise HTTPException(404, "no such confirmation")
    session.rollback()  # end our read before the core opens its own unit of work
    order = orders_view.order_detail(context, row.order_id) or {"order_id": row.order_id, "lines": []}
    payload = row.payload if isinstance(row.payload, dict) else {}
    subject, text = conf_view.rendered(context, order, payload, _language(session, order.get("customer_id")))
    return render(request, "confirmation.html", {
        "row": row, "order": order, "payload": payload, "subject": subject, "text": text,
        "thread": conf_view.thread(session=session, order=order),
        "reply_to": order.get("reply_to") or payload.get("reply_to") or {},
    })


@router.post("/{outbox_id}")
def send_draft(request: Request, outbox_id: int, session: SessionDep, context: ContextDep, user: CurrentUser, form: FormDep):
    row = conf_view.load(session=session, outbox_id=outbox_id)
    if row is None:
        raise HTTPException(404, "no such confirmation")
    if row.status != "draft":
        flash(request, "Only drafts can be edited and sent.", "error")
        return RedirectResponse(f"/confirmations/{outbox_id}", status_code=303)
    subject, text = (form.get("subject") or "").strip(), (form.get("text") or "").strip()
    if not subject or not text:
        flash(request, "Subject and text must not be empty.", "error")
        return RedirectResponse(f"/confirmations/{outbox_id}", status_code=303)
    payload = dict(row.payload or {})
    payload.update(subject=subject, text=text, edited_by=user.username)
    send = form.get("action") == "send"
    if send:
        payload["mode"] = "send"
    session.rollback()
    uow = context.uow_factory()
    with uow:
        uow.outbox.set_payload(outbox_id, payload)
        if send:
            uow.outbox.retry(outbox_id)  # draft -> pending: the dispatcher sends it
        uow.commit()
    record(request, actor=user.username, action="confirmation.send" if send else "confirmation.edit",
           target=str(row.order_id), detail={"outbox_id": outbox_id})
    flash(request, "Confirmation queued for sending." if send else "Draft saved.")
    return RedirectResponse(f"/confirmations/{outbox_id}", status_code=303)
