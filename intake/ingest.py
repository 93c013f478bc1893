"""The one path every inbound message takes: store the raw bytes, then check it can be parsed.

Used by the IMAP poller, the drop folder and API uploads alike. Storing comes first, so a
message that breaks the parser is still kept (status `failed` with the parser's reason).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from intake.store import FAILED, MessageStore

log = logging.getLogger(__name__)

OnStored = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class IngestResult:
    key: str
    created: bool  # False: this message was already stored (a duplicate delivery)
    status: str  # the stored status afterwards: stored | processing | processed | failed
    reason: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == FAILED


def ingest_bytes(
    store: MessageStore,
    raw: bytes,
    source: str,
    on_stored: OnStored | None = None,
    *,
    max_attachment_bytes: int | None = None,
) -> IngestResult:
    """Store one raw message, mark it failed if it cannot be parsed, else hand its key to on_stored."""
    key, created = store.save_raw(raw, source)
    if not created:
        record = store.get(key)
        log.info("message %s from %s was already stored (status %s)", key, source, record.status)
        return IngestResult(key, False, record.status, record.reason)
    reason = unprocessable_reason(raw, key, max_attachment_bytes=max_attachment_bytes)
    if reason is not None:
        store.mark(key, FAILED, reason)
        log.warning("message %s from %s is unprocessable: %s", key, source, reason)
        return IngestResult(key, True, FAILED, reason)
    if on_stored is not None:
        try:
            on_stored(key)
        except Exception:  # noqa: BLE001 - the message is stored; store.pending() brings it back
            log.exception("on_stored callback failed for %s; it stays pending", key)
    return IngestResult(key, True, store.get(key).status)


def unprocessable_reason(raw: bytes, key: str, *, max_attachment_bytes: int | None = None) -> str | None:
    """None when the message parses; else why not (e.g. 'unreadable: truncated mime')."""
    from intake.mime import parse_message

    kwargs = {"key": key}
    if max_attachment_bytes is not None:
        kwargs["max_attachment_bytes"] = max_attachment_bytes
    try:
        message = parse_message(raw, **kwargs)
    except Exception as exc:  # noqa: BLE001 - parse_message should never raise; if it does, keep going
        log.exception("parser raised on message %s", key)
        return f"unreadable: parser error: {type(exc).__name__}: {exc}"[:500]
    if message.status != "ok":
        return message.status
    return None
