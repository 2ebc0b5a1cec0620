"""The screens of a reinstalled office: the district writes the recovery package, the new
installation takes it back in the first-start wizard, and the district confirms the office's new
key in one guided step that also makes the letter for the province."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from exchange.helpers import make_district, make_lao, make_province

from db.store import Store
from lev_desktop.exchange import importer, keys, recovery
from lev_desktop.exchange.exporter import export_package
from ui.app import make_application
from ui.thai_wrap import plain as shown  # labels show Thai break opportunities
from ui.widgets import file_actions, file_dialogs

from .test_recovery import LAO, computer


@pytest.fixture
def app(qapp):
    make_application()
    return qapp


@pytest.fixture
def sent_and_forwarded(tmp_path: Path, clock):
    """An LAO that sent two packages to the district, forwarded to the province."""
    (tmp_path / "old").mkdir()
    lao = make_lao(tmp_path / "old" / "lao.db", LAO, seed=4)
    district = make_district(tmp_path / "district.db")
    province = make_province(tmp_path / "province.db")
    clock.advance(seconds=2)
    importer.import_files(
        district, [export_package(lao, "D4801", tmp_path / "1.levpkg").path], trust=True
    )
    up = export_package(district, "P48", tmp_path / "up.levpkg")
    importer.import_files(province, [up.path], trust=True)
    yield lao, district, province
    for store in (lao, district, province):
        store.dispose()


def test_district_writes_the_recovery_package(
    app, qtbot, make_ctx, sent_and_forwarded, tmp_path, monkeypatch
):
    from ui.screens.exchange import ExchangeScreen

    _lao, district, _province = sent_and_forwarded
    ctx = make_ctx(district)
    screen = ExchangeScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1093, 582)
    screen.show()
    tab = screen.recovery_tab
    qtbot.waitUntil(lambda: tab.office.count() > 0, timeout=15000)
    assert screen.tabs.isTabVisible(screen.tabs.indexOf(tab))
    assert screen.tabs.tabText(screen.tabs.indexOf(tab)) == "หน่วยงานติดตั้งใหม่"
    tab.office.setCurrentIndex(tab.office.findData(LAO))
    target = tmp_path / "ส่งให้หนองแสง.levrecovery"
    monkeypatch.setattr(file_actions, "ask_save_path", lambda *a, **k: target)
    tab.write_button.click()
    qtbot.waitUntil(
        lambda: shown(tab.result.text()).startswith("สร้างแพ็กเกจกู้คืนข้อมูลแล้ว"), timeout=15000
    )
    assert target.exists()
    assert "มีแพ็กเกจของหน่วยงาน 1 ฉบับ (ฉบับล่าสุดลำดับที่ 1)" in shown(tab.result.text())
    screen.tabs.setCurrentWidget(tab)
    screen.grab().save("/tmp/cont-recovery-tab.png")


def test_new_installation_recovers_in_the_wizard(
    app, qtbot, make_ctx, sent_and_forwarded, tmp_path, monkeypatch
):
    from ui.reinstall import RecoverDialog
    from ui.setup_wizard import SetupWizard

    _lao, district, _province = sent_and_forwarded
    made = recovery.export_recovery(district, LAO, tmp_path / "r")
    with computer(tmp_path / "new-computer"):
        new = Store(tmp_path / "new.db")
        ctx = make_ctx(new, fiscal_year=None)
        wizard = SetupWizard(ctx)
        qtbot.addWidget(wizard)
        wizard.show()
        assert shown(wizard.recover_button.text()) == (
            "เครื่องของหน่วยงานเสียหรือติดตั้งใหม่: กู้คืนข้อมูลของหน่วยงาน…"
        )
        monkeypatch.setattr(file_dialogs, "open_file", lambda *a, **k: str(made.path))
        wizard.recover_button.click()
        dialog = wizard.recover_dialog
        assert isinstance(dialog, RecoverDialog)
        qtbot.waitUntil(lambda: dialog.recovery is not None, timeout=15000)
        assert "แพ็กเกจกู้คืนข้อมูลของอบต.ทดสอบ 4801001 (4801001)" in shown(dialog.status.text())
        assert shown(dialog.fingerprint.text()) == keys.format_fingerprint(
            made_fingerprint := dialog.recovery.issuer_fingerprint
        )
        assert not dialog.recover_button.isEnabled()  # not before the fingerprint is compared
        dialog.resize(1000, dialog.height())
        dialog.grab().save("/tmp/cont-recover-dialog.png")
        dialog.checked.setChecked(True)
        with qtbot.waitSignal(wizard.finished, timeout=20000):
            dialog.recover_button.click()
        assert wizard.result() == 1 and wizard.result_office.code == LAO
        assert new.office_code == LAO
        assert [k.fingerprint for k in importer.trusted_keys(new)] == [made_fingerprint]
        ctx.runner.wait()
        new.dispose()


def test_the_district_confirms_the_new_key_and_writes_the_letter(
    app, qtbot, make_ctx, sent_and_forwarded, tmp_path, monkeypatch
):
    from ui.reinstall import ReinstalledDialog
    from ui.screens.exchange import ExchangeScreen

    lao, district, province = sent_and_forwarded
    old_fingerprint = keys.office_fingerprint(LAO)
    with computer(tmp_path / "new-computer"):  # the same database, a new key
        again = export_package(lao, "D4801", tmp_path / "2.levpkg", since_last=True).path
        new_fingerprint = keys.office_fingerprint(LAO)
    ctx = make_ctx(district)
    screen = ExchangeScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1093, 582)
    screen.show()
    tab = screen.import_tab
    screen.tabs.setCurrentWidget(tab)
    tab.add_files([str(again)])
    qtbot.waitUntil(lambda: tab.reinstalled.isVisible(), timeout=15000)
    assert shown(tab.reinstalled.text()) == "หน่วยงานนี้ติดตั้งโปรแกรมใหม่: 4801001 อบต.ทดสอบ 4801001…"
    assert not tab.confirm.isEnabled()
    screen.grab().save("/tmp/cont-import-key-changed.png")
    tab.reinstalled.click()
    dialog = tab.reinstalled.dialog
    assert isinstance(dialog, ReinstalledDialog)
    texts = [shown(w.text()) for w in dialog.findChildren(type(dialog.letter_text))]
    assert keys.format_fingerprint(old_fingerprint) in texts
    assert keys.format_fingerprint(new_fingerprint) in texts
    assert not dialog.confirm_button.isEnabled()
    dialog.grab().save("/tmp/cont-reinstalled-dialog.png")
    dialog.compared.setChecked(True)
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: dialog.letter_box.isVisible(), timeout=15000)
    assert dialog.forwarded == ["P48"]
    assert shown(dialog.letter_text.text()).startswith("เชื่อถือกุญแจใหม่แล้ว P48 เคยได้รับแพ็กเกจ")
    # The import tab checked the package again: it goes in now.
    qtbot.waitUntil(lambda: tab.confirm.isEnabled(), timeout=15000)
    qtbot.waitUntil(lambda: not tab.reinstalled.isVisible(), timeout=15000)
    letter = tmp_path / "แจ้งกุญแจใหม่.pdf"
    monkeypatch.setattr(file_actions, "ask_save_path", lambda *a, **k: letter)
    dialog.letter_button.click()
    qtbot.waitUntil(lambda: dialog.letter_written is not None, timeout=30000)
    dialog.grab().save("/tmp/cont-reinstalled-done.png")
    assert letter.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(letter), "-"], capture_output=True, text=True, check=True
        ).stdout
        # the letter is in the document's digits (Thai by default), the office's name too...
        assert "แจ้งกุญแจอิเล็กทรอนิกส์ใหม่ของอบต.ทดสอบ ๔๘๐๑๐๐๑" in text
        # ...but a fingerprint is printed exactly as the programs show it, to be compared
        # character by character (a group of only decimal digits once came out in Thai digits)
        lines = [line.strip() for line in text.splitlines()]
        for fingerprint in (old_fingerprint, new_fingerprint):
            for line in keys.format_fingerprint(fingerprint).split("\n"):
                assert line in lines
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", str(letter), "/tmp/cont-letter"],
            check=True,
        )
    assert province.office_code == "P48"
