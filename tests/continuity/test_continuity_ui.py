"""The continuity screens: backups at close and daily, the Backups tab, the restore flow through
the Launcher, and a damaged database at start."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from exchange.helpers import make_lao
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from db.store import Store
from lev_desktop import options
from lev_desktop.continuity import backups, keysafe
from lev_desktop.exchange import keys
from lev_desktop.exchange.exporter import export_package
from ui.app import Launcher, make_application, wire_runner
from ui.context import AppContext
from ui.thai_wrap import plain as shown  # labels show Thai break opportunities

from .helpers import damage, rows

PASSWORD = "รหัสผ่านยาวพอ 2568"


@pytest.fixture
def app(qapp):
    make_application()
    return qapp


def _ctx(store: Store) -> AppContext:
    ctx = AppContext(store, settings=options.load_all(store))
    wire_runner(ctx.runner)
    return ctx


def _close_boxes() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, (QMessageBox, QDialog)) and widget.isVisible():
            widget.close()


def test_window_closes_after_a_backup(app, qtbot, tmp_path: Path):
    from ui.continuity import BackupScheduler
    from ui.main_window import MainWindow

    store = make_lao(tmp_path / "lao.db", "4801006")
    ctx = _ctx(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    scheduler = BackupScheduler(ctx, window, first_check_ms=3_600_000)
    window.close_guard = scheduler.at_close
    window.show()
    assert backups.list_backups(store.path) == []
    window.close()
    assert window.isVisible()  # the backup runs first, on the worker
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20000)
    made = backups.list_backups(store.path)
    assert [b.kind for b in made] == [backups.ROTATED]
    assert rows(made[0].path, skip=("settings",)) == rows(store.path, skip=("settings",))
    ctx.runner.wait()
    store.dispose()


def test_a_failed_backup_at_close_is_a_thai_warning_then_the_window_closes(
    app, qtbot, tmp_path: Path, monkeypatch
):
    from ui.continuity import BackupScheduler
    from ui.main_window import MainWindow

    store = make_lao(tmp_path / "lao.db", "4801006")
    ctx = _ctx(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    scheduler = BackupScheduler(ctx, window, first_check_ms=3_600_000)
    window.close_guard = scheduler.at_close
    window.show()

    def full_disk(_store, **_kw):
        raise backups.BackupError("สำรองข้อมูลไม่สำเร็จ: พื้นที่ดิสก์เต็ม")

    monkeypatch.setattr(backups, "make_backup", full_disk)
    window.close()
    qtbot.waitUntil(
        lambda: any(b.isVisible() for b in window.findChildren(QMessageBox)), timeout=20000
    )
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    assert shown(box.text()) == "สำรองข้อมูลไม่สำเร็จ: พื้นที่ดิสก์เต็ม"
    assert window.isVisible()  # the officer reads it first
    box.accept()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    ctx.runner.wait()
    store.dispose()


def test_daily_backup_while_running_and_a_removed_stick(app, qtbot, tmp_path: Path):
    from lev_desktop import options
    from ui.continuity import BackupScheduler
    from ui.main_window import MainWindow

    store = make_lao(tmp_path / "lao.db", "4801006")
    options.save(store, {"backup.second_folder": str(tmp_path / "usb-not-plugged")})
    ctx = _ctx(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    scheduler = BackupScheduler(ctx, window, check_every_ms=50, first_check_ms=10)
    window.show()
    with qtbot.waitSignal(scheduler.failed, timeout=20000) as warned:
        pass
    assert warned.args[0].startswith("ไม่พบโฟลเดอร์สำรองข้อมูลที่สอง")
    assert window.statusBar().currentMessage() == warned.args[0]
    qtbot.waitUntil(lambda: bool(backups.list_backups(store.path)), timeout=5000)
    # several more hourly checks (50 ms here), counted rather than timed: no second backup
    # the same day
    for _check in range(5):
        with qtbot.waitSignal(scheduler.timer.timeout, timeout=5000):
            pass
    qtbot.waitUntil(lambda: not scheduler.running and not ctx.runner.active, timeout=10000)
    assert len(backups.list_backups(store.path)) == 1
    scheduler.timer.stop()
    _close_boxes()
    ctx.runner.wait()
    store.dispose()


def test_backups_tab_lists_backs_up_and_shows_the_key(app, qtbot, tmp_path: Path, qtmodeltester):
    from ui.settings.backups import BackupsTab

    store = make_lao(tmp_path / "lao.db", "4801006")
    export_package(store, "D4801", tmp_path / "p.levpkg")  # the office has a key now
    backups.make_backup(store, now=dt.datetime(2025, 2, 15, 16, 30))
    ctx = _ctx(store)
    tab = BackupsTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1093, 582)
    tab.show()
    tab.refresh()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10000)
    qtmodeltester.check(tab.model)
    assert tab.model.data(tab.model.index(0, 0)) == "15 ก.พ. 2568 16:30 น."
    assert tab.model.data(tab.model.index(0, 3)) == "โฟลเดอร์ข้อมูล"
    assert "ข้อมูลสำรองยังไม่มีกุญแจ" in shown(tab.key_text.text())
    tab.now_button.click()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=10000)
    assert shown(tab.status.text()).startswith("ข้อมูลสำรองล่าสุด:")
    tab.grab().save("/tmp/cont-backups-tab.png")
    keysafe.export_key(store, tmp_path / "k", PASSWORD)
    tab.refresh()
    qtbot.waitUntil(lambda: "ข้อมูลสำรองมีกุญแจนี้" in shown(tab.key_text.text()), timeout=10000)
    ctx.runner.wait()
    store.dispose()


def _launch(qtbot, path: Path) -> tuple[Launcher, object]:
    launcher = Launcher(f"sqlite:///{path}")
    with qtbot.waitSignal(launcher.ready, timeout=60000) as blocker:
        launcher.start()
    return launcher, blocker.args[0]


def _shut(launcher: Launcher) -> None:
    _close_boxes()
    if launcher.window is not None:
        launcher.window.close_guard = None
        launcher.window.close()
    launcher.runner.wait()
    if launcher.store is not None:
        launcher.store.dispose()


def test_restore_from_settings_reopens_the_restored_database_and_asks_for_the_key(
    app, qtbot, tmp_path: Path, monkeypatch
):
    from ui.settings.backups import BackupsTab

    store = make_lao(tmp_path / "lao.db", "4801006")
    export_package(store, "D4801", tmp_path / "p.levpkg")
    keysafe.export_key(store, tmp_path / "k", PASSWORD)
    fingerprint = keys.office_fingerprint("4801006")
    made = backups.make_backup(store).path
    at_backup = rows(store.path, skip=("settings", "audit_log"))
    store.set_identity(officer="เปลี่ยนหลังสำรอง")
    store.dispose()
    keys.key_path("4801006").unlink()  # as on a computer that does not have the key

    launcher, window = _launch(qtbot, tmp_path / "lao.db")
    window.show_screen("settings", "backups")
    tab: BackupsTab = window.page("settings").backups
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10000)
    tab.view.selectRow(0)
    tab.restore_selected()
    qtbot.waitUntil(lambda: getattr(tab, "confirm_box", None) is not None, timeout=10000)
    box = tab.confirm_box
    assert "หน่วยงาน: อบต.ทดสอบ 4801006 (4801006)" in shown(box.informativeText())
    assert "ผลตรวจความสมบูรณ์ (SQLite): ไม่พบปัญหา" in shown(box.informativeText())
    box.grab().save("/tmp/cont-restore-confirm.png")
    with qtbot.waitSignal(launcher.ready, timeout=60000) as reopened:
        box.restore_button.click()
    new_window = reopened.args[0]
    assert new_window is not window
    assert launcher.store.officer == "เจ้าหน้าที่ อปท."  # the backup's, not the later change
    assert rows(tmp_path / "lao.db", skip=("settings", "audit_log")) == at_backup
    # The restored database carries the key: after the report, the password is asked.
    qtbot.waitUntil(
        lambda: any(b.isVisible() for b in new_window.findChildren(QMessageBox)), timeout=10000
    )
    next(b for b in new_window.findChildren(QMessageBox) if b.isVisible()).accept()
    from ui.settings.backups import PasswordDialog

    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in new_window.findChildren(PasswordDialog)), timeout=10000
    )
    dialog = next(d for d in new_window.findChildren(PasswordDialog) if d.isVisible())
    dialog.grab().save("/tmp/cont-key-password.png")
    dialog.password.setText(PASSWORD)
    dialog._check()
    qtbot.waitUntil(lambda: keys.has_key("4801006"), timeout=10000)
    assert keys.office_fingerprint("4801006") == fingerprint
    assert any(p.name.endswith("-before-restore.db") for p in backups.backup_folder().iterdir())
    assert made.exists()
    _shut(launcher)


def test_damaged_database_at_start_offers_the_newest_good_backup(app, qtbot, tmp_path: Path):
    from ui.continuity import DamagedDialog

    store = make_lao(tmp_path / "lao.db", "4801006")
    backups.make_backup(store, now=dt.datetime(2025, 2, 14, 17, 0))
    good = backups.make_backup(store, now=dt.datetime(2025, 2, 15, 17, 0)).path
    expected = rows(good, skip=("settings", "audit_log"))
    newest = backups.make_backup(store, now=dt.datetime(2025, 2, 16, 17, 0)).path
    store.dispose()
    damage(newest)  # the newest backup is damaged too: the one before is offered
    damage(tmp_path / "lao.db")

    launcher = Launcher(f"sqlite:///{tmp_path / 'lao.db'}")
    launcher.start()
    qtbot.waitUntil(
        lambda: isinstance(getattr(launcher, "damaged_dialog", None), DamagedDialog), timeout=20000
    )
    dialog = launcher.damaged_dialog
    assert dialog.best is not None and dialog.best.path == good
    assert "ข้อมูลสำรองเมื่อ 15 ก.พ. 2568 17:00 น." in shown(dialog.best_label.text())
    dialog.resize(1093, dialog.height())
    dialog.grab().save("/tmp/cont-damaged.png")
    with qtbot.waitSignal(launcher.ready, timeout=60000):
        dialog.restore_button.click()
    assert rows(tmp_path / "lao.db", skip=("settings", "audit_log")) == expected
    assert any(
        p.name.endswith(("-damaged.db", "-before-restore.db"))
        for p in backups.backup_folder().iterdir()
    )
    _shut(launcher)


def test_an_emptied_database_at_start_offers_the_newest_backup(app, qtbot, tmp_path: Path):
    """lev.db cut to 0 bytes (a copy cut off, a sync program): SQLite opened it as a new
    database and the set-up of a new office started, the backups beside it not offered."""
    from ui.continuity import DamagedDialog

    store = make_lao(tmp_path / "lao.db", "4801006")
    good = backups.make_backup(store, now=dt.datetime(2025, 2, 15, 17, 0)).path
    expected = rows(good, skip=("settings", "audit_log"))
    store.dispose()
    (tmp_path / "lao.db").write_bytes(b"")

    launcher = Launcher(f"sqlite:///{tmp_path / 'lao.db'}")
    launcher.start()
    qtbot.waitUntil(
        lambda: isinstance(getattr(launcher, "damaged_dialog", None), DamagedDialog), timeout=20000
    )
    dialog = launcher.damaged_dialog
    assert dialog.best is not None and dialog.best.path == good
    assert launcher.wizard is None
    with qtbot.waitSignal(launcher.ready, timeout=60000):
        dialog.restore_button.click()
    assert rows(tmp_path / "lao.db", skip=("settings", "audit_log")) == expected
    _shut(launcher)
