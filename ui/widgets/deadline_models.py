"""Table models of the deadline calendar. Pure presentation: rows are handed in by a worker
(``set_items``), no model touches the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from lev_desktop.deadlines.engine import Item, LaoState
from lev_desktop.deadlines.text import (
    days_left_text,
    flag_text,
    item_when_text,
    route_text,
    when_text,
)
from lev_desktop.domain.offices import LaoType
from lev_desktop.i18n import N_, _
from lev_desktop.thai_format import WEEKDAYS_EN, WEEKDAYS_FULL, format_date
from ui import status_palette
from ui.models.table import TableModel

ItemRole = Qt.ItemDataRole.UserRole + 1  # the Item (agenda) / list of Items (month cell)
DateRole = Qt.ItemDataRole.UserRole + 2  # the day of a month cell
StateRole = Qt.ItemDataRole.UserRole + 3  # the state name, for the delegate's colours
InMonthRole = Qt.ItemDataRole.UserRole + 4  # the cell belongs to the month shown
HolidayRole = Qt.ItemDataRole.UserRole + 5  # holiday name of the day ('' when none)

_Index = QModelIndex | QPersistentModelIndex


class AgendaModel(TableModel):
    """One row per deadline: state, due, days left, programme, what, who → whom, LAOs, note."""

    COLUMNS = (
        N_("Status"),
        N_("Due"),
        N_("Days left"),
        N_("Programme"),
        N_("What to do"),
        N_("Who → to whom"),
        N_("LAOs done"),
        N_("Note"),
    )

    def __init__(self, parent=None):
        super().__init__(parent)
        self.items: list[Item] = []
        self.lao_type: str | None = None

    def set_items(self, items: list[Item], lao_type: str | None = None) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.lao_type = lao_type
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            return _(self.COLUMNS[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.items):
            return str(section + 1)
        return None

    def text(self, item: Item, column: int) -> str:
        d = item.deadline
        if column == 0:
            return item.state.label
        if column == 1:
            return item_when_text(item)
        if column == 2:
            return "" if item.state.fulfilled else days_left_text(item.days_left)
        if column == 3:
            return d.obligation.programme_name or d.obligation.programme_code
        if column == 4:
            text = d.obligation.title
            return text + ("  " + _("(incoming from LAOs)") if item.incoming else "")
        if column == 5:
            return route_text(d.obligation, self.lao_type)
        if column == 6:
            if item.laos is None or not item.laos.total:
                return ""
            return _("{done}/{total}").format(done=item.laos.done, total=item.laos.total)
        if column == 7:
            notes = [flag_text(d)] if flag_text(d) else []
            if item.mark is not None:
                notes.append(_("Marked by hand: {reason}").format(reason=item.mark.reason))
            return "\n".join(notes)
        return ""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.items)):
            return None
        item = self.items[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(item, column)
        if role == Qt.ItemDataRole.BackgroundRole and column == 0:
            return status_palette.bg(item.state)
        if role == Qt.ItemDataRole.ForegroundRole and column in (0, 2):
            return status_palette.fg(item.state)
        if role == Qt.ItemDataRole.ForegroundRole and column == 7 and item.deadline.non_working:
            return status_palette.fg("due_soon")
        if role == ItemRole:
            return item
        if role == StateRole:
            return item.state.value
        return None


class MonthModel(TableModel):
    """A month as weeks × 7 days; each cell holds the deadlines that fall (or run) on it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.year, self.month = 2025, 1
        self.week_start = 6  # datetime weekday: 0 Monday … 6 Sunday
        self.days: list[dt.date] = []
        self.by_day: dict[dt.date, list[Item]] = {}
        self.holidays: dict[dt.date, str] = {}
        self.today: dt.date | None = None
        self._grid(2025, 1, 6)

    @staticmethod
    def grid_range(year: int, month: int, week_start: int) -> tuple[dt.date, dt.date]:
        first = dt.date(year, month, 1)
        start = first - dt.timedelta(days=(first.weekday() - week_start) % 7)
        next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
        last = next_month - dt.timedelta(days=1)
        end = last + dt.timedelta(days=(week_start - 1 - last.weekday()) % 7)
        return start, end

    def _grid(self, year: int, month: int, week_start: int) -> None:
        self.year, self.month, self.week_start = year, month, week_start
        start, end = self.grid_range(year, month, week_start)
        self.days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]

    def set_month(
        self,
        year: int,
        month: int,
        week_start: int,
        items: list[Item],
        holidays: dict[dt.date, str],
        today: dt.date | None = None,
    ) -> None:
        self.beginResetModel()
        self._grid(year, month, week_start)
        self.holidays = dict(holidays)
        self.today = today
        self.by_day = {}
        first, last = self.days[0], self.days[-1]
        for item in items:
            d = item.deadline
            day = max(d.first_day, first)
            while day <= min(d.due, last):
                if not d.is_window or (d.due - d.first_day).days <= 45 or day == d.due:
                    self.by_day.setdefault(day, []).append(item)
                day += dt.timedelta(days=1)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.days) // 7

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 7

    def weekday_of_column(self, column: int) -> int:
        return (self.week_start + column) % 7

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < 7:
            from lev_desktop.i18n import current_language

            names = WEEKDAYS_FULL if current_language() == "th" else WEEKDAYS_EN
            return names[self.weekday_of_column(section)]
        if orientation == Qt.Orientation.Vertical and 0 <= section < self.rowCount():
            return ""
        return None

    def day_at(self, index: _Index) -> dt.date | None:
        if not index.isValid():
            return None
        n = index.row() * 7 + index.column()
        return self.days[n] if 0 <= n < len(self.days) else None

    def index_of(self, day: dt.date) -> QModelIndex:
        if day not in self.days:
            return QModelIndex()
        n = self.days.index(day)
        return self.index(n // 7, n % 7)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        day = self.day_at(index)
        if day is None:
            return None
        items = self.by_day.get(day, [])
        if role == Qt.ItemDataRole.DisplayRole:
            return str(day.day)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [format_date(day, "full")]
            if day in self.holidays:
                lines.append(self.holidays[day])
            for item in items:
                lines.append(
                    f"{item.state.label}: [{item.obligation.programme_code}] "
                    f"{item.obligation.title} ({when_text(item.deadline)})"
                )
            return "\n".join(lines)
        if role == ItemRole:
            return items
        if role == DateRole:
            return day
        if role == InMonthRole:
            return day.month == self.month
        if role == HolidayRole:
            return self.holidays.get(day, "")
        return None


class HolidayModel(TableModel):
    COLUMNS = (N_("Date"), N_("Holiday"), N_("Added by"))

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple[dt.date, str, str]] = []

    def set_rows(self, rows: Sequence[tuple[dt.date, str, str]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < 3
        ):
            return _(self.COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        day, name, source = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if index.column() == 0:
                return format_date(day, "weekday")
            if index.column() == 1:
                return name
            return _("built in") if source == "seed" else _("this office")
        if role == DateRole:
            return day
        return None


class LaoStatesModel(TableModel):
    """Each LAO's state for one deadline (the one model), with its dates and a mark's reason."""

    COLUMNS = (
        N_("LAO"),
        N_("Type"),
        N_("State"),
        N_("Sent or done on"),
        N_("Received on"),
        N_("Note"),
    )

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[LaoState] = []

    def set_rows(self, rows: Sequence[LaoState]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.COLUMNS)
        ):
            return _(self.COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return row.name
            if column == 1:
                return LaoType(row.lao_type).abbreviation if row.lao_type else ""
            if column == 2:
                return row.state.label
            if column == 3:
                day = row.fulfilled_on if row.state.fulfilled else None
                return format_date(day) if day else ""
            if column == 4:
                return format_date(row.received_on) if row.received_on else ""
            return row.mark.reason if row.mark else ""
        if role == Qt.ItemDataRole.BackgroundRole and column == 2:
            return status_palette.bg(row.state)
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return status_palette.fg(row.state)
        return None
