"""The interface's language chosen in Settings reaches the navigation and the menus (clerk12).

The main window is made before the database is open (start-up: ui.app), in the language of the
command line, Thai by default; the language saved in Settings is installed once the database
is open. The screens built after that were English, but the navigation pane and the menus kept
their Thai words: "หน้าหลัก", "ไฟล์ (F)" beside "What must I do next?" (seen at 1366×768)."""

from __future__ import annotations

import pytest
from questions import answer_with_events

from lev_desktop import i18n

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def answered_questions(qtbot, monkeypatch):
    answer_with_events(qtbot, monkeypatch)


def _texts(window):
    nav = [window.nav.item(i).text() for i in range(window.nav.count())]
    menus = [action.text() for action in window.menuBar().actions()]
    go = [action.text() for action in window.menuBar().actions()[1].menu().actions()]
    return nav, menus, go


def test_the_language_saved_in_settings_reaches_the_navigation_and_menus(
    qtbot, lao_store, make_ctx
):
    from ui.main_window import MainWindow

    window = MainWindow()  # as the program makes it: before the database is open
    qtbot.addWidget(window, before_close_func=lambda w: setattr(w, "_quit_confirmed", True))
    nav, menus, _go = _texts(window)
    assert nav[0] == "หน้าหลัก" and menus[0] == "ไฟล์ (&F)"
    ctx = make_ctx(lao_store)
    i18n.install("en")  # what the launcher does when the settings say English
    window.attach(ctx)
    window.resize(1366, 728)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not ctx.runner.active, timeout=60000)
    nav, menus, go = _texts(window)
    english = [
        "Home",
        "Action plans",
        "Activities and results",
        "Indicators",
        "Deadline calendar",
        "Reports",
        "Data exchange",
        "Settings",
    ]
    assert nav == english
    assert go == english
    assert menus == ["&File", "&Go", "&Help"]
    assert window.year_combo.toolTip() == "The fiscal year the screens show"
    assert window.nav.item(0).toolTip().startswith("Home")
