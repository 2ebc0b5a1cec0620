"""A district's F2 at 1366×768 at 125 % (fit16, under Xvfb; long15's leftover): the LAO and
project drop-downs beside the tabs had 186 px of the 440 the tabs leave (the room was measured
while the tabs still had the width of the layout before), 90 px each: the project read
"โครงกา…", every project's first word. They take the room the tabs leave, the LAO's no
wider than its longest name, the project's the rest."""

from __future__ import annotations

from waits import idle

SIZE_125 = (1092, 582)  # a maximised window on a 1366×768 screen at 125 %


def test_the_district_drop_downs_beside_the_tabs_take_the_room_left(qtbot, demo_store, make_ctx):
    from ui import thai_wrap
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application()
    thai_wrap.load()
    ctx = make_ctx(demo_store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(*SIZE_125)
    window.show()
    qtbot.waitExposed(window)
    window.show_screen("activities")
    page = window.page("activities")
    lao, project = page.offices.combo, page.editor.project_combo
    qtbot.waitUntil(lambda: lao.count() > 1 and project.count() > 0, timeout=20000)
    idle(qtbot, ctx)
    qtbot.wait(50)
    assert lao.isVisible() and project.isVisible()
    left = page.tabs.width() - page.tabs.tabBar().sizeHint().width() - 12
    assert page.corner.room == left
    assert page.corner.width() == min(left, page.corner.sizeHint().width())
    assert page.corner.width() > 300  # (186 before)
    # the LAO's name whole, whichever LAO; the project's box takes the rest of the corner
    for index in range(lao.count()):
        lao.setCurrentIndex(index)
        assert lao.shown_text() == lao.currentText()
    assert lao.width() <= lao.whole_width()
    assert project.width() >= page.corner.width() - lao.width() - 12
    shown = project.shown_text()
    assert shown == project.currentText() or len(shown.rstrip("…")) > 20, shown
    ctx.runner.wait()
