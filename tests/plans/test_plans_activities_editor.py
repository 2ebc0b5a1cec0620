"""The F2 activities editor and the F3 milestones form, driven from the keyboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cells import cell_editor, settle, type_into_cell, type_text
from keyboard import focused
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent, QTextDocumentFragment
from PySide6.QtWidgets import QApplication

from lev_desktop.domain.form_status import FormStatus
from lev_desktop.services import plans as ps
from lev_desktop.services.programmes import builtin_id
from tests.exchange.helpers import snapshot
from ui.models.activity_model import ACTIVITY_COLUMNS
from ui.screens.activities import ActivitiesScreen
from ui.status_palette import REFUSED

P1 = builtin_id("P1")
COL = {c.key: n for n, c in enumerate(ACTIVITY_COLUMNS)}


def _screen(qtbot, ctx):
    screen = ActivitiesScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1166, 708)
    screen.show()
    qtbot.waitExposed(screen)
    settle(qtbot, ctx)
    return screen


def test_recording_an_activity_updates_progress(qtbot, lao_store, make_ctx, tmp_path):
    ps.start_from_examples(lao_store, P1, 2568)
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    editor = screen.editor
    assert editor.items.index(0, 9).data() == "0/4"
    editor.act_add.trigger()
    table = editor.table
    assert table.currentIndex().column() == COL["held_on"]
    type_into_cell(qtbot, table, "17/11/2567")  # BE date, then Tab
    assert table.currentIndex().column() == COL["held_until"]
    qtbot.keyClick(cell_editor(table), Qt.Key.Key_Tab)  # a one-day activity
    assert table.currentIndex().column() == COL["title"]
    type_text(cell_editor(table), "รณรงค์ทำความสะอาดครั้งที่ ๑")
    qtbot.keyClick(cell_editor(table), Qt.Key.Key_Tab)
    type_text(cell_editor(table), "ศาลาประชาคมหมู่ที่ ๑")
    qtbot.keyClick(cell_editor(table), Qt.Key.Key_Tab)
    type_text(cell_editor(table), "120")
    qtbot.keyClick(cell_editor(table), Qt.Key.Key_Tab)
    qtbot.keyClick(cell_editor(table), Qt.Key.Key_Escape)
    table.setCurrentIndex(editor.proxy.index(0, COL["budget_spent"]))
    type_into_cell(qtbot, table, "4500.5", then=Qt.Key.Key_Return)
    settle(qtbot, ctx)
    rows = ps.list_activities(lao_store, "4801006", P1, 2568)
    assert len(rows) == 1
    row = rows[0]
    assert (row.held_on, row.title, row.place, row.participants, row.budget_spent) == (
        dt.date(2024, 11, 17),
        "รณรงค์ทำความสะอาดครั้งที่ ๑",
        "ศาลาประชาคมหมู่ที่ ๑",
        120,
        Decimal("4500.50"),
    )
    assert editor.model.index(0, COL["held_on"]).data() == "17 พ.ย. 2567"
    assert editor.model.index(0, COL["budget_spent"]).data() == "4,500.50"
    # a date but no result (outputs) yet: not counted as held
    assert editor.items.index(0, 9).data() == "0/4"
    table.setCurrentIndex(editor.proxy.index(0, COL["outputs"]))
    type_into_cell(qtbot, table, "120 people", then=Qt.Key.Key_Return)
    settle(qtbot, ctx)
    assert editor.items.index(0, 9).data() == "1/4"
    # an end date before the start is refused in Thai
    table.setCurrentIndex(editor.proxy.index(0, COL["held_until"]))
    type_into_cell(qtbot, table, "16/11/2567", then=Qt.Key.Key_Return)
    assert "ก่อนวันที่เริ่ม" in editor.message.text()
    assert ps.load_plan(lao_store, "4801006", P1, 2568).items[0].done == 1
    # a negative amount is refused in Thai; the database keeps 4,500.50
    table.setCurrentIndex(editor.proxy.index(0, COL["budget_spent"]))
    type_into_cell(qtbot, table, "-1", then=Qt.Key.Key_Return)
    settle(qtbot, ctx)
    assert "ไม่ควรน้อยกว่า" in editor.message.text() or "น้อยกว่า" in editor.message.text()
    assert ps.list_activities(lao_store, "4801006", P1, 2568)[0].budget_spent == Decimal("4500.50")
    # attach a photo: copied into the attachments folder, stored as a relative path
    photo = tmp_path / "ภาพกิจกรรม.jpg"
    photo.write_bytes(b"\xff\xd8 photo")
    editor.attach_file(str(photo))
    settle(qtbot, ctx)
    stored = ps.list_activities(lao_store, "4801006", P1, 2568)[0].attachments
    assert len(stored) == 1 and not stored[0].startswith("/")
    assert ps.attachment_path(stored[0]).read_bytes() == b"\xff\xd8 photo"
    assert editor.files.count() == 1
    # remove, then undo: tombstone and back
    editor.act_remove.trigger()
    settle(qtbot, ctx)
    assert ps.list_activities(lao_store, "4801006", P1, 2568) == []
    assert editor.items.index(0, 9).data() == "0/4"
    editor.act_undo.trigger()
    settle(qtbot, ctx)
    assert len(ps.list_activities(lao_store, "4801006", P1, 2568)) == 1
    # F2 complete: every activity has a date
    editor.act_complete.trigger()
    settle(qtbot, ctx)
    assert (
        ps.form_statuses(lao_store, ["4801006"], P1, 2568)["4801006"]["F2"] == FormStatus.COMPLETE
    )


def test_monitoring_override_needs_a_reason(qtbot, lao_store, make_ctx):
    ps.start_from_examples(lao_store, P1, 2568)
    item = ps.load_plan(lao_store, "4801006", P1, 2568).items[0]
    ps.save_activity(
        lao_store,
        P1,
        2568,
        {
            "id": ps.new_id(),
            "plan_item_id": item.id,
            "held_on": dt.date(2025, 1, 10),
            "outputs": "ผู้เข้าร่วม 60 คน",
        },
    )
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    screen.tabs.setCurrentIndex(1)
    settle(qtbot, ctx)
    form = screen.monitoring
    assert "1" in form.derived.text()
    line = form.dates["committee_selected_on"].line
    line.setFocus()
    qtbot.keyClicks(line, "20/10/2567")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    settle(qtbot, ctx)
    assert ps.get_monitoring(lao_store, "4801006", P1, 2568).committee_selected_on == dt.date(
        2024, 10, 20
    )
    form.override_check.setChecked(True)
    form.override.setValue(4)
    form.override.editingFinished.emit()
    settle(qtbot, ctx)
    assert "เหตุผล" in form.message.text()
    assert ps.get_monitoring(lao_store, "4801006", P1, 2568).activities_override is None
    form.reason.setFocus()
    type_text(form.reason, "รวมกิจกรรมร่วมกับ อบจ.")
    form.reason.editingFinished.emit()
    settle(qtbot, ctx)
    view = ps.get_monitoring(lao_store, "4801006", P1, 2568)
    assert (view.activities_override, view.override_reason, view.activities) == (
        4,
        "รวมกิจกรรมร่วมกับ อบจ.",
        4,
    )
    form.act_undo.trigger()
    settle(qtbot, ctx)
    assert ps.get_monitoring(lao_store, "4801006", P1, 2568).activities_override is None
    assert not form.override_check.isChecked()


def test_district_reads_activities_read_only(qtbot, demo_store, make_ctx):
    ctx = make_ctx(demo_store)
    screen = _screen(qtbot, ctx)
    screen.offices.select("4801004")
    settle(qtbot, ctx)
    editor = screen.editor
    assert editor.office == "4801004"
    assert not editor.act_add.isVisible() and not editor.model.editable
    assert screen.monitoring.dates["committee_selected_on"].line.isReadOnly()
    shown = sum(1 for _ in range(editor.model.rowCount()))
    assert shown == len(ps.list_activities(demo_store, "4801004", P1, 2568))
    assert not editor.model.setData(editor.model.index(0, COL["title"]), "แก้โดยอำเภอ")


def test_district_returns_f3_and_the_lao_list_shows_it(qtbot, demo_store, make_ctx):
    ctx = make_ctx(demo_store)
    screen = _screen(qtbot, ctx)
    screen.offices.select("4801005")
    settle(qtbot, ctx)
    screen.tabs.setCurrentIndex(1)  # F3: the review goes to the monitoring form
    settle(qtbot, ctx)
    assert screen.review.form_code == "F3"
    type_text(screen.review.text, "วันที่ปิดประกาศไม่ตรงกับเอกสาร")
    qtbot.mouseClick(screen.review.return_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    statuses = ps.form_statuses(demo_store, ["4801005"], P1, 2568)["4801005"]
    assert statuses["F3"] == FormStatus.RETURNED and statuses["F2"] != FormStatus.RETURNED
    model = screen.offices.model
    row = next(r for r in range(model.rowCount()) if model.rows[r].code == "4801005")
    assert model.index(row, 3).data() == "ส่งกลับให้แก้ไข"
    assert screen.offices.table.isColumnHidden(2) and not screen.offices.table.isColumnHidden(3)
    screen.tabs.setCurrentIndex(0)
    settle(qtbot, ctx)
    assert "วันที่ปิดประกาศไม่ตรงกับเอกสาร" in screen.editor.details.toPlainText()


def test_opening_an_attachment_shows_its_type_and_never_leaves_the_folder(
    qtbot, lao_store, make_ctx, tmp_path, monkeypatch
):
    """Issue 10: an attachment name that came in a package (UNC, drive, absolute, "..") is never
    opened; a program is never opened whatever its name says; a document's type and size are
    shown before it opens."""
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QListWidgetItem, QMessageBox

    from lev_desktop.paths import attachments_dir

    opened: list[str] = []
    asked: list[str] = []
    warned: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))

    def question(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a, **k: warned.append(text)
    )
    folder = attachments_dir() / "0b6c0f7e-2c55-4b8a-9d0e-6a3b1f6f2a90"
    folder.mkdir(parents=True)
    (folder / "รายงาน.pdf").write_bytes(b"%PDF-1.7 minutes")
    (folder / "photo.pdf").write_bytes(b"MZ\x90\x00 a program named like a document")
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    editor = screen.editor

    def open_(relative: str) -> None:
        item = QListWidgetItem(relative)
        item.setData(Qt.ItemDataRole.UserRole, relative)
        editor._open_file(item)
        settle(qtbot, ctx)

    for hostile in (
        "\\\\host\\share\\x.exe",
        "C:\\Windows\\System32\\calc.exe",
        "/etc/passwd",
        "../../x.pdf",
        "0b6c0f7e-2c55-4b8a-9d0e-6a3b1f6f2a90/../../x.pdf",
    ):
        open_(hostile)
    assert opened == [] and asked == [] and len(warned) == 5
    assert all(any(0x0E00 <= ord(c) < 0x0E80 for c in w) for w in warned)
    open_("0b6c0f7e-2c55-4b8a-9d0e-6a3b1f6f2a90/photo.pdf")
    assert opened == [] and "โปรแกรม" in warned[-1]
    open_("0b6c0f7e-2c55-4b8a-9d0e-6a3b1f6f2a90/รายงาน.pdf")
    assert asked and "เอกสาร PDF" in asked[-1]
    assert opened == [str((folder / "รายงาน.pdf").resolve())]


def test_attached_names_are_made_plain_and_bounded(lao_store, tmp_path):
    assert ps.plain_attachment_name("CON.txt") == "_CON.txt"
    assert ps.plain_attachment_name("a:b\\c.pdf") in ("c.pdf", "a_b_c.pdf")  # Windows, POSIX
    assert ps.plain_attachment_name("report.pdf ") == "report.pdf"
    big = tmp_path / "big.mp4"
    with big.open("wb") as handle:
        handle.truncate(ps.MAX_ATTACHMENT_BYTES + 1)
    import pytest

    with pytest.raises(ps.PlanError):
        ps.add_attachment(big, "0b6c0f7e-2c55-4b8a-9d0e-6a3b1f6f2a90")


def test_a_pasted_word_line_break_is_refused_in_the_f3_form_and_the_review(
    qtbot, lao_store, demo_store, make_ctx
):
    """A note pasted from Word (U+000B): the form says why in Thai, keeps the text where it
    was typed, and saves nothing; a comment with one is refused on the review bar the same way."""
    ps.save_monitoring(lao_store, P1, 2568, {"note": "ประชุมแล้ว"})
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    screen.tabs.setCurrentIndex(1)
    settle(qtbot, ctx)
    form = screen.monitoring
    before = snapshot(lao_store)
    form.note.setPlainText("")
    form.note.insertPlainText("ประชุมครั้งที่ 1\x0bครั้งที่ 2")
    QApplication.sendEvent(form.note, QFocusEvent(QEvent.Type.FocusOut))
    settle(qtbot, ctx)
    assert QTextDocumentFragment.fromHtml(form.message.text()).toPlainText() == (
        "หมายเหตุ: มีอักขระที่ไม่ใช่ข้อความ"
    )
    assert form.note.toPlainText() == "ประชุมครั้งที่ 1\x0bครั้งที่ 2"
    assert snapshot(lao_store) == before
    form.note.setPlainText("ประชุมครั้งที่ 1\nครั้งที่ 2")
    QApplication.sendEvent(form.note, QFocusEvent(QEvent.Type.FocusOut))
    settle(qtbot, ctx)
    assert ps.get_monitoring(lao_store, "4801006", P1, 2568).note == "ประชุมครั้งที่ 1\nครั้งที่ 2"

    ctx = make_ctx(demo_store)
    screen = _screen(qtbot, ctx)
    screen.offices.select("4801005")
    settle(qtbot, ctx)
    before = snapshot(demo_store)
    screen.review.text.insert("วันที่ไม่ตรง\x0bกับเอกสาร")
    qtbot.mouseClick(screen.review.return_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    assert screen.review.message.text() == "ความเห็น: มีอักขระที่ไม่ใช่ข้อความ"
    assert screen.review.text.text() == "วันที่ไม่ตรง\x0bกับเอกสาร"
    assert snapshot(demo_store) == before


def test_f3_refused_completion_names_each_field_where_it_is_seen(qtbot, lao_store, make_ctx):
    """Marking F3 complete with its three first dates empty, in the room a 1366×768 screen at
    125 % leaves the screen (the form scrolls): the refusal used to stand under the note, out of
    sight, as "แถวที่ 1: โปรดระบุวันที่นี้" three times (the form has no rows) in black, with the
    keyboard left on the toolbar. Now it is red, under the toolbar, names each date by its label,
    and the cursor is in the first of them."""
    ps.start_from_examples(lao_store, P1, 2568)
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    screen.resize(913, 520)  # the work area of a 1093×582 window (navigation, status bar)
    screen.tabs.setCurrentIndex(1)
    settle(qtbot, ctx)
    form = screen.monitoring
    form.act_complete.trigger()
    settle(qtbot, ctx)
    assert QTextDocumentFragment.fromHtml(form.message.text()).toPlainText() == (
        "ยังยืนยันแบบติดตามว่าครบถ้วนไม่ได้:\n"
        "(1) วันที่คัดเลือกคณะกรรมการเครือข่าย อถล.: โปรดระบุวันที่นี้\n"
        "(2) วันที่ประชุมคณะกรรมการ: โปรดระบุวันที่นี้\n"
        "(3) วันที่จัดทำแผนปฏิบัติงาน: โปรดระบุวันที่นี้"
    )
    assert REFUSED in form.message.text()
    assert not form.message.visibleRegion().isEmpty()
    first = form.dates["committee_selected_on"].line
    assert focused(form) is first
    assert not first.visibleRegion().isEmpty()
    assert ps.form_statuses(lao_store, ["4801006"], P1, 2568)["4801006"]["F3"] != (
        FormStatus.COMPLETE
    )


def test_f2_refused_completion_names_the_project_and_activity_and_goes_to_it(
    qtbot, lao_store, make_ctx
):
    """F2 shows one project's activities at a time and no row numbers: "แถวที่ 3: โปรดกรอกวันที่
    จัดกิจกรรม" (counted over every project's activities) named a row the clerk could not
    find, beside a table of one. Now the refusal names the project and the activity, the
    project is chosen, and the cursor is in the cell to fill."""
    ps.start_from_examples(lao_store, P1, 2568)
    first, second = ps.load_plan(lao_store, "4801006", P1, 2568).items[:2]
    for item, held_on, title in (
        (first, dt.date(2025, 1, 10), "รณรงค์ครั้งที่ ๑"),
        (first, dt.date(2025, 2, 10), "รณรงค์ครั้งที่ ๒"),
        (second, None, "ประชุมชี้แจง"),
    ):
        ps.save_activity(
            lao_store,
            P1,
            2568,
            {"id": ps.new_id(), "plan_item_id": item.id, "held_on": held_on, "title": title},
        )
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    editor = screen.editor
    assert editor.project_view.currentIndex().row() == 0
    editor.act_complete.trigger()
    settle(qtbot, ctx)
    assert QTextDocumentFragment.fromHtml(editor.message.text()).toPlainText() == (
        f"ยังยืนยันผลการดำเนินงานว่าครบถ้วนไม่ได้: {second.project} · กิจกรรม “ประชุมชี้แจง”: "
        "โปรดกรอกวันที่จัดกิจกรรม"
    )
    assert editor.project_view.currentIndex().row() == 1
    current = editor.table.currentIndex()
    assert (current.column(), current.siblingAtColumn(COL["title"]).data()) == (
        COL["held_on"],
        "ประชุมชี้แจง",
    )
    assert focused(editor) is editor.table
    assert ps.form_statuses(lao_store, ["4801006"], P1, 2568)["4801006"]["F2"] != (
        FormStatus.COMPLETE
    )


def test_a_project_without_activities_says_what_to_do(qtbot, lao_store, make_ctx):
    """A project with no activity yet showed an empty grid and nothing else (UI.md: an empty
    state says what to do). The grid now says how to record the first one, and stops saying
    it once there is a row."""
    ps.start_from_examples(lao_store, P1, 2568)
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    editor = screen.editor
    assert editor.proxy.rowCount() == 0
    assert editor.table.empty_text_shown() == (
        "ยังไม่มีกิจกรรมของโครงการนี้ — กด “เพิ่มกิจกรรม” (Ctrl+Shift+=) เพื่อบันทึกกิจกรรมแรก"
    )
    editor.act_add.trigger()
    assert editor.proxy.rowCount() == 1
    assert editor.table.empty_text_shown() == ""


def test_dates_beside_long_texts_read_whole(qtbot, lao_store, make_ctx):
    """Activities typed at length (Thai without spaces, 300 characters a text) at 1366×768 at
    125 %: the date column was given its widest word ("2568") and then its share, and the rows,
    cut to their share of the table, showed "10 พ.ย. 25…"; with a date one unit
    (``DateDelegate.one_line``) "19 เม.ย. 2568" still read "19 เม.ย. …": Qt lays out an
    84-pixel advance on one line only in 85. Every date shows on one line."""

    from ui import style, thai_wrap

    style.load_fonts()
    thai_wrap.load()
    font = QApplication.font()
    QApplication.setFont(style.app_font())  # the app's Sarabun, as users see it
    try:
        _check_dates_beside_long_texts(qtbot, lao_store, make_ctx)
    finally:
        QApplication.setFont(font)


def _check_dates_beside_long_texts(qtbot, lao_store, make_ctx):
    from PySide6.QtWidgets import QStyleOptionViewItem

    from ui import thai_wrap

    run = "การคัดแยกขยะมูลฝอยจากต้นทางเพื่อลดปริมาณขยะและส่งเสริมเศรษฐกิจหมุนเวียนในชุมชน"
    long = run * 4
    ps.start_from_examples(lao_store, P1, 2568)
    item = ps.load_plan(lao_store, "4801006", P1, 2568).items[0]
    days = [dt.date(2024, 10, 1), dt.date(2024, 11, 10), dt.date(2025, 4, 19), dt.date(2025, 5, 29)]
    for day in days:
        fields = dict.fromkeys(("title", "place", "outputs", "problems", "remedies"), long)
        ps.save_activity(
            lao_store,
            P1,
            2568,
            {"id": ps.new_id(), "plan_item_id": item.id, "held_on": day, **fields},
        )
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    screen.resize(905, 530)  # what the main window at 1093×582 leaves it beside the navigation
    settle(qtbot, ctx)
    table = screen.editor.table
    model = table.model()
    assert model.rowCount() == len(days)
    for row in range(model.rowCount()):
        index = model.index(row, COL["held_on"])
        option = QStyleOptionViewItem()
        option.initFrom(table)
        option.rect = table.visualRect(index)
        table.itemDelegateForColumn(COL["held_on"]).initStyleOption(option, index)
        room = thai_wrap.cell_text_width(table.style(), option, table)
        text = index.data()
        assert thai_wrap.shown_lines(text, option.font, room) == [text], (text, room)
