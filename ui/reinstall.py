"""Screens of a reinstalled office (the core is lev_desktop.exchange.recovery and .reinstall).

- ``RecoveryTab`` (the exchange screen of a district or province): writes the recovery package
  of one of its offices.
- ``RecoverDialog`` (the first-start wizard of the reinstalled office): checks a recovery package,
  shows who wrote it and what it holds, and makes it this database's history.
- ``ReinstallButton`` and ``ReinstalledDialog`` (the import tab): when a package is refused
  because its office has a new key, the one guided step that shows the old and the new
  fingerprint, trusts the new key once the officer compared it, and saves the letter for the
  office above when that office received the office's packages through this one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lev_desktop.changes import Changes
from lev_desktop.errors import describe_error
from lev_desktop.exchange.keys import format_fingerprint
from lev_desktop.i18n import _
from lev_desktop.thai_format import format_number, format_utc
from ui import digits
from ui.context import AppContext
from ui.status_palette import fg
from ui.widgets import file_actions
from ui.widgets.file_actions import WrittenFileBar


def _mono(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSizeF(font.pointSizeF() + 1)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("hint")
    return label


def _message(parent: QWidget, title: str, text: str, *, warning: bool = False) -> QMessageBox:
    """A non-blocking message box over ``parent`` (tests and screenshots never wait on it)."""
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.show()
    return box


def _local(value: dt.datetime | None) -> str:
    """Stored times are UTC; people read local time."""
    return format_utc(value)


# ---- the district: a recovery package for one of its offices --------------------------------


class RecoveryTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        box = QGroupBox(_("Recovery package for an office that lost its computer"))
        inner = QVBoxLayout(box)
        inner.addWidget(
            _hint(
                _(
                    "When an office's computer is lost or reinstalled without a backup, write "
                    "its recovery package here and give it to the office (USB drive, e-mail). It "
                    "holds the office's records as this office has them and every package the "
                    "office sent, with the office's own signature; the office's program checks "
                    "them and takes them back as its own history."
                )
            )
        )
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Office")))
        self.office = QComboBox()
        self.office.setMinimumWidth(420)
        row.addWidget(self.office, 1)
        self.write_button = QPushButton(_("Write the recovery package…"))
        self.write_button.clicked.connect(self.write)
        row.addWidget(self.write_button)
        inner.addLayout(row)
        self.result = QLabel()
        self.result.setWordWrap(True)
        inner.addWidget(self.result)
        # show in folder, copy to a USB drive (the package goes to the office on a stick)
        self.written = WrittenFileBar(ctx, label=self.result, show_open=False)
        inner.addWidget(self.written)
        layout.addWidget(box)
        steps = QGroupBox(_("After the office reinstalled"))
        steps_layout = QVBoxLayout(steps)
        steps_layout.addWidget(
            _hint(
                _(
                    "If the office could not bring back its key file, its next package is signed "
                    "with a new key and is refused on the Import tab. Then choose “This office "
                    "reinstalled…” there: compare the new fingerprint with the office by "
                    "telephone, confirm it, and send the letter the program makes to the office "
                    "above when that office also received this office's packages."
                )
            )
        )
        layout.addWidget(steps)
        layout.addStretch(1)

    def load(self, data: dict[str, Any]) -> None:
        current = self.office.currentData()
        self.office.clear()
        for code, label in data.get("laos", []):
            self.office.addItem(digits.shown(label), code)
        if current is not None:
            self.office.setCurrentIndex(max(self.office.findData(current), 0))
        self.write_button.setEnabled(self.office.count() > 0)

    def write(self) -> None:
        from lev_desktop.exchange.recovery import SUFFIX, RecoveryError, export_recovery

        code = self.office.currentData()
        if not code:
            return
        store = self.ctx.store

        def chosen(target: Path) -> None:
            self.ctx.runner.run(
                lambda progress: export_recovery(store, code, target, progress=progress),
                label=_("Writing the recovery package…"),
                on_success=done,
                on_failure=failed,
                owner=self,
            )

        def done(result) -> None:
            self.result.setStyleSheet("")
            self.written.set_file(
                result.path,
                _(
                    "Recovery package written: {path}. It holds {packages} packages of the "
                    "office (the last one number {sequence}) and {records} records."
                ).format(
                    path=result.path,
                    packages=result.packages,
                    sequence=result.last_sequence,
                    records=format_number(sum(result.counts.values())),
                ),
            )

        def failed(exc: BaseException) -> None:
            # its own refusal, or a file that could not be written (held open, a drive pulled
            # out: lev_desktop.files), in Thai; anything else is a bug
            message = str(exc) if isinstance(exc, RecoveryError) else describe_error(exc)
            if message is None:
                raise exc
            self.written.set_file(None)
            self.result.setStyleSheet(f"color: {fg('overdue').name()};")
            self.result.setText(message)

        file_actions.ask_save_in(
            self.ctx,
            self,
            _("Write the recovery package"),
            "packages",
            f"{code}-recovery{SUFFIX}",
            "levrecovery",
            chosen,
        )


# ---- the reinstalled office: take the recovery package back ----------------------------------


class RecoverDialog(QDialog):
    """Checks a recovery package on the worker, shows it, and applies it when confirmed."""

    recovered = Signal(object)  # the office (db.models.Office) the database now belongs to

    def __init__(self, ctx: AppContext, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.recovery = None
        self.setWindowTitle(_("Recover this office's data"))
        layout = QVBoxLayout(self)
        self.status = QLabel(_("Checking the recovery package…"))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.details = QLabel()
        self.details.setWordWrap(True)
        layout.addWidget(self.details)
        self.fingerprint = _mono("")
        layout.addWidget(self.fingerprint)
        form = QFormLayout()
        self.officer = QLineEdit(ctx.store.officer)
        self.officer.setPlaceholderText(_("e.g. นางสาวสมใจ ใจดี"))
        form.addRow(_("Officer name"), self.officer)
        layout.addLayout(form)
        self.checked = QCheckBox()
        self.checked.setVisible(False)
        layout.addWidget(self.checked)
        buttons = QDialogButtonBox()
        self.recover_button = buttons.addButton(
            _("Recover the data"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.recover_button.setEnabled(False)
        self.checked.toggled.connect(self.recover_button.setEnabled)
        self.recover_button.clicked.connect(self.apply)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 420)
        self._read(path)

    def _read(self, path: Path) -> None:
        from lev_desktop.exchange.recovery import RecoveryError, read_recovery

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, RecoveryError):
                raise exc
            self.status.setStyleSheet(f"color: {fg('overdue').name()};")
            self.status.setText(str(exc))

        self.ctx.runner.run(
            lambda _p: read_recovery(path),
            label=_("Checking the recovery package…"),
            on_success=self.show_recovery,
            on_failure=failed,
            owner=self,
            kind="io",
        )

    def show_recovery(self, recovery) -> None:
        from lev_desktop.continuity.restore import describe_counts

        self.recovery = recovery
        issuer = recovery.issuer
        office = recovery.office
        self.status.setText(
            _(
                "Recovery package of {office} ({code}) from {issuer} ({issuer_code}). Its "
                "signature and the signatures of the office's {packages} packages are valid."
            ).format(
                office=office.get("name", ""),
                code=recovery.office_code,
                issuer=issuer.get("name", ""),
                issuer_code=issuer.get("code", ""),
                packages=len(recovery.packages),
            )
        )
        lines = [
            _("Records: {counts}").format(counts=describe_counts(recovery.counts)),
            _("The last package the office sent: number {sequence}").format(
                sequence=recovery.last_sequence
            ),
        ]
        if recovery.unsigned:
            lines.append(
                _(
                    "{count} records were entered at {issuer} (from an Excel form); no package "
                    "of this office vouches for them."
                ).format(count=recovery.unsigned, issuer=issuer.get("code", ""))
            )
        lines.append(
            _(
                "Key fingerprint of {issuer}: compare it with them by telephone before recovering."
            ).format(issuer=issuer.get("code", ""))
        )
        self.details.setText("\n".join(lines))
        self.fingerprint.setText(format_fingerprint(recovery.issuer_fingerprint))
        self.checked.setText(
            _("I compared the fingerprint with {issuer}: it is the same").format(
                issuer=issuer.get("code", "")
            )
        )
        self.checked.setVisible(True)

    def apply(self) -> None:
        from lev_desktop.exchange.recovery import apply_recovery

        if self.recovery is None or not self.checked.isChecked():
            return
        store, recovery = self.ctx.store, self.recovery
        officer = " ".join(self.officer.text().split())
        self.recover_button.setEnabled(False)

        def done(office) -> None:
            self.recovered.emit(office)
            self.accept()

        def failed(exc: BaseException) -> None:
            from lev_desktop.exchange.recovery import RecoveryError

            if not isinstance(exc, RecoveryError):
                raise exc
            _message(self, _("Recover this office's data"), str(exc), warning=True)
            self.recover_button.setEnabled(True)

        def work(_p) -> Any:
            from lev_desktop.services.offices import this_office

            apply_recovery(store, recovery, officer=officer)
            return this_office(store)

        self.ctx.runner.run(
            work,
            label=_("Recovering the office's data…"),
            on_success=done,
            on_failure=failed,
            owner=self,
            cancellable=False,
        )


# ---- the office above: "this office reinstalled" ---------------------------------------------


class ReinstalledDialog(QDialog):
    """One guided step: old and new fingerprint, compared with the office, then trusted."""

    confirmed = Signal(object)  # the KeyChange

    def __init__(self, ctx: AppContext, change: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.change = change
        self.forwarded: list[str] = []
        self.letter_written: Path | None = None
        self.setWindowTitle(_("This office reinstalled"))
        layout = QVBoxLayout(self)
        title = QLabel(
            _("{name} ({code}) has a new key").format(name=change.name, code=change.office)
        )
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        if change.relayed_by:
            intro = _(
                "The package of this office relayed by {relay} is signed with a new key. "
                "{relay} has confirmed it and sends you a letter with both fingerprints: "
                "compare the new fingerprint below with the letter."
            ).format(relay=change.relayed_by)
        else:
            intro = _(
                "Its package is signed with a new key, as after a reinstall without the key "
                "file. Telephone the office and ask them to read their key fingerprint (Settings "
                "→ Backups, or Data exchange → Trusted keys); compare it group by group with the "
                "new fingerprint below."
            )
        layout.addWidget(_hint(intro))
        grid = QFormLayout()
        grid.addRow(
            _("Old fingerprint (trusted since {when})").format(when=_local(change.old_trusted_at)),
            _mono(format_fingerprint(change.old_fingerprint)),
        )
        new = _mono(format_fingerprint(change.new_fingerprint))
        new.setStyleSheet(f"color: {fg('upcoming').name()}; font-weight: bold;")
        grid.addRow(_("New fingerprint"), new)
        self.how = QLineEdit(
            _("from the district's letter") if change.relayed_by else _("by telephone")
        )
        grid.addRow(_("Confirmed"), self.how)
        layout.addLayout(grid)
        self.compared = QCheckBox(_("I compared the new fingerprint: every group is the same"))
        layout.addWidget(self.compared)
        self.letter_box = QGroupBox(_("Letter to the office above"))
        letter_layout = QVBoxLayout(self.letter_box)
        self.letter_text = QLabel()
        self.letter_text.setWordWrap(True)
        letter_layout.addWidget(self.letter_text)
        self.letter_button = QPushButton(_("Save the letter (PDF)…"))
        self.letter_button.clicked.connect(self.save_letter)
        letter_layout.addWidget(self.letter_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.letter_file = WrittenFileBar(ctx, self.letter_box)  # open, show in folder, USB
        letter_layout.addWidget(self.letter_file)
        self.letter_box.setVisible(False)
        layout.addWidget(self.letter_box)
        buttons = QDialogButtonBox()
        self.confirm_button = buttons.addButton(
            _("Trust the new key"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.close_button = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.confirm_button.setEnabled(False)
        self.compared.toggled.connect(self.confirm_button.setEnabled)
        self.confirm_button.clicked.connect(self.confirm)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, self.sizeHint().height())

    def confirm(self) -> None:
        from lev_desktop.exchange.reinstall import confirm_new_key, forwarded_to

        if not self.compared.isChecked():
            return
        store, change, how = self.ctx.store, self.change, " ".join(self.how.text().split())
        self.confirm_button.setEnabled(False)

        def work(_p) -> list[str]:
            confirm_new_key(store, change, how=how)
            return forwarded_to(store, change.office)

        self.ctx.runner.run(work, on_success=self._confirmed, owner=self)

    def _confirmed(self, forwarded: list[str]) -> None:
        self.forwarded = forwarded
        self.confirmed.emit(self.change)
        self.ctx.notify(Changes(exchange=True))
        self.compared.setEnabled(False)
        self.how.setEnabled(False)
        self.close_button.setText(_("Close"))
        if not forwarded:
            self.accept()
            return
        self.letter_text.setText(
            _(
                "The new key is trusted. {offices} received this office's packages through you "
                "and still trusts the old key: save the letter, sign it and send it, so that "
                "{offices} confirms the new key too."
            ).format(offices=", ".join(forwarded))
        )
        self.letter_box.setVisible(True)
        self._grow()

    def _grow(self) -> None:
        """Taller for what was just shown (the letter box, the written file's buttons), so
        nothing is squeezed; never taller than the screen offers."""
        layout = self.layout()
        if layout is not None:
            layout.activate()  # the wrapped texts measured at the dialog's width
        screen = self.screen().availableGeometry() if self.screen() else None
        wanted = max(self.height(), self.heightForWidth(self.width()), self.sizeHint().height())
        if screen is not None:
            wanted = min(wanted, screen.height() - 60)
        self.resize(self.width(), wanted)

    def save_letter(self) -> None:
        change = self.change
        file_actions.ask_save_in(
            self.ctx,
            self,
            _("Save the letter (PDF)…"),
            "reports",
            f"แจ้งกุญแจใหม่-{change.office}.pdf",
            "pdf",
            self.write_letter,
        )

    def write_letter(self, target: Path) -> None:
        store, change, recipients = self.ctx.store, self.change, list(self.forwarded)
        how = " ".join(self.how.text().split())

        def work(_p) -> Path:
            from exports.reports.key_letter import write_key_letter

            return write_key_letter(store, change, recipients[0], how, target)

        def written(path: Path) -> None:
            self.letter_written = path
            self.letter_file.set_file(path, _("Letter written: {path}").format(path=path))
            self._grow()

        self.ctx.runner.run(
            work, label=_("Writing the letter…"), on_success=written, owner=self, kind="io"
        )


class ReinstallButton(QPushButton):
    """Shown under the import preview when an office's package has a new key."""

    confirmed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.changes: list[Any] = []
        self.setVisible(False)
        self.clicked.connect(self.open_dialog)

    def check(self, plan: Any) -> None:
        from lev_desktop.exchange.reinstall import key_changes

        store = self.ctx.store
        self.ctx.runner.run(lambda _p: key_changes(store, plan), on_success=self._found, owner=self)

    def _found(self, changes: list[Any]) -> None:
        self.changes = changes
        if changes:
            first = changes[0]
            self.setText(
                _("This office reinstalled: {code} {name}…").format(
                    code=first.office, name=first.name
                )
            )
        self.setVisible(bool(changes))

    def open_dialog(self) -> None:
        if not self.changes:
            return
        dialog = ReinstalledDialog(self.ctx, self.changes[0], self.window())
        self.dialog = dialog
        dialog.confirmed.connect(lambda _c: self.confirmed.emit())
        dialog.open()


__all__ = [
    "RecoverDialog",
    "RecoveryTab",
    "ReinstallButton",
    "ReinstalledDialog",
]
