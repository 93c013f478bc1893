"""Composition root: build engines, stores, the workflow graph and its checkpointer from settings.

Nothing is built at import time. `bootstrap(settings)` returns an App holding everything a
command, the worker or the web app needs; `App.close()` releases connections.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from oms.db import is_sqlite, make_engine, make_session_factory, normalise_url, upgrade
from oms.hooks import web_hooks
from oms.settings import Settings, get_settings

log = logging.getLogger(__name__)

_CHECKPOINT_SETUP_LOCK = 0x6F6D7363  # 'omsc': advisory-lock key of the checkpointer's schema setup


class MessageCache:
    """Parsed InboundMessages by key: parsed once per process, re-parsed from the stored raw bytes."""

    def __init__(self, store: Any, max_attachment_bytes: int, size: int = 64):
        self.store = store
        self.max_attachment_bytes = max_attachment_bytes
        self.size = size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, message) -> None:
        with self._lock:
            self._items[message.key] = message
            self._items.move_to_end(message.key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def load(self, key: str):
        """The message with this key (parsed from the intake store when not cached)."""
        with self._lock:
            if key in self._items:
                return self._items[key]
        if self.store is None:
            raise KeyError(f"message {key} is not stored")
        from intake.mime import parse_message

        message = parse_message(self.store.load_raw(key), key=key, max_attachment_bytes=self.max_attachment_bytes)
        self.put(message)
        return message


@dataclass
class App:
    """Everything built from settings; close() when done."""

    settings: Settings
    engine: Any
    session_factory: Any
    uow_factory: Callable[[], Any]
    graph: Any
    context: Any
    store: Any
    messages: MessageCache
    checkpointer: Any
    hooks: Any = None  # review_ui.context.Hooks: what the web app calls back into this root
    _closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for closer in reversed(self._closers):
            try:
                closer()
            except Exception:  # noqa: BLE001 - closing must release everything it can
                log.warning("error while closing", exc_info=True)
        self._closers.clear()


def checkpoint_path(database_url: str) -> str:
    """Where the embedded (SQLite) checkpointer keeps its file: beside the database."""
    path = normalise_url(database_url).removeprefix("sqlite:///")
    if path in ("", ":memory:") or database_url in ("sqlite://", "sqlite:///:memory:"):
        return ":memory:"
    db = Path(path)
    return str(db.with_name(db.name + ".checkpoints"))


def make_checkpointer(settings: Settings) -> tuple[Any, Callable[[], None]]:
    """SqliteSaver for the embedded default, PostgresSaver (on a small pool) for PostgreSQL."""
    url = normalise_url(settings.database_url)
    if is_sqlite(url):
        from langgraph.checkpoint.sqlite import SqliteSaver

        conn = sqlite3.connect(checkpoint_path(url), check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        # As on the main database: WAL + NORMAL survives a killed process (only an OS crash or power
        # loss may drop the last steps, which then re-run: every step's side effects are idempotent);
        # FULL would fsync on every one of a thread's ~8 checkpoints.
        conn.execute("PRAGMA synchronous=NORMAL")
        saver = SqliteSaver(conn)
        saver.setup()
        return saver, conn.close
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    conninfo = url.replace("postgresql+psycopg://", "postgresql://", 1)
    pool = ConnectionPool(conninfo, min_size=1, max_size=4, open=True,
                          kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row})
    saver = PostgresSaver(pool)
    with pool.connection() as conn:
        # Workers and the web app starting together on a fresh database would race in setup()
        # (a duplicate-type error on its migrations table): one at a time, under an advisory lock.
        # Polled, not waited for: a session waiting inside a statement would stall setup()'s
        # CREATE INDEX CONCURRENTLY, which waits for every open transaction.
        while not conn.execute("SELECT pg_try_advisory_lock(%s, 0) AS got", (_CHECKPOINT_SETUP_LOCK,)).fetchone()["got"]:
            time.sleep(0.1)
        try:
            saver.setup()
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s, 0)", (_CHECKPOINT_SETUP_LOCK,))
    return saver, pool.close


def make_reader():
    """The reading side: EXTRACT's classifier, extractors and injection detector."""
    from agents.readers import ExtractorReader

    return ExtractorReader()


def make_llm_extractor(settings: Settings):
    """The optional LLM extractor when an endpoint is configured (None otherwise or if not installed)."""
    if not settings.llm_configured:
        return None
    try:
        from agents.extractors.llm import build_llm_extractor
    except ImportError:
        log.info("LLM endpoint configured but no LLM extractor is installed; offline extractor only")
        return None
    from agents.llm_hook import make_llm_hook

    extractor = build_llm_extractor(settings)
    return make_llm_hook(extractor) if extractor is not None else None


def bootstrap(settings: Settings | None = None, *, migrate: bool | None = None) -> App:
    """Build the App. The schema is upgraded automatically on SQLite (or when migrate=True)."""
    from agents.context import Context
    from agents.core_book import CoreOrderBook
    from agents.graph import build_graph
    from intake.store import MessageStore
    from oms_core.service_layer.unit_of_work import SqlAlchemyUnitOfWork

    settings = settings or get_settings()
    url = settings.database_url
    if migrate or (migrate is None and is_sqlite(normalise_url(url))):
        upgrade(url)
    engine = make_engine(url)
    closers: list[Callable[[], None]] = [engine.dispose]
    session_factory = make_session_factory(engine)

    def uow_factory():
        return SqlAlchemyUnitOfWork(session_factory)

    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    store = MessageStore(engine, settings.data_dir)
    messages = MessageCache(store, settings.max_attachment_bytes)
    checkpointer, close_checkpointer = make_checkpointer(settings)
    closers.append(close_checkpointer)
    llm = make_llm_extractor(settings)
    versions = {"workflow": "1", "extractor": "offline", "llm_model": settings.llm_model if llm else None}
    context = Context(book=CoreOrderBook(uow_factory, settings), reader=make_reader(), load_message=messages.load,
                      llm_extractor=llm, versions=versions, settings=settings)
    graph = build_graph(checkpointer, context)
    return App(settings=settings, engine=engine, session_factory=session_factory, uow_factory=uow_factory,
               graph=graph, context=context, store=store, messages=messages, checkpointer=checkpointer,
               hooks=web_hooks(), _closers=closers)
