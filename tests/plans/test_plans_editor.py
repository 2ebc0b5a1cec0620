"""The F1 editor driven from the keyboard, then read back from the database."""

from __future__ import annotations

from decimal import Decimal

from cells import cell_editor, settle, type_into_cell, type_text
from keyboard import focused, shortcut
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from lev_desktop.domain.form_status import FormStatus
from lev_desktop.domain.obligation_state import State
from lev_desktop.services import plans as ps
from lev_desktop.services.programmes import builtin_id
from ui.models.plan_model import PLAN_COLUMNS, PlanItemsModel
from ui.screens.plans import PlanEditor, PlansScreen

P1 = builtin_id("P1")
COL = {c.key: n for n, c in enumerate(PLAN_COLUMNS)}


def _screen(qtbot, ctx):
    screen = PlansScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1166, 708)
    screen.show()
    qtbot.waitExposed(screen)
    settle(qtbot, ctx)
    return screen


def _db_rows(store):
    return ps.load_plan(store, store.office_code, P1, 2568).items


def test_empty_state_then_example_rows_with_undo(qtbot, lao_store, make_ctx):
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    editor = screen.editor
    assert editor.stack.currentWidget() is editor.empty
    assert editor.empty_text.text() == (
        "ยังไม่มีแผนปฏิบัติงานสำหรับปีงบประมาณ 2568 — เริ่มจากแผนตัวอย่าง หรือคัดลอกจากปีที่แล้ว"
    )
    assert editor.examples_button.text() == "เริ่มจากแผนตัวอย่าง"
    assert editor.copy_button.text() == "คัดลอกจากปีที่แล้ว"
    qtbot.mouseClick(editor.examples_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    assert editor.stack.currentWidget() is editor.splitter
    assert [r.seq for r in _db_rows(lao_store)] == [1, 2, 3]
    assert _db_rows(lao_store)[2].no_budget
    editor.act_undo.trigger()
    settle(qtbot, ctx)
    assert _db_rows(lao_store) == [] and editor.model.rowCount() == 0
    editor.act_redo.trigger()
    settle(qtbot, ctx)
    assert len(_db_rows(lao_store)) == 3
    # copying last year with nothing last year: a Thai message, nothing added
    qtbot.mouseClick(
        editor.copy_button, Qt.MouseButton.LeftButton
    ) if editor.copy_button.isVisible() else editor.copy_last_year()
    settle(qtbot, ctx)
    assert "ไม่มีแผนปฏิบัติงานของปีงบประมาณ 2567" in editor.message.text()
    assert len(_db_rows(lao_store)) == 3


def test_typing_thai_and_ascii_with_tab_enter_and_undo(qtbot, lao_store, make_ctx):
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    editor = screen.editor
    table = editor.table
    qtbot.mouseClick(editor.blank_button, Qt.MouseButton.LeftButton)
    assert table.currentIndex().column() == COL["project"]
    type_into_cell(qtbot, table, "โครงการปลูกป่าชุมชน")  # Thai, then Tab
    assert table.currentIndex().column() == COL["objective"]
    type_text(cell_editor(table), "Reduce waste")  # the Tab opened the next cell
    qtbot.keyClick(cell_editor(table), Qt.Key.Key_Tab)
    qtbot.keyClick(cell_editor(table), Qt.Key.Key_Escape)  # leave the target empty
    table.setCurrentIndex(editor.proxy.index(0, COL["budget"]))
    type_into_cell(qtbot, table, "12500", then=Qt.Key.Key_Return)
    settle(qtbot, ctx)
    row = _db_rows(lao_store)[0]
    assert (row.project, row.objective, row.budget) == (
        "โครงการปลูกป่าชุมชน",
        "Reduce waste",
        Decimal("12500.00"),
    )
    assert editor.model.index(0, COL["budget"]).data() == "12,500.00"
    assert "ปุ๋ย" not in row.project  # sanity: what we typed, not an example row
    # Ctrl+Z undoes the budget, Ctrl+Y redoes it
    table.setFocus()
    shortcut(qtbot, table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, ctx)
    assert _db_rows(lao_store)[0].budget is None
    shortcut(qtbot, table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, ctx)
    assert _db_rows(lao_store)[0].budget == Decimal("12500.00")
    # a wrong amount is refused with a Thai message and the database keeps the old value
    table.setCurrentIndex(editor.proxy.index(0, COL["budget"]))
    type_into_cell(qtbot, table, "abc", then=Qt.Key.Key_Return)
    settle(qtbot, ctx)
    assert "ตัวเลข" in editor.message.text()
    assert _db_rows(lao_store)[0].budget == Decimal("12500.00")
    # "no budget" from the toolbar
    editor.act_no_budget.trigger()
    settle(qtbot, ctx)
    assert (
        _db_rows(lao_store)[0].no_budget
        and editor.model.index(0, COL["budget"]).data() == "ไม่ใช้งบประมาณ"
    )


def test_paste_a_block_from_excel_adds_rows_in_one_undo_step(qtbot, lao_store, make_ctx):
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    editor = screen.editor
    editor.add_row()
    table = editor.table
    table.setCurrentIndex(editor.proxy.index(0, COL["project"]))
    QGuiApplication.clipboard().setText(
        "ธนาคารขยะ\tลดขยะ\t50 ครัวเรือน\tหมู่ 3\t15,000\n"
        '"ปุ๋ยหมัก\nจากเศษอาหาร"\tลดขยะอินทรีย์\tร้อยละ 80\tทุกหมู่บ้าน\tไม่ใช้งบประมาณ\n'
    )
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, ctx)
    rows = _db_rows(lao_store)
    assert [(r.project, r.location, r.budget, r.no_budget) for r in rows] == [
        ("ธนาคารขยะ", "หมู่ 3", Decimal("15000.00"), False),
        ("ปุ๋ยหมัก\nจากเศษอาหาร", "ทุกหมู่บ้าน", None, True),
    ]
    editor.act_undo.trigger()
    settle(qtbot, ctx)
    assert [r.project for r in _db_rows(lao_store)] == [""]


def test_move_and_remove_rows_keep_the_order_in_the_database(qtbot, lao_store, make_ctx):
    ps.start_from_examples(lao_store, P1, 2568)
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    editor = screen.editor
    first = [r.project for r in _db_rows(lao_store)]
    editor.table.setCurrentIndex(editor.proxy.index(0, COL["project"]))
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, ctx)
    assert [r.project for r in _db_rows(lao_store)] == [first[1], first[0], first[2]]
    assert [r.seq for r in _db_rows(lao_store)] == [1, 2, 3]
    editor.table.setCurrentIndex(editor.proxy.index(0, COL["project"]))
    editor.act_remove.trigger()
    settle(qtbot, ctx)
    assert [r.project for r in _db_rows(lao_store)] == [first[0], first[2]]
    editor.act_undo.trigger()
    settle(qtbot, ctx)
    assert [r.project for r in _db_rows(lao_store)] == [first[1], first[0], first[2]]
    # search filters the table; edits still reach the right row
    editor.search.setText("ปุ๋ย")
    assert editor.proxy.rowCount() == 1


def test_mark_complete_only_when_valid(qtbot, lao_store, make_ctx):
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    editor = screen.editor
    editor.add_row()
    editor.table.setCurrentIndex(editor.proxy.index(0, COL["project"]))
    type_into_cell(qtbot, editor.table, "Big Cleaning Day", then=Qt.Key.Key_Return)
    settle(qtbot, ctx)
    from PySide6.QtWidgets import QMessageBox

    shown = []
    qtbot_patch = QMessageBox.information
    QMessageBox.information = lambda *a, **k: shown.append(a[2])  # type: ignore[assignment]
    try:
        editor.act_complete.trigger()
        settle(qtbot, ctx)
    finally:
        QMessageBox.information = qtbot_patch  # type: ignore[assignment]
    assert shown and "แถวที่ 1" in shown[0] and "งบประมาณ" in shown[0]
    assert ps.form_statuses(lao_store, ["4801006"], P1, 2568)["4801006"]["F1"] == FormStatus.DRAFT
    editor.act_no_budget.trigger()
    settle(qtbot, ctx)
    editor.act_complete.trigger()
    settle(qtbot, ctx)
    assert (
        ps.form_statuses(lao_store, ["4801006"], P1, 2568)["4801006"]["F1"] == FormStatus.COMPLETE
    )
    # the chip says the state of the obligation F1 fulfils: complete today, due 31 Dec 2567
    qtbot.waitUntil(lambda: screen.bar.badge.text() == "F1: " + State.LATE.label, timeout=5000)


def test_district_reads_an_lao_plan_and_returns_it(qtbot, demo_store, make_ctx):
    ctx = make_ctx(demo_store)
    screen = _screen(qtbot, ctx)
    assert screen.offices.isVisible() and screen.review.isVisible()
    screen.offices.select("4801003")
    settle(qtbot, ctx)
    editor = screen.editor
    assert editor.office == "4801003" and editor.model.rowCount() > 0
    assert (
        not editor.model.flags(editor.model.index(0, COL["project"])) & Qt.ItemFlag.ItemIsEditable
    )
    assert not editor.act_add.isVisible()
    before = editor.model.rows[0].project
    editor.table.setCurrentIndex(editor.proxy.index(0, COL["project"]))
    type_text(editor.table, "x")
    assert not editor.model.setData(editor.model.index(0, COL["project"]), "แก้")
    settle(qtbot, ctx)
    assert ps.load_plan(demo_store, "4801003", P1, 2568).items[0].project == before
    type_text(screen.review.text, "โปรดแก้ไขงบประมาณ")
    qtbot.mouseClick(screen.review.return_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    assert (
        ps.form_statuses(demo_store, ["4801003"], P1, 2568)["4801003"]["F1"] == FormStatus.RETURNED
    )
    model = screen.offices.model
    row = next(r for r in range(model.rowCount()) if model.rows[r].code == "4801003")
    assert model.index(row, 1).data() == "ส่งกลับให้แก้ไข"
    assert "โปรดแก้ไขงบประมาณ" in editor.side.toPlainText()


def test_gui_agrees_with_the_cli(qtbot, demo_store, make_ctx, capsys):
    from lev_desktop.cli import main

    ctx = make_ctx(demo_store)
    editor = PlanEditor(ctx)
    qtbot.addWidget(editor)
    editor.load("4801005", P1, 2568)
    settle(qtbot, ctx)
    main(["--db", str(demo_store.path), "plans", "--office", "4801005", "--fiscal-year", "2568"])
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    model = editor.model
    assert model.rowCount() == len(lines) > 0
    for row, cells in enumerate(lines):
        shown = [
            model.index(row, COL[k]).data()
            for k in (
                "seq",
                "project",
                "objective",
                "target",
                "location",
                "budget",
                "kpi",
                "expected_result",
                "progress",
            )
        ]
        assert shown == cells  # the budget too: "20,000.00" as the editor shows it


def test_models_pass_the_model_tester(qtmodeltester, demo_store):
    from lev_desktop.services.offices import subordinate_laos
    from ui.models.activity_model import ActivitiesModel
    from ui.models.office_model import OfficeStatusModel
    from ui.widgets.audit_dialog import AuditModel

    view = ps.load_plan(demo_store, "4801001", P1, 2568)
    plan_model = PlanItemsModel()
    plan_model.set_rows(view.items)
    plan_model.editable = True
    qtmodeltester.check(plan_model)
    activities = ActivitiesModel()
    activities.set_rows(ps.list_activities(demo_store, "4801001", P1, 2568))
    qtmodeltester.check(activities)
    offices = OfficeStatusModel()
    offices.set_rows(ps.offices_overview(demo_store, subordinate_laos(demo_store), P1, 2568))
    qtmodeltester.check(offices)
    audit = AuditModel(ps.audit_history(demo_store, [view.items[0].id]))
    qtmodeltester.check(audit)


def test_own_change_keeps_undo_and_other_screens_refresh(qtbot, lao_store, make_ctx):
    from ui.screens.activities import ActivitiesScreen

    ps.start_from_examples(lao_store, P1, 2568)
    ctx = make_ctx(lao_store)
    plans = _screen(qtbot, ctx)
    activities = ActivitiesScreen(ctx)
    qtbot.addWidget(activities)
    settle(qtbot, ctx)
    for screen in (plans, activities):  # what the main window does
        ctx.changed.connect(lambda changes, s=screen: None if changes.caused_by(s) else s.refresh())
    editor = plans.editor
    editor.model.setData(editor.model.index(0, COL["planned_activities"]), "9")
    settle(qtbot, ctx)
    assert editor.undo_stack.count() == 1  # not reloaded by its own news
    assert activities.editor.items.index(0, COL["progress"]).data() == "0/9"
    editor.act_undo.trigger()
    settle(qtbot, ctx)
    assert _db_rows(lao_store)[0].planned_activities == 4


def test_history_dialog_shows_who_and_old_new(qtbot, lao_store, make_ctx):
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    editor = screen.editor
    editor.add_row()
    editor.model.setData(editor.model.index(0, COL["project"]), "เดิม")
    editor.model.setData(editor.model.index(0, COL["project"]), "ใหม่")
    settle(qtbot, ctx)
    editor.table.setCurrentIndex(editor.proxy.index(0, COL["project"]))
    editor.act_history.trigger()
    settle(qtbot, ctx)
    dialog = editor.history_dialog
    model = dialog.model
    cells = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    changed = [c for c in cells if c[2] == "แก้ไข" and c[3] == "โครงการ"]
    assert changed and changed[0][1] == "นางสาวทดสอบ ใจดี" and changed[0][4:] == ["เดิม", "ใหม่"]
    assert "25" in changed[0][0]  # a BE year in the time stamp
    dialog.close()


def test_import_dialog_maps_columns_and_adds_rows(qtbot, lao_store, make_ctx, tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "แผนเดิม.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["ลำดับ", "ชื่อโครงการ", "วัตถุประสงค์", "งบประมาณ", "ตัวชี้วัด"])
    sheet.append([1, "โครงการหน้าบ้านน่ามอง", "บ้านสะอาด", "5,000", "ร้อยละของครัวเรือน"])
    sheet.append([2, "โครงการตลาดนัดสีเขียว", "ลดพลาสติก", "-", "จำนวนร้าน"])
    book.save(path)
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    editor = screen.editor
    editor.import_xlsx(str(path))
    settle(qtbot, ctx)
    dialog = editor.import_dialog
    assert dialog.chosen_mapping() == {"project": 1, "objective": 2, "budget": 3, "kpi": 4}
    assert dialog.model.rowCount() == 3
    dialog.buttons.accepted.emit()
    settle(qtbot, ctx)
    rows = _db_rows(lao_store)
    assert [(r.project, r.budget, r.no_budget) for r in rows] == [
        ("โครงการหน้าบ้านน่ามอง", Decimal("5000.00"), False),
        ("โครงการตลาดนัดสีเขียว", None, True),
    ]
    editor.act_undo.trigger()  # the import is one undo step
    settle(qtbot, ctx)
    assert _db_rows(lao_store) == []
    # a broken file: a Thai message in the dialog, nothing added
    broken = tmp_path / "เสีย.xlsx"
    broken.write_bytes(b"not a workbook")
    editor.import_xlsx(str(broken))
    settle(qtbot, ctx)
    assert "ไม่สามารถอ่าน เสีย.xlsx" in editor.import_dialog.info.text()
    assert not editor.import_dialog.buttons.button(
        editor.import_dialog.buttons.StandardButton.Ok
    ).isEnabled()
    editor.import_dialog.reject()
    assert _db_rows(lao_store) == []


def test_enter_moves_down_like_excel(qtbot, lao_store, make_ctx):
    ps.start_from_examples(lao_store, P1, 2568)
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    table = screen.editor.table
    table.setCurrentIndex(screen.editor.proxy.index(0, COL["location"]))
    type_into_cell(qtbot, table, "Moo 1", then=Qt.Key.Key_Return)
    assert (table.currentIndex().row(), table.currentIndex().column()) == (1, COL["location"])
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert table.currentIndex().row() == 2
    settle(qtbot, ctx)
    assert _db_rows(lao_store)[0].location == "Moo 1"
    # Delete empties the cell; Ctrl+Z brings it back
    table.setCurrentIndex(screen.editor.proxy.index(0, COL["location"]))
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    settle(qtbot, ctx)
    assert _db_rows(lao_store)[0].location == ""
    shortcut(qtbot, table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, ctx)
    assert _db_rows(lao_store)[0].location == "Moo 1"


def test_a_failed_save_says_so_in_thai_and_shows_the_database(
    qtbot, lao_store, make_ctx, monkeypatch
):
    import errno

    ps.start_from_examples(lao_store, P1, 2568)
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    editor = screen.editor
    before = _db_rows(lao_store)[0].project

    def disk_full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ps, "apply_item_changes", disk_full)
    editor.model.setData(editor.model.index(0, COL["project"]), "ชื่อใหม่")
    settle(qtbot, ctx)
    assert "ดิสก์เต็ม" in editor.message.text()
    assert editor.model.rows[0].project == before  # reloaded from the database
    assert _db_rows(lao_store)[0].project == before


def test_a_plan_seen_read_only_shows_no_empty_separators(qtbot, lao_store, make_ctx):
    """A district reading an LAO's plan (or activities) saw "| |" before ประวัติ: the editing
    buttons were hidden and the separators between their groups were not."""
    from ui.screens.activities import ActivitiesScreen

    ctx = make_ctx(lao_store)
    plans = _screen(qtbot, ctx)
    activities = ActivitiesScreen(ctx)
    qtbot.addWidget(activities)
    for editor, groups in ((plans.editor, 3), (activities.editor, 2)):

        def shown(editor=editor):
            return [a for a in editor.toolbar.actions() if a.isSeparator() and a.isVisible()]

        editor._set_editable(False)
        assert shown() == []
        editor._set_editable(True)
        assert len(shown()) == groups


def test_a_project_without_budget_reads_whole_in_its_one_line_cell(qtbot, lao_store, make_ctx):
    """At 1366×768 at 125 % the budget column was cut to its widest word: a project without a
    budget read "ไม่ใช้งบป…" (its cell is one line). The whole phrase fits, in the
    application's font (this test measured in whichever font an earlier test had left)."""
    from ui.app import make_application

    make_application()
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    editor = screen.editor
    qtbot.mouseClick(editor.examples_button, Qt.MouseButton.LeftButton)  # row 3: no budget
    settle(qtbot, ctx)
    screen.resize(1093, 582)  # 1366×768 at 125 %, less the taskbar
    settle(qtbot, ctx)
    table, column = editor.table, COL["budget"]
    text = table.model().index(2, column).data()
    assert text == "ไม่ใช้งบประมาณ"
    # laid out as the cell lays it out (its text rectangle, Qt's word wrap): one line
    option = QStyleOptionViewItem()
    option.initFrom(table)
    option.text = text
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
    option.rect = table.visualRect(table.model().index(2, column))
    style = table.style()
    room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, table).width()
    room -= 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    metrics = table.fontMetrics()
    wrap = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
    laid = metrics.boundingRect(QRect(0, 0, room, 10_000), wrap, text)
    assert laid.height() <= metrics.height(), (table.columnWidth(column), room, laid)


def test_a_refused_mark_complete_puts_the_cursor_in_the_first_cell_named(
    qtbot, lao_store, make_ctx
):
    """ "แถวที่ 4: โปรดกรอกงบประมาณ…" was shown and the cursor stayed where it was (row 1):
    after the message the clerk had to find row 4's budget cell. Now the cursor is in it."""
    ps.start_from_examples(lao_store, P1, 2568)
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    editor = screen.editor
    editor.table.setCurrentIndex(editor.proxy.index(2, COL["project"]))
    editor.add_row()  # the fourth row, below the third
    type_into_cell(qtbot, editor.table, "Big Cleaning Day", then=Qt.Key.Key_Return)
    settle(qtbot, ctx)
    editor.table.setCurrentIndex(editor.proxy.index(0, COL["objective"]))
    from PySide6.QtWidgets import QMessageBox

    shown = []
    information = QMessageBox.information
    QMessageBox.information = lambda *a, **k: shown.append(a[2])  # type: ignore[assignment]
    try:
        editor.act_complete.trigger()
        settle(qtbot, ctx)
    finally:
        QMessageBox.information = information  # type: ignore[assignment]
    assert shown == ["แถวที่ 4: โปรดกรอกงบประมาณ หรือเลือก “ไม่ใช้งบประมาณ”"]
    current = editor.table.currentIndex()
    assert (current.row(), current.column()) == (3, COL["budget"])
    assert current.siblingAtColumn(COL["project"]).data() == "Big Cleaning Day"
    assert focused(editor) is editor.table


def test_history_says_a_forms_status_in_thai_and_fits_its_dialog(qtbot, lao_store, make_ctx):
    """The plan's history showed "สถานะ: draft → complete" (the stored codes), in a table wider
    than its dialog (the "ค่าใหม่" column cut, a sideways scroll bar)."""
    ps.start_from_examples(lao_store, P1, 2568)
    ps.set_form_status(lao_store, P1, 2568, ps.FORM_PLAN, FormStatus.COMPLETE)
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    editor = screen.editor
    editor.table.setCurrentIndex(editor.proxy.index(0, COL["project"]))
    editor.act_history.trigger()
    settle(qtbot, ctx)
    dialog = editor.history_dialog
    dialog.show()
    qtbot.waitExposed(dialog)
    model = dialog.model
    cells = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    assert [c[4:] for c in cells if c[3] == "สถานะ"] == [["ฉบับร่าง", "ครบถ้วน"], ["—", "ฉบับร่าง"]]
    qtbot.waitUntil(lambda: dialog.table.horizontalScrollBar().maximum() == 0, timeout=3000)
    dialog.close()


def test_the_chip_of_a_year_without_a_deadline_says_so(qtbot, lao_store, make_ctx):
    """The built-in P1 is the programme of 2568: in the fiscal year 2570 its F1 has no
    deadline. The chip said "F1: ยังไม่ถึงกำหนด" (its default), and after a change of year it
    kept the state of the year shown before ("F1: เกินกำหนด" of 2568)."""
    ctx = make_ctx(lao_store)
    screen = _screen(qtbot, ctx)
    badge = screen.bar.badge
    qtbot.waitUntil(lambda: badge.text() == "F1: " + State.OVERDUE.label, timeout=5000)
    ctx.set_fiscal_year(2570)
    qtbot.waitUntil(lambda: badge.text() == "F1: ไม่มีกำหนดส่งในปีนี้", timeout=5000)
    settle(qtbot, ctx)
    assert badge.text() == "F1: ไม่มีกำหนดส่งในปีนี้"
    ctx.set_fiscal_year(2568)
    qtbot.waitUntil(lambda: badge.text() == "F1: " + State.OVERDUE.label, timeout=5000)
