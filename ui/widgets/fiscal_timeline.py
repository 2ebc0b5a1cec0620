"""The fiscal year (October → September) as a timeline: one row per obligation, windows as
bars, single deadlines as diamonds in the status colours, and a line for today."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from lev_desktop.deadlines.engine import Item
from lev_desktop.deadlines.text import when_text
from lev_desktop.thai_format import MONTHS_ABBR, be_year, fiscal_months, fiscal_year_range
from ui import status_palette


class FiscalTimeline(QWidget):
    item_clicked = Signal(object)

    LABEL_W = 300
    ROW_H = 30

    def __init__(self, parent=None):
        super().__init__(parent)
        self.fiscal_year = 2568
        self.today: dt.date | None = None
        self.rows: list[tuple[str, list[Item]]] = []
        self._hits: list[tuple[QRectF, Item]] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_items(self, fiscal_year: int, items: list[Item], today: dt.date | None) -> None:
        self.fiscal_year = fiscal_year
        self.today = today
        start, end = fiscal_year_range(fiscal_year)
        rows: dict[tuple[str, str], list[Item]] = {}
        for item in items:
            if item.deadline.overlaps(start, end):
                ob = item.obligation
                rows.setdefault((ob.programme_code, ob.code), []).append(item)
        self.rows = [
            (f"{key[0]} · {items[0].obligation.title}", items)
            for key, items in sorted(rows.items())
        ]
        self.updateGeometry()
        self.update()

    def header_h(self) -> int:
        return QFontMetrics(self.font()).height() * 2 + 12

    def sizeHint(self) -> QSize:
        return QSize(900, self.header_h() + max(1, len(self.rows)) * self.ROW_H + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(600, self.sizeHint().height())

    def _x(self, day: dt.date, left: float, width: float) -> float:
        start, end = fiscal_year_range(self.fiscal_year)
        total = (end - start).days + 1
        return left + width * ((day - start).days / total)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        fm = QFontMetrics(self.font())
        left = float(self.LABEL_W)
        width = max(10.0, self.width() - left - 20)
        top = self.header_h()
        start, end = fiscal_year_range(self.fiscal_year)
        # month columns
        for n, (year, month) in enumerate(fiscal_months(self.fiscal_year)):
            x1 = self._x(dt.date(year, month, 1), left, width)
            nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
            x2 = self._x(min(nxt, end + dt.timedelta(days=1)), left, width)
            if n % 2 == 0:
                painter.fillRect(
                    QRectF(x1, top - 4, x2 - x1, self.height() - top + 4), QColor("#f5f7fa")
                )
            painter.setPen(QColor("#333333"))
            painter.drawText(
                QRectF(x1, 4, x2 - x1, fm.height() + 2),
                Qt.AlignmentFlag.AlignCenter,
                MONTHS_ABBR[month - 1],
            )
            painter.setPen(QColor("#777777"))
            painter.drawText(
                QRectF(x1, 6 + fm.height(), x2 - x1, fm.height() + 2),
                Qt.AlignmentFlag.AlignCenter,
                str(be_year(year) % 100).zfill(2),
            )
            painter.setPen(QPen(QColor("#dde1e6")))
            painter.drawLine(QPointF(x1, top - 4), QPointF(x1, self.height()))
        self._hits = []
        for row, (label, items) in enumerate(self.rows):
            y = top + row * self.ROW_H
            painter.setPen(QColor("#222222"))
            painter.drawText(
                QRectF(8, y, self.LABEL_W - 14, self.ROW_H),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                fm.elidedText(label, Qt.TextElideMode.ElideRight, self.LABEL_W - 14),
            )
            painter.setPen(QPen(QColor("#eceff3")))
            painter.drawLine(
                QPointF(8, y + self.ROW_H - 0.5), QPointF(self.width() - 8, y + self.ROW_H - 0.5)
            )
            mid = y + self.ROW_H / 2
            for item in items:
                d = item.deadline
                state = item.state.value
                painter.setPen(QPen(status_palette.fg(state), 1.2))
                painter.setBrush(status_palette.bg(state))
                if d.is_window:
                    x1 = self._x(max(d.first_day, start), left, width)
                    x2 = self._x(min(d.due, end) + dt.timedelta(days=1), left, width)
                    box = QRectF(x1, mid - 7, max(4.0, x2 - x1), 14)
                    painter.drawRoundedRect(box, 4, 4)
                else:
                    x = self._x(d.due, left, width) + 1
                    box = QRectF(x - 7, mid - 7, 14, 14)
                    painter.drawPolygon(
                        QPolygonF(
                            [
                                QPointF(x, mid - 7),
                                QPointF(x + 7, mid),
                                QPointF(x, mid + 7),
                                QPointF(x - 7, mid),
                            ]
                        )
                    )
                self._hits.append((box.adjusted(-2, -2, 2, 2), item))
        if self.today and start <= self.today <= end:
            x = self._x(self.today, left, width)
            painter.setPen(QPen(QColor("#1f5fbf"), 2))
            painter.drawLine(QPointF(x, top - 6), QPointF(x, self.height()))
        painter.end()

    def item_at(self, pos: QPointF) -> Item | None:
        for box, item in reversed(self._hits):
            if box.contains(pos):
                return item
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        item = self.item_at(event.position())
        row = int((event.position().y() - self.header_h()) // self.ROW_H)
        if item is None and event.position().x() < self.LABEL_W and 0 <= row < len(self.rows):
            self.setToolTip(self.rows[row][0])  # the full title of an elided row label
        elif item is None:
            self.setToolTip("")
        else:
            self.setToolTip(
                f"{item.state.label}: {item.obligation.title}\n{when_text(item.deadline)}"
            )
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        item = self.item_at(event.position())
        if item is not None and event.button() == Qt.MouseButton.LeftButton:
            self.item_clicked.emit(item)
        super().mouseReleaseEvent(event)
