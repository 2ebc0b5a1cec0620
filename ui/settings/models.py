"""Table models of the Settings screen: pure presentation of rows a worker handed in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtGui import QBrush, QColor

from lev_desktop import gazetteer
from lev_desktop.domain.offices import LaoType
from lev_desktop.i18n import N_, _
from lev_desktop.thai_format import format_date, format_datetime
from ui.models.table import Column, TableModel


def _lao_type(value: str | None) -> str:
    if not value:
        return ""
    return LaoType(value).abbreviation


def _route(office) -> str:
    if not office.lao_type:
        return ""
    if LaoType(office.lao_type).reports_via_district:
        return _("via the district")
    return _("straight to the province")


class RowsModel(TableModel):
    """Read-only rows of any objects, one column per ``Column`` (its ``value`` reads the cell);
    a cell's full text is its tooltip (columns may be narrower than the text)."""

    def __init__(self, rows: Sequence[Any] = (), parent=None):
        super().__init__(parent)
        self.rows = list(rows)

    def tooltip(self, row: Any, column: Column) -> str | None:
        if column.tooltip is not None:
            return column.tooltip(row)
        value = self.display(row, column, 0)
        return value or None


class LaoTableModel(RowsModel):
    """The LAOs of this office (Office records)."""

    columns = (
        Column("code", N_("Code"), "line", value=lambda o: o.code),
        Column("name", N_("Name"), "line", value=lambda o: o.name),
        Column("type", N_("Type"), "line", value=lambda o: _lao_type(o.lao_type)),
        Column(
            "district",
            N_("District"),
            "line",
            value=lambda o: gazetteer.district_label(o.district_code),
        ),
        Column("route", N_("Reports"), "line", value=_route),
    )


class LaoPreviewModel(RowsModel):
    """Rows read from a spreadsheet, with what is wrong with each; problem rows in red."""

    def __init__(
        self, rows: Sequence[Any] = (), parent=None, existing_codes: set[str] | None = None
    ):
        super().__init__(rows, parent)
        self.existing_codes = existing_codes or set()

    def _check(self, row) -> str:
        if row.problems:
            return _("Skipped: {problems}").format(problems="; ".join(row.problems))
        return _("Updates the LAO already listed") if row.code in self.existing_codes else _("New")

    def column_list(self) -> Sequence[Column]:
        return (
            Column("line", N_("Line"), "int", value=lambda r: r.line),
            Column("name", N_("Name"), "line", value=lambda r: r.name),
            Column(
                "type",
                N_("Type"),
                "line",
                value=lambda r: r.lao_type.abbreviation if r.lao_type else "",
            ),
            Column(
                "district",
                N_("District"),
                "line",
                value=lambda r: gazetteer.district_label(r.district_code),
            ),
            Column("code", N_("Code"), "line", value=lambda r: r.code),
            Column("check", N_("Check"), "line", value=self._check),
        )

    def foreground(self, row: Any, column: Column) -> Any:
        if row.problems:
            return QBrush(QColor("#b71c1c"))
        if column.key == "check":
            return QBrush(QColor("#1b5e20"))
        return None


class ProgrammeTableModel(RowsModel):
    columns = (
        Column("code", N_("Code"), "line", value=lambda p: p.code),
        Column(
            "name",
            N_("Programme"),
            "line",
            value=lambda p: p.display_name,
            tooltip=lambda p: p.name,
        ),
        Column("year", N_("Fiscal year"), "line", value=lambda p: p.fiscal_year or ""),
        Column(
            "source",
            N_("Source"),
            "line",
            value=lambda p: _("built-in") if p.builtin else _("made by this office"),
        ),
    )


class LetterTableModel(RowsModel):
    """The incoming-letter register; ``programmes`` maps programme id → code for display."""

    def __init__(
        self, rows: Sequence[Any] = (), parent=None, programmes: dict[str, str] | None = None
    ):
        super().__init__(rows, parent)
        self.programmes = programmes or {}

    def column_list(self) -> Sequence[Column]:
        return (
            Column("receipt_no", N_("Receipt no."), "line", value=lambda r: r.receipt_no),
            Column(
                "received_at",
                N_("Received at"),
                "line",
                value=lambda r: format_datetime(r.received_at),
            ),
            Column("letter_no", N_("Letter no."), "line", value=lambda r: r.letter_no),
            Column("letter_date", N_("Dated"), "line", value=lambda r: format_date(r.letter_date)),
            Column("from_org", N_("From"), "line", value=lambda r: r.from_org),
            Column("subject", N_("Subject"), "line", value=lambda r: r.subject),
            Column(
                "programme",
                N_("Programme"),
                "line",
                value=lambda r: self.programmes.get(r.programme_id or "", ""),
            ),
        )
