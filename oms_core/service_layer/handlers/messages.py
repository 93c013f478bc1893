"""Processed messages: record every decision; claim and release messages in review."""
from __future__ import annotations

from dataclasses import fields
from datetime import datetime, timedelta

from oms_core.domain.commands import RecordMessageDecision
from oms_core.domain.errors import ReviewClaimed, UnknownMessage
from oms_core.domain.model import ProcessedMessage, utcnow

CLAIM_TIMEOUT = timedelta(minutes=30)  # an abandoned claim frees itself after this
_COPIED = tuple(f.name for f in fields(RecordMessageDecision) if f.name not in ("message_key", "at"))


def record_message_decision(cmd: RecordMessageDecision, uow) -> ProcessedMessage:
    """Create or update the message's row; fields left None keep their stored value."""
    with uow:
        message = uow.messages.get(cmd.message_key, for_update=True) or ProcessedMessage(cmd.message_key)
        for name in _COPIED:
            value = getattr(cmd, name)
            if value is not None:
                setattr(message, name, value)
        if cmd.decided_by is not None or cmd.decision is not None:
            message.decided_at = cmd.at or utcnow()
        uow.messages.save(message)
        uow.commit()
        return message


def claim_review(message_key: str, user: str, uow, now: datetime | None = None) -> ProcessedMessage:
    """Mark a message in review as being worked on by `user` (others see it is taken)."""
    now = now or utcnow()
    with uow:
        message = uow.messages.get(message_key, for_update=True)
        if message is None:
            raise UnknownMessage(f"no message {message_key!r}")
        if message.claimed_by not in (None, user) and message.claimed_at and now - message.claimed_at < CLAIM_TIMEOUT:
            raise ReviewClaimed(f"{message_key} is being reviewed by {message.claimed_by}")
        message.claimed_by, message.claimed_at = user, now
        uow.messages.save(message)
        uow.events.audit(user, "claim_review", message_key, at=now)
        uow.commit()
        return message


def release_review(message_key: str, user: str, uow) -> ProcessedMessage:
    """Give a claimed message back to the queue."""
    with uow:
        message = uow.messages.get(message_key, for_update=True)
        if message is None:
            raise UnknownMessage(f"no message {message_key!r}")
        message.claimed_by, message.claimed_at = None, None
        uow.messages.save(message)
        uow.events.audit(user, "release_review", message_key)
        uow.commit()
        return message
