"""The outbox: ERP pushes and confirmations written with the order, sent later by a dispatcher."""
from __future__ import annotations

from dataclasses import fields
from datetime import datetime, timedelta

import sqlalchemy as sa

from oms_core.adapters import orm
from oms_core.adapters.deferred import defer_insert
from oms_core.adapters.sql import upsert_statement
from oms_core.domain.model import OutboxMessage, utcnow
from oms_core.domain.statuses import OutboxStatus

_FIELDS = tuple(f.name for f in fields(OutboxMessage))
STALE_SENDING = timedelta(minutes=10)  # default: a claim older than this is from a crashed dispatcher


def _message(r) -> OutboxMessage:
    return OutboxMessage(**{f: r[f] for f in _FIELDS})


class SqlOutboxRepository:
    def __init__(self, session):
        self.session = session

    def add(self, message: OutboxMessage) -> bool:
        """Queue a message unless its idempotency key exists already; True when added."""
        now = utcnow()
        message.created_at = message.created_at or now
        message.updated_at = now
        row = {f: getattr(message, f) for f in _FIELDS if f != "id"}
        dialect = self.session.get_bind().dialect.name
        statement = (upsert_statement(dialect, orm.outbox, ("idempotency_key",), ())
                     .values(**row).returning(orm.outbox.c.id))
        message.id = self.session.execute(statement).scalar()
        return message.id is not None

    def add_all(self, messages: list[OutboxMessage]) -> None:
        """Queue messages whose idempotency keys are new (existing keys are left alone).

        Deferred: one multi-row INSERT .. ON CONFLICT DO NOTHING with the transaction's other
        writes, so ids are not read back (use get_by_key when one is needed).
        """
        if not messages:
            return
        now = utcnow()
        rows = []
        for message in messages:
            message.created_at = message.created_at or now
            message.updated_at = now
            rows.append({f: getattr(message, f) for f in _FIELDS if f != "id"})
        defer_insert(self.session, orm.outbox, rows, conflict_keys=("idempotency_key",))

    def get(self, id: int) -> OutboxMessage | None:
        row = self.session.execute(sa.select(orm.outbox).where(orm.outbox.c.id == id)).mappings().first()
        return _message(row) if row else None

    def get_by_key(self, idempotency_key: str) -> OutboxMessage | None:
        row = self.session.execute(sa.select(orm.outbox).where(
            orm.outbox.c.idempotency_key == idempotency_key)).mappings().first()
        return _message(row) if row else None

    def claim_due(self, now: datetime, limit: int = 10, stale: timedelta = STALE_SENDING) -> list[OutboxMessage]:
        """Mark up to `limit` due messages `sending` (attempts + 1) and return them.

        PostgreSQL: FOR UPDATE SKIP LOCKED, so several dispatchers never claim the same row.
        Rows stuck in `sending` longer than `stale` are taken again (their dispatcher died).
        """
        t = orm.outbox
        due = sa.or_(
            sa.and_(t.c.status == OutboxStatus.PENDING,
                    sa.or_(t.c.next_attempt_at.is_(None), t.c.next_attempt_at <= now)),
            sa.and_(t.c.status == OutboxStatus.SENDING, t.c.updated_at <= now - stale))
        query = sa.select(t).where(due).order_by(t.c.id).limit(limit).with_for_update(skip_locked=True)
        rows = [_message(r) for r in self.session.execute(query).mappings()]
        if rows:
            self.session.execute(t.update().where(t.c.id.in_([m.id for m in rows])).values(
                status=OutboxStatus.SENDING, attempts=t.c.attempts + 1, updated_at=now))
        for m in rows:
            m.status, m.attempts, m.updated_at = OutboxStatus.SENDING, m.attempts + 1, now
        return rows

    def _update(self, id: int, **values) -> None:
        values["updated_at"] = utcnow()
        self.session.execute(orm.outbox.update().where(orm.outbox.c.id == id).values(**values))

    def mark_sent(self, id: int, external_ref: str | None, at: datetime | None = None) -> None:
        at = at or utcnow()
        self._update(id, status=OutboxStatus.SENT, external_ref=external_ref, sent_at=at, last_error=None)

    def mark_failed(self, id: int, error: str, next_attempt_at: datetime | None) -> None:
        """Retry at `next_attempt_at`, or give up (`dead`) when it is None."""
        status = OutboxStatus.PENDING if next_attempt_at else OutboxStatus.DEAD
        self._update(id, status=status, last_error=error, next_attempt_at=next_attempt_at)

    def retry(self, id: int) -> None:
        """Send a dead or draft message again, now."""
        self._update(id, status=OutboxStatus.PENDING, next_attempt_at=None)

    def set_payload(self, id: int, payload: dict) -> None:
        self._update(id, payload=payload)

    def list(self, status: str | None = None, kind: str | None = None, order_id: str | None = None,
             limit: int = 100, offset: int = 0) -> list[OutboxMessage]:
        """Newest first, filtered."""
        t = orm.outbox
        query = sa.select(t).order_by(t.c.id.desc()).limit(limit).offset(offset)
        for column, value in (("status", status), ("kind", kind), ("order_id", order_id)):
            if value is not None:
                query = query.where(t.c[column] == value)
        return [_message(r) for r in self.session.execute(query).mappings()]
