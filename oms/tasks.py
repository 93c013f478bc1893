"""Celery tasks: process one stored message, drain the outbox, sweep for work nobody queued.

Every task is safe to run twice or to be cut off at any point (a task is redelivered when its
worker dies):
- `process_message(key)` holds a per-message lock (PostgreSQL advisory lock, or a file lock on
  SQLite) that dies with its process, so one message never runs in two workers at once; its
  graph thread (thread id = message key) resumes from the last checkpoint; oms_core books an
  order once per message key and writes outbox rows with unique idempotency keys.
- `drain_outbox()` claims rows with SKIP LOCKED; the ERP is asked for our reference first.
- `sweep()` re-queues stored messages that were never queued (or whose queue entry was lost)
  and messages left `processing` by a worker that vanished.
"""
from __future__ import annotations

import logging
import os
import signal
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from oms.logs import message_key_var
from oms.message_locks import message_lock

log = logging.getLogger(__name__)

_state = threading.local()  # nothing shared across forks: each worker process builds its own App


# -- the per-process application ----------------------------------------------------------------

def worker_app():
    """This worker process's App (built on first use, after Celery forked the process)."""
    app = getattr(_state, "app", None)
    if app is None or getattr(_state, "pid", None) != os.getpid():
        from oms.bootstrap import bootstrap

        app = bootstrap()
        install_test_crash_hook(app)
        _state.app, _state.pid, _state.dispatcher = app, os.getpid(), None
    return app


def worker_dispatcher(app):
    """This process's outbox dispatcher (None when the outbox is not installed)."""
    dispatcher = getattr(_state, "dispatcher", None)
    if dispatcher is None:
        from oms.commands.worker import build_outbox

        dispatcher = build_outbox(app)
        if dispatcher is not None:
            _wrap_dispatcher_for_crash_test(dispatcher)
        _state.dispatcher = dispatcher
    return dispatcher


def preload_modules() -> None:
    """Import the pipeline in the worker's main process: forked pool processes start at once
    and share these pages (nothing is connected or built here)."""
    import importlib

    for name in ("oms.bootstrap", "oms.pipeline", "agents.graph", "agents.readers", "agents.core_book",
                 "intake.mime", "intake.documents", "intake.store", "oms_core.service_layer.handlers",
                 "oms_core.outbox.dispatcher", "langgraph.checkpoint.postgres", "psycopg_pool"):
        try:
            importlib.import_module(name)
        except ImportError:
            log.debug("cannot preload %s", name, exc_info=True)


def serve_worker_metrics() -> None:
    """With OMS_WORKER_METRICS_PORT: serve every pool process's event metrics from the main process
    (prometheus_client multi-process mode; the folder is made here, before the pool forks)."""
    from oms.settings import get_settings

    port = get_settings().worker_metrics_port
    if not port:
        return
    import tempfile

    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="oms-metrics-"))
    from prometheus_client import CollectorRegistry, multiprocess, start_http_server, values

    values.ValueClass = values.get_value_class()  # in case prometheus_client was imported before the folder was set
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    start_http_server(port, registry=registry)
    log.info("worker metrics on port %d", port)


def close_worker_app() -> None:
    """Release this process's connections (worker shutdown)."""
    app = getattr(_state, "app", None)
    if app is not None and getattr(_state, "pid", None) == os.getpid():
        app.close()
    _state.app = None
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(os.getpid())


# -- one message at a time ------------------------------------------------------------------------

def process_message(key: str) -> dict:
    """Process one stored message by key (idempotent); then deliver what it queued in the outbox."""
    from intake.store import UnknownMessage
    from oms.pipeline import process_key

    token = message_key_var.set(key)
    try:
        app = worker_app()
        with message_lock(app, key) as mine:
            if not mine:
                log.info("message %s is being processed by another worker", key)
                return {"key": key, "status": "busy"}
            try:
                status = app.store.get(key).status
            except UnknownMessage:
                log.error("no stored message %s; dropping the task", key)
                return {"key": key, "status": "unknown"}
            if status in ("processed", "failed"):
                log.info("message %s was already %s", key, status)
                result = {"key": key, "status": status}
            else:
                # `processing` here means its last worker died: the thread resumes from its checkpoint.
                started = time.perf_counter()
                outcome = process_key(app, key)
                observe_result(outcome, time.perf_counter() - started)
                result = {"key": key, "status": "done", "decision": outcome["decision"],
                          "order_id": outcome["order_id"]}
    finally:
        message_key_var.reset(token)
    outside = message_key_var.set(None)  # outbox rows belong to orders, not to this message
    try:
        drain(app)
    finally:
        message_key_var.reset(outside)
    return result


def observe_result(result: dict, seconds: float) -> None:
    """Record a processed message's timings in this process's metrics."""
    try:
        from oms.metrics import observe_processed

        observe_processed(result, seconds)
    except Exception:  # noqa: BLE001 - metrics must never fail a message
        log.debug("could not record metrics", exc_info=True)


def drain(app) -> int:
    """Deliver every due outbox row now; returns how many were handled."""
    dispatcher = worker_dispatcher(app)
    if dispatcher is None:
        return 0
    return int(dispatcher.run_once() or 0)


def drain_outbox() -> int:
    """Task: drain the outbox (periodic; picks up retries and rows of crashed workers)."""
    return drain(worker_app())


# -- nothing lost --------------------------------------------------------------------------------

def due_keys(engine, *, grace: float, requeue: float, stale: float, limit: int = 1000) -> list[str]:
    """Keys to queue now: never-queued stored messages older than `grace` seconds, queued ones
    still stored after `requeue` seconds (their queue entry was lost), and `processing` ones
    untouched for `stale` seconds (their worker vanished).

    A key is returned only if this sweep moved its `updated_at` to now (status unchanged), which
    also marks it as queued: the next sweeps leave it alone for `requeue` seconds.
    """
    from sqlalchemy import and_, or_, select, update

    from intake.tables import inbound_messages as t
    from intake.tables import utcnow

    now = utcnow()
    due = or_(and_(t.c.status == "stored", t.c.updated_at == t.c.received_at,
                   t.c.received_at <= now - timedelta(seconds=grace)),
              and_(t.c.status == "stored", t.c.updated_at <= now - timedelta(seconds=requeue)),
              and_(t.c.status == "processing", t.c.updated_at <= now - timedelta(seconds=stale)))
    with engine.connect() as conn:
        rows = conn.execute(select(t.c.key, t.c.status, t.c.updated_at).where(due)
                            .order_by(t.c.received_at).limit(limit)).all()
    keys = []
    for key, status, updated_at in rows:
        if mark_queued(engine, key, status=status, updated_at=updated_at, now=now):
            keys.append(key)
    return keys


def mark_queued(engine, key: str, *, status: str = "stored", updated_at=None, now=None) -> bool:
    """Record that `key` was just queued (its `updated_at` becomes now); False if it changed meanwhile."""
    from sqlalchemy import update

    from intake.tables import inbound_messages as t
    from intake.tables import utcnow

    query = update(t).where(t.c.key == key, t.c.status == status)
    if updated_at is not None:
        query = query.where(t.c.updated_at == updated_at)
    with engine.begin() as conn:
        return conn.execute(query.values(updated_at=now or utcnow())).rowcount == 1


def sweep(celery=None) -> int:
    """Task: queue every message that should be running but is not; returns how many were queued."""
    app = worker_app()
    settings = app.settings
    keys = due_keys(app.engine, grace=settings.sweep_grace_seconds, requeue=settings.requeue_seconds,
                    stale=settings.stale_processing_seconds)
    for key in keys:
        enqueue(key, celery)
    if keys:
        log.info("sweep queued %d message(s)", len(keys))
    return len(keys)


def enqueue(key: str, celery=None, *, engine=None) -> None:
    """Queue one stored message for a worker (what intake calls after storing it).

    With `engine`, the message is also marked as queued, so the sweep does not queue it again
    unless it is still waiting after OMS_REQUEUE_SECONDS.
    """
    from oms.celery_app import PROCESS_TASK

    if celery is None:
        from oms.celery_app import app as celery
    if engine is not None:
        mark_queued(engine, key)
    celery.send_task(PROCESS_TASK, args=[key])


def register(celery) -> None:
    """Register the tasks on a Celery app (late acknowledgement, requeue on a lost worker)."""
    from oms.celery_app import DRAIN_TASK, PROCESS_TASK, SWEEP_TASK

    options = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}
    celery.task(name=PROCESS_TASK, **options)(process_message)
    celery.task(name=DRAIN_TASK, **options)(drain_outbox)

    def sweep_messages() -> int:
        return sweep(celery)

    celery.task(name=SWEEP_TASK, **options)(sweep_messages)

    from celery import signals

    signals.worker_process_shutdown.connect(lambda **_: close_worker_app(), weak=False)
    signals.worker_init.connect(lambda **_: serve_worker_metrics(), weak=False)
    signals.worker_init.connect(lambda **_: preload_modules(), weak=False)
    signals.task_prerun.connect(_key_on_task_lines, weak=False)
    signals.task_postrun.connect(_key_off_task_lines, weak=False)


_tokens: dict[str, Any] = {}


def _key_on_task_lines(sender=None, task_id=None, args=None, **_kwargs) -> None:
    """Celery's own lines about a message task (started, succeeded, failed) carry its key too."""
    from oms.celery_app import PROCESS_TASK

    if getattr(sender, "name", None) == PROCESS_TASK and args:
        _tokens[task_id] = message_key_var.set(str(args[0]))


def _key_off_task_lines(sender=None, task_id=None, **_kwargs) -> None:
    token = _tokens.pop(task_id, None)
    if token is not None:
        message_key_var.reset(token)


# -- crash-test hook ------------------------------------------------------------------------------
# Read ONLY here, never by product logic: OMS_TEST_CRASH_AT names points (graph node names,
# "erp_sent", "confirmation_sent") where the process SIGKILLs itself, each point once per
# marker folder OMS_TEST_CRASH_DIR (a marker file records that the point has crashed).

CRASH_AT_ENV = "OMS_TEST_CRASH_AT"
CRASH_DIR_ENV = "OMS_TEST_CRASH_DIR"


def _crash_points() -> set[str]:
    return {p.strip() for p in os.environ.get(CRASH_AT_ENV, "").split(",") if p.strip()}


def crash_here(point: str) -> None:
    """SIGKILL this process the first time `point` is reached (crash tests only)."""
    if point not in _crash_points():
        return
    folder = Path(os.environ.get(CRASH_DIR_ENV) or ".")
    try:
        fd = os.open(folder / f"crashed-{point}", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.write(fd, f"{os.getpid()} {message_key_var.get()}\n".encode())
    os.fsync(fd)
    os.close(fd)
    log.warning("crash test: killing process %d at %s", os.getpid(), point)
    for handler in logging.getLogger().handlers:
        handler.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def install_test_crash_hook(app) -> None:
    """With OMS_TEST_CRASH_AT set, kill the process at the start of the named graph nodes."""
    points = _crash_points()
    if not points:
        return
    from langchain_core.callbacks import BaseCallbackHandler

    class CrashAtNodeStart(BaseCallbackHandler):
        def on_chain_start(self, serialized, inputs, *, metadata=None, **kwargs: Any) -> None:
            node = (metadata or {}).get("langgraph_node")
            if node and kwargs.get("name") == node:
                crash_here(node)

    app.graph = app.graph.with_config(callbacks=[CrashAtNodeStart()])
    log.warning("crash test hook installed: %s", ", ".join(sorted(points)))


def _wrap_dispatcher_for_crash_test(dispatcher) -> None:
    """With OMS_TEST_CRASH_AT=erp_sent/confirmation_sent: die after delivering, before marking sent."""
    points = _crash_points()
    if "erp_sent" in points:
        make_adapter = dispatcher.adapter_factory

        def adapter_factory():
            adapter = make_adapter()
            push = adapter.push_order

            def push_then_crash(payload, idempotency_key):
                ref = push(payload, idempotency_key)
                crash_here("erp_sent")
                return ref

            adapter.push_order = push_then_crash
            return adapter

        dispatcher.adapter_factory = adapter_factory
    if "confirmation_sent" in points and dispatcher.smtp is not None:
        send = dispatcher.smtp.send

        def send_then_crash(email):
            ref = send(email)
            crash_here("confirmation_sent")
            return ref

        dispatcher.smtp.send = send_then_crash
