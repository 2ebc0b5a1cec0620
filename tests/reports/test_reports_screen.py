"""The รายงาน screen: makes files through the runner, shows pages, reports errors inline."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .conftest import needs_poppler, pdftotext


@pytest.fixture
def screen(qtbot, demo_store, make_ctx):
    from PySide6.QtGui import QFont

    from ui.style import load_fonts

    # The application loads Sarabun at start; a test of one screen does it itself, the same
    # way (the faces patched with room for stacked marks). Registering the files as they are
    # added a second, unpatched "Sarabun" that later tests measuring the application font
    # could get instead.
    load_fonts()

    from ui.screens.reports import ReportsScreen

    ctx = make_ctx(demo_store)
    widget = ReportsScreen(ctx)
    qtbot.addWidget(widget)
    widget.setFont(QFont("Sarabun", 11))
    widget.resize(1280, 760)
    qtbot.waitUntil(lambda: widget.office.count() > 0, timeout=10000)
    return widget


def select_kind(widget, kind):
    for row in range(widget.kinds.count()):
        if widget.kinds.item(row).data(0x0100) == kind:
            widget.kinds.setCurrentRow(row)
            return
    raise AssertionError(kind)


def test_screen_saves_every_kind(qtbot, screen, tmp_path, monkeypatch):
    codes = [screen.office.itemData(i) for i in range(screen.office.count())]
    assert "D4801" not in codes and "4801006" in codes  # plan: the LAOs of a district
    for kind, fmt in [
        ("plan", "pdf"),
        ("monitoring", "xlsx"),
        ("calendar", "pdf"),
        ("softpower", "xlsx"),
    ]:
        select_kind(screen, kind)
        if kind == "plan":
            screen.office.setCurrentIndex(screen.office.findData("4801006"))
        target = tmp_path / f"{kind}.{fmt}"
        monkeypatch.setattr(screen, "ask_path", lambda _fmt, target=target: target)
        with qtbot.waitSignal(screen.finished, timeout=30000) as blocker:
            screen.save(fmt)
        assert blocker.args[0] == target
        assert target.stat().st_size > 1000
        assert "บันทึก" in screen.message.text()
    assert screen.open_button.isEnabled()
    # the options are remembered in the settings the Settings screen edits
    assert screen.ctx.store.get_setting("print.thai_digits") is not None


def test_preview_shows_pages(qtbot, screen):
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils not installed")
    select_kind(screen, "notice")
    screen.office.setCurrentIndex(screen.office.findData("4801006"))
    screen.signer_name.setText("Somchai")
    with qtbot.waitSignal(screen.finished, timeout=30000):
        screen.preview()
    pages = [screen.pages_layout.itemAt(i).widget() for i in range(screen.pages_layout.count())]
    assert pages and all(not w.pixmap().isNull() for w in pages)
    out = Path("/work/screens/reports")
    if out.is_dir():
        screen.grab().save(str(out / "screen-reports.png"))


def test_the_preview_takes_the_room_and_shows_a_whole_page_width(
    qtbot, screen, tmp_path, monkeypatch
):
    """1366×768 at 125 %: the screen's area is about 900×520. The preview under the options
    was a strip ~50 px tall with F1's landscape page wider than it (a sideways scroll bar):
    nothing of the page could be read. Once a preview is shown it gets most of the height,
    the buttons stay in view, and each page is scaled to the width (never enlarged)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils not installed")
    screen.resize(900, 520)
    screen.show()
    qtbot.waitExposed(screen)
    select_kind(screen, "plan")
    screen.office.setCurrentIndex(screen.office.findData("4801006"))
    with qtbot.waitSignal(screen.finished, timeout=30000):
        screen.preview()
    qtbot.wait(50)
    pages_view = screen.pages_scroll.viewport()
    assert pages_view.height() >= sum(screen.right.sizes()) // 2, screen.right.sizes()
    assert screen.pages_scroll.horizontalScrollBar().maximum() == 0
    pages = [screen.pages_layout.itemAt(i).widget() for i in range(screen.pages_layout.count())]
    first = pages[0]
    assert first.width() <= pages_view.width() and first.width() >= pages_view.width() - 40
    ratio = first.pixmap().height() / first.pixmap().width()
    assert abs(first.height() - first.width() * ratio) <= 3
    options = screen.preview_button.parentWidget()
    spot = screen.preview_button.mapTo(
        options.parentWidget(), screen.preview_button.rect().center()
    )
    assert options.parentWidget().rect().contains(spot)  # the buttons are still in view
    # Saved: what says so (and offers Open, Show in folder, USB) is scrolled into view.
    target = tmp_path / "plan.pdf"
    monkeypatch.setattr(screen, "ask_path", lambda _fmt: target)
    with qtbot.waitSignal(screen.finished, timeout=30000):
        screen.save("pdf")
    qtbot.wait(50)
    bar = screen.written
    seen = options.parentWidget().rect()
    assert bar.isVisible() and seen.contains(bar.mapTo(options.parentWidget(), bar.rect().center()))


def test_the_next_day_the_options_have_their_room_again(qtbot, screen, demo_store, make_ctx):
    """clerk12, 1366×768 at 125 %: the splitter under a preview (⅔ for the pages) is
    remembered per user, so the next start opened the screen with the options squeezed into
    the top third over an empty "press Preview" area: Preview and Save PDF were scrolled out
    of sight. Without pages, the options get the height they need again."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils not installed")
    from ui.screens.reports import ReportsScreen

    screen.resize(900, 520)
    screen.show()
    qtbot.waitExposed(screen)
    select_kind(screen, "plan")
    screen.office.setCurrentIndex(screen.office.findData("4801006"))
    with qtbot.waitSignal(screen.finished, timeout=30000):
        screen.preview()
    qtbot.wait(50)
    remembered = screen.right.saveState()  # what window_state keeps at close
    assert screen.right.sizes()[0] < sum(screen.right.sizes()) // 2

    # the next day: a new screen, the remembered splitter restored before it is shown
    ctx = make_ctx(demo_store)
    again = ReportsScreen(ctx)
    qtbot.addWidget(again)
    again.setFont(screen.font())
    again.resize(900, 520)
    again.right.restoreState(remembered)
    again.show()
    qtbot.waitExposed(again)
    qtbot.waitUntil(lambda: again.office.count() > 0, timeout=10000)
    qtbot.wait(50)
    seen = again.options_scroll.viewport()
    for button in (again.preview_button, again.pdf_button):
        spot = button.mapTo(seen, button.rect().bottomLeft())
        assert seen.rect().contains(spot), (again.right.sizes(), spot)
    assert again.options_scroll.verticalScrollBar().value() == 0  # and the options from the top


def test_enter_on_a_report_shows_its_preview(qtbot, screen):
    """Keyboard only: a report chosen in the list with the arrows, then Enter, did nothing
    (the preview needed the mouse or six Tabs). Enter (or a double click) previews it."""
    from PySide6.QtCore import Qt

    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils not installed")
    screen.show()
    qtbot.waitExposed(screen)
    select_kind(screen, "notice")
    screen.office.setCurrentIndex(screen.office.findData("4801006"))
    screen.kinds.setFocus()
    with qtbot.waitSignal(screen.finished, timeout=30000) as blocker:
        qtbot.keyClick(screen.kinds, Qt.Key.Key_Return)
    assert blocker.args[0] is not None and blocker.args[0].suffix == ".pdf"
    assert screen.pages_layout.count() > 0
    assert screen.kinds.hasFocus()  # still in the list: the next report is one arrow away


def test_missing_plan_is_shown_politely(qtbot, screen, monkeypatch, tmp_path):
    select_kind(screen, "summary")
    screen.ctx.set_fiscal_year(2599)
    screen.refresh()
    qtbot.waitUntil(lambda: screen.office.count() > 0, timeout=10000)
    monkeypatch.setattr(screen, "ask_path", lambda _fmt: tmp_path / "x.pdf")
    with qtbot.waitSignal(screen.finished, timeout=30000) as blocker:
        screen.save("pdf")
    assert blocker.args[0] is None
    assert "2599" in screen.message.text()
    assert not (tmp_path / "x.pdf").exists()


def test_province_report_is_offered_to_a_province_office_and_fits_the_screen(
    qtbot, province_store, make_ctx, tmp_path, monkeypatch
):
    """F4 on the reports screen of a province office (only the office itself in the office
    list); the list of kinds and the form fit a 1366×768 window without a scroll bar."""
    from PySide6.QtGui import QFont

    from ui.screens.reports import ReportsScreen
    from ui.style import load_fonts

    load_fonts()
    widget = ReportsScreen(make_ctx(province_store))
    qtbot.addWidget(widget)
    widget.setFont(QFont("Sarabun", 11))
    widget.resize(1366, 700)  # the window's work area under the title and tab bars
    widget.show()
    qtbot.waitUntil(lambda: widget.office.count() > 0, timeout=10000)
    select_kind(widget, "province")
    assert [widget.office.itemData(i) for i in range(widget.office.count())] == ["P48"]
    assert not widget.month.isEnabled()
    # in the interface's digits (Arabic by default; Settings › This office), as every screen
    assert widget.kinds.currentItem().text() == "แบบ 4 แบบรายงานระดับจังหวัด (เครือข่าย อถล.)"
    assert not widget.kinds.verticalScrollBar().isVisible()
    target = tmp_path / "f4.pdf"
    monkeypatch.setattr(widget, "ask_path", lambda _fmt: target)
    with qtbot.waitSignal(widget.finished, timeout=60000) as blocker:
        widget.save("pdf")
    assert blocker.args[0] == target and target.stat().st_size > 1000
    shots = Path(os.environ.get("LEV_SHOTS", str(tmp_path)))  # where to look at the screen
    widget.grab().save(str(shots / "f4-screen.png"))
    select_kind(widget, "monthly")
    assert widget.month.isEnabled()
    select_kind(widget, "plan")
    assert "P48" not in [widget.office.itemData(i) for i in range(widget.office.count())]


@needs_poppler
def test_the_department_picks_the_province_of_the_province_report(
    qtbot, tmp_path, make_ctx, monkeypatch
):
    """A national office has F4 too: a province picker appears for it (and only for it)."""
    from db.store import Store
    from lev_desktop.services import demo
    from lev_desktop.services.offices import initialise
    from ui.screens.reports import ReportsScreen

    store = Store(tmp_path / "nation.db")
    initialise(store, level="national", code="DLA", name="กรมส่งเสริมการปกครองท้องถิ่น")
    demo.fill(store)
    widget = ReportsScreen(make_ctx(store))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.office.count() > 0, timeout=10000)
    select_kind(widget, "province")
    assert [widget.office.itemData(i) for i in range(widget.office.count())] == ["DLA"]
    assert widget.form.isRowVisible(widget.province)
    assert widget.province.count() == 77
    widget.province.setCurrentIndex(widget.province.findData("48"))
    assert widget.suggested_name("pdf") == "แบบรายงานระดับจังหวัด_สถจ.นครพนม_2568.pdf"
    shots = Path(os.environ.get("LEV_SHOTS", str(tmp_path)))  # where to look at the screen
    widget.resize(1366, 700)
    widget.grab().save(str(shots / "f4-national-screen.png"))
    target = tmp_path / "f4.pdf"
    monkeypatch.setattr(widget, "ask_path", lambda _fmt: target)
    with qtbot.waitSignal(widget.finished, timeout=60000) as blocker:
        widget.save("pdf")
    assert blocker.args[0] == target
    assert "จังหวัดนครพนม" in "".join(pdftotext(target).split())
    select_kind(widget, "monitoring")
    assert not widget.form.isRowVisible(widget.province)
    store.dispose()


def test_the_month_chosen_at_first_is_this_month(qtbot, demo_store, make_ctx, monkeypatch):
    """A clerk printing this month's report found October (the fiscal year's first month)
    chosen: the screen looked today's month up with ``findData((year, month))``, which never
    finds a tuple in a PySide6 combo box (-1, so the first month)."""
    monkeypatch.setenv("LEV_TODAY", "2025-01-20")
    from ui.screens.reports import ReportsScreen

    widget = ReportsScreen(make_ctx(demo_store))  # fiscal year 2568: October 2567 first
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.month.count() == 12, timeout=10000)
    select_kind(widget, "monthly")
    assert widget.month.currentData() == (2025, 1)
    assert widget.month.currentText() == "มกราคม 2568"


def test_a_report_over_the_districts_laos_opens_on_the_district(qtbot, demo_store, make_ctx):
    """At a district (fit15, under Xvfb) F1 printed for one LAO, then "แบบ 3" chosen: the office
    stayed that LAO, and F3, a table of the LAOs under an office, came out with one row. A
    report over the LAOs opens on this office; F1 again finds the LAO chosen for it."""
    from ui.screens.reports import ReportsScreen

    widget = ReportsScreen(make_ctx(demo_store))
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.month.count() == 12, timeout=10000)
    select_kind(widget, "plan")
    assert widget.office.findData("D4801") == -1  # F1 is an LAO's own
    widget.office.setCurrentIndex(3)
    lao = widget.office.currentData()
    assert lao.startswith("4801")
    select_kind(widget, "monitoring")
    assert widget.office.currentData() == "D4801"
    assert widget.office.currentText() == "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองนครพนม"
    select_kind(widget, "summary")
    assert widget.office.currentData() == lao
