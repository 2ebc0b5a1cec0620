"""What the main window remembers between starts: size and position (or maximised), the
splitters' positions and the column widths a person chose.

Kept per user in ``window.ini`` in the data folder (not in the database, which a district may
share between PCs with other screens). The first start opens maximised, so the window uses the
whole screen whatever its size and wherever the taskbar is. A remembered position that is no
longer on a screen (a second monitor unplugged, another resolution) is moved back onto the
screen.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSettings, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from lev_desktop.paths import data_dir

FILE_NAME = "window.ini"


def settings() -> QSettings:
    return QSettings(str(data_dir() / FILE_NAME), QSettings.Format.IniFormat)


# ---- the window -------------------------------------------------------------------------------


def show_main(window: QMainWindow) -> None:
    """Shows the main window as it was left; maximised the first time."""
    store = settings()
    geometry = store.value("main/geometry")
    maximised = store.value("main/maximised", True) not in (False, "false", "0", 0)
    restored = isinstance(geometry, (QByteArray, bytes)) and window.restoreGeometry(
        QByteArray(geometry)
    )
    if maximised or not restored:
        window.showMaximized()
    else:
        window.show()
        # once shown, the frame is known: all of it must be on the screen
        QTimer.singleShot(0, window, lambda: keep_on_screen(window))


def keep_on_screen(window: QWidget) -> None:
    """Moves and shrinks the window into the available area of the screen it is most on."""
    frame = window.frameGeometry()
    screen = QGuiApplication.screenAt(frame.center()) or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area: QRect = screen.availableGeometry()
    if area.contains(frame):
        return
    extra_w = frame.width() - window.width()  # the frame around the window's content
    extra_h = frame.height() - window.height()
    width = min(frame.width(), area.width())
    height = min(frame.height(), area.height())
    x = min(max(frame.x(), area.x()), area.right() - width + 1)
    y = min(max(frame.y(), area.y()), area.bottom() - height + 1)
    window.resize(width - extra_w, height - extra_h)
    window.move(x, y)


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
