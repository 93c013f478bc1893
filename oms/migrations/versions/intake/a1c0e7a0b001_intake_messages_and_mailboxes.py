"""intake: inbound_messages, intake_mailboxes, intake_mailbox_copies

Revision ID: a1c0e7a0b001
Revises:
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa

revision = "a1c0e7a0b001"
down_revision = None
branch_labels = ("intake",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbound_messages",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("message_id", sa.Text()),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("raw_path", sa.Text(), nullable=False),
    )
    op.create_index("ix_inbound_messages_status_received", "inbound_messages", ["status", "received_at"])
    op.create_table(
        "intake_mailboxes",
        sa.Column("mailbox", sa.String(500), primary_key=True),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.Column("move_supported", sa.Boolean()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "intake_mailbox_copies",
        sa.Column("mailbox", sa.String(500), primary_key=True),
        sa.Column("message_key", sa.String(64), primary_key=True),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("uid", sa.BigInteger(), nullable=False),
        sa.Column("copied_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("intake_mailbox_copies")
    op.drop_table("intake_mailboxes")
    op.drop_index("ix_inbound_messages_status_received", table_name="inbound_messages")
    op.drop_table("inbound_messages")
