"""Files a person must find again: the save dialog (the extension always added), "show in
folder", "copy to a USB drive", and ``WrittenFileBar`` — those buttons under every place that
wrote a file. The copying itself runs in the worker (``lev_desktop.files.copy_file``)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QProcess, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lev_desktop import drives, files, options
from lev_desktop.errors import describe_error
from lev_desktop.i18n import N_, _

log = logging.getLogger(__name__)

FILTERS = {
    "pdf": N_("PDF document (*.pdf)"),
    "xlsx": N_("Excel workbook (*.xlsx)"),
    "levpkg": N_("LEV package (*.levpkg)"),
    "ics": N_("iCalendar file (*.ics)"),
    "levkey": N_("LEV Desktop key files (*.levkey)"),
    "levrecovery": N_("LEV Desktop recovery packages (*.levrecovery)"),
}


def ask_save_path(
    parent: QWidget | None,
    title: str,
    suggested: Path,
    fmt: str,
    *,
    ctx: Any = None,
    purpose: str = "",
) -> Path | None:
    """A save dialog (``ui.widgets.file_dialogs``) that starts at ``suggested`` (its folder is made
    first, so the dialog opens there), or in the folder last used for ``purpose`` (default:
    saving a ``fmt`` file), and returns the chosen file WITH the extension of ``fmt``: the
    dialog itself adds it so its "replace the file?" question is about the real name."""
    from ui.widgets import file_dialogs

    try:
        suggested.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        suggested = file_dialogs.start_folder(None, "") / suggested.name
    chosen = file_dialogs.save_file(
        parent,
        title,
        suggested,
        _(FILTERS[fmt]),
        suffix=fmt,
        purpose=purpose or f"save-{fmt}",
        ctx=ctx,
    )
    return files.with_suffix(chosen, fmt) if chosen else None


def ask_save_in(ctx, parent: QWidget, title: str, kind: str, name: str, fmt: str, then) -> None:
    """Reads the folder for ``kind`` ("reports", "packages") from Settings in the worker, then
    asks where to save ``name`` starting there, and calls ``then(path)`` if one was chosen."""
    store = ctx.store

    def chosen(folder: Path) -> None:
        path = ask_save_path(parent, title, folder / name, fmt, ctx=ctx, purpose=f"save-{kind}")
        if path is not None:
            then(path)

    ctx.runner.run(lambda _progress: options.folder(store, kind), on_success=chosen, owner=parent)


def open_file(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def show_in_folder(path: Path) -> bool:
    """Opens the folder of ``path`` with the file selected (Explorer ``/select,`` on Windows,
    ``open -R`` on macOS); elsewhere opens the folder."""
    path = Path(path)
    if sys.platform == "win32":
        native = str(path.resolve()).replace("/", "\\")
        return QProcess.startDetached("explorer.exe", ["/select,", native])[0]
    if sys.platform == "darwin":
        return QProcess.startDetached("open", ["-R", str(path)])[0]
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


class WrittenFileBar(QWidget):
    """ "Saved: name" with Open, Show in folder and Copy to USB drive (a menu of the drives
    plugged in, by name). Hidden until ``set_file``."""

    copied = Signal(object)  # the copy's Path, or None when the copy failed (tests wait on it)

    def __init__(
        self,
        ctx,
        parent: QWidget | None = None,
        *,
        show_open: bool = True,
        label: QLabel | None = None,
    ):
        """``label``: a message label of the screen to write to instead of the bar's own."""
        super().__init__(parent)
        self.ctx = ctx
        self.path: Path | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        own = label is None
        self.label = QLabel() if label is None else label
        if own:
            self.label.setWordWrap(True)
            layout.addWidget(self.label, 1)
        else:
            layout.addStretch(1)
        self.open_button = QPushButton(_("Open the file"))
        self.open_button.clicked.connect(lambda: self.path and open_file(self.path))
        self.open_button.setVisible(show_open)
        self.folder_button = QPushButton(_("Show in folder"))
        self.folder_button.clicked.connect(lambda: self.path and show_in_folder(self.path))
        # a push button with a menu: its arrow sits beside the text (a tool button's covered
        # the end of the Thai label)
        self.usb_button = QPushButton(_("Copy to USB drive"))
        self.usb_menu = QMenu(self.usb_button)
        self.usb_menu.aboutToShow.connect(self.fill_drives)
        self.usb_button.setMenu(self.usb_menu)
        layout.addWidget(self.open_button)
        layout.addWidget(self.folder_button)
        layout.addWidget(self.usb_button)
        self.setVisible(False)

    def set_file(self, path: Path | None, text: str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.setVisible(self.path is not None)
        if self.path is not None:
            self.label.setText(text or _("Saved: {path}").format(path=self.path))
            self.label.setToolTip(str(self.path))

    def fill_drives(self) -> list[drives.Drive]:
        """The menu: one entry per USB drive plugged in now (asked each time it opens)."""
        self.usb_menu.clear()
        found = drives.removable_drives()
        for drive in found:
            action = self.usb_menu.addAction(drive.name)
            action.triggered.connect(lambda _checked=False, d=drive: self.copy_to(d))
        if not found:
            action = self.usb_menu.addAction(_("No USB drive found — plug one in and try again"))
            action.setEnabled(False)
        return found

    def copy_to(self, drive: drives.Drive) -> None:
        source = self.path
        if source is None:
            return

        def work(_progress) -> Path:
            target = drive.root / source.name
            if target.exists() and _same_bytes(source, target):
                return target
            return files.copy_file(source, files.unique_path(drive.root, source.name))

        def done(target: Path) -> None:
            self.label.setText(
                _("Copied to {drive}: {name}. The copy is complete.").format(
                    drive=drive.name, name=target.name
                )
            )
            self.copied.emit(target)

        def failed(exc: BaseException) -> None:
            message = describe_error(exc)
            if message is None:
                log.error("copy to %s failed", drive.root, exc_info=exc)
                message = _("The file could not be copied to {drive}.").format(drive=drive.name)
            self.label.setText(message)
            self.copied.emit(None)

        self.label.setText(_("Copying to {drive}…").format(drive=drive.name))
        self.ctx.runner.run(
            work,
            label=_("Copying to {drive}…").format(drive=drive.name),
            on_success=done,
            on_failure=failed,
            owner=self,
            kind="io",
        )


class WrittenFileDialog(QDialog):
    """A small window after a save made from a menu (the editors' "Print…"): where the file
    is, with the same buttons as the bar."""

    def __init__(
        self,
        ctx,
        path: Path,
        parent: QWidget | None = None,
        *,
        text: str | None = None,
        show_open: bool = True,
    ):
        super().__init__(parent)
        self.setWindowTitle(_("File saved"))
        layout = QVBoxLayout(self)
        # where the file is, across the whole window (a long path wraps), the buttons below
        message = QLabel()
        message.setWordWrap(True)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(message)
        self.bar = WrittenFileBar(ctx, self, show_open=show_open, label=message)
        self.bar.set_file(path, text)
        layout.addWidget(self.bar)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        width = max(self.sizeHint().width(), 560)
        self.resize(width, max(self.sizeHint().height(), layout.totalHeightForWidth(width)))


def show_written_file(
    ctx,
    path: Path,
    parent: QWidget | None = None,
    *,
    text: str | None = None,
    show_open: bool = True,
) -> WrittenFileDialog:
    """``text``: what to say instead of "Saved: path"; ``show_open``: False for a file no
    program of the office opens (a key file)."""
    dialog = WrittenFileDialog(ctx, path, parent, text=text, show_open=show_open)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


# ---- drops ------------------------------------------------------------------------------------

# Outlook (and other Windows programs) drag an attachment as a "virtual file": a descriptor
# with its name and the bytes of the first file, no path. Qt shows them under these names.
_WIN_MIME = 'application/x-qt-windows-mime;value="{}"'
DESCRIPTOR_FORMAT = _WIN_MIME.format("FileGroupDescriptorW")
CONTENTS_FORMAT = _WIN_MIME.format("FileContents")
_DESCRIPTOR_SIZE = 592  # FILEDESCRIPTORW
_NAME_OFFSET = 72


def descriptor_names(data: bytes) -> list[str]:
    """The file names in a FILEGROUPDESCRIPTORW (Outlook's dragged attachments)."""
    if len(data) < 4:
        return []
    count = int.from_bytes(data[:4], "little")
    names = []
    for index in range(min(count, 64)):
        start = 4 + index * _DESCRIPTOR_SIZE + _NAME_OFFSET
        raw = data[start : start + 520]
        if len(raw) < 2:
            break
        text = raw.decode("utf-16-le", "replace").split("\0", 1)[0]
        if text:
            names.append(Path(text.replace("\\", "/")).name)
    return names


class Dropped:
    """What a drop brought: local files, or the bytes of one virtual file (an Outlook
    attachment), or nothing usable with the Thai reason why."""

    def __init__(self, mime) -> None:
        self.paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
        self.contents: tuple[str, bytes] | None = None
        self.message = ""
        if self.paths:
            return
        names = descriptor_names(bytes(mime.data(DESCRIPTOR_FORMAT)))
        data = bytes(mime.data(CONTENTS_FORMAT))
        if len(names) == 1 and data:
            self.contents = (names[0], data)
        elif len(names) > 1:
            self.message = _(
                "Several attachments were dragged from the e-mail program at once. Drag them one "
                "at a time, or save them into a folder first and choose them with the button."
            )
        elif mime.hasUrls():
            self.message = _(
                "What was dragged is a link, not a file on this computer. Download the file "
                "first, then drag it here from its folder or choose it with the button."
            )
        else:
            self.message = _(
                "What was dragged is not a file (for example text, or an attachment from "
                "LINE or an e-mail that is not saved yet). Save the attachment into a folder "
                "first, then drag it from there or choose it with the button."
            )


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        return a.read_bytes() == b.read_bytes()
    except OSError:
        return False
