"""A check box whose text wraps: Qt's QCheckBox keeps its text on one line, so a long Thai
sentence ("ข้าพเจ้าได้สอบถาม … แล้ว: ข้อมูลที่…", 900 px) made the import tab wider than a
1366×768 screen at 125 % and pushed its buttons past the edge."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSizePolicy, QWidget


class _Label(QLabel):
    clicked = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class WrapCheckBox(QWidget):
    """The box and a wrapping label beside it; a click on the text ticks the box, as on a
    QCheckBox. ``text``/``setText``, ``isChecked``/``setChecked`` and ``toggled`` as there."""

    toggled = Signal(bool)

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.box = QCheckBox()
        self.box.toggled.connect(self.toggled)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        self.label = _Label()
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.clicked.connect(self.box.toggle)
        layout.addWidget(self.label, 1)
        self.setText(text)

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:
        self.label.setText(text)
        self.box.setAccessibleName(text)

    def isChecked(self) -> bool:
        return self.box.isChecked()

    def setChecked(self, checked: bool) -> None:
        self.box.setChecked(checked)
