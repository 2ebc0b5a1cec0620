"""F2 activities held against the plan rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from lev_desktop.domain.validation import parse_indicator_value, validate_activity
from lev_desktop.i18n import N_, _
from lev_desktop.services.plans import ACTIVITY_FIELDS, ActivityRow
from lev_desktop.thai_format import date_refusal, format_date, format_number, read_date
from ui.models.table import CellError, Column, EditableTableModel, ce_year_note

ACTIVITY_COLUMNS = [
    Column("held_on", N_("Date held"), "date", 100),
    Column("held_until", N_("Until"), "date", 90),
    Column("title", N_("Activity"), "text", 170),
    Column("place", N_("Place"), "text", 130),
    Column("participants", N_("Participants"), "int", 80),
    Column("outputs", N_("Outputs against the KPI"), "text", 180),
    Column("budget_spent", N_("Budget spent (baht)"), "money", 110),
    Column("problems", N_("Problems"), "text", 170),
    Column("remedies", N_("Remedies"), "text", 170),
    Column("attachments", N_("Files"), "readonly", 60),
]


class ActivitiesModel(EditableTableModel):
    columns = ACTIVITY_COLUMNS
    row_fields = ACTIVITY_FIELDS

    def __init__(self, parent=None):
        super().__init__(parent)
        self.default_item_id = ""  # plan row new activities go to
        self.fiscal_year: int | None = None  # the plan's: a day held outside it is refused
        self.projects: dict[str, tuple[str, str]] = {}  # plan row id → (project, kpi)

    def display(self, row: ActivityRow, column: Column, position: int) -> str:
        if column.key in ("held_on", "held_until"):
            return format_date(getattr(row, column.key))
        if column.key == "budget_spent":
            return format_number(row.budget_spent, 2) if row.budget_spent is not None else ""
        if column.key == "participants":
            return "" if row.participants is None else format_number(row.participants)
        if column.key == "attachments":
            return str(len(row.attachments)) if row.attachments else ""
        return getattr(row, column.key) or ""

    def edit_value(self, row: ActivityRow, column: Column) -> Any:
        if column.key in ("held_on", "held_until"):
            return getattr(row, column.key)
        if column.key == "budget_spent":
            return "" if row.budget_spent is None else format_number(row.budget_spent, 2)
        if column.key == "participants":
            return "" if row.participants is None else str(row.participants)
        return self.display(row, column, 0)

    def parse(self, row: ActivityRow, column: Column, value: Any) -> dict[str, Any]:
        if column.key in ("held_on", "held_until"):
            converted = None
            if isinstance(value, dt.date) or value is None:
                date = value
            else:
                try:
                    date, converted = read_date(str(value))
                except ValueError as exc:
                    raise CellError(date_refusal(exc)) from exc
            problems = [
                p
                for p in validate_activity({**row.values(), column.key: date}, self.fiscal_year)
                if p.field == column.key or p.field == "held_until"
            ]
            if problems and date is not None:
                raise CellError(problems[0].message)
            if converted is not None:
                self.note(ce_year_note(converted, date))
            return {column.key: date}
        if column.key == "budget_spent":
            parsed, error = parse_indicator_value({"type": "baht", "min": 0}, value)
            if error:
                raise CellError(error)
            return {
                "budget_spent": None
                if parsed is None
                else Decimal(parsed).quantize(Decimal("0.01"))
            }
        if column.key == "participants":
            parsed, error = parse_indicator_value({"type": "integer", "min": 0}, value)
            if error:
                raise CellError(error)
            return {"participants": parsed}
        text = "" if value is None else str(value)
        return {column.key: text.strip("\n")}

    def tooltip(self, row: ActivityRow, column: Column) -> str | None:
        if column.key == "attachments" and row.attachments:
            return "\n".join(row.attachments)
        if column.key == "outputs" and row.kpi:
            return _("KPI: {kpi}").format(kpi=row.kpi)
        if column.kind == "text":
            # a row is never taller than the table (ui.widgets.fit.cap_rows): a long text's
            # whole wording is here
            return str(getattr(row, column.key, "") or "") or None
        return self.display(row, column, 0) or None  # a date or a figure, as shown

    def new_row(self) -> ActivityRow:
        project, kpi = self.projects.get(self.default_item_id, ("", ""))
        return ActivityRow(plan_item_id=self.default_item_id, project=project, kpi=kpi)
