"""Where the keyboard is, without asking the platform.

``QApplication.focusWidget()`` is None whenever no window is active, and on the offscreen test
platform that happens for good as soon as any other top-level window has been shown: a
``Runner`` progress dialog (after 600 ms, so only on a loaded machine), a question box, a
popup. The offscreen platform has no window manager to give activation back when that window
goes, as Windows does. A test that asks the application for its focus widget, or sends keys
to it, then fails or aborts depending on the load. ``focused`` asks the window instead: the
widget that has the focus in it (``QWidget.focusWidget`` of the window), which is the same
widget a person's keys reach once the window is active, and is kept whether or not it is."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget


def focused(widget: QWidget) -> QWidget | None:
    """The widget with the keyboard focus in ``widget``'s window, active or not."""
    return widget.window().focusWidget()


def shortcut(
    qtbot: Any,
    widget: QWidget,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Presses a key that works through a shortcut (Ctrl+Z, Ctrl+Y, Alt+←, F1, Ctrl+Q) with
    the keyboard in ``widget``'s window. Qt's shortcut map answers only in the active window,
    so the window is activated first, as a person's click on it would, and that is waited for
    (nothing else gives activation back on the offscreen platform once another window has
    been shown)."""
    window = widget.window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(widget, key, modifier)
