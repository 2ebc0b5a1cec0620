"""The consolidation board (กระดานติดตามผล): every LAO under this office, its state for one
programme obligation, its figures, a totals row, a chart, and per-district summaries.

The widgets only present: ``services.consolidation.build_board`` runs on the worker
(``ctx.runner``) and hands a finished ``Board`` to the models. Results of an older request
(the person changed a filter while a build ran) are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QPageLayout,
    QPainter,
    QPalette,
    QPen,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lev_desktop.changes import Changes
from lev_desktop.domain.offices import LaoType
from lev_desktop.i18n import _, ngettext
from lev_desktop.services.consolidation import (
    STATE_ORDER,
    Board,
    BoardRow,
    Metric,
    State,
    TextRows,
    district_rows,
    district_table,
    format_metric,
    indicator_table,
    metric_title,
    summary_heading,
)
from lev_desktop.thai_format import format_date, format_number
from ui import digits, status_palette
from ui.models.table import Column, TableModel
from ui.thai_wrap import break_positions, shown_rich
from ui.widgets.delegates import DigitsDelegate
from ui.widgets.eliding_combo import ElidingComboBox
from ui.widgets.fit import header_metrics, room_for_rows

_Index = QModelIndex | QPersistentModelIndex

# The app's one status palette (UI.md, ui/status_palette.py), by the one state:
# (background, text/border).
STATE_COLOURS: dict[State, tuple[str, str]] = {
    state: (status_palette.colors(state)[1], status_palette.colors(state)[0]) for state in State
}
RESIZE_PRECISION = 30  # rows looked at when fitting columns to their contents
STATE_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
# Line height for Thai stacked marks, as a multiple of the font height.
LINE_FACTOR = 1.55


format_value = format_metric
metric_header = metric_title


def wrap_header(text: str, max_width: int = 170) -> str:
    """Breaks a long column title into lines at Thai word boundaries (the PDF segmenter's:
    Qt's own need libthai, which Windows lacks), so long indicator names do not make columns
    very wide."""
    if QGuiApplication.instance() is None:  # a model used without a GUI (scripts)
        return text
    metrics = QFontMetrics(QGuiApplication.font())
    if metrics.horizontalAdvance(text) <= max_width:
        return text
    breaks = [*break_positions(text), len(text)]
    lines, start, last = [], 0, 0
    for position in breaks:
        if metrics.horizontalAdvance(text[start:position].strip()) > max_width and last > start:
            lines.append(text[start:last].strip())
            start = last
        last = position
    lines.append(text[start:].strip())
    return "\n".join(line for line in lines if line)


def lao_type_label(value: str | None) -> str:
    try:
        return LaoType(value).abbreviation if value else ""
    except ValueError:
        return value or ""


# ---- models --------------------------------------------------------------------------------


class BoardTableModel(TableModel):
    """One row per LAO, then a totals row. Rows come from a finished ``Board``."""

    FIXED = ("district", "lao", "type", "state", "received")

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[BoardRow] = []
        self._metrics: list[Metric] = []
        self._totals: dict[str, Any] = {}
        self._counts: dict[State, int] = {}

    # data in
    def set_board(self, board: Board | None) -> None:
        self.beginResetModel()
        self._rows = list(board.rows) if board else []
        self._metrics = list(board.metrics) if board else []
        self._totals = dict(board.totals) if board else {}
        self._counts = dict(board.counts) if board else {}
        self.endResetModel()

    def board_row(self, row: int) -> BoardRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def is_total(self, row: int) -> bool:
        return bool(self._rows) and row == len(self._rows)

    # Qt model API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return len(self._rows) + (1 if self._rows else 0)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return len(self.FIXED) + len(self._metrics)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < self.columnCount():
            fixed = {
                0: _("District"),
                1: _("LAO"),
                2: _("Type"),
                3: _("State"),
                4: _("Sent or done on"),
            }
            if section in fixed:
                return fixed[section]
            return wrap_header(metric_header(self._metrics[section - len(self.FIXED)]))
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and section >= len(self.FIXED)
            and section < self.columnCount()
        ):
            metric = self._metrics[section - len(self.FIXED)]
            how = _("Total: mean of the LAOs") if metric.agg == "mean" else _("Total: sum")
            return f"{metric_header(metric)}\n{how}"
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            not index.isValid()
            or index.row() >= self.rowCount()
            or index.column() >= self.columnCount()
        ):
            return None
        row, col = index.row(), index.column()
        if self.is_total(row):
            return self._total_data(col, role)
        item = self._rows[row]
        metric = self._metrics[col - len(self.FIXED)] if col >= len(self.FIXED) else None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return item.district
            if col == 1:
                return item.name
            if col == 2:
                return lao_type_label(item.lao_type)
            if col == 3:
                return item.state.label if item.state else ""
            if col == 4:
                return format_date(item.arrived)
            if metric is None:
                return None
            return format_value(item.values.get(metric.key), metric)
        if role == STATE_ROLE and col == 3:
            return item.state.value if item.state else None
        if role == SORT_ROLE:
            return self._sort_key(item, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and metric is not None:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 1:
                return f"{item.name} ({item.code})"
            if col in (3, 4) and item.due is not None:
                return _("Due {date}").format(date=format_date(item.due))
        return None

    def _total_data(self, col: int, role: int) -> Any:
        metric = self._metrics[col - len(self.FIXED)] if col >= len(self.FIXED) else None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return _("Total")
            if col == 1:
                return ngettext("{count} LAO", "{count} LAOs", len(self._rows)).format(
                    count=format_number(len(self._rows))
                )
            if col == 3:
                done = sum(n for state, n in self._counts.items() if state.fulfilled)
                return _("{done} of {count} sent").format(
                    done=format_number(done), count=format_number(len(self._rows))
                )
            if metric is not None:
                return format_value(self._totals.get(metric.key), metric, total=True)
            return ""
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QGuiApplication.palette().color(QPalette.ColorRole.AlternateBase))
        if role == Qt.ItemDataRole.TextAlignmentRole and metric is not None:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _sort_key(self, item: BoardRow, col: int) -> Any:
        if col == 0:
            return (item.district_code or "", item.code)
        if col == 1:
            return item.name
        if col == 2:
            return item.lao_type or ""
        if col == 3:
            return STATE_ORDER.index(item.state) if item.state else -1
        if col == 4:
            return item.arrived.isoformat() if item.arrived else ""
        value = item.values.get(self._metrics[col - len(self.FIXED)].key)
        return Decimal(value) if value is not None else Decimal("-1e30")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorts the LAO rows; the totals row stays last."""
        if not self._rows or not 0 <= column < self.columnCount():
            return
        self.layoutAboutToBeChanged.emit()
        old = list(self._rows)
        self._rows.sort(
            key=lambda r: self._sort_key(r, column), reverse=order == Qt.SortOrder.DescendingOrder
        )
        moved = {id(r): i for i, r in enumerate(self._rows)}
        for index in self.persistentIndexList():
            if index.row() < len(old):
                new_row = moved[id(old[index.row()])]
                self.changePersistentIndex(index, self.index(new_row, index.column()))
        self.layoutChanged.emit()


class TextTableModel(TableModel):
    """Read-only text cells (a printed summary's table shown on screen). ``rows`` may be
    ``TextRows``, whose lines are made when the view first asks for them."""

    def __init__(self, parent: Any = None, *, numbers_from: int = 1, bold_last: bool = False):
        super().__init__(parent)
        self._columns: list[Column] = []
        self.rows: Sequence[list[str]] = []  # type: ignore[assignment]
        self.numbers_from = numbers_from
        self.bold_last = bold_last

    def set_table(self, headers: list[str], rows: Sequence[list[str]]) -> None:
        """``rows``: lists of text, or ``TextRows`` (made when the view first asks)."""
        self.beginResetModel()
        self._columns = [Column(str(n), title) for n, title in enumerate(headers)]
        self.rows = rows if isinstance(rows, TextRows) else [list(r) for r in rows]
        self.endResetModel()

    def column_list(self) -> Sequence[Column]:
        return self._columns

    def header_text(self, section: int) -> str:
        # the headers are already the shown text (translated and formatted by the core)
        return (
            wrap_header(self._columns[section].title) if 0 <= section < len(self._columns) else ""
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            not index.isValid()
            or index.row() >= len(self.rows)
            or index.column() >= len(self._columns)
        ):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= self.numbers_from:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if (
            role == Qt.ItemDataRole.FontRole
            and self.bold_last
            and index.row() == len(self.rows) - 1
        ):
            font = QFont()
            font.setBold(True)
            return font
        return None


class GroupTableModel(TextTableModel):
    """One row per district: LAOs, states, share sent and figure totals; then the whole."""

    def __init__(self, parent: Any = None):
        super().__init__(parent, numbers_from=1, bold_last=True)

    def set_board(self, board: Board | None, table: Any = None) -> None:
        """``table``: ``district_rows(board)`` when the worker already made it."""
        if board is None or not board.rows:
            self.set_table([], [])
        else:
            self.set_table(*(table or district_rows(board)))


class IndicatorTableModel(TextTableModel):
    """KPI aggregates by stage: sum of quantities, mean/min/max of percentages."""

    def __init__(self, parent: Any = None):
        super().__init__(parent, numbers_from=3)

    def set_board(self, board: Board | None, table: Any = None) -> None:
        headers, rows = (table or indicator_table(board)) if board else ([], [])
        self.numbers_from = max(len(headers) - 5, 0)
        self.set_table(headers, rows)


# ---- painting --------------------------------------------------------------------------------


def draw_chip(painter: QPainter, rect: QRect, state: State, text: str) -> None:
    """A rounded, coloured label: the colour never stands alone, the text says it too."""
    background, foreground = STATE_COLOURS[state]
    metrics = painter.fontMetrics()
    width = min(rect.width() - 8, metrics.horizontalAdvance(text) + 18)
    height = min(rect.height() - 6, int(metrics.height() * 1.35))
    chip = QRectF(rect.left() + 4, rect.center().y() - height / 2 + 1, width, height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(foreground), 1))
    painter.setBrush(QColor(background))
    painter.drawRoundedRect(chip, height / 2, height / 2)
    painter.setPen(QColor(foreground))
    painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


class StateChipDelegate(DigitsDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        value = index.data(STATE_ROLE)
        if not value:
            super().paint(painter, option, index)
            return
        style = option.widget.style() if option.widget else None
        if style is not None:  # selection background, focus frame
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
        draw_chip(
            painter, option.rect, State(value), self.displayText(index.data() or "", QLocale())
        )

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + 24, hint.height())


class ProgressChart(QWidget):
    """States at a glance: one stacked bar for the whole, then one per district (QPainter)."""

    MAX_BARS = 10

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._whole: dict[State, int] = {}
        self._groups: list[tuple[str, dict[State, int]]] = []
        self._hidden = 0
        line = int(self.fontMetrics().height() * LINE_FACTOR)
        # The legend and the whole's bar: the districts' bars are as many as the height holds
        # (the rest counted on the last line), so that the district summary's chart and two
        # tables share a page that fits 1366×768 at 125 % without scrolling.
        self.setMinimumHeight(line * 2 + 12)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_board(self, board: Board | None) -> None:
        self._whole = dict(board.counts) if board else {}
        groups: list[tuple[str, dict[State, int]]] = []
        if board is not None:
            if len(board.districts) > self.MAX_BARS:
                # A province or the nation: worst first (most overdue share), the rest counted.
                ranked = sorted(
                    board.districts,
                    key=lambda g: (-g.counts.get(State.OVERDUE, 0) / max(g.laos, 1), g.key),
                )
            else:
                ranked = list(board.districts)
            groups = [(g.label, dict(g.counts)) for g in ranked]
        self._groups = groups[: self.MAX_BARS]
        self._hidden = max(0, len(groups) - self.MAX_BARS)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        line = int(self.fontMetrics().height() * LINE_FACTOR)
        bars = 1 + len(self._groups) + (1 if self._hidden else 0)
        return QSize(480, line * (1 + bars) + 12)

    def paintEvent(self, _event: Any) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = painter.fontMetrics()
        line = int(fm.height() * LINE_FACTOR)
        width = self.width()
        total = sum(self._whole.values())
        if not total:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, _("No LAOs to show for this choice")
            )
            return
        # Legend with counts: the text carries the meaning, colour only helps.
        x, y = 8, 6
        for state in STATE_ORDER:
            if not self._whole.get(state):
                continue  # only the states that occur
            text = f"{state.label} {format_number(self._whole.get(state, 0))}"
            foreground = STATE_COLOURS[state][1]
            painter.setPen(QPen(QColor(foreground)))
            painter.setBrush(QColor(foreground))
            box = fm.height() * 0.7
            painter.drawRoundedRect(QRectF(x, y + (line - box) / 2, box, box), 3, 3)
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            painter.drawText(
                QRect(int(x + box + 6), y, fm.horizontalAdvance(text) + 4, line),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            x += int(box + 6 + fm.horizontalAdvance(text) + 18)
        y += line
        labels = [_("All LAOs")] + [label for label, _c in self._groups]
        label_w = min(int(width * 0.32), max(fm.horizontalAdvance(label) for label in labels) + 24)
        # As many district bars as the height holds; the rest are counted on the last line.
        fits = max(0, (self.height() - y) // line - 1)
        groups, hidden = self._groups, self._hidden
        if len(groups) > fits:
            keep = max(0, fits - 1)
            groups, hidden = groups[:keep], hidden + len(groups) - keep
        bars = [(_("All LAOs"), self._whole), *groups]
        for number, (label, counts) in enumerate(bars):
            count = sum(counts.values())
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            font = painter.font()
            font.setBold(number == 0)
            painter.setFont(font)
            painter.drawText(
                QRect(8, y, label_w - 12, line),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                fm.elidedText(label, Qt.TextElideMode.ElideRight, label_w - 12),
            )
            bar = QRectF(label_w, y + line * 0.18, max(10, width - label_w - 110), line * 0.64)
            start = bar.left()
            for state in STATE_ORDER:
                n = counts.get(state, 0)
                if not n or not count:
                    continue
                part = bar.width() * n / count
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(STATE_COLOURS[state][1]))
                painter.drawRect(QRectF(start, bar.top(), part, bar.height()))
                start += part
            done = sum(n for state, n in counts.items() if state.fulfilled)
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            painter.drawText(
                QRect(int(bar.right()) + 8, y, 100, line),
                Qt.AlignmentFlag.AlignVCenter,
                f"{format_number(done)}/{format_number(count)}",
            )
            font.setBold(False)
            painter.setFont(font)
            y += line
        if hidden:
            painter.drawText(
                QRect(8, y, width - 16, line),
                Qt.AlignmentFlag.AlignVCenter,
                _("…and {count} more districts (see the table below)").format(
                    count=format_number(hidden)
                ),
            )


# ---- the board -------------------------------------------------------------------------------


PAIR_GAP = 16  # px between two label-and-field pairs of a row, beside the layout's spacing


def _beside(label: QLabel, field: QWidget) -> QWidget:
    """A label and its field, shown or hidden together."""
    pair = QWidget()
    layout = QHBoxLayout(pair)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(label)
    layout.addWidget(field, 1)
    label.setBuddy(field)
    return pair


class ConsolidationBoard(QWidget):
    """Programme + obligation/period, filters, the LAO table with totals, chart, summaries."""

    board_ready = Signal(object)  # the Board shown (tests, the exchange screen)

    def __init__(self, ctx: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.board: Board | None = None
        self._programmes: list[Any] = []
        self._request = 0
        self._loading = False
        self._wanted_programme: str | None = None

        # Drop-downs that end a name that does not fit in "…" (whole in the tooltip) and may
        # be narrower than their longest name: a month's period ("มกราคม 2568 (กำหนดส่ง 1 ม.ค.
        # 2568)") beside the obligation and the type widened the page past the window.
        self.programme_box = ElidingComboBox()
        self.obligation_box = ElidingComboBox()
        self.period_box = ElidingComboBox()
        self.district_box = ElidingComboBox()
        self.type_box = ElidingComboBox()
        for box in (self.programme_box, self.obligation_box):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(24)
        for box in (self.period_box, self.district_box, self.type_box):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(14)
        self.programme_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.obligation_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.refresh_button = QPushButton(_("Refresh"))
        self.copy_button = QPushButton(_("Copy table"))
        self.copy_button.setToolTip(_("Copy the table to paste into Excel"))
        self.print_button = QPushButton(_("Print summary…"))
        self.print_button.setToolTip(_("Print the district summary of this board"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)

        self.type_box.addItem(_("All types"), None)
        for lao_type in LaoType:
            self.type_box.addItem(f"{lao_type.abbreviation} {lao_type.label}", lao_type.value)
        self.district_box.addItem(_("All districts"), None)

        # Two rows of choices, not three (the district and type filters beside the programme
        # and the obligation): at 1366×768 at 125 % every row taken here is a row of LAOs
        # fewer. (Plain rows: they fit the narrowest window, 914 px at 125 %.)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        top = QHBoxLayout()
        top.addWidget(self.programme_box, 3)
        self.year_title, self.year_label = QLabel(_("Fiscal year")), QLabel()
        self.district_label = QLabel(_("District"))
        # more room between two label-and-field pairs than inside one: "ปีงบประมาณ 2568
        # อำเภอ [ทุกอำเภอ]" read as one phrase
        top.addSpacing(PAIR_GAP)
        top.addWidget(_beside(self.year_title, self.year_label))
        top.addSpacing(PAIR_GAP)
        top.addWidget(_beside(self.district_label, self.district_box), 1)
        form.addRow(_("Programme"), top)
        duty = QHBoxLayout()
        duty.addWidget(self.obligation_box, 3)
        self.period_label = QLabel(_("Period"))
        self.period_pair = _beside(self.period_label, self.period_box)
        duty.addWidget(self.period_pair, 1)
        duty.addWidget(_beside(QLabel(_("LAO type")), self.type_box), 1)
        form.addRow(_("Obligation"), duty)
        # The actions stand beside the tabs of the table they act on, in the tab bar's empty
        # end: in the filters' row they wrapped it to a second row at 1366×768 at 125 %,
        # and the list showed three LAOs in a page that scrolled.
        actions = QWidget()
        actions_layout = QHBoxLayout(actions)
        actions_layout.setContentsMargins(0, 0, 0, 2)
        for button in (self.refresh_button, self.copy_button, self.print_button):
            actions_layout.addWidget(button)

        self.model = BoardTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        # Enter or a double click on an LAO opens its form of the obligation shown (fit15: the
        # officer saw an LAO late and had no way from its row to what it had sent)
        self.table.activated.connect(self.open_row)
        self.table.setItemDelegate(DigitsDelegate(self.table))
        self.table.setItemDelegateForColumn(3, StateChipDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(
            int(self.fontMetrics().height() * LINE_FACTOR) + 4
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(False)
        # Fit columns to the first rows only: measuring 7,850 rows would block the window.
        self.table.horizontalHeader().setResizeContentsPrecision(RESIZE_PRECISION)

        self.district_chart = ProgressChart()
        self.group_model = GroupTableModel(self)
        self.group_table = QTableView()
        self.group_table.setModel(self.group_model)
        self.group_table.verticalHeader().hide()
        self.group_table.horizontalHeader().setResizeContentsPrecision(RESIZE_PRECISION)
        self.group_table.verticalHeader().setDefaultSectionSize(
            int(self.fontMetrics().height() * LINE_FACTOR) + 4
        )
        self.indicator_model = IndicatorTableModel(self)
        self.indicator_table = QTableView()
        self.indicator_table.setModel(self.indicator_model)
        self.indicator_table.verticalHeader().hide()
        self.indicator_table.verticalHeader().setDefaultSectionSize(
            int(self.fontMetrics().height() * LINE_FACTOR) + 4
        )

        by_lao = QWidget()
        by_lao_layout = QVBoxLayout(by_lao)
        by_lao_layout.setContentsMargins(0, 0, 0, 0)
        # The table alone: the states' counts are in the summary line above it, and their bar
        # of the whole is the first of the district summary's chart. A chart under the table
        # (86 px at 125 %) left the officer two or three LAOs in view at 1366×768.
        by_lao_layout.addWidget(self.table, 1)
        figures = QSplitter(Qt.Orientation.Vertical)
        figures.setChildrenCollapsible(False)
        figures.addWidget(self.district_chart)
        figures.setCollapsible(0, True)
        figures.addWidget(self.group_table)
        indicators = QWidget()
        indicators_layout = QVBoxLayout(indicators)
        indicators_layout.setContentsMargins(0, 0, 0, 0)
        self.indicator_title = QLabel(_("Indicators by stage (all LAOs on the board)"))
        indicators_layout.addWidget(self.indicator_title)
        indicators_layout.addWidget(self.indicator_table, 1)
        figures.addWidget(indicators)
        self.indicator_box = indicators
        self.figures = figures
        self.tabs = QTabWidget()
        self.tabs.addTab(by_lao, _("By LAO"))
        self.tabs.addTab(figures, _("District summary"))
        self.tabs.setCornerWidget(actions, Qt.Corner.TopRightCorner)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)  # (in a tab page's frame already)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

        self.programme_box.currentIndexChanged.connect(self._programme_changed)
        self.obligation_box.currentIndexChanged.connect(self._obligation_changed)
        self.period_box.currentIndexChanged.connect(lambda _i: self.rebuild())
        self.district_box.currentIndexChanged.connect(lambda _i: self.rebuild())
        self.type_box.currentIndexChanged.connect(lambda _i: self.rebuild())
        self.refresh_button.clicked.connect(self.refresh)
        self.copy_button.clicked.connect(self.copy_table)
        self.print_button.clicked.connect(self.print_summary)
        # A national board takes seconds: rebuild on a data change only when it is on screen,
        # otherwise the next time it is shown.
        self._stale = False
        if hasattr(ctx, "changed"):
            ctx.changed.connect(self._changed)
        if hasattr(ctx, "fiscal_year_changed"):
            ctx.fiscal_year_changed.connect(self._fiscal_year_changed)
        self.summary.setText(_("Loading…"))
        self.refresh()

    # ---- loading ---------------------------------------------------------------------
    def refresh(self) -> None:
        """Reloads the programme list and the districts, then the board."""
        from lev_desktop.services import consolidation

        store = self.ctx.store

        def load(_progress: Any) -> list[Any]:
            return consolidation.programmes_for_board(store)

        self.ctx.runner.run(load, on_success=self._loaded, owner=self)

    def _changed(self, changes: Changes) -> None:
        if not changes.states:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def _fiscal_year_changed(self, _fy: int) -> None:
        self._fill_obligations()
        if self.isVisible():
            self.rebuild()
        else:
            self._stale = True

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()

    def _loaded(self, programmes: list[Any]) -> None:
        self._loading = True
        current = self._wanted_programme or self.programme_box.currentData()
        self._programmes = programmes
        self.programme_box.clear()
        for prog in programmes:
            self.programme_box.addItem(digits.programme_label(prog), prog.code)
            self.programme_box.setItemData(
                self.programme_box.count() - 1,
                digits.shown(prog.name),
                Qt.ItemDataRole.ToolTipRole,
            )
        found = self.programme_box.findData(current)
        self.programme_box.setCurrentIndex(max(found, 0))
        self._loading = False
        self._fill_obligations()
        if not programmes:
            self.summary.setText(
                _(
                    "No programme has LAO obligations yet — add a programme "
                    "from a directive letter first."
                )
            )
            self._show_board(None)
            return
        self.rebuild()

    def select_programme(self, code: str) -> None:
        """Shows a programme's board (remembered when the list is still loading)."""
        self._wanted_programme = code
        index = self.programme_box.findData(code)
        if index >= 0:
            self.programme_box.setCurrentIndex(index)

    def open_row(self, index: QModelIndex) -> None:
        """``ctx.navigate`` to the screen that holds the LAO's form of the obligation shown."""
        from lev_desktop.deadlines.engine import FORM_SCREENS

        row = self.model.board_row(index.row()) if index.isValid() else None
        board, prog = self.board, self._programme()
        if row is None or board is None or board.obligation is None or prog is None:
            return
        ob = board.obligation
        screen = FORM_SCREENS.get(ob.form_kind)
        if screen is None:
            return
        target = {"programme": prog.code, "programme_id": prog.id, "form": ob.form}
        target |= {"period": board.due.period if board.due else None, "office": row.code}
        self.ctx.navigate.emit(screen, target)

    def _programme(self) -> Any:
        code = self.programme_box.currentData()
        return next((p for p in self._programmes if p.code == code), None)

    def _fiscal_year(self) -> int:
        prog = self._programme()
        return (
            int(prog.fiscal_year)
            if prog is not None and prog.fiscal_year
            else int(self.ctx.fiscal_year)
        )

    def _programme_changed(self, _index: int) -> None:
        if self._loading:
            return
        self._fill_obligations()
        self.rebuild()

    def _fill_obligations(self) -> None:
        from lev_desktop.services.consolidation import board_obligations

        was = self._loading
        self._loading = True
        self.obligation_box.clear()
        prog = self._programme()
        self.year_label.setText(digits.shown(str(self._fiscal_year())) if prog else "")
        if prog is not None:
            for ob in board_obligations(prog, self._fiscal_year()):
                title = digits.shown(ob.title)
                self.obligation_box.addItem(title, ob.code)
                self.obligation_box.setItemData(
                    self.obligation_box.count() - 1, title, Qt.ItemDataRole.ToolTipRole
                )
        self._fill_periods()
        self._loading = was

    def _obligation_changed(self, _index: int) -> None:
        if self._loading:
            return
        self._loading = True
        self._fill_periods()
        self._loading = False
        self.rebuild()

    def _fill_periods(self) -> None:
        from lev_desktop.services.consolidation import board_obligations

        self.period_box.clear()
        prog = self._programme()
        code = self.obligation_box.currentData()
        dues = []
        if prog is not None and code:
            ob = next(
                (o for o in board_obligations(prog, self._fiscal_year()) if o.code == code), None
            )
            dues = list(ob.dues) if ob else []
        for due in dues:
            self.period_box.addItem(
                digits.shown(
                    _("{period} (due {date})").format(period=due.label, date=format_date(due.due))
                ),
                due.period,
            )
        several = len(dues) > 1
        self.period_pair.setVisible(several)
        if several:
            # The latest period already due is what a person usually chases.
            from lev_desktop.deadlines import today

            now = today()
            past = [i for i, d in enumerate(dues) if d.due <= now]
            self.period_box.setCurrentIndex(past[-1] if past else 0)

    def rebuild(self) -> None:
        """Builds the board for the current choices on the worker."""
        if self._loading:
            return
        prog = self._programme()
        if prog is None:
            return
        from lev_desktop.services.consolidation import build_board

        self._request += 1
        request = self._request
        store = self.ctx.store
        args = {
            "fiscal_year": self._fiscal_year(),
            "obligation": self.obligation_box.currentData(),
            "period": self.period_box.currentData(),
            "district": self.district_box.currentData(),
            "lao_type": self.type_box.currentData(),
        }
        code = prog.code
        self.summary.setText(_("Consolidating figures…"))

        def work(progress: Any) -> tuple[Board, Any, Any]:
            board = build_board(store, code, progress=progress, **args)
            # The summary tables (the districts' rows are formatted when they are shown:
            # ~20,000 numbers at the national level).
            return board, district_rows(board), indicator_table(board)

        self.ctx.runner.run(
            work,
            label=_("Consolidating figures…"),
            owner=self,
            on_success=lambda result: self._delivered(request, *result),
        )

    def _delivered(
        self, request: int, board: Board, districts: Any = None, indicators: Any = None
    ) -> None:
        if request != self._request:
            return  # an older choice; a newer build is on its way
        self._show_board(board, districts, indicators)

    def _add_districts(self, board: Board) -> None:
        """The district filter lists every district a board has shown (the LAO list is read
        once, by the board itself, not a second time for the filter)."""
        known = {
            self.district_box.itemData(i): self.district_box.itemText(i)
            for i in range(1, self.district_box.count())
        }
        new = {g.key: g.label for g in board.districts if g.key and g.key not in known}
        if not new:
            return
        was = self._loading
        self._loading = True
        chosen = self.district_box.currentData()
        known.update(new)
        self.district_box.clear()
        self.district_box.addItem(_("All districts"), None)
        for key, label in sorted(known.items(), key=lambda kv: (kv[1], kv[0])):
            self.district_box.addItem(label, key)
        self.district_box.setCurrentIndex(max(self.district_box.findData(chosen), 0))
        self._loading = was

    def _show_board(
        self, board: Board | None, districts: Any = None, indicators: Any = None
    ) -> None:
        self.board = board
        if board is not None:
            self._add_districts(board)
        self.model.set_board(board)
        self.group_model.set_board(board, districts)
        self.indicator_model.set_board(board, indicators)
        self.district_chart.set_board(board)
        has_kpi = bool(board and board.indicators)
        self.indicator_box.setVisible(has_kpi)
        self._share_figures_space()
        if board is not None:
            # One district (a district office's own board): its name on every row is noise.
            self.table.setColumnHidden(0, len(board.districts) <= 1)
            self.summary.setText(digits.shown(self._summary_text(board)))
            self._fit_columns()
        self.board_ready.emit(board)

    def _share_figures_space(self) -> None:
        """The district chart as tall as its bars (at most a quarter of the page), the tables
        share the rest: the page does not scroll, and with the chart at half of it the
        districts' table showed under one row at 125 %."""
        total = max(self.figures.height(), 400)
        line = int(self.district_chart.fontMetrics().height() * LINE_FACTOR)
        chart = min(self.district_chart.sizeHint().height(), total // 4)
        if chart < self.district_chart.minimumHeight() + line:
            # No district's bar would show, only the legend and the whole's bar, which the
            # summary line above says in words: the tables take its room (its handle brings
            # it back). At 1366×768 at 125 % the two tables showed one row each beside it.
            chart = 0
        rest = total - chart
        if self.indicator_box.isVisibleTo(self.figures):
            self.figures.setSizes([chart, rest // 2, rest - rest // 2])
        else:
            self.figures.setSizes([chart, rest, 0])

    def _summary_text(self, board: Board) -> str:
        if not board.rows:
            return _(
                "No LAOs under this office match the filters — choose another district "
                "or type, or add the LAO list first."
            )
        parts = [f"{s.label} {format_number(board.counts.get(s, 0))}" for s in board.shown_states]
        text = ngettext("{count} LAO: {states}", "{count} LAOs: {states}", len(board.rows)).format(
            count=format_number(len(board.rows)), states=" · ".join(parts)
        )
        if board.due is not None:
            text += " — " + _("due {date}, as of {today}").format(
                date=format_date(board.due.due), today=format_date(board.today)
            )
        return text

    def _fit_columns(self) -> None:
        # the LAO column up to the longest real name (a few of 7,850 were cut at 280 px and
        # read only in the tooltip); a district of short names keeps its narrower column
        longest = self.table.fontMetrics().horizontalAdvance(LONGEST_LAO_NAME) + 20
        fit_columns(self.table, limits={1: max(280, longest)}, extra={3: 28})
        room_for_rows(self.table, 3)
        fit_columns(self.group_table, limits={0: 240})
        fit_columns(self.indicator_table, limits={0: 320, 1: 320})

    # ---- actions -----------------------------------------------------------------------
    def table_text(self) -> str:
        """The LAO table with its totals row as tab-separated text (pastes into Excel)."""
        return model_text(self.model)

    def summary_document(self) -> QTextDocument | None:
        if self.board is None:
            return None
        document = QTextDocument(self)
        document.setDefaultFont(self.font())
        # on paper too, Qt breaks a Thai line only where libthai or a break opportunity says
        document.setHtml(shown_rich(summary_html(self.board)))
        return document

    def print_summary(self) -> None:
        """The district/province summary on paper (A4 landscape), through the print preview."""
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        document = self.summary_document()
        if document is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        printer.setDocName(self.board.programme_name if self.board else "")
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(_("Print summary"))
        dialog.paintRequested.connect(document.print_)
        dialog.exec()

    def copy_table(self) -> None:
        QGuiApplication.clipboard().setText(self.table_text())
        self.summary.setText(
            self.summary.text().split("\n")[0] + "\n" + _("Table copied — paste it into Excel.")
        )


# The longest of the 7,850 LAO names as the LAOs are named (bench/bench_reports.real_laos:
# every subdistrict of the gazetteer): 311 px at the app's 11 pt, where 280 cut 8 of them
LONGEST_LAO_NAME = "องค์การบริหารส่วนตำบลนิคมสร้างตนเองลำโดมน้อย"


def fit_columns(
    view: QTableView,
    *,
    sample: int = RESIZE_PRECISION,
    limit: int = 220,
    limits: dict[int, int] | None = None,
    extra: dict[int, int] | None = None,
) -> None:
    """Column widths from the header and a sample of rows (the first ones and the last, the
    totals). Qt's resizeColumnsToContents measured ~0.8 s on the GUI thread for a national
    board even with a resize precision; this measures at most ``sample`` + 1 rows."""
    model = view.model()
    metrics = view.fontMetrics()
    header = view.horizontalHeader()
    title_metrics = header_metrics(header)  # (bold while a row is selected)
    rows = model.rowCount()
    sampled = list(range(min(rows, sample))) + ([rows - 1] if rows > sample else [])
    bold = QFont(view.font())
    bold.setBold(True)
    bold_metrics = QFontMetrics(bold)
    font_role = Qt.ItemDataRole.FontRole
    for col in range(model.columnCount()):
        title = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        width = max(
            (title_metrics.horizontalAdvance(line) for line in title.split("\n")), default=0
        )
        for row in sampled:
            index = model.index(row, col)
            text = str(index.data() or "")
            use = bold_metrics if index.data(font_role) else metrics
            width = max(width, use.horizontalAdvance(text))
        width += 20 + (extra or {}).get(col, 0)
        header.resizeSection(col, min(width, (limits or {}).get(col, limit)))


def summary_html(board: Board) -> str:
    """The printed summary: heading, the per-district table, the indicator aggregates."""

    def table(headers: list[str], rows: list[list[str]], numbers_from: int) -> str:
        head = "".join(f"<th>{escape(h)}</th>" for h in headers)
        body = []
        for number, row in enumerate(rows):
            cells = "".join(
                f"<td align='{'right' if i >= numbers_from else 'left'}'>{escape(c)}</td>"
                for i, c in enumerate(row)
            )
            style = (
                " style='font-weight:bold'" if numbers_from == 1 and number == len(rows) - 1 else ""
            )
            body.append(f"<tr{style}>{cells}</tr>")
        return (
            "<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
            f"<thead><tr>{head}</tr></thead>{''.join(body)}</table>"
        )

    heading = summary_heading(board)
    parts = [f"<h3>{escape(heading[0])}</h3>"]
    parts += [f"<p>{escape(line)}</p>" for line in heading[1:]]
    parts.append(table(*district_table(board, indicators=len(board.indicators) <= 4), 1))
    if board.indicators:
        parts.append(f"<h4>{escape(_('Indicators by stage (all LAOs on the board)'))}</h4>")
        headers, rows = indicator_table(board)
        parts.append(table(headers, rows, len(headers) - 5))
    return "<html><body>" + "".join(parts) + "</body></html>"


def model_text(model: QAbstractTableModel) -> str:
    lines: list[Sequence[str]] = [
        [
            str(model.headerData(c, Qt.Orientation.Horizontal) or "")
            for c in range(model.columnCount())
        ]
    ]
    for r in range(model.rowCount()):
        lines.append([str(model.index(r, c).data() or "") for c in range(model.columnCount())])
    return "\n".join("\t".join(line) for line in lines)


__all__ = [
    "BoardTableModel",
    "ConsolidationBoard",
    "GroupTableModel",
    "IndicatorTableModel",
    "ProgressChart",
    "StateChipDelegate",
    "draw_chip",
]
