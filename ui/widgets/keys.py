"""The keys an officer expects on every screen, as in a dialog and in Excel.

Found under Xvfb at 1366×768 (fit15, a district officer's day by keyboard):

- **Enter on a button.** Qt presses a focused button with Enter only inside a dialog (its
  ``autoDefault``); on a screen of the main window Enter did nothing: "เลือกไฟล์…",
  "ยืนยันการนำเข้า", "ส่งออกแพ็กเกจ" reached by Tab and Enter stayed unpressed, and only the
  space bar, which nobody tries, pressed them. Here Enter presses a focused button anywhere.
- **Tab out of a read-only table.** A table moves its cursor cell by cell with Tab; in a table
  nobody types into (the packages of an import, the agenda, the board, the history) that kept
  Tab inside it: 24 presses through the import's list before the trust box. Here Tab and
  Shift+Tab leave a table that cannot be edited, to the next or previous control.
- **No stop on a page's scroll area.** A page of controls in a scroll area took a Tab of its
  own (nothing shows the focus there) between the tab bar and the page's first control. The
  area still scrolls the control the focus moves to into view.

One filter on the application (``install``, from ``make_application``), like the wheel guard.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QPushButton,
    QScrollArea,
    QWidget,
)

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_TAB = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
_NO_EDIT = QAbstractItemView.EditTrigger.NoEditTriggers
_LEAVES = "levTabLeaves"  # set on a view whose Tab this filter turned to leaving it


def _in_dialog(widget: QObject) -> bool:
    parent = widget.parent()
    while parent is not None:
        if isinstance(parent, QDialog):
            return True
        parent = parent.parent()
    return False


class Keys(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if (
                key in _ENTER
                and not plain
                and isinstance(watched, QPushButton)
                and watched.isEnabled()
                and not watched.autoDefault()
                and not _in_dialog(watched)
            ):
                if watched.menu() is not None:
                    QTimer.singleShot(0, watched.showMenu)
                else:
                    watched.animateClick()
                return True
            if key in _TAB and isinstance(watched, QAbstractItemView):
                # the view then hands Tab on as any widget does (its cursor stays)
                read_only = watched.editTriggers() == _NO_EDIT
                if read_only and watched.tabKeyNavigation():
                    watched.setTabKeyNavigation(False)
                    watched.setProperty(_LEAVES, True)
                elif not read_only and watched.property(_LEAVES):
                    watched.setTabKeyNavigation(True)  # it became editable again
                    watched.setProperty(_LEAVES, False)
        elif (
            kind == QEvent.Type.Polish and type(watched) is QScrollArea and _holds_controls(watched)
        ):
            watched.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return False


def _holds_controls(area: QScrollArea) -> bool:
    """A page of controls, which Tab reaches one by one (a report's page images, which have
    none, keep the area's stop: the arrows and Page Down scroll them)."""
    page = area.widget()
    return page is not None and any(
        w.focusPolicy() & Qt.FocusPolicy.TabFocus for w in page.findChildren(QWidget)
    )


_installed: list[Keys] = []


def install(app: QApplication) -> Keys:
    """The filter for the whole application (once)."""
    if not _installed:
        keys = Keys(app)
        app.installEventFilter(keys)
        _installed.append(keys)
    return _installed[0]
