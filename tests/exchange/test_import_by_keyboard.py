"""A district officer's import by keyboard in the main window at 1366×768 at 125 % (fit15,
under Xvfb): Tab, Enter and what the screen says and shows after each step."""

from __future__ import annotations

from pathlib import Path

import pytest
from keyboard import focused
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea, QTabBar
from waits import idle

from lev_desktop.exchange.exporter import export_package

from .helpers import make_district, make_lao

SIZE_125 = (1092, 582)  # a maximised window on a 1366×768 screen at 125 %


@pytest.fixture
def officer(qtbot, tmp_path: Path, make_ctx):
    """The main window of a district at 125 %, its import tab showing, with two LAOs' first
    packages (new keys) and one cut short."""
    from ui import thai_wrap
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application()
    thai_wrap.load()
    laos = [make_lao(tmp_path / f"{code}.db", code, seed=4) for code in ("4801006", "4801007")]
    files = [
        export_package(lao, "D4801", tmp_path / f"{lao.office_code}.levpkg").path for lao in laos
    ]
    cut = tmp_path / "4801009-cut.levpkg"
    cut.write_bytes(files[0].read_bytes()[:500])
    district = make_district(tmp_path / "district.db")
    ctx = make_ctx(district, fiscal_year=None)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(*SIZE_125)
    window.show()
    qtbot.waitExposed(window)
    window.show_screen("exchange")
    exchange = window.page("exchange")
    tab = exchange.import_tab
    exchange.tabs.setCurrentWidget(tab)
    idle(qtbot, ctx)
    window.activateWindow()
    yield window, ctx, tab, [str(p) for p in [*files, cut]]
    ctx.runner.cancel_all()
    ctx.runner.wait()
    for lao in laos:
        lao.dispose()
    district.dispose()


def _preview(qtbot, ctx, tab, files) -> None:
    tab.add_files(files)
    qtbot.waitUntil(lambda: tab.plan is not None, timeout=20000)
    idle(qtbot, ctx)
    QApplication.processEvents()


def _button(tab, text: str) -> QPushButton:
    return next(b for b in tab.findChildren(QPushButton) if b.text() == text)


def test_enter_presses_the_button_tab_reached_and_tab_leaves_the_list(qtbot, officer):
    """Under Xvfb: Tab from the tab bar stopped first on the page's scroll area (nothing shows
    the focus there); Enter on "เลือกไฟล์…" or "ยืนยันการนำเข้า" did nothing (Qt presses a
    focused button with Enter only in a dialog); Tab in the list of packages walked its 24
    cells before reaching the trust box."""
    window, ctx, tab, files = officer
    bar = window.page("exchange").tabs.findChild(QTabBar)
    bar.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(bar, Qt.Key.Key_Tab)
    now = focused(window)
    assert not isinstance(now, QScrollArea)
    assert now is _button(tab, "เลือกไฟล์…")
    _preview(qtbot, ctx, tab, files)
    # Tab leaves the list for the next control; the row chosen stays chosen
    tab.view.setFocus(Qt.FocusReason.TabFocusReason)
    current = tab.view.currentIndex()
    qtbot.keyClick(tab.view, Qt.Key.Key_Tab)
    assert focused(window) is not tab.view
    assert tab.view.currentIndex() == current
    qtbot.keyClick(focused(window), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused(window) is tab.view
    # Enter presses the focused button: "ล้าง" clears the preview
    clear = _button(tab, "ล้าง")
    clear.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(clear, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.plan is None, timeout=5000)
    assert tab.model.rowCount() == 0


def _page_scroll(widget) -> int:
    parent = widget.parentWidget()
    while parent is not None and type(parent) is not QScrollArea:
        parent = parent.parentWidget()
    return parent.verticalScrollBar().maximum() if parent is not None else 0


def test_new_keys_to_confirm_leave_the_confirm_button_on_screen(qtbot, officer):
    """Under Xvfb at 125 %: with two new keys the import page scrolled 48 px and
    "ยืนยันการนำเข้า" stood below the window's edge; the refused file was the row chosen, but
    out of the list's sight. The trust tick stands beside the button now."""
    _window, ctx, tab, files = officer
    _preview(qtbot, ctx, tab, files)
    assert tab.keys_box.isVisible() and tab.trust.isVisible()
    assert _page_scroll(tab) == 0
    assert tab.trust.parentWidget() is tab.confirm.parentWidget()
    assert abs(tab.trust.geometry().center().y() - tab.confirm.geometry().center().y()) <= 2
    assert tab.confirm.visibleRegion().boundingRect().size() == tab.confirm.size()
    refused = tab.view.currentIndex()
    assert tab.model.rows[refused.row()].cells[0] == "4801009-cut.levpkg"
    qtbot.waitUntil(
        lambda: tab.view.viewport().rect().contains(tab.view.visualRect(tab.view.currentIndex()))
    )
    assert tab.detail.text().startswith("4801009-cut.levpkg: ")


def test_after_the_import_the_refused_file_is_chosen_and_its_reason_shown(qtbot, officer):
    """After "ยืนยันการนำเข้า" the line said "ถูกปฏิเสธ 1 แพ็กเกจ — ดูเหตุผลด้านบน" above the
    list (the reasons are below it), the line under the list was emptied, and the keyboard
    went to the navigation pane (the button pressed had turned off)."""
    window, ctx, tab, files = officer
    _preview(qtbot, ctx, tab, files)
    reason = tab.detail.text()
    tab.trust.setChecked(True)
    tab.confirm.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(tab.confirm, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.plan is None, timeout=20000)
    idle(qtbot, ctx)
    assert tab.summary.text().endswith("ถูกปฏิเสธ 1 แพ็กเกจ — ดูเหตุผลในรายการด้านล่าง")
    assert tab.model.rows[tab.view.currentIndex().row()].cells[0] == "4801009-cut.levpkg"
    assert tab.detail.text() == reason
    assert reason.startswith("4801009-cut.levpkg: ") and len(reason) > 30
    assert focused(window) is tab.view
    assert not tab.trust.isVisible()
