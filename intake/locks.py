"""One poller per mailbox: a PostgreSQL advisory lock, or a file lock beside the SQLite database.

The PostgreSQL lock is a session lock held by one dedicated connection for as long as the poller
runs, so it works across machines; if that connection dies the lock is gone and `check()` says so.
On SQLite all pollers share one machine (the database file), so a file lock next to it suffices.
"""
from __future__ import annotations

import hashlib
import logging
import re
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine, text

log = logging.getLogger(__name__)


class LockHeld(RuntimeError):
    """Another poller holds this mailbox's lock."""


class LockLost(RuntimeError):
    """The lock we held is gone (e.g. its database connection dropped)."""


def lock_key(name: str) -> int:
    """A stable signed 64-bit number for a lock name (pg advisory locks take a bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class _PostgresAdvisoryLock:
    def __init__(self, engine: Engine, name: str, retry_s: float = 0.2):
        self.engine = engine
        self.name = name
        self.key = lock_key(name)
        self.retry_s = retry_s
        self._conn = None

    def acquire(self, timeout: float | None = None) -> None:
        """Take the lock; wait up to `timeout` seconds (None: forever, 0: try once) else LockHeld."""
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar():
                if deadline is not None and time.monotonic() >= deadline:
                    raise LockHeld(f"another poller holds the lock for {self.name}")
                time.sleep(self.retry_s)
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        log.info("holding poller lock for %s (pg advisory %d)", self.name, self.key)

    def check(self) -> None:
        """Raise LockLost if the lock's connection is gone."""
        if self._conn is None:
            raise LockLost(f"lock for {self.name} is not held")
        try:
            held = self._conn.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND pid = pg_backend_pid() AND objid = (:k & 4294967295) AND classid = ((:k >> 32) & 4294967295)"
                ),
                {"k": self.key},
            ).scalar()
        except Exception as exc:  # noqa: BLE001 - any failure of the lock connection loses the lock
            self._drop()
            raise LockLost(f"lock connection for {self.name} failed: {exc}") from exc
        if not held:
            self._drop()
            raise LockLost(f"lock for {self.name} is no longer held")

    def release(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
        except Exception:  # noqa: BLE001 - closing the session releases it anyway
            log.warning("could not unlock %s cleanly; closing its connection", self.name)
        self._drop()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                # Never hand a lock-holding session back to the pool: close it for real.
                conn.invalidate()
                conn.close()
            except Exception:  # noqa: BLE001
                pass

    @property
    def held(self) -> bool:
        return self._conn is not None

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


class _FileLock:
    def __init__(self, path: Path, name: str):
        from filelock import FileLock

        self.path = path
        self.name = name
        path.parent.mkdir(parents=True, exist_ok=True)
        # thread_local=False: the poller may release from another thread than the one that acquired.
        self._lock = FileLock(str(path), thread_local=False)

    def acquire(self, timeout: float | None = None) -> None:
        """Take the lock; wait up to `timeout` seconds (None: forever, 0: try once) else LockHeld."""
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=-1 if timeout is None else timeout, poll_interval=0.1)
        except Timeout as exc:
            raise LockHeld(f"another poller holds the lock for {self.name} ({self.path})") from exc
        log.info("holding poller lock for %s (%s)", self.name, self.path)

    def check(self) -> None:
        if not self._lock.is_locked:
            raise LockLost(f"lock for {self.name} is not held")

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


def mailbox_lock(engine: Engine, name: str, lock_dir: Path | None = None):
    """The right lock for this database: advisory on PostgreSQL, a file lock on SQLite."""
    if engine.dialect.name == "postgresql":
        return _PostgresAdvisoryLock(engine, f"oms-poller:{name}")
    # Beside the SQLite file: every poller of that database sees the same lock file.
    database = engine.url.database
    if database and database != ":memory:":
        folder = Path(database).resolve().parent
    else:
        folder = lock_dir or Path(tempfile.gettempdir())
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:80]
    digest = hashlib.sha256(f"{database}|{name}".encode()).hexdigest()[:12]
    return _FileLock(folder / f".oms-poller-{safe}-{digest}.lock", name)
