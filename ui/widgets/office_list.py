"""For a district or province: the LAOs under it with the states of their F1/F2/F3 (the one
obligation-state model); pick one to read."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lev_desktop.i18n import _
from lev_desktop.services import plans as plan_service
from lev_desktop.services.offices import subordinate_laos
from ui.context import AppContext
from ui.models.office_model import SEARCH_ROLE, OfficeStatusModel
from ui.widgets.delegates import DigitsDelegate
from ui.widgets.eliding_combo import ElidingComboBox


def load_overview(
    ctx: AppContext, programme_id: str, fiscal_year: int
) -> list[plan_service.OfficeStatusRow]:
    """Worker side: the LAOs under this office and their statuses."""
    laos = subordinate_laos(ctx.store)
    return plan_service.offices_overview(ctx.store, laos, programme_id, fiscal_year)


class OfficeList(QWidget):
    office_selected = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        forms: tuple[str, ...] = ("F1", "F2", "F3"),
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_("Local administrative organisations"))
        title.setStyleSheet("font-weight: bold;")
        layout.addWidget(title)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search offices…"))
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.model = OfficeStatusModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setItemDelegate(DigitsDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Fixed row heights and column widths: a province lists 200 LAOs, and measuring every
        # cell's text (ResizeToContents, word wrap) made the list take 1.6 s to appear.
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 12)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        from lev_desktop.domain.obligation_state import OWN_ONLY, State

        # every state an LAO's obligation takes, seen from this office above it
        widest = max(
            self.fontMetrics().horizontalAdvance(state.label)
            for state in State
            if state not in OWN_ONLY
        )
        for column in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, widest + 16)
        self.show_forms(forms)
        self.table.setColumnHidden(4, True)
        self.table.setColumnHidden(5, True)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        layout.addWidget(self.table)
        self._selected: str | None = None
        self.title = title
        # On a narrow window the list gives its width to the table of the chosen LAO's form
        # and this drop-down (placed by the screen in its top bar) picks the LAO instead.
        self.combo = ElidingComboBox(self)  # (the screen moves it into its top bar)
        self.combo.setModel(self.proxy)
        self.combo.setModelColumn(0)
        self.combo.setAccessibleName(_("Local administrative organisation"))
        self.combo.setToolTip(_("The LAO whose form is shown"))
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(16)
        self.combo.hide()
        self.combo.activated.connect(self._combo_chosen)
        self.compact = False

    def set_compact(self, compact: bool) -> None:
        """The drop-down instead of the list (the screen decides by its width)."""
        self.compact = compact
        self.setVisible(not compact and self.property("wanted") is not False)
        self.combo.setVisible(compact and self.property("wanted") is not False)

    def set_wanted(self, wanted: bool) -> None:
        """Shown at all (a district or province), in the form the width allows."""
        self.setProperty("wanted", wanted)
        self.set_compact(self.compact)

    def _combo_chosen(self, row: int) -> None:
        index = self.proxy.index(row, 0)
        code = index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None
        if code:
            self.select(code)

    def show_forms(self, forms: tuple[str, ...]) -> None:
        """Which status columns to show (one fits beside the office names at 1366 px)."""
        for column, form in enumerate(("F1", "F2", "F3"), start=1):
            self.table.setColumnHidden(column, form not in forms)

    def load(self, programme_id: str, fiscal_year: int) -> None:
        self.ctx.runner.run(
            lambda _p: load_overview(self.ctx, programme_id, fiscal_year),
            on_success=self._loaded,
            owner=self,
        )

    def _loaded(self, rows: list[plan_service.OfficeStatusRow]) -> None:
        keep = self._selected
        self.model.set_rows(rows)
        codes = [r.code for r in rows]
        if keep in codes:
            self.select(keep)
        elif codes:
            self.select(codes[0])

    def select(self, code: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(Qt.ItemDataRole.UserRole) == code:
                self.table.setCurrentIndex(index)
                self.table.selectRow(row)
                self.combo.setCurrentIndex(row)
                if self._selected != code:
                    self._selected = code
                    self.office_selected.emit(code)
                return
        # not listed yet (the list is read after the screen is shown): chosen when it is
        self._selected = code

    def selected(self) -> str | None:
        return self._selected

    def _current_changed(self, current, _previous) -> None:
        code = current.data(Qt.ItemDataRole.UserRole) if current.isValid() else None
        if current.isValid():
            self.combo.setCurrentIndex(current.row())
        if code and code != self._selected:
            self._selected = code
            self.office_selected.emit(code)
