"""The month grid: day cells with deadline chips; short windows (LEV Week) drawn as a span."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyleOptionViewItem,
    QTableView,
)

from lev_desktop.deadlines.engine import Item
from lev_desktop.i18n import _
from ui import digits, status_palette
from ui.thai_wrap import break_positions
from ui.widgets.deadline_models import (
    DateRole,
    HolidayRole,
    InMonthRole,
    ItemRole,
    MonthModel,
)
from ui.widgets.delegates import DigitsDelegate

# what Qt hands a delegate: a model index or a persistent one
Index = QModelIndex | QPersistentModelIndex

SPAN_MAX_DAYS = 45  # longer windows (a whole fiscal year) show only at their end


def chip_font(base: QFont) -> QFont:
    font = QFont(base)
    size = base.pointSizeF()
    if size > 0:
        font.setPointSizeF(max(7.5, size * 0.9))
    return font


def ordered(items: list[Item]) -> list[Item]:
    """Spans first (stable lanes across days), then by state urgency and programme."""
    rank = {"overdue": 0, "due_soon": 1, "upcoming": 2, "done": 3}
    return sorted(
        items,
        key=lambda i: (
            not i.deadline.is_window,
            i.deadline.first_day,
            rank.get(i.state.value, 4),
            i.obligation.programme_code,
            i.obligation.code,
        ),
    )


TIGHT_PAD = 2  # a chip's room above and below its line of text in a short cell


def layout(
    rect: QRect, day: dt.date, items: list[Item], metrics: QFontMetrics, header: int
) -> tuple[list[tuple[QRect, Item, bool, bool]], int]:
    """Chip rectangles in a cell: (rect, item, continues left, continues right); hidden count.

    Spans keep one line (so a bar lines up across the days of a week); single deadlines get
    two lines of text when the cell has room for all of them.
    """
    line_h = metrics.height() + 6
    top = rect.top() + header
    bottom = rect.bottom() - 2
    if items and bottom - top < line_h:
        # six weeks on a short screen (January 2570 at 1366×768 at 125 %): a thinner chip
        # rather than "+1 more" in place of the day's only deadline
        line_h = metrics.height() + TIGHT_PAD
    items = ordered(items)
    spans = [i for i in items if _is_span(i)]
    singles = [i for i in items if not _is_span(i)]
    free = bottom - top - len(spans) * (line_h + 2)
    single_h = line_h
    if singles and free >= len(singles) * (line_h + metrics.height() + 2):
        single_h = line_h + metrics.height()
    out = []
    y = top
    hidden = 0
    for n, item in enumerate(items):
        d = item.deadline
        span = _is_span(item)
        height = line_h if span else single_h
        remaining = len(items) - n - 1
        limit = bottom - (line_h if remaining else 0)
        if y + height > limit:
            hidden = len(items) - n
            break
        left = span and day > d.first_day
        right = span and day < d.due
        x1 = rect.left() + (0 if left else 3)
        x2 = rect.right() - (0 if right else 3)
        out.append((QRect(x1, y, x2 - x1 + 1, height), item, left, right))
        y += height + 2
    return out, hidden


def _is_span(item: Item) -> bool:
    d = item.deadline
    return d.is_window and (d.due - d.first_day).days <= SPAN_MAX_DAYS


class MonthDelegate(DigitsDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        day: dt.date | None = index.data(DateRole)
        if day is None:
            return
        painter.save()
        rect = option.rect
        in_month = bool(index.data(InMonthRole))
        holiday = index.data(HolidayRole) or ""
        model: MonthModel = index.model()  # type: ignore[assignment]
        background = QColor("#ffffff")
        if holiday:
            background = QColor("#fff1f0")
        elif day.weekday() >= 5:
            background = QColor("#f7f8fa")
        if not in_month:
            background = QColor("#eef0f3")
        painter.fillRect(rect, background)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, QColor(30, 90, 200, 28))
        painter.setPen(QPen(QColor("#c9ced6")))
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        base = QFont(option.font)
        metrics = QFontMetrics(base)
        header = metrics.height() + 6
        number_rect = QRect(rect.left() + 6, rect.top() + 2, rect.width() - 12, header - 2)
        is_today = model.today == day
        number = digits.shown(str(day.day))
        if is_today:
            bold = QFont(base)
            bold.setBold(True)
            painter.setFont(bold)
            badge = QRect(
                number_rect.left() - 3,
                number_rect.top() + 1,
                QFontMetrics(bold).horizontalAdvance(number) + 8,
                header - 4,
            )
            painter.setBrush(QColor("#1f5fbf"))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(badge, 4, 4)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, number)
        else:
            painter.setFont(base)
            painter.setPen(
                QColor("#9aa1ab")
                if not in_month
                else QColor(status_palette.HOLIDAY)
                if holiday
                else QColor("#222222")
            )
            painter.drawText(
                number_rect,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                number,
            )
        if holiday:
            small = chip_font(base)
            painter.setFont(small)
            painter.setPen(QColor(status_palette.HOLIDAY))
            offset = metrics.horizontalAdvance("00") + 12
            text_rect = number_rect.adjusted(offset, 0, 0, 0)
            painter.drawText(
                text_rect,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                QFontMetrics(small).elidedText(
                    holiday, Qt.TextElideMode.ElideRight, text_rect.width()
                ),
            )
        items: list[Item] = index.data(ItemRole) or []
        font = chip_font(base)
        fm = QFontMetrics(font)
        painter.setFont(font)
        chips, hidden = layout(rect, day, items, fm, header)
        for chip, item, left, right in chips:
            state = item.state.value
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(status_palette.bg(state))
            painter.drawRoundedRect(chip, 0 if (left or right) else 4, 4)
            painter.setPen(QPen(status_palette.fg(state), 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            if not left and not right:
                painter.drawRoundedRect(chip.adjusted(0, 0, -1, -1), 4, 4)
            else:
                painter.drawLine(chip.topLeft(), chip.topRight())
                painter.drawLine(chip.bottomLeft(), chip.bottomRight())
                if not left:
                    painter.drawLine(chip.topLeft(), chip.bottomLeft())
                if not right:
                    painter.drawLine(chip.topRight(), chip.bottomRight())
            text = (
                f"{status_palette.symbol(state)} {item.obligation.programme_code} "
                f"{item.obligation.title}"
            )
            painter.setPen(status_palette.fg(state))
            pad = min(2, (chip.height() - fm.height()) // 2)  # (a thin chip's text uncut)
            inner = chip.adjusted(5, pad, -4, -pad)
            if left or right:
                # A span's text runs along the whole bar of this week: every cell draws the
                # same line shifted by its distance from the bar's start, clipped to itself.
                d = item.deadline
                row_start = day - dt.timedelta(days=index.column())
                row_end = row_start + dt.timedelta(days=6)
                begin = max(d.first_day, row_start)
                cells = (min(d.due, row_end) - begin).days + 1
                shift = (day - begin).days * rect.width()
                line = QRect(
                    rect.left() - shift + 5, inner.top(), cells * rect.width() - 10, inner.height()
                )
                painter.save()
                painter.setClipRect(chip)
                painter.drawText(
                    line,
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    fm.elidedText(text, Qt.TextElideMode.ElideRight, line.width()),
                )
                painter.restore()
            elif inner.height() >= 2 * fm.height():
                # two lines: wrap at Thai word boundaries, elide the second line
                first, rest = _split_line(text, fm, inner.width())
                painter.drawText(
                    QRect(inner.left(), inner.top(), inner.width(), fm.height()),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    first,
                )
                painter.drawText(
                    QRect(inner.left(), inner.top() + fm.height(), inner.width(), fm.height()),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    fm.elidedText(rest, Qt.TextElideMode.ElideRight, inner.width()),
                )
            else:
                painter.drawText(
                    inner,
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    fm.elidedText(text, Qt.TextElideMode.ElideRight, inner.width()),
                )
        if hidden:
            painter.setPen(QColor("#445"))
            more = QRect(
                rect.left() + 6, rect.bottom() - fm.height() - 3, rect.width() - 10, fm.height() + 2
            )
            painter.drawText(
                more,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                _("+{n} more").format(n=hidden),
            )
        painter.restore()


def _split_line(text: str, metrics: QFontMetrics, width: int) -> tuple[str, str]:
    """The longest head of ``text`` that fits ``width``, broken at a word boundary (from the
    Thai segmenter: Qt's own boundaries need libthai, which Windows lacks), and the rest."""
    best = 0
    for position in [*break_positions(text), len(text)]:
        if metrics.horizontalAdvance(text[:position].rstrip()) > width:
            break
        best = position
    if best == 0:
        best = len(metrics.elidedText(text, Qt.TextElideMode.ElideNone, width)) or 1
        while best > 1 and metrics.horizontalAdvance(text[:best]) > width:
            best -= 1
    return text[:best].rstrip(), text[best:].lstrip()


class MonthView(QTableView):
    """Emits ``item_clicked(Item)`` when a chip is clicked and ``day_clicked(date)`` otherwise."""

    item_clicked = Signal(object)
    day_clicked = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setItemDelegate(MonthDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setMouseTracking(True)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setHighlightSections(False)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Six weeks of a day number and one chip each (more chips when there is room); from
        # the fonts, so that a 1366×768 screen at 125 % still fits the window (issue 13).
        # A cell: the number's line, a thin chip (``layout``) and the cell's edges.
        header = self.fontMetrics().height() + 6
        chip = QFontMetrics(chip_font(self.font())).height() + TIGHT_PAD
        self.setMinimumHeight(6 * (header + chip + 3))

    def item_at(self, pos: QPoint) -> Item | None:
        index = self.indexAt(pos)
        day = index.data(DateRole) if index.isValid() else None
        if day is None:
            return None
        rect = self.visualRect(index)
        metrics = QFontMetrics(self.font())
        chips, _hidden = layout(
            rect,
            day,
            index.data(ItemRole) or [],
            QFontMetrics(chip_font(self.font())),
            metrics.height() + 6,
        )
        for chip, item, _left, _right in chips:
            if chip.contains(pos):
                return item
        return None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        item = self.item_at(pos)
        if item is not None:
            self.item_clicked.emit(item)
            return
        index = self.indexAt(pos)
        if index.isValid():
            self.day_clicked.emit(index.data(DateRole))
