"""Settings show what is in effect, one digit setting for the interface, and a start-up
reminder that does not come back every start (issue 12)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QLabel
from waits import idle

from lev_desktop import options
from lev_desktop.services import plans as ps
from lev_desktop.services.programmes import builtin_id
from ui.thai_wrap import plain

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_settings_show_the_week_start_the_calendar_uses(qtbot, window):
    """Settings › Calendar showed Monday while the calendar started on Sunday, and Save
    silently switched the calendar."""
    main, ctx = window
    main.show_screen("calendar")
    idle(qtbot, ctx)
    calendar = main.page("calendar")
    assert calendar.week_start == 6  # Sunday
    assert calendar.month_model.headerData(0, Qt.Orientation.Horizontal) == "อาทิตย์"
    main.show_screen("settings")
    settings = main.page("settings")
    idle(qtbot, ctx)
    assert settings.calendar.week_start.currentData() == "sun"
    assert settings.calendar.week_start.currentText() == "วันอาทิตย์"
    assert settings.calendar.reminder_enabled.isChecked()
    # Save without a change changes nothing
    qtbot.mouseClick(settings.calendar.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, ctx)
    main.show_screen("calendar")
    idle(qtbot, ctx)
    assert calendar.week_start == 6
    # the date popups follow the setting too
    from ui.widgets.date_edit import BEDateEdit

    edit = BEDateEdit()
    qtbot.addWidget(edit)
    assert plain(edit.popup.header_labels[0].text()) == "อา."


def test_one_digit_setting_for_the_whole_interface(qtbot, window):
    main, ctx = window
    ps.start_from_examples(ctx.store, builtin_id("P1"), 2568)
    # Home's cards too: the draft plan's programme name keeps no Thai digits beside Arabic ones
    main.show_screen("home")
    main.page("home").refresh()
    idle(qtbot, ctx)
    home = [plain(label.text()) for label in main.page("home").findChildren(QLabel)]
    assert any("เครือข่าย อถล. ปีงบประมาณ 2568" in text for text in home)
    assert not any("๒๕๖๘" in text for text in home)
    # and the programmes to send on Exchange › Export (found in the Xvfb run of round 3)
    main.show_screen("exchange")
    idle(qtbot, ctx)
    export = main.page("exchange").export_tab
    names = [export.programmes.item(i).text() for i in range(export.programmes.count())]
    assert "P1 — เครือข่าย อถล. ปีงบประมาณ 2568" in names
    assert not any(digit in name for name in names for digit in "๐๑๒๓๔๕๖๗๘๙")
    # and the reports' names ("แบบ ๑ แผนปฏิบัติงาน" beside "ปีงบประมาณ 2568")
    main.show_screen("reports")
    idle(qtbot, ctx)
    kinds = main.page("reports").kinds
    names = [kinds.item(i).text() for i in range(kinds.count())]
    assert "แบบ 1 แผนปฏิบัติงาน" in names
    assert not any(digit in name for name in names for digit in "๐๑๒๓๔๕๖๗๘๙")
    main.show_screen("plans")
    idle(qtbot, ctx)
    editor = main.page("plans").editor
    bar = main.page("plans").bar
    # Arabic digits (the default) everywhere, also in the template's name that has Thai ones
    assert bar.programme.currentText() == "เครือข่าย อถล. ปีงบประมาณ 2568"
    assert plain(bar.year.text()) == "ปีงบประมาณ 2568"
    assert main.year_combo.currentText() == "ปีงบประมาณ 2568"
    cell = editor.proxy.index(0, 5)
    delegate = editor.table.itemDelegateForIndex(cell)
    assert delegate.displayText(cell.data(), QLocale()) == "20,000.00"

    # Thai digits chosen in Settings › This office, with real clicks
    main.show_screen("settings")
    general = main.page("settings").general
    idle(qtbot, ctx)
    assert not general.thai_digits.isChecked()
    general.thai_digits.setFocus()
    qtbot.keyClick(general.thai_digits, Qt.Key.Key_Space)
    assert general.thai_digits.isChecked()
    qtbot.mouseClick(general.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, ctx)
    assert options.get(ctx.store, "ui.thai_digits") is True
    assert main.year_combo.currentText() == "ปีงบประมาณ ๒๕๖๘"
    main.show_screen("plans")
    idle(qtbot, ctx)
    assert bar.programme.currentText() == "เครือข่าย อถล. ปีงบประมาณ ๒๕๖๘"
    assert plain(bar.year.text()) == "ปีงบประมาณ ๒๕๖๘"
    cell = editor.proxy.index(0, 5)  # the screen reloaded its rows: a fresh index
    delegate = editor.table.itemDelegateForIndex(cell)
    assert delegate.displayText(cell.data(), QLocale()) == "๒๐,๐๐๐.๐๐"
    # what is stored and edited keeps its digits
    assert cell.data(Qt.ItemDataRole.EditRole) == "20,000.00"


def test_the_reminder_shows_once_a_day_for_the_same_deadlines_and_can_be_turned_off(
    qtbot, demo_store, make_ctx, monkeypatch
):
    from ui.widgets.reminder import maybe_show_reminder

    monkeypatch.setenv("LEV_TODAY", "2025-09-10")
    ctx = make_ctx(demo_store)
    shown = []
    maybe_show_reminder(ctx, None, on_shown=shown.append)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10000)
    first = shown[0]
    assert first is not None and first.model.rowCount() > 0
    first.close()
    # the program opened again the same day: the same list is not shown again
    maybe_show_reminder(ctx, None, on_shown=shown.append)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=10000)
    assert shown[1] is None
    # the next day it is
    monkeypatch.setenv("LEV_TODAY", "2025-09-11")
    maybe_show_reminder(ctx, None, on_shown=shown.append)
    qtbot.waitUntil(lambda: len(shown) == 3, timeout=10000)
    dialog = shown[2]
    assert dialog is not None
    # "do not show this at start" in the dialog itself turns the option off
    dialog.turn_off.setFocus()
    qtbot.keyClick(dialog.turn_off, Qt.Key.Key_Space)
    idle(qtbot, ctx)
    assert options.get(demo_store, "reminder.enabled") is False
    dialog.close()
    monkeypatch.setenv("LEV_TODAY", "2025-09-12")
    maybe_show_reminder(ctx, None, on_shown=shown.append)
    qtbot.waitUntil(lambda: len(shown) == 4, timeout=10000)
    assert shown[3] is None


@pytest.mark.parametrize(
    ("text", "thai", "arabic"),
    [
        ("P1 · ปีงบประมาณ 2568", "P1 · ปีงบประมาณ ๒๕๖๘", "P1 · ปีงบประมาณ 2568"),
        ("F2: เสร็จแล้ว 12/14", "F2: เสร็จแล้ว ๑๒/๑๔", "F2: เสร็จแล้ว 12/14"),
        ("D4801 (P48)", "D4801 (P48)", "D4801 (P48)"),
        ("มท ๐๘๒๐.๒/ว 5037", "มท ๐๘๒๐.๒/ว ๕๐๓๗", "มท 0820.2/ว 5037"),
        ("www.dla.go.th/2568", "www.dla.go.th/2568", "www.dla.go.th/2568"),
    ],
)
def test_screen_digits_follow_the_printed_documents_rule(text, thai, arabic):
    """On screen as on paper: codes that mix digits with Latin letters (P1, F2, D4801) and
    addresses keep their digits in Thai-digit mode ("P๑" was shown before)."""
    from ui import digits

    try:
        digits.set_thai(True)
        assert digits.shown(text) == thai
        digits.set_thai(False)
        assert digits.shown(text) == arabic
    finally:
        digits.set_thai(False)
