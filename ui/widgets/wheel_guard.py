"""A box changes only under the clerk's hand: the mouse wheel over a box that does not have the
keyboard focus scrolls the form the box is in, instead of changing the box.

Qt turns a combo box or a number box with the wheel whenever the pointer is over it, focused
or not. Scrolling Settings › หน่วยงานนี้ with the wheel changed its language box ("ไทย" became
"English") and, a little higher, the office this one reports to ("รายงานไปยัง"), without a
click; the next "บันทึก", made for another field, saved them. One filter on the application
(``install``, from ``make_application``): a wheel event for such a box without the focus goes
to the scroll area the box is in, as if the box were not there (Qt hands an ignored wheel
event to the parent only when it came from the window system; this way the same is true of
any). A box the clerk clicked or tabbed into still turns with the wheel.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

_BOXES = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Wheel and isinstance(watched, _BOXES) and not watched.hasFocus():
            assert isinstance(event, QWheelEvent)
            _scroll_instead(watched, event)
            return True
        if kind == QEvent.Type.Polish and isinstance(watched, _BOXES):
            # Qt gives a combo box the focus on a wheel turn (Qt.WheelFocus): only a click or
            # the Tab key may
            widget: QWidget = watched
            if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return False


def _scroll_instead(box: QWidget, event: QWheelEvent) -> None:
    """``event`` to the viewport of the scroll area ``box`` is in (none: it is dropped)."""
    event.accept()
    parent = box.parentWidget()
    while parent is not None:
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and area.viewport() is parent:
            at = QPointF(box.mapTo(parent, event.position().toPoint()))
            QApplication.sendEvent(
                parent,
                QWheelEvent(
                    at,
                    event.globalPosition(),
                    event.pixelDelta(),
                    event.angleDelta(),
                    event.buttons(),
                    event.modifiers(),
                    event.phase(),
                    event.inverted(),
                ),
            )
            return
        parent = area


_installed: list[WheelGuard] = []


def install(app: QApplication) -> WheelGuard:
    """The guard for the whole application (once)."""
    if not _installed:
        guard = WheelGuard(app)
        app.installEventFilter(guard)
        _installed.append(guard)
    return _installed[0]
