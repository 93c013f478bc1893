"""Dialect helpers: INSERT .. ON CONFLICT DO UPDATE on both SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite


def upsert_statement(dialect_name: str, table: sa.Table, keys: Sequence[str], update_columns: Sequence[str]):
    """An executemany-able upsert: insert, or update `update_columns` when `keys` already exist."""
    insert = (postgresql.insert if dialect_name == "postgresql" else sqlite.insert)(table)
    if not update_columns:
        return insert.on_conflict_do_nothing(index_elements=list(keys))
    return insert.on_conflict_do_update(
        index_elements=list(keys), set_={c: insert.excluded[c] for c in update_columns})


def upsert(session_or_conn, table: sa.Table, rows: list[dict], keys: Sequence[str]) -> None:
    """Insert or update `rows` (all with the same columns) keyed by `keys`."""
    if not rows:
        return
    columns = [c for c in rows[0] if c not in keys]
    dialect = session_or_conn.get_bind().dialect.name if hasattr(session_or_conn, "get_bind") \
        else session_or_conn.dialect.name
    session_or_conn.execute(upsert_statement(dialect, table, keys, columns), rows)
