"""`oms worker [--until-idle]`: process messages waiting in the intake store and drain the outbox."""
from __future__ import annotations

import importlib.util
import logging
import signal
import threading

log = logging.getLogger(__name__)


def add_arguments(parser) -> None:
    parser.add_argument("--until-idle", action="store_true", help="stop when nothing is left to do")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls when idle")
    parser.add_argument("--concurrency", type=int, default=2, help="Celery worker processes (with OMS_BROKER_URL)")
    parser.add_argument("--queues", help="Celery queues to consume (with OMS_BROKER_URL; default: oms)")


def build_outbox(app):
    """OUTBOX's dispatcher when it is installed, else None."""
    if importlib.util.find_spec("oms_core.outbox") is None or importlib.util.find_spec("oms_core.outbox.dispatcher") is None:
        return None
    from oms_core.outbox.dispatcher import build_dispatcher

    return build_dispatcher(app.settings, app.uow_factory)


def work_once(app, dispatcher=None) -> int:
    """Process every pending message, draining the outbox after each; returns how much was done.

    The outbox runs after every message (not once after the batch), so a booked order reaches
    the ERP while the rest of a burst is still being read: inbox->ERP is one message, not a batch.
    """
    from oms.pipeline import process_key

    done = 0
    for key in app.store.pending():
        if not app.store.claim(key):
            continue  # another worker took it
        result = process_key(app, key)
        log.info("processed %s: %s %s", key, result["kind"], result["decision"])
        done += 1
        if dispatcher is not None:
            done += int(dispatcher.run_once() or 0)
    if dispatcher is not None:
        done += int(dispatcher.run_once() or 0)  # rows that fell due meanwhile, or with no messages
    return done


def run(args) -> int:
    from oms.bootstrap import bootstrap
    from oms.settings import get_settings

    if get_settings().broker_url:  # production shape: Celery workers (oms/celery_app.py)
        from oms.celery_app import start_worker

        return start_worker(concurrency=args.concurrency, queues=args.queues)

    app = bootstrap()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        dispatcher = build_outbox(app)
        while not stop.is_set():
            done = work_once(app, dispatcher)
            if done == 0 and args.until_idle:
                break
            if done == 0:
                stop.wait(args.interval)
    finally:
        app.close()
    return 0
