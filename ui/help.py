"""The user manual inside the program, in Thai, offline: Help › User manual, or F1 for the page
of the screen in front of the clerk.

The pages are HTML in ``resources/help/th``; their pictures (``resources/help/images``) are
taken by ``python3 dev.py help-images`` from the real screens with the demo data (the same
script as ``dev.py screenshots``), so they show this version; the bundle is built with them.
A checkout without them shows the text and a line saying how to make them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from lev_desktop.i18n import N_, _
from lev_desktop.paths import resources_dir
from ui.widgets.fit import fit_to_screen

if TYPE_CHECKING:
    from ui.main_window import MainWindow

# (page, title) in the manual's order: start, a plan, results, indicators, deadlines, sending
# to the district, importing there, reports, backing up, settings, keys.
TOPICS: tuple[tuple[str, str], ...] = (
    ("start", N_("Getting started")),
    ("plans", N_("Action plan (F1)")),
    ("activities", N_("Activities, results and monitoring (F2, F3)")),
    ("kpi", N_("Indicators")),
    ("calendar", N_("Deadline calendar")),
    ("send", N_("Sending data to the district")),
    ("import", N_("Importing at the district and province")),
    ("reports", N_("Printing reports")),
    ("backup", N_("Backing up")),
    ("settings", N_("Settings")),
    ("keys", N_("Keyboard shortcuts")),
)
# The page of each screen (and of the exchange screen's tabs).
SCREEN_TOPICS = {
    "home": "start",
    "plans": "plans",
    "activities": "activities",
    "kpi": "kpi",
    "calendar": "calendar",
    "reports": "reports",
    "exchange": "send",
    "settings": "settings",
}
EXCHANGE_TABS = {0: "send", 1: "import", 2: "import"}


def help_dir() -> Path:
    return resources_dir() / "help"


def page_path(topic: str) -> Path:
    return help_dir() / "th" / f"{topic}.html"


def images_present() -> bool:
    folder = help_dir() / "images"
    return folder.is_dir() and any(folder.glob("*.png"))


def topic_for(window: MainWindow) -> str:
    """The manual's page for what the main window shows now."""
    key = window.current_key()
    topic = SCREEN_TOPICS.get(key, "start")
    if key == "exchange":
        page = window.page(key)
        tabs = getattr(page, "tabs", None)
        if isinstance(tabs, QTabWidget):
            topic = EXCHANGE_TABS.get(tabs.currentIndex(), "send")
    return topic


class HelpWindow(QDialog):
    """The manual: its contents on the left, the page on the right."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("LEV Desktop user manual"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        fit_to_screen(self, 1080, 720)
        self.contents = QListWidget()
        self.contents.setObjectName("helpContents")
        for topic, title in TOPICS:
            item = QListWidgetItem(_(title))
            item.setData(Qt.ItemDataRole.UserRole, topic)
            self.contents.addItem(item)
        self.contents.setWordWrap(True)
        self.contents.setMaximumWidth(260)
        self.page = QTextBrowser()
        self.page.setOpenExternalLinks(False)
        self.page.setSearchPaths([str(help_dir()), str(help_dir() / "th")])
        self.page.anchorClicked.connect(self._link)
        self.note = QLabel(
            _(
                "The pictures of this manual are made from the program's screens: "
                "python3 dev.py help-images"
            )
        )
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.note.setVisible(not images_present())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.contents)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.note)
        right_layout.addWidget(self.page, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 860])
        layout = QHBoxLayout(self)
        layout.addWidget(splitter)
        self.contents.currentRowChanged.connect(self._row_changed)
        self.topic = ""

    def show_topic(self, topic: str) -> None:
        topics = [t for t, _title in TOPICS]
        row = topics.index(topic) if topic in topics else 0
        if self.contents.currentRow() != row:
            self.contents.setCurrentRow(row)  # loads the page
        else:
            self._load(topics[row])

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(TOPICS):
            self._load(TOPICS[row][0])

    def _load(self, topic: str) -> None:
        self.topic = topic
        path = page_path(topic)
        html = path.read_text(encoding="utf-8") if path.exists() else ""
        self.page.setHtml(html)

    def _link(self, url: QUrl) -> None:
        name = url.fileName().removesuffix(".html")
        if name in dict(TOPICS):
            self.show_topic(name)


_windows: list[HelpWindow] = []


def show_help(parent: QWidget | None, topic: str) -> HelpWindow:
    """Opens (or brings forward) the manual at ``topic``; non-modal, work goes on beside it."""
    _windows[:] = [w for w in _windows if isValid(w)]
    live = [w for w in _windows if w.parent() is parent]
    window = live[0] if live else HelpWindow(parent)
    if not live:
        _windows.append(window)
    window.show_topic(topic)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
