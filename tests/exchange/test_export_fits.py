"""The export tab in the main window at 1366×768 at 125 % (fit16, under Xvfb): before an export
everything the officer chooses and the export button are in view without scrolling; after it,
the line of the file written and its buttons."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QScrollArea
from waits import idle

from .helpers import make_district, make_lao

SIZE_125 = (1092, 582)  # a maximised window on a 1366×768 screen at 125 %


@pytest.fixture(params=["district", "lao"])
def officer(request, qtbot, tmp_path: Path, make_ctx):
    from ui import thai_wrap
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application()  # the app's font and stylesheet, as users see it
    thai_wrap.load()
    if request.param == "lao":
        store = make_lao(tmp_path / "lao.db", "4801006", seed=4)
    else:
        store = make_district(tmp_path / "district.db")
    ctx = make_ctx(store, fiscal_year=None)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(*SIZE_125)
    window.show()
    qtbot.waitExposed(window)
    window.show_screen("exchange")
    exchange = window.page("exchange")
    tab = exchange.export_tab
    exchange.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.programmes.count() > 0, timeout=20000)
    qtbot.waitUntil(lambda: bool(tab.fulfils.text()), timeout=20000)
    idle(qtbot, ctx)
    for _round in range(3):
        QApplication.processEvents()
    yield window, ctx, tab, tmp_path
    ctx.runner.cancel_all()
    ctx.runner.wait()
    store.dispose()


def _area(widget) -> QScrollArea:
    parent = widget.parentWidget()
    while not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def _in_view(widget) -> bool:
    viewport = _area(widget).viewport()
    seen = QRect(widget.mapTo(viewport, widget.rect().topLeft()), widget.size())
    return widget.isVisible() and viewport.rect().contains(seen)


def test_the_export_page_fits_and_its_result_is_in_view(qtbot, officer):
    """Under Xvfb at 125 % the export page scrolled 282 px (district; fit15: 306): the export
    button stood at the fold and what the package would count as below it."""
    _window, ctx, tab, tmp = officer
    assert _area(tab).verticalScrollBar().maximum() == 0
    for widget in (tab.recipient, tab.programmes, tab.years, tab.out, tab.export_button):
        assert _in_view(widget), widget
    assert _in_view(tab.fulfils)
    # every programme in view in the list: none scrolled out of it
    programmes = tab.programmes
    for row in range(programmes.count()):
        rect = programmes.visualItemRect(programmes.item(row))
        assert programmes.viewport().rect().contains(rect), programmes.item(row).text()
    tab.out.setText(str(tmp / "up.levpkg"))
    tab.export()
    qtbot.waitUntil(lambda: bool(tab.model.rows), timeout=20000)
    idle(qtbot, ctx)
    qtbot.waitUntil(lambda: not tab._preview_timer.isActive(), timeout=5000)
    idle(qtbot, ctx)
    for _round in range(3):
        QApplication.processEvents()
    assert _in_view(tab.written.usb_button) and _in_view(tab.written.folder_button)
    assert tab.view.isVisible()


def test_after_an_export_by_enter_the_keyboard_is_on_copy_to_usb(qtbot, officer):
    """Under Xvfb: Enter on "ส่งออกแพ็กเกจ" wrote the package, and the keyboard was found on
    the navigation (the button turns off while the package is written, and Qt handed its
    focus on). It is on "คัดลอกไปยังแฟลชไดรฟ์", the next step, when the package is written."""
    from keyboard import focused
    from PySide6.QtCore import Qt

    window, ctx, tab, tmp = officer
    tab.out.setText(str(tmp / "up.levpkg"))
    tab.export_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(tab.export_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(tab.model.rows), timeout=20000)
    idle(qtbot, ctx)
    assert focused(window) is tab.written.usb_button
