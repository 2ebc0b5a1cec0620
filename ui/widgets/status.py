"""The one status palette for forms: a colour and always a text label (never colour alone).

overdue red · due soon amber · complete / sent green · draft grey · returned purple.
Labels come from ``lev_desktop.domain.form_status``.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from lev_desktop.domain.form_status import status_label
from ui.widgets.status_palette import PALETTE

# form status → (background, text colour), taken from the one palette (status_palette)
_AS_STATE = {
    "missing": "draft",
    "draft": "draft",
    "complete": "done",
    "sent": "done",
    "returned": "returned",
    "overdue": "overdue",
    "due_soon": "due_soon",
}
STATUS_COLORS: dict[str, tuple[str, str]] = {
    status: (PALETTE[state][1], PALETTE[state][0]) for status, state in _AS_STATE.items()
}


def status_colors(status: str) -> tuple[QColor, QColor]:
    background, foreground = STATUS_COLORS.get(status, STATUS_COLORS["draft"])
    return QColor(background), QColor(foreground)


def status_style(status: str) -> str:
    """A style sheet for a label showing a status chip."""
    background, foreground = STATUS_COLORS.get(status, STATUS_COLORS["draft"])
    return (
        f"QLabel {{ background: {background}; color: {foreground}; border-radius: 4px;"
        f" padding: 2px 8px; }}"
    )


__all__ = ["STATUS_COLORS", "status_colors", "status_label", "status_style"]
