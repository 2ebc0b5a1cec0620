import pytest
from sqlalchemy import select

from db.models import AuditEntry, Plan, PlanItem
from db.store import ForeignRecordError, Store
from lev_desktop.services import programmes


def test_local_edit_bumps_revision_and_audits(lao_store: Store):
    pid = programmes.builtin_id("P1")
    with lao_store.session() as s:
        plan = Plan(programme_id=pid, fiscal_year=2568)
        s.add(plan)
    assert plan.owner_office == "4801006" and plan.revision == 1
    with lao_store.session() as s:
        plan = s.get(Plan, plan.id)
        plan.note = "แก้ไข"
    assert plan.revision == 2 and plan.updated_by == "นางสาวทดสอบ ใจดี"
    with lao_store.read() as s:
        actions = [
            a.action for a in s.scalars(select(AuditEntry).where(AuditEntry.record_id == plan.id))
        ]
    assert actions == ["insert", "update"]


def test_records_of_another_office_are_read_only(demo_store: Store):
    with pytest.raises(ForeignRecordError), demo_store.session() as s:
        item = s.scalars(select(PlanItem)).first()
        item.project = "แก้โดยอำเภอ"
    with demo_store.read() as s:
        assert "แก้โดยอำเภอ" not in [i.project for i in s.scalars(select(PlanItem))]


def test_outright_delete_is_refused(lao_store: Store):
    with lao_store.session() as s:
        plan = Plan(programme_id=programmes.builtin_id("P1"), fiscal_year=2569)
        s.add(plan)
    with pytest.raises(ValueError), lao_store.session() as s:
        s.delete(s.get(Plan, plan.id))


def test_sqlite_pragmas(lao_store: Store):
    with lao_store.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_store_no_longer_used_is_freed_with_everything_it_kept(tmp_path):
    """A store let go of is freed, with its engine and what it derived. Its commit listener
    was once registered on its sessionmaker's Session class: SQLAlchemy keeps such listeners
    in a table keyed weakly by that class, and the listener held the store, which held the
    class, so no store was ever freed. A program that opens packages, backups and test copies
    as stores kept every one, and every commit anywhere called the listeners of them all."""
    import gc
    import weakref

    from sqlalchemy import text

    store = Store(f"sqlite:///{tmp_path / 'once.db'}")
    store.upgrade()
    with store.session() as session:
        session.execute(text("select 1"))
    kept = store.derived("a figure", lambda: bytearray(1024))
    assert store.derived("a figure", lambda: None) is kept  # kept while nothing is written
    with store.session() as session:
        session.add(AuditEntry(table_name="t", record_id="r", action="update", changes={}))
    assert store.derived("a figure", lambda: None) is None  # a commit forgot it
    freed = weakref.ref(store)
    engine = weakref.ref(store.engine)
    store.dispose()
    del store, session, kept
    gc.collect()
    assert freed() is None
    assert engine() is None
