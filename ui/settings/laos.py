"""The LAOs of a district or provincial office: list, add, edit, import from Excel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lev_desktop import gazetteer
from lev_desktop.changes import Changes
from lev_desktop.domain.offices import LaoType, lao_code_problem, normalise_office_code
from lev_desktop.i18n import _, ngettext
from ui import digits
from ui.context import AppContext
from ui.settings.common import fit_columns, inform, make_table, save_cancel, warn
from ui.settings.models import LaoPreviewModel, LaoTableModel
from ui.setup_wizard import LAO_TYPE_CHOICES
from ui.status_palette import REFUSED
from ui.widgets import file_dialogs
from ui.widgets.fit import fit_to_screen


class LaoDialog(QDialog):
    """Add or edit one LAO."""

    def __init__(
        self,
        province_code: str | None,
        office=None,
        parent: QWidget | None = None,
        taken: dict[str, str] | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(_("Edit LAO") if office is not None else _("Add an LAO"))
        self.province_code = province_code
        self.taken = taken or {}  # code → name of the offices this database knows
        form = QFormLayout(self)
        self.name = QLineEdit(office.name if office is not None else "")
        self.name.setMinimumWidth(380)
        form.addRow(_("Name of the LAO"), self.name)
        self.lao_type = QComboBox()
        for value, label in LAO_TYPE_CHOICES:
            self.lao_type.addItem(label, value.value)
        self.lao_type.setCurrentIndex(
            self.lao_type.findData(
                office.lao_type if office is not None and office.lao_type else LaoType.SAO.value
            )
        )
        form.addRow(_("Type of the LAO"), self.lao_type)
        self.district = QComboBox()
        for district in gazetteer.districts(province_code) if province_code else ():
            self.district.addItem(district.name_th, district.code)
        if office is not None and office.district_code:
            self.district.setCurrentIndex(self.district.findData(office.district_code))
        form.addRow(_("District"), self.district)
        # The LAO's own official code (รหัส อปท.): the one its packages carry. The program never
        # numbers LAOs itself: a made-up "<district>001" was another LAO's code elsewhere.
        self.code = QLineEdit(office.code if office is not None else "")
        self.code.setReadOnly(office is not None)
        self.code.setPlaceholderText(_("e.g. 5480101"))
        self.code.setToolTip(
            _(
                "The 7-digit code the Department of Local Administration gives the LAO "
                "(รหัส อปท.), as in its central LAO information system (info.dla.go.th)"
            )
        )
        form.addRow(_("LAO code (7 digits)"), self.code)
        form.addRow(save_cancel(self, self._check))
        self.message = QLabel()
        self.message.setStyleSheet(f"color: {REFUSED};")
        form.addRow(self.message)

    def _check(self) -> None:
        if not self.name.text().strip():
            self.message.setText(_("Please enter the name of the LAO."))
            return
        if not self.code.isReadOnly():
            code = normalise_office_code(self.code.text())
            problem = lao_code_problem(self.code.text())
            if problem is None and code in self.taken:
                problem = _("Code {code} already belongs to {name}: please check the code").format(
                    code=code, name=self.taken[code]
                )
            if problem:
                # the typed code stays, in red, with the reason (the one editing behaviour)
                self.code.setStyleSheet("QLineEdit { border: 2px solid #c62828; }")
                self.code.setToolTip(problem)
                self.message.setText(problem)
                self.code.setFocus()
                return
            self.code.setText(code)
        if self.district.currentData() is None and self.lao_type.currentData() != LaoType.PAO.value:
            self.message.setText(_("Please choose the district."))
            return
        self.accept()

    def values(self) -> dict:
        return {
            "code": self.code.text().strip(),
            "name": " ".join(self.name.text().split()),
            "lao_type": self.lao_type.currentData(),
            "district_code": self.district.currentData(),
            "province_code": self.province_code,
        }


class ImportPreviewDialog(QDialog):
    """What the spreadsheet holds, row by row, before anything is written."""

    def __init__(self, preview, file_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(_("Import LAOs from {name}").format(name=file_name))
        fit_to_screen(self, 980, 560)
        layout = QVBoxLayout(self)
        good, bad = len(preview.good_rows), len(preview.problem_rows)
        summary = _('Sheet "{sheet}": {total} rows; {good} can be imported').format(
            sheet=preview.sheet, total=len(preview.rows), good=good
        )
        if bad:
            summary += " · " + _(
                "{bad} rows have problems and will be skipped (shown in red)"
            ).format(bad=bad)
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = LaoPreviewModel(preview.rows, self, existing_codes=preview.existing_codes)
        self.table = make_table(self.model, self)
        self.table.verticalHeader().hide()  # the sheet's own line numbers are the first column
        self.table.setWordWrap(True)
        fit_columns(self.table, stretch=5)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        hint = QLabel(
            _(
                "An LAO already in the list (same name and district) is updated, not "
                "added twice. Nothing is written until you press Import."
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        layout.addWidget(hint)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton(
            ngettext("Import {count} LAO", "Import {count} LAOs", good).format(count=good),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.import_button.setEnabled(good > 0)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class LaoTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.office = None
        self.preview_dialog: ImportPreviewDialog | None = None
        self.last_message = ""
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.add_button = QPushButton(_("Add an LAO…"))
        self.edit_button = QPushButton(_("Edit…"))
        self.import_button = QPushButton(_("Import from Excel (.xlsx)…"))
        for button in (self.add_button, self.edit_button, self.import_button):
            bar.addWidget(button)
        bar.addStretch(1)
        self.count_label = QLabel()
        bar.addWidget(self.count_label)
        layout.addLayout(bar)
        self.model = LaoTableModel([], self)
        self.table = make_table(self.model, self)
        layout.addWidget(self.table, 1)
        self.empty = QLabel(
            _(
                "No LAOs yet. Add them one by one, or import the list from an Excel "
                "file with the columns ชื่อ อปท., ประเภท and อำเภอ."
            )
        )
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.add_button.clicked.connect(self.add_lao)
        self.edit_button.clicked.connect(self.edit_lao)
        self.table.doubleClicked.connect(lambda _index: self.edit_lao())
        self.import_button.clicked.connect(self.choose_file)

    # ---- loading ---------------------------------------------------------------------
    def refresh(self) -> None:
        from lev_desktop.services.offices import area_laos, this_office

        store = self.ctx.store
        self.ctx.runner.run(
            lambda _p: (this_office(store), area_laos(store)), on_success=self._loaded, owner=self
        )

    def _loaded(self, result) -> None:
        self.office, laos = result
        self.model.set_rows(sorted(laos, key=lambda o: o.code))
        fit_columns(self.table, stretch=1)
        self.count_label.setText(
            digits.shown(ngettext("{count} LAO", "{count} LAOs", len(laos)).format(count=len(laos)))
        )
        self.empty.setVisible(not laos)

    def province_code(self) -> str | None:
        return self.office.province_code if self.office is not None else None

    # ---- add / edit ------------------------------------------------------------------
    def add_lao(self) -> None:
        taken = {o.code: o.name for o in self.model.rows}
        dialog = LaoDialog(self.province_code(), None, self, taken=taken)
        dialog.accepted.connect(lambda: self.save_lao(dialog.values()))
        dialog.open()
        self.dialog = dialog

    def edit_lao(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            inform(self, _("Edit LAO"), _("Choose an LAO in the list first."))
            return
        office = self.model.row_object(rows[0].row())
        dialog = LaoDialog(self.province_code(), office, self)
        dialog.accepted.connect(lambda: self.save_lao(dialog.values()))
        dialog.open()
        self.dialog = dialog

    def save_lao(self, values: dict) -> None:
        from lev_desktop.deadlines.engine import today as engine_today
        from lev_desktop.services.offices import add_laos

        store = self.ctx.store

        def work(_progress):
            return add_laos(store, [values], since=engine_today())

        self.ctx.runner.run(work, on_success=lambda _n: self._changed(), owner=self)

    def _changed(self) -> None:
        self.ctx.notify(Changes(offices=True), source=self)
        self.refresh()

    # ---- import ----------------------------------------------------------------------
    def choose_file(self) -> None:
        path = file_dialogs.open_file(
            self,
            _("Choose the Excel file of the LAO list"),
            _("Excel workbook (*.xlsx)"),
            purpose="lao-list",
            ctx=self.ctx,
        )
        if path:
            self.start_import(path)

    def start_import(self, path: str) -> None:
        from pathlib import Path

        from exports.xlsx.lao_list import read_lao_list
        from lev_desktop.services.offices import list_offices

        store = self.ctx.store
        province = self.province_code()

        def work(_progress):
            existing = [(o.code, o.name, o.district_code) for o in list_offices(store)]
            return read_lao_list(path, province_code=province, existing=existing)

        self.ctx.runner.run(
            work,
            label=_("Reading the Excel file…"),
            owner=self,
            on_success=lambda preview: self._show_preview(preview, Path(path).name),
            on_failure=self._import_failed,
            kind="io",
        )

    def _import_failed(self, exc: BaseException) -> None:
        from exports.xlsx.lao_list import LaoListError
        from lev_desktop.errors import describe_error

        message: str | None
        if isinstance(exc, LaoListError):
            message = str(exc)
        else:
            message = describe_error(exc)
            if message is None:
                import traceback

                from ui.crash import show_bug

                show_bug(exc, "".join(traceback.format_exception(exc)), self)
                return
        self.last_message = message
        warn(self, _("Cannot import the LAO list"), message)

    def _show_preview(self, preview, file_name: str) -> None:
        dialog = ImportPreviewDialog(preview, file_name, self)
        dialog.accepted.connect(lambda: self.apply_preview(preview))
        self.preview_dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()

    def apply_preview(self, preview) -> None:
        from lev_desktop.deadlines.engine import today as engine_today
        from lev_desktop.services.offices import add_laos

        store = self.ctx.store
        rows = preview.as_service_rows()
        self.ctx.runner.run(
            lambda _p: add_laos(store, rows, since=engine_today()),
            label=_("Importing the LAOs…"),
            owner=self,
            on_success=self._imported,
        )

    def _imported(self, count: int) -> None:
        self.last_message = ngettext(
            "{count} LAO imported.", "{count} LAOs imported.", count
        ).format(count=count)
        self._changed()
