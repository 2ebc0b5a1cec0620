"""The รายงาน screen: makes files through the runner, shows pages, reports errors inline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


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
