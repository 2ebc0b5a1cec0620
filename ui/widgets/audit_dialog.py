"""The change history of records (who, what, when, old → new), read from the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lev_desktop.domain.form_status import status_label
from lev_desktop.domain.validation import FIELD_LABELS
from lev_desktop.i18n import N_, _, ngettext
from lev_desktop.services import plans as plan_service
from lev_desktop.services.plans import AuditRow
from lev_desktop.thai_format import format_date, format_datetime, format_number
from ui.context import AppContext
from ui.models.table import Column, TableModel
from ui.widgets.delegates import DigitsDelegate
from ui.widgets.fit import fit_to_screen

ACTION_LABELS = {
    "insert": N_("Added"),
    "update": N_("Changed"),
    "delete": N_("Removed"),
    "import": N_("Imported"),
}
HIDDEN_FIELDS = {
    "plan_id",
    "programme_id",
    "fiscal_year",
    "plan_item_id",
    "completed_at",
    "sent_at",
    "period",
    "form_code",
}


def value_text(key: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or key in ("deleted", "no_budget"):
        return _("Yes") if value else _("No")
    if key == "status":  # a plan's or a form's: "ฉบับร่าง", never the stored "draft"
        return status_label(str(value))
    if key.endswith("_on") or key == "held_until":
        try:
            return format_date(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if key in ("budget", "budget_spent"):
        try:
            return format_number(Decimal(str(value)), 2)
        except InvalidOperation:
            return str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


class AuditModel(TableModel):
    columns = (
        Column("at", N_("Changed at"), "readonly", value=lambda row: format_datetime(row.at)),
        Column("by", N_("Changed by"), "readonly", value=lambda row: row.officer or row.office),
        Column(
            "action",
            N_("Change"),
            "readonly",
            value=lambda row: _(ACTION_LABELS.get(row.action, row.action)),
        ),
        Column(
            "field",
            N_("Field"),
            "readonly",
            value=lambda row: (
                _(FIELD_LABELS[row.field]) if row.field in FIELD_LABELS else row.field
            ),
        ),
        Column("old", N_("Before"), "readonly", value=lambda row: value_text(row.field, row.old)),
        Column("new", N_("After"), "readonly", value=lambda row: value_text(row.field, row.new)),
    )

    def __init__(self, rows: list[AuditRow] | None = None, parent=None):
        super().__init__(parent)
        self.set_rows(rows or [])

    def set_rows(self, rows: Sequence[AuditRow]) -> None:
        super().set_rows([r for r in rows if r.field not in HIDDEN_FIELDS])

    def row_key(self, row: AuditRow) -> Any:
        return id(row)

    def tooltip(self, row: AuditRow, column: Column) -> str | None:
        return self.display(row, column, 0)


class AuditDialog(QDialog):
    """Loads the history in a worker and shows it; ``record_ids`` of one row or a whole form."""

    def __init__(
        self, ctx: AppContext, record_ids: list[str], title: str, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle(_("Change history"))
        fit_to_screen(self, 900, 480)
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.model = AuditModel(parent=self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setItemDelegate(DigitsDelegate(self.table))
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the values before and after share what the other columns leave (all six were 885 px
        # wide in a dialog of 900 or less: "After" cut, a sideways scroll bar)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate([150, 130, 70, 150]):
            self.table.setColumnWidth(column, width)
        for column in (4, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self.empty = QLabel(_("Loading…"))
        layout.addWidget(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        ctx.runner.run(
            lambda _p: plan_service.audit_history(ctx.store, record_ids),
            on_success=self._loaded,
            owner=self,
        )

    def _loaded(self, rows: list[AuditRow]) -> None:
        self.model.set_rows(rows)
        self.empty.setText(
            _("No changes recorded yet.")
            if not self.model.rows
            else ngettext("{count} change", "{count} changes", len(self.model.rows)).format(
                count=len(self.model.rows)
            )
        )
