"""Several workstations on one database (a province office with several clerks on PostgreSQL):
the second of two saves of one record is refused with the other's change shown; nothing is
lost silently. Run against a real PostgreSQL server (LEV_TEST_PG_URL) and, for the same
rules, against one SQLite file opened by two programs (the command line beside the window)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import PlanItem
from db.store import StaleRecordError, Store
from lev_desktop import options
from lev_desktop.errors import describe_error
from lev_desktop.services import plans as ps
from lev_desktop.services.offices import initialise
from lev_desktop.services.plans import programme_by_code

FY = 2568
ROW_A = "00000000-0000-4000-8000-00000000000a"
ROW_B = "00000000-0000-4000-8000-00000000000b"


def _workstations(url: str) -> tuple[Store, Store]:
    first = Store(url)
    initialise(
        first,
        level="province",
        code="P48",
        name="สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนครพนม",
        province_code="48",
        officer="นางสาวสมใจ ใจดี",
    )
    second = Store(url)
    # Each workstation's clerk (the audit log and the refusal say who saved); on a server the
    # name is kept per computer (here both "computers" share one data folder: set it directly).
    second.officer = "นายสมชาย รักษ์โลก"
    assert (first.officer, second.officer) == ("นางสาวสมใจ ใจดี", "นายสมชาย รักษ์โลก")
    p1 = programme_by_code(first, "P1").id
    ps.apply_item_changes(
        first,
        p1,
        FY,
        upserts=[
            {"id": ROW_A, "seq": 1, "project": "อบรมเครือข่าย อถล.", "budget": "10000"},
            {"id": ROW_B, "seq": 2, "project": "LEV Week", "budget": "50000"},
        ],
    )
    return first, second


@pytest.fixture(params=["postgresql", "sqlite"])
def two_clerks(request, tmp_path: Path):
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
    else:
        url = f"sqlite:///{tmp_path / 'shared.db'}"
    first, second = _workstations(url)
    yield first, second
    first.dispose()
    second.dispose()


def _project(store: Store, row: str) -> str:
    with store.read() as session:
        return session.get(PlanItem, row).project


def test_second_save_of_one_record_is_refused_with_the_others_change(two_clerks):
    first, second = two_clerks
    p1 = programme_by_code(first, "P1").id
    # Both clerks open the plan.
    ps.load_plan(first, "P48", p1, FY)
    ps.load_plan(second, "P48", p1, FY)
    # The first saves a change to row A.
    ps.apply_item_changes(first, p1, FY, upserts=[{"id": ROW_A, "project": "อบรมแกนนำ อถล."}])
    # The second, still looking at the old row A, saves another change to it: refused.
    with pytest.raises(StaleRecordError) as refused:
        ps.apply_item_changes(second, p1, FY, upserts=[{"id": ROW_A, "budget": "12000"}])
    error = refused.value
    assert (error.table, error.record_id, error.seen, error.current) == ("plan_items", ROW_A, 1, 2)
    assert error.changes == {"project": ["อบรมเครือข่าย อถล.", "อบรมแกนนำ อถล."]}
    message = describe_error(error)
    assert message.startswith("มีผู้ใช้อีกเครื่องบันทึกรายการนี้หลังจากที่ท่านเปิดดู การแก้ไขของท่านจึงยังไม่ถูกบันทึก")
    assert "บันทึกโดย นางสาวสมใจ ใจดี" in message
    assert "โครงการ: “อบรมเครือข่าย อถล.” → “อบรมแกนนำ อถล.”" in message
    # Nothing of the refused save was written; the first clerk's change stands.
    with first.read() as session:
        row = session.get(PlanItem, ROW_A)
        assert (row.project, row.budget, row.revision) == ("อบรมแกนนำ อถล.", 10000, 2)
    # A change to another row, and the same change after reloading, go through.
    ps.apply_item_changes(second, p1, FY, upserts=[{"id": ROW_B, "budget": "55000"}])
    ps.load_plan(second, "P48", p1, FY)
    ps.apply_item_changes(second, p1, FY, upserts=[{"id": ROW_A, "budget": "12000"}])
    with first.read() as session:
        row = session.get(PlanItem, ROW_A)
        assert (row.project, row.budget, row.revision) == ("อบรมแกนนำ อถล.", 12000, 3)


def test_a_clerk_keeps_saving_the_rows_he_just_saved(two_clerks):
    """Saves of one workstation follow each other without refusing itself."""
    first, _second = two_clerks
    p1 = programme_by_code(first, "P1").id
    ps.load_plan(first, "P48", p1, FY)
    for budget in ("11000", "11500", "11800"):
        ps.apply_item_changes(first, p1, FY, upserts=[{"id": ROW_A, "budget": budget}])
    assert _project(first, ROW_A) == "อบรมเครือข่าย อถล."
    with first.read() as session:
        assert session.get(PlanItem, ROW_A).revision == 4


def test_two_saves_at_the_same_moment_one_wins_one_is_refused(two_clerks):
    """Both read revision 1 in their own transaction; the database decides: the UPDATE of the
    second waits for the first's row lock (PostgreSQL) or the file lock (SQLite), then finds
    the revision gone and writes nothing."""
    first, second = two_clerks
    second_read, gate = threading.Event(), threading.Event()
    outcome: dict[str, BaseException | None] = {}

    def clerk(store: Store, name: str, text: str, read: threading.Event, write_when) -> None:
        try:
            with store.session() as session:
                row = session.get(PlanItem, ROW_A)
                assert row.revision == 1
                read.set()
                write_when()
                row.project = text
        except BaseException as exc:  # the test looks at what happened
            outcome[name] = exc
        else:
            outcome[name] = None

    # The second clerk reads; the first reads, writes and commits; then the second writes.
    two = threading.Thread(
        target=clerk,
        args=(second, "second", "ฉบับของคนที่สอง", second_read, lambda: gate.wait(20)),
    )
    two.start()
    assert second_read.wait(20)
    one = threading.Thread(
        target=clerk, args=(first, "first", "ฉบับของคนแรก", threading.Event(), lambda: None)
    )
    one.start()
    one.join(20)
    gate.set()
    two.join(20)
    assert outcome["first"] is None
    assert isinstance(outcome["second"], StaleRecordError)
    assert outcome["second"].table == "plan_items"
    assert _project(first, ROW_A) == "ฉบับของคนแรก"
    with first.read() as session:
        assert session.scalar(select(PlanItem.revision).where(PlanItem.id == ROW_A)) == 2
    assert describe_error(outcome["second"]).startswith("มีผู้ใช้อีกเครื่องบันทึกรายการนี้")


def test_the_plan_editor_shows_the_refusal_and_the_other_clerks_version(
    qtbot, tmp_path: Path, qapp
):
    """Two programs on one database file (or two workstations on a server): the grid of the
    first still shows row A as it was; its edit is refused in Thai and the grid reloads."""
    from PySide6.QtCore import Qt

    from ui import thai_wrap
    from ui.app import make_application, wire_runner
    from ui.context import AppContext
    from ui.models.plan_model import PLAN_COLUMNS
    from ui.screens.plans import PlanEditor

    make_application()
    first, second = _workstations(f"sqlite:///{tmp_path / 'shared.db'}")
    ctx = AppContext(first, settings=options.load_all(first))
    wire_runner(ctx.runner)
    p1 = programme_by_code(second, "P1").id
    editor = PlanEditor(ctx)
    qtbot.addWidget(editor)
    editor.resize(1093, 500)
    editor.show()
    editor.load("P48", p1, FY)
    qtbot.waitUntil(lambda: editor.model.rowCount() == 2, timeout=15000)
    ps.load_plan(second, "P48", p1, FY)
    ps.apply_item_changes(second, p1, FY, upserts=[{"id": ROW_A, "project": "อบรมแกนนำ อถล."}])

    column = [c.key for c in PLAN_COLUMNS].index("budget")
    row = editor.model.row_of(ROW_A)
    editor.model.setData(editor.model.index(row, column), "12000", Qt.ItemDataRole.EditRole)

    def message() -> str:  # as the clerk reads it (the label shows Thai break opportunities)
        return thai_wrap.plain(editor.message.text())

    qtbot.waitUntil(lambda: "มีผู้ใช้อีกเครื่อง" in message(), timeout=15000)
    assert "“อบรมเครือข่าย อถล.” → “อบรมแกนนำ อถล.”" in message()
    qtbot.waitUntil(
        lambda: editor.model.rows[editor.model.row_of(ROW_A)].project == "อบรมแกนนำ อถล.",
        timeout=15000,
    )
    assert _project(first, ROW_A) == "อบรมแกนนำ อถล."
    with first.read() as session:
        assert session.get(PlanItem, ROW_A).budget == 10000  # the refused change is not there
    editor.grab().save("/tmp/cont-concurrent-refused.png")
    ctx.runner.wait()
    first.dispose()
    second.dispose()


def test_on_a_server_each_computer_keeps_its_own_officer_name(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("LEV_DATA_DIR", str(tmp_path / "computer-1"))
    first, _unused = _workstations(pg_url)
    monkeypatch.setenv("LEV_DATA_DIR", str(tmp_path / "computer-2"))
    second = Store(pg_url)
    second.set_identity(officer="นายสมชาย รักษ์โลก")
    first.reload_identity()
    second.reload_identity()
    assert (first.officer, second.officer) == ("นางสาวสมใจ ใจดี", "นายสมชาย รักษ์โลก")
    p1 = programme_by_code(second, "P1").id
    ps.apply_item_changes(second, p1, FY, upserts=[{"id": ROW_B, "budget": "1"}])
    with first.read() as session:
        assert session.get(PlanItem, ROW_B).updated_by == "นายสมชาย รักษ์โลก"
    for store in (first, second, _unused):
        store.dispose()


def test_the_one_window_lock_is_for_sqlite_files_only(qapp, tmp_path):
    from ui.app import acquire_lock

    server = "postgresql+psycopg2://lev@127.0.0.1:5432/lev"
    first, second = acquire_lock(server), acquire_lock(server)
    assert first is not None and second is not None  # two clerks' windows
    first.release()
    second.release()
    file = f"sqlite:///{tmp_path / 'one.db'}"
    held = acquire_lock(file)
    assert held is not None and acquire_lock(file) is None
    held.release()
