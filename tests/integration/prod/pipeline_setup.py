"""Shared set-up for the production-shape tests: a database with master data and stored messages."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

SEED = 11


def prepare_database(url: str, master_dir: Path, emls: list[bytes], data_dir: Path) -> tuple[object, list[str]]:
    """Upgrade the schema, import the master data, store the messages; returns (engine, keys)."""
    from intake.store import MessageStore
    from oms.db import make_engine, make_session_factory, upgrade
    from oms_core.service_layer.master_import import import_master
    from oms_core.service_layer.unit_of_work import SqlAlchemyUnitOfWork

    upgrade(url)
    engine = make_engine(url)
    import_master(master_dir, SqlAlchemyUnitOfWork(make_session_factory(engine)), progress=False)
    store = MessageStore(engine, data_dir)
    keys = [store.save_raw(raw, f"test:{i}")[0] for i, raw in enumerate(emls)]
    return engine, keys


def scalar(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def rows(engine, sql: str, **params) -> list:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def drain_after_stale_window(settings) -> int:
    """Run the outbox once as if the stale-claim window (10 min) had passed: rows left `sending`
    by a killed dispatcher are reclaimed then, not before."""
    from oms.db import make_engine, make_session_factory
    from oms_core.domain.model import utcnow
    from oms_core.outbox.dispatcher import build_dispatcher
    from oms_core.service_layer.unit_of_work import SqlAlchemyUnitOfWork

    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    try:
        return build_dispatcher(settings, lambda: SqlAlchemyUnitOfWork(factory)).run_once(utcnow() + timedelta(minutes=11))
    finally:
        engine.dispose()
