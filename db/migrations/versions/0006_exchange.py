"""exchange: trusted keys, received/sent packages, conflicts

Revision ID: 0006
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_trusted_keys",
        sa.Column("office_code", sa.String(length=32), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("trusted_at", sa.DateTime(), nullable=False),
        sa.Column("trusted_by", sa.String(length=120), nullable=False),
        sa.Column("via", sa.String(length=32), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("office_code", name=op.f("pk_exchange_trusted_keys")),
    )
    op.create_table(
        "exchange_received",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("sender", sa.String(length=32), nullable=False),
        sa.Column("sender_name", sa.String(length=200), nullable=False),
        sa.Column("recipient", sa.String(length=32), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("base_uuid", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=120), nullable=False),
        sa.Column("relayed_by", sa.String(length=32), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("signed", sa.Boolean(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("manifest", sa.LargeBinary(), nullable=True),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=True),
        sa.Column("container", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_exchange_received")),
    )
    op.create_index(
        op.f("ix_exchange_received_sender"), "exchange_received", ["sender"], unique=False
    )
    op.create_index(
        op.f("ix_exchange_received_imported_at"), "exchange_received", ["imported_at"], unique=False
    )
    op.create_table(
        "exchange_sent",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("recipient", sa.String(length=32), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("base_uuid", sa.String(length=36), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("embedded", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_exchange_sent")),
    )
    op.create_index(
        op.f("ix_exchange_sent_recipient"), "exchange_sent", ["recipient"], unique=False
    )
    op.create_table(
        "exchange_conflicts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("owner_office", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("package_uuid", sa.String(length=36), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("winner", sa.String(length=8), nullable=False),
        sa.Column("kept", sa.JSON(), nullable=False),
        sa.Column("other", sa.JSON(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=120), nullable=False),
        sa.Column("resolution", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_conflicts")),
    )
    op.create_index(
        op.f("ix_exchange_conflicts_record_id"), "exchange_conflicts", ["record_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_exchange_conflicts_record_id"), table_name="exchange_conflicts")
    op.drop_table("exchange_conflicts")
    op.drop_index(op.f("ix_exchange_sent_recipient"), table_name="exchange_sent")
    op.drop_table("exchange_sent")
    op.drop_index(op.f("ix_exchange_received_imported_at"), table_name="exchange_received")
    op.drop_index(op.f("ix_exchange_received_sender"), table_name="exchange_received")
    op.drop_table("exchange_received")
    op.drop_table("exchange_trusted_keys")
