"""Calendar, home and reminder screens with qtbot; every model through qtmodeltester."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStyle, QStyleOptionFrame

from lev_desktop.changes import Changes
from lev_desktop.deadlines import engine
from lev_desktop.deadlines.engine import State
from ui.widgets.deadline_models import ItemRole

D = dt.date

# The offscreen platform plugin warns when a top-level window is shown; not our bug.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def pinned_today(monkeypatch):
    monkeypatch.setenv("LEV_TODAY", "2025-09-10")


@pytest.fixture
def ctx(demo_store, pinned_today, make_ctx):
    return make_ctx(demo_store)


def _calendar(ctx, qtbot):
    from ui.screens.calendar import CalendarScreen

    screen = CalendarScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1166, 708)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    qtbot.waitUntil(lambda: screen.book is not None and not screen.loading, timeout=10000)
    return screen


def test_models_pass_the_model_tester(demo_store, pinned_today, qtmodeltester):
    from ui.widgets.deadline_models import (
        AgendaModel,
        HolidayModel,
        LaoStatesModel,
        MonthModel,
    )

    book = engine.DeadlineBook(demo_store)
    items = book.items(D(2024, 10, 1), D(2025, 9, 30))
    agenda = AgendaModel()
    agenda.set_items(items)
    qtmodeltester.check(agenda)
    assert agenda.rowCount() == len(items) > 0
    month = MonthModel()
    start, end = MonthModel.grid_range(2025, 9, 6)
    month.set_month(2025, 9, 6, book.items(start, end), book.holidays, book.today)
    qtmodeltester.check(month)
    holidays = HolidayModel()
    holidays.set_rows([(h.day, h.name, h.source) for h in engine.list_holidays(demo_store, 2025)])
    qtmodeltester.check(holidays)
    states = LaoStatesModel()
    states.set_rows(engine.completeness(demo_store, "P5.DISTRICT.REPORT", D(2025, 9, 15)))
    qtmodeltester.check(states)
    assert states.rowCount() == 14


def test_month_grid_follows_week_start():
    from ui.screens.calendar import week_start_of
    from ui.widgets.deadline_models import MonthModel

    model = MonthModel()
    model.set_month(2025, 2, week_start_of("monday"), [], {})
    assert model.headerData(0, Qt.Orientation.Horizontal) == "จันทร์"
    assert model.days[0] == D(2025, 1, 27) and model.days[-1] == D(2025, 3, 2)
    model.set_month(2025, 2, week_start_of("sunday"), [], {})
    assert model.headerData(0, Qt.Orientation.Horizontal) == "อาทิตย์"
    assert model.days[0] == D(2025, 1, 26) and model.days[-1].weekday() == 5
    assert week_start_of(None) == 6 and week_start_of(1) == 0 and week_start_of(7) == 6


def test_month_shows_thai_month_and_chips(ctx, qtbot):
    screen = _calendar(ctx, qtbot)
    screen.open_item(D(2025, 10, 1))
    assert screen.title.text() == "ตุลาคม 2568"
    qtbot.waitUntil(lambda: screen.month_model.month == 10 and not screen.loading)
    screen.open_item(D(2025, 9, 1))
    qtbot.waitUntil(lambda: screen.month_model.month == 9 and not screen.loading)
    assert screen.title.text() == "กันยายน 2568"
    index = screen.month_model.index_of(D(2025, 9, 15))
    items = index.data(ItemRole)
    assert items and items[0].obligation.code == "P5.DISTRICT.REPORT"
    assert items[0].state == State.DUE_SOON


def test_clicking_a_chip_opens_its_form(ctx, qtbot):
    from ui.widgets.month_view import layout

    screen = _calendar(ctx, qtbot)
    screen.open_item({"date": "2025-09-15"})
    qtbot.waitUntil(lambda: screen.month_model.month == 9 and not screen.loading)
    view = screen.month_view
    index = screen.month_model.index_of(D(2025, 9, 15))
    rect = view.visualRect(index)
    from PySide6.QtGui import QFontMetrics

    from ui.widgets.month_view import chip_font

    chips, _hidden = layout(
        rect,
        D(2025, 9, 15),
        index.data(ItemRole),
        QFontMetrics(chip_font(view.font())),
        QFontMetrics(view.font()).height() + 6,
    )
    assert chips
    with qtbot.waitSignal(ctx.navigate, timeout=3000) as signal:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=chips[0][0].center())
    assert signal.args == ["kpi", {"programme": "P5", "form": "SP", "period": "FY2568"}]


def test_agenda_mark_sent_needs_a_reason_and_turns_sent(ctx, qtbot):
    screen = _calendar(ctx, qtbot)
    screen.tabs.setCurrentIndex(1)
    row = next(
        n
        for n, i in enumerate(screen.agenda_model.rows)
        if i.obligation.code == "P5.DISTRICT.REPORT"
    )
    # no deadline of the demo district has a note yet: the column gives its room to the others
    assert not any(screen.agenda_model.text(i, 7) for i in screen.agenda_model.rows)
    assert screen.agenda.isColumnHidden(7)
    screen.agenda.selectRow(row)
    assert screen.mark_button.isEnabled() and screen.laos_button.isEnabled()
    screen.mark_button.click()
    dialog = screen.mark_dialog
    dialog.day.setDate(D(2025, 9, 9))
    dialog._check()  # no reason: refused, nothing written
    assert dialog.isVisible() and dialog.error.text()
    dialog.reason.setText("ส่งหนังสือถึงจังหวัด")
    dialog._check()
    qtbot.waitUntil(
        lambda: any(
            i.obligation.code == "P5.DISTRICT.REPORT" and i.state == State.SENT
            for i in screen.agenda_model.rows
        ),
        timeout=10000,
    )
    item = next(i for i in screen.agenda_model.rows if i.obligation.code == "P5.DISTRICT.REPORT")
    assert item.mark.reason == "ส่งหนังสือถึงจังหวัด"
    assert screen.agenda_model.text(item, 0) == "ส่งแล้ว"
    assert "ส่งหนังสือถึงจังหวัด" in screen.agenda_model.text(item, 7)
    assert not screen.agenda.isColumnHidden(7)  # a hand mark is a note: the column is back


def test_the_deadline_just_marked_stays_chosen(ctx, qtbot):
    """fit15 (a district officer, under Xvfb): after "บันทึกว่าส่งแล้ว…" the agenda was read
    anew with no row chosen and the line under it back to "เลือกกำหนดส่งเพื่อดูรายละเอียด…"."""
    screen = _calendar(ctx, qtbot)
    screen.tabs.setCurrentIndex(1)
    row = next(
        n
        for n, i in enumerate(screen.agenda_model.rows)
        if i.obligation.code == "P5.DISTRICT.REPORT"
    )
    screen.agenda.selectRow(row)
    screen.mark_button.click()
    dialog = screen.mark_dialog
    dialog.reason.setText("ส่งหนังสือถึงจังหวัด")
    dialog._check()
    qtbot.waitUntil(
        lambda: any(i.marked for i in screen.agenda_model.rows) and not screen.loading,
        timeout=10000,
    )
    chosen = screen.selected()
    assert chosen is not None and chosen.obligation.code == "P5.DISTRICT.REPORT"
    assert chosen.marked and screen.mark_button.text() == "ยกเลิกการบันทึก"
    assert screen.detail.text().startswith(f"<b>{chosen.obligation.title}</b><br>")


def test_ics_export_and_month_pdf(ctx, qtbot, tmp_path):
    screen = _calendar(ctx, qtbot)
    target = tmp_path / "out.ics"
    screen.export_ics(target)
    qtbot.waitUntil(target.exists, timeout=10000)
    events = list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    expected = [i for i in screen.fy_items if not i.state.fulfilled]
    assert len(events) == len(expected) > 0
    pdf = tmp_path / "month.pdf"
    screen.open_item(D(2025, 2, 1))
    qtbot.waitUntil(lambda: screen.month_model.month == 2 and not screen.loading)
    assert screen.save_pdf(pdf)
    qtbot.waitUntil(pdf.exists, timeout=10000)  # put in place by the worker
    assert pdf.read_bytes()[:4] == b"%PDF"


def test_ics_export_to_a_bad_folder_is_a_polite_message(ctx, qtbot, tmp_path, monkeypatch):
    from ui.screens import calendar

    shown = []
    monkeypatch.setattr(calendar, "show_error", lambda parent, text: shown.append(text))
    screen = _calendar(ctx, qtbot)
    (tmp_path / "not-a-folder").write_bytes(b"")
    screen.export_ics(tmp_path / "not-a-folder" / "out.ics")
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "ไม่สามารถบันทึกไฟล์" in shown[0]


def test_holiday_dialog_adds_and_removes(ctx, qtbot, demo_store):
    from ui.widgets.deadline_dialogs import HolidayDialog

    dialog = HolidayDialog(ctx, 2025)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 10, timeout=10000)
    qtbot.keyClicks(dialog.day, "16/9/2568")
    dialog.name.setText("วันหยุดพิเศษ")
    dialog.add_button.click()
    qtbot.waitUntil(lambda: D(2025, 9, 16) in engine.holiday_map(demo_store), timeout=10000)
    qtbot.waitUntil(lambda: any(r[0] == D(2025, 9, 16) for r in dialog.model.rows), timeout=10000)
    row = next(n for n, r in enumerate(dialog.model.rows) if r[0] == D(2025, 9, 16))
    dialog.table.selectRow(row)
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: D(2025, 9, 16) not in engine.holiday_map(demo_store), timeout=10000)
    dialog.day.setText("31/2/2568")  # written right: the day does not exist (clerk12's rule)
    dialog.add_button.click()
    assert dialog.message.text() == "ไม่มีวันที่ 31 กุมภาพันธ์ 2568: เดือนกุมภาพันธ์ 2568 มี 28 วัน"
    assert dialog.message.styleSheet() == "color: #a3221a;"  # a refusal's one colour
    dialog.day.setText("31/2")  # not written as a date: how to write one
    dialog.add_button.click()
    assert "วัน/เดือน/ปี" in dialog.message.text()
    ctx.runner.wait()


def test_home_lists_next_deadlines_and_acts(ctx, qtbot):
    from ui.screens.home import HomeScreen

    home = HomeScreen(ctx)
    qtbot.addWidget(home)
    home.resize(1166, 708)
    with qtbot.waitSignal(ctx.badge_changed, timeout=10000) as badge:
        home.refresh()
    assert badge.args[0] == "home" and badge.args[1] > 0
    assert home.data.deadlines and home.deadlines.buttons
    assert home.packages.empty.text() == "ไม่มีแพ็กเกจรอนำเข้า"
    first = home.data.deadlines[0]
    with qtbot.waitSignal(ctx.navigate, timeout=3000) as signal:
        home.deadlines.buttons[0].click()
    expected = first.target or ("calendar", {"date": first.due})
    assert tuple(signal.args) == tuple(expected)


def test_home_empty_state(empty_store, qtbot, pinned_today, make_ctx):
    from lev_desktop.services.offices import initialise
    from ui.screens.home import HomeScreen

    initialise(empty_store, level="national", code="DLA", name="กรมส่งเสริมการปกครองท้องถิ่น")
    context = make_ctx(empty_store, fiscal_year=None)
    home = HomeScreen(context)
    qtbot.addWidget(home)
    home.show()
    with qtbot.waitSignal(context.badge_changed, timeout=10000):
        home.refresh()
    assert home.all_clear.isVisible() and "ไม่มีงานค้าง" in home.all_clear.text()


def test_reminder_dialog_and_badges(ctx, qtbot):
    from ui.widgets.reminder import maybe_show_reminder

    badges = []
    ctx.badge_changed.connect(lambda key, n: badges.append((key, n)))
    shown = []
    maybe_show_reminder(ctx, None, on_shown=shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    dialog = shown[0]
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    count = dialog.model.rowCount()
    assert ("calendar", count) in badges and ("home", count) in badges
    assert all(i.state in (State.OVERDUE, State.DUE_SOON) for i in dialog.model.rows)
    with qtbot.waitSignal(ctx.navigate, timeout=3000) as signal:
        dialog.calendar_button.click()
    assert signal.args[0] == "calendar"


def test_reminder_can_be_switched_off(ctx, qtbot, demo_store):
    from ui.widgets.reminder import maybe_show_reminder

    demo_store.set_setting("reminder.enabled", False)
    shown = []
    maybe_show_reminder(ctx, None, on_shown=shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert shown == [None]


def _clock_boxes():
    from PySide6.QtWidgets import QApplication, QMessageBox

    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "clock_warning" and w.isVisible()
    ]


def test_a_clock_back_at_2012_is_said_at_start(ctx, qtbot, clock):
    """A laptop whose clock battery died starts at its BIOS date: every deadline would be judged
    by it (nothing overdue in 2555), and the district would refuse its packages."""
    from ui.widgets.reminder import maybe_show_reminder

    clock.now = dt.datetime(2012, 1, 1, 1, 30, tzinfo=dt.UTC)
    shown = []
    maybe_show_reminder(ctx, None, on_shown=shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    boxes = _clock_boxes()
    assert [box.text() for box in boxes] == [
        "วันที่และเวลาของเครื่องนี้ไม่น่าจะถูกต้อง: หากส่งออกแพ็กเกจตอนนี้ แพ็กเกจจะระบุว่าสร้างเมื่อ "
        "1 ม.ค. 2555 08:30 น. ซึ่งเป็นเวลาก่อนที่จะมีโปรแกรม LEV Desktop โปรแกรมนี้"
        "ใช้วันที่ของเครื่องตัดสินกำหนดส่งทุกรายการ และหน่วยงานที่รับรายงานจะไม่รับแพ็กเกจของหน่วยงานนี้ "
        "โปรดตั้งวันที่และเวลาของ Windows ให้ถูกต้อง (การตั้งค่า › เวลาและภาษา) แล้วเปิด LEV Desktop ใหม่"
    ]
    boxes[0].close()


def test_a_clock_set_back_before_the_data_is_said_at_start(ctx, qtbot, clock):
    from ui.widgets.reminder import maybe_show_reminder

    clock.advance(days=-5)  # the demo's records were changed today
    shown = []
    maybe_show_reminder(ctx, None, on_shown=shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    boxes = _clock_boxes()
    assert len(boxes) == 1
    assert "รายการถูกบันทึกเมื่อเวลาในอนาคต ล่าสุดเมื่อ " in boxes[0].text()
    boxes[0].close()


def _top(name: str):
    from PySide6.QtWidgets import QApplication, QMessageBox

    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == name and w.isVisible()
    ]


def test_records_saved_ahead_are_restamped_from_the_start_warning_after_a_question(
    ctx, qtbot, clock
):
    """The clock ran ahead while the data were entered and is right now: the warning names the
    records and offers to set their times to now; nothing changes until the question's own
    button is pressed."""
    from PySide6.QtWidgets import QPushButton
    from sqlalchemy import func, select

    from db.models import AuditEntry
    from lev_desktop.exchange.exporter import clock_problem
    from lev_desktop.exchange.restamp import future_changes
    from ui.widgets.reminder import maybe_show_reminder

    store = ctx.store
    clock.advance(days=-5)  # the demo's records were saved "today": five days ahead of now
    problem = clock_problem(store)
    assert problem is not None and problem.future is not None
    count = problem.future.count
    assert count > 0
    shown = []
    maybe_show_reminder(ctx, None, on_shown=shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    (box,) = _clock_boxes()
    assert box.text().startswith(f"ข้อมูลของหน่วยงานนี้ {count} รายการถูกบันทึกเมื่อเวลาในอนาคต")
    button = box.findChild(QPushButton, "restamp_button")
    assert button.text() == "ปรับเวลาบันทึกเป็นเวลาปัจจุบัน…"
    button.click()
    (question,) = _top("restamp_confirm")
    assert question.text().startswith(problem.future.describe() + "\n\n")
    question.findChild(QPushButton, "restamp_yes").click()
    qtbot.waitUntil(lambda: bool(_top("restamp_done")), timeout=10000)
    (done,) = _top("restamp_done")
    assert done.text().startswith(f"ปรับเวลาบันทึกของข้อมูลของหน่วยงานนี้ {count} รายการเป็น ")
    done.close()
    with store.read() as s:
        assert future_changes(s, store.office_code, problem.future.now).count == 0
        restamped = select(func.count()).where(AuditEntry.action == "restamp")
        assert s.scalar(restamped) == count
    assert clock_problem(store) is None
    if shown[0] is not None:
        qtbot.addWidget(shown[0])


def test_the_restamp_question_cancelled_changes_nothing(ctx, qtbot, clock):
    from lev_desktop.exchange.exporter import clock_problem
    from ui.widgets.restamp import ask_restamp

    clock.advance(days=-5)
    problem = clock_problem(ctx.store)
    assert problem is not None and problem.future is not None
    question = ask_restamp(ctx, None, problem.future)
    assert question.defaultButton().text() == "ยกเลิก"
    question.defaultButton().click()
    assert clock_problem(ctx.store) == problem


def test_a_right_clock_is_not_questioned(ctx, qtbot):
    from ui.widgets.reminder import maybe_show_reminder

    shown = []
    maybe_show_reminder(ctx, None, on_shown=shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert _clock_boxes() == []
    if shown[0] is not None:
        qtbot.addWidget(shown[0])


def test_week_start_setting_reaches_the_screen(ctx, qtbot, demo_store):
    demo_store.set_setting("calendar.week_start", "monday")
    screen = _calendar(ctx, qtbot)
    assert screen.month_model.headerData(0, Qt.Orientation.Horizontal) == "จันทร์"
    assert screen.month_model.days[0].weekday() == 0


def test_destroyed_screens_ignore_later_signals(ctx, qtbot):
    from shiboken6 import delete

    from ui.screens.calendar import CalendarScreen
    from ui.screens.home import HomeScreen

    screen = CalendarScreen(ctx)
    home = HomeScreen(ctx)
    delete(screen)
    delete(home)
    ctx.notify(Changes(marks=True))
    ctx.fiscal_year_changed.emit(2569)
    ctx.runner.wait()


def test_a_crowded_day_lists_all_its_deadlines(ctx, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMenu

    screen = _calendar(ctx, qtbot)
    screen.open_item(D(2025, 9, 1))
    qtbot.waitUntil(lambda: screen.month_model.month == 9 and not screen.loading)
    item = screen.month_model.by_day[D(2025, 9, 15)][0]
    screen.month_model.by_day[D(2025, 9, 15)] = [item] * 12  # more than a cell can show
    shown = []
    monkeypatch.setattr(QMenu, "popup", lambda menu, pos: shown.append(menu.actions()))
    screen.day_menu(D(2025, 9, 15))
    assert len(shown) == 1 and len(shown[0]) == 12
    with qtbot.waitSignal(ctx.navigate, timeout=3000):
        shown[0][0].trigger()
    shown.clear()
    screen.day_menu(D(2025, 9, 30))  # fits: no list
    assert shown == []


def test_the_month_shows_before_the_fiscal_years_agenda_is_read(ctx, qtbot, monkeypatch):
    """The calendar's first job reads only the month; the fiscal year's agenda, timeline and
    reminder count follow in a second job (at the nation the year took several times the
    month, and the month view waited for it)."""
    from ui.screens.calendar import CalendarScreen

    seen = []
    agenda_loaded = CalendarScreen.agenda_loaded

    def watch(self, result):
        # what the screen already showed when the year's items arrived
        seen.append((sum(map(len, self.month_model.by_day.values())), len(self.fy_items)))
        agenda_loaded(self, result)

    monkeypatch.setattr(CalendarScreen, "agenda_loaded", watch)
    screen = _calendar(ctx, qtbot)
    month_items, fy_items_before = seen[0]
    assert month_items > 0 and fy_items_before == 0
    assert screen.fy_items and screen.agenda_model.rowCount() > 0
    assert not screen.agenda_loading


def test_the_agenda_says_it_is_being_read_until_the_year_arrives(ctx, qtbot, monkeypatch):
    """While the second job reads the fiscal year, the empty agenda and the timeline say so
    (they said "select a deadline" over an empty table for up to a second at the nation)."""
    from lev_desktop.i18n import _
    from ui.screens.calendar import CalendarScreen

    reading = _("Reading the fiscal year's deadlines…")
    seen = []
    agenda_loaded = CalendarScreen.agenda_loaded

    def watch(self, result):
        seen.append((self.detail.text(), self.timeline_title.text()))
        agenda_loaded(self, result)

    monkeypatch.setattr(CalendarScreen, "agenda_loaded", watch)
    screen = _calendar(ctx, qtbot)
    detail, timeline = seen[0]
    assert detail == "กำลังอ่านกำหนดส่งของทั้งปีงบประมาณ…" == reading
    assert timeline.endswith("  " + reading)
    assert screen.detail.text() == _("Select a deadline to see what it asks for.")
    assert reading not in screen.timeline_title.text()


def test_the_agenda_never_breaks_a_state_in_two(ctx, qtbot):
    """A narrow window (the app unmaximised at 125 %) squeezes the other columns, never the
    state: "เกินกำหนด" stood "เกิน" over "กำหนด" in a window 1,229 pixels wide."""
    from ui.widgets.fit import CELL_PAD_W

    screen = _calendar(ctx, qtbot)
    screen.tabs.setCurrentIndex(1)
    screen.resize(900, 600)
    metrics = screen.agenda.fontMetrics()
    needed = max(metrics.horizontalAdvance(i.state.label) for i in screen.agenda_model.rows)
    qtbot.waitUntil(lambda: screen.agenda.columnWidth(0) >= needed + CELL_PAD_W, timeout=3000)
    assert screen.agenda.columnWidth(4) < 300  # (the room came from the others)


def test_deadline_dialogs_show_the_interfaces_digits(ctx, qtbot, demo_store):
    """The holiday list and a deadline's LAO list, opened from the calendar, in Thai-digit
    mode: their dates read "๑ ม.ค. ๒๕๖๘" as on the screens (Qt's plain delegate drew "1 ม.ค.
    2568")."""
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QTableView

    from ui import digits
    from ui.widgets.deadline_dialogs import HolidayDialog, LaoStatesDialog

    digits.set_thai(True)
    try:
        holidays = HolidayDialog(ctx, 2025)
        qtbot.addWidget(holidays)
        qtbot.waitUntil(lambda: holidays.model.rowCount() > 10, timeout=10000)
        book = engine.DeadlineBook(demo_store)
        item = next(i for i in book.items(D(2024, 10, 1), D(2025, 9, 30)) if i.laos)
        laos = LaoStatesDialog(ctx, item)
        qtbot.addWidget(laos)
        qtbot.waitUntil(lambda: laos.model.rowCount() > 0, timeout=10000)
        for view in (holidays.table, laos.findChild(QTableView)):
            model = view.model()
            shown = [
                view.itemDelegateForIndex(model.index(r, c)).displayText(
                    model.index(r, c).data(), QLocale()
                )
                for r in range(model.rowCount())
                for c in range(model.columnCount())
                if model.index(r, c).data()
            ]
            assert shown and not [
                t for t in shown if any(ch.isascii() and ch.isdigit() for ch in t)
            ]
    finally:
        digits.set_thai(False)
        ctx.runner.wait()


def test_a_six_week_month_shows_a_days_one_deadline(ctx, qtbot):
    """January 2570 at 1366×768 at 125 %: six weeks in ~356 px gave each day ~59 px, the day's
    only deadline did not fit under the day number and the cell said "อีก 1 รายการ" with
    nothing shown. One chip fits down to the view's least height."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFontMetrics

    from ui.widgets.month_view import chip_font, layout

    screen = _calendar(ctx, qtbot)
    screen.open_item(D(2025, 9, 1))
    qtbot.waitUntil(lambda: screen.month_model.month == 9 and not screen.loading)
    item = screen.month_model.by_day[D(2025, 9, 15)][0]
    view = screen.month_view
    header = QFontMetrics(view.font()).height() + 6
    chip_metrics = QFontMetrics(chip_font(view.font()))
    for height in (view.minimumHeight() // 6, 59):
        cell = QRect(0, 0, 150, height)
        chips, hidden = layout(cell, D(2025, 9, 15), [item], chip_metrics, header)
        assert (len(chips), hidden) == (1, 0), height
        chip = chips[0][0]
        assert chip.top() >= header and chip.bottom() <= cell.bottom(), (height, chip)
        assert chip.height() >= chip_metrics.height() + 2, (height, chip)


def test_the_clock_warning_with_its_restamp_closes_with_esc(ctx, qtbot, clock):
    from PySide6.QtCore import Qt

    from ui.widgets.reminder import maybe_show_reminder

    clock.advance(days=-5)
    shown = []
    maybe_show_reminder(ctx, None, on_shown=shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    (box,) = _clock_boxes()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert _clock_boxes() == []
    if shown[0] is not None:
        qtbot.addWidget(shown[0])


def test_the_holiday_red_is_the_palettes_in_the_legend_and_the_month(
    qtbot, demo_store, monkeypatch
):
    """The calendar's legend ("red day number: public holiday") and the month's holiday day
    numbers each had their own literal #b71c1c; both read the one palette now, so they cannot
    drift apart (a colour changed there is changed in both)."""
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

    from ui import status_palette
    from ui.screens.calendar import legend
    from ui.widgets.deadline_models import DateRole, MonthModel
    from ui.widgets.month_view import MonthView

    monkeypatch.setattr(status_palette, "HOLIDAY", "#00a000")
    label = legend()
    qtbot.addWidget(label)
    assert '<span style="color:#00a000;">' in label.text()

    book = engine.DeadlineBook(demo_store)
    model = MonthModel()
    model.set_month(2025, 10, 6, [], book.holidays, book.today)
    view = MonthView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(700, 500)
    view.show()
    day = D(2025, 10, 13)  # วันคล้ายวันสวรรคต ร.9, a public holiday
    assert day in book.holidays
    index = next(
        model.index(r, c)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        if model.index(r, c).data(DateRole) == day
    )
    image = QImage(view.visualRect(index).size(), QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    option = QStyleOptionViewItem()
    option.rect = image.rect()
    option.widget = view
    option.font = view.font()
    option.fontMetrics = view.fontMetrics()
    view.itemDelegate().paint(painter, option, index)
    painter.end()
    green = QColor("#00a000").rgb()
    drawn = sum(
        1 for y in range(image.height()) for x in range(image.width()) if image.pixel(x, y) == green
    )
    assert drawn > 0  # the day number and the holiday's name, in the palette's colour


def test_a_holiday_typed_and_entered_is_shown_and_the_cursor_is_ready_for_the_next(
    ctx, qtbot, demo_store
):
    """A clerk types the date and the name and presses Enter: the day was saved but the list
    stayed at January (the new day out of sight at the bottom, nothing said) and the cursor
    stayed in the emptied name box, so the next date went into the name. Now the new day is
    selected in view and the cursor is back in the date box, whose example reads whole."""
    from keyboard import focused
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionFrame

    from ui.widgets.deadline_dialogs import HolidayDialog

    dialog = HolidayDialog(ctx, 2025)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 10, timeout=10000)
    option = QStyleOptionFrame()
    dialog.day.initStyleOption(option)
    contents = dialog.day.style().subElementRect(
        QStyle.SubElement.SE_LineEditContents, option, dialog.day
    )
    room = contents.width() - 2 * 2  # QLineEdit's own margin of 2 px each side
    assert dialog.day.fontMetrics().horizontalAdvance(dialog.day.placeholderText()) <= room
    dialog.day.setFocus()
    qtbot.keyClicks(dialog.day, "16/9/68")
    qtbot.keyClick(dialog.day, Qt.Key.Key_Tab)
    assert focused(dialog) is dialog.name
    for ch in "วันหยุดพิเศษ":  # Thai, one key event each (keyClicks aborts on Thai)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                dialog.name, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: D(2025, 9, 16) in engine.holiday_map(demo_store), timeout=10000)
    qtbot.waitUntil(lambda: dialog.table.selectionModel().hasSelection(), timeout=10000)
    (selected,) = dialog.table.selectionModel().selectedRows()
    assert dialog.model.rows[selected.row()][:2] == (D(2025, 9, 16), "วันหยุดพิเศษ")
    assert dialog.table.viewport().rect().contains(dialog.table.visualRect(selected))
    assert focused(dialog) is dialog.day and dialog.day.text() == "" and dialog.isVisible()
    ctx.runner.wait()


def test_a_long_note_does_not_take_the_agenda(lao_store, pinned_today, make_ctx, qtbot):
    """Under Xvfb at 1366×768 at 125 % a deadline on a holiday ("วันหยุดราชการ: วันขึ้นปีใหม่ —
    หน่วยงานมักส่งในวันทำการก่อนหน้า (พ. 30 ธ.ค. 2569)") stood seven lines tall in the note
    column: 2½ deadlines in the list. A row now takes at most its share of four; the whole
    note is in the tooltip and the details under the list."""
    screen = _calendar(make_ctx(lao_store), qtbot)  # an LAO's year: a deadline each month
    screen.resize(913, 520)  # the work area of a 1093×582 window
    screen.tabs.setCurrentIndex(1)
    agenda, model = screen.agenda, screen.agenda_model
    qtbot.waitUntil(lambda: model.rowCount() > 4, timeout=10000)
    noted = max(range(model.rowCount()), key=lambda r: len(model.index(r, 7).data() or ""))
    note = model.index(noted, 7).data()
    lines = (
        agenda.fontMetrics()
        .boundingRect(0, 0, agenda.columnWidth(7) - 8, 10_000, int(Qt.TextFlag.TextWordWrap), note)
        .height()
        // agenda.fontMetrics().lineSpacing()
    )
    assert lines >= 5  # the note needs more lines than a row may have
    qtbot.waitUntil(lambda: agenda.rowHeight(noted) * 4 <= agenda.viewport().height(), timeout=3000)
    assert model.index(noted, 7).data(Qt.ItemDataRole.ToolTipRole) == note


def test_home_says_a_complete_form_past_its_day_is_still_to_send_and_offers_the_export(
    lao_store, qtbot, monkeypatch, make_ctx
):
    """An LAO that completes F3 after its due day read "เกินกำหนด 20 วัน" and "เปิดแบบฟอร์ม", as
    if nothing had been done (fit14). It is still overdue, and Home now says the form is
    complete and that what is left is to send it, with the button that does."""
    from sqlalchemy import select

    from db.models import FormSubmission, Programme
    from ui.screens.home import HomeScreen

    monkeypatch.setenv("LEV_TODAY", "2025-10-20")
    with lao_store.session() as s:
        p1 = s.scalar(select(Programme.id).where(Programme.code == "P1"))
        s.add(
            FormSubmission(
                id="f3-complete",
                owner_office="4801006",
                programme_id=p1,
                form_code="F3",
                period="FY2568",
                status="complete",
                completed_at=dt.datetime(2025, 10, 15, 9, 0),
            )
        )
        s.commit()
    ctx = make_ctx(lao_store)
    home = HomeScreen(ctx)
    qtbot.addWidget(home)
    home.resize(1166, 708)
    with qtbot.waitSignal(ctx.badge_changed, timeout=10000):
        home.refresh()
    rows = [
        i
        for i in home.data.deadlines
        if (i.obligation.programme_code, i.obligation.form) == ("P1", "F3")
    ]
    assert [i.state for i in rows] == [State.OVERDUE_READY]
    at = home.data.deadlines.index(rows[0])
    texts = [w.text() for w in home.deadlines.findChildren(QLabel)]
    assert "เสร็จแล้ว รอส่ง\nเกินกำหนด 20 วัน" in texts
    button = home.deadlines.buttons[at]
    assert button.text() == "ส่งแพ็กเกจ…"
    with qtbot.waitSignal(ctx.navigate, timeout=3000) as signal:
        button.click()
    assert tuple(signal.args) == ("exchange", "export")
    # the others stay as they were: the F2 of the same plan is overdue and opens its form
    f2 = next(i for i in home.data.deadlines if i.obligation.form == "F2")
    assert f2.state == State.OVERDUE
    assert home.deadlines.buttons[home.data.deadlines.index(f2)].text() == "เปิดแบบฟอร์ม"
    # where it goes: the exchange screen's export tab, from whichever tab it showed
    from ui.screens.exchange import ExchangeScreen

    exchange = ExchangeScreen(ctx)
    qtbot.addWidget(exchange)
    exchange.tabs.setCurrentIndex(exchange.tab_of(exchange.import_tab))
    exchange.open_item(*signal.args[1:])
    assert exchange.tabs.currentIndex() == exchange.tab_of(exchange.export_tab)


@pytest.mark.parametrize("thai_digits", [False, True])
def test_the_chosen_deadlines_detail_has_one_kind_of_digit(ctx, qtbot, thai_digits):
    """fit15, fit16 (Xvfb): the line under the agenda read "เครือข่าย อถล. ปีงบประมาณ ๒๕๖๘ ·
    วันอังคารที่ 30 กันยายน 2568": the programme's official name keeps the Thai digits of its
    letter. The whole detail has the interface's digits, as the Settings choice says."""
    from shown_digits import wrong_digits

    from ui import digits

    digits.set_thai(thai_digits)
    try:
        screen = _calendar(ctx, qtbot)
        screen.tabs.setCurrentIndex(1)
        mode = "thai" if thai_digits else "arabic"
        rows = screen.agenda_model.rows
        named = [n for n, i in enumerate(rows) if "๒" in i.obligation.programme_name]
        assert named  # the demo's official names carry Thai digits
        for row in named:
            screen.agenda.selectRow(row)
            text = screen.detail.text()
            assert rows[row].obligation.title in text
            assert wrong_digits("detail", text, mode) == []
    finally:
        digits.set_thai(False)


def test_the_mark_dialogs_example_is_whole(ctx, qtbot):
    """fit15, fit16 (Xvfb, 125 %): "บันทึกว่าส่งแล้ว…" showed its example cut, "เช่น
    หนังสือที่ 123 ลงวันที่ …", in a box of 189 px for 271 px of text."""
    from ui.app import make_application
    from ui.widgets.deadline_dialogs import MarkDialog

    make_application()  # the app's font, as users see it
    screen = _calendar(ctx, qtbot)
    dialog = MarkDialog(screen.agenda_model.rows[0], D(2025, 9, 10), screen)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    edit = dialog.reason
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    contents = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    room = contents.width() - 2 * 2  # QLineEdit's own margin of 2 px each side
    assert edit.fontMetrics().horizontalAdvance(edit.placeholderText()) <= room
    dialog.reject()
