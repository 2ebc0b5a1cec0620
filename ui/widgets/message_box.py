"""A message box shown without waiting (``show``, not ``exec``): a worker's result or a start-up
warning must not stop the window's thread. A box with a parent belongs to it; one without is
kept here until it is answered (else Python would collect it while it is on the screen)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from lev_desktop.i18n import _

_open: list[QMessageBox] = []  # boxes without a parent, alive until answered


def message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    text: str,
    name: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
) -> QMessageBox:
    """The box (object name ``name``, titled as the program), not shown yet."""
    box = QMessageBox(icon, _("LEV Desktop"), text, buttons)
    box.setObjectName(name)
    if parent is not None:
        box.setParent(parent, box.windowFlags())  # (owned by its parent)
    else:
        _open.append(box)
        box.finished.connect(lambda _result: _open.remove(box) if box in _open else None)
    return box


__all__ = ["message_box"]
