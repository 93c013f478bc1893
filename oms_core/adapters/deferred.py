"""Deferred writes: collect a transaction's INSERTs/UPDATEs and send them with the COMMIT in one round trip.

Hot paths (booking an order while its stock rows are locked) must not pay one round trip per
table, nor keep row locks while the client runs Python. Repositories `defer()` their writes on
the session; the writes go out (in order, except that locking writes go last),

- before the session executes anything else (so a later read always sees them: `flush`), and
- with the COMMIT (`commit`, what the unit of work calls), and are dropped when the
  transaction rolls back or closes.

On PostgreSQL several deferred writes become ONE statement: each write is one or more
data-modifying CTEs (`WITH w0 AS (INSERT ..), w1_x AS (..), w1 AS (UPDATE ..) SELECT ..`), and
each write's rows travel as ONE json parameter (`json_populate_recordset`): the SQL text depends
only on which writes there are, so it is short, cached and prepared, and costs little Python.
Values are checked by the columns' types first (ExactDecimal refuses extra places, UtcDateTime
naive times) -- the same rules as ordinary binds. Their effects are independent by construction
(different rows/tables; foreign keys are checked at the end of the statement).

Writes that take row locks (`locks=True`: the stock guard) form a second statement sent after
the first, so their locks are held only for that statement and the commit. Both statements and
the COMMIT leave in one psycopg pipeline: one round trip (each is sent as it is queued, so the
COMMIT follows the locking statement within microseconds, while the server still executes it),
and the server does not wait for the client while the rows are locked. Because the COMMIT is
already on its way, a write's `checks` are SQL conditions the statement evaluates itself: a
false one calls oms_raise() (migration core_0002), which fails the statement, so the COMMIT does
not happen and the caller gets GuardFailed or StaleRead. (Without a pipeline -- one statement,
then the COMMIT -- the locks were held over two more round trips; as a simple-protocol script
the statements could not be prepared, and planning them cost the server more than it saved.)
These statements go to the driver directly (SQLAlchemy cannot pipeline): they do not appear in
SQLAlchemy's statement log. Elsewhere (SQLite, in-process: no round trips to save) each write
simply runs at once and the repository checks it in Python.
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


class StaleRead(GuardFailed):
    """Rows read without a lock changed before the write locked them: run the transaction again, locking first."""


_SQLSTATES = {GuardFailed: "OM001", StaleRead: "OM002"}  # raised by oms_raise() in the statement


@dataclass(frozen=True)
class Check:
    """A condition the write's statement must meet (SQL over its CTEs, `{w}`-named), else `error(message)`."""

    condition: str
    error: type[GuardFailed]
    message: str


@dataclass
class _Write:
    sql: str  # CTEs: `{w}` names them (the write is `{w}`, its helpers `{w}_<x>`), `{p}` is the JSON parameter
    payload: str  # the rows as a JSON array
    checks: tuple[Check, ...]
    locks: bool


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
    sql = (f'{{w}} AS (INSERT INTO "{table.name}" ({names}) SELECT {names} '
           f'FROM json_populate_recordset(NULL::"{table.name}", CAST({{p}} AS json))')
    if conflict_keys:
        sql += " ON CONFLICT (" + ", ".join(f'"{k}"' for k in conflict_keys) + ") DO NOTHING"
    return sql + ")"


def defer_sql(session, sql: str, payload: str, checks: tuple[Check, ...] = (), locks: bool = False) -> None:
    """Run PostgreSQL CTEs `sql` (named `{w}`, `{w}_<x>`; `{p}` bound to `payload`) later in this transaction.

    `checks`: conditions the statement must meet, else it fails (GuardFailed / StaleRead) and
    the transaction with it. `locks`: the write takes row locks; it is sent after the others.
    """
    pending = session.info.get(_KEY)
    if pending is None:
        pending = session.info[_KEY] = []
        if not session.info.get(_KEY + "_hooked"):
            session.info[_KEY + "_hooked"] = True
            event.listen(session, "do_orm_execute", _before_execute)
            event.listen(session, "before_commit", flush)
            event.listen(session, "after_transaction_end", _drop)
    pending.append(_Write(sql, payload, tuple(checks), locks))


def flush(session) -> None:
    """Send the deferred writes now (one round trip on PostgreSQL)."""
    pending = session.info.pop(_KEY, None)
    if pending:
        _send(session, pending, commit=False)


def commit(session) -> None:
    """Commit the session; on PostgreSQL its deferred writes and the COMMIT leave in one round trip."""
    pending = session.info.pop(_KEY, None)
    if pending:
        _send(session, pending, commit=True)
    session.commit()  # after a pipelined COMMIT the driver is idle: this only ends the Session's transaction


def _send(session, pending: list[_Write], commit: bool) -> None:
    import psycopg

    raw = session.connection().connection.driver_connection
    groups = [g for g in ([w for w in pending if not w.locks], [w for w in pending if w.locks]) if g]
    statements = [(_statement(tuple((w.sql, w.checks) for w in g)), {f"p{n}": w.payload for n, w in enumerate(g)})
                  for g in groups]
    failure = None
    try:
        with raw.pipeline() as pipeline:
            try:
                for sql, params in statements:
                    raw.execute(sql, params)
                raw.commit() if commit else pipeline.sync()
            except psycopg.Error as exc:  # caught inside: an error passing the pipeline's exit is logged again
                failure = exc
    except psycopg.Error as exc:  # the exit collects what was left: PipelineAborted after the first error
        failure = failure or exc
    if failure is not None:
        error = next((cls for cls, state in _SQLSTATES.items() if failure.sqlstate == state), None)
        if error:
            raise error(failure.diag.message_primary) from failure
        raise sa.exc.DBAPIError.instance("; ".join(sql for sql, _ in statements), None, failure,
                                         psycopg.Error) from failure


@lru_cache(maxsize=256)
def _statement(writes: tuple[tuple[str, tuple[Check, ...]], ...]) -> str:
    """The writes as one statement with psycopg placeholders, `%(p<n>)s` for write n's payload."""
    ctes = ", ".join(sql.format(w=f"w{n}", p=f"%(p{n})s") for n, (sql, _) in enumerate(writes))
    fails = " ".join(f"WHEN NOT ({c.condition.format(w=f'w{n}', p=f'%(p{n})s')}) "
                     f"THEN oms_raise('{_SQLSTATES[c.error]}', {_literal(c.message)})"
                     for n, (_, checks) in enumerate(writes) for c in checks)
    return f"WITH {ctes} SELECT " + (f"CASE {fails} ELSE true END" if fails else "true")


def _literal(text: str) -> str:
    """A SQL string literal inside a psycopg query (% doubled: it is not a placeholder)."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def _before_execute(state) -> None:
    if state.session.info.get(_KEY):
        flush(state.session)  # pops the pending list first, so nested executes do not recurse


def _drop(session, transaction) -> None:
    """The outer transaction ended (committed: nothing is left; rolled back or closed: forget the writes).

    Savepoints are not tracked: flush() before begin_nested() if writes are pending.
    """
    if not transaction.nested and transaction.parent is None:
        session.info.pop(_KEY, None)
