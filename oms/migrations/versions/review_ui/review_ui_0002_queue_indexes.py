"""review_ui: indexes for the review queue's sort orders and the order list (read paths of the UI).

The queue walks processed_messages by (status, created_at) and (status, value); the order list
by created_at. Without them every queue page scans the whole table, JSON columns and all.

Revision ID: review_ui_0002
Revises: review_ui_0001
Create Date: 2025-01-01
"""
from __future__ import annotations

from alembic import op

revision = "review_ui_0002"
down_revision = "review_ui_0001"
branch_labels = None
depends_on = "core_0001"  # the core's tables must exist first

INDEXES = (
    ("ix_ui_messages_status_created", "processed_messages", ["status", "created_at", "message_key"]),
    ("ix_ui_messages_status_value", "processed_messages", ["status", "value"]),
    ("ix_ui_messages_status_customer", "processed_messages", ["status", "customer_id"]),
    ("ix_ui_messages_status_format", "processed_messages", ["status", "format"]),
    ("ix_ui_messages_created", "processed_messages", ["created_at"]),
    ("ix_ui_orders_created", "orders", ["created_at"]),
    ("ix_ui_outbox_kind", "outbox", ["kind", "status"]),
)


# On SQLite the queue's key query can be answered from the index alone when it also holds the
# reason codes (the reason filter reads them); PostgreSQL cannot put a json column in a b-tree.
SQLITE_COVERING = {"ix_ui_messages_status_created": ["review_reasons"], "ix_ui_messages_status_value": ["message_key", "review_reasons"]}


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns + (SQLITE_COVERING.get(name, []) if sqlite else []))


def downgrade() -> None:
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
