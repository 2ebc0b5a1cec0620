"""The one Buddhist-era date widget, used everywhere a person enters a date.

Qt's QDateEdit and QCalendarWidget only know Gregorian years (QCalendar has no Buddhist
calendar), so this is a line edit that reads what people type — "15/2/2568", "15-02-68",
"๑๕/๐๒/๒๕๖๘" — with a small month popup that shows Thai month names, BE years and Thai
weekday headers. Unfocused it shows "15 ก.พ. 2568"; focused it shows "15/02/2568" for typing.
The date, the popup's year and day numbers and their tooltips are in the interface's digits
(``ui.digits``: "๑๕ ก.พ. ๒๕๖๘" in Thai-digit mode).

``ui.widgets.delegates.DateDelegate`` puts the same editor into table cells. A date typed with
a Christian-era year ("16/1/2025") is read as that date; ``noted`` says so, and the tooltip too.
"""

from __future__ import annotations

import calendar
import datetime as dt

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lev_desktop.i18n import _, current_language
from lev_desktop.thai_format import (
    MONTHS_EN_FULL,
    MONTHS_FULL,
    WEEKDAYS_ABBR,
    WEEKDAYS_EN_ABBR,
    be_year,
    date_refusal,
    format_date,
    read_date,
)
from ui import digits

# The first day of the week in every date popup: the calendar's setting (calendar.week_start),
# set by the main window from the options; Sunday until then (the option's default).
_week_starts_monday = [False]


def set_week_start(monday: bool) -> None:
    _week_starts_monday[0] = bool(monday)


class MonthPopup(QFrame):
    """A month grid with BE year, Thai month and weekday names; emits the picked date."""

    picked = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, week_starts_monday: bool | None = None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._week_starts_monday = week_starts_monday
        self.selected: dt.date | None = None
        self.year, self.month = dt.date.today().year, dt.date.today().month
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        self.prev_year = self._nav("«", _("Previous year"), lambda: self._shift(-12))
        self.prev_month = self._nav("‹", _("Previous month"), lambda: self._shift(-1))
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_month = self._nav("›", _("Next month"), lambda: self._shift(1))
        self.next_year = self._nav("»", _("Next year"), lambda: self._shift(12))
        for widget in (self.prev_year, self.prev_month):
            header.addWidget(widget)
        header.addWidget(self.title, 1)
        for widget in (self.next_month, self.next_year):
            header.addWidget(widget)
        layout.addLayout(header)
        self.grid = QGridLayout()
        self.grid.setSpacing(2)
        layout.addLayout(self.grid)
        today = QToolButton()
        today.setText(_("Today"))
        today.clicked.connect(lambda: self._pick(dt.date.today()))
        clear = QToolButton()
        clear.setText(_("Clear"))
        clear.clicked.connect(lambda: self._pick(None))
        footer = QHBoxLayout()
        footer.addWidget(today)
        footer.addStretch(1)
        footer.addWidget(clear)
        layout.addLayout(footer)
        self.day_buttons: list[QToolButton] = []
        self.header_labels: list[QLabel] = []
        self._render()

    def _nav(self, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    @property
    def week_starts_monday(self) -> bool:
        if self._week_starts_monday is None:
            return _week_starts_monday[0]
        return self._week_starts_monday

    def show_month(self, year: int, month: int, selected: dt.date | None) -> None:
        self.year, self.month, self.selected = year, month, selected
        self._render()

    def _shift(self, months: int) -> None:
        index = self.year * 12 + (self.month - 1) + months
        self.year, self.month = divmod(index, 12)
        self.month += 1
        self._render()

    def _pick(self, value: dt.date | None) -> None:
        self.picked.emit(value)
        self.hide()

    def _build_grid(self) -> None:
        """Weekday headers and 6×7 day buttons, made once and relabelled per month."""
        self.header_labels = []
        for column in range(7):
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.grid.addWidget(label, 0, column)
            self.header_labels.append(label)
        self.day_buttons = []
        for row in range(6):
            for column in range(7):
                button = QToolButton()
                button.setAutoRaise(True)
                button.setCheckable(True)
                button.setMinimumWidth(34)
                button.clicked.connect(
                    lambda _checked=False, b=button: self._pick(b.property("date"))
                )
                self.grid.addWidget(button, row + 1, column)
                self.day_buttons.append(button)

    def _render(self) -> None:
        if not self.day_buttons:
            self._build_grid()
        thai = current_language() == "th"
        months = MONTHS_FULL if thai else MONTHS_EN_FULL
        self.title.setText(digits.shown(f"{months[self.month - 1]} {be_year(self.year)}"))
        names = list(WEEKDAYS_ABBR if thai else WEEKDAYS_EN_ABBR)
        first_weekday = 0 if self.week_starts_monday else 6
        if not self.week_starts_monday:
            names = names[6:] + names[:6]
        for label, name in zip(self.header_labels, names, strict=True):
            label.setText(name)
        weeks = calendar.Calendar(firstweekday=first_weekday).monthdatescalendar(
            self.year, self.month
        )
        days = [day for week in weeks for day in week]
        today = dt.date.today()
        for index, button in enumerate(self.day_buttons):
            if index >= len(days):
                button.setVisible(False)
                button.setProperty("date", None)
                continue
            day = days[index]
            button.setVisible(True)
            button.setText(digits.shown(str(day.day)))
            button.setProperty("date", day)
            button.setChecked(day == self.selected)
            button.setEnabled(day.month == self.month)
            button.setToolTip(digits.shown(format_date(day, "full")))
            font = button.font()
            font.setBold(day == today)
            button.setFont(font)


class BEDateEdit(QWidget):
    """A date entry with Buddhist-era years. ``date()`` is a ``datetime.date`` or None."""

    dateChanged = Signal(object)
    editingFinished = Signal()
    noted = Signal(str)  # a typed value was read differently (a Christian-era year)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        allow_empty: bool = True,
        week_starts_monday: bool | None = None,
    ):
        super().__init__(parent)
        self._date: dt.date | None = None
        self.allow_empty = allow_empty
        self.error: str = ""
        self.line = QLineEdit(self)
        self.line.setPlaceholderText(_("dd/mm/yyyy (BE)"))
        self.line.installEventFilter(self)
        self.line.editingFinished.connect(self._commit_text)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setToolTip(_("Choose from the calendar"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.show_popup)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)
        self.popup = MonthPopup(self, week_starts_monday=week_starts_monday)
        self.popup.picked.connect(self._picked)
        self._show_text()

    # ---- API ----------------------------------------------------------------------------
    def date(self) -> dt.date | None:
        return self._date

    def setDate(self, value: dt.date | None) -> None:
        if isinstance(value, dt.datetime):
            value = value.date()
        changed = value != self._date
        self._date = value
        self._set_error("")
        self._show_text()
        if changed:
            self.dateChanged.emit(value)

    def setReadOnly(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)
        self.button.setEnabled(not read_only)

    def hasError(self) -> bool:
        return bool(self.error)

    def text(self) -> str:
        return self.line.text()

    def show_digits(self) -> None:
        """Shows the date again in the interface's digits now set."""
        if not self.error:
            self._show_text()

    # ---- behaviour ----------------------------------------------------------------------
    def _formatted(self, style: str) -> str:
        """The date as this box shows it: ``format_date`` in the interface's digits."""
        return digits.shown(format_date(self._date, style)) if self._date else ""

    def _show_text(self) -> None:
        if self._date is None:
            self.line.setText("")
        elif self.line.hasFocus():
            self.line.setText(self._formatted("numeric"))
        else:
            self.line.setText(self._formatted("short"))
        self.line.setToolTip(self._formatted("full") if self._date else self.error)

    def set_error(self, message: str) -> None:
        """Marks the field refused (red frame, the reason as tooltip); "" clears it."""
        self._set_error(message)

    def _set_error(self, message: str) -> None:
        self.error = message
        self.line.setStyleSheet("QLineEdit { border: 2px solid #c62828; }" if message else "")
        self.line.setToolTip(message)

    def _validate(self, value: dt.date | None) -> str:
        if value is None and not self.allow_empty:
            return _("Please enter a date")
        return ""

    def _commit_text(self) -> None:
        text = self.line.text()
        if self._date is not None and text in (
            self._formatted("short"),
            self._formatted("numeric"),
            format_date(self._date, "short"),
            format_date(self._date, "numeric"),
        ):
            self.editingFinished.emit()
            return
        try:
            value, converted = read_date(text)
        except ValueError as exc:
            self._set_error(date_refusal(exc))
            return
        message = self._validate(value)
        if message:
            self._set_error(message)
            return
        self.setDate(value)
        if converted is not None:
            from ui.models.table import ce_year_note

            note = ce_year_note(converted, value)
            self.line.setToolTip(note)
            self.noted.emit(note)
        self.editingFinished.emit()

    def _picked(self, value: dt.date | None) -> None:
        message = self._validate(value)
        if message:
            self._set_error(message)
            return
        self.setDate(value)
        self.line.setFocus()
        self.editingFinished.emit()

    def show_popup(self) -> None:
        base = self._date or dt.date.today()
        self.popup.show_month(base.year, base.month, self._date)
        self.popup.adjustSize()
        self.popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self.popup.show()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.line:
            if event.type() == QEvent.Type.FocusIn:
                if self._date is not None and not self.error:
                    self.line.setText(self._formatted("numeric"))
            elif event.type() == QEvent.Type.FocusOut and isinstance(event, QFocusEvent):
                if not self.error:
                    self._show_text()
            elif (
                event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Down
                and event.modifiers() & Qt.KeyboardModifier.AltModifier
            ):
                self.show_popup()
                return True
        return super().eventFilter(watched, event)
