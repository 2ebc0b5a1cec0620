"""The application's look: the bundled Sarabun font, a size that suits Thai, and room for
stacked marks.

Thai reads best about 2 pt larger than the Latin default. Sarabun's own line metrics are tight
for a tone mark over an upper vowel (ปุ๋ย, ที่, ญี่ปุ่น): its typographic ascender (1068/1000 em,
which Qt uses because the font sets USE_TYPO_METRICS) ends below the stacked marks (1236), so
every widget that clips text to one line (tab labels, buttons, cells) cut the marks off, most
visibly at 150 % scaling. The fonts are therefore registered with a taller ascender and
descender (``STACKED_ASCENDER``/``STACKED_DESCENDER``), patched in memory when they are
loaded: every widget then gets the room, not just the ones we remember to pad. (Sarabun has
no Reserved Font Name, so the OFL allows this modified copy under its own name.)
"""

from __future__ import annotations

import logging
import struct

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QWidget

from lev_desktop.paths import resources_dir

log = logging.getLogger(__name__)

FONT_FAMILY = "Sarabun"
FONT_STYLES = ("Regular", "Bold", "Italic", "BoldItalic")
# Points added to the platform's default size.
SIZE_BONUS = 2.0
# Line height as a multiple of the (patched) font height, for table rows.
LINE_FACTOR = 1.3
# Font units (1000 per em): the top of ญี่ / ปุ๋ย is at about 1236, the foot of ฎุ at about -330.
STACKED_ASCENDER = 1250
STACKED_DESCENDER = -350

_loaded: list[str] = []
_styled: list[QStyle] = []
_base_size: list[float] = []


def load_fonts() -> list[str]:
    """Registers the bundled Sarabun faces with Qt; returns the families that loaded."""
    if _loaded:
        return list(_loaded)
    folder = resources_dir() / "fonts"
    for style in FONT_STYLES:
        path = folder / f"Sarabun-{style}.ttf"
        try:
            data = with_room_for_marks(path.read_bytes())
        except (OSError, ValueError, struct.error):
            log.warning("font not patched: %s", path, exc_info=True)
            font_id = QFontDatabase.addApplicationFont(str(path))
        else:
            font_id = QFontDatabase.addApplicationFontFromData(QByteArray(data))
        if font_id < 0:
            log.warning("font not loaded: %s", path)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in _loaded:
                _loaded.append(family)
    return list(_loaded)


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def with_room_for_marks(
    font: bytes, ascender: int = STACKED_ASCENDER, descender: int = STACKED_DESCENDER
) -> bytes:
    """The TrueType font with its hhea and OS/2 typo ascender/descender set to the given
    values (never lowered), checksums fixed. Raises ValueError for a font without them."""
    data = bytearray(font)
    count = struct.unpack(">H", data[4:6])[0]
    tables: dict[bytes, tuple[int, int, int]] = {}
    for index in range(count):
        entry = 12 + 16 * index
        tag, _checksum_value, offset, length = struct.unpack(">4sIII", data[entry : entry + 16])
        tables[tag] = (entry, offset, length)
    if b"hhea" not in tables or b"OS/2" not in tables or b"head" not in tables:
        raise ValueError("not a TrueType font with hhea, OS/2 and head tables")

    def patch(offset: int) -> None:
        old_asc, old_desc = struct.unpack(">hh", data[offset : offset + 4])
        struct.pack_into(">hh", data, offset, max(old_asc, ascender), min(old_desc, descender))

    patch(tables[b"hhea"][1] + 4)  # ascender, descender
    patch(tables[b"OS/2"][1] + 68)  # sTypoAscender, sTypoDescender
    head = tables[b"head"][1]
    struct.pack_into(">I", data, head + 8, 0)  # checkSumAdjustment, recomputed below
    for tag in (b"hhea", b"OS/2", b"head"):
        entry, offset, length = tables[tag]
        struct.pack_into(">I", data, entry + 4, _checksum(bytes(data[offset : offset + length])))
    struct.pack_into(">I", data, head + 8, (0xB1B0AFBA - _checksum(bytes(data))) & 0xFFFFFFFF)
    return bytes(data)


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
    font.setHintingPreference(hinting_for(_screen_ratio()))
    return font


def hinting_for(device_pixel_ratio: float) -> QFont.HintingPreference:
    """Full hinting on ordinary office screens (96 dpi at 100 % or 125 %: unhinted text is
    blurred there, most of all Thai marks a few pixels high); none from 150 % up, where the
    pixels are small enough and hinting would only distort the letter shapes."""
    if device_pixel_ratio < 1.5:
        return QFont.HintingPreference.PreferFullHinting
    return QFont.HintingPreference.PreferNoHinting


def _screen_ratio() -> float:
    screen = QGuiApplication.primaryScreen()
    return screen.devicePixelRatio() if screen is not None else 1.0


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


# The widget style under the stylesheet: Fusion draws the same on Windows 10, 11 and Linux, so
# what the tests and screenshots show is what an office sees; the native Windows 11 style is
# not drawn with stylesheets the same way (paddings on its tab bars and headers are ignored).
BASE_STYLE = "Fusion"


def make_style() -> QStyle:
    """Fusion with Thai break opportunities in cells and headers (``ui.thai_wrap``)."""
    from ui.thai_wrap import ThaiWrapStyle

    # by name: the proxy makes (and owns) its base style; a base made here would be owned by
    # Python and the proxy both
    return ThaiWrapStyle(BASE_STYLE)


def base_style_name() -> str:
    """The name of the widget style under ours ("fusion")."""
    ours = _styled[0] if _styled else None
    if isinstance(ours, QProxyStyle) and ours.baseStyle() is not None:
        return ours.baseStyle().name()
    return QApplication.style().name()


def apply(app: QApplication) -> None:
    from ui import thai_wrap

    load_fonts()
    if not _styled:  # once per application: replacing a style re-polishes every widget
        _styled.append(make_style())
        app.setStyle(_styled[0])
    app.setFont(app_font())
    app.setStyleSheet(stylesheet())
    thai_wrap.install(app)
