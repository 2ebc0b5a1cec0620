"""Thai line breaking in Qt without libthai (as on Windows): labels, cells, headers and tooltips
get break opportunities from the PDF segmenter; stored and edited text never does.

libthai is hidden from Qt in a child process (``hide_libthai``): Qt's dlopen of libthai then
fails, which is what Qt meets on Windows, where no thai.dll exists."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from keyboard import focused

ROOT = Path(__file__).resolve().parents[2]
TEXT = "การขับเคลื่อนคณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก"
ZWSP = "\u200b"


def hide_libthai(folder: Path, env: dict) -> dict:
    """An environment in which Qt cannot load libthai, as on Windows: an empty
    ``libthai.so.0`` first on the library path makes the loader's dlopen fail."""
    if not sys.platform.startswith("linux"):
        pytest.skip("hiding libthai needs Linux")
    hidden = folder / "no-libthai"
    hidden.mkdir(exist_ok=True)
    (hidden / "libthai.so.0").write_bytes(b"")
    return {**env, "LD_LIBRARY_PATH": f"{hidden}:{env.get('LD_LIBRARY_PATH', '')}".rstrip(":")}


CHILD = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtCore import Qt, QTextBoundaryFinder
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import (
        QApplication, QLabel, QTableView, QTextBrowser, QVBoxLayout, QWidget,
    )

    app = QApplication([])
    from ui import style, thai_wrap

    text = sys.argv[2]
    if sys.argv[1] == "with-breaks":
        style.apply(app)
        thai_wrap.load()
    else:  # the application as it was: Sarabun and the stylesheet, Qt's own breaks only
        style.load_fonts()
        app.setFont(style.app_font())
        app.setStyleSheet(style.stylesheet())

    def breaks(value):
        finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, value)
        count = 0
        while finder.toNextBoundary() not in (-1, len(value)):
            count += 1
        return count

    window = QWidget()
    layout = QVBoxLayout(window)
    label = QLabel(text)
    label.setWordWrap(True)
    layout.addWidget(label)
    model = QStandardItemModel(1, 1)
    model.setItem(0, 0, QStandardItem(text))
    model.setHorizontalHeaderLabels([text])
    view = QTableView()
    view.setModel(model)
    view.setWordWrap(True)
    view.setColumnWidth(0, 150)
    view.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag(Qt.TextFlag.TextWordWrap.value)
    )
    layout.addWidget(view)
    browser = QTextBrowser()  # a side panel: read-only rich text
    browser.setFixedWidth(220)
    rich = "<p>" + text + "</p>"
    if sys.argv[1] == "with-breaks":
        thai_wrap.set_html(browser, rich)
    else:
        browser.setHtml(rich)
    layout.addWidget(browser)
    line = label.fontMetrics().lineSpacing()
    view.horizontalHeader().setFixedHeight(line * 4 + 12)  # as the KPI form does (3 lines)
    window.show()
    app.processEvents()

    def ink_lines(widget, width):
        image = widget.grab().toImage()
        rows = [
            y for y in range(image.height())
            if any(image.pixelColor(x, y).lightness() < 110 for x in range(4, width - 4))
        ]
        return (rows[-1] - rows[0] + 1) / line if rows else 0

    def line_starts(document):  # where each line after the first begins, in the text shown
        starts = []
        block = document.begin()
        while block.isValid():
            lines = block.layout()
            for i in range(1, lines.lineCount()):
                shown = block.text()[: lines.lineAt(i).textStart()]
                starts.append(len(shown.replace("\u200b", "")))
            block = block.next()
        return starts
    print(json.dumps({
        "browser_line_starts": line_starts(browser.document()),
        "browser_text": type(browser).toPlainText(browser),
        "raw_breaks": breaks(text),
        "shown_breaks": breaks(thai_wrap.shown_text(label)),
        "label_min_width": label.minimumSizeHint().width(),
        "label_lines_at_220": label.heightForWidth(220) / line,
        "text_width": label.fontMetrics().horizontalAdvance(text),
        "cell_lines": view.sizeHintForRow(0) / line,
        "header_ink_lines": ink_lines(view.horizontalHeader(), 150),
        "model_text": model.item(0, 0).text(),
        "label_text": thai_wrap.shown_text(label),
        "label_text_read_back": label.text(),
    }))
    """
)


def run_child(tmp_path: Path, code: str, *args: str, libthai: bool) -> dict:
    """``code`` run offscreen in a Python process of its own (with or without libthai); its
    last line of output read as JSON."""
    env = dict(os.environ) if libthai else hide_libthai(tmp_path, dict(os.environ))
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_without_libthai(tmp_path: Path, mode: str) -> dict:
    return run_child(tmp_path, CHILD, mode, TEXT, libthai=False)


def test_without_libthai_labels_cells_and_headers_still_wrap_between_words(tmp_path):
    from exports.pdf import segment

    before = run_without_libthai(tmp_path, "qt-only")
    after = run_without_libthai(tmp_path, "with-breaks")
    # libthai really is hidden: Qt alone finds no break inside the Thai run
    assert before["raw_breaks"] == after["raw_breaks"] == 0
    # what the label shows has a break at each word …
    assert after["shown_breaks"] == len(segment(TEXT)) - 1 >= 6
    assert after["label_text"].replace(ZWSP, "") == TEXT
    assert after["label_text_read_back"] == TEXT  # what the program set, as it set it
    # … so it can be narrow and wraps at 220 px, where the raw text needed its whole width
    assert before["label_min_width"] >= before["text_width"]
    assert after["label_min_width"] < before["text_width"] / 3
    assert before["label_lines_at_220"] == 1 and after["label_lines_at_220"] == 2
    # a 150 px cell grows to several lines instead of cutting the text off; a wrapping
    # header (the KPI form's) paints it on several lines
    assert before["cell_lines"] < 1.5 and after["cell_lines"] >= 3
    assert before["header_ink_lines"] < 1.5 and after["header_ink_lines"] >= 2.5
    # the model keeps the text as stored
    assert after["model_text"] == TEXT
    # a side panel (QTextBrowser) broke the Thai line inside a word; now between words
    words = set(itertools.accumulate(len(u) for u in segment(TEXT)))
    assert before["browser_line_starts"] and after["browser_line_starts"]
    assert not set(before["browser_line_starts"]) <= words  # in the middle of a word
    assert set(after["browser_line_starts"]) <= words
    assert after["browser_text"] == TEXT  # read back without the breaks


# ---- in this process (libthai or not): what gets breaks and what never does --------------


@pytest.fixture
def wrapped(qapp):
    from ui import thai_wrap

    thai_wrap.load()
    wrap_filter = thai_wrap.install(qapp, background=False)
    yield wrap_filter
    thai_wrap.uninstall(qapp)


def test_display_text_breaks_only_between_thai_words():
    from exports.pdf import segment
    from ui import thai_wrap

    thai_wrap.load()
    shown = thai_wrap.display_text(TEXT)
    assert shown.replace(ZWSP, "") == TEXT
    assert shown.split(ZWSP) == [u for u in segment(TEXT) if not u.isspace()]
    assert thai_wrap.display_text(shown) == shown  # never twice
    sentence = "บันทึกแล้ว: C:\\Users\\สมศรี\\Documents\\LEV Desktop\\รายงาน\\แผน_อบต.หนองแสง_2568.pdf"
    path = sentence.split(" ", 1)[1]
    assert path in thai_wrap.display_text(sentence)  # a path is left whole: it must copy right
    assert thai_wrap.display_text("Excel 2016") == "Excel 2016"
    rich = '<b>ข้อมูลจะยังไม่ถูกบันทึก</b> <a href="file:///ที่เก็บ">เปิด</a>'
    shown_rich = thai_wrap.display_rich(rich)
    assert '<a href="file:///ที่เก็บ">' in shown_rich and ZWSP in shown_rich
    assert thai_wrap.plain(shown_rich) == rich


def test_break_positions_for_widgets_that_lay_text_out_themselves():
    from ui import thai_wrap

    thai_wrap.load()
    text = "ส่งรายงาน ผลการดำเนินงาน"
    positions = thai_wrap.break_positions(text)
    assert 10 in positions  # after the space
    assert all(0 < p < len(text) for p in positions)
    assert 3 in positions  # ส่ง|รายงาน


def test_cells_are_edited_and_copied_without_breaks(qtbot, wrapped, qapp):
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from ui import style
    from ui.thai_wrap import ThaiWrapStyle

    # The application's own style, as the program runs (set once per application). Before,
    # the test set a style of its own and put "fusion" back: Qt deleted the style the
    # application ran with (``ui.style`` still held it), every later test ran on plain Fusion,
    # and after the dialogs' tests a widget drew through the deleted style (a segmentation
    # fault: tests/ui/test_dialog_digits.py then this file).
    style.apply(qapp)
    ours = style._styled[0]
    model = QStandardItemModel(1, 1)
    model.setItem(0, 0, QStandardItem(TEXT))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setColumnWidth(0, 150)
    view.show()
    index = model.index(0, 0)
    view.edit(index)
    editor = view.indexWidget(index) or focused(view)
    assert editor.text() == TEXT  # the editor gets the stored text, no U+200B
    assert ZWSP not in model.item(0, 0).text()
    assert isinstance(ours, ThaiWrapStyle) and style._styled == [ours]


def test_labels_get_breaks_and_a_copy_loses_them(qtbot, wrapped, qapp):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from ui import thai_wrap

    label = QLabel(TEXT)
    label.setWordWrap(True)
    qtbot.addWidget(label)
    label.show()
    qtbot.waitUntil(lambda: ZWSP in thai_wrap.shown_text(label))
    assert label.text() == TEXT  # read back as the program set it
    one_line = QLabel(TEXT)  # not word-wrapped: nothing to break, left alone
    qtbot.addWidget(one_line)
    one_line.show()
    qtbot.wait(20)
    assert thai_wrap.shown_text(one_line) == TEXT
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    # the copy is cleaned when a label has the keyboard: the label's window must be active
    label.activateWindow()
    label.setFocus()
    qtbot.waitUntil(lambda: qapp.focusWidget() is label)
    label.setSelection(0, len(thai_wrap.shown_text(label)))
    assert label.selectedText() == TEXT  # read back without the breaks
    qapp.clipboard().setText(thai_wrap.shown_text(label))  # what QLabel's own Copy copies
    qtbot.waitUntil(lambda: qapp.clipboard().text() == TEXT)


def test_a_message_box_shows_breaks_and_reads_back_its_text(qtbot, wrapped, qapp):
    from PySide6.QtWidgets import QLabel, QMessageBox

    from ui import thai_wrap

    box = QMessageBox(QMessageBox.Icon.Warning, "LEV Desktop", TEXT)
    box.setInformativeText(TEXT)
    qtbot.addWidget(box)
    box.show()
    labels = [w for w in box.findChildren(QLabel) if thai_wrap.plain(thai_wrap.shown_text(w))]
    qtbot.waitUntil(lambda: all(ZWSP in thai_wrap.shown_text(w) for w in labels))
    assert len(labels) == 2  # the text and the informative text are shown with breaks …
    assert box.text() == TEXT  # … and read back as the program set them
    assert box.informativeText() == TEXT
    box.close()


def test_long_thai_tooltips_wrap_between_words(qtbot, wrapped, qapp):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QPushButton, QToolTip

    button = QPushButton("?")
    qtbot.addWidget(button)
    long_tip = TEXT + " " + TEXT
    button.setToolTip(long_tip)
    button.show()
    event = QHelpEvent(QHelpEvent.Type.ToolTip, QPoint(2, 2), button.mapToGlobal(QPoint(2, 2)))
    before = wrapped.tooltips_shown
    qapp.sendEvent(button, event)
    assert wrapped.tooltips_shown == before + 1
    assert QToolTip.text().startswith("<p>") and ZWSP in QToolTip.text()
    assert button.toolTip() == long_tip  # the widget's own tooltip is not changed
    QToolTip.hideText()


def test_the_program_loads_the_segmenter_after_its_first_screen(qtbot, qapp, monkeypatch):
    """Start-up must not wait for the segmenter (about half a second): labels shown before it
    is loaded get their breaks when it arrives."""
    from PySide6.QtWidgets import QLabel

    from ui import thai_wrap

    monkeypatch.setattr(thai_wrap, "_segmenter", [])  # as in a new process
    thai_wrap.uninstall(qapp)
    thai_wrap.install(qapp)
    thai_wrap.defer()  # what ui.app.main does
    try:
        label = QLabel(TEXT)
        label.setWordWrap(True)
        qtbot.addWidget(label)
        label.show()
        qtbot.wait(50)
        assert thai_wrap.shown_text(label) == TEXT and not thai_wrap.ready()  # not yet
        thai_wrap.start_loading()  # the first screen is painted
        qtbot.waitUntil(thai_wrap.ready, timeout=30000)
        qtbot.waitUntil(lambda: ZWSP in thai_wrap.shown_text(label), timeout=10000)
        assert thai_wrap.shown_text(label).replace(ZWSP, "") == TEXT
    finally:
        thai_wrap.uninstall(qapp)


def test_a_header_word_wider_than_its_column_is_elided_not_cut(qapp):
    """A header title in a column dragged narrower than one of its words: the word was cut
    between letters ("คณะกรรมก" / "าร (คน)", read as two words); now it shows as far as it fits,
    ending in Qt's "…", and the header is as tall as those lines. A cell still cuts."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QStyle, QStyleOptionHeader

    from ui import style, thai_wrap

    style.load_fonts()
    font = style.app_font()
    qapp.setFont(font)
    thai_wrap.load()
    metrics = QFontMetrics(font)
    text = "คณะกรรมการ (คน)"  # คณะกรรมการ: one unit (resources/data/compounds_th.txt)
    width = metrics.horizontalAdvance("คณะกรรมการ") - 10
    assert metrics.horizontalAdvance("(คน)") < width
    elided = metrics.elidedText("คณะกรรมการ", Qt.TextElideMode.ElideRight, width)
    assert elided.endswith("…") and len(elided) > 3
    shown = thai_wrap.shown_lines(text, font, width, elide=True)
    assert shown == [elided, "(คน)"]
    # a cell (not elided) keeps every letter, cut between clusters
    cut = thai_wrap.shown_lines(text, font, width)
    assert cut == ["คณะกรรมก", "าร (คน)"]
    # several words kept whole as a path ("ทำแล้ว/แผน", F2's column) are cut, not elided: the
    # F2 screen's 49 px column showed them on two lines, and "ทำแล้ว/…" would hide the plan
    narrow = metrics.horizontalAdvance("ทำแล้ว/แผน") - 10
    assert thai_wrap.shown_lines("ทำแล้ว/แผน", font, narrow, elide=True) == (
        thai_wrap.shown_lines("ทำแล้ว/แผน", font, narrow)
    )
    # the style paints a wrapping header title so
    option = QStyleOptionHeader()
    option.text = text
    option.rect = QRect(0, 0, width, 200)
    option.textAlignment = Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag(
        Qt.TextFlag.TextWordWrap.value
    )
    painted = thai_wrap.ThaiWrapStyle()._with_breaks(
        QStyle.ControlElement.CE_HeaderLabel, option, None, None
    )
    assert [thai_wrap.plain(p) for p in painted.text.split(thai_wrap.LINE_END)] == shown


def test_a_slash_between_thai_words_is_not_a_path(qapp):
    # clerk12: F1's column title "ทำแล้ว/แผน" was taken for a path, given no break, and cut
    # between letters in its narrow column: "ทำแล้ | ว/แผ | น" (1366×768 at 125 %)
    from PySide6.QtGui import QFontMetricsF
    from PySide6.QtWidgets import QApplication

    from ui import thai_wrap

    thai_wrap.load()
    assert thai_wrap.display_text("ทำแล้ว/แผน") == f"ทำ{ZWSP}แล้ว/{ZWSP}แผน"
    assert thai_wrap.break_positions("โครงการ/ภารกิจ") == [8]
    font = QApplication.font()
    width = int(QFontMetricsF(font).horizontalAdvance("ทำแล้ว/")) + 2
    assert thai_wrap.shown_lines("ทำแล้ว/แผน", font, width) == ["ทำแล้ว/", "แผน"]
    # a folder of Thai names is still a path: whole, so that a copy of it works
    for path in ("/home/สมศรี/เอกสาร/รายงาน", "เอกสาร/รายงาน.pdf", "ผลงาน/2568"):
        assert thai_wrap.display_text(path) == path
