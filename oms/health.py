"""Readiness checks for /readyz: database reachable, schema at the newest revision, broker reachable."""
from __future__ import annotations

import functools
import logging

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def _scripts():
    from alembic.script import ScriptDirectory

    from oms.db import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return script, frozenset(r.revision for r in script.iterate_revisions("heads", "base"))


def missing_revisions(current_heads) -> set[str]:
    """Revisions of the migration scripts not yet applied, given the database's current heads.

    Compared by ancestry, not by head names: a head that depends on another branch's revision
    (review_ui_0002 on core_0001) makes Alembic record only the dependent one.
    """
    script, every = _scripts()
    applied = {r.revision for r in script.iterate_revisions(tuple(current_heads), "base")} if current_heads else set()
    return set(every - applied)


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
    missing = missing_revisions(current)
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
