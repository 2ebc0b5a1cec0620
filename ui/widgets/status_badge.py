"""A chip with a state's words in the one palette (``widgets.status_palette``): the state of
an obligation instance (``domain.obligation_state.State``), as everywhere else."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from lev_desktop.domain.obligation_state import State
from lev_desktop.i18n import _
from ui import status_palette


def state_text(state: State | str) -> str:
    if isinstance(state, State):
        return state.label
    try:
        return State(state).label
    except ValueError:
        return status_palette.status_label(state)


class StatusBadge(QLabel):
    def __init__(self, status: State | str = State.NOT_YET_DUE, parent: QWidget | None = None):
        super().__init__(parent)
        self.set_status(status)

    def set_status(self, status: State | str | None, prefix: str = "") -> None:
        """``status`` None: the form has no deadline in the fiscal year shown (a programme of
        another year), said so in the not-applicable colours rather than as a state."""
        if status is None:
            words = _("no deadline in this fiscal year")  # (outside the f-string: extracted)
            self.setText(f"{prefix}{words}")
            self.setStyleSheet(status_palette.chip_style(State.NOT_APPLICABLE))
            self.setProperty("status", "")
            return
        self.setText(f"{prefix}{state_text(status)}")
        self.setStyleSheet(status_palette.chip_style(status))
        self.setProperty("status", str(status))
