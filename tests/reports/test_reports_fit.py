"""The reports screen in the main window at 1366×768 at 125 % (fit15, fit16 under Xvfb): the
options of every report fit above the preview without scrolling (they scrolled 9 px for F1
and 33 px for F3, a monthly report 24 px), and what was said of one report is not left under
the next one's buttons."""

from __future__ import annotations

from waits import idle

SIZE_125 = (1092, 582)  # a maximised window on a 1366×768 screen at 125 %


def test_every_reports_options_fit_without_scrolling(qtbot, tmp_path, make_ctx):
    from tests.exchange.helpers import make_lao
    from ui import thai_wrap
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application()  # the app's font and stylesheet, as users see it
    thai_wrap.load()
    store = make_lao(tmp_path / "lao.db", "4801006", seed=4)
    ctx = make_ctx(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(*SIZE_125)
    window.show()
    qtbot.waitExposed(window)
    window.show_screen("reports")
    screen = window.page("reports")
    qtbot.waitUntil(lambda: screen.office.count() > 0, timeout=20000)
    idle(qtbot, ctx)
    scrolled = {}
    said = {}
    for row in range(screen.kinds.count()):
        screen.kinds.setCurrentRow(row)
        kind = screen.kind()
        for _round in range(3):
            qtbot.wait(20)
        scrolled[kind] = screen.options_scroll.verticalScrollBar().maximum()
        said[kind] = screen.message.text()
        seen = screen.options_scroll.viewport()
        for button in (screen.preview_button, screen.pdf_button):
            spot = button.mapTo(seen, button.rect().bottomLeft())
            assert seen.rect().contains(spot), (kind, screen.right.sizes(), spot)
    assert scrolled == dict.fromkeys(scrolled, 0)
    # an LAO is told the province report is a province's; the next report is not
    assert said["province"]
    after = list(said)[list(said).index("province") + 1]
    assert said[after] == "", said
    ctx.runner.wait()
    store.dispose()
