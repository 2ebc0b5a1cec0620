"""First start: which office this workstation belongs to.

Three pages: the level (LAO, district, province, Department), the place (province and
district from the gazetteer; for an LAO also its name and type), and the office itself, the
officer's name and "start with demo data". Finishing runs ``services.offices.initialise`` (and
the demo filler) on the worker thread.

The office's code identifies it in every package it sends, so it must be its own: an LAO types
its official 7-digit DLA code (รหัส อปท.), explained on the page and checked for its shape, or
picks itself from the district's LAO list (Excel), which is then the reference; nothing is
proposed for an LAO (a proposal such as "<district>001" made two LAOs of one district collide).
District and provincial offices get the program's codes D + district code and P + province
code, shown with the office's Thai name, as is the office reports go to.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from exports.xlsx.lao_list import read_lao_list
from lev_desktop import gazetteer, routing
from lev_desktop.domain.offices import LaoType, Level, lao_code_problem, normalise_office_code
from lev_desktop.domain.validation import office_identity_problem
from lev_desktop.i18n import N_, _
from lev_desktop.services.offices import list_offices
from ui.context import AppContext
from ui.status_palette import REFUSED
from ui.widgets import file_dialogs
from ui.widgets.fit import fit_to_screen

log = logging.getLogger(__name__)

LEVEL_CHOICES = [
    (Level.LAO, N_("A local administrative organisation (อปท.): อบต., เทศบาล or อบจ.")),
    (Level.DISTRICT, N_("A district office (สถอ.): consolidates the LAOs of one district")),
    (Level.PROVINCE, N_("A provincial office (สถจ.): consolidates the LAOs of one province")),
    (Level.NATIONAL, N_("The Department of Local Administration (สถ.)")),
]
# The LAO types an office chooses from, in the order people think of them.
LAO_TYPE_CHOICES = [
    (LaoType.PAO, "อบจ."),
    (LaoType.CITY, "เทศบาลนคร"),
    (LaoType.TOWN, "เทศบาลเมือง"),
    (LaoType.SUBDISTRICT, "เทศบาลตำบล"),
    (LaoType.SAO, "อบต."),
]
NATIONAL_CODE = routing.NATIONAL_CODE
proposed_office = routing.proposed_office  # the routing rules live in the core


def office_label(code: str | None) -> str:
    """ "D4801 — สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองนครพนม": a code always with its name."""
    if not code:
        return ""
    if code == NATIONAL_CODE:
        name = "กรมส่งเสริมการปกครองท้องถิ่น"
    elif code.startswith("D") and gazetteer.district(code[1:]) is not None:
        name = "สำนักงานส่งเสริมการปกครองท้องถิ่น" + gazetteer.district_label(code[1:])
    elif code.startswith("P") and (province := gazetteer.province(code[1:])) is not None:
        name = f"สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด{province.name_th}"
    else:
        return code
    return f"{code} — {name}"


class LevelPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(_("Welcome to LEV Desktop"))
        self.setSubTitle(
            _(
                "First, tell the program which office works on this computer. "
                "This is asked only once."
            )
        )
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("This office is:")))
        self.group = QButtonGroup(self)
        self.buttons: dict[Level, QRadioButton] = {}
        for index, (level, label) in enumerate(LEVEL_CHOICES):
            button = QRadioButton(_(label))
            self.group.addButton(button, index)
            self.buttons[level] = button
            layout.addWidget(button)
        self.buttons[Level.LAO].setChecked(True)
        layout.addStretch(1)

    def level(self) -> Level:
        return LEVEL_CHOICES[max(self.group.checkedId(), 0)][0]

    def nextId(self) -> int:
        return SetupWizard.OFFICE if self.level() == Level.NATIONAL else SetupWizard.PLACE


class PlacePage(QWizardPage):
    def __init__(self, wizard: SetupWizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("Where is the office?"))
        self.setSubTitle(_("Province and district come from the official list (GeoThai)."))
        form = QFormLayout(self)
        self.province = QComboBox()
        self.province.addItem(_("— choose a province —"), None)
        for province in gazetteer.provinces():
            self.province.addItem(province.name_th, province.code)
        self.province.setEditable(False)
        form.addRow(_("Province"), self.province)
        self.district = QComboBox()
        self.district_label = QLabel(_("District"))
        form.addRow(self.district_label, self.district)
        self.lao_name = QLineEdit()
        self.lao_name.setPlaceholderText(_("e.g. องค์การบริหารส่วนตำบลหนองแสง"))
        self.lao_name_label = QLabel(_("Name of the LAO"))
        form.addRow(self.lao_name_label, self.lao_name)
        self.lao_type = QComboBox()
        for value, label in LAO_TYPE_CHOICES:
            self.lao_type.addItem(label, value)
        self.lao_type.setCurrentIndex(len(LAO_TYPE_CHOICES) - 1)
        self.lao_type_label = QLabel(_("Type of the LAO"))
        form.addRow(self.lao_type_label, self.lao_type)
        self.route = QLabel()
        self.route.setWordWrap(True)
        self.route.setObjectName("hint")
        form.addRow(self.route)
        self.province.currentIndexChanged.connect(self._province_changed)
        self.province.currentIndexChanged.connect(self.completeChanged)
        self.district.currentIndexChanged.connect(self.completeChanged)
        self.lao_name.textChanged.connect(self.completeChanged)
        self.lao_type.currentIndexChanged.connect(self._show_route)
        self.lao_type.currentIndexChanged.connect(self.completeChanged)

    def initializePage(self) -> None:
        level = self._wizard.level()
        needs_district = level in (Level.LAO, Level.DISTRICT)
        for district_widget in (self.district, self.district_label):
            district_widget.setVisible(needs_district)
        is_lao = level == Level.LAO
        for widget in (
            self.lao_name,
            self.lao_name_label,
            self.lao_type,
            self.lao_type_label,
            self.route,
        ):
            widget.setVisible(is_lao)
        self._show_route()

    def _province_changed(self) -> None:
        self.district.clear()
        code = self.province.currentData()
        if not code:
            return
        self.district.addItem(_("— choose a district —"), None)
        for district in gazetteer.districts(code):
            self.district.addItem(district.name_th, district.code)

    def _show_route(self) -> None:
        lao_type = self.lao_type.currentData()
        if lao_type is None:
            return
        if LaoType(lao_type).reports_via_district:
            self.route.setText(_("This type of LAO sends its reports through the district office."))
        else:
            self.route.setText(_("This type of LAO sends its reports straight to the province."))

    def isComplete(self) -> bool:
        level = self._wizard.level()
        if not self.province.currentData():
            return False
        is_pao = level == Level.LAO and self.lao_type.currentData() == LaoType.PAO
        if level in (Level.LAO, Level.DISTRICT) and not is_pao and not self.district.currentData():
            return False  # an อบจ. covers the whole province: its district is optional
        return not (level == Level.LAO and not self.lao_name.text().strip())

    def set_place(self, province_code: str, district_code: str | None = None) -> None:
        """Chooses a province and district (tests, and people who know the codes)."""
        self.province.setCurrentIndex(self.province.findData(province_code))
        if district_code:
            self.district.setCurrentIndex(self.district.findData(district_code))


class OfficePage(QWizardPage):
    def __init__(self, wizard: SetupWizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("This office"))
        self.setSubTitle(
            _(
                "The code identifies the office in every package it sends, so it must be its "
                "own and the same every year."
            )
        )
        form = QFormLayout(self)
        self.code = QLineEdit()
        self.code.setMaxLength(12)
        self.code_label = QLabel(_("Office code"))
        code_row = QHBoxLayout()
        code_row.addWidget(self.code, 1)
        self.from_list = QPushButton(_("Choose from the district's LAO list (Excel)…"))
        self.from_list.clicked.connect(self.choose_list)
        code_row.addWidget(self.from_list)
        form.addRow(self.code_label, code_row)
        self.code_help = QLabel()
        self.code_help.setWordWrap(True)
        self.code_help.setObjectName("hint")
        form.addRow(self.code_help)
        self.code_problem = QLabel()
        self.code_problem.setWordWrap(True)
        self.code_problem.setStyleSheet(f"color: {REFUSED};")
        form.addRow(self.code_problem)
        self.name = QLineEdit()
        form.addRow(_("Office name"), self.name)
        self.parent_code = QLineEdit()
        self.parent_code.setReadOnly(True)
        self.parent_code.hide()  # the code; shown below with the office's name
        self.parent_label = QLabel()
        self.parent_label.setWordWrap(True)
        self.parent_label.setToolTip(_("The office this one sends its reports to"))
        form.addRow(_("Reports to"), self.parent_label)
        self.officer = QLineEdit()
        self.officer.setPlaceholderText(_("e.g. นางสาวสมใจ ใจดี"))
        form.addRow(_("Your name (officer)"), self.officer)
        self.demo = QCheckBox(
            _(
                "Start with demo data (to try the program; it can be used for "
                "practice and is marked as demo)"
            )
        )
        form.addRow(self.demo)
        hint = QLabel(_("The officer's name is written in the change log of every record."))
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        form.addRow(hint)
        self.code.textChanged.connect(self._check_code)
        self.code.textChanged.connect(self.completeChanged)
        self.name.textChanged.connect(self.completeChanged)
        self.parent_code.textChanged.connect(
            lambda text: self.parent_label.setText(office_label(text))
        )
        self._proposed_for: tuple | None = None
        # The district's LAO list, once chosen: code → (name, LAO type). The reference.
        self.reference: dict[str, tuple[str, str]] = {}
        self.taken: dict[str, str] = {}  # codes this database already gives other offices

    def is_lao(self) -> bool:
        return self._wizard.level() == Level.LAO

    def initializePage(self) -> None:
        key = self._wizard.place_key()
        lao = self.is_lao()
        self.from_list.setVisible(lao)
        self.code.setReadOnly(not lao)
        if lao:
            self.code_label.setText(_("LAO code (7 digits)"))
            self.code.setPlaceholderText(_("e.g. 5480101"))
            self.code_help.setText(
                _(
                    "The 7-digit code the Department of Local Administration gives every LAO "
                    "(รหัส อปท.). It is in the DLA's central LAO information system "
                    "(info.dla.go.th) and on the district's letters; the district office "
                    "(สถอ.) can tell you, or send you its LAO list to choose from. The district "
                    "recognises your packages by it: it must be your own code, never another "
                    "office's."
                )
            )
        else:
            self.code_label.setText(_("Office code"))
            self.code.setPlaceholderText("")
            self.code_help.setText(
                _(
                    "The program's code for this office: D and the district code for a district "
                    "office (D4801), P and the province code for a provincial office (P48). "
                    "The offices above and below use the same codes."
                )
            )
        self._load_taken()
        if key == self._proposed_for:
            self._check_code()
            return
        self._proposed_for = key
        proposal = proposed_office(*key)
        self.code.setText(proposal["code"] or "")
        self.name.setText(proposal["name"] or "")
        self.parent_code.setText(proposal["parent"] or "")
        self._check_code()

    def _load_taken(self) -> None:
        store = self._wizard.ctx.store

        def done(offices) -> None:
            self.taken = {o.code: o.name for o in offices}
            self._check_code()
            self.completeChanged.emit()

        self._wizard.ctx.runner.run(lambda _p: list_offices(store), on_success=done, owner=self)

    def code_problem_text(self) -> str:
        """Why the typed code cannot be used ("" when it can)."""
        text = self.code.text().strip()
        if not self.is_lao():
            return "" if text else _("Please enter the office code")
        problem = lao_code_problem(text)
        if problem:
            return problem if text else ""
        code = normalise_office_code(text)
        name = self.name.text().strip()
        _level, province, district, lao_type, _name = self._wizard.place_key()
        if district or province:
            # the rule the district applies when it imports this office's first package
            identity = office_identity_problem(
                {
                    "code": code,
                    "level": Level.LAO.value,
                    "lao_type": lao_type.value if lao_type else None,
                    "province_code": province,
                    "district_code": district,
                }
            )
            if identity:
                return identity
        if code in self.taken and self.taken[code] != name:
            return _("Code {code} already belongs to {name}: please check the code").format(
                code=code, name=self.taken[code]
            )
        if self.reference and code not in self.reference:
            return _(
                "Code {code} is not in the district's LAO list you chose: please check it, or "
                "choose your office from the list"
            ).format(code=code)
        return ""

    def _check_code(self) -> None:
        problem = self.code_problem_text()
        self.code_problem.setText(problem)
        self.code_problem.setVisible(bool(problem))
        self.code.setStyleSheet("QLineEdit { border: 2px solid #c62828; }" if problem else "")
        self.code.setToolTip(problem)

    def isComplete(self) -> bool:
        if self.is_lao() and not self.code.text().strip():
            return False
        return bool(self.name.text().strip()) and not self.code_problem_text()

    def office_code(self) -> str:
        text = self.code.text().strip()
        return normalise_office_code(text) if self.is_lao() else text

    # ---- the district's LAO list -------------------------------------------------------------
    def choose_list(self, path: str | None = None) -> None:
        if not path:
            path = file_dialogs.open_file(
                self,
                _("The district's LAO list"),
                _("Excel workbooks (*.xlsx)"),
                purpose="lao-list",
                ctx=None,  # no database yet
            )
        if not path:
            return
        _level, province, district, _lao_type, _name = self._wizard.place_key()

        def read(_progress):
            return read_lao_list(path, province_code=province)

        def failed(exc: BaseException) -> None:
            self.code_problem.setText(str(exc))
            self.code_problem.setVisible(True)

        self._wizard.ctx.runner.run(
            read,
            label=_("Reading the LAO list…"),
            on_success=lambda preview: self._list_read(preview, district),
            on_failure=failed,
            owner=self,
        )

    def _list_read(self, preview, district: str | None) -> None:
        rows = [r for r in preview.good_rows if not district or r.district_code == district]
        rows = rows or preview.good_rows
        self.reference = {
            r.code: (r.name, r.lao_type.value if r.lao_type else "") for r in preview.good_rows
        }
        if not rows:
            self._check_code()
            return
        names = [f"{r.name} ({r.code})" for r in rows]
        typed = self._wizard.place_page.lao_name.text().strip()
        start = next((i for i, r in enumerate(rows) if r.name == typed), 0)
        self.chooser = QInputDialog(self)
        self.chooser.setWindowTitle(_("The district's LAO list"))
        self.chooser.setLabelText(_("Choose this office:"))
        self.chooser.setComboBoxItems(names)
        self.chooser.setTextValue(names[start])
        self.chooser.setOkButtonText(_("Choose"))
        self.chooser.setCancelButtonText(_("Cancel"))
        self.chooser.textValueSelected.connect(lambda text: self._chosen(rows[names.index(text)]))
        self.chooser.open()

    def _chosen(self, row) -> None:
        self.name.setText(row.name)
        self.code.setText(row.code)
        if row.lao_type is not None:
            page = self._wizard.place_page
            page.lao_type.setCurrentIndex(page.lao_type.findData(row.lao_type))
            page.lao_name.setText(row.name)
            self._proposed_for = self._wizard.place_key()
            self.parent_code.setText(proposed_office(*self._proposed_for)["parent"] or "")
        self._check_code()
        self.completeChanged.emit()


class SetupWizard(QWizard):
    LEVEL, PLACE, OFFICE = range(3)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Set up LEV Desktop"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.level_page = LevelPage()
        self.place_page = PlacePage(self)
        self.office_page = OfficePage(self)
        self.setPage(self.LEVEL, self.level_page)
        self.setPage(self.PLACE, self.place_page)
        self.setPage(self.OFFICE, self.office_page)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Start using LEV Desktop"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        fit_to_screen(self, 760, 520)
        self.busy = False
        self.result_office = None
        # A reinstalled office brings its data back instead of starting empty (ui.reinstall).
        self.recover_button = QPushButton(
            _("This office's computer was lost or reinstalled: recover its data…")
        )
        self.recover_button.clicked.connect(self.recover)
        layout = self.level_page.layout()
        assert layout is not None
        layout.addWidget(self.recover_button)

    def recover(self) -> None:
        """A recovery package from the office above, or a backup of this office's database."""

        from ui.reinstall import RecoverDialog

        path = file_dialogs.open_file(
            self,
            _("Choose a recovery package or a backup"),
            _("Recovery packages and backups (*.levrecovery *.db)"),
            purpose="backup-restore",
            ctx=None,  # no database yet
        )
        if not path:
            return
        if path.lower().endswith(".db"):
            self.ctx.restore_requested.emit(Path(path))
            return
        dialog = RecoverDialog(self.ctx, Path(path), self)
        self.recover_dialog = dialog
        dialog.recovered.connect(self._recovered)
        dialog.open()

    def _recovered(self, office) -> None:
        self.result_office = office
        self.ctx.office_changed.emit()
        super().accept()

    def level(self) -> Level:
        return self.level_page.level()

    def place_key(self) -> tuple:
        page = self.place_page
        level = self.level()
        province = page.province.currentData() if level != Level.NATIONAL else None
        district = page.district.currentData() if level in (Level.LAO, Level.DISTRICT) else None
        lao_type = LaoType(page.lao_type.currentData()) if level == Level.LAO else None
        name = page.lao_name.text() if level == Level.LAO else ""
        return (level, province, district, lao_type, name)

    def request(self) -> dict:
        level, province, district, lao_type, _name = self.place_key()
        page = self.office_page
        return {
            "level": level.value,
            "code": page.office_code(),
            "name": page.name.text().strip(),
            "lao_type": lao_type.value if lao_type else None,
            "parent": page.parent_code.text().strip() or None,
            "province_code": province,
            "district_code": district,
            "officer": page.officer.text().strip(),
        }

    def accept(self) -> None:
        if self.busy:
            return
        from lev_desktop.deadlines.engine import today as engine_today
        from lev_desktop.services import demo
        from lev_desktop.services.offices import initialise

        store = self.ctx.store
        request = self.request()
        with_demo = self.office_page.demo.isChecked()

        def work(progress):
            # The office is followed from today; the demo data is of FY2568 and follows it
            # from the start of that year (demo.fill records that).
            since = None if with_demo else engine_today()
            office = initialise(store, **request, since=since)
            if with_demo:
                demo.fill(
                    store,
                    progress=lambda done, total: progress(
                        done,
                        total,
                        _("Creating the demo data… ({done} of {total} LAOs)").format(
                            done=done, total=total
                        ),
                    ),
                )
            return office

        self.busy = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.ctx.runner.run(
            work,
            label=_("Setting up the office…"),
            on_success=self._done,
            on_failure=self._failed,
            owner=self,
            cancellable=False,
        )

    def _done(self, office) -> None:
        self.busy = False
        self.result_office = office
        self.ctx.office_changed.emit()
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        from lev_desktop.errors import describe_error
        from lev_desktop.services.offices import SetupError

        self.busy = False
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        message: str | None
        if isinstance(exc, SetupError):
            message = str(exc)
        else:
            message = describe_error(exc)
            if message is None:
                import traceback

                from ui.crash import show_bug

                show_bug(exc, "".join(traceback.format_exception(exc)), self)
                return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Cannot set up the office"),
            message,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.show()
        self.last_message = message
