"""Delivering one claimed outbox message: an ERP push or a confirmation email (or EDI response)."""
from __future__ import annotations

import logging
from dataclasses import asdict
from email.utils import parseaddr
from typing import Any

from oms_core.adapters.erp.base import ErpAdapter, ErpRejected, erp_reference
from oms_core.adapters.smtp import SmtpError
from oms_core.confirmations.edi import order_response
from oms_core.confirmations.mail import NoRecipient, build_reply, message_id_for
from oms_core.confirmations.render import render_confirmation
from oms_core.domain.model import OutboxMessage
from oms_core.domain.statuses import OutboxKind
from oms_core.outbox.views import confirmation_view

log = logging.getLogger(__name__)


class PermanentFailure(Exception):
    """Retrying cannot help (bad data, refused by the receiver): dead-letter at once."""


class TransientFailure(Exception):
    """Retrying later may help (server down, timeout, 4xx mail reply)."""


AMENDMENTS = ("change", "cancel")  # payload keys of messages that amend an earlier push


def push_reference(message: OutboxMessage) -> str:
    """`<order id>` for the first push; `<order id>-change-<n>` / `<order id>-cancel` for amendments."""
    base = erp_reference(message.order_id)
    _, _, amendment = message.idempotency_key.partition(f"erp:{message.order_id}:")
    return f"{base}-{amendment.replace(':', '-')}" if amendment else base


def erp_payload(uow, message: OutboxMessage) -> dict[str, Any]:
    """The order as queued with the row, plus its reference and ship-to address from master data.

    An amendment also carries `change` or `cancel` and `amends`: the reference of the first push.
    """
    payload = dict(message.payload.get("order") or {})
    payload["reference"] = push_reference(message)
    for what in AMENDMENTS:
        if message.payload.get(what):
            payload[what] = message.payload[what]
            payload["amends"] = erp_reference(message.order_id)
    customer_id, ship_to_id = payload.get("customer_id"), payload.get("ship_to_id")
    if customer_id and ship_to_id:
        ship_to = uow.customers.ship_to(customer_id, ship_to_id)
        if ship_to is not None:
            payload["ship_to"] = {k: v for k, v in asdict(ship_to).items() if k != "customer_id"}
    return payload


def push_to_erp(adapter: ErpAdapter, payload: dict[str, Any], reference: str) -> str:
    """Look the reference up first; push only when the ERP doesn't have it yet."""
    if payload.get("amends") and not getattr(adapter, "supports_changes", True):
        raise PermanentFailure(f"the {adapter.name} adapter cannot amend orders; "
                               f"update {payload['amends']} in the ERP by hand ({reference})")
    try:
        existing = adapter.find_order(reference)
        if existing:
            log.info("order %s already in the ERP as %s; not pushing again", reference, existing)
            return existing
        return adapter.push_order(payload, reference)
    except ErpRejected as exc:
        raise PermanentFailure(exc.message) from exc
    except Exception as exc:  # noqa: BLE001 - ErpUnavailable and any adapter bug: back off, retry
        raise TransientFailure(getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}") from exc


def build_confirmation(uow, message: OutboxMessage, *, sender: str, sender_name: str):
    """The EmailMessage for a confirmation row (with an EDI order response for EDI orders)."""
    view = confirmation_view(uow, message.order_id, sender_name=sender_name)
    view["reply_to"] = message.payload.get("reply_to") or view.get("reply_to") or {}
    language = message.payload.get("language") or view.get("language")
    subject, text, html = render_confirmation(view, language)
    if message.payload.get("text"):
        # A sales rep edited the draft: send their words, not a re-rendered template
        # (the HTML alternative would contradict the edit, so it is left out).
        subject, text, html = message.payload.get("subject") or subject, message.payload["text"], None
    attachments = ()
    if message.kind == OutboxKind.ORDER_RESPONSE or view.get("is_edi"):
        document = order_response(view)
        if document:
            attachments = (document,)
    try:
        return build_reply(view, subject, text, html, sender=sender,
                           message_id=message_id_for(message.idempotency_key, sender),
                           attachments=attachments)
    except NoRecipient as exc:
        raise PermanentFailure(str(exc)) from exc


def send_mail(smtp, email) -> str:
    """Send; map SMTP errors to transient/permanent failures."""
    try:
        return smtp.send(email)
    except SmtpError as exc:
        raise (TransientFailure if exc.transient else PermanentFailure)(exc.message) from exc


def sender_name_of(sender: str) -> str:
    """The display name of OMS_SMTP_FROM (signature line), else its address."""
    name, address = parseaddr(sender)
    return name or address
