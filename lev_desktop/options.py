"""The settings a person changes in Settings, with their types and defaults, in one place.

Stored in the database's ``settings`` table (``Store.get_setting``/``set_setting``). Other
parts read them with ``options.get(store, key)`` so that a missing value means the default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lev_desktop.paths import output_dir

OPTIONS: dict[str, tuple[type, Any]] = {
    "language": (str, "th"),  # "th" | "en"; applied at the next start
    "fiscal_year": (int, None),  # the year the screens show; None = this year
    "print.thai_digits": (bool, False),  # Thai digits (๐–๙) in printed documents
    "print.signer_name": (str, ""),  # who signs reports and letters
    "print.signer_position": (str, ""),  # the signer's position (ตำแหน่ง)
    "print.letterhead": (str, ""),  # office address lines printed under the name
    "print.garuda_image": (str, ""),  # path of the Garuda (ตราครุฑ) image for letters
    "calendar.week_start": (str, "mon"),  # "mon" | "sun"
    "reminder.days": (int, 7),  # days before a deadline counted as "due soon"
    # Visible folders (empty: the default under Documents\LEV Desktop, see paths.output_dir)
    "folders.reports": (str, ""),  # where reports are saved first
    "folders.packages": (str, ""),  # where exported packages are written
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


def get(store, key: str) -> Any:
    return coerce(key, store.get_setting(key))


def load_all(store) -> dict[str, Any]:
    stored = store.settings()
    return {key: coerce(key, stored.get(key)) for key in OPTIONS}


def save(store, values: dict[str, Any]) -> None:
    """Saves several options in one transaction (all or none)."""
    from db.models import Setting

    for key in values:
        if key not in OPTIONS:
            raise KeyError(key)
    with store.session() as session:
        for key, value in values.items():
            row = session.get(Setting, key)
            if row is None:
                session.add(Setting(key=key, value=coerce(key, value)))
            else:
                row.value = coerce(key, value)


def folder(store, kind: str) -> Path:
    """The folder for ``kind`` ("reports", "packages") as set in Settings, or its default."""
    return output_dir(kind, get(store, f"folders.{kind}"))
