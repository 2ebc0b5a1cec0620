"""redteam14: the import tab when the disk is full or the database is held by another program.
The commit's failure was shown as the exception's English text ("[Errno 28] No space left on
device") and the import button stayed off; the preview's likewise ("database is locked")."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from lev_desktop.exchange import deliveries, importer
from lev_desktop.exchange.exporter import export_package

from .helpers import make_district, make_lao, snapshot


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
