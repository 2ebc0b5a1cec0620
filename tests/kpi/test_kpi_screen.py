"""The KPI screen driven as a person would: type into cells, Tab, Enter, undo, save; then the
database is read back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from keyboard import focused, shortcut
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from questions import answer, answer_with_events
from sqlalchemy import select

from db.models import FormSubmission, KpiValue, Review
from lev_desktop.domain.obligation_state import State
from lev_desktop.exchange.exporter import export_package
from lev_desktop.services import kpi
from lev_desktop.services.programmes import builtin_id
from ui.screens import screen
from ui.screens.kpi import KpiScreen
from ui.screens.kpi_models import KpiFormModel, KpiListModel
from ui.status_palette import PALETTE
from ui.thai_wrap import plain

LAO = "4801006"
# The offscreen platform cannot resize native windows to size hints; not a fault of ours.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def make_screen(qtbot, make_ctx):
    def make(store):
        ctx = make_ctx(store)
        screen = KpiScreen(ctx)
        qtbot.addWidget(screen)
        screen.resize(1166, 708)
        screen.show()
        qtbot.waitExposed(screen)
        qtbot.waitUntil(lambda: screen.list_page.loaded, timeout=10000)
        return screen, ctx

    return make


def idle(qtbot, screen):
    """Waits until every worker job is done and its result delivered."""
    qtbot.waitUntil(
        lambda: not screen.ctx.runner.active and not screen.editor.saving, timeout=10000
    )


def open_form(qtbot, screen, office, programme, form, period):
    screen.open_form(office, builtin_id(programme), form, period)
    qtbot.waitUntil(lambda: screen.editor.loaded, timeout=10000)
    return screen.editor


def type_text(qtbot, view, text):
    """Types like a person: the first key starts editing the current cell; ASCII through
    QTest, anything else (Thai) one QKeyEvent per character (QTest aborts on Thai)."""

    def send(widget, ch):
        if ch.isascii():
            qtbot.keyClick(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
                )

    from PySide6.QtWidgets import QAbstractItemView

    rest = text
    if view.state() != QAbstractItemView.State.EditingState:  # Tab already opened the next
        send(view, text[0])
        rest = text[1:]
    # the editor may take its focus a moment later under load (a condition, not a time)
    qtbot.waitUntil(lambda: focused(view) not in (None, view), timeout=10000)
    editor = focused(view)
    assert editor is not None and editor is not view, "typing did not open an editor"
    for ch in rest:
        send(editor, ch)
    return editor


def press(qtbot, widget, key, modifier=Qt.KeyboardModifier.NoModifier):
    """A key that ends editing; the delegate closes its editor through a queued call."""
    qtbot.keyClick(widget, key, modifier)
    qtbot.wait(20)


def goto(qtbot, view, index):
    """Moves to a cell as a click would, leaving any open editor first."""
    from PySide6.QtWidgets import QAbstractItemView

    if view.state() == QAbstractItemView.State.EditingState:
        press(qtbot, focused(view), Qt.Key.Key_Escape)
    view.setCurrentIndex(index)


def cell(editor, code, key=""):
    model = editor.model
    return editor.proxy.mapFromSource(model.index(model.row_of(code), model.value_column(key)))


def db_values(store, programme, period, office=LAO):
    with store.read() as session:
        rows = session.scalars(
            select(KpiValue).where(
                KpiValue.owner_office == office,
                KpiValue.programme_id == builtin_id(programme),
                KpiValue.period == period,
            )
        )
        return {(r.row_key, r.indicator_code): (r.value_num, r.value_text, r.deleted) for r in rows}


def test_screen_is_registered():
    assert screen("kpi").load() is KpiScreen


def test_type_tab_enter_undo_and_the_database_has_it(qtbot, lao_store, make_screen):
    screen, _ctx = make_screen(lao_store)
    editor = open_form(qtbot, screen, LAO, "P2", "KPI", "FY2567")
    view = editor.table
    assert view.currentIndex() == cell(editor, "households_total")  # first field ready

    field = type_text(qtbot, view, "4020")
    press(qtbot, field, Qt.Key.Key_Tab)
    assert view.currentIndex() == cell(editor, "households_sorting")
    field = type_text(qtbot, view, "5000")  # more than the total: refused
    press(qtbot, field, Qt.Key.Key_Tab)
    field = type_text(qtbot, view, "12")
    press(qtbot, field, Qt.Key.Key_Return)  # Enter goes down as well
    assert view.currentIndex() == cell(editor, "waste_generated")
    idle(qtbot, screen)

    values = db_values(lao_store, "P2", "FY2567")
    assert values[("", "households_total")][0] == Decimal(4020)
    assert values[("", "households_organic_bin")][0] == Decimal(12)
    assert ("", "households_sorting") not in values  # never saved silently
    message = "ครัวเรือนที่คัดแยกขยะต้องไม่มากกว่าครัวเรือนทั้งหมด"
    sorting = cell(editor, "households_sorting")
    assert sorting.data(Qt.ItemDataRole.ToolTipRole) == message
    assert sorting.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#f8d7da"
    texts = [editor.messages.item(i).text() for i in range(editor.messages.count())]
    assert any(message in t for t in texts)
    assert "ยังไม่ได้บันทึก" in plain(editor.save_state.text())

    # Ctrl+Z undoes the last typed cell, and the database follows.
    shortcut(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, screen)
    assert cell(editor, "households_organic_bin").data() == ""
    assert db_values(lao_store, "P2", "FY2567")[("", "households_organic_bin")][0] is None
    shortcut(qtbot, view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)  # redo
    idle(qtbot, screen)
    assert db_values(lao_store, "P2", "FY2567")[("", "households_organic_bin")][0] == 12

    # Correcting the red cell saves it.
    goto(qtbot, view, sorting)
    field = type_text(qtbot, view, "3000")
    press(qtbot, field, Qt.Key.Key_Return)
    idle(qtbot, screen)
    assert db_values(lao_store, "P2", "FY2567")[("", "households_sorting")][0] == 3000
    assert sorting.data(Qt.ItemDataRole.ToolTipRole) is None
    assert cell(editor, "households_sorting").data() == "3,000"
    assert plain(editor.save_state.text()) == "บันทึกการเปลี่ยนแปลงทั้งหมดแล้ว"


def test_percent_and_choice_cells(qtbot, lao_store, make_screen):
    screen, _ctx = make_screen(lao_store)
    editor = open_form(qtbot, screen, LAO, "P2", "KPI", "FY2567")
    view = editor.table
    goto(qtbot, view, cell(editor, "collection_coverage"))
    field = type_text(qtbot, view, "120")
    press(qtbot, field, Qt.Key.Key_Tab)
    idle(qtbot, screen)
    assert (
        cell(editor, "collection_coverage").data(Qt.ItemDataRole.ToolTipRole) == "ต้องไม่มากกว่า 100"
    )
    assert ("", "collection_coverage") not in db_values(lao_store, "P2", "FY2567")
    # A choice is picked from a list (no typing Thai needed).
    goto(qtbot, view, cell(editor, "disposal_method"))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    combo = focused(view)
    combo.setCurrentIndex(combo.findText("เตาเผาขยะ"))
    press(qtbot, combo, Qt.Key.Key_Tab)
    idle(qtbot, screen)
    assert db_values(lao_store, "P2", "FY2567")[("", "disposal_method")][1] == "เตาเผาขยะ"


def test_products_thai_text_url_check_remove_and_undo(qtbot, lao_store, make_screen):
    screen, _ctx = make_screen(lao_store)
    editor = open_form(qtbot, screen, LAO, "P5", "SP", "FY2568")
    assert editor.products_row.isVisible()
    assert "ยังไม่มีผลิตภัณฑ์" in editor.messages.item(0).text()  # the empty state says what to do
    qtbot.mouseClick(editor.add_product, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(editor.model.row_keys) == 1, timeout=5000)
    key = editor.model.row_keys[0]
    view = editor.table
    assert view.currentIndex() == cell(editor, "identity", key)
    field = type_text(qtbot, view, "ผ้าย้อมคราม")
    press(qtbot, field, Qt.Key.Key_Tab)
    field = type_text(qtbot, view, "กระเป๋าผ้าครามจากขวดพลาสติก")
    press(qtbot, field, Qt.Key.Key_Tab)
    goto(qtbot, view, cell(editor, "income", key))
    field = type_text(qtbot, view, "12500.5")
    press(qtbot, field, Qt.Key.Key_Tab)
    goto(qtbot, view, cell(editor, "video_url", key))
    field = type_text(qtbot, view, "youtube.com/watch?v=1")
    press(qtbot, field, Qt.Key.Key_Return)
    idle(qtbot, screen)
    values = db_values(lao_store, "P5", "FY2568")
    assert values[(key, "identity")][1] == "ผ้าย้อมคราม"
    assert values[(key, "product")][1] == "กระเป๋าผ้าครามจากขวดพลาสติก"
    assert values[(key, "income")][0] == Decimal("12500.5")
    assert (key, "video_url") not in values
    assert cell(editor, "income", key).data() == "12,500.50"
    assert (
        cell(editor, "video_url", key).data(Qt.ItemDataRole.ToolTipRole)
        == "โปรดกรอกลิงก์เว็บที่ขึ้นต้นด้วย http:// หรือ https://"
    )

    # Remove the product: its values become tombstones; undo brings them back.
    goto(qtbot, view, cell(editor, "product", key))
    qtbot.mouseClick(editor.remove_product, Qt.MouseButton.LeftButton)
    idle(qtbot, screen)
    assert editor.model.row_keys == []
    assert all(v[2] for k, v in db_values(lao_store, "P5", "FY2568").items() if k[0] == key)
    editor.undo_stack.undo()
    idle(qtbot, screen)
    assert editor.model.row_keys == [key]
    assert not any(v[2] for k, v in db_values(lao_store, "P5", "FY2568").items() if k[0] == key)
    assert cell(editor, "product", key).data() == "กระเป๋าผ้าครามจากขวดพลาสติก"


def test_mark_complete_needs_a_valid_form(qtbot, lao_store, make_screen):
    screen, _ctx = make_screen(lao_store)
    editor = open_form(qtbot, screen, LAO, "P4", "M", "2025-07")
    assert editor.period_box.currentText() == "กรกฎาคม 2568"
    view = editor.table
    field = type_text(qtbot, view, "3")
    press(qtbot, field, Qt.Key.Key_Return)
    idle(qtbot, screen)
    qtbot.mouseClick(editor.complete_button, Qt.MouseButton.LeftButton)
    idle(qtbot, screen)
    assert cell(editor, "temples").data(Qt.ItemDataRole.ToolTipRole) == "ต้องกรอกช่องนี้"
    assert plain(editor.status_chip.text()) != "ครบถ้วน"
    for code, text in (("temples", "2"), ("participants", "150")):
        goto(qtbot, view, cell(editor, code))
        field = type_text(qtbot, view, text)
        press(qtbot, field, Qt.Key.Key_Return)
    goto(qtbot, view, cell(editor, "summary"))
    field = type_text(qtbot, view, "ทำความสะอาดวัด")
    press(qtbot, field, Qt.Key.Key_Return)
    idle(qtbot, screen)
    qtbot.mouseClick(editor.complete_button, Qt.MouseButton.LeftButton)
    idle(qtbot, screen)
    # complete, not sent, due 1 Jul 2568: the chip says the obligation's state (the one model)
    qtbot.waitUntil(
        lambda: plain(editor.status_chip.text()) == State.OVERDUE_READY.label, timeout=5000
    )
    with lao_store.read() as session:
        sub = session.scalar(select(FormSubmission).where(FormSubmission.period == "2025-07"))
    assert sub.status == "complete" and sub.form_code == "M"
    # Back in the list, the month shows its status as text.
    qtbot.mouseClick(editor.back, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.ctx.runner.active, timeout=5000)
    page = screen.list_page
    page.search.setText("กรกฎาคม 2568")
    assert page.proxy.rowCount() == 1
    assert (
        page.proxy.index(0, KpiListModel.STATUS).data() == State.OVERDUE_READY.label
    )  # complete, not sent


def test_list_search_and_status_filter(qtbot, lao_store, make_screen):
    kpi.save_values(
        lao_store,
        "P3",
        "ONCE",
        {
            ("", "has_green_plan"): "มี",
            ("", "green_area_rai"): "1",
            ("", "trees_planted"): "1",
            ("", "activities"): "ปลูกต้นไม้",
        },
    )
    assert kpi.set_status(lao_store, "P3", "ONCE", "complete") == []
    # the complete questionnaire goes to the district in a package: sent, after its due date
    export_package(lao_store, "D4801", lao_store.path.with_name("up.levpkg"), programmes=["P3"])
    screen, _ctx = make_screen(lao_store)
    page = screen.list_page
    assert page.model.rowCount() == 15
    assert page.table.isColumnHidden(KpiListModel.OFFICE)
    page.search.setText("สะอาด")
    assert page.proxy.rowCount() == 1
    page.search.clear()
    page.status.setCurrentIndex(page.status.findData(State.LATE.value))
    assert page.proxy.rowCount() == 1
    assert page.proxy.index(0, KpiListModel.STATUS).data() == State.LATE.label
    assert page.proxy.index(0, KpiListModel.PERIOD).data() == "รายงานครั้งเดียว"
    page.search.setText("ไม่มีคำนี้แน่นอน")
    assert page.empty.isVisibleTo(page) and not page.table.isVisibleTo(page)


def test_district_reads_an_lao_form_and_returns_it(qtbot, demo_store, make_screen):
    screen, _ctx = make_screen(demo_store)
    page = screen.list_page
    assert not page.table.isColumnHidden(KpiListModel.OFFICE)
    page.office.setCurrentIndex(page.office.findData("4801003"))
    assert page.proxy.rowCount() == 15
    page.search.setText("สะอาด")
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # Enter opens the form
    qtbot.waitUntil(lambda: screen.editor.loaded, timeout=10000)
    editor = screen.editor
    assert editor.model.read_only and editor.office_code == "4801003"
    assert not editor.model.flags(editor.model.index(0, 3)) & Qt.ItemFlag.ItemIsEditable
    before = db_values(demo_store, "P2", "FY2567", "4801003")
    qtbot.keyClick(editor.table, "7")  # typing does nothing
    assert focused(editor.table) is editor.table  # and the form keeps the focus on its table
    # a comment pasted from Word (its line break U+000B): refused in Thai, kept, nothing written
    editor.comment.insert("Please check\x0bthe tonnes")
    qtbot.mouseClick(editor.return_button, Qt.MouseButton.LeftButton)
    idle(qtbot, screen)
    shown = [editor.messages.item(i).text() for i in range(editor.messages.count())]
    assert "⚠ ความเห็น: มีอักขระที่ไม่ใช่ข้อความ" in shown
    assert editor.comment.text() == "Please check\x0bthe tonnes"
    with demo_store.read() as session:
        assert session.scalar(select(Review)) is None
    editor.comment.clear()
    qtbot.keyClicks(editor.comment, "Please check the tonnes per day")
    qtbot.mouseClick(editor.return_button, Qt.MouseButton.LeftButton)
    idle(qtbot, screen)
    assert plain(editor.status_chip.text()) == "ส่งกลับให้แก้ไข"
    with demo_store.read() as session:
        review = session.scalar(select(Review))
    assert review.action == "returned" and review.target_office == "4801003"
    assert review.text == "Please check the tonnes per day"
    assert db_values(demo_store, "P2", "FY2567", "4801003") == before


def test_models_pass_the_model_tester(qtmodeltester, demo_store):
    rows = kpi.kpi_list(demo_store, ["4801003", "4801004"], 2568)
    model = KpiListModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    for programme, period in (("P2", "FY2567"), ("P5", "FY2568"), ("P4", "2024-10")):
        form = KpiFormModel()
        form.set_form(kpi.load_form(demo_store, "4801003", programme, period))
        qtmodeltester.check(form)


def test_cli_prints_what_the_editor_shows(qtbot, demo_store, capsys):
    from lev_desktop.cli import main

    for programme, period, label in (
        ("P5", "FY2568", "ปีงบประมาณ พ.ศ. 2568"),
        ("P2", "FY2567", "ปีงบประมาณ พ.ศ. 2567"),
        ("P4", "2024-11", "พฤศจิกายน 2567"),
    ):
        assert (
            main(
                [
                    "--db",
                    str(demo_store.path),
                    "kpi",
                    "--programme",
                    programme,
                    "--office",
                    "4801003",
                    "--period",
                    period,
                ]
            )
            == 0
        )
        lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
        model = KpiFormModel()
        model.set_form(kpi.load_form(demo_store, "4801003", programme, period))
        shown = {}
        for number, key in enumerate(model.row_keys, start=1):
            for row in range(model.rowCount()):
                code = model.indicator_at(row)["code"]
                value = model.index(row, model.value_column(key)).data()
                unit = model.index(row, model.name_column() + 1).data()
                shown[(str(number) if key else "", code)] = (value, unit)
        printed = {(line[2], line[3]): (line[5], line[6]) for line in lines}
        assert {(line[0], line[1]) for line in lines} == {(period, label)}
        assert printed == shown
        assert any(v[0] for v in printed.values())


def test_a_date_indicator_uses_the_be_date_editor(qtbot, lao_store, make_screen):
    """Templates an office adds may hold dates: typed as day/month/BE year, stored ISO."""
    from db.models import Programme
    from ui.widgets.date_edit import BEDateEdit

    with lao_store.session() as session:
        programme = session.get(Programme, builtin_id("P3"))
        spec = dict(programme.spec)
        spec["indicators"] = spec["indicators"] + [
            {
                "code": "reported_on",
                "group": "",
                "name": "วันที่รายงาน",
                "type": "date",
                "unit": "",
                "required": False,
            }
        ]
        programme.spec = spec
    screen, _ctx = make_screen(lao_store)
    editor = open_form(qtbot, screen, LAO, "P3", "Q", "ONCE")
    view = editor.table
    goto(qtbot, view, cell(editor, "reported_on"))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    date_edit = view.findChild(BEDateEdit)
    assert date_edit is not None
    import datetime as dt

    date_edit.setDate(dt.date(2021, 9, 30))
    press(qtbot, focused(view), Qt.Key.Key_Return)
    idle(qtbot, screen)
    assert cell(editor, "reported_on").data() == "30 ก.ย. 2564"
    with lao_store.read() as session:
        value = session.scalar(select(KpiValue).where(KpiValue.indicator_code == "reported_on"))
    assert value.value_date == dt.date(2021, 9, 30)


def test_paste_a_block_from_excel_and_undo_it_at_once(qtbot, lao_store, make_screen):
    screen, _ctx = make_screen(lao_store)
    editor = open_form(qtbot, screen, LAO, "P2", "KPI", "FY2567")
    view = editor.table
    QApplication.clipboard().setText("4,020\r\n2511\r\n2337\r\n9.2\r\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, screen)
    values = db_values(lao_store, "P2", "FY2567")
    assert [
        values[("", c)][0]
        for c in (
            "households_total",
            "households_sorting",
            "households_organic_bin",
            "waste_generated",
        )
    ] == [4020, 2511, 2337, Decimal("9.2")]
    editor.undo_stack.undo()  # one step undoes the paste
    idle(qtbot, screen)
    values = db_values(lao_store, "P2", "FY2567")
    assert all(values[("", c)][0] is None for c in ("households_total", "waste_generated"))


def test_back_asks_about_cells_that_could_not_be_saved(qtbot, lao_store, make_screen, monkeypatch):
    answer_with_events(qtbot, monkeypatch)
    screen, _ctx = make_screen(lao_store)
    editor = open_form(qtbot, screen, LAO, "P2", "KPI", "FY2567")
    field = type_text(qtbot, editor.table, "-5")
    press(qtbot, field, Qt.Key.Key_Return)
    idle(qtbot, screen)
    editor.table.setCurrentIndex(editor.proxy.index(3, 3))
    asked = answer(None)  # Esc: go back and correct
    shortcut(qtbot, editor.table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert screen.stack.currentWidget() is editor
    assert "ไม่ได้บันทึก" in asked[0] and "-5" not in asked[0]
    assert "ต้องไม่น้อยกว่า 0" in asked[0] or "ไม่น้อยกว่า" in asked[0]
    # the cursor is back on the red cell, which still holds what was typed
    current = editor.table.currentIndex()
    assert current.data() == "-5"
    assert current.data(Qt.ItemDataRole.ToolTipRole)
    answer("ออกโดยไม่บันทึกช่องเหล่านั้น")
    qtbot.mouseClick(editor.back, Qt.MouseButton.LeftButton)
    assert screen.stack.currentWidget() is screen.list_page


def test_the_gui_thread_never_opens_a_database_session(qtbot, lao_store, make_screen, monkeypatch):
    import threading

    from db.store import Store

    screen, _ctx = make_screen(lao_store)
    on_gui_thread = []
    for name in ("read", "session"):
        original = getattr(Store, name)

        def guarded(self, *args, _original=original, _name=name, **kwargs):
            if threading.current_thread() is threading.main_thread():
                on_gui_thread.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Store, name, guarded)
    screen.refresh()
    qtbot.waitUntil(lambda: not screen.ctx.runner.active, timeout=5000)
    editor = open_form(qtbot, screen, LAO, "P5", "SP", "FY2568")
    qtbot.mouseClick(editor.add_product, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(editor.model.row_keys) == 1, timeout=5000)
    field = type_text(qtbot, editor.table, "12")
    press(qtbot, field, Qt.Key.Key_Return)
    idle(qtbot, screen)
    qtbot.mouseClick(editor.complete_button, Qt.MouseButton.LeftButton)
    idle(qtbot, screen)
    editor.undo_stack.undo()
    idle(qtbot, screen)
    qtbot.mouseClick(editor.back, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.ctx.runner.active, timeout=5000)
    assert on_gui_thread == []
    assert len(kpi.list_products(lao_store, LAO, "P5", "FY2568")) == 1  # the work was done


def test_mark_complete_right_after_typing_waits_for_the_save(qtbot, lao_store, make_screen):
    kpi.save_values(
        lao_store,
        "P3",
        "ONCE",
        {("", "has_green_plan"): "มี", ("", "green_area_rai"): "1", ("", "activities"): "ปลูกต้นไม้"},
    )
    screen, _ctx = make_screen(lao_store)
    editor = open_form(qtbot, screen, LAO, "P3", "Q", "ONCE")
    view = editor.table
    goto(qtbot, view, cell(editor, "trees_planted"))
    field = type_text(qtbot, view, "300")
    press(qtbot, field, Qt.Key.Key_Return)
    # No waiting: the click comes while the cell may still be on its way to the database.
    qtbot.mouseClick(editor.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.current_status == "complete", timeout=5000)
    qtbot.waitUntil(
        lambda: plain(editor.status_chip.text()) == State.OVERDUE_READY.label, timeout=5000
    )
    idle(qtbot, screen)
    assert kpi.load_form(lao_store, LAO, "P3", "ONCE").status == "complete"


def test_cli_refuses_unknown_office_and_period_in_thai(demo_store, capsys):
    from lev_desktop.cli import main

    assert (
        main(["--db", str(demo_store.path), "kpi", "--programme", "P5", "--office", "9999999"]) == 2
    )
    assert "ไม่พบหน่วยงานรหัส 9999999" in capsys.readouterr().err
    assert (
        main(
            [
                "--db",
                str(demo_store.path),
                "kpi",
                "--programme",
                "P5",
                "--office",
                "4801003",
                "--period",
                "เมื่อวาน",
            ]
        )
        == 2
    )
    assert "ไม่รู้จักงวด" in capsys.readouterr().err
    assert (
        main(["--db", str(demo_store.path), "kpi", "--programme", "P1", "--office", "4801003"]) == 2
    )
    assert "ไม่มีแบบบันทึกตัวชี้วัด" in capsys.readouterr().err
    # Without --period: every period with values (P4: the months reported).
    assert (
        main(["--db", str(demo_store.path), "kpi", "--programme", "P4", "--office", "4801003"]) == 0
    )
    periods = {line.split("\t")[0] for line in capsys.readouterr().out.splitlines()}
    assert periods and all(len(p) == 7 and p[4] == "-" for p in periods)


def test_without_an_office_the_list_says_what_to_do(qtbot, empty_store, make_screen):
    screen, _ctx = make_screen(empty_store)
    page = screen.list_page
    assert page.model.rowCount() == 0
    assert page.empty.isVisibleTo(page)
    assert plain(page.empty.text()) == "โปรดตั้งค่าหน่วยงานก่อน (เมนูตั้งค่า)"


def test_the_lao_sees_a_return_for_correction_in_the_editor(qtbot, lao_store, make_screen):
    import datetime as dt

    kpi.save_values(lao_store, "P2", "FY2567", {("", "households_total"): "100"})
    with lao_store.read() as session:
        sub = session.scalar(select(FormSubmission))
    with lao_store.session(importing=True) as session:  # as the district's package brings it
        session.add(
            Review(
                id="r1",
                owner_office="D4801",
                target_office=LAO,
                target_kind=kpi.REVIEW_KIND,
                target_id=sub.id,
                action="returned",
                text="โปรดกรอกปริมาณขยะ",
                updated_by="นายอำเภอ",
                updated_at=sub.updated_at + dt.timedelta(seconds=1),
            )
        )
    screen, _ctx = make_screen(lao_store)
    page = screen.list_page
    page.search.setText("สะอาด")
    assert page.proxy.index(0, KpiListModel.STATUS).data() == "ส่งกลับให้แก้ไข"
    assert (
        page.proxy.index(0, KpiListModel.STATUS).data(Qt.ItemDataRole.BackgroundRole).color().name()
        == PALETTE["returned"][1]
    )  # purple
    editor = open_form(qtbot, screen, LAO, "P2", "KPI", "FY2567")
    assert plain(editor.status_chip.text()) == "ส่งกลับให้แก้ไข"
    texts = [editor.messages.item(i).text() for i in range(editor.messages.count())]
    assert any("D4801" in t and "โปรดกรอกปริมาณขยะ" in t for t in texts)


def test_district_sees_all_laos_side_by_side_with_totals(qtbot, demo_store, make_screen):
    screen, _ctx = make_screen(demo_store)
    page = screen.list_page
    assert page.overview.isVisible()
    page.search.setText("สะอาด")
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    qtbot.mouseClick(page.overview, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.overview.loaded, timeout=10000)
    model = screen.overview.model
    laos = page.laos
    assert model.rowCount() == len(laos) + 1  # one row per LAO, then the total
    values = kpi.consolidated(demo_store, "P2", "FY2567", [code for code, _ in laos])
    column = 1 + [i["code"] for i in kpi.get_programme(demo_store, "P2").spec["indicators"]].index(
        "households_total"
    )
    total = sum(values[code][""]["households_total"] for code, _ in laos)
    assert model.index(len(laos), 0).data() == "รวม"
    assert model.index(len(laos), column).data() == f"{total:,}"
    assert model.index(0, 0).data() == laos[0][1]
    # Enter on an LAO opens its form; "back" returns to the table.
    view = screen.overview.table
    view.setCurrentIndex(model.index(1, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.editor.loaded, timeout=10000)
    assert screen.editor.office_code == laos[1][0] and screen.editor.model.read_only
    qtbot.mouseClick(screen.editor.back, Qt.MouseButton.LeftButton)
    assert screen.stack.currentWidget() is screen.overview


def test_overview_rows_of_one_line_are_equally_tall(qtbot, demo_store, make_screen):
    """The district's overview of P2: a text answer ("ฝังกลบถูกหลักสุขาภิบาล") in its fixed
    130 px column wrapped, so the rows holding it, out of view at the right, were a line
    taller than the others (33 px against the total's 19 px, blank space under every value
    in view). Each column is now as wide as its answers on one line (up to 240 px)."""
    from ui.widgets.fit import one_line_width

    screen, _ctx = make_screen(demo_store)
    page = screen.list_page
    page.search.setText("สะอาด")
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    qtbot.mouseClick(page.overview, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.overview.loaded, timeout=10000)
    qtbot.wait(50)  # the rows' fit, on the next turn of the event loop
    view = screen.overview.table
    model = view.model()
    answers = 1 + [i["code"] for i in kpi.get_programme(demo_store, "P2").spec["indicators"]].index(
        "disposal_method"
    )
    texts = {model.index(r, answers).data() for r in range(model.rowCount() - 1)}
    assert "ฝังกลบถูกหลักสุขาภิบาล" in texts
    assert view.columnWidth(answers) >= max(one_line_width(view, t) for t in texts)
    heights = [view.rowHeight(r) for r in range(model.rowCount())]
    assert heights == [heights[-1]] * model.rowCount()  # every LAO's row as tall as the total's


def test_overview_model_passes_the_model_tester(qtmodeltester, demo_store):
    from ui.screens.kpi_models import KpiOverviewModel

    laos = [("4801003", "ทต.นาทราย"), ("4801004", "ทต.ท่าค้อ"), ("4809999", "ไม่มีข้อมูล")]
    for programme, period in (("P2", "FY2567"), ("P5", "FY2568")):
        model = KpiOverviewModel()
        model.set_data(
            kpi.get_programme(demo_store, programme).spec,
            laos,
            kpi.consolidated(demo_store, programme, period, [c for c, _ in laos]),
        )
        qtmodeltester.check(model)
        assert model.index(model.rowCount() - 2, 0).data() == "ไม่มีข้อมูล"  # no values: a row


def test_the_messages_under_the_form_show_the_interfaces_digits(qtbot, lao_store, make_screen):
    """A refused amount's message read "จำนวนเงินบาทมีทศนิยมได้ไม่เกิน ๒ ตำแหน่ง" beside the cell's
    "12,500.505" in the Arabic-digit interface: the catalogue had a Thai digit and the message
    list drew its texts as they came."""
    from PySide6.QtCore import QLocale

    from ui import digits

    screen, _ctx = make_screen(lao_store)
    editor = open_form(qtbot, screen, LAO, "P2", "KPI", "FY2567")
    view = editor.table
    goto(qtbot, view, cell(editor, "budget_spent"))
    field = type_text(qtbot, view, "12500.505")
    press(qtbot, field, Qt.Key.Key_Return)
    idle(qtbot, screen)

    def shown() -> list[str]:
        delegate = editor.messages.itemDelegate()
        return [
            delegate.displayText(editor.messages.item(i).text(), QLocale())
            for i in range(editor.messages.count())
            if "ทศนิยม" in editor.messages.item(i).text()
        ]

    assert [t.split(": ", 1)[1] for t in shown()] == ["จำนวนเงินบาทมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"]
    digits.set_thai(True)
    try:
        assert [t.split(": ", 1)[1] for t in shown()] == ["จำนวนเงินบาทมีทศนิยมได้ไม่เกิน ๒ ตำแหน่ง"]
    finally:
        digits.set_thai(False)


def test_a_districts_list_fits_the_laptop_without_cutting_a_column(qtbot, demo_store, make_screen):
    """At 1366×768 × 1.25 the KPI screen has about 860×560 logical pixels beside the
    navigation. The district's list stretched its programme column into what the fixed widths
    left: nothing, so it was 28 px wide ("P2 ·…") with its title one letter a line, and the
    list scrolled sideways. The columns now share the width, none below its widest word."""
    from ui.screens.kpi_models import KpiListModel
    from ui.widgets.fit import HEADER_PAD_W, header_metrics, widest_word

    screen, _ctx = make_screen(demo_store)
    screen.resize(860, 560)
    table = screen.list_page.table
    qtbot.wait(300)  # (the widths are shared out after the resize)
    shown = [c for c in range(table.model().columnCount()) if not table.isColumnHidden(c)]
    assert KpiListModel.OFFICE in shown and KpiListModel.PROGRAMME in shown
    metrics = header_metrics(table.horizontalHeader())
    for column in shown:
        title = table.model().headerData(column, Qt.Orientation.Horizontal)
        assert table.columnWidth(column) >= widest_word(title, metrics) + HEADER_PAD_W, title
    assert table.columnWidth(KpiListModel.PROGRAMME) >= 120
    assert table.horizontalScrollBar().maximum() == 0  # no sideways scrolling
