"""Confirmations for sales reps: sent and draft, per customer, with the thread they answer."""
from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from oms_core.adapters import orm

log = logging.getLogger(__name__)
CONFIRMATION = "confirmation"


@dataclass(frozen=True)
class ConfirmationRow:
    id: int
    order_id: str | None
    customer_id: str | None
    customer_name: str | None
    po_number: str | None
    status: str
    mode: str | None
    subject: str | None  # the subject of the message it answers
    sender: str | None
    created_at: object
    sent_at: object
    last_error: str | None


def list_confirmations(*, session: Session, status: str | None = None, customer: str | None = None,
                       limit: int = 300) -> dict[str, list[ConfirmationRow]]:
    """Confirmations grouped by customer (name), newest first."""
    ob, o, c = orm.outbox, orm.orders, orm.customers
    query = (
        sa.select(ob.c.id, ob.c.order_id, ob.c.status, ob.c.payload, ob.c.created_at, ob.c.sent_at, ob.c.last_error,
                  o.c.customer_id, o.c.po_number, o.c.reply_to, c.c.name)
        .select_from(ob.outerjoin(o, o.c.order_id == ob.c.order_id).outerjoin(c, c.c.customer_id == o.c.customer_id))
        .where(ob.c.kind == CONFIRMATION)
        .order_by(ob.c.id.desc()).limit(limit)
    )
    if status:
        query = query.where(ob.c.status == status)
    if customer:
        query = query.where(o.c.customer_id == customer)
    groups: dict[str, list[ConfirmationRow]] = {}
    for r in session.execute(query):
        payload = r.payload if isinstance(r.payload, dict) else {}
        reply = r.reply_to if isinstance(r.reply_to, dict) else (payload.get("reply_to") or {})
        row = ConfirmationRow(r.id, r.order_id, r.customer_id, r.name, r.po_number, r.status, payload.get("mode"),
                              reply.get("subject"), reply.get("sender"), r.created_at, r.sent_at, r.last_error)
        groups.setdefault(r.name or r.customer_id or "(unknown customer)", []).append(row)
    return groups


def load(*, session: Session, outbox_id: int):
    """One confirmation outbox row, or None."""
    ob = orm.outbox
    return session.execute(sa.select(ob).where(ob.c.id == outbox_id, ob.c.kind == CONFIRMATION)).first()


def thread(*, session: Session, order: dict) -> list:
    """The messages of the thread this confirmation answers (processed messages with that order)."""
    t = orm.processed_messages
    keys = [order.get("message_key")] if order.get("message_key") else []
    rows = session.execute(sa.select(t.c.message_key, t.c.sender, t.c.subject, t.c.created_at, t.c.kind, t.c.decision)
                           .where(sa.or_(t.c.order_id == order["order_id"], t.c.message_key.in_(keys)))
                           .order_by(t.c.created_at)).all()
    return rows


def rendered(context, order: dict, payload: dict, language: str | None) -> tuple[str, str]:
    """Subject and text to show/edit: the rep's edit when present, else what the dispatcher would send."""
    if payload.get("subject") and payload.get("text"):
        return payload["subject"], payload["text"]
    fallback = (f"Order confirmation {order.get('po_number') or order.get('order_id')}", "")
    try:
        from oms_core.confirmations import render_confirmation
        from oms_core.outbox.views import confirmation_view
    except ImportError:
        return fallback
    try:
        uow = context.uow_factory()
        with uow:
            view = confirmation_view(uow, order["order_id"], sender_name=getattr(context.settings, "smtp_from", ""))
        view["reply_to"] = payload.get("reply_to") or view.get("reply_to") or {}
        subject, text, _html = render_confirmation(view, payload.get("language") or view.get("language") or language)
    except Exception:  # noqa: BLE001 - a rendering problem must not hide the draft from the rep
        log.exception("could not render the confirmation of %s", order.get("order_id"))
        return fallback
    return subject, text
