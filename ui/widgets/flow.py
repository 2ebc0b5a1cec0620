"""A layout that lines its widgets up like words: on one row where the window is wide, on two
where it is narrow (1366×768 at 125 %), so a bar of buttons never makes the window wider.

Qt has no such layout built in; this is the usual one (Qt's "flow layout" example) with
vertical centring on each row and an optional item that takes the row's spare width.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget, QWidgetItem


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    # ---- QLayout -----------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def addWidget(self, widget: QWidget, stretch: int = 0) -> None:
        """``stretch`` > 0: the widget takes the spare width of its row."""
        self.addChildWidget(widget)
        item = QWidgetItem(widget)
        widget.setProperty("flowStretch", stretch)
        self._items.append(item)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, apply=True)

    def sizeHint(self) -> QSize:
        width = 0
        height = 0
        for item in self._visible():
            hint = item.sizeHint()
            width += hint.width() + self._spacing
            height = max(height, hint.height())
        margins = self.contentsMargins()
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    # ---- placing -----------------------------------------------------------------------------
    def _visible(self) -> list[QLayoutItem]:
        out = []
        for item in self._items:
            widget = item.widget()
            if widget is None or not widget.isHidden():
                out.append(item)
        return out

    @staticmethod
    def _stretch(item: QLayoutItem) -> int:
        widget = item.widget()
        return int(widget.property("flowStretch") or 0) if widget is not None else 0

    def _place(self, rect: QRect, *, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        rows: list[list[QLayoutItem]] = []
        row: list[QLayoutItem] = []
        used = 0
        for item in self._visible():
            width = item.sizeHint().width()
            if row and used + self._spacing + width > area.width():
                rows.append(row)
                row, used = [], 0
            used += (self._spacing if row else 0) + width
            row.append(item)
        if row:
            rows.append(row)
        y = area.y()
        for items in rows:
            height = max(i.sizeHint().height() for i in items)
            spare = area.width() - sum(i.sizeHint().width() for i in items)
            spare -= self._spacing * (len(items) - 1)
            stretchy = [i for i in items if self._stretch(i)]
            x = area.x()
            for item in items:
                hint = item.sizeHint()
                width = hint.width()
                if stretchy and item in stretchy and spare > 0:
                    width += spare // len(stretchy)
                width = min(width, area.width())
                h = hint.height()
                if apply:
                    top = y + (height - h) // 2
                    item.setGeometry(QRect(QPoint(x, top), QSize(width, h)))
                x += width + self._spacing
            y += height + self._spacing
        return y - self._spacing - rect.y() + margins.bottom() if rows else 0
