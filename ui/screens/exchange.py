"""แลกเปลี่ยนข้อมูล: export a package, import packages (drag and drop, dry-run preview per
office, confirm), the consolidation board, history, trusted keys, conflicts. All work runs
through ``ctx.runner``; the table models only present rows a worker handed in."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lev_desktop import options as app_options
from lev_desktop.changes import Changes
from lev_desktop.domain.validation import read_fiscal_year
from lev_desktop.files import unique_path
from lev_desktop.i18n import _
from lev_desktop.paths import user_documents_dir
from lev_desktop.thai_format import be_year, format_date, format_number, format_utc
from ui import digits
from ui.context import AppContext
from ui.models.table import LEFT, RIGHT, Column, TableModel
from ui.reinstall import RecoveryTab, ReinstallButton
from ui.status_palette import fg, say
from ui.widgets import file_actions, file_dialogs
from ui.widgets.board import ConsolidationBoard
from ui.widgets.file_actions import WrittenFileBar
from ui.widgets.fit import (
    fit_header,
    fit_rows,
    fit_table,
    keep_rows_in_view,
    room_for_rows,
    wide_enough_for_example,
)
from ui.widgets.status_label import MessageLine
from ui.widgets.wrap_check import WrapCheckBox

if TYPE_CHECKING:
    from db.store import Store

log = logging.getLogger(__name__)

# from the one status palette: done green, due-soon amber, overdue red, draft grey
GREEN, AMBER, RED, GREY = (fg(state) for state in ("done", "due_soon", "overdue", "draft"))


# ---- one table model for every tab -----------------------------------------------------------


@dataclass
class Row:
    cells: list[Any]
    color: QColor | None = None
    tooltip: str = ""
    data: Any = None


class RowsModel(TableModel):
    """Rows handed in by a worker; numbers right-aligned; a status colour with its text."""

    def __init__(self, headers: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.headers = headers

    def column_list(self) -> list[Column]:
        return [Column(str(n), header, "line") for n, header in enumerate(self.headers)]

    def header_text(self, section: int) -> str:
        return self.headers[section] if 0 <= section < len(self.headers) else ""

    @staticmethod
    def _cell(row: Row, column: Column) -> Any:
        number = int(column.key)
        return row.cells[number] if number < len(row.cells) else ""

    def display(self, row: Row, column: Column, position: int) -> str:
        value = self._cell(row, column)
        if isinstance(value, int) and not isinstance(value, bool):
            return format_number(value)
        return "" if value is None else str(value)

    def alignment(self, row: Row, column: Column) -> int:
        value = self._cell(row, column)
        return RIGHT if isinstance(value, int) and not isinstance(value, bool) else LEFT

    def foreground(self, row: Row, column: Column) -> Any:
        if row.color is not None and int(column.key) == len(self.headers) - 2:
            return row.color
        return None

    def tooltip(self, row: Row, column: Column) -> str | None:
        return row.tooltip or None

    def row_key(self, row: Row) -> Any:
        return id(row)


def _table(model: QAbstractTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(int(view.fontMetrics().height() * 1.6) + 2)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    fit_header(view)
    _fit(view)  # fits the empty table too; refitted when rows arrive
    fit_rows(view)  # a long reason wraps and its row grows: readable, not cut
    return view


def _fit(view: QTableView, cap: int = 260) -> None:
    """Columns in proportion to their content (the last, a reason or note, up to ``cap``),
    sharing the table's width so that nothing scrolls sideways (ui.widgets.fit)."""
    last = view.model().columnCount() - 1
    widths = [
        min(max(view.sizeHintForColumn(c), 40), cap if c == last else 260) for c in range(last + 1)
    ]
    fit_table(view, widths)


class _AtLeastItsMinimum(QWidget):
    """A page in a scroll area, given the height its minimum needs, not its preferred one.

    ``QScrollArea`` gives a page whose layout has height-for-width (a word-wrapped label) its
    preferred height for the width: the board's ~1,060 px at 1366×768 at 125 %, so the page
    scrolled and the officer scrolled it to reach a table that showed a few rows. Asked here,
    the page's height for a width is its minimum: the page scrolls only when that does not
    fit, and otherwise its table takes the height and scrolls by itself."""

    def __init__(self, page: QWidget):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page)
        self.page = page

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return layout.totalMinimumHeightForWidth(width) if layout is not None else -1


def _scrolling(widget: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(_AtLeastItsMinimum(widget))
    return scroll


def _page_of(tab: QWidget | None) -> QWidget | None:
    if isinstance(tab, QScrollArea) and isinstance(tab.widget(), _AtLeastItsMinimum):
        return cast(_AtLeastItsMinimum, tab.widget()).page
    return tab


class _Tabs(QTabWidget):
    """Tabs whose pages may sit inside a scroll area (``_scrolling``): a page is found, shown
    and counted as itself, so callers need not know about the scroll area."""

    def indexOf(self, page: QWidget) -> int:
        for index in range(self.count()):
            if _page_of(self.widget(index)) is page:
                return index
        return -1

    def setCurrentWidget(self, page: QWidget) -> None:
        index = self.indexOf(page)
        if index >= 0:
            self.setCurrentIndex(index)

    def set_title(self, title: QLabel) -> None:
        """The page's title at the left of the tab bar, shown while the tabs leave it room
        (the navigation pane names the screen too)."""
        self.setCornerWidget(title, Qt.Corner.TopLeftCorner)
        self.tabBar().installEventFilter(self)
        self._fit_title()

    def _fit_title(self) -> None:
        title = self.cornerWidget(Qt.Corner.TopLeftCorner)
        if title is None:
            return
        bar = self.tabBar()
        needed = sum(bar.tabSizeHint(i).width() for i in range(self.count()) if bar.isTabVisible(i))
        # (hidden while the window is not laid out yet: shown on the first real width)
        title.setVisible(needed + title.sizeHint().width() <= self.width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_title()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # a tab's text changed ("Conflicts (3)") or a tab was shown or hidden
        if watched is self.tabBar() and event.type() == QEvent.Type.LayoutRequest:
            self._fit_title()
        return super().eventFilter(watched, event)


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def _when(value: dt.datetime | None) -> str:
    """Stored times are UTC; people read local time."""
    return format_utc(value)


# ---- export tab --------------------------------------------------------------------------------


class ExportTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.addWidget(
            _hint(
                _(
                    "Write one package file with this office's records for the office "
                    "you report to (or an office under you). Send it by e-mail or on "
                    "a USB stick."
                )
            )
        )
        form = QFormLayout()
        # A known office only, always by its Thai name; the office this one reports to
        # (Settings) is the default, another one is a deliberate choice.
        self.recipient = QComboBox()
        self.recipient.setEditable(False)
        self.recipient.setMinimumWidth(360)
        # Thai office names are long: the list shows them in full, the box does not widen the
        # window past 1366 px
        self.recipient.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.recipient.setMinimumContentsLength(30)
        self.recipient.currentIndexChanged.connect(self._recipient_changed)
        form.addRow(_("Send to"), self.recipient)
        self.route_note = QLabel("")
        self.route_note.setWordWrap(True)
        form.addRow("", self.route_note)
        # At 1366×768 at 125 % the page scrolled 282 px (fit15: 306) with the export button
        # and its result below the edge: the programmes stand in columns of three rows, the
        # years share a row with "changes only", the export button ends the row of the file
        # it writes, and the list of what was written shows only once something was (fit16).
        self.programmes = QListWidget()
        self.programmes.setFlow(QListWidget.Flow.TopToBottom)
        self.programmes.setWrapping(True)
        self.programmes.setResizeMode(QListWidget.ResizeMode.Adjust)
        form.addRow(_("Programmes"), self.programmes)
        years_row = QHBoxLayout()
        self.years = QLineEdit()
        self.year_problem = ""  # why the years typed are not fiscal years (Thai), or ""
        self.years.setPlaceholderText(digits.shown(_("e.g. 2568 2567 (empty: all years)")))
        wide_enough_for_example(self.years)
        self.since_last = QCheckBox(_("Only what changed since the last package to this office"))
        years_row.addWidget(self.years)
        years_row.addWidget(self.since_last, 1)
        form.addRow(_("Fiscal years (BE)"), years_row)
        out_row = QHBoxLayout()
        self.out = QLineEdit()
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._browse)
        self.export_button = QPushButton(_("Export package"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        out_row.addWidget(self.export_button)
        form.addRow(_("Save as"), out_row)
        layout.addLayout(form)
        # What the package will fulfil, shown before writing (and a warning when nothing).
        self.fulfils = QLabel("")
        self.fulfils.setWordWrap(True)
        self.fulfils.setTextFormat(Qt.TextFormat.PlainText)
        self.fulfils.setObjectName("fulfils")
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(250)
        self._preview_timer.timeout.connect(self.preview)
        # After a package is written, the preview is about the package a second export with
        # the same choices would make (what the first one sent now reads "already sent"): it
        # says so while the choices are those of the package written.
        self._exported_choice: tuple | None = None
        self._keys_on_button = False  # Enter pressed the export button (``_give_keys_back``)
        self.since_last.toggled.connect(self._preview_timer.start)
        self.programmes.itemChanged.connect(lambda _item: self._preview_timer.start())
        self.years.textChanged.connect(lambda _text: self._preview_timer.start())
        self.status = MessageLine()
        layout.addWidget(self.status)
        # Shown when the export was refused for records saved in the future (widgets/restamp)
        self.restamp_button = QPushButton(_("Set their times to now…"))
        self.restamp_button.setObjectName("restamp_button")
        self.restamp_button.hide()
        self.restamp_button.clicked.connect(self._ask_restamp)
        self._future = None
        restamp_row = QHBoxLayout()
        restamp_row.addWidget(self.restamp_button)
        restamp_row.addStretch(1)
        layout.addLayout(restamp_row)
        # Show in folder / Copy to USB drive for the package (or Excel form) just written
        self.written = WrittenFileBar(ctx, label=self.status, show_open=False)
        layout.addWidget(self.written)
        # below the line of the file written: the preview of the next package, read again
        # after an export, no longer pushes that line and its buttons down out of view
        layout.addWidget(self.fulfils)
        self.default_out: Path | None = None
        self.model = RowsModel([_("Data"), _("Records"), ""])
        self.view = _table(self.model)
        room_for_rows(self.view, 3)
        self.view.hide()  # (empty until a package is written)
        layout.addWidget(self.view, 1)
        layout.addStretch(0)
        excel = QGroupBox(_("Excel form for an LAO without the program"))
        excel_row = QHBoxLayout(excel)
        self.excel_lao = QComboBox()
        self.excel_lao.setMinimumWidth(280)
        self.excel_programme = QComboBox()
        self.excel_button = QPushButton(_("Save Excel form…"))
        self.excel_button.clicked.connect(self.excel_form)
        excel_row.addWidget(QLabel(_("LAO")))
        excel_row.addWidget(self.excel_lao, 1)
        excel_row.addWidget(QLabel(_("Programme")))
        excel_row.addWidget(self.excel_programme, 1)
        excel_row.addWidget(self.excel_button)
        self.excel_box = excel
        layout.addWidget(excel)

    def _show_written(self) -> None:
        """The line of the file just written, with "show in folder" and "copy to USB drive",
        scrolled into view: at 1366×768 at 125 % the export page scrolls (fit15: 306 px) and
        they were below the edge after every export."""
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if isinstance(area, QScrollArea):
            scroll = area
            QTimer.singleShot(0, self, lambda: scroll.ensureWidgetVisible(self.written, 0, 8))

    def load(self, data: dict[str, Any]) -> None:
        current = self.recipient.currentData()
        self.recipient.blockSignals(True)
        self.recipient.clear()
        self.relations: dict[str, str] = {}
        for code, label, relation in data["recipients"]:
            self.recipient.addItem(digits.shown(label), code)
            self.relations[code] = relation
        index = self.recipient.findData(current) if current else -1
        if index < 0 and data.get("parent") is not None:
            index = self.recipient.findData(data["parent"])
        self.recipient.setCurrentIndex(max(index, 0) if self.recipient.count() else -1)
        self.recipient.blockSignals(False)
        self.programmes.blockSignals(True)
        self.programmes.clear()
        for code, name in data["programmes"]:
            item = QListWidgetItem(digits.shown(f"{code} — {name}"))  # the interface's digits
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.programmes.addItem(item)
        self._fit_programmes()
        if not self.out.text() or self.out.text() == str(self.default_out):
            self.default_out = data["default_out"]
            self.out.setText(str(self.default_out))
        self.excel_lao.clear()
        for code, label in data["laos"]:
            self.excel_lao.addItem(digits.shown(label), code)
        self.excel_programme.clear()
        for code, name in data["kpi_programmes"]:
            self.excel_programme.addItem(digits.shown(f"{code} — {name}"), code)
        self.excel_box.setVisible(bool(data["laos"]))
        self.programmes.blockSignals(False)
        self._recipient_changed()

    def _fit_programmes(self) -> None:
        """As tall as three programmes (or fewer, when fewer): more stand in further columns."""
        rows = min(max(self.programmes.count(), 1), 3)
        row = self.programmes.sizeHintForRow(0) if self.programmes.count() else 0
        row = max(row, self.programmes.fontMetrics().height() + 6)
        self.programmes.setFixedHeight(rows * row + 2 * self.programmes.frameWidth() + 2)

    def excel_form(self) -> None:
        from lev_desktop.exchange.excel import write_template

        lao, programme = self.excel_lao.currentData(), self.excel_programme.currentData()
        if not lao or not programme:
            return
        suggested = Path(self.out.text()).with_name(f"{lao}-{programme}.xlsx")
        path = file_actions.ask_save_path(
            self, _("Save Excel form as"), suggested, "xlsx", ctx=self.ctx, purpose="excel-form"
        )
        if path is None:
            return
        store = self.ctx.store

        def written(p: Path) -> None:
            say(self.status, "")  # (a refusal's colour goes with it)
            self.written.set_file(
                p,
                _(
                    "Excel form written: {path}. Send it to the LAO; import the "
                    "filled file on the Import tab."
                ).format(path=p),
            )
            self._show_written()

        def failed(exc: BaseException) -> None:
            self.written.set_file(None)
            say(self.status, _message(exc, _("The Excel form could not be written.")), refused=True)

        self.ctx.runner.run(
            lambda progress: write_template(store, lao, programme, path),
            label=_("Writing the Excel form…"),
            owner=self,
            on_success=written,
            on_failure=failed,
        )

    def _browse(self) -> None:
        path = file_actions.ask_save_path(
            self,
            _("Save package as"),
            Path(self.out.text() or user_documents_dir() / "package.levpkg"),
            "levpkg",
            ctx=self.ctx,
            purpose="save-packages",
        )
        if path is not None:
            self.out.setText(str(path))

    def _recipient_code(self) -> str:
        return str(self.recipient.currentData() or "")

    def _recipient_changed(self, _index: int = -1) -> None:
        relation = getattr(self, "relations", {}).get(self._recipient_code(), "")
        notes = {
            "reports_to": _("The office this office reports to (Settings)."),
            "above": _(
                "Not the office this office reports to: a package for it fulfils no "
                "obligation. Choose it only when that office asked for the data."
            ),
            "below": _(
                "An office below this one: the package carries this office's reviews and "
                "programmes; it fulfils no obligation."
            ),
        }
        self.route_note.setText(notes.get(relation, ""))
        self.route_note.setStyleSheet("" if relation == "reports_to" else f"color:{AMBER.name()};")
        self._preview_timer.start()

    def _choice_key(self) -> tuple:
        """What decides a package's content: recipient, programmes, years, changes only."""
        return (self._recipient_code(), self._choices(), self.since_last.isChecked())

    def _choices(self) -> tuple[list[str] | None, list[int] | None] | None:
        checked = [
            self.programmes.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.programmes.count())
            if self.programmes.item(i).checkState() == Qt.CheckState.Checked
        ]
        programmes = None if len(checked) == self.programmes.count() else checked
        try:
            years = [read_fiscal_year(y) for y in self.years.text().replace(",", " ").split()]
        except ValueError as exc:
            self.year_problem = str(exc)
            return None
        self.year_problem = ""
        return programmes, years or None

    def preview(self) -> None:
        """Before writing: which obligations the package will fulfil (the one model)."""
        from lev_desktop.exchange.exporter import ExportError, plan_export

        recipient, choices = self._recipient_code(), self._choices()
        if choices is None:  # a year that is not a fiscal year: said before anything is made
            self.fulfils.setText(digits.shown("⚠ " + self.year_problem))
            self.fulfils.setStyleSheet(f"color:{AMBER.name()};")
            return
        if not recipient or choices[0] == []:
            self.fulfils.setText("")
            return
        programmes, years = choices
        store, since = self.ctx.store, self.since_last.isChecked()
        down = getattr(self, "relations", {}).get(recipient) == "below"

        def work(_progress):
            return plan_export(
                store,
                recipient,
                since_last=since,
                programmes=programmes,
                fiscal_years=years,
                down=down,
            )

        self.ctx.runner.run(
            work,
            on_success=self.show_fulfilment,
            on_failure=lambda exc: self.fulfils.setText(
                str(exc) if isinstance(exc, ExportError) else ""
            ),
            owner=self,
        )

    def show_fulfilment(self, fulfilment) -> None:
        if fulfilment.recipient.code != self._recipient_code():
            return  # the person has chosen another office meanwhile
        lines = []
        if self._exported_choice == self._choice_key():
            lines.append(_("If you export again now:"))
        if fulfilment.lines:
            lines.append(_("This package will fulfil:"))
            lines += [f"  • {line}" for line in fulfilment.lines[:12]]
            if len(fulfilment.lines) > 12:
                lines.append(_("  … and {n} more").format(n=len(fulfilment.lines) - 12))
        warning = fulfilment.warning()
        if warning:
            lines.append("⚠ " + warning)
        if fulfilment.already:
            lines.append(
                _("Already sent before (carried again): {n}").format(n=len(fulfilment.already))
            )
        self.fulfils.setText(digits.shown("\n".join(lines)))
        self.fulfils.setStyleSheet(
            f"color:{AMBER.name()};" if warning else f"color:{GREEN.name()};"
        )

    def export(self) -> None:
        from lev_desktop.exchange.exporter import ExportError, export_package

        recipient = self._recipient_code()
        choices = self._choices()
        if choices is None:
            say(self.status, digits.shown(self.year_problem), refused=True)
            return
        programmes, years = choices
        down = getattr(self, "relations", {}).get(recipient) == "below"
        if programmes == []:
            say(self.status, _("Please tick at least one programme"), refused=True)
            return
        out = Path(self.out.text().strip() or "package.levpkg")
        if self.default_out is not None and out == self.default_out:
            # the suggested name (office and date): a second package the same day must not
            # replace the first, which may not have been sent yet
            out = unique_path(out.parent, out.name)
        store, since = self.ctx.store, self.since_last.isChecked()
        # The button turns off while the package is written and Qt hands its focus on (to the
        # navigation, fit16 under Xvfb): an officer who pressed Enter on it finds the keyboard
        # on "คัดลอกไปยังแฟลชไดรฟ์" after it, or on the button again after a refusal.
        self._keys_on_button = self.window().focusWidget() is self.export_button
        self.export_button.setEnabled(False)

        def work(progress):
            return export_package(
                store,
                recipient,
                out,
                since_last=since,
                programmes=programmes,
                fiscal_years=years,
                progress=progress,
                down=down,
            )

        def failed(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            self._give_keys_back(self.export_button)
            self.written.set_file(None)
            # Nothing was written, so nothing counts: the green "this package will count as
            # sending …" list stood above the refusal as if the package had gone. It comes
            # back with the next preview (another choice, the refusal put right).
            self.fulfils.clear()
            self._future = getattr(exc, "future", None)  # FutureChangesError
            self.restamp_button.setVisible(self._future is not None)
            say(
                self.status,
                str(exc)
                if isinstance(exc, ExportError)
                else _message(exc, _("The package could not be written.")),
                refused=True,
            )

        choice = self._choice_key()

        def done(result) -> None:
            self._done(result, choice)

        self.ctx.runner.run(
            work,
            label=_("Writing the package…"),
            on_success=done,
            on_failure=failed,
            on_cancel=self._cancelled,
            owner=self,
        )

    def _cancelled(self) -> None:
        self.export_button.setEnabled(True)
        self._give_keys_back(self.export_button)

    def _give_keys_back(self, button: QWidget) -> None:
        """The keyboard to ``button`` when the export button had it as the export began."""
        if self._keys_on_button:
            self._keys_on_button = False
            button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _ask_restamp(self) -> None:
        from ui.widgets.restamp import ask_restamp

        if self._future is None:
            return

        def done(_result) -> None:
            self._future = None
            self.restamp_button.hide()
            say(self.status, "")
            self._preview_timer.start()  # what the package would count as, now it can be made

        ask_restamp(self.ctx, self, self._future, on_done=done)

    def _done(self, result, choice: tuple) -> None:
        self.export_button.setEnabled(True)
        say(self.status, "")  # (a refusal's colour goes with it)
        self._future = None
        self.restamp_button.hide()
        kind = _("changes only") if result.kind == "delta" else _("all records")
        fulfilment = result.fulfilment
        office = fulfilment.recipient.label if fulfilment is not None else result.recipient
        text = _(
            "Package written: {name} — sequence {seq} ({kind}), {count} records, {size} KB, "
            "for {office}."
        ).format(
            name=result.path.name,
            seq=result.sequence,
            kind=kind,
            count=format_number(result.total),
            size=format_number(max(1, result.size // 1024)),
            office=office,
        )
        if fulfilment is not None and fulfilment.lines:
            text += " " + _("Marked sent: {n} obligations.").format(n=len(fulfilment.lines))
        elif fulfilment is not None:
            text += " " + _("It fulfils no obligation: nothing was marked sent.")
        if result.note:
            text = result.note + " " + text
        text += " " + _("Saved in: {folder}").format(folder=result.path.parent)
        self.written.set_file(result.path, text)
        self._show_written()
        self._give_keys_back(self.written.usb_button)
        from lev_desktop.exchange.records import TABLES

        order = list(TABLES)
        rows = [
            Row([_table_label(t), c])
            for t, c in sorted(
                result.counts.items(),
                key=lambda item: order.index(item[0]) if item[0] in order else 99,
            )
        ]
        if result.embedded:
            rows.append(
                Row(
                    [
                        _("Packages of offices below, relayed with their signatures"),
                        len(result.embedded),
                    ]
                )
            )
        self.model.set_rows(rows)
        self.view.show()
        _fit(self.view, 520)
        self.ctx.notify(Changes(exchange=True, forms=True))
        self._exported_choice = choice
        self._preview_timer.start()


def _message(exc: BaseException, fallback: str) -> str:
    """A known error's Thai sentence; anything else is logged and gets ``fallback``."""
    from lev_desktop.errors import describe_error

    known = describe_error(exc)
    if known is None:
        log.error("exchange screen: %r", exc, exc_info=exc)
        return fallback
    return known


def _table_label(table: str) -> str:
    from lev_desktop.exchange.payloads import table_label as label

    return label(table)


# ---- import tab --------------------------------------------------------------------------------


class DropArea(QLabel):
    files_dropped = Signal(list)
    contents_dropped = Signal(str, bytes)  # an e-mail attachment dragged out of Outlook
    not_files = Signal(str)  # why the drop cannot be used (Thai)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            _(
                "Drag package files (.levpkg) or filled Excel forms (.xlsx) here, or "
                "choose them with the button"
            ),
            parent,
        )
        self.setAcceptDrops(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setMinimumHeight(48)
        self.setStyleSheet(
            "QLabel { border: 2px dashed palette(mid); border-radius: 6px; padding: 6px; }"
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        # Anything is accepted, so that a drop that is not a file gets an explanation instead
        # of nothing at all (Outlook and LINE drag attachments that are not files yet).
        if event.mimeData().formats():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        dropped = file_actions.Dropped(event.mimeData())
        if dropped.paths:
            self.files_dropped.emit(dropped.paths)
        elif dropped.contents is not None:
            self.contents_dropped.emit(*dropped.contents)
        else:
            self.not_files.emit(dropped.message)
        event.acceptProposedAction()


# The import preview's columns: file, office (and the office that relayed), sequence, the
# record counts, the result, the reason.
RESULT, REASON = 4, 5
COUNTS = (
    ("new", lambda n: _("{count} new").format(count=n)),
    ("updated", lambda n: _("{count} updated").format(count=n)),
    ("unchanged", lambda n: _("{count} unchanged").format(count=n)),
    ("conflicts", lambda n: _("{count} conflicts").format(count=n)),
    ("refused", lambda n: _("{count} refused").format(count=n)),
)


def record_counts(counts: dict[str, int]) -> str:
    """A package's records as a clerk reads them at once: only the counts that are not zero,
    in words ("ใหม่ 115, ปรับปรุง 1"), or a dash when it brings none."""
    said = [word(format_number(counts[key])) for key, word in COUNTS if counts.get(key)]
    return ", ".join(said) if said else "–"


class ImportTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.plan = None
        self.files: list[str] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.drop = DropArea()
        self.drop.files_dropped.connect(self.add_files)
        self.drop.contents_dropped.connect(self.save_attachment)
        self.drop.not_files.connect(self._not_files)
        top.addWidget(self.drop, 1)
        # The buttons in the drop area's row, not stacked beside it: stacked, the three made
        # the row ~150 px tall, and at 1366×768 at 125 % the list of packages (what the
        # officer reads) showed 3½ rows inside a page that scrolled as well.
        choose = QPushButton(_("Choose files…"))
        choose.clicked.connect(self._choose)
        self.inbox_button = QPushButton(_("From the inbox folder"))
        self.inbox_button.clicked.connect(self._from_inbox)
        clear = QPushButton(_("Clear"))
        clear.clicked.connect(self.clear)
        for button in (choose, self.inbox_button, clear):
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(top)
        self.summary = QLabel(_("No files chosen yet. Nothing is written until you confirm."))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        # Six columns that fit 1366×768 at 125 % (eleven did not: the reason and the buttons
        # beside the drop area ran past the edge): the record counts are one column of the
        # counts that are not zero, the relaying office sits under the sender.
        self.model = RowsModel(
            [_("File"), _("Office"), _("Sequence"), _("Records"), _("Result"), _("Reason / note")]
        )
        self.view = _table(self.model)
        # three packages in view at least: a long reason is cut to its share, ending in "…",
        # whole in the tooltip and in the line under the table
        keep_rows_in_view(self.view, 3)
        room_for_rows(self.view, 3)
        self.view.selectionModel().currentRowChanged.connect(self._show_detail)
        # The refused file chosen after a preview or an import stays in sight while the page
        # settles (the keys box shown, its text wrapped, the rows refitted): a scroll made
        # before that could leave it under the list's edge.
        self._problem_row: int | None = None
        self.view.verticalScrollBar().rangeChanged.connect(self._keep_problem_in_view)
        self.view.verticalHeader().sectionResized.connect(self._keep_problem_in_view)
        layout.addWidget(self.view, 1)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail)
        self.keys_box = QGroupBox(
            _(
                "New keys: compare the fingerprint with the sending office "
                "(letter or telephone) before trusting it"
            )
        )
        keys_layout = QVBoxLayout(self.keys_box)
        keys_layout.setContentsMargins(6, 0, 6, 2)
        self.keys_text = QPlainTextEdit()
        self.keys_text.setReadOnly(True)
        self.keys_text.setMaximumHeight(120)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.keys_text.setFont(font)
        keys_layout.addWidget(self.keys_text)
        # The tick beside "ยืนยันการนำเข้า", the step it allows (fit15: under the fingerprints it
        # made the page scroll 48 px at 1366×768 at 125 %, the confirm button below the edge)
        self.trust = QCheckBox(_("I checked the fingerprints: trust these keys"))
        self.keys_box.setVisible(False)
        self.trust.setVisible(False)
        layout.addWidget(self.keys_box)
        # Records an office entered again after a reinstall: they replace the earlier ones.
        self.replace = WrapCheckBox()
        self.replace.setVisible(False)
        layout.addWidget(self.replace)
        buttons = QHBoxLayout()
        # A package refused because its office has a new key (a reinstall): the guided step.
        self.reinstalled = ReinstallButton(ctx)
        self.reinstalled.confirmed.connect(self.run_preview)
        buttons.addWidget(self.reinstalled)
        buttons.addStretch(1)
        buttons.addWidget(self.trust)
        self.confirm = QPushButton(_("Confirm import"))
        self.confirm.setEnabled(False)
        self.confirm.clicked.connect(self.commit)
        buttons.addWidget(self.confirm)
        layout.addLayout(buttons)

    def _show_keys(self, keys: list[str]) -> None:
        self.keys_box.setVisible(bool(keys))
        self.trust.setVisible(bool(keys))
        self.keys_text.setPlainText("\n\n".join(keys))

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or current.row() >= len(self.model.rows):
            self.detail.clear()
            return
        row = self.model.rows[current.row()]
        office = row.cells[1] or row.cells[0]
        self.detail.setText(f"{office}: {row.tooltip}" if row.tooltip else "")

    def _choose(self) -> None:
        paths = file_dialogs.open_files(
            self,
            _("Choose package files"),
            _("LEV packages and Excel forms (*.levpkg *.xlsx);;All files (*)"),
            purpose="import-package",
            ctx=self.ctx,
        )
        if paths:
            self.add_files(paths)

    def _from_inbox(self) -> None:
        from lev_desktop.exchange.inbox import pending_packages

        store = self.ctx.store
        self.ctx.runner.run(
            # a file that cannot be verified stays out (the home screen says why)
            lambda progress: [p.path for p in pending_packages(store) if p.importable],
            on_success=lambda paths: (
                self.add_files(paths)
                if paths
                else self.summary.setText(_("The inbox folder has no new packages."))
            ),
            owner=self,
            kind="io",
        )

    def _not_files(self, message: str) -> None:
        self.summary.setText(message)

    def save_attachment(self, name: str, data: bytes) -> None:
        """An attachment dragged straight out of Outlook: saved into the inbox folder under
        its own name (never over another file), then checked like any other file."""
        from lev_desktop.exchange.inbox import inbox_dir
        from lev_desktop.files import write_bytes

        def work(_progress) -> str:
            folder = inbox_dir()
            return str(write_bytes(unique_path(folder, Path(name).name), data))

        self.ctx.runner.run(
            work,
            on_success=lambda path: self.add_files([path]),
            on_failure=lambda exc: self.summary.setText(
                _message(exc, _("The attachment could not be saved."))
            ),
            owner=self,
            kind="io",
        )

    def clear(self) -> None:
        self.files = []
        self.plan = None
        self.model.set_rows([])
        self.detail.clear()
        self._show_keys([])
        self.confirm.setEnabled(False)
        self.summary.setText(_("No files chosen yet. Nothing is written until you confirm."))

    def add_files(self, paths: list[str]) -> None:
        for path in paths:
            if path not in self.files:
                self.files.append(path)
        self.run_preview()

    def run_preview(self) -> None:
        from lev_desktop.exchange.errors import Refusal
        from lev_desktop.exchange.importer import preview

        store, files = self.ctx.store, list(self.files)
        self.confirm.setEnabled(False)

        def failed(exc: BaseException) -> None:
            # (a disk full or a database held by another program: its Thai sentence, not
            # "[Errno 28] No space left on device")
            self.summary.setText(
                exc.message
                if isinstance(exc, Refusal)
                else _message(exc, _("The packages could not be checked; nothing was changed."))
            )

        self.ctx.runner.run(
            lambda progress: preview(store, files, progress=progress),
            label=_("Checking the packages…"),
            on_success=self.show_plan,
            on_failure=failed,
            owner=self,
        )

    def show_plan(self, plan) -> None:
        from lev_desktop.exchange.importer import Status, claims_text

        self.plan = plan
        labels = {
            Status.OK: (_("will be imported"), GREEN),
            Status.DUPLICATE: (_("already imported"), GREY),
            Status.NEEDS_TRUST: (_("new key: needs trust"), AMBER),
            Status.REFUSED: (_("refused"), RED),
        }
        rows: list[Row] = []
        keys: list[str] = []
        for package in plan.packages:
            if not package.parts:
                text, color = labels[package.status]
                rows.append(
                    Row(
                        [package.file_name, "", "", "", text, package.reason], color, package.reason
                    )
                )
                continue
            for part in package.parts:
                status = part.status
                text, part_color = labels.get(status, (status, None))
                if part.replacements and status in (Status.OK, Status.NEEDS_TRUST):
                    text, part_color = _("replaces earlier records: confirm below"), AMBER
                office = f"{part.sender} {part.sender_name}".strip()
                if part.relayed_by:
                    office += "\n" + _("via {office}").format(office=part.relayed_by)
                rows.append(
                    Row(
                        [
                            package.file_name,
                            office,
                            _sequence(part.kind, part.sequence),
                            record_counts(part.counts),
                            text,
                            part.remark,
                        ],
                        part_color,
                        part.remark,
                    )
                )
                if part.status == Status.NEEDS_TRUST:
                    # what the office says it is, beside its key
                    keys.append(claims_text(part, compact=True))
        self.model.set_rows(rows)
        _fit(self.view)
        room_for_rows(self.view, 3)  # (its header may have taken a second line)
        self._show_keys(keys)  # (before a row is scrolled into view: the list is lower then)
        self._choose_problem(rows)
        self.trust.setChecked(False)
        importable = plan.importable
        refused = [p for p in plan.packages if p.status == Status.REFUSED]
        self.summary.setText(
            digits.shown(
                _(
                    "{files} file(s) checked: {ok} can be imported, {refused} refused, "
                    "{dup} already imported. Nothing has been written yet."
                ).format(
                    files=format_number(len(plan.packages)),
                    ok=format_number(len(importable)),
                    refused=format_number(len(refused)),
                    dup=format_number(len(plan.packages) - len(importable) - len(refused)),
                )
            )
        )
        self.confirm.setEnabled(bool(importable))
        self.reinstalled.check(plan)
        replacing = sorted({p.sender for p in plan.needs_confirm})
        self.replace.setChecked(False)
        self.replace.setVisible(bool(replacing))
        self.replace.setText(
            digits.shown(
                _(
                    "I checked with {offices}: the records marked “replaces the earlier record "
                    "after a reinstall” replace the earlier ones (those are kept as deleted)"
                ).format(offices=", ".join(replacing))
            )
        )

    def commit(self) -> None:
        from lev_desktop.exchange.importer import commit

        if self.plan is None:
            return
        if self.plan.needs_trust and not self.trust.isChecked():
            QMessageBox.information(
                self,
                _("Data exchange"),
                _(
                    "Some packages come from an office whose key is new. Compare the fingerprints "
                    "with the office and tick “trust these keys”, or remove those files."
                ),
            )
            return
        if self.plan.needs_confirm and not self.replace.isChecked():
            QMessageBox.information(
                self,
                _("Data exchange"),
                _(
                    "Some records replace earlier ones of their office (it reinstalled and entered "
                    "them again). Check with the office and tick the box to confirm, or remove "
                    "those files."
                ),
            )
            return
        plan, store = self.plan, self.ctx.store
        trust = {p.sender for p in plan.needs_trust} if self.trust.isChecked() else False
        replace = {p.sender for p in plan.needs_confirm} if self.replace.isChecked() else False
        self.confirm.setEnabled(False)
        self.ctx.runner.run(
            lambda progress: commit(store, plan, trust=trust, replace=replace, progress=progress),
            label=_("Importing…"),
            on_success=self._committed,
            owner=self,
            on_failure=self._commit_failed,
        )

    def _commit_failed(self, exc: BaseException) -> None:
        """The import's one transaction was rolled back (disk full, the database held by
        another program …): say so in Thai and let the officer try again with the same
        preview (it showed "[Errno 28] No space left on device" and left the button off)."""
        self.summary.setText(
            _message(exc, _("The import failed and was undone; nothing was changed."))
        )
        self.confirm.setEnabled(self.plan is not None and bool(self.plan.importable))

    def _committed(self, result) -> None:
        counts = result.counts()
        text = _(
            "Imported {packages} package(s): {new} new, {updated} updated, {unchanged} "
            "unchanged, {conflicts} conflicts."
        ).format(
            packages=format_number(len(result.imported)),
            **{key: format_number(value) for key, value in counts.items()},
        )
        if result.refused:
            text += " " + _(
                "Refused: {count} package(s) — the reason is in the list below."
            ).format(count=format_number(len(result.refused)))
        text = digits.shown(text)  # (as the preview's line above says its figures)
        done = {p.file_name for p in result.imported}
        refused = {p.file_name: p.reason for p in result.refused}
        rows = []
        for row in self.model.rows:
            cells = list(row.cells)
            if cells[0] in done and row.color is not RED and cells[RESULT] != _("already imported"):
                cells[RESULT] = _("imported")
                rows.append(Row(cells, GREEN, row.tooltip))
            elif cells[0] in refused and row.color is not RED:
                cells[RESULT], cells[REASON] = _("refused"), refused[cells[0]]
                rows.append(Row(cells, RED, refused[cells[0]]))
            else:
                rows.append(row)
        self.model.set_rows(rows)
        self.files = []
        self.plan = None
        self._show_keys([])
        self.replace.setVisible(False)
        self.detail.clear()
        self.summary.setText(text)
        # (fit15) the first refused file chosen, its whole reason under the list, the keyboard
        # in the list: the button pressed is off now, and Qt gave the focus to the navigation
        self._choose_problem(rows)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.ctx.notify()  # an import can change anything

    def _choose_problem(self, rows: list[Row]) -> None:
        """The first refused row (else the first) made current and scrolled into view once the
        rows have their heights, so that the line under the list says its reason."""
        problem = next((i for i, r in enumerate(rows) if r.color is RED), 0 if rows else None)
        if problem is None:
            return
        index = self.model.index(problem, 0)
        self.view.setCurrentIndex(index)
        self._show_detail(index, QModelIndex())
        self._problem_row = problem
        self.view.scrollTo(index)
        QTimer.singleShot(0, self.view, self._keep_problem_in_view)

    def _keep_problem_in_view(self, *_args: object) -> None:
        """The chosen refused file scrolled into view again, while it is still the row chosen
        (a row the officer moved to is left where it is)."""
        current = self.view.currentIndex()
        if self._problem_row is not None and current.row() == self._problem_row:
            self.view.scrollTo(current)


# ---- history, keys, conflicts -----------------------------------------------------------------


class HistoryTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _hint(
                _(
                    "Every package received (with who sent it, its sequence number "
                    "and counts), every package sent, and refused files."
                )
            )
        )
        self.model = RowsModel(
            [
                _("Direction"),
                _("Office"),
                _("Via"),
                _("Sequence"),
                _("Kind"),
                _("When"),
                _("Records"),
                _("Result"),
                _("File"),
            ]
        )
        self.view = _table(self.model)
        layout.addWidget(self.view, 1)

    def load(self, data: dict[str, Any]) -> None:
        names: dict[str, str] = data.get("office_names") or {}

        def office(code: str, stored: str = "") -> str:
            """The office's name in this database (else its usual name, else the name stored
            with the package as imported) with its code: nobody has to remember 4801006."""
            name = names.get(code) or stored
            return f"{name} ({code})" if code and name else code or name

        rows = []
        for got in data["received"]:
            total = sum(int(got.counts.get(k, 0)) for k in ("new", "updated"))
            rows.append(
                (
                    got.imported_at,
                    Row(
                        [
                            _("received"),
                            office(got.sender, got.sender_name),
                            office(got.relayed_by),
                            _sequence(got.kind, got.sequence),
                            _kind(got.kind),
                            _when(got.imported_at),
                            total,
                            _("imported")
                            if got.signed
                            # who entered a form relayed from below, where and when
                            else _entered_from_excel(got) or _("imported (from Excel, unsigned)"),
                            got.file_name,
                        ],
                        GREEN,
                        _entered_from_excel(got),
                    ),
                )
            )
        for sent in data["sent"]:
            rows.append(
                (
                    sent.created_at,
                    Row(
                        [
                            _("sent"),
                            office(sent.recipient),
                            "",
                            sent.sequence,
                            _kind(sent.kind),
                            _when(sent.created_at),
                            sum(sent.counts.values()),
                            _("sent"),
                            sent.file_name,
                        ],
                        GREEN,
                    ),
                )
            )
        for entry in data["refused"]:
            when = dt.datetime.fromisoformat(entry["at"]) if entry.get("at") else None
            rows.append(
                (
                    when,
                    Row(
                        [
                            _("refused"),
                            # the office a refused file named: said as its claim, not a fact
                            _("The sender says it is {name} ({code})").format(
                                name=names[entry["sender"]], code=entry["sender"]
                            )
                            if names.get(entry.get("sender") or "")
                            else entry.get("sender", ""),
                            "",
                            "",
                            "",
                            _when(when),
                            0,
                            _("refused"),
                            Path(entry.get("file", "")).name,
                        ],
                        RED,
                        entry.get("reason", ""),
                    ),
                )
            )
        rows.sort(key=lambda r: r[0] or dt.datetime.min, reverse=True)
        self.model.set_rows([r for _w, r in rows])
        _fit(self.view)


def _entered_from_excel(got: Any) -> str:
    """Who entered an Excel form, where and when (it travels upward with the records)."""
    provenance = getattr(got, "provenance", None) or {}
    if got.kind != "excel" or not provenance:
        return ""
    when = provenance.get("entered_at")
    try:
        day = format_date(dt.datetime.fromisoformat(str(when).replace("Z", "+00:00")), "short")
    except ValueError:
        day = "-"
    return _("entered at {office} from an Excel form by {who} on {when}").format(
        office=provenance.get("entered_office", ""),
        who=provenance.get("entered_by") or "-",
        when=day,
    )


def _sequence(kind: str, sequence: int) -> int | str:
    """An Excel form has no sequence number (its office did not send it): a dash, not 0."""
    return "–" if kind == "excel" else sequence


def _kind(kind: str) -> str:
    from lev_desktop.exchange.payloads import kind_label

    return kind_label(kind)


class KeysTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        own = QGroupBox(
            _("Key fingerprint of this office (print it for a letter to the office above)")
        )
        own_layout = QVBoxLayout(own)
        self.own = QLabel(_("No key yet: it is made with the first export."))
        self.own.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(font.pointSizeF() + 1)
        self.own.setFont(font)
        own_layout.addWidget(self.own)
        layout.addWidget(own)
        self.model = RowsModel(
            [_("Office"), _("Fingerprint"), _("Trusted on"), _("Vouched for by"), ""]
        )
        self.view = _table(self.model)
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(
            _hint(
                _(
                    "After an office reinstalls its program it has a new key. Confirm "
                    "the new fingerprint with it, then choose “Trust again”: its next "
                    "package asks for trust."
                )
            ),
            1,
        )
        self.retrust = QPushButton(_("Trust again…"))
        self.retrust.clicked.connect(self._retrust)
        buttons.addWidget(self.retrust)
        self.resequence = QPushButton(_("Restart sequence numbers…"))
        self.resequence.setToolTip(
            _(
                "When the packages of an office are refused as old ones by mistake (for example "
                "after it restored a backup): check with the office, then restart its numbers."
            )
        )
        self.resequence.clicked.connect(self._reset_sequence)
        buttons.addWidget(self.resequence)
        layout.addLayout(buttons)

    def load(self, data: dict[str, Any]) -> None:
        from lev_desktop.exchange.keys import format_fingerprint

        if data.get("own_fingerprint"):
            self.own.setText(format_fingerprint(data["own_fingerprint"]))
        self.model.set_rows(
            [
                Row(
                    [
                        k.office_code,
                        format_fingerprint(k.fingerprint, per_line=16),
                        _when(k.trusted_at),
                        k.via,
                        "",
                    ],
                    None,
                    k.fingerprint,
                    k.office_code,
                )
                for k in data["keys"]
            ]
        )
        _fit(self.view, 760)

    def _retrust(self) -> None:
        from lev_desktop.exchange.importer import forget_key

        self._on_chosen_office(
            _("Trust again"),
            _(
                "Forget the trusted key of office {office}? Its next package will show the new "
                "fingerprint and ask for trust."
            ),
            forget_key,
        )

    def _reset_sequence(self) -> None:
        """The documented recovery for an office locked out by its sequence numbers."""
        from lev_desktop.exchange.importer import reset_sequence

        self._on_chosen_office(
            _("Restart sequence numbers…"),
            _(
                "Accept the next package of office {office} whatever its sequence number? Do "
                "this only after checking with the office that its packages are refused as old "
                "ones by mistake."
            ),
            reset_sequence,
        )

    def _on_chosen_office(
        self, title: str, question: str, action: Callable[[Store, str], object]
    ) -> None:
        """Asks ``question`` (its ``{office}``: the office of the chosen key); on Yes runs
        ``action(store, office)`` in the background, then the exchange views refresh."""
        index = self.view.currentIndex()
        if not index.isValid():
            return
        office = self.model.rows[index.row()].data
        answer = QMessageBox.question(self, title, question.format(office=office))
        if answer != QMessageBox.StandardButton.Yes:
            return
        store = self.ctx.store
        self.ctx.runner.run(
            lambda progress: action(store, office),
            owner=self,
            on_success=lambda _ok: self.ctx.notify(Changes(exchange=True)),
        )


class ConflictsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.addWidget(
            _hint(
                _(
                    "Two versions of the same record with the same revision. The later "
                    "one was kept; compare them and keep the right one."
                )
            )
        )
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.model = RowsModel(
            [_("Data"), _("Office"), _("Revision"), _("Detected"), _("Kept"), ""]
        )
        self.view = _table(self.model)
        self.view.selectionModel().currentRowChanged.connect(self._show)
        splitter.addWidget(self.view)
        self.detail = RowsModel([_("Field"), _("Version kept"), _("Other version"), ""])
        self.detail_view = _table(self.detail)
        splitter.addWidget(self.detail_view)
        # the list of conflicts is the work (five rows at 1366×768 at 125 %); the chosen one's
        # fields below
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([300, 200])
        layout.addWidget(splitter, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.keep = QPushButton(_("Keep the version shown as kept"))
        self.keep.clicked.connect(lambda: self._resolve(False))
        self.swap = QPushButton(_("Use the other version"))
        self.swap.clicked.connect(lambda: self._resolve(True))
        buttons.addWidget(self.keep)
        buttons.addWidget(self.swap)
        layout.addLayout(buttons)

    def load(self, data: dict[str, Any]) -> None:
        self.model.set_rows(
            [
                Row(
                    [
                        _table_label(c.table_name),
                        c.owner_office,
                        c.revision,
                        _when(c.detected_at),
                        _("incoming") if c.winner == "incoming" else _("existing"),
                        "",
                    ],
                    AMBER,
                    "",
                    c,
                )
                for c in data["conflicts"]
            ]
        )
        self.detail.set_rows([])
        _fit(self.view)

    def _show(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or current.row() >= len(self.model.rows):
            self.detail.set_rows([])
            return
        conflict = self.model.rows[current.row()].data
        rows = []
        for key, kept in conflict.kept.items():
            other = conflict.other.get(key)
            if key in ("id",):
                continue
            rows.append(
                Row(
                    [
                        key,
                        "" if kept is None else str(kept),
                        "" if other is None else str(other),
                        "",
                    ],
                    RED if kept != other else None,
                )
            )
        rows.sort(key=lambda r: r.color is None)
        self.detail.set_rows(rows)
        _fit(self.detail_view)

    def _resolve(self, use_other: bool) -> None:
        from lev_desktop.exchange.importer import resolve_conflict

        index = self.view.currentIndex()
        if not index.isValid():
            return
        conflict = self.model.rows[index.row()].data
        store = self.ctx.store
        self.ctx.runner.run(
            lambda progress: resolve_conflict(store, conflict.id, use_other=use_other),
            owner=self,
            on_success=lambda _r: self.ctx.notify(Changes(exchange=True)),
        )


# ---- the screen --------------------------------------------------------------------------------


class ExchangeScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.title = QLabel(_("Data exchange"))
        self.title.setObjectName("pageTitle")
        # The title in the tab bar's row (its own row was ~45 px at 1366×768 at 125 %: a row
        # of the board's LAOs); it gives way when the tabs need the room.
        self.tabs = _Tabs()
        self.tabs.set_title(self.title)
        self.export_tab = ExportTab(ctx)
        self.import_tab = ImportTab(ctx)
        self.history_tab = HistoryTab(ctx)
        self.keys_tab = KeysTab(ctx)
        self.conflicts_tab = ConflictsTab(ctx)
        self.recovery_tab = RecoveryTab(ctx)
        # The export form, the import list and the board scroll on a screen shorter than their
        # minimum rather than making the window taller than the screen; on 1366×768 at 125 %
        # they fit, and the import list and the board's table take the height and scroll by
        # themselves (_AtLeastItsMinimum).
        self.tabs.addTab(_scrolling(self.export_tab), _("Export"))
        self.tabs.addTab(_scrolling(self.import_tab), _("Import"))
        self.board = ConsolidationBoard(ctx)
        self.tabs.addTab(_scrolling(self.board), _("Consolidation board"))
        self.tabs.addTab(self.history_tab, _("History"))
        self.tabs.addTab(self.keys_tab, _("Trusted keys"))
        self.tabs.addTab(self.conflicts_tab, _("Conflicts"))
        self.tabs.addTab(self.recovery_tab, _("Reinstalled offices"))
        layout.addWidget(self.tabs, 1)
        ctx.changed.connect(self._changed)
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.exchange or changes.offices or changes.programmes:
            self.refresh()

    def refresh(self) -> None:
        store = self.ctx.store

        def load(progress) -> dict[str, Any]:
            return load_screen_data(store)

        self.ctx.runner.run(load, on_success=self._loaded, owner=self)

    def _loaded(self, data: dict[str, Any]) -> None:
        self.export_tab.load(data)
        self.history_tab.load(data)
        self.keys_tab.load(data)
        self.conflicts_tab.load(data)
        self.recovery_tab.load(data)
        self.tabs.setTabVisible(self.tabs.indexOf(self.recovery_tab), bool(data.get("laos")))
        count = len(data["conflicts"])
        index = self.tab_of(self.conflicts_tab)
        self.tabs.setTabText(
            index, _("Conflicts ({count})").format(count=count) if count else _("Conflicts")
        )

    def tab_of(self, page: QWidget) -> int:
        """The tab that shows ``page`` (itself or inside its scroll area)."""
        return self.tabs.indexOf(page)

    def open_item(self, arg: Any) -> None:
        """``ctx.navigate("exchange", paths)`` opens the import tab with those files;
        ``ctx.navigate("exchange", "export")`` the export tab (Home's "send" of a form that is
        complete and still to be sent)."""
        if arg == "export":
            self.tabs.setCurrentIndex(self.tab_of(self.export_tab))
            return
        self.tabs.setCurrentIndex(self.tab_of(self.import_tab))
        if isinstance(arg, (list, tuple)) and arg:
            self.import_tab.add_files([str(p) for p in arg])


def load_screen_data(store) -> dict[str, Any]:
    """Everything the tabs show, read on the worker thread."""
    from lev_desktop.deadlines.engine import today as deadline_today
    from lev_desktop.domain.offices import Level
    from lev_desktop.exchange import keys
    from lev_desktop.exchange.deliveries import recipient_choices
    from lev_desktop.exchange.exporter import sent_history
    from lev_desktop.exchange.importer import (
        open_conflicts,
        received_history,
        refused_history,
        trusted_keys,
    )
    from lev_desktop.services.offices import office_names_for, this_office
    from lev_desktop.services.programmes import list_programmes

    me = this_office(store)
    # The routing rules live in the core (lev_desktop.routing): the office this one reports
    # to first, then the other offices above on the route, then the offices below.
    recipients: list[tuple[str, str, str]] = []
    parent = None
    if me is not None:
        _me, choices = recipient_choices(store)
        if choices.reports_to is not None:
            parent = choices.reports_to.code
            recipients.append(
                (
                    parent,
                    _("{office} — reports to").format(office=choices.reports_to.label),
                    "reports_to",
                )
            )
        recipients += [(p.code, p.label, "above") for p in choices.above]
        recipients += [
            (p.code, _("{office} — office below").format(office=p.label), "below")
            for p in choices.below
        ]
    laos = []
    if me is not None and Level(me.level) != Level.LAO:
        from lev_desktop.services.offices import subordinate_laos

        laos = [(o.code, f"{o.code} {o.name}") for o in subordinate_laos(store)]
    # the file's date sorts as ISO does, its year BE as every name the program gives a file
    today = deadline_today()
    stamp = f"{be_year(today)}-{today.month:02d}-{today.day:02d}"
    code = me.code if me else "office"
    # The history's offices by name: this database's, else the usual name of an office above
    # known only by its code (P48, DLA).
    received, sent, refused = received_history(store), sent_history(store), refused_history()
    names = office_names_for(
        store,
        {r.relayed_by for r in received}
        | {s.recipient for s in sent}
        | {str(e.get("sender") or "") for e in refused},
    )
    return {
        "recipients": recipients,
        "parent": parent,
        "programmes": [(p.code, p.display_name) for p in list_programmes(store)],
        "kpi_programmes": [
            (p.code, p.display_name)
            for p in list_programmes(store)
            if (p.spec or {}).get("indicators")
        ],
        "laos": laos,
        "default_out": app_options.folder(store, "packages") / f"{code}-{stamp}.levpkg",
        "office_names": names,
        "received": received,
        "sent": sent,
        "refused": refused,
        "keys": trusted_keys(store),
        "own_fingerprint": keys.fingerprint(keys.load_or_create(me.code))
        if me is not None and keys.has_key(me.code)
        else "",
        "conflicts": open_conflicts(store),
    }
