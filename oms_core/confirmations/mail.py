"""Confirmation emails as replies to the customer's PO email, with a Message-ID from the order."""
from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, parseaddr
from typing import Any, Mapping


class NoRecipient(ValueError):
    """Neither the original PO email nor master data gives an address to answer."""


def message_id_for(idempotency_key: str, sender: str) -> str:
    """A stable Message-ID: the same outbox row always yields the same id, so a resend is
    recognisable (and deduplicated by mail clients)."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "oms.invalid"
    local = re.sub(r"[^A-Za-z0-9.-]", ".", idempotency_key).strip(".")
    return f"<oms.{local}@{domain}>"


def _ids(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return re.findall(r"<[^<>\s]+>", value) or [value.strip()]
    return [item for part in value for item in _ids(part)]


def recipient_for(view: Mapping[str, Any]) -> str:
    """The PO sender (Reply-To honoured upstream), else the customer's contact address."""
    reply_to = view.get("reply_to") or {}
    for candidate in (reply_to.get("reply_address"), reply_to.get("sender"), view.get("customer_email")):
        addresses = [addr for _name, addr in getaddresses([candidate or ""]) if "@" in addr]
        if addresses:
            return candidate
    raise NoRecipient(f"order {view.get('reference')} has no address to send the confirmation to")


def build_reply(view: Mapping[str, Any], subject: str, text: str, html: str | None, *,
                sender: str, message_id: str,
                attachments: tuple[tuple[str, str, bytes], ...] = ()) -> EmailMessage:
    """A multipart/alternative reply threaded under the PO email (In-Reply-To, References)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient_for(view)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id
    reply_to = view.get("reply_to") or {}
    parent = _ids(reply_to.get("message_id"))
    if parent:
        message["In-Reply-To"] = parent[0]
        references = [ref for ref in _ids(reply_to.get("references")) if ref != parent[0]]
        message["References"] = " ".join(references + parent[:1])
    message["X-OMS-Order"] = str(view.get("reference") or "")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for filename, mime_type, data in attachments:
        maintype, _, subtype = mime_type.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message
