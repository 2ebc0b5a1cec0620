"""One digit setting for the whole interface (option ``ui.thai_digits``).

Printed documents have their own setting (``print.thai_digits``) and the same rule
(``thai_format.document_digits``). On screen, Thai digits (๐–๙) or Arabic digits (0–9) are
shown throughout: every table cell (through ``ui.widgets.delegates.DigitsDelegate``, the base of
the app's delegates) and every label, box item and heading made from data (through ``shown``),
so that "ปีงบประมาณ ๒๕๖๘" never stands beside "ปีงบประมาณ 2568";
``tests/ui/test_screen_fit.py`` reads every screen in both modes. Only what is shown changes:
what is typed and stored keeps its own digits, and typing either kind of digit is always read.
"""

from __future__ import annotations

import re
from typing import Any

from lev_desktop.thai_format import document_digits

_thai = [False]


def set_thai(value: bool) -> bool:
    """Sets the interface's digits; True when that changed anything."""
    changed = _thai[0] != bool(value)
    _thai[0] = bool(value)
    return changed


def thai() -> bool:
    return _thai[0]


def shown(text: str) -> str:
    """``text`` with the interface's digits, by the printed documents' rule
    (``thai_format.document_digits``): codes that mix digits with Latin letters (P1, F2,
    D4801), URLs and e-mail addresses keep theirs."""
    return document_digits(text, "thai" if _thai[0] else "arabic")


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
