"""Tables that fit the window: headers as tall as their wrapped titles, columns shared out over
the width there is, and the widths a person chose remembered.

A 1366×768 laptop at 125 % scaling leaves about 1093×582 logical pixels (UI.md): a table of
eight Thai columns must fit without sideways scrolling, its header titles wrapped at word
boundaries rather than cut ("งบประมาณ (บาท" or upper vowels sliced off). ``fit_table(view)``
gives a table both behaviours:

- the header wraps its titles and takes its height from the font's metrics (which include the
  room the app's font keeps for stacked Thai marks), recomputed when columns, titles or the font
  change;
- the columns share the viewport's width in proportion to their preferred widths, never below
  the widest word of their title or content (a word is never cut in two); when the person drags
  a column edge, their widths win and are remembered (``ui.window_state``) until "Fit columns to
  the window" in the header's context menu.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QGuiApplication,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLineEdit,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from lev_desktop.i18n import _
from ui import thai_wrap

# Room around a header title and a cell's text (the stylesheet's padding plus the grid line).
HEADER_PAD_W = 14
HEADER_PAD_H = 10
CELL_PAD_W = 10
# The widest a one-line cell's text makes its column (a longer one is cut with "…").
LONGEST_LINE = 240
SAMPLE_ROWS = 40  # rows measured for the widest word of a column
LONGEST_WORD = 120  # a longer token (a URL, a record id, a whole office name) may wrap anywhere
WRAP_FLAGS = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag(Qt.TextFlag.TextWordWrap.value)
WRAP = Qt.AlignmentFlag.AlignHCenter | WRAP_FLAGS


def words(text: str) -> list[str]:
    """The words of a text as the PDFs break them (Thai segmented, numbers whole)."""
    from exports.pdf.words import segment

    return [w for w in segment(text.replace("\n", " ")) if w.strip()]


def header_font(header: QHeaderView) -> QFont:
    """The font a header's titles are painted with: bold where the header highlights the
    sections of the selection (``highlightSections``, on for every QTableView: a selected row
    makes every title bold), so that a title measured to fit is not wrapped, and cut, when a
    row is selected."""
    font = header.font()
    if header.highlightSections():
        font.setBold(True)
    return font


def header_metrics(header: QHeaderView) -> QFontMetrics:
    """The metrics of ``header_font``."""
    return QFontMetrics(header_font(header))


def widest_word(text: str, metrics: QFontMetrics) -> int:
    return max((metrics.horizontalAdvance(w) for w in words(text)), default=0)


class _Refit(QObject):
    """What the three fits share: ``schedule()`` gathers a burst of changes into one ``fit()``
    on the next turn of the event loop, and the view's model is followed (its ``model_signals``
    schedule a fit; a new model is picked up at the next fit). A subclass names the model it
    follows (``watched_model``) and measures in ``measure()``."""

    model_signals: tuple[str, ...] = ("modelReset", "layoutChanged", "rowsInserted")

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self._pending = False
        self._model: QAbstractItemModel | None = None

    def watched_model(self) -> QAbstractItemModel | None:
        raise NotImplementedError

    def measure(self) -> None:
        raise NotImplementedError

    def _watch_model(self) -> None:
        model = self.watched_model()
        if model is self._model or model is None:
            return
        self._model = model
        for name in self.model_signals:
            getattr(model, name).connect(self._model_changed)

    def _model_changed(self, *_args) -> None:
        self.schedule()

    def schedule(self, *_args) -> None:
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self.fit)

    def fit(self) -> None:
        self._pending = False
        self._watch_model()
        self.measure()


class HeaderFit(_Refit):
    """Keeps a horizontal header as tall as its tallest wrapped title."""

    model_signals = ("headerDataChanged", "modelReset", "columnsInserted", "columnsRemoved")

    def __init__(self, header: QHeaderView):
        super().__init__(header)
        self.header = header
        side = header.defaultAlignment() & Qt.AlignmentFlag.AlignHorizontal_Mask
        self.alignment = (side or Qt.AlignmentFlag.AlignHCenter) | WRAP_FLAGS
        header.setDefaultAlignment(self.alignment)
        header.setTextElideMode(Qt.TextElideMode.ElideNone)
        header.sectionResized.connect(self.schedule)
        header.sectionCountChanged.connect(self.schedule)
        header.geometriesChanged.connect(self.schedule)
        header.installEventFilter(self)
        self._retries = 20
        self._watch_model()
        self.schedule()

    def watched_model(self) -> QAbstractItemModel | None:
        return self.header.model()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.Show):
            self.schedule()
        return False

    def needed_height(self) -> int:
        header = self.header
        model = header.model()
        font = header_font(header)
        metrics = QFontMetrics(font)
        tallest = metrics.height()
        if model is not None:
            for section in range(header.count()):
                if header.isSectionHidden(section):
                    continue
                text = model.headerData(section, Qt.Orientation.Horizontal)
                if not text:
                    continue
                width = max(header.sectionSize(section) - HEADER_PAD_W, 8)
                # measured as painted: the lines ui.thai_wrap gives header titles
                rect = metrics.boundingRect(
                    QRect(0, 0, width, 10_000),
                    int(self.alignment),
                    thai_wrap.wrapped(str(text), font, width, elide=True),
                )
                tallest = max(tallest, rect.height())
        return tallest + HEADER_PAD_H

    def measure(self) -> None:
        if not thai_wrap.ready() and self._retries > 0:
            # the segmenter loads in the background: measure again once the titles get breaks
            self._retries -= 1
            QTimer.singleShot(500, self, self.schedule)
        height = self.needed_height()
        if self.header.height() != height or self.header.minimumHeight() != height:
            self.header.setFixedHeight(height)


class ColumnFit(_Refit):
    """Shares a table's width out over its columns (see the module text).

    ``preferred``: a width per column (the proportions; missing columns keep their width
    and take no share). ``minimum``: widths below which a column never goes (the widest word
    of its title and sampled content is always added). ``key`` names the table for the
    remembered widths.
    """

    def __init__(
        self,
        view: QTableView,
        preferred: Sequence[int],
        *,
        minimum: Sequence[int] | None = None,
        key: str = "",
    ):
        super().__init__(view)
        self.view = view
        self.preferred = list(preferred)
        self.minimum = list(minimum or [])
        self.key = key
        self.manual: dict[int, int] = {}
        self._word_min: dict[int, int] = {}
        self._fitting = False
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.sectionResized.connect(self._resized)
        header.sectionHandleDoubleClicked.connect(
            lambda c: QTimer.singleShot(0, self, lambda: self._record(c, view.columnWidth(c)))
        )
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.reset_action = QAction(_("Fit columns to the window"), header)
        self.reset_action.triggered.connect(self.reset)
        header.addAction(self.reset_action)
        view.viewport().installEventFilter(self)
        self._watch_model()
        if key:
            from ui import window_state

            self.manual = window_state.column_widths(key)
        self.schedule()

    def watched_model(self) -> QAbstractItemModel | None:
        return self.view.model()

    def _model_changed(self, *_args) -> None:
        self._word_min = {}  # other content: its widest words are measured again
        self.schedule()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.schedule()
        return False

    def _resized(self, column: int, _old: int, new: int) -> None:
        # A drag of the column edge by the person (a mouse button is down).
        if not self._fitting and QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            self._record(column, new)

    def _record(self, column: int, width: int) -> None:
        self.manual[column] = width
        if self.key:
            from ui import window_state

            window_state.set_column_widths(self.key, self.manual)

    def reset(self) -> None:
        """Back to widths shared out over the window (and forgets the person's widths)."""
        self.manual = {}
        if self.key:
            from ui import window_state

            window_state.set_column_widths(self.key, {})
        self.fit()

    def word_minimum(self, column: int) -> int:
        """The widest word of the column's title and of its first rows' text."""
        if column in self._word_min:
            return self._word_min[column]
        view = self.view
        model = view.model()
        metrics = view.fontMetrics()
        title = model.headerData(column, Qt.Orientation.Horizontal) if model else None
        title_metrics = header_metrics(view.horizontalHeader())
        need = widest_word(str(title or ""), title_metrics) + HEADER_PAD_W
        # a one-line cell (an amount, a count: ``one_line`` on its delegate) needs its whole text,
        # "ไม่ใช้งบประมาณ" as much as "12,500.00"; another cell its widest word
        one_line = getattr(view.itemDelegateForColumn(column), "one_line", False)
        if model is not None:
            for row in range(min(model.rowCount(), SAMPLE_ROWS)):
                text = model.index(row, column).data()
                if not isinstance(text, str) or not text.strip():
                    continue
                if one_line:
                    need = max(need, min(one_line_width(view, text), LONGEST_LINE))
                else:
                    need = max(need, min(widest_word(text, metrics), LONGEST_WORD) + CELL_PAD_W)
        self._word_min[column] = need
        return need

    def measure(self) -> None:
        view = self.view
        model = view.model()
        if model is None:
            return
        columns = [
            c
            for c in range(model.columnCount())
            if not view.isColumnHidden(c) and c < len(self.preferred) and self.preferred[c] > 0
        ]
        fixed = sum(
            view.columnWidth(c)
            for c in range(model.columnCount())
            if not view.isColumnHidden(c) and c not in columns
        )
        available = view.viewport().width() - fixed
        if not columns or available <= 0:
            return
        low = {
            c: max(self.word_minimum(c), self.minimum[c] if c < len(self.minimum) else 0)
            for c in columns
        }
        if self.manual:
            widths = {c: max(self.manual.get(c, self.preferred[c]), low[c]) for c in columns}
        else:
            widths = share(available, {c: self.preferred[c] for c in columns}, low)
        self._fitting = True
        try:
            for column, width in widths.items():
                if view.columnWidth(column) != width:
                    view.setColumnWidth(column, width)
        finally:
            self._fitting = False


def share(available: int, preferred: dict[int, int], low: dict[int, int]) -> dict[int, int]:
    """Widths in proportion to ``preferred`` that add up to ``available``, none below ``low``
    (when the minimums alone are wider, the minimums)."""
    widths = dict(low)
    free = dict(preferred)
    while free:
        room = available - sum(widths[c] for c in widths if c not in free)
        weight = sum(free.values())
        if weight <= 0:
            break
        scaled = {c: room * w / weight for c, w in free.items()}
        pinned = [c for c, w in scaled.items() if w < low[c]]
        if not pinned:
            for c, w in scaled.items():
                widths[c] = int(w)
            break
        for c in pinned:
            widths[c] = low[c]
            del free[c]
    leftover = available - sum(widths.values())
    if leftover > 0 and preferred:
        biggest = max(preferred, key=lambda c: preferred[c])
        widths[biggest] += leftover
    return widths


def fit_header(view: QAbstractItemView) -> HeaderFit | None:
    """A wrapped, font-tall header; and, where the table has Qt's plain delegate, the app's
    (cells measured at the width their text gets, in the interface's digits)."""
    from ui.widgets.delegates import WrappingDelegate

    if type(view.itemDelegate()) is QStyledItemDelegate:
        view.setItemDelegate(WrappingDelegate(view))
    header = getattr(view, "horizontalHeader", lambda: None)()
    if header is None:
        return None
    existing = header.findChild(HeaderFit)
    return existing if existing is not None else HeaderFit(header)


def one_line_width(view: QAbstractItemView, text: str) -> int:
    """The least column width at which ``text`` shows whole on one line in a cell of ``view``:
    its advance, the style's text margins and the focus frame's (as ``WrappingDelegate``
    measures the room a cell's text gets) and the grid line."""
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.font = view.font()
    option.fontMetrics = view.fontMetrics()
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
    option.text = text
    option.rect = QRect(0, 0, 1000, 100)
    style = view.style()
    text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    chrome = 1000 - (text_rect.width() - 2 * margin)
    metrics = view.fontMetrics()
    # the advance in fractions of a pixel, rounded up: "ฝังกลบถูกหลักสุขาภิบาล" is 158.x px,
    # and at the width QFontMetrics' whole 158 gave, the cell wrapped it; a whole advance
    # needs a pixel more ("19 เม.ย. 2568", 84 px: Qt's layout put "2568" on a second line at
    # 84 and the cell, a row tall, showed "19 เม.ย. …")
    advance = math.floor(QFontMetricsF(view.font()).horizontalAdvance(text)) + 1
    return max(advance, metrics.horizontalAdvance(text), metrics.boundingRect(text).width()) + (
        chrome + 1
    )


def one_line_column(view: QAbstractItemView, column: int, least: int) -> int:
    """A column's width that shows each of its cells on one line as painted (the interface's
    digits), at least ``least``, at most ``LONGEST_LINE`` (a longer text wraps): a column of
    short text answers ("ฝังกลบถูกหลักสุขาภิบาล") at a fixed 130 px wrapped them, and the rows
    holding them were a line taller than the others, with nothing to see in that line."""
    from ui import digits

    model = view.model()
    need = least
    if model is not None:
        for row in range(model.rowCount()):
            text = model.index(row, column).data()
            if isinstance(text, str) and text.strip():
                need = max(need, min(one_line_width(view, digits.shown(text)), LONGEST_LINE))
    return need


def fit_table(
    view: QTableView,
    preferred: Sequence[int] | None = None,
    *,
    minimum: Sequence[int] | None = None,
    key: str = "",
) -> ColumnFit | None:
    """Wrapped, font-tall header; with ``preferred`` widths also columns that share the width."""
    fit_header(view)
    if preferred is None:
        return None
    existing = view.findChild(ColumnFit)
    if existing is not None:
        existing.preferred = list(preferred)
        existing.minimum = list(minimum or [])
        existing.schedule()
        return existing
    return ColumnFit(view, preferred, minimum=minimum, key=key)


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Gives a dialog its preferred size, or less on a small screen: it never reaches past the
    available area (the taskbar excluded) of the screen it opens on (1366×768 at 125 % leaves
    about 1093×582)."""
    parent = window.parentWidget()
    screen = (parent.screen() if parent is not None else None) or window.screen()
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    area = screen.availableGeometry()
    # room for the title bar and frame the window manager adds
    window.resize(min(width, area.width() - 24), min(height, area.height() - 48))


def past_the_edge(right: float, screen_right: int, ratio: float) -> int:
    """How many logical pixels a popup whose right edge is at ``right`` must move left to end
    on the screen. Qt rounds the logical width of a scaled screen up (1366 px at 125 % is
    1092.8, taken as 1093), so a menu it places against the edge ended 1–2 device pixels past
    it: its right border was off the screen (fit14, fit15: "คัดลอกไปยังแฟลชไดรฟ์")."""
    edge = math.floor(screen_right * ratio + 1e-6) / ratio  # the last whole device pixel
    over = right - edge
    return math.ceil(over) + 1 if over > 0 else 0


class _MenusOnScreen(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QMenu):
            screen = watched.screen()
            if screen is not None:
                area = screen.geometry()
                shift = past_the_edge(
                    watched.x() + watched.width(),
                    area.x() + area.width(),
                    screen.devicePixelRatio(),
                )
                if shift:
                    watched.move(watched.x() - shift, watched.y())
        return False


_menus: list[_MenusOnScreen] = []


def keep_menus_on_screen(app: QApplication) -> None:
    """Every menu of the application ends on the screen (once, from ``make_application``)."""
    if not _menus:
        _menus.append(_MenusOnScreen(app))
        app.installEventFilter(_menus[0])


class RowFit(_Refit):
    """Rows as tall as their wrapped text, measured after each change of rows or column widths
    (once per burst); a table of more than ``limit`` rows keeps its fixed rows (measuring
    thousands of rows would freeze the window; their text is in the tooltip).

    A row is never taller than the table shows: a very long text (an import's reasons after a
    reinstall run to many lines) made one row taller than the view, and the row's other cells,
    centred, were out of sight. Such a row is as tall as the view; its whole text is in the
    tooltip and in the line under the table."""

    def __init__(self, view: QTableView, limit: int = 500):
        super().__init__(view)
        self.view = view
        self.limit = limit
        view.horizontalHeader().sectionResized.connect(self.schedule)
        view.viewport().installEventFilter(self)
        self._watch_model()
        self.schedule()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QResizeEvent) and event.size().height() != event.oldSize().height():
            self.schedule()  # a taller or shorter view: another cap
        return False

    def cap(self) -> int:
        return row_cap(self.view)

    def watched_model(self) -> QAbstractItemModel | None:
        return self.view.model()

    def measure(self) -> None:
        model = self.view.model()
        if model is not None and 0 < model.rowCount() <= self.limit:
            self.view.resizeRowsToContents()
            cap_rows(self.view)


def keep_rows_in_view(view: QTableView, rows: int) -> None:
    """The view shows at least ``rows`` rows at once: a longer row is cut to its share (in
    whole lines, the last ending in "…"; the whole text in its tooltip)."""
    view.setProperty("rows_in_view", rows)
    cap_rows(view)


def wide_enough_for_example(edit: QLineEdit, *, fixed: bool = False) -> None:
    """A text box at least as wide as its example (its placeholder), the frame and margins
    around: at 125 % "วันที่ เช่น 15/2/2..." (holidays, fit14) and "เช่น หนังสือที่ 123 ลงวันที่ …"
    (the mark dialog, fit16) were cut. ``fixed``: exactly that wide."""
    width = edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + 24
    if fixed:
        edit.setFixedWidth(width)
    else:
        edit.setMinimumWidth(width)


def room_for_rows(view: QTableView, rows: int) -> None:
    """The view is never shorter than its header and ``rows`` rows of its default height: in
    a page that scrolls only when its minimum does not
    fit (the exchange's tabs), a crowded page (an import's new keys) scrolls rather than
    leaving its table no row at all. Called again when the header's height changed."""
    header = view.horizontalHeader()
    height = header.sizeHint().height() if not header.isHidden() else 0
    height += rows * view.verticalHeader().defaultSectionSize() + 2 * view.frameWidth()
    view.setMinimumHeight(height)


def row_cap(view: QTableView) -> int:
    """The tallest a row may be: what the view shows (at least three lines); in a table that
    keeps ``rows_in_view`` (F2: its activities are the work), that share of the view (at least
    one line; fewer rows share it between them), so that so many rows show at once. At
    1366×768 at 125 % one F2 activity of long Thai text in ten narrow columns was ~190 px tall:
    1½ activities in a view with room for six lines. A capped row ends its cut text in "…"
    (ui.widgets.delegates.fit_lines); the whole is in the tooltip and the details."""
    line = view.fontMetrics().lineSpacing()
    height = view.viewport().height() - 4
    model = view.model()
    count = model.rowCount() if model is not None else 0
    # fewer rows than that share the view between them (one package: its whole reason)
    rows = min(int(view.property("rows_in_view") or 1), max(count, 1))
    if rows > 1:
        # whole lines (a line cut at its foot reads as garbage): as many as the share holds
        lines = max((height // rows - ROW_CHROME) // line, 1)
        return lines * line + ROW_CHROME
    return max(height, line * 3)


ROW_CHROME = 12  # a wrapped cell's padding, grid line and the delegate's margin


def cap_rows(view: QTableView) -> None:
    """No row taller than the view: a row as tall as its very long text (an import's reasons
    after a reinstall, a long F2 entry in narrow columns at 125 %) had its other cells, centred,
    out of sight. The whole text stays in the cell's tooltip."""
    model = view.model()
    if model is None:
        return
    cap = row_cap(view)
    for row in range(model.rowCount()):
        if view.rowHeight(row) > cap:
            view.setRowHeight(row, cap)


def fit_rows(view: QTableView, limit: int = 500) -> RowFit:
    existing = view.findChild(RowFit)
    return existing if existing is not None else RowFit(view, limit)
