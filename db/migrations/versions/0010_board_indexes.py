"""board indexes: the consolidation board's plan figures from the indexes alone

Revision ID: 0010
Revises: 0009

The national board sums one programme's F1 rows and F2 activities of one year for 7,850
LAOs: with these covering indexes the join plan → rows → activities reads no table row.
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_plans_board": ("plans", ["programme_id", "fiscal_year", "deleted", "owner_office", "id"]),
    "ix_plan_items_board": (
        "plan_items",
        ["plan_id", "deleted", "id", "budget", "planned_activities"],
    ),
    "ix_activities_board": (
        "activities",
        ["plan_item_id", "deleted", "held_on", "participants", "budget_spent", "outputs"],
    ),
}


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, (table, columns) in INDEXES.items():
        if not sqlite:
            # PostgreSQL refuses an index entry over ~2,700 bytes (a long result text), and
            # joins by hashing there: the activities' index leaves the text out.
            columns = [c for c in columns if c != "outputs"]
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
