"""The workflow on the real checkpointers (SQLite file, PostgreSQL): pause, resume, crash, resume."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import pytest

from agents.graph import build_graph
from agents.review import resume_review
from tests.unit.agents.fakes import FakeBook, FakeReader, make_context, message, order

LINES = [{"line_no": 1, "sku": "BRG-6204", "description": "Rillenkugellager", "qty": "10", "uom": "Stk",
          "unit_price": "3.95", "line_total": "39.50"}]


@contextmanager
def sqlite_saver(tmp_path):
    from langgraph.checkpoint.sqlite import SqliteSaver

    conn = sqlite3.connect(tmp_path / "checkpoints.sqlite", check_same_thread=False)
    saver = SqliteSaver(conn)
    saver.setup()
    try:
        yield saver
    finally:
        conn.close()


@contextmanager
def postgres_saver(url):
    from langgraph.checkpoint.postgres import PostgresSaver

    conninfo = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with PostgresSaver.from_conn_string(conninfo) as saver:
        saver.setup()
        yield saver


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def saver_factory(request, tmp_path):
    """A factory giving a fresh saver object on the same storage each call (a process restart)."""
    if request.param == "sqlite":
        return lambda: sqlite_saver(tmp_path)
    url = request.getfixturevalue("postgres_url")
    return lambda: postgres_saver(url)


class CrashOnce:
    """Wraps a FakeBook so that one named call fails once, as a crash between writes would."""

    def __init__(self, book: FakeBook, method: str):
        self.book, self.method, self.crashed = book, method, False

    def __getattr__(self, name):
        attr = getattr(self.book, name)
        if name != self.method or self.crashed:
            return attr

        def crash(*args, **kwargs):
            self.crashed = True
            raise RuntimeError(f"simulated crash in {name}")

        return crash


def test_review_pause_survives_a_restart_and_resumes_on_the_same_thread(saver_factory):
    book = FakeBook(results={"k1": [{"code": "price_mismatch", "severity": "error", "message_en": "price"}]})
    reader = FakeReader(orders={"k1": [order(LINES, order_total="39.50")]})
    messages = {"k1": message("k1")}
    config = {"configurable": {"thread_id": "k1"}}
    with saver_factory() as saver:
        graph = build_graph(saver, make_context(book, reader, messages))
        paused = graph.invoke({"message_key": "k1", "file": None}, config, durability="sync")
        assert paused["__interrupt__"][0].value["review_reasons"] == ["price_mismatch"]
    with saver_factory() as saver:  # a new process: only the checkpoint remembers
        graph = build_graph(saver, make_context(book, reader, messages))
        assert graph.get_state(config).next == ("human_review",)
        result = resume_review(graph, "k1", {"action": "approve", "reviewer": "anna"})
    assert result["outcome"] == "confirmed"
    assert len(book.orders) == 1 and book.orders[result["order_id"]]["status"] == "confirmed"


@pytest.mark.parametrize("crash_in", ["record_decision", "confirm_order"])
def test_crash_between_writes_resumes_without_a_duplicate_order(saver_factory, crash_in):
    book = FakeBook()
    crashing = CrashOnce(book, crash_in)
    reader = FakeReader(orders={"k2": [order(LINES, order_total="39.50")]})
    messages = {"k2": message("k2")}
    config = {"configurable": {"thread_id": "k2"}}
    with saver_factory() as saver:
        graph = build_graph(saver, make_context(crashing, reader, messages))
        with pytest.raises(RuntimeError, match="simulated crash"):
            graph.invoke({"message_key": "k2", "file": None}, config, durability="sync")
        assert graph.get_state(config).next  # stopped part-way
    with saver_factory() as saver:
        graph = build_graph(saver, make_context(crashing, reader, messages))
        final = graph.invoke(None, config, durability="sync")
    assert final["outcome"] == "confirmed"
    assert len(book.orders) == 1
    assert reader.calls == ["k2"]  # finished steps were not run again
    assert book.decisions["k2"]["decision"] == "auto"


def _set_up_checkpointer(url: str) -> None:
    from oms.bootstrap import make_checkpointer
    from oms.settings import get_settings

    _saver, close = make_checkpointer(get_settings(database_url=url))
    close()


def test_workers_starting_together_on_a_fresh_database_all_set_up_the_checkpointer(postgres_url):
    # Without the setup lock, concurrent PostgresSaver.setup() calls fail with a duplicate-type
    # error on its migrations table (seen when docker-compose starts several workers at once).
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    starters = [context.Process(target=_set_up_checkpointer, args=(postgres_url,)) for _ in range(6)]
    for p in starters:
        p.start()
    for p in starters:
        p.join(120)
    assert [p.exitcode for p in starters] == [0] * 6
