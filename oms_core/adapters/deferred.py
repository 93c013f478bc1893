"""Deferred writes: collect a transaction's INSERTs/UPDATEs and send them in one round trip.

Hot paths (booking an order while its stock rows are locked) must not pay one round trip per
table. Repositories `defer()` their writes on the session; the writes go out, in order,

- before the session executes anything else (so a later read always sees them), and
- before commit (`before_commit`), and are dropped when the transaction rolls back or closes.

On PostgreSQL several deferred writes become ONE statement: each write is a data-modifying CTE
(`WITH w0 AS (INSERT ..), w1 AS (UPDATE .. RETURNING 1) SELECT (SELECT count(*) FROM w1)`), and
each write's rows travel as ONE json parameter (`json_populate_recordset`): the SQL text depends
only on which writes there are, so it is short, cached and prepared, and costs little Python
while stock rows are locked. Values are checked by the columns' types first (ExactDecimal
refuses extra places, UtcDateTime naive times) -- the same rules as ordinary binds.
Their effects are independent by construction (different rows/tables; foreign keys are checked
at the end of the statement). A write may `expect` a row count: a guarded UPDATE that touched
fewer rows raises `GuardFailed`, which rolls the transaction back. Elsewhere (SQLite, in-process:
no round trips to save) each write simply runs at once.
"""
from __future__ import annotations

import json

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.types import TypeDecorator

from oms_core.adapters.sql import upsert_statement
from oms_core.adapters.types import Json

_KEY = "oms_deferred_writes"


class GuardFailed(RuntimeError):
    """A guarded write touched fewer rows than it must (e.g. stock no longer available)."""


@dataclass
class _Write:
    sql: str  # PostgreSQL text with one parameter written `{p}`
    payload: str  # the rows as a JSON array
    expect: int | None
    what: str


def defers(session) -> bool:
    """True when this session batches writes (a real Session on PostgreSQL)."""
    return hasattr(session, "info") and hasattr(session, "get_bind") and session.get_bind().dialect.name == "postgresql"


def defer_insert(session, table: sa.Table, rows: list[dict], conflict_keys: tuple[str, ...] | None = None) -> None:
    """INSERT `rows` (all with the same keys) later in this transaction; `conflict_keys`: skip existing keys."""
    if not rows:
        return
    if not defers(session):
        statement = table.insert()
        if conflict_keys:
            statement = upsert_statement(session.get_bind().dialect.name, table, conflict_keys, ())
        session.execute(statement, rows)
        return
    columns = tuple(rows[0])
    defer_sql(session, _insert_sql(table, columns, conflict_keys),
              json_rows(table, columns, rows, session.get_bind().dialect))


def json_rows(table: sa.Table, columns, rows: list[dict], dialect) -> str:
    """Rows as a JSON array for json_populate_recordset, each value checked by its column's type."""
    checks = [(c, table.c[c].type) for c in columns
              if isinstance(table.c[c].type, TypeDecorator) and not isinstance(table.c[c].type, Json)]
    out = []
    for row in rows:
        row = {k: v for k, v in row.items() if v is not None}  # absent = SQL NULL (not JSON null)
        for c, type_ in checks:
            if c in row:
                row[c] = type_.process_bind_param(row[c], dialect)
        out.append(row)
    return json.dumps(out, default=_plain)


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


@lru_cache(maxsize=256)
def _insert_sql(table: sa.Table, columns: tuple[str, ...], conflict_keys) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    sql = (f'INSERT INTO "{table.name}" ({names}) SELECT {names} '
           f'FROM json_populate_recordset(NULL::"{table.name}", CAST({{p}} AS json))')
    if conflict_keys:
        sql += " ON CONFLICT (" + ", ".join(f'"{k}"' for k in conflict_keys) + ") DO NOTHING"
    return sql


def defer_sql(session, sql: str, payload: str, expect: int | None = None, what: str = "") -> None:
    """Run PostgreSQL `sql` (its one parameter written `{p}`, bound to `payload`) later in this transaction.

    `expect`: the number of rows it must touch (it must end in RETURNING to be counted);
    fewer raises GuardFailed.
    """
    pending = session.info.get(_KEY)
    if pending is None:
        pending = session.info[_KEY] = []
        if not session.info.get(_KEY + "_hooked"):
            session.info[_KEY + "_hooked"] = True
            event.listen(session, "do_orm_execute", _before_execute)
            event.listen(session, "before_commit", flush)
            event.listen(session, "after_transaction_end", _drop)
    pending.append(_Write(sql, payload, expect, what))


def flush(session) -> None:
    """Send the deferred writes now: one statement (data-modifying CTEs) on PostgreSQL."""
    pending = session.info.pop(_KEY, None)
    if not pending:
        return
    statement = _combined(tuple(w.sql for w in pending), tuple(w.expect is not None for w in pending))
    row = session.execute(statement, {f"p{n}": w.payload for n, w in enumerate(pending)}).one()
    for w, count in zip([w for w in pending if w.expect is not None], row):
        _check(count, w.expect, w.what)


@lru_cache(maxsize=256)
def _combined(sqls: tuple[str, ...], counted: tuple[bool, ...]):
    ctes = ", ".join(f"w{n} AS ({sql.format(p=f':p{n}')})" for n, sql in enumerate(sqls))
    counts = ", ".join(f"(SELECT count(*) FROM w{n})" for n, c in enumerate(counted) if c) or "1"
    return sa.text(f"WITH {ctes} SELECT {counts}")


def _check(count, expect, what) -> None:
    if expect is not None and count != expect:
        raise GuardFailed(f"{what or 'guarded write'}: {count} of {expect} rows matched their guard")


def _before_execute(state) -> None:
    if state.session.info.get(_KEY):
        flush(state.session)  # pops the pending list first, so the nested executes do not recurse


def _drop(session, transaction) -> None:
    """The outer transaction ended (committed: nothing is left; rolled back or closed: forget the writes).

    Savepoints are not tracked: flush() before begin_nested() if writes are pending.
    """
    if not transaction.nested and transaction.parent is None:
        session.info.pop(_KEY, None)
