"""the reply outbox and the inbound inbox: answers written with their turn, updates kept before acknowledged

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 10:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbound_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_account_id", sa.Integer(), nullable=False),
        sa.Column("replies", sa.JSON(), nullable=False),
        sa.Column("delivered", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("pending", "sent", "failed", name="replystatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["chat_account_id"],
            ["chat_accounts.id"],
            name=op.f("fk_outbound_replies_chat_account_id_chat_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbound_replies")),
    )
    with op.batch_alter_table("outbound_replies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbound_replies_chat_account_id"), ["chat_account_id"], unique=False
        )
        batch_op.create_index(
            "ix_outbound_replies_status_next_attempt_at", ["status", "next_attempt_at"], unique=False
        )

    op.create_table(
        "inbound_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum("telegram", "teams", "console", name="chatchannel", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("update_id", sa.String(length=200), nullable=False),
        sa.Column("chat_key", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_updates")),
        sa.UniqueConstraint("channel", "update_id", name="uq_inbound_updates_channel_update_id"),
    )


def downgrade() -> None:
    op.drop_table("inbound_updates")
    with op.batch_alter_table("outbound_replies", schema=None) as batch_op:
        batch_op.drop_index("ix_outbound_replies_status_next_attempt_at")
        batch_op.drop_index(batch_op.f("ix_outbound_replies_chat_account_id"))
    op.drop_table("outbound_replies")
