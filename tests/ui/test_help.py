"""The offline Thai manual (issue 12): F1 opens the page of the screen in front of the clerk;
every page exists, reads in Thai, and its pictures are ones the screenshot script takes."""

from __future__ import annotations

import re

import pytest
from keyboard import shortcut
from PySide6.QtCore import Qt

from ui import help as manual
from ui.screens import SCREENS

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

# Latin words a Thai manual may use: key names, file types, programs, the address to look up
ALLOWED_LATIN = {
    "Ctrl", "Alt", "Shift", "Tab", "Enter", "Esc", "Delete", "LEV", "Desktop", "Excel", "PDF",
    "LINE", "Soft", "Power", "ics", "levpkg", "info", "dla", "go", "th", "db", "bak", "lev",
}  # fmt: skip
STATES = {"kpi-form", "kpi-overview", "exchange-import-preview", "plans-red-cell"}
SETUP = {"setup-1-level.png", "setup-2-place.png", "setup-3-office.png"}


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_every_page_exists_and_reads_in_thai():
    for topic, _title in manual.TOPICS:
        html = manual.page_path(topic).read_text(encoding="utf-8")
        words = set(re.findall(r"[A-Za-z]{2,}", _text(html)))
        assert words <= ALLOWED_LATIN, (topic, words - ALLOWED_LATIN)
        assert re.search(r"[\u0e00-\u0e7f]{20,}", _text(html)), topic
    assert set(manual.SCREEN_TOPICS) == {entry.key for entry in SCREENS}
    assert set(manual.SCREEN_TOPICS.values()) <= {t for t, _ in manual.TOPICS}


def test_the_pictures_are_the_screenshot_scripts():
    """Each picture is named as ``dev.py screenshots`` names it: <office>-<nn>-<screen>[-tab or
    state].png, nn the screen's place in the navigation."""
    keys = [entry.key for entry in SCREENS]
    for topic, _title in manual.TOPICS:
        html = manual.page_path(topic).read_text(encoding="utf-8")
        for name in re.findall(r'src="images/([^"]+)"', html):
            if name in SETUP:
                continue
            match = re.fullmatch(r"(lao|district)-(\d\d)-([a-z]+)(?:-(.+))?\.png", name)
            assert match, name
            _office, number, key, rest = match.groups()
            assert keys.index(key) + 1 == int(number), name
            assert rest is None or rest.isdigit() or f"{key}-{rest}" in STATES, name


def test_f1_opens_the_page_of_the_screen_shown(qtbot, window):
    main, ctx = window
    for key in main.keys:
        main.show_screen(key)
        qtbot.waitUntil(lambda: not ctx.runner.active, timeout=10000)
        shortcut(qtbot, main.nav, Qt.Key.Key_F1)
        shown = main.findChild(manual.HelpWindow)
        assert shown is not None and shown.isVisible(), key
        assert shown.topic == manual.SCREEN_TOPICS[key], key
        assert shown.page.toPlainText().strip()  # the page's text is there
    # on the exchange screen the import tab has its own page
    main.show_screen("exchange")
    exchange = main.page("exchange")
    exchange.tabs.setCurrentIndex(exchange.tab_of(exchange.import_tab))
    shortcut(qtbot, main.nav, Qt.Key.Key_F1)
    assert main.findChild(manual.HelpWindow).topic == "import"
    assert len(main.findChildren(manual.HelpWindow)) == 1  # one manual window, reused
