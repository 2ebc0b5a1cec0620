"""The activities' board key (db/migrations 0011): each activity carries the programme, year and
owner of its plan while its plan row and plan are live, kept by the database on every write, so
the board reads its F2 figures from one index instead of joining plan → rows → activities.

After every way the program writes (the screens' services, a session, bulk Core statements, the
import of a package and of a delta, the replacement after a reinstall, a plan whose year,
programme or owner changes) and after the migration of a database that already holds data, on
SQLite and on PostgreSQL: every activity's key is what its plan row and plan say, and the board's
figures equal those of the join. The key does not travel."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from continuity.test_reentered import reentered
from exchange.helpers import make_district, make_lao, members
from sqlalchemy import case, func, insert, select, text, update

from db import migrate
from db.models import Activity, Monitoring, Plan, PlanItem, Programme
from db.store import Store
from exports.reports.data import load_monitoring
from lev_desktop.deadlines import DeadlineBook, obligations_of
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import export_package
from lev_desktop.services import consolidation, demo, plans, programmes

KEY = ("board_programme_id", "board_fiscal_year", "board_owner")
FIGURES = ("activities_held", "participants", "budget_spent")
TODAY = dt.date(2025, 9, 20)


def expected_keys(store: Store) -> dict[str, tuple[Any, ...]]:
    """Each activity's key by the rule, worked out here from the three tables."""
    with store.engine.connect() as conn:
        plan_rows = {
            r.id: r
            for r in conn.execute(
                select(
                    Plan.id, Plan.programme_id, Plan.fiscal_year, Plan.owner_office, Plan.deleted
                )
            )
        }
        items = {
            r.id: r for r in conn.execute(select(PlanItem.id, PlanItem.plan_id, PlanItem.deleted))
        }
        out: dict[str, tuple[Any, ...]] = {}
        for activity_id, item_id in conn.execute(select(Activity.id, Activity.plan_item_id)):
            item = items.get(item_id)
            plan = plan_rows.get(item.plan_id) if item is not None else None
            if item is None or plan is None or item.deleted or plan.deleted:
                out[activity_id] = (None, None, None)
            else:
                out[activity_id] = (plan.programme_id, plan.fiscal_year, plan.owner_office)
    return out


def stored_keys(store: Store) -> dict[str, tuple[Any, ...]]:
    with store.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id, {', '.join(KEY)} FROM activities"))
        return {r[0]: tuple(r[1:]) for r in rows}


def join_figures(store: Store, programme_id: str, fiscal_year: int) -> dict[str, tuple[Any, ...]]:
    """The board's F2 figures per owner as the join gives them (the board's query before 0011)."""
    query = (
        select(
            Plan.owner_office,
            func.count(case((Activity.held(), 1))),
            func.sum(Activity.participants),
            func.sum(Activity.budget_spent),
        )
        .join(PlanItem, PlanItem.plan_id == Plan.id)
        .join(Activity, Activity.plan_item_id == PlanItem.id)
        .where(
            Plan.programme_id == programme_id,
            Plan.fiscal_year == fiscal_year,
            Plan.deleted.is_(False),
            PlanItem.deleted.is_(False),
            Activity.deleted.is_(False),
        )
        .group_by(Plan.owner_office)
    )
    with store.read() as session:
        return {
            owner: (
                int(held),
                None if people is None else int(people),
                None if spent is None else Decimal(spent).quantize(Decimal("0.01")),
            )
            for owner, held, people, spent in session.execute(query)
        }


def work_owners(store: Store, programme_id: str, fiscal_year: int) -> set[str]:
    """The owners with a live activity on a live row of a live plan (held or not)."""
    query = (
        select(Plan.owner_office)
        .join(PlanItem, PlanItem.plan_id == Plan.id)
        .join(Activity, Activity.plan_item_id == PlanItem.id)
        .where(
            Plan.programme_id == programme_id,
            Plan.fiscal_year == fiscal_year,
            Plan.deleted.is_(False),
            PlanItem.deleted.is_(False),
            Activity.deleted.is_(False),
        )
    )
    with store.read() as session:
        return set(session.scalars(query.distinct()))


def assert_in_step(store: Store, *, years: tuple[int, ...] = (2568, 2569)) -> None:
    """Every key as the rule says, some of them set; the board's figures equal the join's."""
    keys = stored_keys(store)
    assert keys == expected_keys(store)
    assert any(k[0] is not None for k in keys.values())
    with store.read() as session:
        programme = session.scalars(select(Programme).where(Programme.code == "P1")).one()
    results = next(o for o in obligations_of(programme) if o.form_kind == "results")
    for year in years:
        joined = join_figures(store, programme.id, year)
        board = consolidation.build_board(store, "P1", fiscal_year=year, today=TODAY)
        assert board.rows
        for row in board.rows:
            got = tuple(row.values[k] for k in FIGURES)
            assert got == joined.get(row.code, (None, None, None)), (year, row.code)
        # F3's activities held (unless the LAO entered its own number) and the deadline
        # engine's "has F2 work" read the same key.
        with store.read() as session:
            entered = set(
                session.scalars(
                    select(Monitoring.owner_office).where(
                        Monitoring.programme_id == programme.id,
                        Monitoring.fiscal_year == year,
                        Monitoring.deleted.is_(False),
                        Monitoring.activities_override.is_not(None),
                    )
                )
            )
        f3 = load_monitoring(store, store.office_code, year)
        assert f3.rows
        for f3_row in f3.rows:
            if f3_row.lao_code not in entered:
                held = joined.get(f3_row.lao_code, (0,))[0]
                assert f3_row.activities == held, (year, f3_row.lao_code)
        book = DeadlineBook(store, programmes=[programme.id], today_=TODAY)
        expected = work_owners(store, programme.id, year) & book.owners
        assert book.work(results, f"FY{year}") == expected
        assert expected or year != 2568


@pytest.fixture(params=["sqlite", "postgresql"])
def district(request, tmp_path: Path):
    """The demo district (15 LAOs with plans and activities), on SQLite or PostgreSQL."""
    url = (
        request.getfixturevalue("pg_url")
        if request.param == "postgresql"
        else f"sqlite:///{tmp_path / 'district.db'}"
    )
    store = Store(url)
    demo.fill(store)
    yield store
    store.dispose()


def test_every_write_keeps_the_key_and_the_board_equals_the_join(district):
    store = district
    assert_in_step(store)
    with store.read() as session:
        ordered = list(session.scalars(select(Plan).order_by(Plan.owner_office, Plan.id)))
        items = {p.id: [i.id for i in p.items] for p in ordered}
        activities = list(session.scalars(select(Activity).order_by(Activity.id)))
        p5 = session.scalars(select(Programme.id).where(Programme.code == "P5")).one()
    first, second, third, fourth = ordered[:4]
    counted = [a for a in activities if a.plan_item_id in items[first.id]]
    assert counted

    # A session (as the import of a single record and the services write): an activity moved
    # to another office's plan row, a row tombstoned, a plan to another year and one to another
    # programme, a plan tombstoned, new activities: one owned by another office than its plan's,
    # one under a tombstoned row.
    with store.session(importing=True) as session:
        session.get(Activity, counted[0].id).plan_item_id = items[second.id][0]
        session.get(PlanItem, items[second.id][1]).deleted = True
        session.get(Plan, third.id).fiscal_year = 2569
        session.get(Plan, fourth.id).programme_id = p5
        session.get(Plan, first.id).deleted = True
        for item_id, owner in (
            (items[second.id][0], "4801999"),
            (items[second.id][1], second.owner_office),
        ):
            session.add(
                Activity(
                    id=str(uuid.uuid4()),
                    owner_office=owner,
                    plan_item_id=item_id,
                    held_on=dt.date(2025, 1, 5),
                    outputs="จัดแล้ว",
                    participants=7,
                    budget_spent=Decimal("1250.50"),
                    attachments=[],
                )
            )
    assert_in_step(store)

    # Plain statements (the importer's bulk writes, the replacement's tombstones): the plan
    # live again, a row moved to another plan, another owner, and a whole LAO inserted in bulk.
    with store.session(importing=True) as session:
        session.execute(update(Plan).where(Plan.id == first.id).values(deleted=False))
        session.execute(
            update(PlanItem).where(PlanItem.id == items[first.id][-1]).values(plan_id=third.id)
        )
        session.execute(update(Plan).where(Plan.id == second.id).values(owner_office="4801998"))
        session.execute(  # an LAO whose activities are all tombstones: no F2 work
            update(Activity)
            .where(Activity.owner_office == ordered[4].owner_office)
            .values(deleted=True)
        )
        session.execute(
            update(PlanItem).where(PlanItem.id == items[second.id][1]).values(deleted=False)
        )
        session.execute(
            insert(Activity.__table__).values(
                id=str(uuid.uuid4()),
                owner_office=third.owner_office,
                revision=1,
                updated_at=dt.datetime(2025, 1, 1),
                updated_by="",
                deleted=False,
                plan_item_id=items[third.id][0],  # (not held: no date, no result)
                title="",
                place="",
                outputs="",
                problems="",
                remedies="",
                attachments=[],
            )
        )
    assert_in_step(store)


def test_the_screens_services_keep_the_key(lao_store):
    """At an LAO: an activity saved, moved to another row and deleted, a row deleted."""
    store = lao_store
    demo.fill(store)
    with store.read() as session:
        plan = session.scalars(select(Plan).where(Plan.fiscal_year == 2568)).first()
        item_ids = [i.id for i in plan.items]
        activity = session.scalars(
            select(Activity).where(Activity.plan_item_id == item_ids[0])
        ).first()
    new = str(uuid.uuid4())
    plans.save_activity(
        store,
        plan.programme_id,
        2568,
        {"id": new, "plan_item_id": item_ids[1], "held_on": dt.date(2025, 2, 1), "outputs": "ได้ผล"},
    )
    plans.save_activity(
        store, plan.programme_id, 2568, {"id": activity.id, "plan_item_id": item_ids[2]}
    )
    plans.apply_item_changes(store, plan.programme_id, 2568, deletes=[item_ids[1]])
    assert stored_keys(store)[new] == (None, None, None)
    assert stored_keys(store)[activity.id] == (plan.programme_id, 2568, store.office_code)
    assert stored_keys(store) == expected_keys(store)
    plans.apply_item_changes(store, plan.programme_id, 2568, upserts=[{"id": item_ids[1]}])
    plans.delete_activity(store, plan.programme_id, 2568, activity.id)
    assert stored_keys(store)[new] == (plan.programme_id, 2568, store.office_code)
    assert stored_keys(store) == expected_keys(store)


@pytest.mark.parametrize("order", [(Activity, PlanItem, Plan), (Activity, Plan, PlanItem)])
def test_rows_written_before_their_plan_get_the_key(empty_store, order):
    """The importer defers SQLite's foreign-key checks to the commit: an activity written
    before its plan row, and the row before its plan, get their key once the parents come."""
    programmes.seed_builtins(empty_store)
    records = demo.lao_records("4801001", random.Random(3))
    with empty_store.session(importing=True) as session:
        session.connection().exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        for model in order:
            session.execute(insert(model), records[model])
    keys = stored_keys(empty_store)
    assert len(keys) == len(records[Activity]) and None not in {k[0] for k in keys.values()}
    assert keys == expected_keys(empty_store)


@pytest.fixture(params=["sqlite", "postgresql"])
def receiver(request, tmp_path: Path):
    path = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    store = make_district(path or tmp_path / "district.db")
    yield store
    store.dispose()


def test_imports_keep_the_key_and_it_does_not_travel(receiver, tmp_path: Path, clock):
    """A package, a delta that moves an activity and deletes a row (the upserts), and the plan
    typed in again after a reinstall (the earlier one tombstoned with its rows)."""
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=6)
    package = export_package(lao, "D4801", tmp_path / "first.levpkg").path
    sent = json.loads(members(package)["payload/activities.jsonl"].splitlines()[0])
    assert not [k for k in sent if k.startswith("board_")]
    _plan, result = importer.import_files(receiver, [package], trust=True)
    assert len(result.imported) == 1
    assert_in_step(receiver, years=(2568,))

    clock.advance(seconds=2)
    with lao.read() as session:
        plan = session.scalars(select(Plan).where(Plan.fiscal_year == 2568)).one()
        item_ids = [i.id for i in plan.items]
        moved = session.scalars(
            select(Activity).where(Activity.plan_item_id == item_ids[0])
        ).first()
    plans.save_activity(
        lao, plan.programme_id, 2568, {"id": moved.id, "plan_item_id": item_ids[-1]}
    )
    plans.apply_item_changes(lao, plan.programme_id, 2568, deletes=[item_ids[1]])
    delta = export_package(lao, "D4801", tmp_path / "delta.levpkg", since_last=True)
    assert delta.kind == "delta"
    _plan, result = importer.import_files(receiver, [delta.path])
    assert result.counts()["updated"] >= 2
    assert stored_keys(receiver)[moved.id] == (plan.programme_id, 2568, "4801006")
    assert_in_step(receiver, years=(2568,))

    path = reentered(lao, tmp_path, "again")
    _plan, result = importer.import_files(receiver, [path], replace=True)
    assert len(result.imported) == 1, [p.reason for p in result.refused]
    assert stored_keys(receiver)[moved.id] == (None, None, None)  # the earlier plan's
    assert_in_step(receiver, years=(2568,))
    lao.dispose()


def _first(table: str, n: int, order: str = "id") -> str:
    return f"(SELECT id FROM {table} ORDER BY {order} LIMIT {n})"


ODD = [
    # what the board's join counts differently from the activities' own columns
    f"UPDATE plan_items SET deleted = {{true}} WHERE id IN {_first('plan_items', 9)}",
    f"UPDATE plans SET deleted = {{true}} WHERE id IN {_first('plans', 2)}",
    f"UPDATE activities SET owner_office = 'X' WHERE id IN {_first('activities', 9)}",
    f"UPDATE plans SET fiscal_year = 2569 WHERE id IN {_first('plans', 2, 'id DESC')}",
]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_migration_fills_the_key_of_a_database_with_data(kind, request, tmp_path: Path):
    url = (
        request.getfixturevalue("pg_url")
        if kind == "postgresql"
        else f"sqlite:///{tmp_path / 'old.db'}"
    )
    store = Store(url)
    migrate_down(store)
    demo.fill(store)
    true = "1" if kind == "sqlite" else "true"
    with store.engine.begin() as conn:
        for statement in ODD:
            conn.execute(text(statement.format(true=true)))
        assert "board_owner" not in {c["name"] for c in _columns(conn)}

    store.upgrade()
    assert migrate.current_revision(store) == migrate.head_revision()
    keys = stored_keys(store)
    assert keys == expected_keys(store)
    assert sum(k == (None, None, None) for k in keys.values()) >= 9
    assert_in_step(store)

    # Down again: the columns, the index and the triggers go; up again: filled again.
    migrate_down(store)
    with store.engine.connect() as conn:
        assert "board_owner" not in {c["name"] for c in _columns(conn)}
    with store.session(importing=True) as session:  # (a write while there is no trigger)
        session.get(PlanItem, session.scalars(select(PlanItem.id).limit(1)).one()).deleted = True
    store.upgrade()
    assert stored_keys(store) == expected_keys(store)
    store.dispose()


def _columns(conn: Any) -> list[dict[str, Any]]:
    from sqlalchemy import inspect

    return inspect(conn).get_columns("activities")


def migrate_down(store: Store) -> None:
    from alembic import command

    with store.engine.connect() as connection, connection.begin():
        config = migrate.alembic_config(store)
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")
