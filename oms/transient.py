"""Is an exception a passing infrastructure outage (retry later) or a real processing error?

A database that is locked, restarting or unreachable says nothing about the message: the
message must stay retryable. Only errors that the message itself causes end it as failed.
"""
from __future__ import annotations

import sqlite3

# SQLite raises OperationalError for a missing table too; only these messages are outages.
_SQLITE_TRANSIENT = ("locked", "busy", "unable to open", "disk i/o", "interrupted")


def _one_is_transient(exc: BaseException) -> bool:
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return True
    if isinstance(exc, sqlite3.OperationalError):
        return any(word in str(exc).lower() for word in _SQLITE_TRANSIENT)
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        psycopg = None
    if psycopg is not None and isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)):
        return True  # connection lost, server shutting down, lock/statement timeout, serialization failure
    try:
        from sqlalchemy import exc as sa_exc
    except ImportError:  # pragma: no cover
        return False
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, sa_exc.TimeoutError):
        return True  # connection pool exhausted
    if isinstance(exc, sa_exc.DBAPIError) and exc.orig is not None and exc.orig is not exc:
        return _one_is_transient(exc.orig)
    if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError)):
        return not isinstance(exc.orig, sqlite3.Error)  # a non-SQLite driver's operational error
    return False


def is_transient(exc: BaseException) -> bool:
    """True when the exception (or one it was raised from) is an outage worth retrying."""
    seen = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _one_is_transient(current):
            return True
        current = current.__cause__ or current.__context__
    return False
