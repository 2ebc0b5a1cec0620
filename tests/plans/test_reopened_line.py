"""The line "F1 กลับเป็นฉบับร่างเพราะมีการแก้ไข…" at 1366×768 at 125 % (fit14's leftover, fit16
under Xvfb): shown on a row of the programme bar, it moved the toolbar under it 30 px (38 px
on the screen) down as the clerk reached for "ยืนยันว่ากรอกครบถ้วน". It stands under the form
now, the whole width of the form, one line when it fits."""

from __future__ import annotations

import pytest
from waits import idle

from lev_desktop.services import plans as ps
from lev_desktop.services.programmes import builtin_id

P1 = builtin_id("P1")
SIZE_125 = (1092, 582)  # a maximised window on a 1366×768 screen at 125 %


@pytest.mark.parametrize(("key", "form"), [("plans", "F1"), ("activities", "F2")])
def test_the_went_back_to_draft_line_does_not_move_the_toolbar(
    qtbot, lao_store, make_ctx, key, form
):
    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.screens.plans import reopened_text

    make_application()
    ps.start_from_examples(lao_store, P1, 2568)
    ctx = make_ctx(lao_store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(*SIZE_125)
    window.show()
    qtbot.waitExposed(window)
    window.show_screen(key)
    idle(qtbot, ctx)
    page = window.page(key)
    toolbar = page.editor.toolbar

    def top(widget) -> int:
        return widget.mapTo(window, widget.rect().topLeft()).y()

    before = top(toolbar)
    page.bar.show_reopened(form, True)
    idle(qtbot, ctx)
    line = page.bar.reopened
    assert line.isVisible() and line.text() == reopened_text(form)
    assert top(toolbar) == before
    # under the form, the form's width, one line where it fits, in the window
    assert top(line) > top(page.editor)
    assert line.width() >= page.editor.width() - 2
    assert line.height() == line.heightForWidth(line.width())
    if line.fontMetrics().horizontalAdvance(line.text()) < line.width():
        assert line.height() < 2 * line.fontMetrics().lineSpacing()
    assert line.mapTo(window, line.rect().bottomLeft()).y() < window.statusBar().y()
    page.bar.show_reopened(form, False)
    assert not line.isVisible()
    ctx.runner.wait()
