"""obligation states: form deliveries, office start dates, the reason of a manual mark

Revision ID: 0009
Revises: 0008

Marks written by the exports of earlier versions (an export marked every complete obligation
sent, whatever the package held) stay, as manual marks whose reason says so: the officer can
see them and undo them; nothing is silently lost or silently trusted.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

FORM_FACTS = [
    "programme_id",
    "form_code",
    "period",
    "owner_office",
    "deleted",
    "status",
    "completed_at",
    "sent_at",
    "updated_at",
]
KPI_BOARD = [
    "programme_id",
    "period",
    "owner_office",
    "indicator_code",
    "deleted",
    "value_num",
    "row_key",
]
OFFICE_SCOPE = ["code", "level", "deleted", "lao_type", "province_code", "district_code"]
EARLIER_EXPORT = "บันทึกโดยการส่งออกแพ็กเกจของรุ่นก่อน (ไม่ได้ตรวจว่าแพ็กเกจมีแบบฟอร์มนี้)"


def upgrade() -> None:
    with op.batch_alter_table("obligation_marks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))
    op.execute(
        sa.text(
            "UPDATE obligation_marks SET reason = :reason "
            "WHERE sent_at IN (SELECT started_at FROM exchange_sent)"
        ).bindparams(reason=EARLIER_EXPORT)
    )
    op.create_table(
        "form_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("owner_office", sa.String(length=32), nullable=False),
        sa.Column("programme_id", sa.String(length=36), nullable=False),
        sa.Column("form_code", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("package_uuid", sa.String(length=36), nullable=False),
        sa.Column("counterpart", sa.String(length=32), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=True),
        sa.Column("via", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_deliveries")),
        sa.UniqueConstraint(
            "direction",
            "owner_office",
            "programme_id",
            "form_code",
            "period",
            "package_uuid",
            name=op.f("uq_form_deliveries_direction"),
        ),
    )
    op.create_index(
        "ix_form_deliveries_form",
        "form_deliveries",
        ["programme_id", "form_code", "period"],
        unique=False,
    )
    op.create_table(
        "office_since",
        sa.Column("office_code", sa.String(length=32), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("office_code", name=op.f("pk_office_since")),
    )
    # The obligation states read one form and period of every LAO from the index alone (it
    # replaces the narrower index of 0005, a prefix of it).
    op.drop_index("ix_form_submissions_programme_form_period", table_name="form_submissions")
    op.create_index(
        "ix_form_submissions_facts",
        "form_submissions",
        FORM_FACTS,
        unique=False,
    )
    # The board and the KPI list sum one programme's values of one period for every LAO.
    op.create_index("ix_kpi_values_board", "kpi_values", KPI_BOARD, unique=False)
    # Which LAO a form row belongs to, from the index alone (the month view's counts).
    op.create_index("ix_offices_scope", "offices", OFFICE_SCOPE, unique=False)


def downgrade() -> None:
    op.drop_index("ix_offices_scope", table_name="offices")
    op.drop_index("ix_kpi_values_board", table_name="kpi_values")
    op.drop_index("ix_form_submissions_facts", table_name="form_submissions")
    op.create_index(
        "ix_form_submissions_programme_form_period",
        "form_submissions",
        ["programme_id", "form_code", "period"],
        unique=False,
    )
    op.drop_table("office_since")
    op.drop_index("ix_form_deliveries_form", table_name="form_deliveries")
    op.drop_table("form_deliveries")
    with op.batch_alter_table("obligation_marks", schema=None) as batch_op:
        batch_op.drop_column("reason")
