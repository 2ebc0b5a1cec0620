"""What the main window remembers between starts: size and position (or maximised), the
splitters' positions and the column widths a person chose.

Kept per user in ``window.ini`` in the data folder (not in the database, which a district may
share between PCs with other screens). The first start opens maximised, so the window uses the
whole screen whatever its size and wherever the taskbar is. A remembered position that is no
longer on a screen (a second monitor unplugged, another resolution) is moved back onto the
screen.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMargins, QRect, QSettings, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from lev_desktop.paths import data_dir

FILE_NAME = "window.ini"


def settings() -> QSettings:
    return QSettings(str(data_dir() / FILE_NAME), QSettings.Format.IniFormat)


# ---- the window -------------------------------------------------------------------------------


def show_main(window: QMainWindow) -> None:
    """Shows the main window as it was left; maximised the first time.

    Wherever the taskbar is (bottom, left, top or right), the window and the size it returns
    to when no longer maximised lie within the screen's available area; a size or place
    remembered from a bigger screen, or from a monitor since unplugged, is brought within it.
    """
    store = settings()
    geometry = store.value("main/geometry")
    maximised = store.value("main/maximised", True) not in (False, "false", "0", 0)
    restored = isinstance(geometry, (QByteArray, bytes)) and window.restoreGeometry(
        QByteArray(geometry)
    )
    if restored:
        normal = window.normalGeometry()
        rect = normal if normal.isValid() and not normal.isEmpty() else window.geometry()
        # shown as it was, the real frame is checked once shown (keep_on_screen); maximised,
        # the size it returns to allows for a frame
        window.setGeometry(placed(rect, available_area(rect), FRAME if maximised else None))
    else:
        window.setGeometry(first_placement(available_area()))
    if maximised or not restored:
        window.showMaximized()
    else:
        window.show()
        # once shown, the frame is known: all of it must be on the screen
        QTimer.singleShot(0, window, lambda: keep_on_screen(window))


# The frame a window manager puts around the window (Windows 10/11: borders of 8 px, a title
# bar of about 31) before the window is shown and its real frame is known.
FRAME = QMargins(8, 31, 8, 8)
DEFAULT_SIZE = (1280, 720)


def available_area(rect: QRect | None = None) -> QRect:
    """The available area (the screen less its taskbar, on whatever edge) of the screen that
    shows most of ``rect``; the primary screen's when none does (a monitor unplugged)."""
    best = QGuiApplication.primaryScreen()
    if rect is not None:
        most = 0
        for screen in QGuiApplication.screens():
            shared = screen.geometry().intersected(rect)
            size = 0 if shared.isEmpty() else shared.width() * shared.height()
            if size > most:
                best, most = screen, size
    if best is None:
        return QRect(0, 0, *DEFAULT_SIZE)
    return best.availableGeometry()


def placed(rect: QRect, area: QRect, frame: QMargins | None = None) -> QRect:
    """``rect`` (a window's content) moved, and shrunk if need be, so that it and its ``frame``
    lie wholly within ``area``."""
    inner = area.marginsRemoved(frame) if frame is not None else QRect(area)
    width = max(1, min(rect.width(), inner.width()))
    height = max(1, min(rect.height(), inner.height()))
    x = min(max(rect.x(), inner.x()), inner.x() + inner.width() - width)
    y = min(max(rect.y(), inner.y()), inner.y() + inner.height() - height)
    return QRect(x, y, width, height)


def first_placement(area: QRect) -> QRect:
    """Where the window goes the first time when it is not maximised: 1280×720, or nine tenths
    of a smaller available area, in the middle of it."""
    width = min(DEFAULT_SIZE[0], area.width() * 9 // 10)
    height = min(DEFAULT_SIZE[1], area.height() * 9 // 10)
    rect = QRect(0, 0, width, height)
    rect.moveCenter(area.center())
    return placed(rect, area, FRAME)


def keep_on_screen(window: QWidget) -> None:
    """Moves and shrinks the window into the available area of the screen it is most on."""
    frame = window.frameGeometry()
    area = available_area(frame)
    if area.contains(frame):
        return
    margins = QMargins(
        window.geometry().x() - frame.x(),
        window.geometry().y() - frame.y(),
        frame.right() - window.geometry().right(),
        frame.bottom() - window.geometry().bottom(),
    )
    window.setGeometry(placed(window.geometry(), area, margins))


def save_main(window: QMainWindow) -> None:
    store = settings()
    store.setValue("main/maximised", window.isMaximized())
    store.setValue("main/geometry", window.saveGeometry())
    store.sync()


# ---- splitters and columns ---------------------------------------------------------------------


def widget_key(widget: QWidget, root: QWidget, prefix: str = "") -> str:
    """A name for a widget that stays the same between starts: its class and position among
    siblings of the same class, from ``root`` down."""
    parts = []
    current: QWidget | None = widget
    while current is not None and current is not root:
        parent = current.parentWidget()
        if current.objectName() and not current.objectName().startswith("qt_"):
            parts.append(current.objectName())
        else:
            siblings = (
                [c for c in parent.findChildren(type(current)) if c.parentWidget() is parent]
                if parent is not None
                else [current]
            )
            parts.append(f"{type(current).__name__}{siblings.index(current)}")
        current = parent
    return "/".join([prefix, *reversed(parts)]) if prefix else "/".join(reversed(parts))


def restore_splitters(root: QWidget, prefix: str) -> None:
    store = settings()
    for splitter in root.findChildren(QSplitter):
        state = store.value(f"splitters/{widget_key(splitter, root, prefix)}")
        if isinstance(state, (QByteArray, bytes)):
            splitter.restoreState(QByteArray(state))


def save_splitters(root: QWidget, prefix: str) -> None:
    store = settings()
    for splitter in root.findChildren(QSplitter):
        store.setValue(f"splitters/{widget_key(splitter, root, prefix)}", splitter.saveState())
    store.sync()


def value(key: str) -> str | None:
    found = settings().value(f"values/{key}")
    return None if found is None else str(found)


def set_value(key: str, text: str) -> None:
    store = settings()
    store.setValue(f"values/{key}", text)
    store.sync()


def flag(key: str) -> bool | None:
    """A remembered yes/no choice (None: never chosen)."""
    value = settings().value(f"flags/{key}")
    if value is None:
        return None
    return value not in (False, "false", "0", 0)


def set_flag(key: str, value: bool) -> None:
    store = settings()
    store.setValue(f"flags/{key}", bool(value))
    store.sync()


def column_widths(key: str) -> dict[int, int]:
    value = settings().value(f"columns/{key}")
    if not value:
        return {}
    out: dict[int, int] = {}
    for part in str(value).split(","):
        column, _sep, width = part.partition(":")
        if column.isdigit() and width.isdigit():
            out[int(column)] = int(width)
    return out


def set_column_widths(key: str, widths: dict[int, int]) -> None:
    store = settings()
    if widths:
        text = ",".join(f"{c}:{w}" for c, w in sorted(widths.items()))
        store.setValue(f"columns/{key}", text)
    else:
        store.remove(f"columns/{key}")
    store.sync()
