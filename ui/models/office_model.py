"""The LAOs under a district or province with the state of the obligations their F1/F2/F3
forms fulfil (the one model: ``lev_desktop.deadlines``), in the one palette."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from lev_desktop.i18n import N_
from lev_desktop.services.plans import FORM_CODES, OfficeStatusRow, short_office_name
from ui import status_palette
from ui.models.table import Column, TableModel


def _chip(form: str) -> Column:
    """The state of the obligation ``form`` fulfils (blank: none for this office)."""

    def label(row: OfficeStatusRow) -> str:
        state = row.statuses.get(form)
        return state.label if state is not None else ""

    return Column(form, form, "readonly", value=label)


# What the LAO list's search box matches: the office's full name and its code (a province
# officer looks an LAO up by either; the short name shown drops "องค์การบริหารส่วนตำบล").
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1


class OfficeStatusModel(TableModel):
    columns = (
        Column(
            "name",
            N_("Office"),
            "readonly",
            value=lambda row: short_office_name(row.name),
            tooltip=lambda row: f"{row.name} ({row.code})",
        ),
        *(_chip(form) for form in FORM_CODES),
        Column("rows", N_("Projects"), "int"),
        Column("activities", N_("Activities"), "int"),
    )

    def row_key(self, row: OfficeStatusRow) -> Any:
        return row.code

    def background(self, row: OfficeStatusRow, column: Column) -> Any:
        state = row.statuses.get(column.key)
        return status_palette.bg(state) if state is not None else None

    def foreground(self, row: OfficeStatusRow, column: Column) -> Any:
        state = row.statuses.get(column.key)
        return status_palette.fg(state) if state is not None else None

    def extra(self, row: OfficeStatusRow, column: Column, role: int) -> Any:
        if role == SEARCH_ROLE:
            return f"{short_office_name(row.name)} {row.name} {row.code}"
        return None
