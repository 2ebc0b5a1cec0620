"""The bars that take two rows when narrow (``ui.widgets.flow``)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_the_reopened_line_spans_its_row_on_one_line(qtbot, demo_store, make_ctx):
    """1366×768 at 125 %: "F1 กลับเป็นฉบับร่างเพราะมีการแก้ไข: กด “ยืนยันว่ากรอกครบถ้วน” อีกครั้ง…"
    took a row of its own under the programme bar but only its size hint's ~400 px of it,
    on two lines, with 600 px empty beside it. A word-wrapped label with stretch takes the
    row's width and the height of its text at that width."""
    from ui.screens.plans import ProgrammeBar, reopened_text

    bar = ProgrammeBar(make_ctx(demo_store), "แผนปฏิบัติงาน (F1)")
    qtbot.addWidget(bar)
    bar.set_programmes([("p1", "เครือข่าย อถล. ปีงบประมาณ 2568")])
    bar.set_year(2568)
    bar.resize(1000, 200)
    bar.show()
    qtbot.waitExposed(bar)
    bar.show_reopened("F1", True)
    QApplication.processEvents()
    bar.resize(1000, bar.heightForWidth(1000))
    QApplication.processEvents()
    label = bar.reopened
    assert label.text() == reopened_text("F1")
    assert label.x() == 0 and label.width() == 1000, label.geometry()
    assert label.height() == label.heightForWidth(1000), label.geometry()
    one_line = label.fontMetrics().boundingRect(label.text()).width() < 1000
    if one_line:
        assert label.height() < 2 * label.fontMetrics().lineSpacing()
    assert label.geometry().bottom() <= bar.rect().bottom()
