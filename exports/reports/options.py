"""Print options of the reports, read from the settings the Settings screen writes.

Keys (declared in ``lev_desktop.options``): ``print.thai_digits`` (bool, default True: the one
digit setting of printed documents, applied to every text of a PDF and to Excel's number and
date formats),
``print.signer_name``, ``print.signer_position``, ``print.letterhead`` (text) and
``print.garuda_image`` (a path the person picked; the Garuda emblem is not bundled because
its licence does not allow it by default).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lev_desktop import options
from lev_desktop.thai_format import document_digits

SETTING_KEYS = {
    "thai_digits": "print.thai_digits",
    "signer_name": "print.signer_name",
    "signer_position": "print.signer_position",
    "letterhead": "print.letterhead",
    "garuda_image": "print.garuda_image",
}


@dataclass(frozen=True)
class ReportOptions:
    thai_digits: bool = True
    signer_name: str = ""
    signer_position: str = ""
    letterhead: str = ""
    garuda_image: str = ""

    @property
    def digits(self) -> str:
        return "thai" if self.thai_digits else "arabic"

    def num(self, text: str) -> str:
        """Text in the document's digits (see ``thai_format.document_digits``)."""
        return document_digits(text, self.digits)

    def garuda_path(self) -> Path | None:
        if not self.garuda_image:
            return None
        path = Path(self.garuda_image).expanduser()
        return path if path.is_file() else None

    def with_(self, **changes: Any) -> ReportOptions:
        return replace(self, **changes)

    @classmethod
    def from_store(cls, store: Any, **overrides: Any) -> ReportOptions:
        settings = options.load_all(store)
        values: dict[str, Any] = {field: settings[key] for field, key in SETTING_KEYS.items()}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
