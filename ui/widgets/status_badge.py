"""A form's status as a chip with its text label, in the one palette (``widgets.status``)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from lev_desktop.domain.form_status import MISSING
from ui.widgets.status import status_label, status_style


class StatusBadge(QLabel):
    def __init__(self, status: str = MISSING, parent: QWidget | None = None):
        super().__init__(parent)
        self.set_status(status)

    def set_status(self, status: str, prefix: str = "") -> None:
        self.setText(f"{prefix}{status_label(status)}")
        self.setStyleSheet(status_style(status))
        self.setProperty("status", status)
