import datetime as dt

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView

from ui.widgets.date_edit import BEDateEdit
from ui.widgets.delegates import DateDelegate


def type_text(widget, text):
    """Types any text, Thai digits included, one key event per character (see FIELD-NOTES)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


def test_typing_a_be_date(qtbot):
    edit = BEDateEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.line.setFocus()
    with qtbot.waitSignal(edit.dateChanged) as signal:
        qtbot.keyClicks(edit.line, "15/2/2568")
        qtbot.keyClick(edit.line, Qt.Key.Key_Return)
    assert signal.args == [dt.date(2025, 2, 15)]
    assert edit.date() == dt.date(2025, 2, 15)


def test_a_be_year_written_first_is_the_be_date(qtbot):
    """ "2568-02-15" typed in the year-first form is 15 February 2025; it was the year 2568 CE
    and the field then showed "15 ก.พ. 3111"."""
    edit = BEDateEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.line.setFocus()
    qtbot.keyClicks(edit.line, "2568-02-15")
    qtbot.keyClick(edit.line, Qt.Key.Key_Return)
    assert edit.date() == dt.date(2025, 2, 15)
    edit.clearFocus()
    assert edit.line.text() == "15 ก.พ. 2568"


def test_thai_digits_are_accepted(qtbot):
    edit = BEDateEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.line.setFocus()
    type_text(edit.line, "๓๐/๐๙/๒๕๖๘")
    qtbot.keyClick(edit.line, Qt.Key.Key_Return)
    assert edit.date() == dt.date(2025, 9, 30)


def test_unfocused_text_shows_thai_month_and_be_year(qtbot):
    edit = BEDateEdit()
    qtbot.addWidget(edit)
    edit.setDate(dt.date(2024, 12, 31))
    assert edit.text() == "31 ธ.ค. 2567"


def test_invalid_date_is_flagged_and_keeps_the_old_value(qtbot):
    edit = BEDateEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.setDate(dt.date(2025, 1, 1))
    edit.line.setFocus()
    edit.line.selectAll()
    qtbot.keyClicks(edit.line, "31/04/2568")
    qtbot.keyClick(edit.line, Qt.Key.Key_Return)
    assert edit.date() == dt.date(2025, 1, 1)
    assert edit.hasError() and "2568" in edit.error


def test_popup_shows_be_year_and_picks_a_day(qtbot):
    edit = BEDateEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.setDate(dt.date(2025, 2, 1))
    edit.show_popup()
    assert edit.popup.title.text() == "กุมภาพันธ์ 2568"
    button = next(b for b in edit.popup.day_buttons if b.property("date") == dt.date(2025, 2, 14))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert edit.date() == dt.date(2025, 2, 14)
    assert not edit.popup.isVisible()


def test_delegate_shows_be_dates_in_cells(qtbot):
    model = QStandardItemModel(1, 1)
    item = QStandardItem()
    item.setData(dt.date(2025, 2, 15), Qt.ItemDataRole.EditRole)
    model.setItem(0, 0, item)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    delegate = DateDelegate(view)
    view.setItemDelegate(delegate)
    assert delegate.displayText(dt.date(2025, 2, 15), None) == "15 ก.พ. 2568"
    editor = delegate.createEditor(view.viewport(), None, model.index(0, 0))
    delegate.setEditorData(editor, model.index(0, 0))
    editor.setDate(dt.date(2025, 3, 1))
    delegate.setModelData(editor, model, model.index(0, 0))
    assert model.index(0, 0).data(Qt.ItemDataRole.EditRole) == dt.date(2025, 3, 1)
