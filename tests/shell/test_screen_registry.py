"""The screen registry (ui/screens/__init__.py): one entry per screen, and what the main window
does with a screen that fails."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QLabel, QStyle, QWidget

from lev_desktop.i18n import _
from lev_desktop.paths import resources_dir
from ui.screens import SCREENS, Screen, screen


def test_one_entry_per_screen_each_loading_its_module():
    keys = [entry.key for entry in SCREENS]
    assert len(set(keys)) == len(keys) == 8
    for entry in SCREENS:
        cls = entry.load()
        assert isinstance(cls, type) and issubclass(cls, QWidget)
        assert cls.__module__ == f"ui.screens.{entry.key}"
        assert (
            hasattr(QStyle.StandardPixmap, entry.icon)
            or (resources_dir() / "icons" / entry.icon).is_file()
        )
    assert len({entry.icon for entry in SCREENS}) == len(SCREENS)  # each screen its own icon
    with pytest.raises(KeyError):
        screen("no-such-screen")


def test_a_screen_that_fails_to_import_gets_a_page_saying_so(
    qtbot, empty_store, monkeypatch, caplog, make_ctx
):
    import ui.main_window as main_window
    from ui.main_window import BrokenPage, MainWindow

    def broken_load():
        raise RuntimeError("a bug in the screen module")

    entries = tuple(
        Screen(e.key, e.title, e.icon, broken_load) if e.key == "reports" else e for e in SCREENS
    )
    monkeypatch.setattr(main_window, "SCREENS", entries)
    monkeypatch.setattr(main_window, "screen", lambda key: next(e for e in entries if e.key == key))
    ctx = make_ctx(empty_store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with caplog.at_level(logging.ERROR):
        window.show_screen("reports")
    page = window.stack.currentWidget()
    assert isinstance(page, BrokenPage)
    assert page.findChild(QLabel, "pageTitle").text() == _("Reports") == "รายงาน"
    assert "a bug in the screen module" in caplog.text
    window.show_screen("settings")  # the others still open
    assert not isinstance(window.stack.currentWidget(), BrokenPage)
