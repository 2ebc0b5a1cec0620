"""The screens of the navigation pane: one entry per screen, in the order shown.

A screen is a QWidget class made with ``cls(ctx)``; it may define ``refresh()`` (called when it
is shown, when the fiscal year changes and on ``ctx.changed``) and ``open_item(arg)``
(called by ``ctx.navigate(key, arg)``, e.g. the calendar opening the form a deadline needs).

The main window shows the navigation from these entries without importing the screen modules
(their imports — services, reports, the board — cost start-up time); ``Screen.load()`` imports
one when its screen is first shown or just after the window's first paint. Each loader is a
plain ``import`` statement, so PyInstaller and the layer test (tests/core/test_layers.py) see
every screen module: there is no list of module names to keep in step anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lev_desktop.i18n import N_

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.context import AppContext

    # a screen's widget class, called with the context
    ScreenFactory = Callable[[AppContext], QWidget]


@dataclass(frozen=True)
class Screen:
    key: str
    title: str  # msgid, translated when shown
    icon: str  # a QStyle standard pixmap name (SP_…) or a file in resources/icons
    load: Callable[[], ScreenFactory]  # imports the screen's module, returns its widget class


# Start-up: each screen module is imported only when needed (see the module docstring).
def _home() -> ScreenFactory:
    from ui.screens.home import HomeScreen

    return HomeScreen


def _plans() -> ScreenFactory:
    from ui.screens.plans import PlansScreen

    return PlansScreen


def _activities() -> ScreenFactory:
    from ui.screens.activities import ActivitiesScreen

    return ActivitiesScreen


def _kpi() -> ScreenFactory:
    from ui.screens.kpi import KpiScreen

    return KpiScreen


def _calendar() -> ScreenFactory:
    from ui.screens.calendar import CalendarScreen

    return CalendarScreen


def _reports() -> ScreenFactory:
    from ui.screens.reports import ReportsScreen

    return ReportsScreen


def _exchange() -> ScreenFactory:
    from ui.screens.exchange import ExchangeScreen

    return ExchangeScreen


def _settings() -> ScreenFactory:
    from ui.screens.settings import SettingsScreen

    return SettingsScreen


SCREENS: tuple[Screen, ...] = (
    Screen("home", N_("Home"), "SP_DirHomeIcon", _home),
    Screen("plans", N_("Action plans"), "SP_FileDialogDetailedView", _plans),
    Screen("activities", N_("Activities and results"), "SP_DialogApplyButton", _activities),
    Screen("kpi", N_("Indicators"), "SP_FileDialogInfoView", _kpi),
    Screen("calendar", N_("Deadline calendar"), "SP_FileDialogContentsView", _calendar),
    Screen("reports", N_("Reports"), "SP_FileIcon", _reports),
    Screen("exchange", N_("Data exchange"), "SP_DriveNetIcon", _exchange),
    Screen("settings", N_("Settings"), "SP_FileDialogListView", _settings),
)


def screen(key: str) -> Screen:
    """The entry of ``key`` (KeyError for an unknown key)."""
    for entry in SCREENS:
        if entry.key == key:
            return entry
    raise KeyError(key)
