"""Bugs end in one place: a Thai dialog with the traceback to copy, and a log line.

``install_excepthook()`` routes uncaught exceptions on the GUI thread here; the Runner's
``on_bug`` sends failures of background jobs here too. Known errors a person can fix (disk
full, locked database…) get a plain message instead (``show_known_error``).
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lev_desktop import __version__
from lev_desktop.i18n import _
from lev_desktop.paths import log_dir
from ui.widgets.fit import fit_to_screen

log = logging.getLogger("lev_desktop.crash")

# Tests look at what would have been shown instead of blocking on a modal dialog.
_open_dialogs: list[QDialog] = []


class CrashDialog(QDialog):
    def __init__(self, details: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Something went wrong"))
        fit_to_screen(self, 720, 460)
        layout = QVBoxLayout(self)
        message = QLabel(
            _(
                "The program met an unexpected problem. Your saved data is safe, but the last "
                "action may not have finished. Please copy the details below and send them to the "
                "person who supports this program. The details are also in the log folder: {folder}"
            ).format(folder=log_dir())
        )
        message.setWordWrap(True)
        layout.addWidget(message)
        self.details = QPlainTextEdit(f"LEV Desktop {__version__}\n\n{details}")
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(_("Copy details"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_details)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText(_("Copied"))


def show_bug(exc: BaseException | None, details: str, parent: QWidget | None = None) -> CrashDialog:
    log.error("unexpected error:\n%s", details)
    dialog = CrashDialog(details, parent or QApplication.activeWindow())
    _open_dialogs[:] = [d for d in _open_dialogs if d.isVisible()] + [dialog]
    dialog.setModal(True)
    dialog.show()
    return dialog


def show_known_error(message: str, parent: QWidget | None = None) -> QMessageBox:
    log.warning("known error shown to the user: %s", message)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _("Cannot continue"),
        message,
        QMessageBox.StandardButton.Ok,
        parent or QApplication.activeWindow(),
    )
    box.setModal(True)
    box.show()
    return box


def _hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    details = "".join(traceback.format_exception(kind, value, tb))
    if QApplication.instance() is None:
        log.error("unexpected error:\n%s", details)
        sys.__excepthook__(kind, value, tb)
        return
    show_bug(value, details)


def install_excepthook() -> None:
    sys.excepthook = _hook
