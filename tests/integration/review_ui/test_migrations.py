"""The review_ui Alembic branch creates the users table the code maps, and the queue's indexes."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from oms.db import make_engine, upgrade
from review_ui.users.tables import metadata


def _ours(obj, name, kind, reflected, compare_to) -> bool:
    if kind == "table":
        return name in metadata.tables
    return True


def _check(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": _ours})
            assert compare_metadata(context, metadata) == []
            indexes = {ix["name"] for ix in sa.inspect(conn).get_indexes("processed_messages")}
        assert {"ix_ui_messages_status_created", "ix_ui_messages_status_value"} <= indexes
    finally:
        engine.dispose()


def test_review_ui_migration_matches_the_users_table_on_sqlite(sqlite_url):
    _check(sqlite_url)


@pytest.mark.postgres
def test_review_ui_migration_matches_the_users_table_on_postgresql(postgres_url):
    _check(postgres_url)
