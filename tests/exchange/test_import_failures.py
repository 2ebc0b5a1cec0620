"""redteam14: the import when the disk is full or a file is held by another program.
The commit's failure was shown as the exception's English text ("[Errno 28] No space left on
device") and the import button stayed off; the preview's likewise ("database is locked")."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from lev_desktop.exchange import deliveries, importer
from lev_desktop.exchange.excel import write_template
from lev_desktop.exchange.exporter import export_package
from lev_desktop.services.offices import add_lao

from .helpers import assert_refused, make_district, make_lao, snapshot


@pytest.fixture
def import_tab(qtbot, tmp_path: Path, make_ctx):
    from ui.screens.exchange import ExchangeScreen

    lao = make_lao(tmp_path / "lao.db", "4801006", seed=4)
    package = export_package(lao, "D4801", tmp_path / "one.levpkg").path
    district = make_district(tmp_path / "district.db")
    ctx = make_ctx(district, fiscal_year=None)
    widget = ExchangeScreen(ctx)
    qtbot.addWidget(widget)
    ctx.runner.wait()
    yield widget.import_tab, ctx, package, district
    ctx.runner.wait()
    lao.dispose()
    district.dispose()


def _fails_with(exc: BaseException):
    def fail(*_args, **_kwargs):
        raise exc

    return fail


DISK_FULL = "พื้นที่ดิสก์เต็ม โปรดลบไฟล์ที่ไม่ใช้แล้วลองใหม่ — ข้อมูลยังไม่มีการเปลี่ยนแปลง"


@pytest.mark.parametrize(
    ("exc", "shown"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), DISK_FULL),
        (sqlite3.OperationalError("database or disk is full"), DISK_FULL),
        (
            sqlite3.OperationalError("database is locked"),
            "ฐานข้อมูลกำลังทำงานอื่นอยู่ โปรดรอสักครู่แล้วลองใหม่",
        ),
    ],
    ids=["enospc", "sqlite-full", "locked"],
)
def test_a_commit_that_fails_says_why_in_thai_and_may_be_tried_again(
    qtbot, import_tab, monkeypatch, exc, shown
):
    tab, ctx, package, district = import_tab
    tab.add_files([str(package)])
    qtbot.waitUntil(lambda: tab.plan is not None, timeout=20000)
    tab.trust.setChecked(True)
    before = snapshot(district)
    monkeypatch.setattr(deliveries, "record_received", _fails_with(exc))  # mid-transaction
    tab.confirm.click()
    qtbot.waitUntil(lambda: not ctx.runner.active, timeout=20000)
    assert tab.summary.text() == shown
    assert snapshot(district) == before
    assert tab.confirm.isEnabled()
    monkeypatch.undo()
    tab.confirm.click()
    qtbot.waitUntil(lambda: tab.summary.text().startswith("นำเข้า 1 แพ็กเกจ"), timeout=20000)


def test_a_preview_that_fails_says_why_in_thai(qtbot, import_tab, monkeypatch):
    tab, ctx, package, _district = import_tab
    monkeypatch.setattr(
        importer, "preview", _fails_with(sqlite3.OperationalError("database is locked"))
    )
    tab.add_files([str(package)])
    qtbot.waitUntil(lambda: not ctx.runner.active, timeout=20000)
    assert tab.summary.text() == "ฐานข้อมูลกำลังทำงานอื่นอยู่ โปรดรอสักครู่แล้วลองใหม่"


# ---- a package or form file another program holds (Windows: a sharing violation) ------------

HELD = (
    "ไฟล์ {name} เปิดอยู่ในโปรแกรมอื่น (เช่น Excel หรือโปรแกรมอ่าน PDF) หรือเป็นไฟล์อ่านอย่างเดียว "
    "โปรดปิดไฟล์นั้นในโปรแกรมดังกล่าวแล้วลองอีกครั้ง หรือบันทึกเป็นชื่ออื่น"
)


def _held_open(monkeypatch, held: Path) -> None:
    """Opening ``held`` fails as on Windows while another program has it open."""
    real = Path.open
    real_bytes = Path.read_bytes

    def refuse(path: Path) -> None:
        if Path(path) == held:
            exc = PermissionError(13, "Permission denied", str(held))
            exc.winerror = 32  # ERROR_SHARING_VIOLATION, as CPython sets it on Windows
            raise exc

    def open_(self, *args, **kwargs):
        refuse(self)
        return real(self, *args, **kwargs)

    def read_bytes(self):
        refuse(self)
        return real_bytes(self)

    monkeypatch.setattr(Path, "open", open_)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)


def test_a_package_held_by_another_program_says_so(tmp_path, monkeypatch):
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=4)
    district = make_district(tmp_path / "district.db")
    package = export_package(lao, "D4801", tmp_path / "one.levpkg").path
    _held_open(monkeypatch, package)
    reason = assert_refused(district, package, "unreadable")
    assert reason == HELD.format(name=package)


def test_a_kpi_form_held_by_another_program_says_so(tmp_path, monkeypatch):
    district = make_district(tmp_path / "d.db")
    add_lao(district, code="4801012", name="อบต.คำเตย", lao_type="sao", district_code="4801")
    form = write_template(district, "4801012", "P2", tmp_path / "form.xlsx", period="FY2567")
    _held_open(monkeypatch, form)
    reason = assert_refused(district, form, "unreadable")
    assert reason == HELD.format(name=form)
