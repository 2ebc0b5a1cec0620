"""The one status palette for forms: a colour and always a text label (never colour alone).

overdue red · due soon amber · complete / sent green · draft grey · returned purple.
Labels come from ``lev_desktop.domain.form_status``.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from lev_desktop.domain.form_status import status_label

# status → (background, text colour)
STATUS_COLORS: dict[str, tuple[str, str]] = {
    "missing": ("#eeeeee", "#555555"),
    "draft": ("#e0e0e0", "#424242"),
    "complete": ("#d4edda", "#1b5e20"),
    "sent": ("#c8e6c9", "#1b5e20"),
    "returned": ("#e8dcf5", "#4a148c"),
    "overdue": ("#f8d7da", "#b71c1c"),
    "due_soon": ("#ffe8b3", "#7a4f00"),
}


def status_colors(status: str) -> tuple[QColor, QColor]:
    background, foreground = STATUS_COLORS.get(status, STATUS_COLORS["draft"])
    return QColor(background), QColor(foreground)


def status_style(status: str) -> str:
    """A style sheet for a label showing a status chip."""
    background, foreground = STATUS_COLORS.get(status, STATUS_COLORS["draft"])
    return (f"QLabel {{ background: {background}; color: {foreground}; border-radius: 4px;"
            f" padding: 2px 8px; }}")


__all__ = ["STATUS_COLORS", "status_colors", "status_label", "status_style"]
