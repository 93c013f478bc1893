"""`oms worker [--until-idle] [--processes N]`: process messages waiting in the intake store and drain the outbox.

Without OMS_BROKER_URL this is the embedded worker: one process, or N processes on the same
database (`--processes`), each claiming stored messages one at a time (a claim is one atomic
UPDATE, so two processes never take the same message). A supervisor restarts a process that
dies; SIGTERM stops them all after the message each is working on.
"""
from __future__ import annotations

import importlib.util
import logging
import multiprocessing
import os
import signal
import threading
import time

log = logging.getLogger(__name__)

RESTART_DELAY = 1.0  # seconds before a dead worker process is started again


def add_arguments(parser) -> None:
    parser.add_argument("--until-idle", action="store_true", help="stop when nothing is left to do")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls when idle")
    parser.add_argument("--concurrency", type=int, default=2, help="Celery worker processes (with OMS_BROKER_URL)")
    parser.add_argument("--queues", help="Celery queues to consume (with OMS_BROKER_URL; default: oms)")
    parser.add_argument("--processes", type=int, default=1,
                        help="embedded worker processes (without OMS_BROKER_URL; 0 = one per CPU)")


def build_outbox(app):
    """OUTBOX's dispatcher when it is installed, else None."""
    if importlib.util.find_spec("oms_core.outbox") is None or importlib.util.find_spec("oms_core.outbox.dispatcher") is None:
        return None
    from oms_core.outbox.dispatcher import build_dispatcher

    return build_dispatcher(app.settings, app.uow_factory)


def work_once(app, dispatcher=None) -> int:
    """Process every pending message, draining the outbox after each; returns how much was done.

    Each message is worked under its message lock (oms/message_locks.py), taken before the claim:
    a message left `processing` whose lock is free was orphaned by a worker that died, and is
    resumed from its last checkpoint. The outbox runs after every message (not once after the
    batch), so a booked order reaches the ERP while the rest of a burst is still being read.
    """
    from oms.message_locks import message_lock
    from oms.pipeline import process_key

    done = 0
    for key in app.store.pending() + [m.key for m in app.store.recent(status="processing", limit=1000)]:
        with message_lock(app, key) as mine:
            if not mine:
                continue  # another worker has it
            if not app.store.claim(key) and app.store.get(key).status != "processing":
                continue  # finished by another worker meanwhile
            result = process_key(app, key)
        log.info("processed %s: %s %s", key, result["kind"], result["decision"])
        done += 1
        if dispatcher is not None:
            done += int(dispatcher.run_once() or 0)
    if dispatcher is not None:
        done += int(dispatcher.run_once() or 0)  # rows that fell due meanwhile, or with no messages
    return done


def run(args) -> int:
    from oms.settings import get_settings

    if get_settings().broker_url:  # production shape: Celery workers (oms/celery_app.py)
        from oms.celery_app import start_worker

        return start_worker(concurrency=args.concurrency, queues=args.queues)
    processes = args.processes or os.cpu_count() or 1
    if processes == 1:
        return work_loop(args.interval, args.until_idle)
    return supervise(processes, args.interval, args.until_idle)


def work_loop(interval: float, until_idle: bool) -> int:
    """One embedded worker process: work until stopped (or until idle)."""
    from oms.bootstrap import bootstrap
    from oms.tasks import install_test_crash_hook

    app = bootstrap()
    install_test_crash_hook(app)  # no-op unless OMS_TEST_CRASH_AT is set (crash tests)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        dispatcher = build_outbox(app)
        while not stop.is_set():
            done = work_once(app, dispatcher)
            if done == 0 and until_idle:
                break
            if done == 0:
                stop.wait(interval)
    finally:
        app.close()
    return 0


def supervise(processes: int, interval: float, until_idle: bool) -> int:
    """Run `processes` embedded workers; restart one that dies; stop all on SIGTERM/SIGINT."""
    from oms.bootstrap import bootstrap

    bootstrap().close()  # migrate once here, not racing in every child
    # fork: children start at once with the imports already done; nothing is connected yet
    context = multiprocessing.get_context("fork")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())

    def start(slot: int):
        child = context.Process(target=work_loop, args=(interval, until_idle), name=f"oms-worker-{slot}")
        child.start()
        log.info("worker process %d started (pid %d)", slot, child.pid)
        return child

    children = [start(slot) for slot in range(processes)]
    while not stop.is_set():
        for slot, child in enumerate(children):
            if child.is_alive():
                continue
            if until_idle and child.exitcode == 0:
                continue  # finished its work
            log.warning("worker process %d (pid %d) died with exit code %s; restarting", slot, child.pid,
                        child.exitcode)
            time.sleep(RESTART_DELAY)
            children[slot] = start(slot)
        if until_idle and not any(child.is_alive() for child in children):
            break
        stop.wait(0.2)
    for child in children:
        if child.is_alive():
            child.terminate()  # SIGTERM: the child finishes its current message, then exits
    for child in children:
        child.join()
    return 0 if all(child.exitcode == 0 for child in children) else 1
