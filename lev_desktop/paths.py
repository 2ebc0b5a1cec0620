"""Where LEV Desktop keeps its files: resources shipped with the app, user data, logs."""

from __future__ import annotations

import os
import sys
from importlib.resources import files
from pathlib import Path

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
