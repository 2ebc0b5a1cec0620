"""The mouse wheel over a box without the focus scrolls the form, never changes the box."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QFormLayout, QScrollArea, QWidget

from ui import digits
from ui.widgets import wheel_guard


def _wheel(widget: QWidget, steps: int = -1) -> None:
    """One notch of the wheel (down) with the pointer over ``widget``, as Qt delivers it."""
    at = QPointF(widget.rect().center())
    event = QWheelEvent(
        at,
        QPointF(widget.mapToGlobal(at.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def _form(qtbot):
    area = QScrollArea()
    form = QWidget()
    layout = QFormLayout(form)
    boxes = []
    for row in range(30):
        box = QComboBox()
        box.addItems(["ไทย", "English"] if row % 2 else ["P48", "P49", "P50"])
        number = digits.SpinBox()
        number.setRange(0, 99)
        number.setValue(7)
        layout.addRow(f"แถว {row}", box)
        layout.addRow(f"จำนวน {row}", number)
        boxes += [box, number]
    area.setWidget(form)
    area.setWidgetResizable(True)
    area.resize(500, 300)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    return area, boxes


def test_the_wheel_over_an_unfocused_box_scrolls_the_form(qtbot, qapp):
    """Settings › หน่วยงานนี้ scrolled with the wheel changed the language box and the office
    reports go to, without a click."""
    wheel_guard.install(qapp)
    area, boxes = _form(qtbot)
    box, number = boxes[2], boxes[3]
    assert not box.hasFocus() and not number.hasFocus()
    bar = area.verticalScrollBar()
    before = bar.value()
    _wheel(box)
    _wheel(number)
    assert (box.currentIndex(), number.value()) == (0, 7)
    assert bar.value() > before  # the form scrolled instead


def test_a_box_the_clerk_is_in_still_turns_with_the_wheel(qtbot, qapp):
    wheel_guard.install(qapp)
    _area, boxes = _form(qtbot)
    box = boxes[2]
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    _wheel(box)
    assert box.currentIndex() == 1
    assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus  # a wheel turn never gives focus
