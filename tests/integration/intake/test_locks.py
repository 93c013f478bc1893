"""One poller per mailbox: the lock excludes a second holder on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from intake.locks import LockHeld, LockLost, mailbox_lock


def test_a_second_poller_cannot_take_a_held_mailbox_lock(any_store):
    first = mailbox_lock(any_store.engine, "orders@example.com@mail:993/INBOX")
    second = mailbox_lock(any_store.engine, "orders@example.com@mail:993/INBOX")
    other_mailbox = mailbox_lock(any_store.engine, "sales@example.com@mail:993/INBOX")

    first.acquire(timeout=0)
    try:
        with pytest.raises(LockHeld):
            second.acquire(timeout=0.3)
        other_mailbox.acquire(timeout=0)  # a different mailbox is not blocked
        other_mailbox.release()
        first.check()
    finally:
        first.release()

    second.acquire(timeout=0)  # released: free for the next poller
    second.release()


@pytest.mark.postgres
def test_a_postgres_lock_whose_connection_dies_reports_it_lost(postgres_url):
    from sqlalchemy import text

    from oms.db import make_engine

    engine = make_engine(postgres_url)
    lock = mailbox_lock(engine, "orders@example.com@mail:993/INBOX")
    lock.acquire(timeout=0)
    try:
        pid = lock._conn.execute(text("SELECT pg_backend_pid()")).scalar()
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

        with pytest.raises(LockLost):
            lock.check()
        successor = mailbox_lock(engine, "orders@example.com@mail:993/INBOX")
        successor.acquire(timeout=2)
        successor.release()
    finally:
        lock.release()
        engine.dispose()
