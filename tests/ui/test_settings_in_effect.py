"""Settings show what is in effect, every option on every tab (issue 12 item 8): what each
tab shows equals lev_desktop.options (and the office's own record) before and after Save, a
Save with no change changes nothing, and a changed value is in effect and shown after Save."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from waits import idle

from lev_desktop import options

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

# Options a person does not set in Settings: the fiscal year is the selector in the status bar,
# the key escrow is written by the key's export, the last folders by the file dialogs.
NOT_IN_SETTINGS = {"fiscal_year", "key.escrow", "folders.last_used"}


def chosen(tmp_path) -> dict:
    """A value other than the default for every option Settings shows."""
    return {
        "language": "en",
        "ui.thai_digits": True,
        "print.thai_digits": False,
        "print.signer_name": "นายสมชาย รักษ์โลก",
        "print.signer_position": "ท้องถิ่นอำเภอเมืองนครพนม",
        "print.letterhead": "ที่ว่าการอำเภอเมืองนครพนม\nถนนสุนทรวิจิตร",
        "print.garuda_image": str(tmp_path / "ครุฑ.png"),
        "calendar.week_start": "mon",
        "reminder.days": 12,
        "reminder.enabled": False,
        "folders.reports": str(tmp_path / "รายงาน"),
        "folders.packages": str(tmp_path / "แพ็กเกจ"),
        "backup.second_folder": str(tmp_path / "usb"),
    }


def shown(settings) -> dict:
    """What each tab's widgets show, read from the widgets themselves."""
    general, printing, calendar = settings.general, settings.printing, settings.calendar
    return {
        "language": general.language.currentData(),
        "ui.thai_digits": general.thai_digits.isChecked(),
        "print.thai_digits": printing.thai_digits.isChecked(),
        "print.signer_name": printing.signer_name.text(),
        "print.signer_position": printing.signer_position.text(),
        "print.letterhead": printing.letterhead.toPlainText(),
        "print.garuda_image": printing.garuda_path.text(),
        "calendar.week_start": calendar.week_start.currentData(),
        "reminder.days": calendar.reminder_days.value(),
        "reminder.enabled": calendar.reminder_enabled.isChecked(),
        "folders.reports": settings.folders.edits["reports"].text(),
        "folders.packages": settings.folders.edits["packages"].text(),
        "backup.second_folder": settings.backups.second_path.text(),
    }


def in_effect(store) -> dict:
    return {key: options.get(store, key) for key in options.OPTIONS if key not in NOT_IN_SETTINGS}


def office_record(store) -> dict:
    """This office as Settings › This office shows it, and the day it began using the app."""
    from db.models_deadlines import OfficeSince
    from lev_desktop.services.offices import this_office

    office = this_office(store)
    with store.read() as session:
        since = session.get(OfficeSince, office.code)
        started = (since.since, since.source) if since is not None else None
    return {
        "name": office.name,
        "phone": office.phone,
        "parent_code": office.parent_code,
        "officer": store.officer,
        "since": started,
    }


def shown_office(settings) -> dict:
    general = settings.general
    return {
        "name": general.name.text(),
        "phone": general.phone.text(),
        "parent_code": general.reports_to.currentData(),
        "officer": general.officer.text(),
    }


def _open_settings(main, ctx, qtbot):
    main.show_screen("settings")
    settings = main.page("settings")
    settings.refresh()
    idle(qtbot, ctx)
    for key in settings.TAB_KEYS:  # each tab as a person opens it (Backups reads on opening)
        if settings.tabs.isTabVisible(settings.tab_index(key)):
            settings.show_tab(key)
            idle(qtbot, ctx)
    return settings


def test_every_option_in_settings_is_checked_here():
    """An option added to options.py must be added to this test (or to NOT_IN_SETTINGS)."""
    from pathlib import Path

    assert set(chosen(Path("/x"))) == set(options.OPTIONS) - NOT_IN_SETTINGS


@pytest.mark.parametrize("values", ["defaults", "chosen"])
def test_settings_show_what_is_in_effect_and_save_without_change_changes_nothing(
    qtbot, window, tmp_path, values
):
    main, ctx = window
    store = ctx.store
    if values == "chosen":
        options.save(store, chosen(tmp_path))
    from lev_desktop.deadlines.engine import set_since

    set_since(store, store.office_code, dt.date(2024, 10, 1), source="setup")
    effect, office = in_effect(store), office_record(store)
    if values == "chosen":
        assert effect == chosen(tmp_path)  # the test does try values other than the defaults
    settings = _open_settings(main, ctx, qtbot)
    assert shown(settings) == effect
    assert shown_office(settings) == {k: v for k, v in office.items() if k != "since"}
    assert settings.general.since.date() == office["since"][0]

    # Save on each tab that has one, with nothing changed: nothing changes
    for tab in (settings.general, settings.printing, settings.calendar, settings.folders):
        settings.show_tab({v: k for k, v in settings.pages.items()}[tab])
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
        idle(qtbot, ctx)
        assert tab.saved.text() == "บันทึกแล้ว"
    assert in_effect(store) == effect
    assert office_record(store) == office
    settings = _open_settings(main, ctx, qtbot)
    assert shown(settings) == effect


def test_a_changed_option_is_in_effect_and_shown_after_save(qtbot, window, tmp_path):
    main, ctx = window
    store = ctx.store
    settings = _open_settings(main, ctx, qtbot)
    before = in_effect(store)
    # a person's changes, with real keys where they type
    settings.show_tab("printing")
    printing = settings.printing
    printing.signer_name.setFocus()
    printing.signer_name.selectAll()
    qtbot.keyClicks(printing.signer_name, "Somchai R.")  # keyClicks aborts on Thai
    printing.thai_digits.setFocus()
    qtbot.keyClick(printing.thai_digits, Qt.Key.Key_Space)
    qtbot.mouseClick(printing.save_button, Qt.MouseButton.LeftButton)
    settings.show_tab("calendar")
    calendar = settings.calendar
    calendar.reminder_days.setFocus()
    calendar.reminder_days.selectAll()
    qtbot.keyClicks(calendar.reminder_days, "14")
    calendar.week_start.setCurrentIndex(calendar.week_start.findData("mon"))
    qtbot.mouseClick(calendar.save_button, Qt.MouseButton.LeftButton)
    settings.show_tab("folders")
    folders = settings.folders
    folders.edits["packages"].setFocus()
    qtbot.keyClicks(folders.edits["packages"], str(tmp_path / "out"))
    qtbot.mouseClick(folders.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, ctx)
    expected = dict(
        before,
        **{
            "print.signer_name": "Somchai R.",
            "print.thai_digits": not before["print.thai_digits"],
            "reminder.days": 14,
            "calendar.week_start": "mon",
            "folders.packages": str(tmp_path / "out"),
        },
    )
    assert in_effect(store) == expected
    assert shown(settings) == expected
    settings = _open_settings(main, ctx, qtbot)  # read again from the database
    assert shown(settings) == expected
    assert main.page("settings") is settings
    from ui.widgets.date_edit import set_week_start

    set_week_start(False)  # the date popups' week start is the process's: back to Sunday


def test_file_menu_opens_the_backups(qtbot, window):
    """A clerk looks for backing up in the File menu first (the Xvfb run of round 3: only
    Settings › Backups had it)."""
    main, ctx = window
    file_menu = main.menuBar().actions()[0].menu()
    (action,) = [a for a in file_menu.actions() if a.text() == "สำรองและกู้คืนข้อมูล…"]
    action.trigger()
    idle(qtbot, ctx)
    settings = main.page("settings")
    assert main.stack.currentWidget() is settings
    assert settings.tabs.currentIndex() == settings.tab_index("backups")


def test_enter_in_a_settings_box_saves_its_tab(qtbot, window):
    """A clerk typed the office's telephone number and pressed Enter: nothing happened, and on
    leaving Settings the number was gone. Enter in a box of a tab now saves the tab, as Save
    does (its checks too)."""
    main, ctx = window
    store = ctx.store
    settings = _open_settings(main, ctx, qtbot)
    settings.show_tab("general")
    general = settings.general
    general.phone.setFocus()
    general.phone.selectAll()
    qtbot.keyClicks(general.phone, "042-511234")
    qtbot.keyClick(general.phone, Qt.Key.Key_Return)
    idle(qtbot, ctx)
    assert office_record(store)["phone"] == "042-511234"
    assert general.saved.text() == "บันทึกแล้ว"
    settings.show_tab("printing")
    printing = settings.printing
    printing.signer_name.setFocus()
    printing.signer_name.selectAll()
    qtbot.keyClicks(printing.signer_name, "Somchai R.")
    qtbot.keyClick(printing.signer_name, Qt.Key.Key_Enter)  # the number pad's Enter
    idle(qtbot, ctx)
    assert options.get(store, "print.signer_name") == "Somchai R."


def test_leaving_settings_with_typed_text_not_saved_asks_first(qtbot, window, monkeypatch):
    """fit14/fit15: the telephone typed in Settings › หน่วยงานนี้ and the clerk went to another
    screen: the number was gone, nothing said. Leaving asks now; "กลับไปบันทึก" (Enter, Esc)
    shows the box with the cursor in it, "ออกโดยไม่บันทึก" leaves and puts the saved text back."""
    from keyboard import focused
    from questions import answer, answer_with_events

    answer_with_events(qtbot, monkeypatch)
    main, ctx = window
    settings = _open_settings(main, ctx, qtbot)
    settings.show_tab("general")
    saved_phone = settings.general.phone.text()
    settings.general.phone.setFocus()
    settings.general.phone.selectAll()
    qtbot.keyClicks(settings.general.phone, "042-511234")  # typed (a setText is not typing)
    settings.show_tab("printing")
    asked = answer(None)  # Esc: go back
    main.show_screen("home")
    assert main.current_key() == "settings"
    assert asked == [
        "ข้อความที่พิมพ์ไว้ในหน้านี้ยังไม่ได้บันทึก:\n• หน่วยงานนี้ › โทรศัพท์\n\n"
        "ออกจากหน้านี้เลยหรือไม่ ข้อความที่พิมพ์ไว้จะหายไป"
    ]
    assert settings.tabs.currentIndex() == settings.tab_index("general")
    assert focused(main) is settings.general.phone
    assert settings.general.phone.text() == "042-511234"
    answer("ออกโดยไม่บันทึก")
    main.show_screen("home")
    assert main.current_key() == "home"
    assert settings.general.phone.text() == saved_phone
    assert office_record(ctx.store)["phone"] == saved_phone
    # saved text is not asked about
    main.show_screen("settings")
    idle(qtbot, ctx)
    settings.show_tab("printing")
    settings.printing.signer_name.selectAll()
    qtbot.keyClicks(settings.printing.signer_name, "Somchai J.")
    settings.printing.save_button.click()
    idle(qtbot, ctx)
    main.show_screen("home")  # no question (one would fail the test)
    assert main.current_key() == "home"
