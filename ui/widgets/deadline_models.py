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
from ui.models.table import Column, TableModel

ItemRole = Qt.ItemDataRole.UserRole + 1  # the Item (agenda) / list of Items (month cell)
DateRole = Qt.ItemDataRole.UserRole + 2  # the day of a month cell
StateRole = Qt.ItemDataRole.UserRole + 3  # the state name, for the delegate's colours
InMonthRole = Qt.ItemDataRole.UserRole + 4  # the cell belongs to the month shown
HolidayRole = Qt.ItemDataRole.UserRole + 5  # holiday name of the day ('' when none)

_Index = QModelIndex | QPersistentModelIndex


class AgendaModel(TableModel):
    """One row per deadline (``Item``): state, due, days left, programme, what, who → whom,
    LAOs done, note."""

    columns = (
        Column("state", N_("Status")),
        Column("due", N_("Due")),
        Column("left", N_("Days left")),
        Column("programme", N_("Programme")),
        Column("what", N_("What to do")),
        Column("route", N_("Who → to whom")),
        Column("laos", N_("LAOs done")),
        Column("note", N_("Note")),
    )

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.lao_type: str | None = None

    def set_items(self, items: Sequence[Item], lao_type: str | None = None) -> None:
        self.lao_type = lao_type
        self.set_rows(items)

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

    def display(self, row: Item, column: Column, position: int) -> str:
        return self.text(row, self.columns.index(column))

    def tooltip(self, row: Item, column: Column) -> str:
        return self.display(row, column, 0)

    def background(self, row: Item, column: Column) -> Any:
        return status_palette.bg(row.state) if column.key == "state" else None

    def foreground(self, row: Item, column: Column) -> Any:
        if column.key in ("state", "left"):
            return status_palette.fg(row.state)
        if column.key == "note" and row.deadline.non_working:
            return status_palette.fg("due_soon")
        return None

    def extra(self, row: Item, column: Column, role: int) -> Any:
        if role == ItemRole:
            return row
        if role == StateRole:
            return row.state.value
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
    """The holidays of a year: (day, name, source) rows."""

    columns = (
        Column("day", N_("Date")),
        Column("name", N_("Holiday")),
        Column("source", N_("Added by")),
    )

    def display(self, row: tuple[dt.date, str, str], column: Column, position: int) -> str:
        day, name, source = row
        if column.key == "day":
            return format_date(day, "weekday")
        if column.key == "name":
            return name
        return _("built in") if source == "seed" else _("this office")

    def tooltip(self, row: tuple[dt.date, str, str], column: Column) -> str:
        return self.display(row, column, 0)

    def extra(self, row: tuple[dt.date, str, str], column: Column, role: int) -> Any:
        return row[0] if role == DateRole else None


class LaoStatesModel(TableModel):
    """Each LAO's state for one deadline (the one model), with its dates and a mark's reason."""

    columns = (
        Column("name", N_("LAO")),
        Column("type", N_("Type")),
        Column("state", N_("State")),
        Column("fulfilled", N_("Sent or done on")),
        Column("received", N_("Received on")),
        Column("note", N_("Note")),
    )

    def display(self, row: LaoState, column: Column, position: int) -> str:
        if column.key == "name":
            return row.name
        if column.key == "type":
            return LaoType(row.lao_type).abbreviation if row.lao_type else ""
        if column.key == "state":
            return row.state.label
        if column.key == "fulfilled":
            day = row.fulfilled_on if row.state.fulfilled else None
            return format_date(day) if day else ""
        if column.key == "received":
            return format_date(row.received_on) if row.received_on else ""
        return row.mark.reason if row.mark else ""

    def tooltip(self, row: LaoState, column: Column) -> str:
        return self.display(row, column, 0)

    def background(self, row: LaoState, column: Column) -> Any:
        return status_palette.bg(row.state) if column.key == "state" else None

    def foreground(self, row: LaoState, column: Column) -> Any:
        return status_palette.fg(row.state) if column.key == "state" else None
