"""A database outage mid-processing leaves the message retryable; a genuine error ends it as failed."""
from __future__ import annotations

import sqlite3
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, text

from intake.store import MessageStore
from intake.tables import metadata
from oms.pipeline import process_key
from oms.transient import is_transient

RAW = b"From: a@b.example\r\nTo: orders@c.example\r\nSubject: PO 1\r\nMessage-ID: <m1@b>\r\n\r\nqty 1\r\n"


def locked_error(tmp_path) -> sqlite3.OperationalError:
    """The real error SQLite raises when another connection holds the write lock past the busy timeout."""
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        other = sqlite3.connect(path, timeout=0.1)
        with pytest.raises(sqlite3.OperationalError) as caught:
            other.execute("INSERT INTO t VALUES (1)")
        other.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    return caught.value


class Graph:
    """The workflow's checkpointer stand-in: reading state raises what the database raised."""

    def __init__(self, error: Exception):
        self.error = error

    def get_state(self, config):
        raise self.error


@pytest.fixture
def store(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'oms.sqlite3'}")
    metadata.create_all(engine)
    yield MessageStore(engine, tmp_path / "data")
    engine.dispose()


def app_for(store, error):
    decisions = []
    book = SimpleNamespace(record_decision=decisions.append)
    return SimpleNamespace(store=store, graph=Graph(error), context=SimpleNamespace(book=book, versions={}),
                           messages=SimpleNamespace(load=lambda key: SimpleNamespace(message_id="<m1@b>"))), decisions


def test_a_database_locked_past_the_busy_timeout_leaves_the_message_stored_for_a_retry(store, tmp_path):
    key, _ = store.save_raw(RAW, "test")
    app, decisions = app_for(store, locked_error(tmp_path))
    result = process_key(app, key)
    row = store.get(key)
    assert row.status == "stored" and "locked" in row.reason
    assert key in store.pending()
    assert decisions == []  # no failed decision recorded for an outage
    assert "will retry" in result["error"]


def test_a_genuine_processing_error_marks_the_message_failed_with_its_reason(store):
    key, _ = store.save_raw(RAW, "test")
    app, decisions = app_for(store, ValueError("line 3 has no quantity"))
    process_key(app, key)
    row = store.get(key)
    assert row.status == "failed" and "no quantity" in row.reason
    assert key not in store.pending()
    assert decisions and decisions[0]["decision"] == "failed"


def test_a_missing_table_is_not_mistaken_for_an_outage(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    with pytest.raises(Exception) as caught:
        with engine.connect() as conn:
            conn.execute(text("SELECT * FROM nowhere"))
    engine.dispose()
    assert not is_transient(caught.value)


def test_a_locked_database_behind_a_node_error_is_an_outage(tmp_path):
    try:
        raise RuntimeError("node failed") from locked_error(tmp_path)
    except RuntimeError as exc:
        assert is_transient(exc)


@pytest.mark.postgres
def test_a_closed_postgresql_connection_is_an_outage(postgres_url):
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        with create_engine(postgres_url, isolation_level="AUTOCOMMIT").connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(Exception) as caught:
            conn.execute(text("SELECT 1"))
    engine.dispose()
    assert is_transient(caught.value)
