"""The intake Alembic branch creates exactly the tables intake.store maps (no autogenerate diff)."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from intake.store import metadata
from oms.db import make_engine, upgrade


def _diff(url: str) -> list:
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_object": lambda obj, name, kind, reflected, compare_to: kind != "table"
                    or name in metadata.tables,
                },
            )
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def test_intake_migration_matches_the_metadata_on_sqlite(sqlite_url):
    assert _diff(sqlite_url) == []


@pytest.mark.postgres
def test_intake_migration_matches_the_metadata_on_postgresql(postgres_url):
    assert _diff(postgres_url) == []
