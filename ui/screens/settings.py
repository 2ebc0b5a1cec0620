"""Settings: this office and the officer, language, printing, calendar, the LAO list (district
and province offices), programmes, the incoming-letter register, and About."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lev_desktop import APP_NAME, __version__, i18n, options
from lev_desktop.changes import Changes
from lev_desktop.domain.offices import LaoType, Level
from lev_desktop.domain.validation import own_office_problems
from lev_desktop.i18n import N_, _
from ui import digits, status_palette
from ui.context import AppContext
from ui.settings.backups import BackupsTab
from ui.settings.laos import LaoTab
from ui.settings.letters import LettersTab
from ui.settings.programmes import ProgrammesTab
from ui.widgets import date_edit, file_dialogs
from ui.widgets.date_edit import BEDateEdit


def _saved_label() -> QLabel:
    label = QLabel()
    label.setObjectName("hint")
    return label


def _say(label: QLabel, text: str, *, problem: bool = False) -> None:
    """A tab's answer beside its Save button: grey when done, dark red when nothing was saved
    (status_palette.say)."""
    status_palette.say(label, text, refused=problem)


class GeneralTab(QWidget):
    """This office, the officer's name and the language."""

    def __init__(self, screen: SettingsScreen):
        super().__init__()
        self.settings_screen = screen
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        self.code = QLabel()
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(_("Office code"), self.code)
        self.level = QLabel()
        form.addRow(_("Level"), self.level)
        self.name = QLineEdit()
        self.name.setMinimumWidth(480)
        form.addRow(_("Office name"), self.name)
        self.phone = QLineEdit()
        form.addRow(_("Telephone"), self.phone)
        # Whom this office reports to: the default recipient of its packages and the office
        # whose receipt makes a report "sent" (lev_desktop.routing).
        self.reports_to = QComboBox()
        self.reports_to.setMinimumWidth(480)
        self.reports_to.setAccessibleName(_("Reports to"))
        form.addRow(_("Reports to"), self.reports_to)
        self.since = BEDateEdit()
        self.since.setMaximumWidth(220)
        self.loaded_since: dt.date | None = None  # as read from the database
        self.since.setToolTip(
            _("Obligations that fell due before this day are not applicable to this office")
        )
        form.addRow(_("Using the app since"), self.since)
        self.officer = QLineEdit()
        self.officer.setPlaceholderText(_("e.g. นางสาวสมใจ ใจดี"))
        form.addRow(_("Officer name"), self.officer)
        self.language = QComboBox()
        for code, label in i18n.LANGUAGES.items():
            self.language.addItem(label, code)
        form.addRow(_("Language"), self.language)
        note = QLabel(_("A new language is used from the next start of the program."))
        note.setObjectName("hint")
        form.addRow("", note)
        self.thai_digits = QCheckBox(_("Show Thai digits (๐ ๑ ๒ … ๙) on screen"))
        self.thai_digits.setToolTip(
            _(
                "For the whole program: dates, amounts, years and programme names. Printed "
                "documents have their own setting under Printing. Either kind of digit can be "
                "typed."
            )
        )
        form.addRow(_("Digits"), self.thai_digits)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(_("Save"))
        buttons.addWidget(self.save_button)
        self.saved = _saved_label()
        buttons.addWidget(self.saved, 1)
        form.addRow(buttons)
        self.save_button.clicked.connect(self.save)

    def load(self, office, values: dict, route=None, since=None) -> None:
        self.reports_to.clear()
        if route is not None:
            places = ([route.reports_to] if route.reports_to else []) + list(route.above)
            for place in places:
                self.reports_to.addItem(place.label, place.code)
            self.reports_to.setCurrentIndex(0 if places else -1)
        self.since.setDate(since)
        self.loaded_since = since
        if office is not None:
            self.code.setText(digits.shown(office.code))
            text = Level(office.level).label
            if office.lao_type:
                text += f" · {LaoType(office.lao_type).abbreviation}"
            self.level.setText(text)
            self.name.setText(office.name)
            self.phone.setText(office.phone or "")
        self.officer.setText(self.settings_screen.ctx.store.officer)
        self.language.setCurrentIndex(max(self.language.findData(values["language"]), 0))
        self.thai_digits.setChecked(bool(values["ui.thai_digits"]))

    def save(self) -> None:
        from lev_desktop.deadlines.engine import set_since
        from lev_desktop.services.offices import update_office

        ctx = self.settings_screen.ctx
        store = ctx.store
        code = store.office_code
        name = " ".join(self.name.text().split())
        phone = self.phone.text().strip()
        officer = " ".join(self.officer.text().split())
        language = self.language.currentData()
        parent = self.reports_to.currentData()
        since = self.since.date()
        # the day is written only when changed: a Save with nothing changed would have marked
        # the day set at setup (or from the district's list) as the officer's own
        since_changed = since != self.loaded_since
        thai = self.thai_digits.isChecked()
        if not name:
            _say(self.saved, _("Please enter the office name."), problem=True)
            return
        problems = own_office_problems(name=name, phone=phone, officer=officer)
        if problems:  # nothing saved: the office above would refuse every package
            problem = problems[0]
            _say(self.saved, problem.message, problem=True)
            {"name": self.name, "phone": self.phone, "officer": self.officer}[
                problem.field
            ].setFocus()
            return

        def work(_progress):
            if code:
                changes = {"name": name, "phone": phone}
                if parent:
                    changes["parent_code"] = parent
                update_office(store, code, **changes)
                if since_changed:
                    set_since(store, code, since, source="user")
            store.set_identity(officer=officer)
            options.save(store, {"language": language, "ui.thai_digits": thai})

        def done(_result) -> None:
            _say(self.saved, _("Saved."))
            self.loaded_since = since
            self.settings_screen.remember(self)
            self.settings_screen.values.update({"language": language, "ui.thai_digits": thai})
            window = self.window()
            if hasattr(window, "apply_digits"):
                window.apply_digits(thai)
            ctx.office_changed.emit()
            ctx.notify(Changes(offices=True))

        ctx.runner.run(work, owner=self, on_success=done)


class PrintingTab(QWidget):
    """Options the reports read: digits, signer, letterhead, Garuda image."""

    def __init__(self, screen: SettingsScreen):
        super().__init__()
        self.settings_screen = screen
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        self.thai_digits = QCheckBox(_("Use Thai digits (๐ ๑ ๒ … ๙) in printed documents"))
        form.addRow(self.thai_digits)
        self.signer_name = QLineEdit()
        self.signer_name.setMinimumWidth(420)
        self.signer_name.setPlaceholderText(_("e.g. นายสมชาย รักษ์โลก"))
        form.addRow(_("Signed by"), self.signer_name)
        self.signer_position = QLineEdit()
        self.signer_position.setPlaceholderText(_("e.g. ท้องถิ่นอำเภอเมืองนครพนม"))
        form.addRow(_("Position of the signer"), self.signer_position)
        self.letterhead = QPlainTextEdit()
        self.letterhead.setPlaceholderText(
            _("The office's address as printed at the top of letters")
        )
        self.letterhead.setFixedHeight(self.letterhead.fontMetrics().height() * 5)
        form.addRow(_("Letterhead"), self.letterhead)
        garuda = QHBoxLayout()
        self.garuda_path = QLineEdit()
        self.garuda_path.setReadOnly(True)
        self.garuda_button = QPushButton(_("Choose image…"))
        self.garuda_clear = QPushButton(_("Remove"))
        garuda.addWidget(self.garuda_path, 1)
        garuda.addWidget(self.garuda_button)
        garuda.addWidget(self.garuda_clear)
        form.addRow(_("Garuda emblem"), garuda)
        self.garuda_preview = QLabel()
        self.garuda_preview.setFixedHeight(80)
        form.addRow("", self.garuda_preview)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(_("Save"))
        buttons.addWidget(self.save_button)
        self.saved = _saved_label()
        buttons.addWidget(self.saved, 1)
        form.addRow(buttons)
        self.save_button.clicked.connect(self.save)
        self.garuda_button.clicked.connect(self.choose_garuda)
        self.garuda_clear.clicked.connect(lambda: self.set_garuda(""))

    def load(self, values: dict) -> None:
        self.thai_digits.setChecked(bool(values["print.thai_digits"]))
        self.signer_name.setText(values["print.signer_name"])
        self.signer_position.setText(values["print.signer_position"])
        self.letterhead.setPlainText(values["print.letterhead"])
        self.set_garuda(values["print.garuda_image"])

    def choose_garuda(self) -> None:
        path = file_dialogs.open_file(
            self,
            _("Choose the Garuda image"),
            _("Images (*.png *.jpg *.jpeg)"),
            purpose="garuda-image",
            ctx=getattr(self, "ctx", None),
        )
        if path:
            self.set_garuda(path)

    def set_garuda(self, path: str) -> None:
        self.garuda_path.setText(path)
        pixmap = QPixmap(path) if path else QPixmap()
        self.garuda_preview.setVisible(bool(path))
        if pixmap.isNull():
            self.garuda_preview.setText(_("The image cannot be read.") if path else "")
        else:
            self.garuda_preview.setPixmap(
                pixmap.scaledToHeight(76, Qt.TransformationMode.SmoothTransformation)
            )

    def values(self) -> dict:
        return {
            "print.thai_digits": self.thai_digits.isChecked(),
            "print.signer_name": self.signer_name.text().strip(),
            "print.signer_position": self.signer_position.text().strip(),
            "print.letterhead": self.letterhead.toPlainText().strip(),
            "print.garuda_image": self.garuda_path.text(),
        }

    def save(self) -> None:
        self.settings_screen.save_options(self.values(), self.saved)


class CalendarTab(QWidget):
    def __init__(self, screen: SettingsScreen):
        super().__init__()
        self.settings_screen = screen
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        self.week_start = QComboBox()
        self.week_start.addItem(_("Sunday"), "sun")
        self.week_start.addItem(_("Monday"), "mon")
        form.addRow(_("Weeks start on"), self.week_start)
        self.reminder_days = digits.SpinBox()
        self.reminder_days.setRange(1, 60)
        self.reminder_days.setSuffix(" " + _("days"))
        form.addRow(_("Count a deadline as due soon"), self.reminder_days)
        self.reminder_enabled = QCheckBox(
            _("At start, list what is overdue or due soon (only when there is something)")
        )
        form.addRow(self.reminder_enabled)
        hint = QLabel(
            _(
                "Deadlines this many days ahead or fewer show in amber on the home page and "
                "in the calendar, and count in the badge of the navigation pane."
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        form.addRow(hint)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(_("Save"))
        buttons.addWidget(self.save_button)
        self.saved = _saved_label()
        buttons.addWidget(self.saved, 1)
        form.addRow(buttons)
        self.save_button.clicked.connect(
            lambda: self.settings_screen.save_options(self.values(), self.saved)
        )

    def load(self, values: dict) -> None:
        self.week_start.setCurrentIndex(
            max(self.week_start.findData(values["calendar.week_start"]), 0)
        )
        self.reminder_days.setValue(int(values["reminder.days"]))
        self.reminder_enabled.setChecked(bool(values["reminder.enabled"]))

    def values(self) -> dict:
        return {
            "calendar.week_start": self.week_start.currentData(),
            "reminder.days": self.reminder_days.value(),
            "reminder.enabled": self.reminder_enabled.isChecked(),
        }


class FoldersTab(QWidget):
    """Where reports and packages are saved first (visible folders under Documents by
    default), each with "Choose…", "Default" and "Open"."""

    KINDS = (
        ("reports", N_("Reports")),
        ("packages", N_("Packages to send")),
    )

    def __init__(self, screen: SettingsScreen):
        super().__init__()
        self.settings_screen = screen
        outer = QVBoxLayout(self)
        hint = QLabel(
            _(
                "Files you send or print are saved here first, where Explorer shows them, "
                "so you can attach them to an e-mail or copy them to a USB drive. Leave a "
                "folder empty for the default under Documents."
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        outer.addWidget(hint)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        self.edits: dict[str, QLineEdit] = {}
        for kind, label in self.KINDS:
            row = QHBoxLayout()
            edit = QLineEdit()
            edit.setMinimumWidth(360)
            choose = QPushButton(_("Choose…"))
            choose.clicked.connect(lambda _c=False, k=kind: self.choose(k))
            show = QPushButton(_("Open"))
            show.clicked.connect(lambda _c=False, k=kind: self.open_folder(k))
            row.addWidget(edit, 1)
            row.addWidget(choose)
            row.addWidget(show)
            form.addRow(_(label), row)
            self.edits[kind] = edit
        buttons = QHBoxLayout()
        self.save_button = QPushButton(_("Save"))
        buttons.addWidget(self.save_button)
        self.saved = _saved_label()
        buttons.addWidget(self.saved, 1)
        form.addRow(buttons)
        self.save_button.clicked.connect(
            lambda: self.settings_screen.save_options(self.values(), self.saved)
        )

    def load(self, values: dict) -> None:
        from lev_desktop.paths import output_dir

        for kind, edit in self.edits.items():
            edit.setText(values[f"folders.{kind}"])
            edit.setPlaceholderText(str(output_dir(kind)))

    def folder(self, kind: str) -> str:
        edit = self.edits[kind]
        return edit.text().strip() or edit.placeholderText()

    def choose(self, kind: str) -> None:
        chosen = file_dialogs.choose_folder(
            self,
            _("Choose a folder"),
            purpose=f"folder-{kind}",
            ctx=getattr(self, "ctx", None),
            current=self.folder(kind),
        )
        if chosen:
            self.edits[kind].setText(chosen)

    def open_folder(self, kind: str) -> None:
        from pathlib import Path

        from ui.widgets.file_actions import open_file

        folder = Path(self.folder(kind))
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            self.saved.setText(_("The folder {folder} cannot be made.").format(folder=folder))
            return
        open_file(folder)

    def values(self) -> dict:
        return {f"folders.{kind}": edit.text().strip() for kind, edit in self.edits.items()}


class AboutTab(QWidget):
    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        title = QLabel(digits.shown(f"{APP_NAME} {__version__}"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        texts = [
            _(
                "Action plans, activities, indicators, deadlines, Thai reports and data exchange "
                "for the Local Environment Volunteer (อถล.) programmes of local government "
                "offices. Works without an internet connection."
            ),
            _(
                "Province, district and subdistrict names and codes: GeoThai, licensed under "
                "Creative Commons Attribution 4.0 (CC BY 4.0)."
            ),
            _("Font: Sarabun by Cadson Demak, SIL Open Font License 1.1."),
            _("Thai word list for line breaking: PyThaiNLP, CC0 1.0 (public domain)."),
            _("Program: MIT licence."),
        ]
        for text in texts:
            label = QLabel(digits.shown(text))
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addStretch(1)


def enter_saves(tab: QWidget, save_button: QPushButton) -> None:
    """Enter in a text box of ``tab`` presses its Save, as in a dialog: it did nothing, and
    what was typed was gone once the clerk left Settings. (A date box keeps its own Enter:
    it takes the date.)"""
    for edit in tab.findChildren(QLineEdit):
        if not isinstance(edit.parentWidget(), BEDateEdit):
            edit.returnPressed.connect(save_button.click)


def typed_boxes(tab: QWidget) -> list[QLineEdit]:
    """The text boxes of a settings tab a person types into (not a date's or a list's)."""
    return [
        edit
        for edit in tab.findChildren(QLineEdit)
        if not isinstance(edit.parentWidget(), (BEDateEdit, QComboBox)) and not edit.isReadOnly()
    ]


class SettingsScreen(QWidget):
    TAB_KEYS = (
        "general",
        "printing",
        "calendar",
        "folders",
        "laos",
        "programmes",
        "letters",
        "backups",
        "about",
    )

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.values: dict = {}
        layout = QVBoxLayout(self)
        title = QLabel(_("Settings"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.general = GeneralTab(self)
        self.printing = PrintingTab(self)
        self.calendar = CalendarTab(self)
        self.folders = FoldersTab(self)
        self.laos = LaoTab(ctx)
        self.programmes = ProgrammesTab(ctx)
        self.letters = LettersTab(ctx)
        self.backups = BackupsTab(ctx)
        self.about = AboutTab()
        self.forms = (self.general, self.printing, self.calendar, self.folders)
        for tab in self.forms:
            enter_saves(tab, tab.save_button)
        self._as_saved: dict[QLineEdit, str] = {}  # each typed box's text as read or saved
        # boxes the person typed into since (textEdited: typing only, never a setText such as
        # the Thai-digit display's)
        self._edited: set[QLineEdit] = set()
        for tab in self.forms:
            for edit in typed_boxes(tab):
                edit.textEdited.connect(lambda _text, e=edit: self._edited.add(e))
        self.pages = {
            "general": self.general,
            "printing": self.printing,
            "calendar": self.calendar,
            "folders": self.folders,
            "laos": self.laos,
            "programmes": self.programmes,
            "letters": self.letters,
            "backups": self.backups,
            "about": self.about,
        }
        labels = {
            "general": _("This office"),
            "printing": _("Printing"),
            "calendar": _("Calendar"),
            "folders": _("Folders"),
            "laos": _("LAOs in the area"),
            "programmes": _("Programmes"),
            "letters": _("Incoming letters"),
            "backups": _("Backups"),
            "about": _("About"),
        }
        for key in self.TAB_KEYS:
            page = self.pages[key]
            # forms, and the Backups tab (its list, buttons and key box need 400 px): they scroll
            # on a short screen (1366×768 at 125 %) rather than making the window taller
            if key in ("general", "printing", "calendar", "folders", "backups"):
                scroll = QScrollArea()
                scroll.setWidgetResizable(True)
                scroll.setWidget(page)
                page = scroll
            self.tabs.addTab(page, labels[key])
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())

    def tab_index(self, key: str) -> int:
        page = self.pages[key]
        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if widget is page or (isinstance(widget, QScrollArea) and widget.widget() is page):
                return index
        return -1

    def show_tab(self, key: str) -> None:
        index = self.tab_index(key)
        if index >= 0:
            self.tabs.setCurrentIndex(index)

    def refresh(self) -> None:
        from lev_desktop.deadlines.engine import get_since
        from lev_desktop.exchange.deliveries import recipient_choices
        from lev_desktop.services.offices import this_office

        store = self.ctx.store

        def load(_p):
            office = this_office(store)
            route = since = None
            if office is not None:
                _me, route = recipient_choices(store)
                since = get_since(store, office.code)
            return office, options.load_all(store), route, since

        self.ctx.runner.run(load, on_success=self._loaded, owner=self)
        self._refresh_current()

    def _loaded(self, result) -> None:
        office, self.values, route, since = result
        self.office = office
        self.general.load(office, self.values, route, since)
        self.printing.load(self.values)
        self.calendar.load(self.values)
        self.folders.load(self.values)
        for tab in self.forms:
            self.remember(tab)
        has_laos = office is not None and office.level in (
            Level.DISTRICT,
            Level.PROVINCE,
            Level.NATIONAL,
        )
        self.tabs.setTabVisible(self.tab_index("laos"), has_laos)

    def _refresh_current(self) -> None:
        widget = self.tabs.currentWidget()
        page = widget.widget() if isinstance(widget, QScrollArea) else widget
        if page is not None and hasattr(page, "refresh"):
            page.refresh()

    def open_item(self, arg: object) -> None:
        """``"about"``, ``"laos"``, ``"letters"``… shows that tab; a programme code shows it."""
        if isinstance(arg, str) and arg in self.pages:
            self.show_tab(arg)
        elif isinstance(arg, str):
            self.show_tab("programmes")
            self.programmes.open_code(arg)

    def save_options(self, values: dict, saved_label: QLabel) -> None:
        store = self.ctx.store

        def done(_result) -> None:
            self.values.update(values)
            if "calendar.week_start" in values:
                date_edit.set_week_start(values["calendar.week_start"] == "mon")
            saved_label.setText(_("Saved."))
            for tab in self.forms:
                if tab.isAncestorOf(saved_label):
                    self.remember(tab)
            self.ctx.notify(Changes(settings=True), source=self)

        self.ctx.runner.run(lambda _p: options.save(store, values), owner=self, on_success=done)

    # ---- typed, not saved (fit15: leaving Settings lost them without a word) ---------------
    def remember(self, tab: QWidget) -> None:
        """``tab``'s typed boxes as they are now: read from the database, or just saved."""
        for edit in typed_boxes(tab):
            self._as_saved[edit] = edit.text()
            self._edited.discard(edit)

    def unsaved(self) -> list[tuple[QWidget, QLineEdit]]:
        """(tab, box) of each box whose text was typed and not saved."""
        return [
            (tab, edit)
            for tab in self.forms
            for edit in typed_boxes(tab)
            if edit in self._edited and edit.text() != self._as_saved.get(edit)
        ]

    def may_leave(self) -> bool:
        """Asks before what was typed and not saved is dropped; True = leave. "Go back" (the
        default, Enter and Esc) shows the first such box with the cursor in it."""
        changed = self.unsaved()
        if not changed:
            return True
        lines = []
        for tab, edit in changed:
            labels = [form.labelForField(edit) for form in tab.findChildren(QFormLayout)]
            label = next((w for w in labels if isinstance(w, QLabel)), None)
            field = label.text() if label is not None else edit.placeholderText()
            page = self.tabs.tabText(self.tab_index(self._key_of(tab)))
            lines.append(f"• {page} › {field}")
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Settings not saved"))
        box.setText(_("What you typed here has not been saved:"))
        box.setInformativeText(
            "\n".join(lines) + "\n\n" + _("Leave anyway? What you typed will be lost.")
        )
        back = box.addButton(_("Go back and save"), QMessageBox.ButtonRole.RejectRole)
        leave = box.addButton(_("Leave without saving"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        box.exec()
        if box.clickedButton() is leave:
            for _tab, edit in changed:
                edit.setText(self._as_saved[edit])  # as saved: the next visit shows the truth
                self._edited.discard(edit)
            return True
        tab, edit = changed[0]
        self.show_tab(self._key_of(tab))
        edit.setFocus()
        return False

    def _key_of(self, tab: QWidget) -> str:
        return next(key for key, page in self.pages.items() if page is tab)
