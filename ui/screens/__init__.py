"""The screens of the navigation pane, in order.

Each screen module defines ``SCREEN = ScreenSpec(...)``; the main window imports the modules
listed in ``SCREEN_MODULES`` and builds the navigation pane from them. A screen is a QWidget
made by ``factory(ctx)``; it may define ``refresh()`` (called when it is shown, when the
fiscal year changes and on ``ctx.data_changed``) and ``open_item(arg)`` (called by
``ctx.navigate(key, arg)``, e.g. the calendar opening the form a deadline needs).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from lev_desktop.i18n import N_


@dataclass(frozen=True)
class ScreenSpec:
    key: str
    title: str  # msgid, translated when shown
    icon: str  # a QStyle standard pixmap name or a file in resources/icons
    factory: Callable[..., QWidget]


# key → module; a key whose module is not there yet shows the "not yet" page.
SCREEN_MODULES: dict[str, str] = {
    "home": "ui.screens.home",
    "plans": "ui.screens.plans",
    "activities": "ui.screens.activities",
    "kpi": "ui.screens.kpi",
    "calendar": "ui.screens.calendar",
    "reports": "ui.screens.reports",
    "exchange": "ui.screens.exchange",
    "settings": "ui.screens.settings",
}

TITLES: dict[str, str] = {
    "home": N_("Home"),
    "plans": N_("Action plans"),
    "activities": N_("Activities and results"),
    "kpi": N_("Indicators"),
    "calendar": N_("Deadline calendar"),
    "reports": N_("Reports"),
    "exchange": N_("Data exchange"),
    "settings": N_("Settings"),
}


def load_screen(key: str) -> ScreenSpec | None:
    try:
        module = importlib.import_module(SCREEN_MODULES[key])
    except ModuleNotFoundError as exc:
        if exc.name == SCREEN_MODULES[key]:
            return None
        raise
    return module.SCREEN
