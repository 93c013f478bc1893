"""One worker per message at a time: a lock that dies with the process holding it.

Used by the Celery task and the embedded worker alike. The lock belongs to a database session
(PostgreSQL advisory lock) or an open file (SQLite: flock), so a worker killed with SIGKILL
releases it, and a message it left `processing` can be recognised as orphaned and resumed.
"""
from __future__ import annotations

import fcntl
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

_LOCK_NAMESPACE = 0x6F6D73  # 'oms': the two-int advisory-lock space, apart from the poller's bigint locks


def _lock_ids(key: str) -> tuple[int, int]:
    value = zlib.crc32(key.encode())
    return _LOCK_NAMESPACE, value - (1 << 32) if value >= (1 << 31) else value


@contextmanager
def message_lock(app, key: str, wait: bool = False) -> Iterator[bool]:
    """Yield True if this process now exclusively works on `key` (False: someone else does).

    With `wait`, block until the current holder is done (always yields True).

    The lock belongs to a database session (PostgreSQL) or an open file (SQLite), so it is
    released when the holder's process dies, however it dies.
    """
    if app.engine.dialect.name == "postgresql":
        from sqlalchemy import text

        ids = _lock_ids(key)
        conn = app.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            if wait:
                conn.execute(text("SELECT pg_advisory_lock(:a, :b)"), {"a": ids[0], "b": ids[1]})
                got = True
            else:
                got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:a, :b)"),
                                        {"a": ids[0], "b": ids[1]}).scalar())
            try:
                yield got
            finally:
                if got:
                    conn.execute(text("SELECT pg_advisory_unlock(:a, :b)"), {"a": ids[0], "b": ids[1]})
        finally:
            conn.close()
        return
    folder = Path(app.settings.data_dir) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{key}.lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
