"""Where LEV Desktop keeps its files: resources shipped with the app, user data, logs, and the
visible folder under Documents for the files a person carries (reports, packages)."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import BinaryIO

import platformdirs

from lev_desktop import APP_ID


def resources_dir() -> Path:
    """The bundled resources folder (fonts, catalogues, word list)."""
    if getattr(sys, "frozen", False):  # PyInstaller one-folder bundle
        return Path(sys._MEIPASS) / "resources"  # type: ignore[attr-defined]
    return Path(str(files("resources")))


def font_path(style: str = "Regular") -> Path:
    return resources_dir() / "fonts" / f"Sarabun-{style}.ttf"


def data_dir() -> Path:
    """The user's data folder; LEV_DATA_DIR overrides it (tests, portable installs)."""
    override = os.environ.get("LEV_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_ID, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "lev.db"


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def attachments_dir() -> Path:
    path = data_dir() / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    override = os.environ.get("LEV_DATA_DIR")
    path = (
        Path(override) / "cache"
        if override
        else Path(platformdirs.user_cache_dir(APP_ID, appauthor=False))
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


# The visible folder: what an officer attaches to an e-mail or copies to a USB drive must be
# where Explorer shows it. %LOCALAPPDATA% (data_dir) is hidden by Explorer's default view.
DOCUMENTS_FOLDER = "LEV Desktop"
# Sub-folders of it, by what goes there (Thai: the officer reads these names in Explorer).
OUTPUT_FOLDERS = {
    "reports": "รายงาน",
    "packages": "แพ็กเกจส่งออก",
    "inbox": "แพ็กเกจที่ได้รับ",
}


def documents_dir() -> Path:
    """``Documents\\LEV Desktop`` (platformdirs follows a Documents folder redirected to
    OneDrive or a server); LEV_DOCUMENTS_DIR overrides it, and under LEV_DATA_DIR (tests,
    portable installs) it is ``<data>/Documents/LEV Desktop``. Not created here."""
    override = os.environ.get("LEV_DOCUMENTS_DIR")
    if override:
        return Path(override)
    data_override = os.environ.get("LEV_DATA_DIR")
    if data_override:
        return Path(data_override) / "Documents" / DOCUMENTS_FOLDER
    return Path(platformdirs.user_documents_dir()) / DOCUMENTS_FOLDER


def user_documents_dir() -> Path:
    """The person's Documents folder (where a file dialog first opens): the folder that holds
    ``documents_dir()`` (``Documents``; under LEV_DATA_DIR ``<data>/Documents``)."""
    return documents_dir().parent


def output_dir(kind: str, configured: str | os.PathLike[str] | None = None) -> Path:
    """Where files of ``kind`` ("reports", "packages", "inbox") go: the folder chosen in
    Settings (``folders.<kind>``) or the default under ``documents_dir()``. Not created here."""
    if configured:
        return Path(configured).expanduser()
    return documents_dir() / OUTPUT_FOLDERS[kind]


def write_atomically(target: Path, write: Callable[[BinaryIO], object]) -> Path:
    """Writes ``target`` through a temporary file of its own in the same folder, then renames
    it into place: another process starting at the same moment (two ``lev`` commands on a fresh
    data folder) never sees a half-written file nor takes the other's temporary file. When the
    rename is refused because the other process just put the same file in place and has it open
    (Windows), its copy is kept."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        try:
            os.replace(tmp, target)
        except PermissionError:
            if not target.exists():
                raise
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return target
