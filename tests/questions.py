"""Question boxes answered as a person would, with a real key or mouse event, but without the
box's own event loop.

A timer meant to answer a box from inside ``QMessageBox.exec()`` (polling
``activeModalWidget()``) sometimes never answered it on a loaded machine, and the whole suite
waited for ever (seen in the plan editors' tests, then in
``test_back_asks_about_cells_that_could_not_be_saved``: a fresh-clone run hung 11 minutes in
``leave_guard.confirm_leave``). ``QMessageBox.exec`` is replaced: the box is shown and gets the
answer queued with ``answer()``; a question nobody expected fails the test."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from ui.thai_wrap import plain

# (button text, or None for Esc; the list that receives what the box asked), in order
_ANSWERS: list[tuple[str | None, list[str]]] = []


def answer_with_events(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """From an autouse fixture: every ``QMessageBox.exec`` of the test takes the next answer."""

    def exec_(box: QMessageBox) -> int:
        if not _ANSWERS:
            raise AssertionError(f"unexpected question: {plain(box.text())}")
        button_text, asked = _ANSWERS.pop(0)
        box.show()
        asked.append(plain(box.text() + "\n" + box.informativeText()))
        if button_text is None:
            qtbot.keyClick(box, Qt.Key.Key_Escape)
        else:
            button = next((b for b in box.buttons() if b.text() == button_text), None)
            if button is None:
                box.reject()
                raise AssertionError(f"no button {button_text!r}")
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        if box.isVisible():  # the key or click did not answer it
            box.reject()
            raise AssertionError("the question was not answered")
        return box.result()

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    _ANSWERS.clear()


def answer(button_text: str | None) -> list[str]:
    """The next question box gets a click on the button with that text, or Esc; returns the list
    that will hold what it asked."""
    asked: list[str] = []
    _ANSWERS.append((button_text, asked))
    return asked
