"""One digit setting for the whole interface (option ``ui.thai_digits``).

Printed documents have their own setting (``print.thai_digits``) and the same rule
(``thai_format.document_digits``). On screen, Thai digits (๐–๙) or Arabic digits (0–9) are
shown throughout: every table cell (through ``ui.widgets.delegates.DigitsDelegate``, the base of
the app's delegates) and every label, box item and heading made from data (through ``shown``),
so that "ปีงบประมาณ ๒๕๖๘" never stands beside "ปีงบประมาณ 2568";
``tests/ui/test_screen_fit.py`` reads every screen in both modes. Only what is shown changes:
what is typed and stored keeps its own digits, and typing either kind of digit is always read.

Text Qt makes itself goes through here too: ``SpinBox`` (a number box that shows ๑๒ and reads
12 or ๑๒), ``ProgressBar`` (its "๔๒%"), the BE date edit and its month popup
(``ui.widgets.date_edit``); and in Thai-digit mode ``DialogDigits`` (installed on the
application by ``install``) shows every dialog's and message box's labels, buttons, group
titles and placeholders with Thai digits, whoever made them (``QMessageBox.information``, the
progress dialog, ``settings.common.warn``…), every pop-up menu's entries and every tooltip
(``tests/ui/test_dialog_digits.py``). Widgets that show digits they formatted themselves have
a ``show_digits()`` that the main window calls when the setting changes. A dialog or menu on
show when the setting goes back to Arabic keeps its Thai digits until it is closed (the app
makes them anew each time).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QSpinBox,
    QWidget,
)
from shiboken6 import isValid

from lev_desktop.thai_format import arabic_digits, document_digits
from ui import thai_wrap

_thai = [False]


def set_thai(value: bool) -> bool:
    """Sets the interface's digits; True when that changed anything."""
    changed = _thai[0] != bool(value)
    _thai[0] = bool(value)
    _attach()
    return changed


def thai() -> bool:
    return _thai[0]


def shown(text: str) -> str:
    """``text`` with the interface's digits, by the printed documents' rule
    (``thai_format.document_digits``): codes that mix digits with Latin letters (P1, F2,
    D4801), URLs and e-mail addresses keep theirs."""
    return _shown(text, _thai[0]) if text else text


@lru_cache(maxsize=16384)
def _shown(text: str, thai: bool) -> str:
    # the same texts are drawn again and again (cells, dialogs' labels at each paint)
    return document_digits(text, "thai" if thai else "arabic")


_TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&[#\w]+;)")


def shown_html(markup: str) -> str:
    """Markup with the interface's digits in its text (tags and entities left as they are)."""
    return "".join(
        part if _TAG_OR_ENTITY.fullmatch(part) else shown(part)
        for part in _TAG_OR_ENTITY.split(markup)
    )


def programme_label(programme: Any) -> str:
    """ "P1 · เครือข่าย อถล. ปีงบประมาณ 2568": a programme in a list or box, with the
    interface's digits (the official names carry Thai digits from their letters)."""
    return shown(f"{programme.code} · {programme.display_name}")


# ---- text Qt makes itself ------------------------------------------------------------------


class SpinBox(QSpinBox):
    """The app's whole-number box: its number in the interface's digits (๑๒ in Thai-digit
    mode); typing 12 or ๑๒ gives 12 either way."""

    def textFromValue(self, value: int) -> str:
        return shown(super().textFromValue(value))

    def valueFromText(self, text: str) -> int:
        return super().valueFromText(arabic_digits(text))

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        state, _text, _pos = super().validate(arabic_digits(text), pos)
        return state, text, pos  # what was typed stays as typed

    def show_digits(self) -> None:
        """Shows the number again in the digits now set."""
        self.setSuffix(self.suffix())  # Qt's way to redraw the box's text


class ProgressBar(QProgressBar):
    """A progress bar whose "%p%" reads "๔๒%" in Thai-digit mode."""

    def text(self) -> str:
        return shown(super().text())


def _dialog_of(widget: QWidget) -> bool:
    return isinstance(widget.window(), QDialog)


def dialog_texts(widget: QWidget) -> bool:
    """A dialog's label, button, group title or a box's placeholder with the interface's digits
    (Thai-digit mode only: in Arabic mode nothing is touched); True when it changed it."""
    if not _thai[0]:
        return False
    if isinstance(widget, QLabel):
        text = thai_wrap.shown_text(widget)  # its own text, with its display breaks
        rich = widget.textFormat() == Qt.TextFormat.RichText or (
            widget.textFormat() == Qt.TextFormat.AutoText and thai_wrap._looks_rich(text)
        )
        new = shown_html(text) if rich else shown(text)
        if new != text:
            widget.setText(new)
            return True
    elif isinstance(widget, QAbstractButton):
        text = widget.text()
        if shown(text) != text:
            widget.setText(shown(text))
            return True
    elif isinstance(widget, QGroupBox):
        text = widget.title()
        if shown(text) != text:
            widget.setTitle(shown(text))
            return True
    elif isinstance(widget, QLineEdit):  # its example ("เช่น ๕๔๘๐๑๐๑"), never what is typed
        text = widget.placeholderText()
        if shown(text) != text:
            widget.setPlaceholderText(shown(text))
            return True
    return False


class DialogDigits(QObject):
    """In Thai-digit mode, on the application: every dialog's (and message box's, progress
    dialog's, wizard's) labels, buttons, group titles and placeholders are shown with Thai
    digits when they are polished, and again when one is repainted after the program changed
    it; a pop-up menu's entries when it opens; every tooltip when it is shown. In Arabic mode
    it is not installed at all."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.Polish, QEvent.Type.Paint):
            if isinstance(watched, _TEXTS) and _dialog_of(watched):
                dialog_texts(watched)
        elif kind == QEvent.Type.Show and isinstance(watched, QMenu):
            for action in watched.actions():
                text = action.text()
                if shown(text) != text:
                    action.setText(shown(text))
        elif kind == QEvent.Type.ToolTip and isinstance(watched, QWidget):
            return tooltip_digits(watched, event)
        return False


def tooltip_digits(widget: QWidget, event: Any) -> bool:
    """A tooltip (any widget's, or a table cell's) shown with the interface's digits; the
    widget's or model's own text is left as the program set it. False: nothing to change
    (Qt, or the long-tooltip wrapping of ``thai_wrap``, shows it)."""
    text = thai_wrap.tooltip_text(widget, event)
    new = shown_html(text) if thai_wrap._looks_rich(text) else shown(text)
    if new == text:
        return False
    thai_wrap.show_tooltip(widget, event, new)
    return True


_TEXTS = (QLabel, QAbstractButton, QGroupBox, QLineEdit)
_filter: list[DialogDigits] = []


def install(app: QApplication) -> DialogDigits:
    """The dialogs' digits for the whole application: the filter is on the application while
    the interface has Thai digits (``set_thai``), off otherwise."""
    if not _filter or not isValid(_filter[0]):
        _filter[:] = [DialogDigits(app)]
    _attach()
    return _filter[0]


def _attach() -> None:
    app = QApplication.instance()
    if not _filter or app is None or not isValid(_filter[0]):
        return
    if _thai[0]:
        app.installEventFilter(_filter[0])  # (once: Qt moves it to the front if it was on)
    else:
        app.removeEventFilter(_filter[0])
