"""deadlines: obligation marks, the holiday table (seeded with Thai holidays 2564–2570) and an
index of form submissions by programme, form and period

Revision ID: 0005
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "obligation_marks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("office", sa.String(length=32), nullable=False),
        sa.Column("programme_code", sa.String(length=32), nullable=False),
        sa.Column("obligation_code", sa.String(length=64), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligation_marks")),
        sa.UniqueConstraint(
            "office",
            "programme_code",
            "obligation_code",
            "due",
            name=op.f("uq_obligation_marks_office_programme_code_obligation_code_due"),
        ),
    )
    with op.batch_alter_table("obligation_marks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_obligation_marks_office"), ["office"], unique=False)
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_form_submissions_programme_form_period",
            ["programme_id", "form_code", "period"],
            unique=False,
        )
    holidays = op.create_table(
        "holidays",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_holidays")),
    )
    from lev_desktop.deadlines.holidays_th import seed_holidays

    op.bulk_insert(
        holidays, [{"day": day, "name": name, "source": "seed"} for day, name in seed_holidays()]
    )


def downgrade() -> None:
    op.drop_table("holidays")
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_form_submissions_programme_form_period")
    with op.batch_alter_table("obligation_marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_obligation_marks_office"))
    op.drop_table("obligation_marks")
