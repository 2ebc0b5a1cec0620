"""Settings → Backups: the backups of this database, "back up now", restore (a listed backup or
any file), the second folder (a USB stick, a shared drive), and the office's key (export with a
password, import, put back from a restored backup)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
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

from lev_desktop import options
from lev_desktop.changes import Changes
from lev_desktop.errors import describe_error
from lev_desktop.i18n import N_, _
from lev_desktop.paths import user_documents_dir
from lev_desktop.thai_format import format_datetime, format_number
from ui import digits
from ui.context import AppContext
from ui.settings.common import fit_columns, inform, make_table, warn
from ui.settings.models import Column, RowsModel
from ui.status_palette import fg
from ui.widgets import file_actions, file_dialogs

if TYPE_CHECKING:
    from lev_desktop.continuity.restore import BackupInfo


@dataclass(frozen=True)
class BackupRow:
    path: Path
    made_at: Any
    kind: str
    size: int
    place: str


def _kind_label(kind: str) -> str:
    from lev_desktop.continuity import backups

    return {
        backups.ROTATED: _("backup"),
        backups.BEFORE_RESTORE: _("kept before a restore"),
        backups.DAMAGED: _("damaged database set aside"),
        backups.BEFORE_UPGRADE: _("before a program upgrade"),
    }.get(kind, kind)


class BackupTableModel(RowsModel):
    columns = (
        Column("made_at", N_("Made on"), "line", value=lambda r: format_datetime(r.made_at)),
        Column("kind", N_("Kind"), "line", value=lambda r: _kind_label(r.kind)),
        Column(
            "size",
            N_("Size (KB)"),
            "int",
            value=lambda r: format_number(max(r.size // 1024, 1)),
        ),
        Column(
            "place", N_("Where"), "line", value=lambda r: r.place, tooltip=lambda r: str(r.path)
        ),
    )


# ---- the dialogs of a restore and of the key (also used at start: ui.continuity) ----------------


def backup_summary(info: BackupInfo, current_office: str | None = None) -> str:
    """The confirmation text: date, office, record counts, integrity check."""
    from lev_desktop.continuity.restore import describe_counts

    lines = [
        _("Backup of {when}").format(when=format_datetime(info.made_at)),
        _("Office: {name} ({code})").format(name=info.office_name, code=info.office_code),
        _("Records: {counts}").format(counts=describe_counts(info.counts)),
        _("SQLite integrity check: no problems found")
        if info.ok
        else _("SQLite integrity check: {problem}").format(problem=info.problems[0][:160]),
    ]
    if current_office and info.office_code and current_office != info.office_code:
        lines.append(
            _(
                "Warning: the database now belongs to office {current}; the backup is of office "
                "{other}."
            ).format(current=current_office, other=info.office_code)
        )
    return "\n".join(lines)


class RestoreConfirm(QMessageBox):
    """Shows what the backup holds and asks before anything is replaced."""

    def __init__(self, info: BackupInfo, current_office: str | None, parent: QWidget | None):
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(_("Restore a backup"))
        self.setText(_("Restore this backup in place of the database?"))
        self.setInformativeText(
            backup_summary(info, current_office)
            + "\n\n"
            + _(
                "The current database is kept as a backup first. The program then opens the "
                "restored database; work done after the backup was made is in the kept copy."
            )
        )
        self.restore_button = self.addButton(_("Restore"), QMessageBox.ButtonRole.AcceptRole)
        cancel = self.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(cancel)
        self.restore_button.setEnabled(info.ok)


class PasswordDialog(QDialog):
    """A password, asked once (to open a key) or twice (to protect one)."""

    def __init__(self, title: str, text: str, *, twice: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label)
        form = QFormLayout()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Password"), self.password)
        self.repeated: QLineEdit | None = None
        if twice:
            self.repeated = QLineEdit()
            self.repeated.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(_("The same password again"), self.repeated)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {fg('overdue').name()};")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("OK"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def _check(self) -> None:
        from lev_desktop.exchange.keys import KeyFileError, check_password

        try:
            check_password(
                self.password.text(), self.repeated.text() if self.repeated is not None else None
            )
        except KeyFileError as exc:
            self.problem.setText(str(exc))
            return
        self.accept()

    def values(self) -> tuple[str, str | None]:
        return self.password.text(), self.repeated.text() if self.repeated is not None else None


def ask_key_password(
    ctx: AppContext,
    parent: QWidget,
    *,
    after_restore: bool = True,
    on_done: Callable[[], None] | None = None,
) -> None:
    """The backup carries the office's key: the password puts it back on this computer."""
    from lev_desktop.continuity import keysafe

    dialog = PasswordDialog(
        _("The office's key"),
        _(
            "The restored database carries the office's key (encrypted). Enter the password it "
            "was exported with, so that packages are signed with the same key as before and the "
            "district accepts them without asking again."
        )
        if after_restore
        else _("Enter the password of the office's key."),
        twice=False,
        parent=parent,
    )
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    store = ctx.store

    def chosen(result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            return
        password, _unused = dialog.values()

        def done(fingerprint: str) -> None:
            from lev_desktop.exchange.keys import format_fingerprint

            ctx.notify(Changes(exchange=True))
            if on_done is not None:
                on_done()
            inform(
                parent,
                _("The office's key"),
                _("The office's key is back; packages are signed with it again.")
                + "\n\n"
                + format_fingerprint(fingerprint),
            )

        def failed(exc: BaseException) -> None:
            from lev_desktop.exchange.keys import KeyFileError

            if isinstance(exc, KeyFileError):
                box = warn(parent, _("The office's key"), str(exc))
                box.finished.connect(
                    lambda _r: ask_key_password(
                        ctx, parent, after_restore=after_restore, on_done=on_done
                    )
                )
            else:
                raise exc

        ctx.runner.run(
            lambda _p: keysafe.restore_key_from_database(store, password),
            on_success=done,
            on_failure=failed,
            owner=parent,
        )

    dialog.finished.connect(chosen)
    dialog.show()


def load_backup_page(store) -> dict[str, Any]:
    """What the tab shows, read on a worker thread."""
    from lev_desktop.continuity import backups, keysafe

    data: dict[str, Any] = {"server": store.path is None, "rows": [], "second": "", "key": None}
    if store.path is None:
        return data
    second = backups.second_folder(store)
    data["second"] = str(second or "")
    data["second_ok"] = second is None or second.is_dir()
    rows = []
    for item in backups.list_backups(store.path, [second]):
        if item.path.parent == backups.backup_folder():
            place = _("data folder")
        elif second is not None and item.path.parent == second:
            place = _("second folder")
        else:
            place = _("beside the database")
        rows.append(BackupRow(item.path, item.made_at, item.kind, item.size, place))
    data["rows"] = rows
    data["folder"] = str(backups.backup_folder())
    data["key"] = keysafe.key_state(store)
    return data


class BackupsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.data: dict[str, Any] = {}
        layout = QVBoxLayout(self)

        self.server_note = QLabel(
            _(
                "This database is on a server (PostgreSQL): back it up and restore it on the "
                "server (pg_dump, pg_restore)."
            )
        )
        self.server_note.setWordWrap(True)
        self.server_note.setVisible(False)
        layout.addWidget(self.server_note)

        self.backups_box = QGroupBox(_("Backups of this database"))
        box = QVBoxLayout(self.backups_box)
        intro = QLabel(
            digits.shown(
                _(
                    "LEV Desktop backs up the database when it closes and once a day while it is "
                    "open, and keeps the newest backup of each of the last 7 days, 4 weeks and 12 "
                    "months. Restoring keeps the current database as a backup first."
                )
            )
        )
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        box.addWidget(intro)
        self.model = BackupTableModel()
        self.view = make_table(self.model, stretch=3)
        self.view.doubleClicked.connect(lambda _i: self.restore_selected())
        box.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.now_button = QPushButton(_("Back up now"))
        self.restore_button = QPushButton(_("Restore the selected backup…"))
        self.file_button = QPushButton(_("Restore from a file…"))
        self.folder_button = QPushButton(_("Show the folder"))
        for button in (self.now_button, self.restore_button, self.file_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.folder_button)
        box.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        box.addWidget(self.status)

        second = QHBoxLayout()
        second.addWidget(QLabel(_("Second folder (USB drive, shared drive)")))
        self.second_path = QLineEdit()
        self.second_path.setReadOnly(True)
        self.second_path.setPlaceholderText(_("none: backups are kept in the data folder only"))
        second.addWidget(self.second_path, 1)
        self.second_button = QPushButton(_("Choose…"))
        self.second_clear = QPushButton(_("Remove"))
        second.addWidget(self.second_button)
        second.addWidget(self.second_clear)
        box.addLayout(second)
        layout.addWidget(self.backups_box, 1)

        self.key_box = QGroupBox(_("The office's key"))
        key = QVBoxLayout(self.key_box)
        self.key_text = QLabel()
        self.key_text.setWordWrap(True)
        key.addWidget(self.key_text)
        key_buttons = QHBoxLayout()
        self.export_key_button = QPushButton(_("Export the key with a password…"))
        self.import_key_button = QPushButton(_("Import a key file…"))
        self.restore_key_button = QPushButton(_("Put back the key from the backup…"))
        for button in (self.export_key_button, self.import_key_button, self.restore_key_button):
            key_buttons.addWidget(button)
        key_buttons.addStretch(1)
        key.addLayout(key_buttons)
        layout.addWidget(self.key_box)

        self.now_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.file_button.clicked.connect(self.restore_file)
        self.folder_button.clicked.connect(self.show_folder)
        self.second_button.clicked.connect(self.choose_second)
        self.second_clear.clicked.connect(lambda: self.save_second(""))
        self.export_key_button.clicked.connect(self.export_key)
        self.import_key_button.clicked.connect(self.import_key)
        self.restore_key_button.clicked.connect(self.restore_key)

    # ---- loading --------------------------------------------------------------------------
    def refresh(self) -> None:
        store = self.ctx.store
        self.ctx.runner.run(lambda _p: load_backup_page(store), on_success=self.load, owner=self)

    def load(self, data: dict[str, Any]) -> None:
        from lev_desktop.exchange.keys import format_fingerprint

        self.data = data
        server = data["server"]
        self.server_note.setVisible(server)
        self.backups_box.setVisible(not server)
        self.key_box.setVisible(not server and data.get("key") is not None)
        if server:
            return
        self.model.set_rows(data["rows"])
        fit_columns(self.view, stretch=3)
        self.restore_button.setEnabled(bool(data["rows"]))
        self.second_path.setText(data["second"])
        self.second_clear.setEnabled(bool(data["second"]))
        newest = next((r for r in data["rows"] if r.kind == "auto"), None)
        text = (
            _("Newest backup: {when}").format(when=format_datetime(newest.made_at))
            if newest is not None
            else _("No backup yet.")
        )
        if data["second"] and not data.get("second_ok", True):
            text += "  " + _(
                "The second folder is not available now (is the USB drive plugged in?)."
            )
            self.status.setStyleSheet(f"color: {fg('overdue').name()};")
        else:
            self.status.setStyleSheet("")
        self.status.setText(text)
        state = data.get("key")
        if state is None:
            return
        lines = []
        if state.fingerprint:
            lines.append(_("Key fingerprint of this office:"))
            lines.append(format_fingerprint(state.fingerprint, per_line=16))
        else:
            lines.append(_("No key yet: it is made with the first export."))
        if state.in_backups:
            lines.append(_("Backups carry this key, encrypted with its password."))
        elif state.restorable:
            lines.append(
                _(
                    "This database carries the office's key from before (fingerprint {fp}); "
                    "put it back with its password to keep the same identity."
                ).format(fp=state.escrow_fingerprint[:16].upper())
            )
        elif state.fingerprint:
            lines.append(
                _(
                    "Backups do not carry the key yet: export it with a password, so that a "
                    "reinstalled computer can keep this office's identity."
                )
            )
        self.key_text.setText("\n".join(lines))
        warning = state.fingerprint and not state.in_backups
        self.key_text.setStyleSheet(f"color: {fg('due_soon').name()};" if warning else "")
        self.export_key_button.setEnabled(bool(state.fingerprint))
        self.restore_key_button.setVisible(state.restorable)

    # ---- backups --------------------------------------------------------------------------
    def back_up_now(self) -> None:
        from lev_desktop.continuity.backups import BackupError, make_backup

        store = self.ctx.store

        def done(result) -> None:
            message = _("Backup made: {path} ({size} bytes, {seconds} s)").format(
                path=result.path,
                size=format_number(result.size),
                seconds=f"{result.seconds:.2f}",
            )
            for warning in result.warnings:
                warn(self, _("Backup"), warning)
            self.status.setText(message)
            self.refresh()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, BackupError):
                warn(self, _("Backup"), exc.message)
            else:
                raise exc

        self.ctx.runner.run(
            lambda _p: make_backup(store),
            label=_("Making a backup…"),
            on_success=done,
            on_failure=failed,
            owner=self,
            cancellable=False,
            kind="io",
        )

    def show_folder(self) -> None:
        folder = self.data.get("folder")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            QDesktopServices.openUrl(QUrl.fromLocalFile(folder))

    def choose_second(self) -> None:
        folder = file_dialogs.choose_folder(
            self,
            _("Choose the second backup folder"),
            purpose="backup-folder",
            ctx=self.ctx,
            current=self.second_path.text(),
        )
        if folder:
            self.save_second(folder)

    def save_second(self, folder: str) -> None:
        store = self.ctx.store
        self.ctx.runner.run(
            lambda _p: options.save(store, {"backup.second_folder": folder}),
            on_success=lambda _r: self.refresh(),
            owner=self,
        )

    # ---- restore --------------------------------------------------------------------------
    def restore_selected(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            inform(self, _("Restore a backup"), _("Choose a backup in the list first."))
            return
        self.confirm_restore(self.model.row_object(index.row()).path)

    def restore_file(self) -> None:
        path = file_dialogs.open_file(
            self,
            _("Choose a backup file"),
            _("LEV Desktop backups (*.db)"),
            purpose="backup-restore",
            ctx=self.ctx,
        )
        if path:
            self.confirm_restore(Path(path))

    def confirm_restore(self, path: Path) -> None:
        """Checks the backup on the worker, shows what it holds and asks; the Launcher swaps."""
        from lev_desktop.continuity.restore import RestoreError, inspect_backup, refusal

        def inspected(info) -> None:
            reason = refusal(info)
            if reason:
                warn(self, _("Restore a backup"), reason)
                return
            box = RestoreConfirm(info, self.ctx.office_code, self)
            self.confirm_box = box

            def answered(_result: int) -> None:
                if box.clickedButton() is box.restore_button:
                    self.ctx.restore_requested.emit(info.path)

            box.finished.connect(answered)
            box.open()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, RestoreError):
                warn(self, _("Restore a backup"), exc.message)
            else:
                raise exc

        self.ctx.runner.run(
            lambda _p: inspect_backup(path),
            label=_("Checking the backup…"),
            on_success=inspected,
            on_failure=failed,
            owner=self,
            kind="io",
        )

    # ---- the key ----------------------------------------------------------------------------
    def export_key(self) -> None:
        office = self.ctx.office_code or "office"
        # the dialog adds ".levkey" (its "replace?" question is about the real name)
        target = file_actions.ask_save_path(
            self,
            _("Export the office's key"),
            user_documents_dir() / f"{office}-key.levkey",
            "levkey",
            ctx=self.ctx,
            purpose="key-file",
        )
        if target is None:
            return
        dialog = PasswordDialog(
            _("Export the office's key"),
            _(
                "Choose a password of at least 8 characters and keep it apart from the file (not "
                "on the same USB drive). Backups will carry the key encrypted with this password."
            ),
            twice=True,
            parent=self,
        )
        self.password_dialog = dialog

        def chosen(result: int) -> None:
            if not result:
                return
            from lev_desktop.continuity import keysafe

            password, repeated = dialog.values()
            store = self.ctx.store

            def written(result: tuple[Path, str]) -> None:
                # where it is, show in folder, copy to a USB drive
                self.written_dialog = file_actions.show_written_file(
                    self.ctx,
                    result[0],
                    self,
                    text=_("Key file written: {path}").format(path=result[0]),
                    show_open=False,
                )
                self.refresh()

            self.ctx.runner.run(
                lambda _p: keysafe.export_key(store, Path(target), password, repeated),
                on_success=written,
                on_failure=self._key_failed,
                owner=self,
            )

        dialog.finished.connect(chosen)
        dialog.open()

    def import_key(self) -> None:
        path = file_dialogs.open_file(
            self,
            _("Import a key file"),
            _("LEV Desktop key files (*.levkey)"),
            purpose="key-file",
            ctx=self.ctx,
        )
        if not path:
            return
        dialog = PasswordDialog(
            _("Import a key file"),
            _("Enter the password of the office's key."),
            twice=False,
            parent=self,
        )
        self.password_dialog = dialog

        def chosen(result: int) -> None:
            if not result:
                return
            from lev_desktop.continuity import keysafe

            password, _unused = dialog.values()
            store = self.ctx.store

            def imported(_fingerprint: str) -> None:
                inform(
                    self,
                    _("The office's key"),
                    _("The office's key is back; packages are signed with it again."),
                )
                self.ctx.notify(Changes(exchange=True))
                self.refresh()

            self.ctx.runner.run(
                lambda _p: keysafe.import_key_file(store, Path(path), password),
                on_success=imported,
                on_failure=self._key_failed,
                owner=self,
            )

        dialog.finished.connect(chosen)
        dialog.open()

    def restore_key(self) -> None:
        ask_key_password(self.ctx, self, on_done=self.refresh)

    def _key_failed(self, exc: BaseException) -> None:
        from lev_desktop.exchange.keys import KeyFileError

        # its own refusal, or a file that could not be written (held open, a USB drive pulled
        # out: lev_desktop.files) in Thai; anything else is a bug
        message = str(exc) if isinstance(exc, KeyFileError) else describe_error(exc)
        if message is None:
            raise exc
        warn(self, _("The office's key"), message)


__all__ = ["BackupsTab", "load_backup_page"]
