"""The exchange screen: export, import with preview and confirm, history, keys, conflicts."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from waits import in_worker

from lev_desktop.changes import Changes
from lev_desktop.exchange.exporter import export_package

from .helpers import make_district, make_lao


@pytest.fixture
def screen(qtbot, tmp_path: Path, make_ctx):
    from ui.screens.exchange import ExchangeScreen

    lao = make_lao(tmp_path / "lao.db", "4801006", seed=4)
    packages = [export_package(lao, "D4801", tmp_path / "one.levpkg").path]
    cut = tmp_path / "broken.levpkg"
    cut.write_bytes(packages[0].read_bytes()[:500])
    district = make_district(tmp_path / "district.db")
    ctx = make_ctx(district, fiscal_year=None)
    widget = ExchangeScreen(ctx)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    ctx.runner.wait()
    qtbot.waitUntil(lambda: widget.export_tab.programmes.count() > 0)
    yield widget, ctx, [*packages, cut], tmp_path
    ctx.runner.wait()
    lao.dispose()
    district.dispose()


def _wait(qtbot, ctx) -> None:
    """Until every job has run and its result has been delivered (a condition, not a time)."""
    qtbot.waitUntil(lambda: not ctx.runner.active, timeout=30000)


def test_import_preview_confirm_and_history(qtbot, qtmodeltester, screen):
    widget, ctx, files, _tmp = screen
    tab = widget.import_tab
    tab.add_files([str(p) for p in files])
    qtbot.waitUntil(lambda: tab.plan is not None, timeout=20000)
    qtmodeltester.check(tab.model)
    results = [row.cells[4] for row in tab.model.rows]
    # the record counts are one column a clerk reads at once: the counts not zero, in words
    counts = tab.plan.packages[0].parts[0].counts
    words = {"new": "ใหม่", "updated": "ปรับปรุง", "unchanged": "ไม่เปลี่ยนแปลง"}
    words |= {"conflicts": "ขัดแย้ง", "refused": "ปฏิเสธ"}
    said = [f"{words[k]} {counts[k]:,}" for k in words if counts[k]]
    assert counts["new"] > 0 and 0 < len(said) < 5
    assert tab.model.rows[0].cells[3] == ", ".join(said)
    assert tab.model.columnCount() == 6
    assert "ปฏิเสธ" in results  # the broken file, with a Thai reason
    assert any("กุญแจใหม่" in r for r in results)
    assert not tab.keys_box.isHidden()
    assert not tab.trust.isChecked()
    tab.trust.setChecked(True)
    tab.confirm.click()
    qtbot.waitUntil(lambda: "นำเข้า 1" in tab.summary.text(), timeout=20000)
    _wait(qtbot, ctx)
    qtbot.waitUntil(lambda: len(widget.history_tab.model.rows) >= 2, timeout=10000)
    qtmodeltester.check(widget.history_tab.model)
    qtmodeltester.check(widget.keys_tab.model)
    assert widget.keys_tab.model.rows[0].cells[0] == "4801006"


def test_export_tab_writes_a_package(qtbot, qtmodeltester, screen):
    widget, ctx, _files, tmp = screen
    tab = widget.export_tab
    tab.recipient.setEditText("P48")
    tab.out.setText(str(tmp / "up.levpkg"))
    tab.export()
    qtbot.waitUntil(lambda: bool(tab.model.rows), timeout=20000)
    assert (tmp / "up.levpkg").exists()
    qtmodeltester.check(tab.model)
    _wait(qtbot, ctx)
    qtbot.waitUntil(lambda: widget.keys_tab.own.text().count(" ") >= 7, timeout=10000)


def test_a_christian_era_year_is_refused_before_a_package_is_made(qtbot, screen):
    """The export's "ปีงบประมาณ (พ.ศ.)" took 2025, wrote a package of one record (the office's
    own row) and used up a sequence number: a fiscal year is read as the command line reads
    it (``validation.read_fiscal_year``), and nothing is written."""
    widget, ctx, _files, tmp = screen
    tab = widget.export_tab
    tab.recipient.setEditText("P48")
    tab.out.setText(str(tmp / "up.levpkg"))
    tab.years.setText("2568 2025")
    tab.export()
    _wait(qtbot, ctx)
    assert not (tmp / "up.levpkg").exists()
    assert tab.status.text() == "⚠ 2025 เป็นปี ค.ศ.: โปรดระบุปีงบประมาณเป็นปี พ.ศ. เช่น 2568"
    tab.preview()
    assert tab.fulfils.text() == "⚠ 2025 เป็นปี ค.ศ.: โปรดระบุปีงบประมาณเป็นปี พ.ศ. เช่น 2568"
    tab.years.setText("๒๕๖๘")  # Thai digits are a fiscal year too
    assert tab._choices() == (None, [2568])


def test_conflicts_tab_model(qtbot, qtmodeltester, screen):
    from lev_desktop.exchange import importer

    from .test_conflicts import conflicting_pair

    widget, ctx, _files, tmp = screen
    folder = tmp / "conflict"
    folder.mkdir()
    first, second = conflicting_pair(folder)
    importer.import_files(ctx.store, [first], trust=True)
    importer.import_files(ctx.store, [second], trust=True)
    ctx.notify(Changes(exchange=True))
    _wait(qtbot, ctx)
    qtbot.waitUntil(lambda: len(widget.conflicts_tab.model.rows) == 1, timeout=10000)
    qtmodeltester.check(widget.conflicts_tab.model)
    widget.conflicts_tab.view.setCurrentIndex(widget.conflicts_tab.model.index(0, 0))
    assert widget.conflicts_tab.detail.rows
    assert widget.conflicts_tab.detail.rows[0].cells[0] == "note"
    qtmodeltester.check(widget.conflicts_tab.detail)
    widget.conflicts_tab._resolve(True)
    _wait(qtbot, ctx)
    qtbot.waitUntil(lambda: not widget.conflicts_tab.model.rows, timeout=10000)


def test_keys_tab_asks_then_restarts_the_sequence_and_forgets_the_key(qtbot, screen, monkeypatch):
    """The two buttons of the keys tab: each asks about the office of the chosen key (No changes
    nothing), then acts on it in the background."""
    from PySide6.QtWidgets import QMessageBox

    from lev_desktop.exchange import importer

    widget, ctx, files, _tmp = screen
    importer.import_files(ctx.store, files[:1], trust=True)
    ctx.notify(Changes(exchange=True))
    tab = widget.keys_tab
    qtbot.waitUntil(lambda: len(tab.model.rows) == 1, timeout=10000)
    asked: list[tuple[str, str]] = []
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]

    def question(_parent, title, text, *_args):
        asked.append((title, text))
        return answers[(len(asked) - 1) % 2]

    monkeypatch.setattr(QMessageBox, "question", question)
    tab.view.setCurrentIndex(tab.model.index(0, 0))
    for button in (tab.resequence, tab.resequence):  # No, then Yes
        button.click()
        _wait(qtbot, ctx)
    assert [title for title, _text in asked] == ["เริ่มนับเลขลำดับใหม่…"] * 2
    assert "4801006" in asked[0][1]
    resets = ctx.store.get_setting(importer.SEQUENCE_RESETS)
    assert list(resets) == ["4801006"]
    qtbot.waitUntil(lambda: len(tab.model.rows) == 1, timeout=10000)  # read again
    tab.view.setCurrentIndex(tab.model.index(0, 0))
    for button in (tab.retrust, tab.retrust):
        button.click()
        _wait(qtbot, ctx)
    assert [title for title, _text in asked[2:]] == ["เชื่อถือใหม่"] * 2
    assert "4801006" in asked[2][1]
    assert importer.trusted_keys(ctx.store) == []
    qtbot.waitUntil(lambda: not tab.model.rows, timeout=10000)


def test_after_an_export_the_preview_speaks_of_the_next_package(qtbot, tmp_path, make_ctx):
    """Found in a clerk's run: right after a package marked 3 reports sent, the refreshed
    preview said "no report will be marked sent … already sent before: 3" beside "marked sent:
    3": both true, but of two different packages. The preview now says it is about exporting
    again, until a choice changes."""
    from lev_desktop.services import demo
    from ui.screens.exchange import ExchangeScreen
    from ui.thai_wrap import plain

    lao = make_lao(tmp_path / "lao.db", "4801006", fill=False)
    demo.fill(lao)
    ctx = make_ctx(lao, fiscal_year=None)
    widget = ExchangeScreen(ctx)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    tab = widget.export_tab
    qtbot.waitUntil(lambda: tab.programmes.count() > 0, timeout=20000)
    tab.recipient.setEditText("D4801")
    qtbot.waitUntil(lambda: "แพ็กเกจนี้จะนับเป็นการส่ง:" in plain(tab.fulfils.text()), timeout=20000)
    assert "หากส่งออกอีกครั้งตอนนี้" not in plain(tab.fulfils.text())
    tab.out.setText(str(tmp_path / "up.levpkg"))
    tab.export()
    qtbot.waitUntil(lambda: "บันทึกว่าส่งแล้ว" in plain(tab.written.label.text()), timeout=20000)
    qtbot.waitUntil(lambda: "ส่งไปแล้วก่อนหน้านี้" in plain(tab.fulfils.text()), timeout=20000)
    assert plain(tab.fulfils.text()).startswith("หากส่งออกอีกครั้งตอนนี้:\n")
    tab.since_last.toggle()  # a choice changed: the preview is of a new package again
    qtbot.waitUntil(lambda: "หากส่งออกอีกครั้งตอนนี้" not in plain(tab.fulfils.text()), timeout=20000)
    _wait(qtbot, ctx)
    lao.dispose()


def test_history_names_the_offices_beside_their_codes(qtbot, screen):
    """Received, sent and refused rows read as names (this database's, else the usual name of
    an office above); a refused file's office is said as its claim; times in the BE year."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from lev_desktop.exchange import importer
    from lev_desktop.thai_format import format_utc

    from .helpers import members, write_members
    from .test_inbox import _forged

    widget, ctx, files, tmp = screen
    district = ctx.store
    importer.import_files(district, [files[0]], trust=True)
    # the name this database holds now (as a later package of the office would set it), not
    # the name stored with the package when it came
    with district.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE offices SET name = 'องค์การบริหารส่วนตำบลหนองแสง' WHERE code = '4801006'"
        )
    export_package(district, "P48", tmp / "up.levpkg")
    other_key = Ed25519PrivateKey.generate()
    resigned = _forged(members(files[0]), "อบต.ปลอม", other_key, package_uuid=str(uuid.uuid4()))
    importer.import_files(district, [write_members(tmp / "other-key.levpkg", resigned)])
    widget.refresh()
    _wait(qtbot, ctx)
    rows = widget.history_tab.model.rows
    by_direction = {row.cells[0]: row.cells for row in rows}
    assert set(by_direction) == {"รับ", "ส่ง", "ปฏิเสธ"}
    received = importer.received_history(district)[0]
    assert by_direction["รับ"][1] == "องค์การบริหารส่วนตำบลหนองแสง (4801006)"
    assert by_direction["รับ"][5] == format_utc(received.imported_at)
    assert "2569" in by_direction["รับ"][5]  # (this test's clock is in 2026)
    assert by_direction["ส่ง"][1] == "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนครพนม (P48)"
    assert by_direction["ปฏิเสธ"][1] == ("ผู้ส่งแจ้งว่าเป็น องค์การบริหารส่วนตำบลหนองแสง (4801006)")


def test_from_the_inbox_folder_takes_only_the_files_that_can_be_verified(qtbot, screen):
    from lev_desktop.exchange.inbox import inbox_dir

    widget, ctx, files, _tmp = screen
    good = inbox_dir() / "good.levpkg"
    good.write_bytes(files[0].read_bytes())
    (inbox_dir() / "cut.levpkg").write_bytes(files[1].read_bytes())  # damaged: never imported
    tab = widget.import_tab
    tab.inbox_button.click()
    qtbot.waitUntil(lambda: tab.plan is not None, timeout=20000)
    _wait(qtbot, ctx)
    assert tab.files == [str(good)]


def test_the_packages_default_name_has_a_buddhist_era_date(tmp_path: Path, monkeypatch):
    """The export tab offered "4801006-2026-12-04.levpkg": a CE year in the name of a file an
    officer carries, beside reports named "แผนปฏิบัติงาน_อบต.หนองแสง_2568.pdf". The date is
    the deadline engine's today (LEV_TODAY pins it), its year BE, still sorting by date."""
    from ui.screens.exchange import load_screen_data

    monkeypatch.setenv("LEV_TODAY", "2025-09-10")
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=4)
    try:
        assert in_worker(load_screen_data, lao)["default_out"].name == "4801006-2568-09-10.levpkg"
    finally:
        lao.dispose()


def test_the_file_buttons_stand_in_the_drop_areas_row(qtbot, screen):
    """Under Xvfb at 1366×768 at 125 % the three file buttons stood stacked beside the drop
    area, a row ~120 px tall: the import page scrolled, with the list of packages inside it
    scrolling too, 3½ packages in view. They stand in the drop area's row now (the page then
    fitted, 4½ in view; offscreen fonts are smaller, so the test checks the row itself: a
    height check here passed or failed by what earlier tests had loaded)."""
    from PySide6.QtWidgets import QPushButton

    from ui import digits

    widget, ctx, files, _tmp = screen
    widget.resize(792, 400)
    widget.show()
    tab = widget.import_tab
    widget.tabs.setCurrentWidget(tab)
    tab.add_files([str(files[0])])
    qtbot.waitUntil(lambda: tab.plan is not None, timeout=20000)
    tab.trust.setChecked(True)
    digits.set_thai(True)
    try:
        tab.confirm.click()
        qtbot.waitUntil(lambda: not tab.keys_box.isVisible(), timeout=20000)
        _wait(qtbot, ctx)
        drop = tab.drop.geometry()
        buttons = {b.text(): b.geometry() for b in tab.findChildren(QPushButton)}
        middles = {buttons[t].center().y() for t in ("เลือกไฟล์…", "จากโฟลเดอร์กล่องรับ", "ล้าง")}
        assert len(middles) == 1  # one row
        assert drop.top() <= middles.pop() <= drop.bottom()
        # the summary says its figures as the preview's line does: the interface's digits
        assert tab.summary.text().startswith("นำเข้า ๑ แพ็กเกจ: ใหม่ ")
        assert not any(c in "0123456789" for c in tab.summary.text())
    finally:
        digits.set_thai(False)


def test_the_import_summary_writes_thousands_as_the_rows_do(qtbot, screen):
    from lev_desktop.exchange.importer import ImportResult, PackagePlan

    widget, _ctx, _files, _tmp = screen
    tab = widget.import_tab
    package = PackagePlan(path="a.levpkg")
    package.counts = lambda: {  # type: ignore[method-assign]
        "new": 22190,
        "updated": 1200,
        "unchanged": 0,
        "conflicts": 0,
        "refused": 0,
    }
    tab._committed(ImportResult(imported=[package], refused=[], duplicates=[]))
    assert tab.summary.text() == (
        "นำเข้า 1 แพ็กเกจ: ใหม่ 22,190 ปรับปรุง 1,200 ไม่เปลี่ยนแปลง 0 ขัดแย้ง 0 รายการ"
    )


def _restamp(qtbot, ctx, tab) -> None:
    """The officer answers "set their times to now" after a refused export: yes, then closes
    the note that says it was done."""
    from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

    tab.restamp_button.click()
    (question,) = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "restamp_confirm" and w.isVisible()
    ]
    question.findChild(QPushButton, "restamp_yes").click()
    qtbot.waitUntil(lambda: tab.restamp_button.isHidden(), timeout=20000)
    _wait(qtbot, ctx)
    for box in QApplication.topLevelWidgets():
        if isinstance(box, QMessageBox) and box.objectName() == "restamp_done":
            box.close()


def test_an_export_refused_for_records_saved_ahead_offers_the_restamp(qtbot, screen, clock):
    """The district's own record was saved five days 'ahead' of now: the export is refused
    with what is wrong, a button offers to set their times to now, and after its question the
    next export is written."""
    from sqlalchemy import select

    from db.models import Office
    from lev_desktop.exchange.exporter import ensure_key, this_office_info

    widget, ctx, _files, tmp = screen
    tab = widget.export_tab
    store = ctx.store
    ensure_key(store, this_office_info(store))  # (the first export would stamp the office)
    clock.advance(days=5)
    with store.session() as s:
        s.scalar(select(Office).where(Office.code == store.office_code)).phone = "042-000000"
    clock.advance(days=-5)
    tab.recipient.setEditText("P48")
    tab.out.setText(str(tmp / "up.levpkg"))
    assert tab.restamp_button.isHidden()
    tab.export()
    _wait(qtbot, ctx)
    assert not (tmp / "up.levpkg").exists(), tab.status.text()
    # a refusal, said as every form says one: dark red after "⚠" (it was the default colour)
    assert tab.status.text().startswith("⚠ ยังไม่ได้เขียนแพ็กเกจ: ข้อมูลของหน่วยงานนี้ ")
    assert tab.status.styleSheet() == "color: #a3221a;"
    assert not tab.restamp_button.isHidden()
    _restamp(qtbot, ctx, tab)
    tab.export()
    _wait(qtbot, ctx)
    assert (tmp / "up.levpkg").exists()
    assert tab.status.styleSheet() == "" and not tab.status.text().startswith("⚠")


def test_a_refused_export_does_not_show_what_it_would_count_as(qtbot, tmp_path, make_ctx, clock):
    """After a refused export the green "this package will count as sending: • …" list stood
    above the refusal as if the package had gone. A refusal takes it away (nothing was
    written, nothing counts); once the refusal is put right the list is back."""
    from sqlalchemy import select

    from db.models import Office
    from lev_desktop.exchange.exporter import ensure_key, this_office_info
    from ui.screens.exchange import ExchangeScreen

    lao = make_lao(tmp_path / "lao.db", "4801006", seed=4)
    ctx = make_ctx(lao, fiscal_year=None)
    widget = ExchangeScreen(ctx)
    qtbot.addWidget(widget)
    _wait(qtbot, ctx)
    tab = widget.export_tab
    ensure_key(lao, this_office_info(lao))
    clock.advance(days=5)
    with lao.session() as s:
        s.scalar(select(Office).where(Office.code == lao.office_code)).phone = "042-000000"
    clock.advance(days=-5)
    tab.out.setText(str(tmp_path / "up.levpkg"))
    tab.preview()
    _wait(qtbot, ctx)
    would = tab.fulfils.text()
    assert would.startswith("แพ็กเกจนี้จะนับเป็นการส่ง:\n  • "), would
    tab.export()
    _wait(qtbot, ctx)
    assert tab.status.text().startswith("⚠ ยังไม่ได้เขียนแพ็กเกจ")
    assert tab.fulfils.text() == ""
    _restamp(qtbot, ctx, tab)
    qtbot.waitUntil(lambda: tab.fulfils.text() == would, timeout=5000)
    ctx.runner.wait()
    lao.dispose()


def test_after_an_export_its_file_line_and_buttons_are_in_view(qtbot, screen):
    """fit15: at 1366×768 at 125 % the export page scrolls (306 px), and after every export the
    line of the file written, "แสดงในโฟลเดอร์" and "คัดลอกไปยังแฟลชไดรฟ์", were below the edge:
    the officer saw nothing happen. They are scrolled into view now."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QApplication, QScrollArea

    widget, ctx, _files, tmp = screen
    widget.resize(893, 500)  # the work area of a 1093×582 window, less the navigation
    widget.show()
    qtbot.waitExposed(widget)
    tab = widget.export_tab
    scroll = widget.tabs.currentWidget()
    # (the page fits before an export since fit16: tests/exchange/test_export_fits.py; the
    # list of what was written, shown after it, makes it scroll)
    assert isinstance(scroll, QScrollArea) and scroll.verticalScrollBar().value() == 0
    tab.recipient.setEditText("P48")
    tab.out.setText(str(tmp / "up.levpkg"))
    tab.export()
    qtbot.waitUntil(lambda: bool(tab.model.rows), timeout=20000)
    _wait(qtbot, ctx)
    # the preview of the next package is read again after the export (a timer, then a job)
    qtbot.waitUntil(lambda: not tab._preview_timer.isActive(), timeout=5000)
    _wait(qtbot, ctx)

    def in_view(button) -> bool:
        viewport = scroll.viewport()
        seen = QRect(button.mapTo(viewport, button.rect().topLeft()), button.size())
        return button.isVisible() and viewport.rect().contains(seen)

    for _round in range(3):  # the bar laid out with its text, then the area scrolled
        QApplication.processEvents()
    assert in_view(tab.written.usb_button) and in_view(tab.written.folder_button)
    assert tab.written.path == tmp / "up.levpkg"
