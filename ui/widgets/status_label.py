"""The status bar's office line: the office's name gives way ("…") before the officer's.

At 1366×768 at 125 % (1092 px) a district office's name, the officer and the database did not
fit: Qt cut the label at its edge and the officer read "ผู้ใช้งา". Here the office name is
shortened with "…" so that the officer's name stays whole; the whole line is in the tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class OfficeLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        # A long office name must not widen the window: the layout gives what room there is.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(120)
        self._parts = (text, "")
        self._fit()

    def set_parts(self, office: str, rest: str = "") -> None:
        """``office`` may be shortened; ``rest`` (the officer, after a separator) is kept."""
        self._parts = (office, rest)
        self.setToolTip(office + rest if rest else "")
        self._fit()

    def full_text(self) -> str:
        return "".join(self._parts)

    def _fit(self) -> None:
        office, rest = self._parts
        metrics = self.fontMetrics()
        width = self.contentsRect().width()
        room = width - metrics.horizontalAdvance(rest)
        if rest and room <= 0:
            # an officer's name longer than the line (the 120 characters a name may have):
            # it alone, ending in "…" (Qt cut it at the edge after a lone "·")
            shown = rest.lstrip(" ·")
            super().setText(metrics.elidedText(shown, Qt.TextElideMode.ElideRight, width))
            return
        if metrics.horizontalAdvance(office) > room:
            office = metrics.elidedText(office, Qt.TextElideMode.ElideRight, max(room, 0))
        super().setText(office + rest)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()


class MessageLine(QLabel):
    """A form's message line (under a table, under a button): it takes no room while it has
    nothing to say."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.hide()

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))
