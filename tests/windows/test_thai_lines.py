"""The screen breaks Thai lines where the project does, with libthai (Linux) and without it
(Windows).

On Linux Qt gives every Thai run to libthai, whose dictionary decides all its line breaks: a
KPI cell read "ค่าตัว" / "ชี้วัด…", a title "อาสา" / "สมัคร", whatever zero-width spaces
ui.thai_wrap put between the words. A word joiner (U+2060) inside the words did not help:
libthai broke at every joiner. Now a wrapped cell and a wrapping header title get their
lines from ``thai_wrap.wrapped`` (the PDFs' segmenter, Qt's own measure) ended by U+2028, so
Qt has nothing left to break. The test lays out what the real cell and the real header hand
to Qt, as Qt's item view and header do, in a child process with libthai and in one without.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from .test_thai_wrap import run_child

ROOT = Path(__file__).resolve().parents[2]
CELL = "ค่าตัวชี้วัดร้อยละ ๘๕ ของคณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก"
TITLE = "ผลการดำเนินงานเทียบค่าตัวชี้วัดของเครือข่ายอาสาสมัคร"

CHILD = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel, QTextLayout, QTextOption
    from PySide6.QtWidgets import QApplication, QTableView

    app = QApplication([])
    from ui import style, thai_wrap
    from ui.widgets import fit

    style.apply(app)
    thai_wrap.load()
    handed = []  # (element, text given to Qt, font, width it is laid out at)
    mine = thai_wrap.ThaiWrapStyle._with_breaks

    def spy(self, element, option, painter, widget):
        shown = mine(self, element, option, painter, widget)
        if element == style.QStyle.ControlElement.CE_ItemViewItem and shown.text:
            width = thai_wrap.cell_text_width(self, shown, widget)
            handed.append(("cell", shown.text, QFont(shown.font), width))
        elif element == style.QStyle.ControlElement.CE_HeaderLabel and shown.text:
            handed.append(("header", shown.text, QFont(painter.font()), shown.rect.width()))
        return shown

    thai_wrap.ThaiWrapStyle._with_breaks = spy

    model = QStandardItemModel(1, 1)
    model.setHorizontalHeaderLabels([sys.argv[2]])
    model.setItem(0, 0, QStandardItem(sys.argv[1]))
    view = QTableView()
    view.setModel(model)
    view.setWordWrap(True)
    view.horizontalHeader().setDefaultAlignment(fit.WRAP)
    view.setColumnWidth(0, 110)
    view.resize(400, 400)
    view.show()
    view.resizeRowsToContents()
    fit.HeaderFit(view.horizontalHeader()).measure()
    view.grab()

    def lines(text, font, width):  # as Qt lays out a wrapped cell or title
        layout = QTextLayout(text, font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.beginLayout()
        out = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            out.append(text[line.textStart() : line.textStart() + line.textLength()])
        layout.endLayout()
        return [o.replace("\\u200b", "").replace("\\u2028", "") for o in out]

    result = {kind: lines(text, font, width) for kind, text, font, width in handed}
    result["row_height"] = view.rowHeight(0)
    result["line_spacing"] = view.fontMetrics().lineSpacing()
    result["header_height"] = view.horizontalHeader().height()
    print(json.dumps(result))
    """
)


def run(tmp_path: Path, *, libthai: bool) -> dict:
    return run_child(tmp_path, CHILD, CELL, TITLE, libthai=libthai)


def test_cells_and_titles_break_where_the_project_does_with_and_without_libthai(tmp_path):
    from exports.pdf import segment

    linux = run(tmp_path, libthai=True)
    windows = run(tmp_path, libthai=False)
    assert linux["cell"] == [
        "ค่าตัวชี้วัดร้อยละ ",
        "๘๕ ของ",
        "คณะกรรมการ",
        "เครือข่าย",
        "อาสาสมัคร",
        "ท้องถิ่นรักษ์โลก",
    ], linux["cell"]
    assert linux["header"] == [
        "ผลการ",
        "ดำเนินงานเทียบ",
        "ค่าตัวชี้วัดของ",
        "เครือข่าย",
        "อาสาสมัคร",
    ], linux["header"]
    assert windows["cell"] == linux["cell"] and windows["header"] == linux["header"]
    for text, lines in ((CELL, linux["cell"]), (TITLE, linux["header"])):
        assert "".join(lines) == text
        ends = {sum(len(u) for u in segment(text)[:i]) for i in range(len(segment(text)) + 1)}
        at = 0
        for line in lines:
            at += len(line)
            assert at in ends, (line, text)  # every line ends between two of its words
    # the row and the header are as tall as the lines they paint
    assert linux["row_height"] >= len(linux["cell"]) * linux["line_spacing"]
    assert linux["header_height"] >= len(linux["header"]) * linux["line_spacing"]


NAV = textwrap.dedent(
    """
    import json
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QFont, QIcon, QPixmap, QTextLayout, QTextOption
    from PySide6.QtWidgets import QApplication, QListWidget, QListWidgetItem, QStyle

    app = QApplication([])
    from ui import style, thai_wrap
    from ui.main_window import BadgeDelegate

    style.apply(app)
    thai_wrap.load()
    handed = []
    mine = thai_wrap.ThaiWrapStyle._with_breaks

    def spy(self, element, option, painter, widget):
        shown = mine(self, element, option, painter, widget)
        if element == QStyle.ControlElement.CE_ItemViewItem and shown.text:
            # the width Qt lays the title out at: the style sheet's text rectangle (the
            # item's padding taken off) less the focus margins
            rect = widget.style().subElementRect(
                QStyle.SubElement.SE_ItemViewItemText, shown, widget
            )
            margin = widget.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
            handed.append((shown.text, QFont(shown.font), rect.width() - 2 * margin))
        return shown

    thai_wrap.ThaiWrapStyle._with_breaks = spy
    nav = QListWidget()
    nav.setObjectName("navigation")  # the style sheet's item padding: 8px 6px
    nav.setItemDelegate(BadgeDelegate(nav))
    nav.setIconSize(QSize(22, 22))
    icon = QPixmap(22, 22)
    icon.fill()
    words = "กิจกรรมและผลการดำเนินงานของคณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก"
    for n in range(8, len(words) + 1, 2):  # titles of every length
        nav.addItem(QListWidgetItem(QIcon(icon), words[:n]))
    nav.setWordWrap(True)
    nav.resize(180, 2000)
    nav.show()
    app.processEvents()

    def count(text, font, width):
        layout = QTextLayout(text, font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.beginLayout()
        n = 0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            n += 1
        layout.endLayout()
        return n

    nav.grab()
    out = []
    for text, font, width in handed:
        lines = text.replace("\\u200b", "").split("\\u2028")
        out.append((lines, count(text, font, width)))
    print(json.dumps(out))
    """
)


def test_a_padded_navigation_title_is_cut_at_the_width_qt_paints_it(tmp_path):
    """The navigation's items have a style-sheet padding: lines made for the base style's
    text rectangle were 12 px too wide, Qt broke "กิจกรรมและผลการ" again and the title read
    "กิจกรรมและผล" / "การ…"."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="1.25")
    done = subprocess.run(
        [sys.executable, "-c", NAV], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # every title: Qt keeps the lines it is given, none is broken again (or cut)
    assert len(result) >= 20
    assert [len(lines) for lines, _ in result] == [qt_lines for _, qt_lines in result]
    assert ["กิจกรรมและผลการ", "ดำเนินงาน"] in [lines for lines, _ in result]
