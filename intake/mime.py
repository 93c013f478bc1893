"""Parsing a raw RFC 5322 message into an InboundMessage with one Document per readable part.

Never raises on bad input: a truncated or malformed message gets a status and warnings, and
every part that could be read is still returned. Nothing here renders HTML or follows links.
"""
from __future__ import annotations

import email
import hashlib
import logging
import mimetypes
from datetime import datetime, timezone
from email import errors as email_errors
from email.header import Header, decode_header
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from intake.documents.charsets import decode_bytes
from intake.documents.common import DEFAULT_MAX_BYTES, Limits, new_document
from intake.documents.html_doc import html_tables
from intake.documents.quoting import split_body, split_header_block
from intake.documents.text import text_document
from intake.html_text import html_to_text
from intake.keys import message_key
from intake.model import Document, InboundMessage

log = logging.getLogger(__name__)

_TRUNCATION_DEFECTS = (email_errors.CloseBoundaryNotFoundDefect, email_errors.StartBoundaryNotFoundDefect)


def parse_message(
    raw: bytes, *, key: str | None = None, max_attachment_bytes: int = DEFAULT_MAX_BYTES,
    limits: Limits | None = None,
) -> InboundMessage:
    """Parse raw message bytes; bad input yields status 'unreadable: …', never an exception."""
    limits = limits or Limits(max_bytes=max_attachment_bytes, max_total_unpacked=max(4 * max_attachment_bytes, DEFAULT_MAX_BYTES))
    try:
        return _parse(raw, key, limits)
    except Exception as exc:  # noqa: BLE001 - the promise is a status, never an exception
        log.warning("mime parsing failed: %s", exc, exc_info=True)
        return InboundMessage(
            key=key or message_key(raw, None), message_id=None, sha256=hashlib.sha256(raw).hexdigest(),
            sender="", sender_name=None, to=[], subject="", date=None, in_reply_to=None, references=[],
            documents=[], status=f"unreadable: mime parse failed ({type(exc).__name__})",
        )


def _parse(raw: bytes, key: str | None, limits: Limits) -> InboundMessage:
    msg = email.message_from_bytes(raw)
    headers = decoded_headers(msg)
    message_id = (headers.get("message-id") or "").strip() or None
    sender_name, sender = _address(headers.get("from") or headers.get("sender") or headers.get("return-path") or "")
    subject = headers.get("subject", "")
    warnings: list[str] = []
    documents = collect_documents(msg, "", subject, limits, depth=0, warnings=warnings)
    date = _date(headers.get("date"), warnings)
    reply_to = _address(headers.get("reply-to", ""))[1] or None
    message = InboundMessage(
        key=key or message_key(raw, message_id),
        message_id=message_id,
        sha256=hashlib.sha256(raw).hexdigest(),
        sender=sender,
        sender_name=sender_name,
        to=_addresses(headers.get("to", "")),
        subject=subject,
        date=date,
        in_reply_to=(headers.get("in-reply-to") or "").strip() or None,
        references=(headers.get("references") or "").split(),
        documents=documents,
        warnings=warnings,
        cc=_addresses(headers.get("cc", "")),
        reply_to=reply_to,
        headers=headers,
    )
    message.status = _status(raw, msg, headers)
    return message


def _status(raw: bytes, msg: Message, headers: dict[str, str]) -> str:
    if not raw.strip():
        return "unreadable: empty message"
    if not headers:
        return "unreadable: not a mime message (no headers)"
    for part in msg.walk():
        for defect in getattr(part, "defects", []):
            if isinstance(defect, _TRUNCATION_DEFECTS):
                return "unreadable: truncated mime (closing boundary missing)"
    return "ok"


def decode_header_value(value) -> str:
    """An RFC 2047 (or raw 8-bit) header value as text; undecodable pieces are guessed, not dropped."""
    if value is None:
        return ""
    if isinstance(value, Header):  # compat32 wraps raw 8-bit values; their chunks keep the bytes
        try:
            value = "".join(str(chunk) for chunk, _ in value._chunks)
        except Exception:  # noqa: BLE001
            value = str(value)
    if not isinstance(value, str):
        value = str(value)
    try:
        chunks = decode_header(value)
    except Exception:  # noqa: BLE001 - a malformed encoded-word: keep the text as it came
        return _unescape(value)
    out = []
    for chunk, charset in chunks:
        if isinstance(chunk, bytes):
            out.append(decode_bytes(chunk, charset)[0] if charset else _unescape(chunk.decode("ascii", "surrogateescape")))
        else:
            out.append(_unescape(chunk))
    return " ".join("".join(out).split()) if "\n" in "".join(out) else "".join(out).strip()


def _unescape(text: str) -> str:
    """Raw 8-bit header bytes arrive as surrogate escapes; decode them as UTF-8 or a guessed charset."""
    try:
        text.encode("ascii")
        return text
    except UnicodeEncodeError:
        pass
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text
    return decode_bytes(data)[0]


def decoded_headers(msg: Message) -> dict[str, str]:
    """Every header decoded, names lower-case; the first occurrence wins (the newest hop's)."""
    out: dict[str, str] = {}
    for name, value in msg.raw_items():  # raw: 8-bit bytes survive as surrogate escapes
        lname = name.lower().strip()
        if lname not in out:
            out[lname] = decode_header_value(value)
    return out


def _address(value: str) -> tuple[str | None, str]:
    name, addr = parseaddr(value)
    return (name.strip() or None), addr.strip().lower()


def _addresses(value: str) -> list[str]:
    return [addr.strip().lower() for _, addr in getaddresses([value]) if addr.strip()]


def _date(value: str | None, warnings: list[str]) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        warnings.append(f"unparseable Date header: {value[:80]}")
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def collect_documents(msg: Message, prefix: str, subject: str, limits: Limits, depth: int, warnings: list[str]) -> list[Document]:
    """Body, forwarded part and attachments of one message level; attached messages recurse."""
    from intake.documents.parts import PartWalker  # the walking lives beside: keeps this module small

    walker = PartWalker(prefix, limits, depth, warnings)
    walker.walk(msg)
    documents = body_documents(walker.plain, walker.html, prefix, subject)
    return documents + walker.documents


def body_documents(plain: list[tuple[str, bytes]], html: list[tuple[str, bytes]], prefix: str, subject: str) -> list[Document]:
    """The newest body text (plain preferred, else HTML as text), and an inline-forwarded part."""
    plain_text = "\n".join(text for text, _ in plain).strip()
    converted = [html_to_text(text) for text, _ in html]
    lost_tables = any(not _shown_in(t, plain_text) for c in converted for t in c.tables)
    if plain_text and not lost_tables:  # plain is the sender's own words unless it lost a table
        text, content_type, data = plain_text, "text/plain", b"".join(d for _, d in plain)
    elif converted:
        text, content_type, data = "\n\n".join(c.text for c in converted), "text/html", b"".join(d for _, d in html)
    else:
        return []
    split = split_body(text, subject)
    part = f"{prefix}body"
    body = text_document(split.newest, name="body", part=part, content_type=content_type, data=data, quoted=split.quoted)
    tables = [t for c in converted for t in c.tables if _shown_in(t, split.newest)]
    body.tables = html_tables(tables, f"{part}.html")
    documents = [body]
    if split.forwarded is not None:
        meta, header_lines, rest = split_header_block(split.forwarded)
        inner = split_body(rest, "")
        forwarded_text = (header_lines + "\n\n" + inner.newest).strip("\n") if header_lines else inner.newest
        forwarded = text_document(
            forwarded_text, name="forwarded", part=f"{part}.forwarded", content_type=content_type,
            data=split.forwarded.encode("utf-8"), quoted=inner.quoted,
        )
        forwarded.meta.update(meta or split.forwarded_meta)
        forwarded.tables = html_tables([t for c in converted for t in c.tables if _shown_in(t, inner.newest)], f"{part}.forwarded.html")
        documents.append(forwarded)
    return documents


def _shown_in(rows: list[list[str]], text: str) -> bool:
    """Keep an HTML table only when it belongs to this text (not to quoted history)."""
    cells = [c for row in rows for c in row if c]
    return bool(cells) and sum(1 for c in cells if c in text) * 2 >= len(cells)


def read_eml_document(name: str, data: bytes, part: str, limits: Limits, depth: int) -> Document:
    """An .eml file read as a document: its body, with its attachments as embedded Documents."""
    msg = email.message_from_bytes(data)
    headers = decoded_headers(msg)
    warnings: list[str] = []
    docs = collect_documents(msg, f"{part}/", headers.get("subject", ""), limits, depth + 1, warnings)
    body = docs.pop(0) if docs and docs[0].name == "body" else new_document("text", name, f"{part}/body", "text/plain", b"")
    body.name, body.content_type, body.size = name, "message/rfc822", len(data)
    body.sha256 = hashlib.sha256(data).hexdigest()
    body.embedded = docs
    body.warnings.extend(warnings)
    body.meta.update(message_meta(headers))
    return body


def message_meta(headers: dict[str, str]) -> dict[str, str]:
    """The facts about an attached or forwarded message the extractors may want."""
    meta = {"from": headers.get("from", ""), "subject": headers.get("subject", ""),
            "date": headers.get("date", ""), "message_id": headers.get("message-id", "")}
    return {k: v for k, v in meta.items() if v}


def guess_name(content_type: str, index: int) -> str:
    """A file name for an attachment that came without one."""
    ext = mimetypes.guess_extension(content_type or "") or ".bin"
    return f"part{index}{ext}"


__all__ = ["parse_message", "decode_header_value", "decoded_headers", "read_eml_document"]
