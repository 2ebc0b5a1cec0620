"""activities' board key: the programme, year and owner of their live plan, kept by the database

Revision ID: 0011
Revises: 0010

The national board sums one programme's F2 activities of one year per LAO. Joined
plan → rows → activities that was ~35,000 index seeks on text keys (130–160 ms of the
nation's P1 board). Each activity now carries the key the board groups it by, from one
covering index: ``board_programme_id``, ``board_fiscal_year`` and ``board_owner`` are its
plan's ``programme_id``, ``fiscal_year`` and ``owner_office`` while the activity's plan row
and that row's plan are both live (not tombstones), and NULL otherwise (a row or plan
deleted, or none found). The owner is the PLAN's: the board groups by it, and nothing
forces an activity's own ``owner_office`` to equal its plan's.

The columns are derived, not part of the record: the models do not name them (so they never
travel in a package nor are written by the program), and the database keeps them in step
with triggers on every write to the three tables, whatever writes it (the screens' sessions,
the importer's bulk statements, a restore, the replacement after a reinstall). The one rule
is ``BOARD_KEY`` below; the triggers and the back-fill only choose which activities it is
applied to.

The same index serves F3's count of activities held and the deadline engine's F2 work, the
other national joins of plan → rows → activities, so 0010's ``ix_activities_board`` (of those
joins) is dropped: it cost every activity written as much as this one.

A later migration that rebuilds ``activities``, ``plan_items`` or ``plans`` on SQLite (batch
mode copies the table) drops these triggers with the old table: it must create them again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

COLUMNS = ("board_programme_id", "board_fiscal_year", "board_owner")
INDEX = "ix_activities_board_key"
INDEX_COLUMNS = [
    "board_programme_id",
    "board_fiscal_year",
    "deleted",
    "board_owner",
    "held_on",
    "participants",
    "budget_spent",
    "outputs",
]

OLD_INDEX = "ix_activities_board"
OLD_INDEX_COLUMNS = [
    "plan_item_id",
    "deleted",
    "held_on",
    "participants",
    "budget_spent",
    "outputs",
]


def board_key(live: str) -> str:
    """The rule: the board key of ``activities``' current row (its plan row, if live, and that
    row's plan, if live), as one row (NULLs when there is none). ``live`` is the dialect's
    "not deleted" of a column (SQLite: ``{} = 0``, PostgreSQL: ``NOT {}``)."""
    return (
        "(SELECT p.programme_id, p.fiscal_year, p.owner_office"
        " FROM plan_items i JOIN plans p ON p.id = i.plan_id"
        f" WHERE i.id = activities.plan_item_id AND {live.format('i.deleted')}"
        f" AND {live.format('p.deleted')})"
    )


def refresh(live: str, where: str) -> str:
    """The statement that sets the board key of the activities ``where`` says."""
    return f"UPDATE activities SET ({', '.join(COLUMNS)}) = {board_key(live)} WHERE {where}"


# Which activities a write concerns (NEW: the row the trigger fires for).
OF_ACTIVITY = "activities.id = NEW.id"
OF_ITEM = "activities.plan_item_id = NEW.id"
OF_PLAN = "activities.plan_item_id IN (SELECT id FROM plan_items WHERE plan_id = NEW.id)"
PLAN_FIELDS = ("programme_id", "fiscal_year", "owner_office", "deleted")
ITEM_FIELDS = ("plan_id", "deleted")


def _changed(fields: tuple[str, ...], differ: str) -> str:
    return " OR ".join(f"NEW.{f} {differ} OLD.{f}" for f in fields)


SQLITE_LIVE = "{} = 0"
# (an activity's own key is set after it is written: a SQLite trigger cannot change NEW)
SQLITE_TRIGGERS = {
    "tr_activities_board_insert": (
        "AFTER INSERT ON activities",
        OF_ACTIVITY,
    ),
    "tr_activities_board_move": (
        "AFTER UPDATE OF plan_item_id ON activities WHEN NEW.plan_item_id IS NOT OLD.plan_item_id",
        OF_ACTIVITY,
    ),
    "tr_plan_items_board_insert": ("AFTER INSERT ON plan_items", OF_ITEM),
    "tr_plan_items_board_update": (
        f"AFTER UPDATE OF {', '.join(ITEM_FIELDS)} ON plan_items"
        f" WHEN {_changed(ITEM_FIELDS, 'IS NOT')}",
        OF_ITEM,
    ),
    "tr_plans_board_insert": ("AFTER INSERT ON plans", OF_PLAN),
    "tr_plans_board_update": (
        f"AFTER UPDATE OF {', '.join(PLAN_FIELDS)} ON plans WHEN {_changed(PLAN_FIELDS, 'IS NOT')}",
        OF_PLAN,
    ),
}

PG_LIVE = "NOT {}"
# On PostgreSQL an activity's own key is set before it is written (BEFORE trigger on NEW).
PG_FUNCTIONS = {
    "activities_board_key": f"""
        BEGIN
            IF TG_OP = 'INSERT' OR NEW.plan_item_id IS DISTINCT FROM OLD.plan_item_id THEN
                SELECT p.programme_id, p.fiscal_year, p.owner_office
                INTO NEW.board_programme_id, NEW.board_fiscal_year, NEW.board_owner
                FROM plan_items i JOIN plans p ON p.id = i.plan_id
                WHERE i.id = NEW.plan_item_id AND {PG_LIVE.format("i.deleted")}
                AND {PG_LIVE.format("p.deleted")};
            END IF;
            RETURN NEW;
        END""",
    "plan_items_board_key": f"""
        BEGIN
            IF TG_OP = 'INSERT' OR {_changed(ITEM_FIELDS, "IS DISTINCT FROM")} THEN
                {refresh(PG_LIVE, OF_ITEM)};
            END IF;
            RETURN NULL;
        END""",
    "plans_board_key": f"""
        BEGIN
            IF TG_OP = 'INSERT' OR {_changed(PLAN_FIELDS, "IS DISTINCT FROM")} THEN
                {refresh(PG_LIVE, OF_PLAN)};
            END IF;
            RETURN NULL;
        END""",
}
PG_TRIGGERS = {
    "tr_activities_board": (
        "BEFORE INSERT OR UPDATE OF plan_item_id ON activities",
        "activities_board_key",
    ),
    "tr_plan_items_board": (
        f"AFTER INSERT OR UPDATE OF {', '.join(ITEM_FIELDS)} ON plan_items",
        "plan_items_board_key",
    ),
    "tr_plans_board": (
        f"AFTER INSERT OR UPDATE OF {', '.join(PLAN_FIELDS)} ON plans",
        "plans_board_key",
    ),
}


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # (plain ADD COLUMN on SQLite too: no copy of the table)
    op.add_column("activities", sa.Column("board_programme_id", sa.String(36), nullable=True))
    op.add_column("activities", sa.Column("board_fiscal_year", sa.Integer(), nullable=True))
    op.add_column("activities", sa.Column("board_owner", sa.String(32), nullable=True))
    live = SQLITE_LIVE if sqlite else PG_LIVE
    op.execute(refresh(live, "TRUE" if not sqlite else "1"))
    if sqlite:
        for name, (when, which) in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} BEGIN {refresh(live, which)}; END")
    else:
        for name, body in PG_FUNCTIONS.items():
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$")
        for name, (when, function) in PG_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW EXECUTE FUNCTION {function}()")
    # PostgreSQL refuses an index entry over ~2,700 bytes (a long result text): there the
    # index leaves ``outputs`` out, as 0010's does. Only the activities the board counts are
    # in it: an activity is written without its key first on SQLite (the trigger sets it
    # after), and an entry made then only to be moved at once cost the province's import
    # ~18 ms of its commit's ~300 ms.
    columns = INDEX_COLUMNS if sqlite else [c for c in INDEX_COLUMNS if c != "outputs"]
    where = sa.text("board_programme_id IS NOT NULL")
    op.create_index(
        INDEX, "activities", columns, unique=False, sqlite_where=where, postgresql_where=where
    )
    # 0010's activities index served the joins this index replaces (the board's and F3's
    # figures, the deadline engine's F2 work); every activity written kept it up to date
    # (~30 ms of the province's import commit). What reads one LAO's activities by row has
    # ``ix_activities_plan_item_id``.
    op.drop_index(OLD_INDEX, table_name="activities")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_index(
        OLD_INDEX,
        "activities",
        OLD_INDEX_COLUMNS if sqlite else [c for c in OLD_INDEX_COLUMNS if c != "outputs"],
        unique=False,
    )
    op.drop_index(INDEX, table_name="activities")
    if sqlite:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    else:
        for name, (when, _function) in PG_TRIGGERS.items():
            table = when.rsplit(" ON ", 1)[1]
            op.execute(f"DROP TRIGGER {name} ON {table}")
        for name in PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION {name}()")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        for column in reversed(COLUMNS):
            batch_op.drop_column(column)
