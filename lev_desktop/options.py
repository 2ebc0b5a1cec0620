"""The settings a person changes in Settings, with their types and defaults, in one place.

Stored in the database's ``settings`` table. Every part reads them with
``options.get(store, key)`` (a missing or unreadable value means the default, an undeclared key
is a KeyError) and writes them with ``options.save(store, {key: value})``; nothing else reads
the table by key (tests/core/test_options.py). The office's identity (its code, the officer)
is kept by the store itself (``Store.office_code``, ``Store.officer``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lev_desktop.paths import output_dir, user_documents_dir
from lev_desktop.thai_format import fiscal_year as fiscal_year_of
from lev_desktop.thai_format import today as today_

if TYPE_CHECKING:
    from db.store import Store

OPTIONS: dict[str, tuple[type, Any]] = {
    "language": (str, "th"),  # "th" | "en"; applied at the next start
    "fiscal_year": (int, None),  # the year the screens show; None = this year
    # THE digit setting of printed documents (PDF and Excel): Thai digits ๐–๙ as the letters
    # use them (cabinet resolution of 2 May 2543), or Arabic. The interface has its own key.
    "print.thai_digits": (bool, True),
    "print.signer_name": (str, ""),  # who signs reports and letters
    "print.signer_position": (str, ""),  # the signer's position (ตำแหน่ง)
    "print.letterhead": (str, ""),  # office address lines printed under the name
    "print.garuda_image": (str, ""),  # path of the Garuda (ตราครุฑ) image for letters
    # "sun" | "mon": Thai wall and desk calendars start on Sunday (อาทิตย์)
    "calendar.week_start": (str, "sun"),
    "reminder.days": (int, 7),  # days before a deadline counted as "due soon"
    "ui.thai_digits": (bool, False),  # Thai digits (๐–๙) on screen; documents: print.thai_digits
    "reminder.enabled": (bool, True),  # the start-up reminder of what is overdue or due soon
    # Visible folders (empty: the default under Documents\LEV Desktop, see paths.output_dir)
    "folders.reports": (str, ""),  # where reports are saved first
    "folders.packages": (str, ""),  # where exported packages are written
    "backup.second_folder": (str, ""),  # a second backup folder (USB stick, shared drive)
    # The folder each kind of file dialog was last used in ("import-package": the folder of
    # the last package imported…): the next dialog for it opens there (ui.widgets.file_dialogs).
    "folders.last_used": (dict, None),
    # The office's private key encrypted with the password it was exported with
    # (lev_desktop.continuity.keysafe): every backup carries it, only encrypted.
    "key.escrow": (dict, None),
}


def default(key: str) -> Any:
    return OPTIONS[key][1]


def coerce(key: str, value: Any) -> Any:
    kind, fallback = OPTIONS[key]
    if value is None or (value == "" and kind is not str):
        return fallback
    try:
        if kind is bool:
            return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
        return kind(value)
    except (TypeError, ValueError):
        return fallback


def get(store: Store, key: str) -> Any:
    return coerce(key, store.get_setting(key))


def fiscal_year(store: Store, today: dt.date | None = None) -> int:
    """The fiscal year the screens, reports and board show: the chosen one, else this one."""
    return fiscal_year_in({"fiscal_year": get(store, "fiscal_year")}, today)


def fiscal_year_in(values: Mapping[str, Any], today: dt.date | None = None) -> int:
    """``fiscal_year`` of options already read (``load_all``, e.g. by the job that opened the
    database: the window's thread does not read the database itself)."""
    chosen = values.get("fiscal_year")
    return int(chosen) if chosen else fiscal_year_of(today or today_())


def load_all(store: Store) -> dict[str, Any]:
    stored = store.settings()
    return {key: coerce(key, stored.get(key)) for key in OPTIONS}


def save(store: Store, values: dict[str, Any]) -> None:
    """Saves several options in one transaction (all or none)."""
    for key in values:
        if key not in OPTIONS:
            raise KeyError(key)
    store.set_settings({key: coerce(key, value) for key, value in values.items()})


def folder(store: Store, kind: str) -> Path:
    """The folder for ``kind`` ("reports", "packages") as set in Settings, or its default."""
    return output_dir(kind, get(store, f"folders.{kind}"))


def last_folder(store: Store, purpose: str) -> Path | None:
    """The folder a file dialog for ``purpose`` was last used in, if it is still there."""
    used = get(store, "folders.last_used") or {}
    chosen = used.get(purpose) if isinstance(used, dict) else None
    return Path(chosen) if chosen and Path(chosen).is_dir() else None


def remember_folder(store: Store, purpose: str, folder: str | Path) -> None:
    """Keeps ``folder`` as the one the next file dialog for ``purpose`` opens in."""
    used = get(store, "folders.last_used") or {}
    used = dict(used) if isinstance(used, dict) else {}
    used[purpose] = str(folder)
    save(store, {"folders.last_used": used})


def start_folder(store: Store | None, purpose: str) -> Path:
    """Where a file dialog for ``purpose`` opens: the folder last used for it, else the
    person's Documents (never the program's own folder, Qt's default)."""
    documents = user_documents_dir()
    first = documents if documents.is_dir() else Path.home()
    return (last_folder(store, purpose) if store is not None else None) or first
