"""The application's look: the bundled Sarabun font, a size that suits Thai, and room for
stacked marks.

Thai reads best about 2 pt larger than the Latin default, and Sarabun's own line spacing is
tight for a tone mark over an upper vowel (ปุ๋ย, ที่, ญี่ปุ่น): widgets that draw one line of text
get extra padding, and table rows are ``row_height()`` tall.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication, QWidget

from lev_desktop.paths import resources_dir

log = logging.getLogger(__name__)

FONT_FAMILY = "Sarabun"
FONT_STYLES = ("Regular", "Bold", "Italic", "BoldItalic")
# Points added to the platform's default size.
SIZE_BONUS = 2.0
# Line height as a multiple of the font's own height, for rows and one-line widgets.
LINE_FACTOR = 1.55

_loaded: list[str] = []
_base_size: list[float] = []


def load_fonts() -> list[str]:
    """Registers the bundled Sarabun faces with Qt; returns the families that loaded."""
    if _loaded:
        return list(_loaded)
    folder = resources_dir() / "fonts"
    for style in FONT_STYLES:
        path = folder / f"Sarabun-{style}.ttf"
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("font not loaded: %s", path)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in _loaded:
                _loaded.append(family)
    return list(_loaded)


def app_font(base: QFont | None = None) -> QFont:
    if base is None:
        if not _base_size:  # the platform default, before our own font replaced it
            default = QApplication.font().pointSizeF()
            _base_size.append(default if default > 0 else 9.0)
        size = _base_size[0]
    else:
        size = base.pointSizeF() if base.pointSizeF() > 0 else 9.0
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(size + SIZE_BONUS)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def row_height(widget: QWidget | None = None) -> int:
    metrics = widget.fontMetrics() if widget is not None else QFontMetrics(QApplication.font())
    return int(metrics.height() * LINE_FACTOR) + 2


def stylesheet() -> str:
    """Padding that gives Thai marks room in one-line widgets; nothing else is restyled."""
    return """
QLineEdit, QComboBox, QSpinBox, QDateEdit, QDateTimeEdit { padding: 3px 4px; }
QPushButton { padding: 4px 12px; }
QTabBar::tab { padding: 5px 12px; }
QHeaderView::section { padding: 4px 6px; }
QStatusBar QLabel { padding: 0px 6px; }
QListWidget#navigation { border: none; outline: 0; }
QListWidget#navigation::item { padding: 8px 6px; }
QLabel#pageTitle { font-size: 15pt; font-weight: bold; padding: 4px 0px; }
QLabel#hint { color: #555555; }
"""


def apply(app: QApplication) -> None:
    load_fonts()
    app.setFont(app_font())
    app.setStyleSheet(stylesheet())
