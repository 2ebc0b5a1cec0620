"""Where LEV Desktop keeps its files: resources shipped with the app, user data, logs."""

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
