"""The one status palette (UI.md): overdue red, due soon amber, done green, draft grey,
returned purple — always shown with a text label too, never colour alone."""

from __future__ import annotations

from PySide6.QtGui import QColor

# state → (text colour, background)
PALETTE: dict[str, tuple[str, str]] = {
    "overdue": ("#b71c1c", "#fdecea"),
    "late": ("#b71c1c", "#fdecea"),
    "due_soon": ("#8a5300", "#fff3d6"),
    "pending": ("#8a5300", "#fff3d6"),
    "done": ("#1b5e20", "#e6f4e7"),
    "upcoming": ("#1f3b63", "#e8eef7"),
    "draft": ("#424242", "#eeeeee"),
    "returned": ("#5e2a84", "#f1e6f8"),
    # received, but after the due date (the consolidation board): between done and due soon
    "received_late": ("#5f6300", "#eef2c4"),
}


def fg(state: str) -> QColor:
    return QColor(PALETTE.get(state, PALETTE["upcoming"])[0])


def bg(state: str) -> QColor:
    return QColor(PALETTE.get(state, PALETTE["upcoming"])[1])


def symbol(state: str) -> str:
    """A short mark shown before a chip's text (the legend and tooltip say it in words)."""
    return {"overdue": "!", "due_soon": "»", "done": "✓"}.get(state, "•")
