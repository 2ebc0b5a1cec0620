"""A drop-down that says when its name does not fit: the name ends in "…" and the whole name
is in the tooltip. Qt's QComboBox cuts its text at the edge: beside F2's tabs at 1366×768
at 125 % the project read "โครงการร" (a word cut, nothing telling it is longer)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter, QWidget


class ElidingComboBox(QComboBox):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._tip = ""  # the tooltip of its own (what the drop-down is for)
        self.currentIndexChanged.connect(lambda _i: self._update_tip())

    def setToolTip(self, text: str) -> None:
        self._tip = text
        self._update_tip()

    def _field_width(self) -> int:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        rect = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        return rect.width() - 4  # the text's margin inside the field

    def whole_width(self) -> int:
        """The width that shows its longest name whole (what a layout may give it at most)."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        metrics = self.fontMetrics()
        text = max(
            (metrics.horizontalAdvance(self.itemText(i)) for i in range(self.count())), default=0
        )
        field = QSize(text + 4 + 1, metrics.height())  # the text's margin in the field (as above)
        size = self.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, field, self)
        return max(size.width(), self.minimumSizeHint().width())

    def shown_text(self) -> str:
        """The name as painted: whole, or cut at a character with "…" when it does not fit."""
        text = self.currentText()
        if self.isEditable():
            return text
        return self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, self._field_width())

    def _update_tip(self) -> None:
        text = self.currentText()
        cut = bool(text) and self.shown_text() != text
        tip = "\n".join(t for t in (text if cut else "", self._tip) if t)
        super().setToolTip(tip)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_tip()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._update_tip()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.isEditable():
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
