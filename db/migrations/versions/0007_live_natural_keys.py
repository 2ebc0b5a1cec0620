"""natural keys unique among live records only: a tombstone keeps its key

One plan per office, programme and fiscal year (and one monitoring form, one indicator value per
period and row, one form status per period) — among the records that are not deleted. A record
an office re-entered after a reinstall replaces the earlier one, which stays as a tombstone
(it travels, and the audit log says why): both have the same natural key.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# table → (the unique constraint of 0001, the partial unique index that replaces it, columns)
NATURAL_KEYS = {
    "plans": (
        "uq_plans_owner_office_programme_id_fiscal_year",
        "ux_plans_live_natural_key",
        ["owner_office", "programme_id", "fiscal_year"],
    ),
    "monitoring": (
        "uq_monitoring_owner_office_programme_id_fiscal_year",
        "ux_monitoring_live_natural_key",
        ["owner_office", "programme_id", "fiscal_year"],
    ),
    "kpi_values": (
        "uq_kpi_values_owner_office_programme_id_indicator_code_period_row_key",
        "ux_kpi_values_live_natural_key",
        ["owner_office", "programme_id", "indicator_code", "period", "row_key"],
    ),
    "form_submissions": (
        "uq_form_submissions_owner_office_programme_id_form_code_period",
        "ux_form_submissions_live_natural_key",
        ["owner_office", "programme_id", "form_code", "period"],
    ),
}


def upgrade() -> None:
    for table, (constraint, index, columns) in NATURAL_KEYS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(constraint), type_="unique")
        op.create_index(
            index,
            table,
            columns,
            unique=True,
            sqlite_where=sa.text("deleted = 0"),
            postgresql_where=sa.text("deleted = false"),
        )


def downgrade() -> None:
    for table, (constraint, index, columns) in NATURAL_KEYS.items():
        op.drop_index(index, table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_unique_constraint(op.f(constraint), columns)
