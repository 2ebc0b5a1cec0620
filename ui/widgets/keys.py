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
- **The work area before the status bar** (fit16). Qt's Tab order is the order widgets were
  made in; a screen is made when first shown, after the status bar, so Tab from the navigation
  went to the status bar's fiscal-year box first, and a screen's controls came after it.
  ``reading_order`` gives the main window's Tab the order a person reads it in: the navigation,
  the screen shown, then the rest (the status bar); within each, Qt's order.

One filter on the application (``install``, from ``make_application``), like the wheel guard.
"""

from __future__ import annotations

from functools import cmp_to_key

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
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.tabbing = False

    def _tabbed(self) -> None:
        self.tabbing = False

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
            if key in _TAB and not self.tabbing:
                # a Tab key being handed round (``tab_to``): Qt also moves the focus on its own
                # when the focused control is hidden, disabled or deleted, and is left to
                self.tabbing = True
                QTimer.singleShot(0, self, self._tabbed)
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


def tab_stops(window: QWidget) -> list[QWidget]:
    """The widgets Tab stops on in ``window``, in Qt's focus chain, by Qt's rules: a Tab
    focus policy, no focus proxy, shown and enabled."""
    stops = []
    widget = window.nextInFocusChain()
    while widget is not None and widget is not window:
        if (
            widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.focusProxy() is None
            and widget.isVisibleTo(window)
            and widget.isEnabled()
        ):
            stops.append(widget)
        widget = widget.nextInFocusChain()
    return stops


def _before(a: QWidget, b: QWidget) -> int:
    """Which of two controls a person reads first: of the two widgets under their nearest
    common parent that hold them, the one above, or on the same line the one on the left. A
    widget's place in its parent, not on the screen: a pane beside a table is read after the
    whole table, a scrolled page as laid out."""
    path_a, path_b = _ancestry(a), _ancestry(b)
    depth = 0
    while depth < min(len(path_a), len(path_b)) and path_a[depth] is path_b[depth]:
        depth += 1
    if depth == len(path_a) or depth == len(path_b):
        return len(path_a) - len(path_b)  # (one holds the other: the holder first)
    one, other = path_a[depth].geometry(), path_b[depth].geometry()
    overlap = min(one.bottom(), other.bottom()) - max(one.top(), other.top())
    if overlap * 2 > min(one.height(), other.height()):  # on one line
        return one.left() - other.left()
    return one.top() - other.top()


def _ancestry(widget: QWidget) -> list[QWidget]:
    chain = [widget]
    while (parent := chain[-1].parentWidget()) is not None:
        chain.append(parent)
    return chain[::-1]


def reading_order(window: QWidget, parts: list[QWidget | None]) -> list[QWidget]:
    """The Tab stops of ``window``: those in each of ``parts`` in turn, then the rest, each
    in reading order (``_before``; controls made later, such as a screen's rows made when its
    data came, stood after everything made before them). Equals keep Qt's order."""
    stops = tab_stops(window)
    ordered: list[QWidget] = []
    for part in [*parts, window]:
        if part is None:
            continue
        mine = [w for w in stops if (w is part or part.isAncestorOf(w)) and w not in ordered]
        ordered += sorted(mine, key=cmp_to_key(_before))
    return ordered


def tab_to(window: QWidget, parts: list[QWidget | None], forward: bool) -> bool:
    """Moves the focus to the next (or previous) stop in ``reading_order`` for a Tab key;
    False when the focus is not on one of them or no Tab key was pressed (Qt then decides)."""
    if not (_installed and _installed[0].tabbing):
        return False  # not a Tab key: the focused control was hidden, disabled or deleted
    stops = reading_order(window, parts)
    current: QWidget | None = window.focusWidget()  # (the window's, active or not)
    while current is not None and current not in stops:
        # a part of a compound control (a combo box's line edit): the control it belongs to
        current = current.focusProxy() or current.parentWidget()
        if current is window:
            current = None
    if current is None or len(stops) < 2:
        return False
    step = 1 if forward else -1
    target = stops[(stops.index(current) + step) % len(stops)]
    reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
    target.setFocus(reason)
    return True


_installed: list[Keys] = []


def install(app: QApplication) -> Keys:
    """The filter for the whole application (once)."""
    if not _installed:
        keys = Keys(app)
        app.installEventFilter(keys)
        _installed.append(keys)
    return _installed[0]
