"""The one status palette: a colour and a text label for every form state (never colour alone).

draft grey · complete / sent green · returned for correction purple; "not started" is a pale
grey. Overdue (red) and due soon (amber) belong to deadlines and use the same palette.
"""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QWidget

from lev_desktop.db.models import FormStatus
from lev_desktop.i18n import N_, _

NOT_STARTED = "none"
OVERDUE = "overdue"
DUE_SOON = "due_soon"

# status → (background, text colour, label msgid)
PALETTE: dict[str, tuple[str, str, str]] = {
    FormStatus.DRAFT: ("#e3e5e8", "#3c4043", N_("Draft")),
    FormStatus.COMPLETE: ("#d7f0dd", "#17622e", N_("Complete")),
    FormStatus.SENT: ("#d7f0dd", "#17622e", N_("Sent")),
    FormStatus.RETURNED: ("#ecdff5", "#5b2a86", N_("Returned for correction")),
    NOT_STARTED: ("#f4f5f6", "#6b7075", N_("Not started")),
    OVERDUE: ("#fadbd8", "#a3221a", N_("Overdue")),
    DUE_SOON: ("#fdefd0", "#8a5a00", N_("Due soon")),
}


def status_label(status: str) -> str:
    return _(PALETTE.get(status, PALETTE[NOT_STARTED])[2])


_COLORS: dict[str, tuple[QColor, QColor]] = {}


def status_colors(status: str) -> tuple[QColor, QColor]:
    if status not in _COLORS:
        background, foreground, _label = PALETTE.get(status, PALETTE[NOT_STARTED])
        _COLORS[status] = (QColor(background), QColor(foreground))
    return _COLORS[status]


class StatusBadge(QLabel):
    """A rounded label with the status text on its colour."""

    def __init__(self, status: str = NOT_STARTED, parent: QWidget | None = None):
        super().__init__(parent)
        self.set_status(status)

    def set_status(self, status: str, prefix: str = "") -> None:
        background, foreground, _label = PALETTE.get(status, PALETTE[NOT_STARTED])
        text = status_label(status)
        self.setText(f"{prefix}{text}" if prefix else text)
        self.setStyleSheet(f"QLabel {{ background: {background}; color: {foreground}; "
                           "border-radius: 8px; padding: 2px 10px; }")
        self.setProperty("status", status)
