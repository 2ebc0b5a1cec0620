"""exchange_received: what an Excel form wrote, and who entered it, so that it travels upward

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exchange_received", schema=None) as batch_op:
        # the records the form wrote (JSON Lines), as they travel on in upward packages
        batch_op.add_column(sa.Column("records", sa.LargeBinary(), nullable=True))
        # who entered the form, when and at which office (kept as it travels on)
        batch_op.add_column(sa.Column("provenance", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("exchange_received", schema=None) as batch_op:
        batch_op.drop_column("provenance")
        batch_op.drop_column("records")
