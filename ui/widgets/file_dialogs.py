"""The one place that opens file dialogs (open, open several, save, choose a folder).

- Each dialog has a ``purpose`` ("import-package", "backup-restore"…) and opens in the folder
  last used for it (``options`` "folders.last_used", kept through the worker), else in the
  person's Documents — never in the program's working folder, Qt's default.
- No date a person reads in it is in the Christian era: on Windows the native dialog follows
  Windows' own (Thai) settings; elsewhere Qt's own dialog is used and its "date modified"
  column reads "3 ธ.ค. 2569 14:05 น." (``thai_format``), not "3 12 2026". Its labels are Thai
  through Qt's translations (``ui.qt_translations``).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QTreeView, QWidget

from lev_desktop import options
from lev_desktop.thai_format import format_datetime
from ui import digits
from ui.widgets.fit import fit_to_screen

if TYPE_CHECKING:
    from ui.context import AppContext

SIZE_COLUMN, TYPE_COLUMN, DATE_COLUMN = 1, 2, 3  # QFileSystemModel: name, size, type, date
_session: dict[str, str] = {}  # folders used before there is a database (the setup wizard)


class BuddhistEraDates(QIdentityProxyModel):
    """Qt's file list with its "date modified" in the Buddhist era, as everywhere else."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.column() == DATE_COLUMN:
            source = self.sourceModel()
            if isinstance(source, QFileSystemModel):
                when = source.lastModified(self.mapToSource(index))
                moment = when.toPython() if when.isValid() else None
                if isinstance(moment, dt.datetime):
                    return digits.shown(format_datetime(moment))
        return super().data(index, role)


def native() -> bool:
    """Windows' own dialog (its dates follow Windows' Thai settings); Qt's elsewhere."""
    return sys.platform == "win32"


def start_folder(ctx: AppContext | None, purpose: str) -> Path:
    used = dict(getattr(ctx, "folders", None) or {}) if ctx is not None else {}
    chosen = used.get(purpose) or _session.get(purpose)
    if chosen and Path(chosen).is_dir():
        return Path(chosen)
    return options.start_folder(None, purpose)


def remember(ctx: AppContext | None, purpose: str, chosen: str | Path) -> None:
    """The folder of ``chosen`` (a file) or ``chosen`` itself (a folder) opens the next dialog
    for ``purpose``: kept at once for this session, saved to the database on the worker."""
    path = Path(chosen)
    folder = str(path if path.is_dir() else path.parent)
    _session[purpose] = folder
    if ctx is None:
        return
    folders = getattr(ctx, "folders", None)
    if isinstance(folders, dict):
        folders[purpose] = folder
    store = ctx.store
    ctx.runner.run(
        lambda _p: options.remember_folder(store, purpose, folder), modal=False, kind="db"
    )


def make_dialog(parent: QWidget | None, title: str, folder: Path, filters: str = "") -> QFileDialog:
    """A file dialog at ``folder``: Windows' own, or Qt's with Buddhist-era dates."""
    dialog = QFileDialog(parent, title, str(folder), filters)
    if not native():
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setProxyModel(BuddhistEraDates(dialog))
        # room for the whole date: sized for Qt's "3 12 2026", it read "3 ธ.ค. …9:31 น."
        tree = dialog.findChild(QTreeView, "treeView")
        if tree is not None:
            widest = digits.shown(format_datetime(dt.datetime(2026, 9, 30, 23, 59)))
            width = tree.fontMetrics().horizontalAdvance(widest) + 24
            tree.header().resizeSection(DATE_COLUMN, width)
            # the size whole ("10…KiB" before); the type hidden: Qt names it in English from
            # the file's MIME type ("Zip Archive"), and the filter already says what is shown
            size = tree.fontMetrics().horizontalAdvance(digits.shown("999.9 KiB")) + 24
            tree.header().resizeSection(SIZE_COLUMN, size)
            tree.header().hideSection(TYPE_COLUMN)
        fit_to_screen(dialog, 900, 560)
    return dialog


def _run(dialog: QFileDialog) -> list[str]:
    if dialog.exec() != QFileDialog.DialogCode.Accepted:
        return []
    return [f for f in dialog.selectedFiles() if f]


def open_file(
    parent: QWidget | None, title: str, filters: str, *, purpose: str, ctx: AppContext | None
) -> str:
    """One existing file ("" when cancelled)."""
    dialog = make_dialog(parent, title, start_folder(ctx, purpose), filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    chosen = _run(dialog)
    if chosen:
        remember(ctx, purpose, chosen[0])
    return chosen[0] if chosen else ""


def open_files(
    parent: QWidget | None, title: str, filters: str, *, purpose: str, ctx: AppContext | None
) -> list[str]:
    """Several existing files ([] when cancelled)."""
    dialog = make_dialog(parent, title, start_folder(ctx, purpose), filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    chosen = _run(dialog)
    if chosen:
        remember(ctx, purpose, chosen[0])
    return chosen


def choose_folder(
    parent: QWidget | None,
    title: str,
    *,
    purpose: str,
    ctx: AppContext | None,
    current: str | Path | None = None,
) -> str:
    """A folder ("" when cancelled); opens at ``current`` (a folder set in Settings) when it
    exists, else where the last one was chosen."""
    here = Path(current) if current and Path(current).is_dir() else start_folder(ctx, purpose)
    dialog = make_dialog(parent, title, here)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    chosen = _run(dialog)
    if chosen:
        remember(ctx, purpose, chosen[0])
    return chosen[0] if chosen else ""


def save_file(
    parent: QWidget | None,
    title: str,
    suggested: Path,
    filters: str,
    *,
    suffix: str,
    purpose: str,
    ctx: AppContext | None,
) -> str:
    """Where to save (empty when cancelled), starting at ``suggested`` (in the folder last used
    for ``purpose`` when there is one); the dialog adds ``suffix`` itself, so its "replace the
    file?" question is about the real name."""
    used = start_folder(ctx, purpose) if _remembered(ctx, purpose) else suggested.parent
    target = used / suggested.name
    dialog = make_dialog(parent, title, used, filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix(suffix)
    dialog.selectFile(str(target))
    chosen = _run(dialog)
    if chosen:
        remember(ctx, purpose, chosen[0])
    return chosen[0] if chosen else ""


def _remembered(ctx: AppContext | None, purpose: str) -> bool:
    used = dict(getattr(ctx, "folders", None) or {}) if ctx is not None else {}
    chosen = used.get(purpose) or _session.get(purpose)
    return bool(chosen) and Path(str(chosen)).is_dir()
