"""The one status palette (UI.md): overdue red, due soon amber, done / sent / received green,
draft grey, returned purple — always shown with a text label too, never colour alone.

Keys are the tones of the obligation states (``lev_desktop.domain.obligation_state.State.tone``)
and, for the few places that show a form's own status, the stored form statuses. Every chip,
cell, calendar mark and board bar takes its colours from here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor

from lev_desktop.domain.form_status import status_label
from lev_desktop.domain.obligation_state import State

# A refused value or action in a form's message line (nothing was written): one colour, and a
# "⚠" before the words where the line is a plain label (``say``).
REFUSED = "#a3221a"

# A public holiday's day number and name in the calendar, and the legend that says so.
HOLIDAY = "#b71c1c"

# tone → (text colour, background)
PALETTE: dict[str, tuple[str, str]] = {
    "overdue": ("#b71c1c", "#fdecea"),
    "due_soon": ("#8a5300", "#fff3d6"),
    "done": ("#1b5e20", "#e6f4e7"),
    # fulfilled, but after the due date: between done and due soon
    "late": ("#5f6300", "#eef2c4"),
    "ready": ("#00575e", "#dff1f2"),  # complete, still to be sent
    "upcoming": ("#1f3b63", "#e8eef7"),  # not yet due
    "in_progress": ("#37474f", "#e3e8eb"),
    "draft": ("#424242", "#eeeeee"),
    "returned": ("#5e2a84", "#f1e6f8"),
    "not_applicable": ("#6b6b6b", "#f5f5f5"),
}
# a form's own stored status → tone
FORM_TONES = {
    "missing": "draft",
    "draft": "draft",
    "complete": "done",
    "sent": "done",
    "returned": "returned",
}


def tone(state: State | str) -> str:
    """The palette key of an obligation state, of a form status or of a tone itself."""
    if isinstance(state, State):
        return state.tone
    if state in PALETTE:
        return state
    if state in FORM_TONES:
        return FORM_TONES[state]
    try:
        return State(state).tone
    except ValueError:
        return "upcoming"


def colors(state: State | str) -> tuple[str, str]:
    """(text colour, background) as #rrggbb."""
    return PALETTE[tone(state)]


def fg(state: State | str) -> QColor:
    return QColor(colors(state)[0])


def bg(state: State | str) -> QColor:
    return QColor(colors(state)[1])


def symbol(state: State | str) -> str:
    """A short mark shown before a chip's text (the legend and tooltip say it in words)."""
    if not isinstance(state, State):
        try:
            state = State(state)
        except ValueError:
            return "•"
    return state.symbol


def chip_style(state: State | str, widget: str = "QLabel") -> str:
    """A style sheet for a label showing a state chip."""
    text, background = colors(state)
    return (
        f"{widget} {{ background: {background}; color: {text}; border: 1px solid {text};"
        f" border-radius: 4px; padding: 2px 8px; }}"
    )


__all__ = [
    "HOLIDAY",
    "PALETTE",
    "bg",
    "chip_style",
    "colors",
    "fg",
    "status_label",
    "symbol",
    "tone",
]


def say(label: Any, text: str, *, refused: bool = False) -> None:
    """A form's answer in its message label: as it is when done; dark red after "⚠" when
    nothing was written (a refusal in the default colour read as a note beside a button that
    seemed to have worked)."""
    label.setStyleSheet(f"color: {REFUSED};" if refused and text else "")
    label.setText(f"⚠ {text}" if refused and text else text)
