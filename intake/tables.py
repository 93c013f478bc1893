"""The intake room's tables, on its own MetaData (Alembic branch `intake`)."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Index, MetaData, String, Table, Text, TypeDecorator

metadata = MetaData()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UtcDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every database (SQLite forgets the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given; store timezone-aware UTC times")
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


# One row per inbound message, written before the message is parsed.
inbound_messages = Table(
    "inbound_messages",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("message_id", Text),
    Column("source", String(500), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("status", String(20), nullable=False),
    Column("reason", Text),
    Column("raw_path", Text, nullable=False),  # relative to the store's data_dir
    Index("ix_inbound_messages_status_received", "status", "received_at"),
)

# Where each polled mailbox stands: its UIDVALIDITY and the last UID handled.
mailboxes = Table(
    "intake_mailboxes",
    metadata,
    Column("mailbox", String(500), primary_key=True),  # user@host:port/folder
    Column("uidvalidity", BigInteger, nullable=False),
    Column("last_uid", BigInteger, nullable=False),
    Column("move_supported", Boolean),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Without MOVE a handled message stays in its folder (copied and flagged \Seen, never deleted);
# this remembers the copy so a rescan after a UIDVALIDITY change does not copy it again.
mailbox_copies = Table(
    "intake_mailbox_copies",
    metadata,
    Column("mailbox", String(500), primary_key=True),
    Column("message_key", String(64), primary_key=True),
    Column("target", String(200), nullable=False),
    Column("uidvalidity", BigInteger, nullable=False),
    Column("uid", BigInteger, nullable=False),
    Column("copied_at", UtcDateTime, nullable=False),
)


def insert_ignore(table: Table, dialect: str, row: dict, key_columns: list[str]):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING the key: a returned row means we inserted it.

    (rowcount is not reliable here: psycopg 3 under SQLAlchemy 2.1 reports -1.)
    """
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(f"unsupported database dialect {dialect}")
    statement = insert(table).values(**row).on_conflict_do_nothing(index_elements=key_columns)
    return statement.returning(*(table.c[name] for name in key_columns))
