"""F1 action-plan rows for the table editor: the eight official columns plus the number of
activities planned and the progress (activities held / planned)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lev_desktop.domain.validation import validate_plan_item
from lev_desktop.i18n import N_, _
from lev_desktop.services.plans import ITEM_FIELDS, NO_BUDGET_TEXT, ItemRow, progress_cell
from lev_desktop.thai_format import arabic_digits, format_number, parse_number
from ui.models.table import CellError, Column, EditableTableModel

PLAN_COLUMNS = [
    Column("seq", N_("No."), "seq", 44),
    Column("project", N_("Project"), "text", 210),
    Column("objective", N_("Objective"), "text", 200),
    Column("target", N_("Target (project outputs)"), "text", 200),
    Column("location", N_("Location"), "text", 140),
    Column("budget", N_("Budget (baht)"), "budget", 105),
    Column("kpi", N_("Indicator (KPI)"), "text", 180),
    Column("expected_result", N_("Expected result"), "text", 190),
    Column("planned_activities", N_("Planned activities"), "int", 75),
    Column("progress", N_("Done / planned"), "readonly", 65),
]

NO_BUDGET_WORDS = ("ไม่ใช้งบประมาณ", "ไม่ใช้งบ", "-", "–", "no budget", "ไม่มี")


def budget_display(row: ItemRow) -> str:
    """ "12,500.00" or "ไม่ใช้งบประมาณ" (the column header says บาท)."""
    if row.no_budget:
        return NO_BUDGET_TEXT
    return "" if row.budget is None else format_number(row.budget, 2)


def parse_budget(text: Any) -> dict[str, Any]:
    if isinstance(text, Decimal):
        return {"budget": text.quantize(Decimal("0.01")), "no_budget": False}
    raw = str(text or "").strip()
    if raw.lower() in NO_BUDGET_WORDS:
        return {"budget": None, "no_budget": True}
    if not raw:
        return {"budget": None, "no_budget": False}
    problems = validate_plan_item({"budget": raw, "no_budget": False}, final=False)
    if problems:
        raise CellError(problems[0].message)
    value = parse_number(raw)
    assert value is not None
    return {"budget": value.quantize(Decimal("0.01")), "no_budget": False}


class PlanItemsModel(EditableTableModel):
    columns = PLAN_COLUMNS
    row_fields = ITEM_FIELDS

    def __init__(self, parent=None):
        super().__init__(parent)
        self.renumber = True

    def display(self, row: ItemRow, column: Column, position: int) -> str:
        if column.key == "seq":
            return str(position + 1)
        if column.key == "budget":
            return budget_display(row)
        if column.key == "progress":
            return progress_cell(row)
        if column.key == "planned_activities":
            return str(row.planned_activities)
        return getattr(row, column.key) or ""

    def edit_value(self, row: ItemRow, column: Column) -> Any:
        if column.key == "budget":
            return budget_display(row)
        return self.display(row, column, 0)

    def parse(self, row: ItemRow, column: Column, value: Any) -> dict[str, Any]:
        if column.key == "budget":
            return parse_budget(value)
        if column.key == "planned_activities":
            text = arabic_digits(str(value or "")).strip() or "0"
            problems = validate_plan_item({"planned_activities": text}, final=False)
            if problems:
                raise CellError(problems[0].message)
            return {"planned_activities": int(Decimal(text))}
        text = "" if value is None else str(value)
        return {column.key: text.strip("\n")}

    def tooltip(self, row: ItemRow, column: Column) -> str | None:
        if column.key == "progress":
            return _("{done} of {planned} planned activities held").format(
                done=row.done, planned=row.planned_activities
            )
        # a row is never taller than its share of the table (ui.widgets.fit.row_cap): the
        # whole text of a cut cell is here
        return None if column.key == "seq" else self.display(row, column, 0) or None

    def after_fields(self, row: ItemRow, values: dict[str, Any]) -> None:
        if row.no_budget:
            row.budget = None

    def new_row(self) -> ItemRow:
        return ItemRow(seq=len(self.rows) + 1, planned_activities=1)
