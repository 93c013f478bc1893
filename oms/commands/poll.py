"""`oms poll [--once]`: read the IMAP mailbox when OMS_IMAP_HOST is set, else the drop folder.

Exit codes: 0 done, 2 server unreachable (--once), 3 configuration error (wrong password,
untrusted certificate, missing setting), 4 database schema missing.
"""
from __future__ import annotations

import logging
import signal
import threading

log = logging.getLogger("oms.poll")

EXIT_UNREACHABLE = 2
EXIT_CONFIG = 3
EXIT_SCHEMA = 4


def add_arguments(parser) -> None:
    parser.add_argument("--once", action="store_true", help="handle what is there now and exit (cron, tests)")
    parser.add_argument("--interval", type=float, default=2.0, help="drop folder: seconds between scans")


def run(args) -> int:
    from oms.settings import get_settings

    settings = get_settings()
    store = _open_store(settings)
    if store is None:
        return EXIT_SCHEMA
    stop = threading.Event()
    if not args.once:
        _stop_on_signals(stop)
    try:
        if settings.imap_host:
            return _poll_imap(settings, store, once=args.once, stop=stop)
        return _poll_drop_folder(settings, store, once=args.once, stop=stop, interval=args.interval)
    finally:
        store.engine.dispose()


def _open_store(settings):
    """The message store on the configured database; SQLite schemas are brought up to date here."""
    from sqlalchemy import inspect

    from intake.store import MessageStore
    from oms.db import is_sqlite, make_engine, normalise_url, upgrade

    url = normalise_url(settings.database_url)
    if is_sqlite(url):
        alembic_log = logging.getLogger("alembic")
        level = alembic_log.level
        alembic_log.setLevel(logging.WARNING)  # its INFO chatter is not news to an operator
        try:
            upgrade(url)  # embedded default: one process, no migration step to forget
        finally:
            alembic_log.setLevel(level)
    engine = make_engine(url)
    if not inspect(engine).has_table("inbound_messages"):
        print("the database has no intake tables yet: run `oms migrate` first")
        engine.dispose()
        return None
    return MessageStore(engine, settings.data_dir)


def _stop_on_signals(stop: threading.Event) -> None:
    def handler(signum, _frame):
        log.info("received %s; stopping after the current message", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def _poll_imap(settings, store, *, once: bool, stop: threading.Event) -> int:
    from intake.imap_connection import CONNECTION_ERRORS, ImapConfigError
    from intake.locks import LockHeld
    from intake.poller import Poller

    poller = Poller(settings, store)
    try:
        if once:
            stats = poller.run_once()
        else:
            stats = poller.run_forever(stop)
    except ImapConfigError as exc:
        print(f"error: {exc}")
        return EXIT_CONFIG
    except LockHeld as exc:
        # Another poller is handling this mailbox right now: nothing for us to do.
        print(f"{exc}; nothing to do")
        return 0
    except CONNECTION_ERRORS as exc:
        print(f"error: cannot reach IMAP server {poller.mailbox}: {type(exc).__name__}: {exc}")
        return EXIT_UNREACHABLE
    print(
        f"{poller.mailbox}: {len(stats.stored)} stored, {len(stats.failed)} failed, "
        f"{len(stats.duplicates)} already stored"
    )
    return 0


def _poll_drop_folder(settings, store, *, once: bool, stop: threading.Event, interval: float) -> int:
    from intake.dropfolder import scan, watch

    folder = settings.effective_drop_dir
    if once:
        result = scan(store, folder, max_attachment_bytes=settings.max_attachment_bytes)
        print(
            f"{folder}: {len(result.stored)} stored, {len(result.failed)} failed, "
            f"{len(result.duplicates)} already stored"
        )
        return 0
    log.info("watching drop folder %s", folder)
    watch(store, folder, stop, interval_s=interval, max_attachment_bytes=settings.max_attachment_bytes)
    return 0
