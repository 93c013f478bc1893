"""processed_messages: one row per inbound message with its decision and reasons."""
from __future__ import annotations

from dataclasses import fields

import sqlalchemy as sa

from oms_core.adapters import orm
from oms_core.domain.model import ProcessedMessage, utcnow

_FIELDS = tuple(f.name for f in fields(ProcessedMessage))


def _message(r) -> ProcessedMessage:
    return ProcessedMessage(**{f: r[f] for f in _FIELDS})


class SqlMessageRepository:
    def __init__(self, session):
        self.session = session

    def get(self, message_key: str, for_update: bool = False) -> ProcessedMessage | None:
        query = sa.select(orm.processed_messages).where(orm.processed_messages.c.message_key == message_key)
        if for_update:
            query = query.with_for_update()
        row = self.session.execute(query).mappings().first()
        return _message(row) if row else None

    def save(self, message: ProcessedMessage) -> None:
        """Insert or update the row (updated_at = now)."""
        now = utcnow()
        message.created_at = message.created_at or now
        message.updated_at = now
        row = {f: getattr(message, f) for f in _FIELDS}
        table = orm.processed_messages
        done = self.session.execute(table.update().where(table.c.message_key == message.message_key)
                                    .values(**{k: v for k, v in row.items() if k != "message_key"})).rowcount
        if not done:
            self.session.execute(table.insert(), [row])

    def list(self, status: str | None = None, decision: str | None = None, customer_id: str | None = None,
             reason: str | None = None, claimed_by: str | None = None, limit: int = 100,
             offset: int = 0) -> list[ProcessedMessage]:
        """Messages newest first, filtered; `reason` matches one review reason code."""
        t = orm.processed_messages
        query = sa.select(t).order_by(t.c.created_at.desc(), t.c.message_key)
        for column, value in (("status", status), ("decision", decision), ("customer_id", customer_id),
                              ("claimed_by", claimed_by)):
            if value is not None:
                query = query.where(t.c[column] == value)
        rows = [_message(r) for r in self.session.execute(query).mappings()]
        if reason:  # JSON containment differs per dialect; the queue is small, so filter here
            rows = [m for m in rows if reason in (m.review_reasons or [])]
        return rows[offset:offset + limit]

    def counts(self) -> dict[str, int]:
        """Number of messages per decision (for dashboards)."""
        t = orm.processed_messages
        return {d or "none": n for d, n in self.session.execute(
            sa.select(t.c.decision, sa.func.count()).group_by(t.c.decision))}
