"""The incoming-letter register (ทะเบียนหนังสือรับ): เลขรับ, when received, the letter's number,
date, sender and subject, and the programme it started."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lev_desktop.changes import Changes
from lev_desktop.domain.validation import labelled_text_problems
from lev_desktop.i18n import _
from lev_desktop.thai_format import date_refusal, parse_time
from ui import digits
from ui.context import AppContext
from ui.settings.common import fit_columns, make_table, save_cancel, warn
from ui.settings.models import LetterTableModel
from ui.status_palette import REFUSED
from ui.widgets.date_edit import BEDateEdit


class AddLetterDialog(QDialog):
    def __init__(self, programmes: list, next_receipt: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Register an incoming letter"))
        now = dt.datetime.now()
        form = QFormLayout(self)
        self.receipt_no = QLineEdit(next_receipt)
        form.addRow(_("Receipt no."), self.receipt_no)
        self.received_date = BEDateEdit(allow_empty=False)
        self.received_date.setDate(now.date())
        self.received_time = QLineEdit(now.strftime("%H:%M"))
        when = QHBoxLayout()
        when.addWidget(self.received_date, 2)
        when.addWidget(QLabel(_("time")))
        when.addWidget(self.received_time, 1)
        form.addRow(_("Received on"), when)
        self.letter_no = QLineEdit()
        self.letter_no.setPlaceholderText(digits.shown(_("e.g. มท ๐๘๒๐.๒/ว ๕๐๓๗")))
        form.addRow(_("Letter no."), self.letter_no)
        self.letter_date = BEDateEdit()
        form.addRow(_("Dated"), self.letter_date)
        self.from_org = QLineEdit()
        form.addRow(_("From"), self.from_org)
        self.subject = QLineEdit()
        self.subject.setMinimumWidth(520)
        form.addRow(_("Subject"), self.subject)
        self.programme = QComboBox()
        self.programme.addItem(_("— none —"), None)
        for programme in programmes:
            self.programme.addItem(digits.programme_label(programme), programme.id)
        form.addRow(_("Programme"), self.programme)
        self.note = QLineEdit()
        form.addRow(_("Note"), self.note)
        self.message = QLabel()
        self.message.setStyleSheet(f"color: {REFUSED};")
        self.message.setWordWrap(True)
        form.addRow(self.message)
        form.addRow(save_cancel(self, self._check))

    def _check(self) -> None:
        try:
            self.values()
        except ValueError as exc:
            self.message.setText(str(exc))
            return
        self.accept()

    def values(self) -> dict:
        """The register entry; ValueError with a Thai message when something is wrong."""
        if not self.receipt_no.text().strip() or not self.subject.text().strip():
            raise ValueError(_("Please enter the receipt number and the subject"))
        received = self.received_date.date()
        if received is None or self.received_date.hasError():
            raise ValueError(  # (the box's own reason: 31/02 has no day, a date is needed…)
                _("Date received: {why}").format(why=self.received_date.error or date_refusal(None))
            )
        try:
            when = dt.datetime.combine(received, parse_time(self.received_time.text()))
        except ValueError as exc:
            raise ValueError(
                _("The time is not valid; write it as hours:minutes, e.g. 09:30.")
            ) from exc
        letter_date = self.letter_date.date()
        if self.letter_date.hasError():
            raise ValueError(_("Date of the letter: {why}").format(why=self.letter_date.error))
        values = {
            "receipt_no": self.receipt_no.text().strip(),
            "received_at": when,
            "letter_no": self.letter_no.text().strip(),
            "letter_date": letter_date,
            "from_org": self.from_org.text().strip(),
            "subject": self.subject.text().strip(),
            "programme_id": self.programme.currentData(),
            "note": self.note.text().strip(),
        }
        texts = {key: value for key, value in values.items() if isinstance(value, str)}
        problems = labelled_text_problems("letters", texts)  # (as register_letter refuses)
        if problems:
            raise ValueError(problems[0].message)
        return values


def next_receipt_no(letters: list) -> str:
    numbers = []
    for letter in letters:
        head = letter.receipt_no.split("/")[0].strip()
        if head.isdigit():
            numbers.append(int(head))
    return str(max(numbers, default=0) + 1)


class LettersTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.programmes: list = []
        self.dialog: AddLetterDialog | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.add_button = QPushButton(_("Register a letter…"))
        bar.addWidget(self.add_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.model = LetterTableModel([], self)
        self.table = make_table(self.model, self)
        layout.addWidget(self.table, 1)
        self.empty = QLabel(
            _(
                "No letters registered yet. Register each directive letter when it "
                "arrives, with its receipt number (เลขรับ) and the time received."
            )
        )
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.add_button.clicked.connect(self.add_letter)

    def _registered(self) -> None:
        self.ctx.notify(Changes(programmes=True), source=self)
        self.refresh()

    def refresh(self) -> None:
        from lev_desktop.services.programmes import list_letters, list_programmes

        store = self.ctx.store
        self.ctx.runner.run(
            lambda _p: (list_letters(store), list_programmes(store)),
            on_success=self._loaded,
            owner=self,
        )

    def _loaded(self, result) -> None:
        letters, self.programmes = result
        self.model.programmes = {p.id: p.code for p in self.programmes}
        self.model.set_rows(letters)
        fit_columns(self.table, stretch=5)
        self.empty.setVisible(not letters)

    def add_letter(self) -> None:
        dialog = AddLetterDialog(self.programmes, next_receipt_no(self.model.rows), self)
        dialog.accepted.connect(lambda: self.save(dialog.values()))
        dialog.open()
        self.dialog = dialog

    def save(self, values: dict) -> None:
        from lev_desktop.services.programmes import register_letter

        store = self.ctx.store

        def failed(exc: BaseException) -> None:
            from lev_desktop.errors import describe_error

            message = describe_error(exc) or (str(exc) if isinstance(exc, ValueError) else None)
            if message is None:  # a bug, not something the officer can fix
                import traceback

                from ui.crash import show_bug

                show_bug(exc, "".join(traceback.format_exception(exc)), self)
                return
            warn(self, _("Cannot register the letter"), message)

        self.ctx.runner.run(
            lambda _p: register_letter(store, **values),
            owner=self,
            on_success=lambda _l: self._registered(),
            on_failure=failed,
        )
