"""core: oms_raise(sqlstate, message), so one statement can fail its own transaction (PostgreSQL only).

The batched writes of a transaction (oms_core.adapters.deferred) are sent together with their
COMMIT in one round trip; a guard that finds its rows changed must therefore fail the statement
itself, not leave the check to Python after the commit. SQL has no RAISE outside PL/pgSQL, and a
failing constant expression (1/0, a bad cast) may be evaluated by the planner even when its CASE
branch is never taken; a VOLATILE function is only called when reached.

Revision ID: core_0002
Revises: core_0001
Create Date: 2026-11-25
"""
from __future__ import annotations

from alembic import op

revision = "core_0002"
down_revision = "core_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        CREATE OR REPLACE FUNCTION oms_raise(sqlstate text, message text) RETURNS boolean
        LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = sqlstate, MESSAGE = message;
        END $$""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS oms_raise(text, text)")
