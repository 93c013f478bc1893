"""The few writes the web app makes, each handed to its owner: core handlers or the agents' graph.

Kept in one place so the routers stay thin and the calls into other rooms are easy to find.
"""
from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


class ClaimedByOther(Exception):
    """Another reviewer holds this item."""

    def __init__(self, holder: str):
        super().__init__(f"claimed by {holder}")
        self.holder = holder


def claim(context: Any, message_key: str, username: str) -> None:
    """Claim a review item for this user (raises ClaimedByOther)."""
    from oms_core.service_layer import handlers

    with context.uow_factory() as uow:
        result = handlers.claim_review(message_key, username, uow)
        uow.commit()
    holder = _holder(result)
    if holder and holder != username:
        raise ClaimedByOther(holder)


def _holder(result: Any) -> str | None:
    if result is True or result is None:
        return None
    if result is False:
        return "another reviewer"
    for attr in ("claimed_by", "holder"):
        value = getattr(result, attr, None) or (result.get(attr) if isinstance(result, dict) else None)
        if value:
            return value
    return None


def release(context: Any, message_key: str, username: str) -> None:
    """Give a claimed item back to the queue."""
    from oms_core.service_layer import handlers

    with context.uow_factory() as uow:
        handlers.release_review(message_key, username, uow)
        uow.commit()


def decide(context: Any, message_key: str, payload: dict) -> dict:
    """Resume the message's workflow with the reviewer's decision (approve/reject + corrections)."""
    from agents.review import resume_review

    return resume_review(context, message_key, payload)


def audit(context: Any, *, actor: str, action: str, target: str, detail: dict | None = None) -> None:
    """Append an entry to the core audit log."""
    from datetime import datetime, timezone

    from oms_core.adapters import orm

    with context.engine.begin() as conn:
        conn.execute(orm.audit_log.insert().values(
            actor=actor, action=action, target=target, detail=detail or {}, at=datetime.now(timezone.utc)))
