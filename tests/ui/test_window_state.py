"""The main window opens maximised the first time and then as it was left: size, position,
splitters and the column widths a person dragged (issue 12)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication, QSplitter
from waits import idle

from ui import window_state

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def open_window(qtbot, lao_store, make_ctx):
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application()

    def make():
        ctx = make_ctx(lao_store)
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window_state.show_main(window)
        qtbot.waitExposed(window)
        return window, ctx

    return make


def test_first_start_is_maximised_then_the_window_is_as_it_was_left(qtbot, open_window):
    window, ctx = open_window()
    assert window.isMaximized()
    window.showNormal()
    window.setGeometry(40, 30, 700, 520)  # the offscreen screen is 800×800
    window.show_screen("activities")
    idle(qtbot, ctx)
    splitter = window.page("activities").editor.splitter
    splitter.setSizes([300, 700])
    sizes = splitter.sizes()
    window.close()
    idle(qtbot, ctx)

    again, ctx2 = open_window()
    assert not again.isMaximized()
    assert (again.width(), again.height()) == (700, 520)
    assert again.geometry().topLeft() == window.geometry().topLeft()
    again.show_screen("activities")
    idle(qtbot, ctx2)
    assert again.page("activities").editor.splitter.sizes() == sizes
    again.showMaximized()
    again.close()
    idle(qtbot, ctx2)
    third, _ctx3 = open_window()
    assert third.isMaximized()


def test_a_position_off_the_screen_is_brought_back(qtbot, open_window):
    window, ctx = open_window()
    window.showNormal()
    area = QGuiApplication.primaryScreen().availableGeometry()
    window.resize(700, 500)
    window.move(area.right() + 500, area.bottom() + 400)  # a monitor that is gone
    window.close()
    idle(qtbot, ctx)
    again, _ctx = open_window()

    def on_screen() -> bool:  # moved back by a queued call once shown
        frame = again.frameGeometry()
        return area.contains(frame.topLeft()) and area.contains(frame.bottomRight() - QPoint(1, 1))

    qtbot.waitUntil(on_screen, timeout=5000)


def test_column_widths_the_person_dragged_are_remembered(qtbot, open_window):
    from lev_desktop.services import plans as ps
    from lev_desktop.services.programmes import builtin_id
    from ui.widgets.fit import ColumnFit

    window, ctx = open_window()
    ps.start_from_examples(ctx.store, builtin_id("P1"), 2568)
    window.show_screen("plans")
    idle(qtbot, ctx)
    table = window.page("plans").editor.table
    fit = table.findChild(ColumnFit)
    header = table.horizontalHeader()
    # a drag of the edge between "Project" and "Objective", with the real mouse
    edge = header.sectionViewportPosition(1) + header.sectionSize(1) - 1
    y = header.height() // 2
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, y))
    qtbot.mouseMove(header.viewport(), QPoint(edge + 60, y))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge + 60, y))
    assert fit.manual.get(1, 0) >= header.sectionSize(1) - 1 > 0
    dragged = table.columnWidth(1)
    window.close()
    idle(qtbot, ctx)

    again, ctx2 = open_window()
    again.show_screen("plans")
    idle(qtbot, ctx2)
    assert again.page("plans").editor.table.columnWidth(1) == dragged
    # "Fit columns to the window" forgets them
    again_fit = again.page("plans").editor.table.findChild(ColumnFit)
    again_fit.reset_action.trigger()
    QApplication.processEvents()
    assert window_state.column_widths("plans/f1") == {}


def test_splitter_keys_do_not_depend_on_the_session():
    from PySide6.QtWidgets import QWidget

    root = QWidget()
    inner = QSplitter(root)
    other = QSplitter(root)
    assert window_state.widget_key(inner, root, "x") == "x/QSplitter0"
    assert window_state.widget_key(other, root, "x") == "x/QSplitter1"


# A taskbar on each edge of the offscreen 800×800 screen, as QScreen.availableGeometry reports
# it on Windows (faked: the offscreen platform has no taskbar).
TASKBARS = {
    "bottom": QRect(0, 0, 800, 760),
    "left": QRect(62, 0, 738, 800),
    "top": QRect(0, 40, 800, 760),
    "right": QRect(0, 0, 738, 800),
}


def _within(inner: QRect, outer: QRect) -> bool:
    return outer.contains(inner.topLeft()) and outer.contains(inner.bottomRight())


@pytest.fixture(params=sorted(TASKBARS))
def taskbar(request, monkeypatch):
    area = TASKBARS[request.param]
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(area))
    return area


def _plain_window(qtbot):
    """A bare main window: show_main places any QMainWindow the same way (and a bare one is
    quick to make, for 4 taskbar edges × the cases below)."""
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    window.setGeometry(window_state.first_placement(window_state.available_area()))
    return window


def _saved(qtbot, rect: QRect, maximised: bool) -> None:
    """What a previous session left in window.ini: this content rect, maximised or not."""
    window = _plain_window(qtbot)
    window.show()
    window.setGeometry(rect)
    QApplication.processEvents()
    store = window_state.settings()
    store.setValue("main/geometry", window.saveGeometry())
    store.setValue("main/maximised", maximised)
    store.sync()
    window.close()


def test_first_start_lies_within_the_available_area_wherever_the_taskbar_is(qtbot, taskbar):
    """The first start is maximised; the size it returns to (un-maximised) lies within the
    available area, in its middle: not under a taskbar on the left or the top."""
    window = _plain_window(qtbot)
    window_state.show_main(window)
    qtbot.waitExposed(window)
    assert window.isMaximized()
    normal = window.normalGeometry()
    assert _within(normal, taskbar.marginsRemoved(window_state.FRAME)), (normal, taskbar)
    assert normal.width() == min(1280, taskbar.width() * 9 // 10)
    assert abs(normal.center().x() - taskbar.center().x()) <= 8


SAVED = {
    "under-taskbar": QRect(0, 0, 700, 600),  # under a taskbar on the left or the top
    "bigger-screen": QRect(40, 20, 1800, 1000),  # from a bigger screen
    "vanished-right": QRect(2500, 300, 700, 500),  # on a monitor since unplugged
    "vanished-left": QRect(-900, -500, 700, 500),  # on one that was to the left and above
}


@pytest.mark.parametrize("maximised", [False, True], ids=["normal", "maximised"])
def test_a_remembered_geometry_is_brought_within_the_available_area(qtbot, taskbar, maximised):
    for name, saved in SAVED.items():
        _saved(qtbot, saved, maximised)
        window = _plain_window(qtbot)
        window_state.show_main(window)
        qtbot.waitExposed(window)
        qtbot.wait(20)  # keep_on_screen runs once the window is shown
        assert window.isMaximized() == maximised, name
        if maximised:  # the size it returns to, with room for a frame
            normal = window.normalGeometry()
            inner = taskbar.marginsRemoved(window_state.FRAME)
            assert _within(normal, inner), (name, normal, taskbar)
        else:
            assert _within(window.frameGeometry(), taskbar), (name, window.frameGeometry())
        window.close()
