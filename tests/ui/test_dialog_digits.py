"""Thai-digit mode (Settings › แสดงตัวเลขไทย) in what the screens' test does not open: message
boxes, the progress dialog, dialogs, number boxes, the BE date box and its month popup. In
Thai-digit mode no Arabic digit is left outside the rule's exceptions (codes such as P1 or
D4801, addresses, files' names); in Arabic mode (the default) every text is what the program
set, as before."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QProgressDialog, QWidget
from shown_digits import shown_texts, wrong_digits
from waits import idle

from ui import digits

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

MESSAGE = r"นำเข้า 200 แพ็กเกจ (1.5 MB) เมื่อ 4/12/2569 จาก D4801 ไฟล์ C:\LEV\2568\F1-2568.pdf"
MESSAGE_TH = r"นำเข้า ๒๐๐ แพ็กเกจ (๑.๕ MB) เมื่อ ๔/๑๒/๒๕๖๙ จาก D4801 ไฟล์ C:\LEV\2568\F1-2568.pdf"


@pytest.fixture(params=[False, True], ids=["arabic", "thai"])
def mode(request, qapp):
    """The application as the program makes it (its dialogs' digits included), in one mode."""
    from ui.app import make_application

    make_application()
    digits.set_thai(request.param)
    yield "thai" if request.param else "arabic"
    digits.set_thai(False)


def _settled(widget: QWidget) -> None:
    widget.show()
    for _round in range(3):
        QApplication.processEvents()
    widget.repaint()  # painted as a person sees it (offscreen too)
    QApplication.processEvents()


def _wrong(widget: QWidget, mode: str) -> list[str]:
    _settled(widget)
    return [w for where, text in shown_texts(widget) for w in wrong_digits(where, text, mode)]


def _labels(box: QWidget) -> list[str]:
    return [label.text() for label in box.findChildren(QLabel) if label.text()]


def _type(widget: QWidget, text: str) -> None:
    """Types ``text`` (Thai too: QTest's keyClicks aborts on non-ASCII, see FIELD-NOTES)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


def test_message_boxes(mode, qtbot):
    """The app's message helpers, its own QMessageBox subclasses and Qt's static boxes: in
    Thai-digit mode "นำเข้า ๒๐๐ แพ็กเกจ (๑.๕ MB) เมื่อ ๔/๑๒/๒๕๖๙", the office's code and the
    file's path as they are; in Arabic mode the text as given."""
    from ui.crash import show_known_error
    from ui.settings.common import inform, warn

    parent = QWidget()
    qtbot.addWidget(parent)
    boxes = [
        warn(parent, "นำเข้า 3 ไฟล์", MESSAGE),
        inform(parent, "นำเข้า", MESSAGE),
        show_known_error(MESSAGE, parent),
    ]
    seen: list[list[str]] = []

    def read_modal() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        _settled(box)
        seen.append(_labels(box))
        box.accept()

    QTimer.singleShot(0, read_modal)
    QMessageBox.information(parent, "นำเข้า", MESSAGE)  # Qt's own, modal
    expected = MESSAGE_TH if mode == "thai" else MESSAGE
    for box in boxes:
        assert not _wrong(box, mode)
        assert expected in _labels(box)
        box.close()
    assert seen and expected in seen[0]


def test_progress_dialog(mode, qtbot, lao_store, make_ctx):
    """The progress dialog of a long job: its label and its bar's "42%"."""
    ctx = make_ctx(lao_store)
    ctx.runner.show_after_ms = 0
    go_on = threading.Event()

    def job(progress) -> None:
        progress(42, 100, "นำเข้า 200 แพ็กเกจ จาก 500")
        go_on.wait(20)

    owner = QWidget()
    qtbot.addWidget(owner)
    owner.show()
    ctx.runner.run(job, label="กำลังนำเข้า 1 ไฟล์", owner=owner)
    try:
        qtbot.waitUntil(
            lambda: any(
                d.isVisible() and d.value() == 42 for d in owner.findChildren(QProgressDialog)
            ),
            timeout=10000,
        )
        dialog = next(d for d in owner.findChildren(QProgressDialog) if d.isVisible())
        assert not _wrong(dialog, mode)
        texts = [text for _where, text in shown_texts(dialog)]
        if mode == "thai":
            assert "นำเข้า ๒๐๐ แพ็กเกจ จาก ๕๐๐" in texts and "๔๒%" in texts
        else:
            assert "นำเข้า 200 แพ็กเกจ จาก 500" in texts and "42%" in texts
    finally:
        go_on.set()
        idle(qtbot, ctx)


def test_number_box_shows_the_interfaces_digits_and_reads_both(mode, qtbot):
    """A number box (Settings' "due soon" days, the plan import's header row, a programme's
    year, an activity count): "๗ วัน" in Thai-digit mode, and typing ๑๒ or 12 gives 12."""
    box = digits.SpinBox()
    qtbot.addWidget(box)
    box.setRange(1, 60)
    box.setSuffix(" วัน")
    box.setValue(7)
    _settled(box)
    assert box.text() == ("๗ วัน" if mode == "thai" else "7 วัน")
    for typed in ("๑๒", "12"):
        box.setFocus()
        box.selectAll()
        _type(box.lineEdit(), typed)
        box.interpretText()
        assert box.value() == 12
        assert box.text() == ("๑๒ วัน" if mode == "thai" else "12 วัน")
        box.setValue(7)
    # the setting changed while the box is on show: it shows the other digits
    digits.set_thai(mode != "thai")
    box.show_digits()
    assert box.text() == ("7 วัน" if mode == "thai" else "๗ วัน")


def test_date_box_and_its_month_popup(mode, qtbot):
    """The BE date box at rest ("๑๕ ก.พ. ๒๕๖๘"), while typing ("๑๕/๐๒/๒๕๖๘") and its month
    popup: the BE year in the header, every day number and its tooltip."""
    from ui.widgets.date_edit import BEDateEdit

    holder = QWidget()
    qtbot.addWidget(holder)
    box = BEDateEdit(holder)
    box.setDate(dt.date(2025, 2, 15))
    _settled(holder)
    box.line.clearFocus()  # at rest
    thai = mode == "thai"
    assert box.text() == ("๑๕ ก.พ. ๒๕๖๘" if thai else "15 ก.พ. 2568")
    box.show_popup()
    popup = box.popup
    assert not _wrong(popup, mode)
    assert popup.title.text() == ("กุมภาพันธ์ ๒๕๖๘" if thai else "กุมภาพันธ์ 2568")
    days = [b.text() for b in popup.day_buttons if b.isVisible()]
    assert days[:3] == (["๒๖", "๒๗", "๒๘"] if thai else ["26", "27", "28"])
    assert len(days) >= 35 and ("๑๕" if thai else "15") in days
    popup.hide()
    box.line.setFocus()
    QApplication.processEvents()
    assert box.text() == ("๑๕/๐๒/๒๕๖๘" if thai else "15/02/2568")
    box.line.selectAll()
    _type(box.line, "๑/๓/๒๕๖๘")
    box.line.editingFinished.emit()
    assert box.date() == dt.date(2025, 3, 1) and not box.error


def test_dialogs(mode, qtbot, demo_store, make_ctx, tmp_path):
    """Dialogs a clerk opens: the LAO list's import preview, the plan import, the restore
    question, a new programme, "file saved", the start-up reminder, a letter, an LAO, a
    password, the set-up wizard: each read as shown."""
    from openpyxl import Workbook

    from lev_desktop.continuity import backups
    from lev_desktop.continuity.restore import inspect_backup
    from lev_desktop.deadlines import engine
    from lev_desktop.services.programmes import list_programmes
    from ui.screens.settings import SettingsScreen
    from ui.settings.backups import PasswordDialog, RestoreConfirm
    from ui.settings.laos import LaoDialog
    from ui.settings.letters import AddLetterDialog
    from ui.settings.programmes import (
        CreateProgrammeDialog,
        DeadlineDatesDialog,
        LetterFieldsDialog,
    )
    from ui.setup_wizard import SetupWizard
    from ui.widgets.file_actions import WrittenFileDialog
    from ui.widgets.plan_import_dialog import PlanImportDialog
    from ui.widgets.reminder import ReminderDialog

    ctx = make_ctx(demo_store)
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    screen.show_tab("laos")
    tab = screen.laos
    qtbot.waitUntil(lambda: tab.model.rowCount() == 15, timeout=10000)
    sheet = tmp_path / "laos.xlsx"
    book = Workbook()
    book.active.append(["ชื่อ", "ประเภท", "อำเภอ"])
    book.active.append(["องค์การบริหารส่วนตำบลนาราชควาย", "อบต.", "เมืองนครพนม"])
    book.active.append(["อบต.ผิด", "สหกรณ์", "เมืองนครพนม"])
    book.save(sheet)
    tab.start_import(str(sheet))
    qtbot.waitUntil(lambda: tab.preview_dialog is not None, timeout=10000)
    plan = tmp_path / "แผน 2568.xlsx"
    book = Workbook()
    book.active.append(["ลำดับ", "ชื่อโครงการ", "งบประมาณ"])
    book.active.append([1, "โครงการหน้าบ้านน่ามอง", "5,000"])
    book.save(plan)
    plan_dialog = PlanImportDialog(ctx, plan)
    qtbot.addWidget(plan_dialog)
    qtbot.waitUntil(lambda: plan_dialog.model.rowCount() > 0, timeout=10000)
    made = backups.make_backup(demo_store).path
    programmes = list_programmes(demo_store)
    items = engine.reminders(demo_store, days=30, today_=dt.date(2026, 12, 3))
    assert items  # overdue and due soon, with their dates and counts
    dialogs = [
        tab.preview_dialog,
        plan_dialog,
        RestoreConfirm(inspect_backup(made), demo_store.office_code, None),
        CreateProgrammeDialog(programmes, 2568),
        WrittenFileDialog(ctx, tmp_path / "รายงาน_2568" / "F1-2568.pdf"),
        ReminderDialog(ctx, items, 30),
        AddLetterDialog(programmes, "12/2568"),
        LetterFieldsDialog(programmes[0]),
        DeadlineDatesDialog(programmes[0]),  # (its titles carry the letter's ๒๕๖๘)
        LaoDialog("48", None, None, taken={}),
        PasswordDialog("กุญแจของหน่วยงาน", "รหัสผ่านอย่างน้อย 8 ตัวอักษร", twice=True),
        SetupWizard(ctx),
    ]
    found = []
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        found += [f"{type(dialog).__name__} {w}" for w in _wrong(dialog, mode)]
    assert not found, "\n".join(found)
    preview = dialogs[0]
    assert preview.import_button.text() == ("นำเข้า ๑ แห่ง" if mode == "thai" else "นำเข้า 1 แห่ง")
    year = dialogs[3].year.text()
    assert year == ("๒๕๖๘" if mode == "thai" else "2568")
    written = " ".join(_labels(dialogs[4]))
    assert str(Path("รายงาน_2568") / "F1-2568.pdf") in written  # the disk's name, as it is
    for dialog in dialogs:
        dialog.close()
    idle(qtbot, ctx)


def test_popup_menu(mode, qtbot):
    """A pop-up menu made from data (the calendar's hidden deadlines): its entries."""
    from PySide6.QtWidgets import QMenu

    holder = QWidget()
    qtbot.addWidget(holder)
    menu = QMenu(holder)
    menu.addAction("ครบกำหนด: [P1] รายงานผล 3 เดือน (F2)")
    menu.popup(holder.mapToGlobal(holder.rect().center()))
    qtbot.waitUntil(menu.isVisible)
    expected = "ครบกำหนด: [P1] รายงานผล ๓ เดือน (F2)" if mode == "thai" else menu.actions()[0].text()
    assert [a.text() for a in menu.actions()] == [expected]
    if mode == "arabic":
        assert expected == "ครบกำหนด: [P1] รายงานผล 3 เดือน (F2)"
    menu.close()


def test_qt_number_widgets_come_from_one_place():
    """Number boxes and progress bars are made from ``ui.digits`` (SpinBox, ProgressBar), the
    progress dialog only by the Runner (which gives it that bar), and no Gregorian Qt date
    widget is used (``ui.widgets.date_edit`` is the one date box): a plain QSpinBox showed
    "7 วัน" in Thai-digit mode."""
    import re

    root = Path(__file__).resolve().parents[2] / "ui"
    plain = re.compile(
        r"\b(QSpinBox|QDoubleSpinBox|QProgressBar|QDateEdit|QDateTimeEdit|"
        r"QCalendarWidget|QProgressDialog)\("
    )
    allowed = {("workers.py", "QProgressDialog")}  # it gives the dialog digits.ProgressBar
    found = [
        f"{path.relative_to(root)}: {m.group(1)}"
        for path in sorted(root.rglob("*.py"))
        for m in plain.finditer(path.read_text(encoding="utf-8"))
        if (path.name, m.group(1)) not in allowed
    ]
    assert not found, found


def test_status_bar_line(mode, qtbot):
    """The app's status-bar helper (a refused cell's reason, a backup's warning): the line in
    the interface's digits, and taken away again by the text it was given."""
    from PySide6.QtWidgets import QMainWindow

    from ui.widgets.table_view import clear_status, show_status

    window = QMainWindow()
    qtbot.addWidget(window)
    text = "แถว 2 · งบประมาณ (บาท): ต้องไม่เกิน 1,000,000"
    show_status(window, text)
    assert window.statusBar().currentMessage() == (
        "แถว ๒ · งบประมาณ (บาท): ต้องไม่เกิน ๑,๐๐๐,๐๐๐" if mode == "thai" else text
    )
    clear_status(window, {"อย่างอื่น 3"})
    assert window.statusBar().currentMessage()
    clear_status(window, {text})
    assert window.statusBar().currentMessage() == ""


def _hover(widget: QWidget, at) -> str:
    """What the tooltip says when the pointer rests at ``at`` on ``widget`` (Qt's help event)."""
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    QToolTip.hideText()
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, at, widget.mapToGlobal(at)))
    return QToolTip.text()


def test_tooltips_show_the_interfaces_digits(mode, qtbot):
    """A widget's tooltip and a table cell's (ToolTipRole) read in the interface's digits; the
    texts the program set are left as they were. Before, Thai-digit mode showed "2568" in
    every tooltip beside "๒๕๖๘" in the cells."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QPushButton, QTableView, QToolTip

    from ui import thai_wrap

    tip = "ส่งแล้ว 12 จาก 14 แห่ง (ปีงบประมาณ 2568) รหัส D4801"
    button = QPushButton("?")
    qtbot.addWidget(button)
    button.setToolTip(tip)
    button.show()
    assert _hover(button, QPoint(2, 2)) == (
        "ส่งแล้ว ๑๒ จาก ๑๔ แห่ง (ปีงบประมาณ ๒๕๖๘) รหัส D4801" if mode == "thai" else tip
    )
    assert button.toolTip() == tip

    cell_tip = "กำหนดส่ง 15 ก.ย. 2568"
    model = QStandardItemModel(1, 1)
    item = QStandardItem("x")
    item.setToolTip(cell_tip)
    model.setItem(0, 0, item)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.show()
    centre = view.visualRect(model.index(0, 0)).center()
    assert _hover(view.viewport(), centre) == (
        "กำหนดส่ง ๑๕ ก.ย. ๒๕๖๘" if mode == "thai" else cell_tip
    )
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == cell_tip

    # a long Thai one keeps its breaks between words (thai_wrap), with the digits
    thai_wrap.load()  # (the segmenter: the application loads it after its first screen)
    long_tip = "อำเภอรวบรวมรายงานผลการดำเนินงานของเทศบาลและองค์การบริหารส่วนตำบลส่งจังหวัด 14 แห่ง"
    button.setToolTip(long_tip)
    shown = _hover(button, QPoint(2, 2))
    assert shown.startswith("<p>") and thai_wrap.ZWSP in shown
    assert thai_wrap.plain(shown[3:-4]) == (
        long_tip.replace("14", "๑๔") if mode == "thai" else long_tip
    )
    QToolTip.hideText()
