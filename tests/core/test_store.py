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
