"""The main window: navigation pane, work area, status bar.

The window shows at once, before the database is open (start-up: ``ui.app`` opens it on the
worker meanwhile and the window says so); ``attach(ctx)`` then fills the status bar and builds
the first screen. Screens come from the registry (``ui.screens.SCREENS``) in its order and are
built the first time they are shown; a screen that fails to import or to build (a program
error) gets a page saying so while the others work. The window calls a screen's ``refresh()``
when it is shown and when the fiscal year or the data change, and ``open_item(arg)`` when
someone asks ``ctx.navigate(key, arg)``.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from pathlib import PureWindowsPath
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QDesktopServices,
    QIcon,
    QKeySequence,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from lev_desktop import APP_NAME, i18n, options
from lev_desktop.changes import Changes
from lev_desktop.i18n import N_, _, ngettext
from lev_desktop.paths import log_dir, resources_dir
from lev_desktop.thai_format import fiscal_year as fiscal_year_of
from ui import digits, thai_wrap, window_state
from ui.screens import SCREENS, Screen, screen
from ui.widgets import date_edit
from ui.widgets.delegates import DigitsDelegate
from ui.widgets.status_label import OfficeLabel
from ui.widgets.table_view import show_status

if TYPE_CHECKING:
    # only a type here: importing the context would load the database layer before the
    # window's first paint
    from ui.context import AppContext
    from ui.screens import ScreenFactory

log = logging.getLogger(__name__)

BADGE_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole


def icon_for(name: str, widget: QWidget) -> QIcon:
    """A QStyle standard pixmap name (``SP_…``) or a file in resources/icons."""
    if name.startswith("SP_") and hasattr(QStyle.StandardPixmap, name):
        return widget.style().standardIcon(getattr(QStyle.StandardPixmap, name))
    path = resources_dir() / "icons" / name
    return QIcon(str(path)) if path.exists() else QIcon()


class BadgeDelegate(DigitsDelegate):
    """Draws the navigation item, its title wrapped at word boundaries when the pane is narrow,
    and, when it has one, a red count bubble at its right."""

    BADGE_ROOM = 28  # the count bubble's column
    ICON_ROOM = 22 + 6 + 12  # icon, gap, item padding

    def text_width(self, option: QStyleOptionViewItem) -> int:
        view = option.widget
        width = (
            view.viewport().width()
            if isinstance(view, QAbstractScrollArea)
            else option.rect.width()
        )
        return max(width - self.ICON_ROOM - self.BADGE_ROOM - 8, 40)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        metrics = option.fontMetrics
        width = self.text_width(option)
        # as painted: the lines ui.thai_wrap gives the title at this width
        text = thai_wrap.wrapped(str(index.data() or ""), option.font, width)
        wrapped = metrics.boundingRect(
            QRect(0, 0, width, 10_000),
            int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap),
            text,
        )
        height = max(size.height(), wrapped.height() + 16, int(metrics.height() * 2.2))
        return QSize(size.width() + self.BADGE_ROOM, height)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        option = QStyleOptionViewItem(option)
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        option.rect = option.rect.adjusted(0, 0, -self.BADGE_ROOM, 0)
        super().paint(painter, option, index)
        option.rect = option.rect.adjusted(0, 0, self.BADGE_ROOM, 0)
        count = index.data(BADGE_ROLE) or 0
        if not count:
            return
        text = digits.shown(str(count) if count < 100 else "99+")
        metrics = option.fontMetrics
        width = max(metrics.horizontalAdvance(text) + 12, metrics.height() + 2)
        height = metrics.height() + 2
        rect = QRect(
            option.rect.right() - width - 8, option.rect.center().y() - height // 2, width, height
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#c62828"))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


class BrokenPage(QWidget):
    """The page of a screen that could not be opened because of a program error."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        message = QLabel(
            _(
                "This part could not be opened because of a program error. The details are "
                "in the log folder; the other parts work as usual."
            )
        )
        message.setWordWrap(True)
        layout.addWidget(message)
        layout.addStretch(1)


class _PaintWatch(QObject):
    """Emits once, at the first paint of the watched widget (start-up measurement)."""

    painted = Signal()

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            QTimer.singleShot(0, self.painted.emit)
        return False


class MainWindow(QMainWindow):
    first_painted = Signal()  # the window's first paint (start-up measurement)
    screen_ready = Signal()  # the first screen is built and painted

    def __init__(self, ctx: AppContext | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx: AppContext | None = None
        self.setWindowTitle(APP_NAME)
        self.keys = [entry.key for entry in SCREENS]
        self.pages: dict[str, QWidget] = {}
        # the widget class of each screen whose module was imported (None: it failed)
        self.classes: dict[str, ScreenFactory | None] = {}
        self._closing = False
        # Asked before the window closes; False keeps it open (a backup at close runs first
        # and closes the window when done). Set by the Launcher (ui.continuity).
        self.close_guard: Callable[[], bool] | None = None
        self._quit_confirmed = False  # the person chose to quit without values in red
        # Texts made before the database is open, in the language of the command line (Thai
        # by default): (widget, setter, msgid), set again once the database's settings have
        # chosen the language (``attach``; otherwise the navigation and menus stayed Thai in
        # an English interface).
        self._texts: list[tuple[object, str, str]] = []
        self._language = i18n.current_language()

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setItemDelegate(BadgeDelegate(self.nav))
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        nav_palette = self.nav.palette()
        nav_palette.setColor(
            QPalette.ColorRole.Base, nav_palette.color(QPalette.ColorRole.Window).darker(104)
        )
        self.nav.setPalette(nav_palette)
        self.stack = QStackedWidget()
        # what the work area says until the database is open
        self.waiting = QLabel()
        self._named(self.waiting, "setText", N_("Opening the database…"))
        self.waiting.setObjectName("hint")
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waiting.setWordWrap(True)
        self.stack.addWidget(self.waiting)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        # The navigation is built from the registry without importing the screen modules
        # (start-up time); each module is imported when its screen is first shown, and the
        # rest right after the first paint (see _preload).
        for entry in SCREENS:
            key = entry.key
            item = QListWidgetItem(icon_for(entry.icon, self), "")
            self._named(item, "setText", entry.title)
            self._named(item, "setToolTip", entry.title)
            item.setData(KEY_ROLE, key)
            item.setData(BADGE_ROLE, 0)
            self.nav.addItem(item)
            placeholder = QWidget()
            self.pages[key] = placeholder
            self.stack.addWidget(placeholder)
        self._built: set[str] = set()
        self._fit_navigation()
        self.nav.setEnabled(False)
        self.stack.setCurrentWidget(self.waiting)

        self._build_status_bar()
        self._build_menus()
        self.nav.currentRowChanged.connect(self._row_changed)

        self._watch = _PaintWatch(self)
        self._watch.painted.connect(self.first_painted)
        self.installEventFilter(self._watch)
        self.nav.viewport().installEventFilter(self._watch)
        self.screen_ready.connect(self._preload)

        self._default_size()
        if ctx is not None:
            self.attach(ctx)

    @property
    def ctx(self) -> AppContext:
        assert self._ctx is not None, "the window has no database yet (attach)"
        return self._ctx

    @property
    def has_ctx(self) -> bool:
        """A database is attached (a window still opening one has none)."""
        return self._ctx is not None

    def set_waiting(self, text: str) -> None:
        """What the work area says while the database opens (or demo data is made)."""
        self.waiting.setText(text)

    def _named(self, target: object, setter: str, msgid: str) -> None:
        """Gives ``target`` the translation of ``msgid`` now and again in ``retranslate``."""
        getattr(target, setter)(_(msgid))
        self._texts.append((target, setter, msgid))

    def retranslate(self) -> None:
        """The navigation, menus and status bar in the interface's language, when the
        database's settings chose another than the window was made in."""
        for target, setter, msgid in self._texts:
            getattr(target, setter)(_(msgid))
        self._language = i18n.current_language()
        self._fit_navigation()

    def attach(self, ctx: AppContext) -> None:
        """The database is open: fill the status bar and show the first screen."""
        self._ctx = ctx
        if self._language != i18n.current_language():
            self.retranslate()
        ctx.navigate.connect(self.show_screen)
        ctx.badge_changed.connect(self.set_badge)
        ctx.fiscal_year_changed.connect(self._fiscal_year_changed)
        ctx.changed.connect(self._changed)
        ctx.office_changed.connect(self.load_office)
        self._sync_year_combo()
        self.year_combo.setVisible(True)
        described = ctx.store.describe()
        # The file's name (the whole path in the tooltip): at 125 % the path took the room of
        # the office and officer beside it.
        name = PureWindowsPath(described).name if ctx.store.path is not None else described
        self.db_label.setText(_("Database: {name}").format(name=self._short_path(name)))
        self.db_label.setToolTip(described)
        if getattr(ctx.store, "on_network", False):
            self.db_label.setText(
                _("Database on a network drive: {name}").format(name=self._short_path(name, 36))
            )
            self.db_label.setToolTip(
                described
                + "\n"
                + _(
                    "One computer at a time can use a database on a network drive. For "
                    "several at once, use a PostgreSQL server."
                )
            )
        self.nav.setEnabled(True)
        self.load_office()
        self.show_screen(self.keys[0])
        page = self.page(self.keys[0])
        watch = _PaintWatch(page)
        watch.painted.connect(self.screen_ready)
        # The page itself may never paint (a scroll area covering it is opaque): its first
        # painted part counts.
        for part in [page, *page.findChildren(QWidget)]:
            part.installEventFilter(watch)

    def _default_size(self) -> None:
        """The size when not maximised, the first time: 1280×720 or less on a small screen,
        within the screen's available area wherever its taskbar is (ui.window_state)."""
        self.setGeometry(window_state.first_placement(window_state.available_area()))

    # ---- registry --------------------------------------------------------------------
    def _class(self, key: str) -> ScreenFactory | None:
        if key not in self.classes:
            try:
                self.classes[key] = screen(key).load()
            except Exception:
                log.error("screen %s failed to import:\n%s", key, traceback.format_exc())
                self.classes[key] = None
        return self.classes[key]

    def _preload(self) -> None:
        """Imports the remaining screen modules one per event-loop turn once the first screen
        is painted."""
        pending = [key for key in self.keys if key not in self.classes]
        if pending and not self._closing:
            self._class(pending[0])
            QTimer.singleShot(0, self._preload)

    def _fit_navigation(self) -> None:
        """As wide as the second-longest title needs on one line: the longest ("กิจกรรมและ
        ผลการดำเนินงาน") wraps, and the work area keeps the width (1366×768 at 125 %)."""
        metrics = self.nav.fontMetrics()
        titles = sorted(
            (metrics.horizontalAdvance(self.nav.item(i).text()) for i in range(self.nav.count())),
            reverse=True,
        )
        text = titles[1] if len(titles) > 1 else (titles[0] if titles else 120)
        width = text + BadgeDelegate.ICON_ROOM + BadgeDelegate.BADGE_ROOM + 12
        self.nav.setFixedWidth(min(max(width, 150), 260))
        self.nav.setWordWrap(True)
        self.nav.doItemsLayout()

    def _build_page(self, key: str) -> QWidget:
        entry: Screen = screen(key)
        cls = self._class(key)
        page: QWidget | None = None
        if cls is not None:
            try:
                page = cls(self.ctx)
            except Exception:
                log.error("screen %s failed to build:\n%s", key, traceback.format_exc())
        if page is None:
            page = BrokenPage(_(entry.title))
        old = self.pages[key]
        index = self.stack.indexOf(old)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(old)
        old.deleteLater()
        self.pages[key] = page
        self._built.add(key)
        window_state.restore_splitters(page, key)
        return page

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab in reading order: the navigation, the screen shown, the status bar (a screen
        is made after the status bar, so Qt's order put the fiscal-year box first)."""
        from ui.widgets.keys import tab_to

        if tab_to(self, [self.nav, self.stack.currentWidget()], next):
            return True
        return super().focusNextPrevChild(next)

    # ---- navigation ------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The screen widget of ``key`` (built on first use)."""
        if key not in self._built:
            return self._build_page(key)
        return self.pages[key]

    def refused(self, keys: list[str] | None = None) -> list:
        """Values in red that cannot be saved, on the given built screens (default: all)."""
        from ui.widgets.leave_guard import refused_in

        found = []
        for key in keys if keys is not None else self.keys:
            if key in self._built:
                found.extend(refused_in(self.pages[key]))
        return found

    def may_leave(self, keys: list[str] | None = None, *, quitting: bool = False) -> bool:
        """Asks first when those screens hold values that cannot be saved; True = go on."""
        from ui.widgets.leave_guard import confirm_leave

        for key in keys if keys is not None else self.keys:
            # a screen that asks for itself (Settings: text typed and not saved)
            page: Any = self.pages.get(key)
            if key in self._built and hasattr(page, "unsaved") and page.unsaved():
                self.stack.setCurrentWidget(page)
                self._select_row(key)
                if not page.may_leave():
                    return False
        refused = self.refused(keys)
        if not refused:
            return True
        if keys is not None and len(keys) == 1:
            self.stack.setCurrentWidget(self.pages[keys[0]])
        return confirm_leave(self, refused, quitting=quitting)

    def show_screen(self, key: str, arg: object = None) -> None:
        if self._ctx is None:  # no database yet
            return
        if key not in self.pages:
            log.warning("navigation to unknown screen %s", key)
            return
        current = self.current_key()
        if key != current and current in self._built and not self.may_leave([current]):
            self._select_row(current)
            return
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        self._select_row(key)
        self._refresh(page)
        if arg is not None and hasattr(page, "open_item"):
            page.open_item(arg)

    def _select_row(self, key: str) -> None:
        row = self.keys.index(key)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)

    def current_key(self) -> str:
        """The key of the screen shown in the work area."""
        widget = self.stack.currentWidget()
        for key, page in self.pages.items():
            if page is widget:
                return key
        return self.keys[0]

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(self.keys):
            self.show_screen(self.keys[row])

    def _refresh(self, page: QWidget | None) -> None:
        if page is not None and hasattr(page, "refresh"):
            page.refresh()

    def _fiscal_year_changed(self, _year: int) -> None:
        self._sync_year_combo()
        self._refresh(self.stack.currentWidget())

    def _changed(self, changes: Changes) -> None:
        """The one change notification: the screen on show reloads (not the one that made
        the change, under the person typing); the others reload when they are shown."""
        page = self.stack.currentWidget()
        if not self._closing and not changes.caused_by(page):
            self._refresh(page)

    def set_badge(self, key: str, count: int) -> None:
        if key in self.keys:
            item = self.nav.item(self.keys.index(key))
            item.setData(BADGE_ROLE, int(count))
            title = item.text()
            item.setToolTip(
                ngettext(
                    "{title}: {count} item overdue or due soon",
                    "{title}: {count} items overdue or due soon",
                    int(count),
                ).format(title=title, count=count)
                if count
                else title
            )

    def badge(self, key: str) -> int:
        return self.nav.item(self.keys.index(key)).data(BADGE_ROLE) or 0

    # ---- status bar ------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.office_label = OfficeLabel(_("Office: …"))
        self.year_combo = QComboBox()
        self._named(self.year_combo, "setAccessibleName", N_("Fiscal year"))
        self._named(self.year_combo, "setToolTip", N_("The fiscal year the screens show"))
        self.year_combo.activated.connect(self._year_chosen)
        # its width follows its text (the interface's digits may change after the first show)
        self.year_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.year_combo.setVisible(False)  # until the database is open
        self.db_label = QLabel()
        bar.addWidget(self.office_label, 1)
        bar.addPermanentWidget(self.year_combo)
        bar.addPermanentWidget(self.db_label)

    @staticmethod
    def _short_path(text: str, limit: int = 48) -> str:
        return text if len(text) <= limit else "…" + text[-(limit - 1) :]

    def _sync_year_combo(self) -> None:
        from lev_desktop.thai_format import today

        current = fiscal_year_of(today())
        years = set(range(current - 4, current + 2)) | {self.ctx.fiscal_year}
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in sorted(years, reverse=True):
            self.year_combo.addItem(digits.shown(_("Fiscal year {year}").format(year=year)), year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(self.ctx.fiscal_year))
        self.year_combo.blockSignals(False)

    def _year_chosen(self, index: int) -> None:
        year = self.year_combo.itemData(index)
        if year is None or year == self.ctx.fiscal_year:
            return
        if not self.may_leave():
            self._sync_year_combo()
            return
        store = self.ctx.store
        self.ctx.runner.run(lambda _p: options.save(store, {"fiscal_year": int(year)}), owner=self)
        self.ctx.set_fiscal_year(int(year))

    def load_office(self) -> None:
        from lev_desktop.services.offices import this_office

        store = self.ctx.store
        self.ctx.runner.run(
            lambda _p: (
                this_office(store),
                options.get(store, "ui.thai_digits"),
                options.get(store, "calendar.week_start"),
            ),
            on_success=self._show_office,
            owner=self,
        )

    def apply_digits(self, thai: bool) -> None:
        """The interface's digits (option ui.thai_digits): labels made here, and a repaint."""
        if digits.set_thai(thai):
            self._sync_year_combo()
            self._refresh(self.stack.currentWidget())
            for widget in QApplication.allWidgets():
                show_digits = getattr(widget, "show_digits", None)  # number boxes, date edits
                if callable(show_digits):
                    show_digits()
                widget.update()

    def _show_office(self, result) -> None:
        office, thai, week_start = result
        self.apply_digits(bool(thai))
        date_edit.set_week_start(week_start == "mon")
        if office is None:
            self.office_label.set_parts(_("Office: not set up"))
            return
        officer = self.ctx.store.officer
        text = _("Office: {name} ({code})").format(name=office.name, code=office.code)
        rest = "  ·  " + _("Officer: {name}").format(name=officer) if officer else ""
        self.office_label.set_parts(digits.shown(text), digits.shown(rest))
        self.setWindowTitle(f"{office.name} — {APP_NAME}")

    def save_typing(self) -> None:
        """Ctrl+S: the text of a cell or box still being typed in is handed to its screen,
        which saves it as any change; then the status bar says that changes save themselves."""
        focus = QApplication.focusWidget()
        view = focus
        while view is not None and not isinstance(view, QAbstractItemView):
            view = view.parentWidget()
        if focus is not None and self.isAncestorOf(focus):
            focus.clearFocus()  # (a cell's editor commits its text; a box says editingFinished)
            (view if view is not None else focus).setFocus()
        show_status(
            self, _("Saved. LEV Desktop saves every change as it is made: Ctrl+S is not needed.")
        )

    # ---- menus -----------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("")
        self._named(file_menu, "setTitle", N_("&File"))
        # A clerk's hand presses Ctrl+S (Excel, Word): every change is already saved as it is
        # made, but a cell still being typed in is not until it is left. Ctrl+S leaves it (its
        # text is saved) and says so, instead of doing nothing.
        save = QAction(self)
        self._named(save, "setText", N_("Save"))
        save.setShortcut(QKeySequence.StandardKey.Save)
        save.triggered.connect(self.save_typing)
        file_menu.addAction(save)
        self.save_action = save
        refresh = QAction(self)
        self._named(refresh, "setText", N_("Refresh"))
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(lambda: self._refresh(self.stack.currentWidget()))
        file_menu.addAction(refresh)
        # where a clerk looks for it first (found in the Xvfb run of round 3: only Settings had it)
        backups = QAction(self)
        self._named(backups, "setText", N_("Back up and restore…"))
        backups.triggered.connect(lambda: self.show_screen("settings", "backups"))
        file_menu.addAction(backups)
        self.backups_action = backups
        logs = QAction(self)
        self._named(logs, "setText", N_("Open the log folder"))
        logs.triggered.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir()))))
        file_menu.addAction(logs)
        file_menu.addSeparator()
        quit_action = QAction(self)
        self._named(quit_action, "setText", N_("E&xit"))
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu("")
        self._named(go_menu, "setTitle", N_("&Go"))
        for number, (key, entry) in enumerate(zip(self.keys, SCREENS, strict=True), start=1):
            action = QAction(self.nav.item(number - 1).icon(), "", self)
            self._named(action, "setText", entry.title)
            if number <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, k=key: self.show_screen(k))
            go_menu.addAction(action)

        help_menu = self.menuBar().addMenu("")
        self._named(help_menu, "setTitle", N_("&Help"))
        manual = QAction(self)
        self._named(manual, "setText", N_("User manual"))
        manual.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))  # F1
        self._named(manual, "setToolTip", N_("The manual's page for this screen"))
        manual.triggered.connect(self.open_help)
        help_menu.addAction(manual)
        self.help_action = manual
        about = QAction(self)
        self._named(about, "setText", N_("About LEV Desktop"))
        about.triggered.connect(lambda: self.show_screen("settings", "about"))
        help_menu.addAction(about)

    def open_help(self) -> None:
        """The user manual at the page of the screen shown (F1)."""
        from ui import help as manual

        manual.show_help(self, manual.topic_for(self))

    # ---- closing ---------------------------------------------------------------------
    def save_state(self) -> None:
        """Size, position and splitters for the next start (ui.window_state)."""
        try:
            window_state.save_main(self)
            for key in self._built:
                window_state.save_splitters(self.pages[key], key)
        except Exception:  # never stand in the way of closing
            log.warning("window state not saved", exc_info=True)

    def closeEvent(self, event) -> None:
        if not self._closing and not self._quit_confirmed:
            # values in red first (they cannot be saved), then what else must happen at close
            if not self.may_leave(quitting=True):
                event.ignore()
                return
            self._quit_confirmed = True
        if self.close_guard is not None and not self._closing and not self.close_guard():
            event.ignore()
            return
        self._closing = True
        self.save_state()
        if self._ctx is not None:
            runner = self._ctx.runner
            if runner.active:
                self.statusBar().showMessage(_("Waiting for running tasks to stop…"))
            runner.cancel_all()
            runner.wait(30000)
        super().closeEvent(event)
