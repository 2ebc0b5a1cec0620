"""Tab in the main window follows reading order (fit16, under Xvfb at 1366×768 at 125 %): Tab
from the navigation went to the status bar's fiscal-year box first (a screen is made after the
status bar, and Qt's Tab order is the order widgets were made in), and Home's "เปิดแบบฟอร์ม",
made when its tasks were read, came after "เปิดปฏิทินกำหนดส่ง" below it."""

from __future__ import annotations

from keyboard import focused
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from waits import idle

SIZE_125 = (1092, 582)  # a maximised window on a 1366×768 screen at 125 %


def _window(qtbot, store, make_ctx):
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application()
    ctx = make_ctx(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(*SIZE_125)
    window.show()
    qtbot.waitExposed(window)
    idle(qtbot, ctx)
    return window, ctx


def _tabs_from_the_navigation(qtbot, window, limit: int = 40) -> list:
    window.nav.setFocus(Qt.FocusReason.OtherFocusReason)
    seen = []
    for _step in range(limit):
        qtbot.keyClick(focused(window), Qt.Key.Key_Tab)
        now = focused(window)
        if now is window.nav:
            break
        seen.append(now)
    return seen


def _centre_y(widget, window) -> int:
    return widget.mapTo(window, widget.rect().center()).y()


def test_tab_from_the_navigation_reads_the_screen_then_the_status_bar(qtbot, demo_store, make_ctx):
    window, ctx = _window(qtbot, demo_store, make_ctx)
    home = window.page("home")
    qtbot.waitUntil(
        lambda: any(b.text() == "เปิดแบบฟอร์ม" for b in home.findChildren(QPushButton)),
        timeout=20000,
    )
    idle(qtbot, ctx)
    seen = _tabs_from_the_navigation(qtbot, window)
    assert seen[-1] is window.year_combo  # the status bar last
    on_the_page = seen[:-1]
    assert on_the_page and all(home.isAncestorOf(w) for w in on_the_page)
    # top to bottom: the task's buttons before the calendar's, under the tasks
    heights = [_centre_y(w, window) for w in on_the_page]
    assert heights == sorted(heights)
    assert on_the_page[-1].text() == "เปิดปฏิทินกำหนดส่ง"
    # Shift+Tab from the navigation: the status bar, the end of the round
    window.nav.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClick(window.nav, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused(window) is window.year_combo
    ctx.runner.wait()


def test_the_export_tab_is_tabbed_in_reading_order(qtbot, demo_store, make_ctx):
    window, ctx = _window(qtbot, demo_store, make_ctx)
    window.show_screen("exchange")
    exchange = window.page("exchange")
    tab = exchange.export_tab
    exchange.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.programmes.count() > 0, timeout=20000)
    idle(qtbot, ctx)
    seen = _tabs_from_the_navigation(qtbot, window)
    texts = [getattr(w, "text", lambda: "")() for w in seen]
    first = [tab.recipient, tab.programmes, tab.years, tab.since_last, tab.out]
    at = seen.index(tab.recipient)
    assert seen[at : at + 5] == first
    assert texts[at + 5 : at + 7] == ["เลือก…", "ส่งออกแพ็กเกจ"]
    assert seen[-1] is window.year_combo
    ctx.runner.wait()
