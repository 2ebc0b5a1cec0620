"""The application shell: start-up, main window, setup wizard, settings, table models."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog

from lev_desktop.services.offices import area_laos, get_office, list_offices, subordinate_laos
from ui.app import Launcher, acquire_lock, make_application


@pytest.fixture
def app(qapp):
    from ui import thai_wrap

    make_application()
    yield qapp
    thai_wrap.uninstall(qapp)  # labels of later tests keep the text they were given


def test_fonts_loaded(app):
    assert "Sarabun" in QFontDatabase.families()
    font = QApplication.font()
    assert font.family() == "Sarabun"
    assert font.pointSizeF() >= 10


def test_main_window_on_demo_db_shows_thai(app, qtbot, demo_store, make_ctx):
    from ui.main_window import MainWindow

    ctx = make_ctx(demo_store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    qtbot.waitUntil(lambda: "D4801" in window.office_label.text(), timeout=5000)
    assert "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองนครพนม" in window.office_label.text()
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels[0] == "หน้าหลัก" and labels[-1] == "ตั้งค่า"
    assert window.year_combo.currentText() == "ปีงบประมาณ 2568"
    assert str(demo_store.path) in window.db_label.toolTip()
    # a screen is built the first time it is shown
    window.show_screen("exchange")
    assert window.stack.currentWidget() is window.page("exchange")
    # badge from the context signal
    ctx.badge_changed.emit("calendar", 3)
    assert window.badge("calendar") == 3
    # navigate with an argument opens the settings tab
    ctx.navigate.emit("settings", "about")
    settings = window.page("settings")
    assert window.stack.currentWidget() is settings
    assert settings.tabs.currentIndex() == settings.tab_index("about")
    # the fiscal-year selector is saved
    index = window.year_combo.findData(2567)
    window.year_combo.setCurrentIndex(index)
    window.year_combo.activated.emit(index)
    assert ctx.fiscal_year == 2567
    qtbot.waitUntil(lambda: demo_store.get_setting("fiscal_year") == 2567, timeout=5000)
    window.resize(1366, 768)
    assert window.minimumSizeHint().width() <= 1366


def test_launcher_demo_flag_builds_demo_and_shows_window(app, qtbot, tmp_path):
    from ui.app import DEMO_DB_NAME, database_for, parse_args

    url = database_for(parse_args(["--demo"]))
    assert url.endswith(DEMO_DB_NAME)
    launcher = Launcher(url, demo=True)
    with qtbot.waitSignal(launcher.ready, timeout=60000) as blocker:
        launcher.start()
    window = blocker.args[0]
    qtbot.addWidget(window)
    assert launcher.store.office_code == "D4801"
    assert len(area_laos(launcher.store)) == 15
    assert window.nav.item(0).text() == "หน้าหลัก"
    # the start-up reminder fills the calendar badge (the demo data has overdue reports)
    qtbot.waitUntil(lambda: window.badge("calendar") > 0, timeout=20000)
    launcher.runner.wait()
    for dialog in window.findChildren(QDialog):
        dialog.close()
    window.close()
    # Closing makes a backup first (on the worker); the window closes when it is done.
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20000)
    from lev_desktop.continuity.backups import list_backups

    assert [b.kind for b in list_backups(launcher.store.path)] == ["auto"]
    launcher.runner.wait()
    launcher.store.dispose()


def test_second_instance_is_refused(app, tmp_path):
    url = f"sqlite:///{tmp_path / 'one.db'}"
    first = acquire_lock(url)
    assert first is not None
    assert acquire_lock(url) is None
    first.release()
    again = acquire_lock(url)
    assert again is not None
    again.release()


def _type(widget, text: str) -> None:
    """Types Thai one QKeyEvent per character (qtbot.keyClicks aborts on Thai)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


def test_wizard_creates_an_lao_office(app, qtbot, empty_store, make_ctx):
    from lev_desktop.domain.offices import Level
    from ui.setup_wizard import SetupWizard

    ctx = make_ctx(empty_store)
    wizard = SetupWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.level_page.buttons[Level.LAO].setChecked(True)
    wizard.next()
    assert wizard.currentId() == SetupWizard.PLACE
    assert not wizard.place_page.isComplete()
    wizard.place_page.set_place("48", "4801")
    _type(wizard.place_page.lao_name, "องค์การบริหารส่วนตำบลหนองแสง")
    assert wizard.place_page.isComplete()
    wizard.next()
    assert wizard.currentId() == SetupWizard.OFFICE
    page = wizard.office_page
    # no code is proposed for an LAO: it types its own official one
    assert page.code.text() == "" and not page.isComplete()
    assert "info.dla.go.th" in page.code_help.text()
    assert page.parent_label.text() == ("D4801 — สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองนครพนม")
    _type(page.code, "48010")
    assert not page.isComplete() and "7 หลัก" in page.code_problem.text()
    page.code.clear()
    _type(page.code, "๖๔๘๐๑๐๖")  # Thai digits are read
    assert page.isComplete() and page.code_problem.text() == ""
    _type(page.officer, "นางสาวทดสอบ ใจดี")
    with qtbot.waitSignal(wizard.finished, timeout=10000):
        wizard.accept()
    assert empty_store.office_code == "6480106"
    office = get_office(empty_store, "6480106")
    assert office.level == "lao" and office.lao_type == "sao"
    assert office.name == "องค์การบริหารส่วนตำบลหนองแสง"
    assert office.parent_code == "D4801" and office.district_code == "4801"
    assert empty_store.officer == "นางสาวทดสอบ ใจดี"


def test_wizard_district_with_demo_data(app, qtbot, empty_store, make_ctx):
    from lev_desktop.domain.offices import Level
    from ui.setup_wizard import SetupWizard

    ctx = make_ctx(empty_store)
    wizard = SetupWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.level_page.buttons[Level.DISTRICT].setChecked(True)
    wizard.next()
    assert not wizard.place_page.lao_name.isVisibleTo(wizard)
    wizard.place_page.set_place("48", "4801")
    wizard.next()
    assert wizard.office_page.code.text() == "D4801"
    assert wizard.office_page.name.text() == "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองนครพนม"
    wizard.office_page.demo.setChecked(True)
    with qtbot.waitSignal(wizard.finished, timeout=60000):
        wizard.accept()
    assert empty_store.office_code == "D4801"
    assert len(area_laos(empty_store)) == 15


def test_wizard_national_skips_the_place_page(app, qtbot, empty_store, make_ctx):
    from lev_desktop.domain.offices import Level
    from ui.setup_wizard import SetupWizard

    wizard = SetupWizard(make_ctx(empty_store))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.level_page.buttons[Level.NATIONAL].setChecked(True)
    wizard.next()
    assert wizard.currentId() == SetupWizard.OFFICE
    assert wizard.office_page.code.text() == "DLA"


def test_wizard_pao_needs_no_district(app, qtbot, empty_store, make_ctx):
    from lev_desktop.domain.offices import LaoType, Level
    from ui.setup_wizard import SetupWizard

    wizard = SetupWizard(make_ctx(empty_store))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.level_page.buttons[Level.LAO].setChecked(True)
    wizard.next()
    page = wizard.place_page
    page.set_place("48")
    page.lao_name.setText("องค์การบริหารส่วนจังหวัดนครพนม")
    assert not page.isComplete()  # an อบต. needs its district
    page.lao_type.setCurrentIndex(page.lao_type.findData(LaoType.PAO))
    assert page.isComplete()
    wizard.next()
    assert wizard.office_page.parent_code.text() == "P48"  # อบจ. reports straight to the province


def _settings(qtbot, store, make_ctx):
    from ui.screens.settings import SettingsScreen

    screen = SettingsScreen(make_ctx(store))
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: screen.general.code.text() == store.office_code, timeout=5000)
    return screen


def test_settings_save(app, qtbot, lao_store, make_ctx):
    from lev_desktop import options

    screen = _settings(qtbot, lao_store, make_ctx)
    assert not screen.tabs.isTabVisible(screen.tab_index("laos"))  # an LAO has no LAO list
    screen.printing.thai_digits.setChecked(True)
    _type(screen.printing.signer_name, "นายสมชาย รักษ์โลก")
    _type(screen.printing.signer_position, "นายกองค์การบริหารส่วนตำบลหนองแสง")
    screen.printing.save()
    qtbot.waitUntil(
        lambda: options.get(lao_store, "print.signer_name") == "นายสมชาย รักษ์โลก", timeout=5000
    )
    assert options.get(lao_store, "print.thai_digits") is True
    assert options.get(lao_store, "print.signer_position") == "นายกองค์การบริหารส่วนตำบลหนองแสง"
    assert options.get(lao_store, "reminder.days") == 7
    screen.calendar.week_start.setCurrentIndex(screen.calendar.week_start.findData("sun"))
    screen.calendar.reminder_days.setValue(10)
    screen.calendar.save_button.click()
    qtbot.waitUntil(lambda: options.get(lao_store, "reminder.days") == 10, timeout=5000)
    assert options.get(lao_store, "calendar.week_start") == "sun"
    screen.general.officer.setText("")
    _type(screen.general.officer, "นางสาวใหม่ ใจงาม")
    screen.general.language.setCurrentIndex(screen.general.language.findData("en"))
    screen.general.save_button.click()
    qtbot.waitUntil(lambda: lao_store.get_setting("language") == "en", timeout=5000)
    assert lao_store.officer == "นางสาวใหม่ ใจงาม"


def test_settings_refuse_a_control_character_in_the_offices_details(
    app, qtbot, lao_store, make_ctx
):
    """A Word line break (U+000B) pasted into the telephone, or an escape into the officer's
    name (every record's "changed by"), would have every package of this office refused by the
    district: refused where typed, in Thai, naming the field, nothing saved."""
    from sqlalchemy import select

    from db.models import Office
    from lev_desktop.services.offices import SetupError, update_office

    def stored():
        with lao_store.read() as session:
            office = session.scalars(select(Office).where(Office.code == lao_store.office_code))
            row = office.one()
            return row.name, row.phone, row.revision, lao_store.get_setting("officer_name")

    before = stored()
    screen = _settings(qtbot, lao_store, make_ctx)
    general = screen.general
    general.phone.setText("042-511\x0b123")
    general.save_button.click()
    assert general.saved.text() == "⚠ โทรศัพท์: มีอักขระที่ไม่ใช่ข้อความ"
    assert general.saved.styleSheet() == "color: #a3221a;"  # not the grey of "บันทึกแล้ว"
    general.phone.setText("042-511123")
    general.officer.setText("นางสาวสมใจ\x1b ใจดี")
    general.save_button.click()
    assert general.saved.text() == "⚠ ชื่อผู้ใช้งาน: มีอักขระที่ไม่ใช่ข้อความ"
    assert general.officer.hasFocus() or not general.isActiveWindow()
    qtbot.wait(50)
    assert stored() == before
    with pytest.raises(SetupError) as refused:
        update_office(lao_store, lao_store.office_code, phone="042-511\x0b123")
    assert str(refused.value) == "โทรศัพท์: มีอักขระที่ไม่ใช่ข้อความ"
    assert stored() == before


def _xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    workbook.active.append(["ชื่อ อปท.", "ประเภท", "อำเภอ"])
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_lao_import_preview_apply_and_broken_file(app, qtbot, demo_store, make_ctx, tmp_path):
    screen = _settings(qtbot, demo_store, make_ctx)
    assert screen.tabs.isTabVisible(screen.tab_index("laos"))
    screen.show_tab("laos")
    tab = screen.laos
    qtbot.waitUntil(lambda: tab.model.rowCount() == 15, timeout=5000)
    before = len(list_offices(demo_store))

    # a broken file: a Thai message, nothing changed
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"this is not a workbook")
    tab.start_import(str(bad))
    qtbot.waitUntil(lambda: bool(tab.last_message), timeout=5000)
    assert "ไม่ใช่ไฟล์ Excel" in tab.last_message
    assert len(list_offices(demo_store)) == before

    path = _xlsx(
        tmp_path / "laos.xlsx",
        [
            ["องค์การบริหารส่วนตำบลนาราชควาย", "อบต.", "เมืองนครพนม"],
            ["องค์การบริหารส่วนตำบลหนองแสง", "อบต.", "เมืองนครพนม"],  # already there: updated
            ["อบต.ผิด", "สหกรณ์", "เมืองนครพนม"],  # skipped
        ],
    )
    tab.start_import(str(path))
    qtbot.waitUntil(lambda: tab.preview_dialog is not None, timeout=5000)
    dialog = tab.preview_dialog
    assert dialog.model.rowCount() == 3
    assert dialog.import_button.text() == "นำเข้า 2 แห่ง"
    assert len(list_offices(demo_store)) == before  # nothing written before Import
    dialog.import_button.click()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 16, timeout=5000)
    assert len(list_offices(demo_store)) == before + 1
    names = [o.name for o in area_laos(demo_store)]
    assert names.count("องค์การบริหารส่วนตำบลหนองแสง") == 1
    assert "อบต.ผิด" not in names


def test_programmes_and_letters(app, qtbot, lao_store, make_ctx):
    from lev_desktop.services.programmes import get_programme, list_letters

    screen = _settings(qtbot, lao_store, make_ctx)
    screen.show_tab("programmes")
    tab = screen.programmes
    qtbot.waitUntil(lambda: tab.model.rowCount() == 5, timeout=5000)
    html = tab.details.toPlainText()
    assert "มท 0820.2/ว 5037" in html  # the interface's digits (Arabic by default), as in lists
    assert "26 พฤษภาคม 2567" in html  # the letter date in BE
    assert "ภายในวันที่ 31 ธันวาคม 2567" in html  # a rule in words
    tab.save_new({"template": "P1", "code": "P1-2569", "name": None, "fiscal_year": 2569})
    qtbot.waitUntil(lambda: tab.model.rowCount() == 6, timeout=5000)
    assert get_programme(lao_store, "P1-2569").fiscal_year == 2569
    programme = get_programme(lao_store, "P1-2569")
    tab.save_fields(programme.id, letter={**programme.letter, "number": "นพ ๐๐๒๓.๖/ว ๙๙"})
    qtbot.waitUntil(
        lambda: get_programme(lao_store, "P1-2569").letter["number"] == "นพ ๐๐๒๓.๖/ว ๙๙",
        timeout=5000,
    )

    screen.show_tab("letters")
    letters = screen.letters
    qtbot.waitUntil(lambda: bool(letters.programmes), timeout=5000)
    letters.add_letter()
    dialog = letters.dialog
    dialog.received_date.setDate(dt.date(2024, 5, 15))
    dialog.received_time.setText("๑๐.๑๕ น.")  # as the register shows a time, typed back
    dialog.letter_date.setDate(dt.date(2024, 5, 26))
    _type(dialog.subject, "การขับเคลื่อนเครือข่าย อถล.")
    dialog.programme.setCurrentIndex(1)
    dialog.accept()
    qtbot.waitUntil(lambda: letters.model.rowCount() == 1, timeout=5000)
    saved = list_letters(lao_store)[0]
    assert saved.receipt_no == "1"
    assert saved.received_at == dt.datetime(2024, 5, 15, 10, 15)
    assert letters.model.index(0, 1).data() == "15 พ.ค. 2567 10:15 น."
    # a date written right that the calendar lacks: the box's own reason, named by its field
    # (it said "write it as day/month/BE year", which it was)
    letters.add_letter()
    dialog = letters.dialog
    dialog.received_date.setDate(dt.date(2024, 5, 15))
    dialog.subject.setText("หนังสือที่ลงวันที่ผิด")
    dialog.letter_date.line.setText("31/02/2568")
    dialog.letter_date.line.editingFinished.emit()
    with pytest.raises(ValueError) as refused:
        dialog.values()
    assert str(refused.value) == ("วันที่ของหนังสือ: ไม่มีวันที่ 31 กุมภาพันธ์ 2568: เดือนกุมภาพันธ์ 2568 มี 28 วัน")
    dialog.reject()


def _saved_and_due(qtbot, store, rule: dict, due: dt.date) -> None:
    """P1-2569's first deadline saved with ``rule`` and due on ``due`` in its fiscal year."""
    from lev_desktop.deadlines import DeadlineBook
    from lev_desktop.services.programmes import get_programme

    qtbot.waitUntil(
        lambda: get_programme(store, "P1-2569").spec["obligations"][0]["rule"] == rule,
        timeout=5000,
    )
    book = DeadlineBook(store, today_=dt.date(2025, 12, 1))
    dues = [
        d.due
        for d in book.expand(dt.date(2025, 10, 1), dt.date(2026, 9, 30))
        if d.obligation.programme_code == "P1-2569" and d.obligation.code == "P1.LAO.PLAN"
    ]
    assert dues == [due]


def test_a_programme_made_here_has_its_deadline_dates_edited(app, qtbot, lao_store, make_ctx):
    """The dates of next year's drive, as its letter gives them, typed in BE dates; checked as
    an import checks them; the built-in programmes' are not edited here. Before, no screen
    changed a deadline's date (the create dialog said "check the dates afterwards")."""
    from ui.settings.programmes import DeadlineDatesDialog

    screen = _settings(qtbot, lao_store, make_ctx)
    screen.show_tab("programmes")
    tab = screen.programmes
    qtbot.waitUntil(lambda: tab.model.rowCount() == 5, timeout=5000)
    assert tab.selected().code == "P1" and not tab.dates_button.isEnabled()
    assert tab.dates_button.toolTip().startswith("แก้ไขวันกำหนดส่งได้เฉพาะโครงการที่หน่วยงานนี้สร้างเอง")
    tab.save_new({"template": "P1", "code": "P1-2569", "name": None, "fiscal_year": 2569})
    qtbot.waitUntil(lambda: tab.model.rowCount() == 6, timeout=5000)
    qtbot.waitUntil(lambda: tab.selected().code == "P1-2569", timeout=5000)
    assert tab.dates_button.isEnabled() and tab.dates_button.text() == "แก้ไขวันกำหนดส่ง…"

    tab.edit_dates()
    dialog = tab.dialog
    assert isinstance(dialog, DeadlineDatesDialog)
    assert dialog.windowTitle() == "วันกำหนดส่งของ P1-2569"
    (plan_date, _optional) = dialog.edits[0]["date"]  # P1.LAO.PLAN: one date, moved to 2569's
    assert plan_date.date() == dt.date(2025, 12, 31) and plan_date.text() == "31 ธ.ค. 2568"
    plan_date.setDate(None)
    _type(plan_date.line, "15/1/2569")  # as a clerk types it, then leaves the box
    plan_date.line.editingFinished.emit()
    assert plan_date.date() == dt.date(2026, 1, 15)
    # a window whose first day is after its last: refused, in Thai, nothing saved
    run = dialog.edits[1]
    run["start"][0].setDate(dt.date(2026, 10, 1))
    dialog._check()
    assert dialog.result() == 0
    assert dialog.message.text() == ("กำหนดส่ง “P1.LAO.RUN”: วันเริ่มของกฎกำหนดส่งอยู่หลังวันสิ้นสุด")
    run["start"][0].setDate(dt.date(2025, 10, 1))
    dialog._check()
    assert dialog.result() == QDialog.DialogCode.Accepted
    _saved_and_due(qtbot, lao_store, {"type": "once", "date": "2026-01-15"}, dt.date(2026, 1, 15))


def test_table_models(app, qtmodeltester, demo_store, tmp_path):
    from exports.xlsx.lao_list import read_lao_list
    from lev_desktop.services.programmes import list_letters, list_programmes, register_letter
    from ui.settings.models import (
        LaoPreviewModel,
        LaoTableModel,
        LetterTableModel,
        ProgrammeTableModel,
    )

    qtmodeltester.check(LaoTableModel(subordinate_laos(demo_store)))
    qtmodeltester.check(LaoTableModel([]))
    qtmodeltester.check(ProgrammeTableModel(list_programmes(demo_store)))
    register_letter(
        demo_store,
        receipt_no="12",
        received_at=dt.datetime(2024, 5, 15, 9, 0),
        letter_no="นพ ๐๐๒๓.๖/ว ๕๘๗",
        subject="ทดสอบ",
    )
    qtmodeltester.check(LetterTableModel(list_letters(demo_store), programmes={}))
    preview = read_lao_list(
        _xlsx(
            tmp_path / "m.xlsx", [["อบต.ก", "อบต.", "เมืองนครพนม"], ["", "", ""], ["x", "y", "z"]]
        ),
        province_code="48",
    )
    qtmodeltester.check(LaoPreviewModel(preview.rows))


def test_crash_dialog_and_runner_bug(app, qtbot, lao_store, make_ctx, caplog):
    from ui import crash

    ctx = make_ctx(lao_store)

    def boom(_progress):
        raise RuntimeError("deliberate failure for the test")

    ctx.runner.run(boom)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in crash._open_dialogs), timeout=5000)
    dialog = crash._open_dialogs[-1]
    assert "deliberate failure for the test" in dialog.details.toPlainText()
    assert dialog.windowTitle() == "เกิดข้อผิดพลาดในโปรแกรม"
    dialog.copy_button.click()
    assert "deliberate failure" in QGuiApplication.clipboard().text()
    dialog.close()
    log = Path(__import__("lev_desktop.paths", fromlist=["log_dir"]).log_dir())
    assert log.exists()
    # the bug is logged too (the log is what a person sends with a report)
    assert [r.name for r in caplog.records if r.levelname == "ERROR"] == ["lev_desktop.crash"]
    assert "deliberate failure for the test" in caplog.records[-1].getMessage()


@pytest.mark.slow
def test_app_module_starts_and_paints(tmp_path):
    """The real entry point in its own process: --demo builds the demo database and paints."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LEV_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "ui.app", "--demo", "--lang", "th", "--measure-startup"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split()
    assert lines[0] == "FIRST_PAINT" and lines[2] == "SCREEN_READY"
    assert float(lines[1]) < float(lines[3])  # the window shows before the database is open
    assert (tmp_path / "demo.db").exists()
    (log_file,) = (tmp_path / "logs").glob("lev-desktop-*.log")  # one log for this process
    log = log_file.read_text(encoding="utf-8")
    assert "starting" in log and "closed (0)" in log
    assert not (tmp_path / "demo.db.lock").exists()  # the lock is released on exit


def test_qt_standard_buttons_are_thai(app):
    from PySide6.QtWidgets import QDialogButtonBox

    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    assert box.button(QDialogButtonBox.StandardButton.Ok).text() == "ตกลง"
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "ยกเลิก"


def test_font_has_room_for_stacked_marks(app):
    """Sarabun is registered with a taller ascender: a tone mark over an upper vowel is inside
    the line, so one-line widgets (tabs, buttons, cells) do not cut it off."""
    from PySide6.QtGui import QFontMetrics

    metrics = QFontMetrics(QApplication.font())
    # (ฎุ and ฏุ, which go deeper, are too rare to pay a taller line for)
    for text in ("ญี่ปุ่น", "ปุ๋ย", "ที่", "หน่วยงานนี้", "ครู", "ปฏิบัติ", "ตฤณ"):
        bounds = metrics.tightBoundingRect(text)
        assert -bounds.top() <= metrics.ascent(), text
        assert bounds.bottom() <= metrics.descent(), text


def test_patched_font_checksums():
    import struct

    from lev_desktop.paths import font_path
    from ui.style import _checksum, with_room_for_marks

    original = font_path("Regular").read_bytes()
    patched = with_room_for_marks(original)
    assert len(patched) == len(original) and patched != original
    assert _checksum(patched) == 0xB1B0AFBA  # the whole-font checksum rule of the TrueType spec
    count = struct.unpack(">H", patched[4:6])[0]
    for index in range(count):
        tag, checksum, offset, length = struct.unpack(
            ">4sIII", patched[12 + 16 * index : 28 + 16 * index]
        )
        if tag != b"head":
            assert _checksum(patched[offset : offset + length]) == checksum, tag


def test_the_status_bar_keeps_the_officer_whole_at_125_percent(
    app, qtbot, demo_store, make_ctx, monkeypatch
):
    """1366×768 at 125 % (1092 px): a district office's long name, the officer and a
    Windows-length database path. The database shows its file name (the whole path in the
    tooltip), and the office and officer are read in full; the path took their room and the
    line read '… · ผู้ใช้งา' (#12's leftover). Narrower still, the office name gives way
    ("…") and the officer stays whole."""
    from ui.main_window import MainWindow

    long_path = r"C:\Users\somsri.jaidee\AppData\Local\LEV Desktop\data\lev-desktop.db"
    monkeypatch.setattr(demo_store, "describe", lambda: long_path)
    demo_store.set_identity(officer="นางสาวสมศรี ใจดีประเสริฐ")
    ctx = make_ctx(demo_store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1092, 582)
    window.show()
    label = window.office_label
    whole = (
        "หน่วยงาน: สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองนครพนม (D4801)"
        "  ·  ผู้ใช้งาน: นางสาวสมศรี ใจดีประเสริฐ"
    )
    qtbot.waitUntil(lambda: label.full_text() == whole, timeout=5000)
    assert window.db_label.text() == "ฐานข้อมูล: lev-desktop.db"
    assert window.db_label.toolTip() == long_path
    assert label.text() == whole
    assert label.fontMetrics().horizontalAdvance(whole) <= label.contentsRect().width()

    window.resize(1000, 560)  # the least room any screen gives the window
    qtbot.waitUntil(lambda: label.text() != whole, timeout=5000)
    shown = label.text()
    assert shown.startswith("หน่วยงาน: สำนักงานส่งเสริม")
    assert shown.endswith("…  ·  ผู้ใช้งาน: นางสาวสมศรี ใจดีประเสริฐ"), shown
    assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
    assert label.toolTip() == whole


def test_an_officer_name_longer_than_the_line_ends_in_an_ellipsis(app, qtbot, demo_store, make_ctx):
    """An officer's name at the 120 characters it may have, at 1366×768 at 125 %: the office
    gave way to nothing, and the line read "·  ผู้ใช้งาน: นางสาว…ศรีสุวรรณว", cut at the edge by
    Qt. Now the officer alone, ending in "…"; the whole line in the tooltip."""
    from ui.main_window import MainWindow

    officer = ("นางสาวประภาพรรณ " + "ศรีสุวรรณวงศ์ทองประเสริฐ" * 10)[:120]
    demo_store.set_identity(officer=officer)
    ctx = make_ctx(demo_store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1092, 582)
    window.show()
    label = window.office_label
    qtbot.waitUntil(lambda: officer in label.full_text(), timeout=5000)
    shown = label.text()
    assert shown.startswith("ผู้ใช้งาน: นางสาวประภาพรรณ ศรีสุวรรณวงศ์") and shown.endswith("…"), shown
    assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
    assert label.toolTip() == label.full_text()


def test_a_monthly_reports_day_is_edited(app, qtbot, lao_store):
    """P4's monthly report ("ทุกวันที่ ๑"): next year's programme may ask for the 5th; the day
    of the month is a number box 1–31, in the interface's digits."""
    from lev_desktop.services.programmes import create_from_template
    from ui.settings.programmes import DeadlineDatesDialog

    made = create_from_template(lao_store, "P4", code="P4-2569", fiscal_year=2569)
    dialog = DeadlineDatesDialog(made)
    qtbot.addWidget(dialog)
    boxes = [box for box in dialog.days if box is not None]
    assert [box.value() for box in boxes] == [1, 5]  # LAOs by the 1st, the province by the 5th
    assert (boxes[0].minimum(), boxes[0].maximum()) == (1, 31)
    boxes[0].setValue(5)
    # its title says the day too: edited with it (an empty title is refused as on import)
    assert dialog.titles[0].text().endswith("(ทุกวันที่ ๑ ของเดือน)")  # (as the letter writes it)
    dialog.titles[0].setText("")
    dialog._check()
    assert dialog.message.text() == "กำหนดส่ง “P4.LAO.MONTHLY”: ไม่มีชื่อภารกิจ หรือชื่อยาวเกินไป"
    dialog.titles[0].setText("รายงานผลการดำเนินงานวัดและชุมชนให้จังหวัดทราบ (ทุกวันที่ ๕ ของเดือน)")
    obligations = dialog.new_spec()["obligations"]
    rules = [ob["rule"] for ob in obligations]
    assert [rule["day"] for rule in rules] == [5, 5]
    assert obligations[0]["title"].endswith("(ทุกวันที่ ๕ ของเดือน)")
    assert rules[0]["first"] == made.spec["obligations"][0]["rule"]["first"]  # the rest as it was


def test_the_days_of_the_month_of_a_report_are_edited(app, qtbot, lao_store):
    """P5's reports are due "on the 5th and the 15th" (a list of days): next year's programme
    may ask for other days. They are typed as the officer writes them (Thai digits too); a
    day that is not 1–31 is refused with a Thai message and nothing is saved."""
    from lev_desktop.services.programmes import create_from_template
    from ui.settings.programmes import DeadlineDatesDialog

    made = create_from_template(lao_store, "P5", code="P5-2569", fiscal_year=2569)
    dialog = DeadlineDatesDialog(made)
    qtbot.addWidget(dialog)
    boxes = [box for box in dialog.day_lists if box is not None]
    assert [box.text() for box in boxes] == ["5, 15"] * 3
    boxes[0].setText("๑๐ ,๒๐,10")
    boxes[1].setText("32")
    dialog._check()
    assert dialog.message.text() == ("เขียนวันที่ของเดือนเป็นตัวเลข 1 ถึง 31 คั่นด้วยจุลภาค เช่น 5, 15")
    assert dialog.result() == 0  # not accepted: nothing to save
    boxes[1].setText("5, 15")
    rules = [ob["rule"] for ob in dialog.new_spec()["obligations"]]
    assert [rule.get("days") for rule in rules if rule["type"] == "days_of_month"] == [
        [10, 20],
        [5, 15],
        [5, 15],
    ]
    dialog._check()
    assert dialog.message.text() == ""
    assert dialog.result() == 1


def test_a_deadline_fixed_in_the_fiscal_year_has_its_day_and_month_edited(
    app, qtbot, lao_store, make_ctx
):
    """A ``fiscal_year`` rule ("by 30 September of the fiscal year") was shown but not edited:
    its day and month are typed as an officer writes them ("๒๘ ก.พ.", "30 กันยายน"); a day the
    month never has (30 กุมภาพันธ์) or text that is not a day and month is refused in Thai and
    nothing is saved."""
    from lev_desktop.services.programmes import (
        create_from_template,
        update_programme,
    )
    from tests.exchange.helpers import snapshot
    from ui.settings.programmes import DeadlineDatesDialog

    made = create_from_template(lao_store, "P1", code="P1-2569", fiscal_year=2569)
    spec = dict(made.spec)
    spec["obligations"] = [dict(ob) for ob in spec["obligations"]]
    spec["obligations"][0]["rule"] = {"type": "fiscal_year", "month": 9, "day": 30}
    update_programme(lao_store, made.id, spec=spec)
    screen = _settings(qtbot, lao_store, make_ctx)
    screen.show_tab("programmes")
    tab = screen.programmes
    tab.open_code("P1-2569")
    qtbot.waitUntil(lambda: tab.selected() is not None and tab.selected().code == "P1-2569")
    tab.edit_dates()
    dialog = tab.dialog
    assert isinstance(dialog, DeadlineDatesDialog)
    box = dialog.days_in_year[0]
    assert box is not None and box.text() == "30 กันยายน"
    assert [b for b in dialog.days_in_year[1:] if b is not None] == []  # other rules: dates
    before = snapshot(lao_store)
    for typed, message in [
        ("30 กุมภาพันธ์", "เดือนกุมภาพันธ์ไม่มีวันที่ 30 โปรดเขียนวันที่ 1 ถึง 29"),
        ("31 เม.ย.", "เดือนเมษายนไม่มีวันที่ 31 โปรดเขียนวันที่ 1 ถึง 30"),
        ("30 กุม", "เขียนวันที่และเดือน เช่น 30 กันยายน"),
        ("", "เขียนวันที่และเดือน เช่น 30 กันยายน"),
    ]:
        box.clear()
        _type(box, typed)
        dialog._check()
        assert (dialog.message.text(), dialog.result()) == (message, 0)
    assert snapshot(lao_store) == before
    box.clear()
    _type(box, "๒๘ ก.พ.")
    dialog._check()
    assert dialog.message.text() == ""
    assert dialog.result() == QDialog.DialogCode.Accepted
    _saved_and_due(
        qtbot, lao_store, {"type": "fiscal_year", "month": 2, "day": 28}, dt.date(2026, 2, 28)
    )


def test_a_deadline_in_the_following_fiscal_year_is_said_and_edited_so(
    app, qtbot, lao_store, make_ctx
):
    """A ``fiscal_year`` rule may fall in a later fiscal year than its programme's
    (``offset_years``: P2's results of one year are due in November of the next). The page
    said "ภายในวันที่ 22 พฤศจิกายน ของปีงบประมาณ" for it, a year early, and the dates dialog
    could not change the year; now both say which year, and the year chosen is saved and
    dated by the engine."""
    from lev_desktop.deadlines import DeadlineBook
    from lev_desktop.services.programmes import (
        create_from_template,
        get_programme,
        update_programme,
    )
    from ui.settings.programmes import DeadlineDatesDialog

    made = create_from_template(lao_store, "P1", code="P1-2569", fiscal_year=2569)
    spec = dict(made.spec)
    spec["obligations"] = [dict(ob) for ob in spec["obligations"]]
    rule = {"type": "fiscal_year", "month": 11, "day": 22, "offset_years": 1}
    spec["obligations"][0]["rule"] = rule
    update_programme(lao_store, made.id, spec=spec)

    def dues() -> list[dt.date]:
        book = DeadlineBook(lao_store, today_=dt.date(2025, 12, 1))
        return [
            d.due
            for d in book.expand(dt.date(2024, 10, 1), dt.date(2027, 9, 30))
            if d.obligation.programme_code == "P1-2569" and d.obligation.code == "P1.LAO.PLAN"
        ]

    assert dues() == [dt.date(2026, 11, 22)]  # (fiscal year 2570 BE: Oct 2026 – Sep 2027)
    screen = _settings(qtbot, lao_store, make_ctx)
    screen.show_tab("programmes")
    tab = screen.programmes
    tab.open_code("P1-2569")
    qtbot.waitUntil(lambda: tab.selected() is not None and tab.selected().code == "P1-2569")
    assert "ภายในวันที่ 22 พฤศจิกายน ของปีงบประมาณถัดไป" in tab.details.toPlainText()
    tab.edit_dates()
    dialog = tab.dialog
    assert isinstance(dialog, DeadlineDatesDialog)
    box = dialog.year_offsets[0]
    assert [box.itemText(i) for i in range(box.count())] == [
        "ปีงบประมาณก่อนหน้า (พ.ศ. 2568)",
        "ปีงบประมาณของโครงการ (พ.ศ. 2569)",
        "ปีงบประมาณถัดไป (พ.ศ. 2570)",
    ]
    assert box.currentText() == "ปีงบประมาณถัดไป (พ.ศ. 2570)"
    assert sorted(dialog.year_offsets) == [0]  # (the other deadlines have dates)
    box.setCurrentIndex(box.findData(0))
    dialog._check()
    assert (dialog.message.text(), dialog.result()) == ("", QDialog.DialogCode.Accepted)
    qtbot.waitUntil(
        lambda: (
            get_programme(lao_store, "P1-2569").spec["obligations"][0]["rule"]
            == {**rule, "offset_years": 0}
        ),
        timeout=5000,
    )
    assert dues() == [dt.date(2025, 11, 22)]


def test_a_letter_with_a_word_line_break_is_refused_where_it_is_typed(
    app, qtbot, lao_store, make_ctx
):
    """A subject pasted from Word (U+000B) travels in the office's packages and the office above
    refuses it: the register's dialog says so in Thai and stays open with the text; the
    service refuses it too (the same rule); nothing is written."""
    from lev_desktop.services.programmes import register_letter
    from tests.exchange.helpers import snapshot

    before = snapshot(lao_store)
    with pytest.raises(ValueError) as refused:
        register_letter(
            lao_store,
            receipt_no="1",
            received_at=dt.datetime(2024, 5, 15, 10, 15),
            letter_no="มท 0820.2/ว 5037",
            subject="การขับเคลื่อน\x0bเครือข่าย อถล.",
        )
    assert str(refused.value) == "เรื่อง: มีอักขระที่ไม่ใช่ข้อความ"
    assert snapshot(lao_store) == before
    screen = _settings(qtbot, lao_store, make_ctx)
    screen.show_tab("letters")
    letters = screen.letters
    qtbot.waitUntil(lambda: bool(letters.programmes), timeout=5000)
    before = snapshot(lao_store)  # (opening the screen writes settings of its own)
    letters.add_letter()
    dialog = letters.dialog
    dialog.received_date.setDate(dt.date(2024, 5, 15))
    dialog.received_time.setText("10:15")
    dialog.subject.insert("การขับเคลื่อน\x0bเครือข่าย อถล.")
    dialog._check()
    assert dialog.message.text() == "เรื่อง: มีอักขระที่ไม่ใช่ข้อความ"
    assert dialog.result() == 0 and dialog.subject.text() == "การขับเคลื่อน\x0bเครือข่าย อถล."
    assert snapshot(lao_store) == before
