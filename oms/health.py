"""Readiness checks for /readyz: database reachable, schema at the newest revision, broker reachable."""
from __future__ import annotations

import functools
import logging

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def expected_heads() -> frozenset[str]:
    """The newest Alembic revision of every room's branch (read from the migration scripts once)."""
    from alembic.script import ScriptDirectory

    from oms.db import alembic_config

    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def check_database(engine) -> tuple[bool, str]:
    """(ok, detail): the database answers and its schema is at every branch's head."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import text

    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = frozenset(MigrationContext.configure(conn).get_current_heads())
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", with the reason
        return False, f"database unreachable: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    missing = expected_heads() - current
    if missing:
        return False, f"schema not at head (missing {', '.join(sorted(missing))}): run `oms migrate`"
    return True, "ok"


def check_broker(broker_url: str | None, timeout: float = 2.0) -> tuple[bool, str]:
    """(ok, detail): the Celery broker accepts a connection (ok when none is configured)."""
    if not broker_url:
        return True, "not configured"
    from kombu import Connection

    try:
        with Connection(broker_url, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        return False, f"broker unreachable: {type(exc).__name__}: {exc}"[:300]
    return True, "ok"


def readiness(engine, settings) -> tuple[bool, dict[str, str]]:
    """All checks: (ready, {check: detail})."""
    db_ok, db = check_database(engine)
    broker_ok, broker = check_broker(getattr(settings, "broker_url", None))
    return db_ok and broker_ok, {"database": db, "broker": broker}
