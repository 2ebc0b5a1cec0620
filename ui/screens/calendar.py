"""ปฏิทินกำหนดส่ง: the month (Thai month names, BE year, deadline chips, LEV Week as a span),
the agenda and the fiscal-year timeline of this office's obligations; holidays, .ics export
and printing the month.

Data is read on the worker (``DeadlineBook``: a handful of queries), then the views are
filled in memory, so moving between months does not touch the database.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import traceback
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lev_desktop import options
from lev_desktop.changes import Changes
from lev_desktop.deadlines import engine
from lev_desktop.deadlines.engine import DeadlineBook, Item, State
from lev_desktop.deadlines.text import (
    dates_lines,
    days_left_text,
    flag_text,
    route_text,
    when_text,
)
from lev_desktop.i18n import _, ngettext
from lev_desktop.thai_format import fiscal_year_label, fiscal_year_range, format_date
from ui import digits, status_palette
from ui.context import AppContext
from ui.widgets import file_actions
from ui.widgets.deadline_dialogs import HolidayDialog, LaoStatesDialog, MarkDialog, show_error
from ui.widgets.deadline_models import AgendaModel, ItemRole, MonthModel
from ui.widgets.file_actions import WrittenFileBar
from ui.widgets.fiscal_timeline import FiscalTimeline
from ui.widgets.fit import CELL_PAD_W, fit_rows, fit_table, keep_rows_in_view
from ui.widgets.flow import FlowLayout
from ui.widgets.month_view import MonthView

log = logging.getLogger(__name__)

# Preferred widths (proportions) of the agenda's columns: status, due, days left, programme,
# what to do, who → to whom, LAOs done, note. At 125 % on 1366×768 the state ("เกินกำหนด") and
# the time left ("เกินกำหนด 445 วัน") keep to one line and two, so a row is two lines, not three.
AGENDA_WIDTHS = (95, 125, 105, 150, 310, 110, 80, 110)
AGENDA_ROWS = 4  # deadlines the list keeps in view however long a note is


def week_start_of(value: object) -> int:
    """Setting ``calendar.week_start`` → datetime weekday of the first column (Sunday default).

    Accepts "monday"/"sunday" (or "mon"/"sun", Thai จันทร์/อาทิตย์) and ISO numbers 1 (Monday)
    or 0/7 (Sunday).
    """
    text = str(value if value is not None else "sunday").strip().lower()
    if text in ("monday", "mon", "1", "จันทร์", "จ."):
        return 0
    return 6


# The states the calendar's legend names (the same words and colours as everywhere).
LEGEND = (
    State.OVERDUE,
    State.DUE_SOON,
    State.RETURNED,
    State.IN_PROGRESS,
    State.NOT_YET_DUE,
    State.SENT,
    State.LATE,
)


def legend(parent: QWidget | None = None) -> QLabel:
    """The state words in their colours, as one label that wraps onto a second line rather
    than widen the window past 1366 px."""
    chips = []
    for state in LEGEND:
        text, background = status_palette.colors(state)
        chips.append(
            f'<span style="color:{text}; background:{background};">'
            f"&nbsp;{html.escape(state.symbol)}&nbsp;{html.escape(state.label)}&nbsp;</span>"
        )
    flag = html.escape(_("Red day number: public holiday"))
    label = QLabel(
        " &nbsp; ".join([*chips, f'<span style="color:{status_palette.HOLIDAY};">{flag}</span>']),
        parent,
    )
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    return label


def _agenda_key(item: Item) -> tuple:
    """One deadline of the agenda across reloads (its Item is made anew by each)."""
    d = item.deadline
    return (d.obligation.programme_code, d.obligation.code, d.period, item.due, item.incoming)


class CalendarScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.book: DeadlineBook | None = None
        self.week_start = 6
        self.today = engine.today()
        self.year, self.month = self.today.year, self.today.month
        self.fy_items: list[Item] = []
        self.loading = False
        self.agenda_loading = False  # the fiscal year's items, read after the month

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        # One row on a wide window, two on a narrow one (1366×768 at 125 %).
        top = FlowLayout()
        self.prev_button = QToolButton()
        self.prev_button.setText("◀")
        self.prev_button.setToolTip(_("Previous month"))
        self.prev_button.clicked.connect(lambda: self.move_month(-1))
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip(_("Next month"))
        self.next_button.clicked.connect(lambda: self.move_month(1))
        self.today_button = QPushButton(_("Today"))
        self.today_button.clicked.connect(self.go_today)
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(max(font.pointSizeF(), 9) * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        top.addWidget(self.prev_button)
        top.addWidget(self.title)
        top.addWidget(self.next_button)
        top.addWidget(self.today_button)
        top.addWidget(QWidget(), 1)  # the buttons below keep to the right
        self.holiday_button = QPushButton(_("Holidays…"))
        self.holiday_button.clicked.connect(self.edit_holidays)
        self.ics_button = QPushButton(_("Export to phone calendar (.ics)…"))
        self.ics_button.clicked.connect(self.choose_ics_file)
        self.print_button = QPushButton(_("Print the month…"))
        menu = QMenu(self.print_button)
        menu.addAction(_("Print…"), self.print_month)
        menu.addAction(_("Save as PDF…"), self.choose_pdf_file)
        self.print_button.setMenu(menu)
        for button in (self.holiday_button, self.ics_button, self.print_button):
            top.addWidget(button)
        layout.addLayout(top)

        self.tabs = QTabWidget()
        # month
        self.month_model = MonthModel(self)
        self.month_view = MonthView()
        self.month_view.setModel(self.month_model)
        self.month_view.item_clicked.connect(self.activate)
        self.month_view.day_clicked.connect(self.day_menu)
        self.month_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.month_view.customContextMenuRequested.connect(self.month_menu)
        self.tabs.addTab(self.month_view, _("Month"))
        # agenda
        agenda = QWidget()
        agenda_layout = QVBoxLayout(agenda)
        agenda_layout.setContentsMargins(0, 6, 0, 0)
        filters = QHBoxLayout()
        self.hide_done = QCheckBox(_("Hide what is done"))
        self.hide_done.toggled.connect(self.fill_agenda)
        filters.addWidget(self.hide_done)
        filters.addStretch(1)
        self.open_button = QPushButton(_("Open the form"))
        self.open_button.clicked.connect(lambda: self.activate(self.selected()))
        self.mark_button = QPushButton(_("Mark as sent"))
        self.mark_button.clicked.connect(lambda: self.toggle_mark(self.selected()))
        self.laos_button = QPushButton(_("LAOs done / late…"))
        self.laos_button.clicked.connect(lambda: self.show_laos(self.selected()))
        for button in (self.open_button, self.mark_button, self.laos_button):
            filters.addWidget(button)
        agenda_layout.addLayout(filters)
        self.agenda_model = AgendaModel(self)
        self.agenda = QTableView()
        self.agenda.setModel(self.agenda_model)
        self.agenda.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.agenda.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.agenda.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.agenda.setWordWrap(True)
        self.agenda.verticalHeader().hide()
        # "What to do" gets the most of the width: it is what the clerk reads (ui.widgets.fit).
        fit_table(self.agenda, AGENDA_WIDTHS, key="calendar/agenda")
        # rows as tall as their text, but at most a quarter of the list: a deadline on a
        # holiday, its note seven lines tall in its column, left 2½ deadlines in view at
        # 1366×768 at 125 % (the whole note: the tooltip and the details below)
        fit_rows(self.agenda)
        keep_rows_in_view(self.agenda, AGENDA_ROWS)
        self.agenda.doubleClicked.connect(lambda index: self.activate(index.data(ItemRole)))
        self.agenda.selectionModel().selectionChanged.connect(self.update_buttons)
        agenda_layout.addWidget(self.agenda, 1)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setFrameShape(QFrame.Shape.StyledPanel)
        self.detail.setMinimumHeight(48)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        agenda_layout.addWidget(self.detail)
        self.tabs.addTab(agenda, _("Agenda"))
        # fiscal year
        self.timeline = FiscalTimeline()
        self.timeline.item_clicked.connect(self.activate)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.timeline)
        self.timeline_title = QLabel()
        fy_page = QWidget()
        fy_layout = QVBoxLayout(fy_page)
        fy_layout.setContentsMargins(0, 6, 0, 0)
        fy_layout.addWidget(self.timeline_title)
        fy_layout.addWidget(scroll, 1)
        self.tabs.addTab(fy_page, _("Fiscal year"))
        self.tabs.currentChanged.connect(self.update_title)
        self.tabs.currentChanged.connect(
            lambda tab: tab == 1 and QTimer.singleShot(0, self, self.scroll_agenda_to_today)
        )
        layout.addWidget(self.tabs, 1)
        bottom = FlowLayout()
        bottom.addWidget(legend())
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        # Open / Show in folder / Copy to USB drive for the calendar file just written
        self.written = WrittenFileBar(ctx, label=self.status)
        layout.addWidget(self.written)
        self.ctx.fiscal_year_changed.connect(self._fiscal_year_changed)
        self.ctx.changed.connect(self._changed)
        self.update_title()
        self.update_buttons()

    # ---- loading ---------------------------------------------------------------------------
    # bound methods (not lambdas): Qt drops the connection when the screen is destroyed
    def _fiscal_year_changed(self, _fiscal_year: int) -> None:
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.states:
            self.refresh()

    def refresh(self) -> None:
        """Reads the month first and shows it, then the fiscal year's agenda and timeline
        and the reminder count (at the nation the year takes several times the month)."""
        store = self.ctx.store
        self.loading = True
        self.agenda_loading = True
        self.status.setText(_("Loading…"))
        self.update_buttons()  # the agenda says it is being read (not "select a deadline")
        self.update_title()
        fy = self.ctx.fiscal_year
        year, month = self.year, self.month

        def load(_progress):
            days = engine.reminder_days(store)
            book = DeadlineBook(store, soon_days=days)
            week_start = week_start_of(options.get(store, "calendar.week_start"))
            grid = MonthModel.grid_range(year, month, week_start)
            month_items = book.items(*grid, work=False)
            return book, week_start, fy, days, (year, month, month_items)

        self.ctx.runner.run(load, on_success=self.loaded, owner=self, label=_("Reading deadlines…"))

    def loaded(self, result: tuple) -> None:
        book, self.week_start, fy, days, month = result
        self.book = book
        self.today = book.today
        self.status.setText(book.problem_text())
        self.status.setWordWrap(True)
        self.show_month(*month)
        store = self.ctx.store

        def load(_progress):
            start, end = fiscal_year_range(fy)
            fy_items = book.items(start, end)
            attention = len(engine.reminders(store, days=days, book=book))
            return book, fy, fy_items, attention

        self.ctx.runner.run(load, on_success=self.agenda_loaded, owner=self)

    def agenda_loaded(self, result: tuple) -> None:
        book, fy, fy_items, attention = result
        if book is not self.book:
            return  # a newer read is on its way
        self.fy_items = fy_items
        self.agenda_loading = False
        self.loading = False
        self.fill_agenda()
        self.timeline.set_items(fy, self.fy_items, self.today)
        self.update_title()
        self.ctx.set_badges(attention)  # the same count as the navigation badges

    def fill_month(self) -> None:
        """Shows (year, month); its deadlines are judged on the worker (a new month may need
        form states not read yet)."""
        self.update_title()
        book = self.book
        if book is None:
            return
        year, month = self.year, self.month
        start, end = MonthModel.grid_range(year, month, self.week_start)
        self.loading = True
        self.ctx.runner.run(
            lambda _progress: (year, month, book.items(start, end, work=False)),
            on_success=lambda result: self.show_month(*result),
            owner=self,
        )

    def show_month(self, year: int, month: int, items: list[Item]) -> None:
        if (year, month) != (self.year, self.month) or self.book is None:
            return  # the user has moved on; a newer request is on its way
        self.loading = self.agenda_loading
        self.month_model.set_month(
            year, month, self.week_start, items, self.book.holidays, self.today
        )
        self.update_title()

    def fill_agenda(self) -> None:
        chosen = self.selected()
        items = [i for i in self.fy_items if not (self.hide_done.isChecked() and i.state.fulfilled)]
        self.agenda_model.set_items(items, self.book.lao_type if self.book else None)
        # "LAOs done" only where there are LAOs to count (a district or province)
        self.agenda.setColumnHidden(6, not any(i.laos is not None and i.laos.total for i in items))
        # the note only where a deadline has one (a holiday move, a hand mark): its room goes to
        # the others
        self.agenda.setColumnHidden(7, not any(self.agenda_model.text(i, 7) for i in items))
        # a state is one word to the eye ("เกินกำหนด"): its column never breaks it in two
        metrics = self.agenda.fontMetrics()
        widest = max((metrics.horizontalAdvance(i.state.label) for i in items), default=0)
        fit_table(self.agenda, AGENDA_WIDTHS, minimum=(widest + CELL_PAD_W,), key="calendar/agenda")
        # start at today: what comes next, with the overdue just above
        self.scroll_agenda_to_today()
        if chosen is not None:
            self.choose_again(chosen)
        self.update_buttons()

    def choose_again(self, chosen: Item) -> None:
        """The deadline chosen before a reload chosen again (fit15: after "บันทึกว่าส่งแล้ว…"
        the list was read anew with nothing chosen, the line under it back to "เลือกกำหนดส่ง…",
        and the officer looked for the row just marked)."""
        key = _agenda_key(chosen)
        row = next((n for n, i in enumerate(self.agenda_model.rows) if _agenda_key(i) == key), None)
        if row is not None:
            self.agenda.selectRow(row)
            self.agenda.scrollTo(self.agenda_model.index(row, 0))

    def scroll_agenda_to_today(self) -> None:
        items = self.agenda_model.rows
        upcoming = next((n for n, i in enumerate(items) if i.due >= self.today), None)
        if upcoming is not None:
            self.agenda.scrollTo(
                self.agenda_model.index(upcoming, 0), QAbstractItemView.ScrollHint.PositionAtTop
            )

    # ---- navigation ------------------------------------------------------------------------
    def move_month(self, step: int) -> None:
        index = self.year * 12 + self.month - 1 + step
        self.year, self.month = index // 12, index % 12 + 1
        self.fill_month()

    def go_today(self) -> None:
        self.year, self.month = self.today.year, self.today.month
        self.fill_month()

    def open_item(self, arg: object) -> None:
        """ctx.navigate("calendar", date or {"date": date}) shows that month."""
        day = arg.get("date") if isinstance(arg, dict) else arg
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        if isinstance(day, dt.date):
            self.year, self.month = day.year, day.month
            self.tabs.setCurrentIndex(0)
            self.fill_month()

    def update_title(self) -> None:
        if self.tabs.currentIndex() in (1, 2):
            self.title.setText(digits.shown(fiscal_year_label(self.ctx.fiscal_year)))
        else:
            self.title.setText(
                digits.shown(format_date(dt.date(self.year, self.month, 1), "month"))
            )
        for button in (self.prev_button, self.next_button, self.today_button):
            button.setEnabled(self.tabs.currentIndex() == 0)
        start, end = fiscal_year_range(self.ctx.fiscal_year)
        heading = digits.shown(
            _("{fy}: {start} – {end}").format(
                fy=fiscal_year_label(self.ctx.fiscal_year),
                start=format_date(start, "long"),
                end=format_date(end, "long"),
            )
        )
        if self.agenda_loading:
            heading += "  " + _("Reading the fiscal year's deadlines…")
        self.timeline_title.setText(heading)

    def selected(self) -> Item | None:
        rows = self.agenda.selectionModel().selectedRows()
        return rows[0].data(ItemRole) if rows else None

    def update_buttons(self) -> None:
        item = self.selected()
        self.open_button.setEnabled(item is not None and item.target is not None)
        self.mark_button.setEnabled(item is not None and not item.incoming)
        self.mark_button.setText(
            _("Undo the mark") if item is not None and item.marked else _("Mark as sent…")
        )
        self.laos_button.setEnabled(
            item is not None and item.laos is not None and item.laos.total > 0
        )
        if item is None:
            self.detail.setText(
                _("Reading the fiscal year's deadlines…")
                if self.agenda_loading
                else _("Select a deadline to see what it asks for.")
            )
            return
        d = item.deadline
        parts = [
            f"{d.obligation.programme_name} · {when_text(d, style='full')} · "
            f"{item.state.label}"
            + ("" if item.state.fulfilled else f" ({days_left_text(item.days_left)})"),
            _("Who → to whom: {route}").format(
                route=route_text(d.obligation, self.book.lao_type if self.book else None)
            ),
        ]
        if d.obligation.form_name:
            parts.append(_("Form: {form}").format(form=d.obligation.form_name))
        parts += dates_lines(item)
        if flag_text(d):
            parts.append(flag_text(d))
        # the interface's digits throughout: a programme's official name carries Thai digits
        # ("ปีงบประมาณ ๒๕๖๘") beside dates written with the setting's (fit15, fit16)
        self.detail.setText(
            digits.shown_html(
                "<br>".join(
                    [f"<b>{html.escape(d.obligation.title)}</b>", *(html.escape(p) for p in parts)]
                )
            )
        )

    # ---- actions ---------------------------------------------------------------------------
    def activate(self, item: Item | None) -> None:
        """Opens the form that fulfils a deadline (or the LAO list when it has no form)."""
        if item is None:
            return
        target = item.target
        if target is not None:
            self.ctx.navigate.emit(*target)
        elif item.laos is not None and item.laos.total:
            self.show_laos(item)

    def day_menu(self, day: dt.date) -> None:
        """A click on a day whose chips do not all fit lists every deadline of that day."""
        items = self.month_model.by_day.get(day, [])
        index = self.month_model.index_of(day)
        if not items or not index.isValid():
            return
        rect = self.month_view.visualRect(index)
        from PySide6.QtGui import QFontMetrics

        from ui.widgets.month_view import chip_font, layout

        metrics = QFontMetrics(self.month_view.font())
        _chips, hidden = layout(
            rect, day, items, QFontMetrics(chip_font(self.month_view.font())), metrics.height() + 6
        )
        if not hidden:
            return
        menu = QMenu(self)
        for item in items:
            action = menu.addAction(
                f"{item.state.label}: [{item.obligation.programme_code}] {item.obligation.title}"
            )
            action.triggered.connect(lambda _checked=False, i=item: self.activate(i))
        menu.popup(self.month_view.viewport().mapToGlobal(rect.center()))

    def month_menu(self, pos: QPoint) -> None:
        item = self.month_view.item_at(pos)
        if item is None:
            return
        menu = QMenu(self)
        if item.target is not None:
            menu.addAction(_("Open the form"), lambda: self.activate(item))
        if not item.incoming:
            menu.addAction(
                _("Undo the mark") if item.marked else _("Mark as sent…"),
                lambda: self.toggle_mark(item),
            )
        if item.laos is not None and item.laos.total:
            menu.addAction(_("LAOs done / late…"), lambda: self.show_laos(item))
        menu.popup(self.month_view.viewport().mapToGlobal(pos))

    def toggle_mark(self, item: Item | None) -> None:
        """A submission made outside the app (paper, LINE): marked by hand with its reason and
        date (audit-logged), or the mark taken back."""
        if item is None or item.incoming:
            return
        store, office = self.ctx.store, self.ctx.office_code or ""
        ob, due = item.obligation, item.due
        if item.marked:
            self.ctx.runner.run(
                lambda _p: engine.unmark_sent(
                    store, office, ob.code, due, programme=ob.programme_code
                ),
                on_success=lambda _r: self.ctx.notify(Changes(marks=True)),
                owner=self,
            )
            return
        dialog = MarkDialog(item, self.today, self)

        def accepted() -> None:
            day, reason = dialog.values()

            def work(_progress):
                engine.mark_sent(
                    store, office, ob.code, due, day, programme=ob.programme_code, reason=reason
                )

            self.ctx.runner.run(
                work,
                on_success=lambda _r: self.ctx.notify(Changes(marks=True)),
                on_failure=lambda exc: show_error(self, str(exc)),
                owner=self,
            )

        dialog.accepted.connect(accepted)
        dialog.open()
        self.mark_dialog = dialog

    def show_laos(self, item: Item | None) -> None:
        if item is None:
            return
        LaoStatesDialog(self.ctx, item, self).open()

    def edit_holidays(self) -> None:
        dialog = HolidayDialog(self.ctx, self.year, self)

        def closed(_result: int) -> None:
            if dialog.changed:
                self.ctx.notify(Changes(holidays=True))

        dialog.finished.connect(closed)
        dialog.open()

    def choose_ics_file(self) -> None:
        file_actions.ask_save_in(
            self.ctx,
            self,
            _("Export deadlines"),
            "reports",
            f"lev-deadlines-{self.ctx.fiscal_year}.ics",
            "ics",
            self.export_ics,
        )

    def export_ics(self, path: Path) -> None:
        """Writes this fiscal year's deadlines of the office (not the done ones) to ``path``."""
        from lev_desktop.deadlines.ics import to_ics
        from lev_desktop.files import write_bytes

        deadlines = [i.deadline for i in self.fy_items if not i.state.fulfilled]
        name = _("LEV deadlines {fy}").format(fy=fiscal_year_label(self.ctx.fiscal_year))

        def write(_progress):
            write_bytes(path, to_ics(deadlines, name=name))
            return len(deadlines)

        def written(count: int) -> None:
            self.written.set_file(
                path,
                ngettext(
                    "{n} deadline written to {path}", "{n} deadlines written to {path}", count
                ).format(n=count, path=path),
            )

        self.ctx.runner.run(
            write, on_success=written, on_failure=self._write_failed, owner=self, kind="io"
        )

    def _write_failed(self, exc: BaseException) -> None:
        from lev_desktop.errors import describe_error

        message = describe_error(exc)
        if message is not None:
            show_error(self, message)
        elif self.ctx.runner.on_bug is not None:  # a fault of the program: the crash dialog
            self.ctx.runner.on_bug(exc, "".join(traceback.format_exception(exc)))
        else:
            log.error("calendar file not written", exc_info=exc)

    def choose_pdf_file(self) -> None:
        file_actions.ask_save_in(
            self.ctx,
            self,
            _("Save the month as PDF"),
            "reports",
            f"lev-{self.year}-{self.month:02d}.pdf",
            "pdf",
            self.save_pdf,
        )

    def save_pdf(self, path: Path) -> bool:
        """Draws the month into a temporary file beside ``path`` (on this thread: it paints the
        view), then puts it in place in the worker, where a file held open by a PDF reader gets
        its retries and its message."""
        from PySide6.QtPrintSupport import QPrinter

        from lev_desktop.files import new_temporary, place_file

        try:
            tmp = new_temporary(path)
        except OSError as exc:
            self._write_failed(exc)
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp))
        if not self.render_month(printer):
            tmp.unlink(missing_ok=True)
            return False
        self.ctx.runner.run(
            lambda _progress: place_file(tmp, path),
            on_success=lambda placed: self.written.set_file(placed),
            on_failure=self._write_failed,
            owner=self,
            kind="io",
        )
        return True

    def print_month(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.render_month(printer)

    def render_month(self, printer) -> bool:
        """The month grid on one landscape A4 page, with the office, month and legend."""
        printer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Landscape,
                QMarginsF(10, 10, 10, 10),
                QPageLayout.Unit.Millimeter,
            )
        )
        painter = QPainter()
        if not painter.begin(printer):
            show_error(self, _("Cannot print: the printer or file is not available."))
            return False
        page = printer.pageLayout().paintRectPixels(printer.resolution())
        view = self.month_view
        size = view.size()
        if size.width() < 900 or size.height() < 560:
            view.resize(max(size.width(), 1100), max(size.height(), 640))
        office = self.book.office.name if self.book and self.book.office else ""
        title = (
            f"{_('Deadline calendar')} — {format_date(dt.date(self.year, self.month, 1), 'month')}"
        )
        scale = min(page.width() / view.width(), page.height() / (view.height() + 84))
        painter.scale(scale, scale)
        painter.setPen(QColor("#000000"))
        # pixel sizes: the painter is scaled to the view's pixels, not to printer points
        font = QFont(self.font())
        font.setPixelSize(22)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(
            QRect(0, 0, view.width(), 40),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title,
        )
        font.setBold(False)
        font.setPixelSize(15)
        painter.setFont(font)
        painter.drawText(
            QRect(0, 0, view.width(), 40),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            office,
        )
        view.render(painter, QPoint(0, 44))
        # the legend in words: a printout may be grey
        keys = "   ".join(f"{state.symbol} {state.label}" for state in LEGEND)
        painter.setPen(QColor("#000000"))
        painter.drawText(
            QRect(0, 50 + view.height(), view.width(), 28),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"{keys}   {_('Red day number: public holiday')}",
        )
        painter.drawText(
            QRect(0, 50 + view.height(), view.width(), 28),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            _("Printed {date}").format(date=format_date(self.today, "long")),
        )
        painter.end()
        view.resize(size)
        return True


__all__ = ["CalendarScreen", "legend", "week_start_of"]
