"""A tool button that opens a menu (Fusion draws a small arrow in its bottom-right corner)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMenu, QToolBar, QToolButton


def _ink(button: QToolButton) -> set[tuple[int, int]]:
    image = button.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    return {
        (x, y)
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).lightness() < 160
    }


def test_the_menu_arrow_does_not_touch_the_label(qtbot):
    """F1's toolbar "เพิ่มแถวจาก" (1366×768 at 125 %): the arrow of its menu sat on the last
    letter (Fusion reserves no room for it in an instant-popup tool button: the label's last
    pixel at 80, the arrow from 81)."""
    from ui.app import make_application

    make_application()
    bar = QToolBar()
    qtbot.addWidget(bar)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    made = []
    for text, menu in (("เพิ่มแถวจาก", True), ("เพิ่มแถวจาก", False), ("", True)):
        button = QToolButton()
        button.setText(text)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        if menu:
            button.setMenu(QMenu(button))
        bar.addWidget(button)
        made.append(button)
    bar.show()
    qtbot.waitExposed(bar)
    real, label_only, arrow_only = made
    size = real.sizeHint()
    for button in made:
        button.setFixedSize(size)
    label, arrow = _ink(label_only), _ink(arrow_only)
    assert label and arrow
    # a gap of at least 4 px between the last letter and the arrow
    assert max(x for x, _y in label) + 4 <= min(x for x, _y in arrow), (
        max(x for x, _y in label),
        min(x for x, _y in arrow),
    )


def test_a_menu_against_the_edge_of_a_scaled_screen_ends_on_it():
    """At 125 % a 1366 px screen is 1092.8 logical px, which Qt calls 1093: "คัดลอกไปยังแฟลชไดรฟ์"
    opened its menu ending at 1093, its right border 1–2 device pixels past the screen (seen
    under Xvfb by fit14 and fit15). The menu moves in by what it would lose, and a pixel."""
    from ui.widgets.fit import past_the_edge

    assert past_the_edge(1093, 1093, 1.25) == 2  # 0.2 px past 1092.8
    assert past_the_edge(1093, 1093, 1.0) == 0  # an unscaled screen is whole
    assert past_the_edge(1092, 1093, 1.5) == 0  # 1092 ≤ 1092.67
    assert past_the_edge(1000, 1093, 1.25) == 0
    assert past_the_edge(1366, 1366, 1.0) == 0
