"""Visible folders and what a person does with a file just written: packages and reports go
under Documents\\LEV Desktop by default (configurable), every place that wrote a file offers
"show in folder" and "copy to USB drive" (drives listed by name), previews never reuse a name,
locked files give the Thai message in the screen, drops that are not files are explained."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from lev_desktop import drives, options, paths
from lev_desktop.exchange.exporter import export_package
from tests.exchange.helpers import make_district, make_lao
from tests.windows.test_locked_files import HeldBy


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch):
    from lev_desktop import files

    monkeypatch.setattr(files.time, "sleep", lambda _seconds: None)


@pytest.fixture
def opened(monkeypatch):
    """What the screens asked the desktop to open (files, folders), instead of opening it."""
    from PySide6.QtCore import QProcess
    from PySide6.QtGui import QDesktopServices

    urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url.toLocalFile()))

    def explorer(program: str, arguments: list[str]):  # Windows: explorer /select,"path"
        urls.append(arguments[-1])
        return True, 0

    monkeypatch.setattr(QProcess, "startDetached", explorer)
    return urls


@pytest.fixture
def usb(tmp_path, monkeypatch):
    stick = tmp_path / "media" / "KINGSTON"
    stick.mkdir(parents=True)
    drive = drives.Drive(stick, "KINGSTON", "E:")
    monkeypatch.setattr(drives, "removable_drives", lambda: [drive])
    return drive


def test_default_folders_are_under_documents(lao_store, monkeypatch, tmp_path):
    monkeypatch.delenv("LEV_DATA_DIR")
    monkeypatch.setattr(
        paths.platformdirs, "user_documents_dir", lambda: r"C:\Users\somsri\OneDrive\เอกสาร"
    )
    base = Path(r"C:\Users\somsri\OneDrive\เอกสาร") / "LEV Desktop"
    assert options.folder(lao_store, "reports") == base / "รายงาน"
    assert options.folder(lao_store, "packages") == base / "แพ็กเกจส่งออก"
    assert paths.output_dir("inbox") == base / "แพ็กเกจที่ได้รับ"
    options.save(lao_store, {"folders.packages": str(tmp_path / "ส่งอำเภอ")})
    assert options.folder(lao_store, "packages") == tmp_path / "ส่งอำเภอ"
    # never the hidden application-data folder
    assert paths.data_dir() not in options.folder(lao_store, "reports").parents


# ---- the exchange screen --------------------------------------------------------------------


@pytest.fixture
def exchange(qtbot, tmp_path, make_ctx):
    from ui.screens.exchange import ExchangeScreen

    lao = make_lao(tmp_path / "lao.db", "4801006", seed=4)
    ctx = make_ctx(lao)
    widget = ExchangeScreen(ctx)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    qtbot.waitUntil(lambda: widget.export_tab.programmes.count() > 0, timeout=20000)
    yield widget, ctx
    ctx.runner.wait()
    lao.dispose()


def test_export_goes_to_documents_and_offers_folder_and_usb(qtbot, exchange, usb, opened):
    widget, ctx = exchange
    tab = widget.export_tab
    out = Path(tab.out.text())
    assert out.parent == options.folder(ctx.store, "packages")
    assert out.suffix == ".levpkg" and "4801006" in out.name
    tab.recipient.setEditText("D4801")
    tab.export()
    qtbot.waitUntil(lambda: tab.written.isVisibleTo(widget), timeout=20000)
    assert tab.written.path == out and out.exists()
    assert str(out.parent) in tab.status.text()
    # a second export the same day gets its own file: the first may not be sent yet
    tab.export()
    qtbot.waitUntil(lambda: tab.written.path != out, timeout=20000)
    second = tab.written.path
    assert second.parent == out.parent and second.name == out.stem + " (2).levpkg"
    assert out.exists() and second.exists()
    # show in folder
    tab.written.folder_button.click()
    assert opened and Path(opened[-1]) in (second, second.parent)
    # copy to the USB drive, chosen by its name
    entries = tab.written.fill_drives()
    assert [a.text() for a in tab.written.usb_menu.actions()] == ["KINGSTON (E:)"]
    assert entries == [usb]
    with qtbot.waitSignal(tab.written.copied, timeout=20000) as copied:
        tab.written.usb_menu.actions()[0].trigger()
    assert copied.args[0] == usb.root / second.name
    assert (usb.root / second.name).read_bytes() == second.read_bytes()
    assert "KINGSTON (E:)" in tab.status.text()


def test_no_usb_drive_says_so(qtbot, exchange, monkeypatch):
    widget, _ctx = exchange
    monkeypatch.setattr(drives, "removable_drives", list)
    bar = widget.export_tab.written
    bar.fill_drives()
    (action,) = bar.usb_menu.actions()
    assert not action.isEnabled() and "แฟลชไดรฟ์" in action.text()


def test_copy_to_a_pulled_out_drive_is_a_thai_message(qtbot, exchange, tmp_path):
    widget, _ctx = exchange
    bar = widget.export_tab.written
    source = tmp_path / "p.levpkg"
    source.write_bytes(b"PK")
    bar.set_file(source)
    gone = drives.Drive(tmp_path / "pulled-out" / "KINGSTON", "KINGSTON", "E:")
    (tmp_path / "pulled-out").write_bytes(b"")  # the parent is no folder: nothing can be made
    with qtbot.waitSignal(bar.copied, timeout=20000) as copied:
        bar.copy_to(gone)
    assert copied.args[0] is None
    assert "Errno" not in widget.export_tab.status.text()
    assert "ไม่สามารถ" in widget.export_tab.status.text()


def test_excel_form_over_an_open_workbook_shows_the_thai_message(
    qtbot, tmp_path, monkeypatch, make_ctx
):
    from ui.screens.exchange import ExchangeScreen
    from ui.widgets import file_actions

    district = make_district(tmp_path / "district.db")
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=4)
    from lev_desktop.exchange.importer import commit, preview

    commit(
        district,
        preview(district, [export_package(lao, "D4801", tmp_path / "a.levpkg").path]),
        trust=True,
    )
    ctx = make_ctx(district)
    widget = ExchangeScreen(ctx)
    qtbot.addWidget(widget)
    tab = widget.export_tab
    qtbot.waitUntil(
        lambda: tab.excel_lao.count() > 0 and tab.excel_programme.count() > 0, timeout=20000
    )
    target = tmp_path / "ฟอร์ม.xlsx"
    target.write_bytes(b"open in Excel")
    asked = []
    monkeypatch.setattr(
        file_actions, "ask_save_path", lambda *args, **_kw: asked.append(args) or target
    )
    monkeypatch.setattr(os, "replace", HeldBy(target, 32))
    tab.excel_form()
    qtbot.waitUntil(lambda: "ปิดไฟล์" in tab.status.text(), timeout=20000)
    assert str(target) in tab.status.text() and "Errno" not in tab.status.text()
    assert asked[0][3] == "xlsx"
    ctx.runner.wait()
    lao.dispose()
    district.dispose()


# ---- drops ----------------------------------------------------------------------------------


def drop(widget, mime: QMimeData) -> None:
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    widget.dropEvent(event)  # what Qt calls at the end of a real drag (no drag runs offscreen)


def test_a_drop_that_is_not_a_file_is_explained(qtbot, exchange):
    widget, _ctx = exchange
    tab = widget.import_tab
    text = QMimeData()
    text.setText("ส่งแพ็กเกจให้แล้วนะคะ")  # a LINE message dragged by mistake
    drop(tab.drop, text)
    assert "ไม่ใช่ไฟล์" in tab.summary.text()
    link = QMimeData()
    link.setUrls([QUrl("https://line.me/R/msg/file.levpkg")])
    drop(tab.drop, link)
    assert "ลิงก์" in tab.summary.text()
    assert tab.files == []


def test_an_attachment_dragged_out_of_outlook_is_saved_and_checked(qtbot, exchange, tmp_path):
    from lev_desktop.exchange.inbox import inbox_dir
    from ui.widgets.file_actions import CONTENTS_FORMAT, DESCRIPTOR_FORMAT

    widget, _ctx = exchange
    lao = make_lao(tmp_path / "other.db", "4801007", seed=5)
    package = export_package(lao, "D4801", tmp_path / "from-lao.levpkg").path
    name = "แพ็กเกจ 4801007.levpkg"
    descriptor = bytearray(4 + 592)
    descriptor[:4] = (1).to_bytes(4, "little")
    encoded = name.encode("utf-16-le")
    descriptor[4 + 72 : 4 + 72 + len(encoded)] = encoded
    mime = QMimeData()
    mime.setData(DESCRIPTOR_FORMAT, bytes(descriptor))
    mime.setData(CONTENTS_FORMAT, package.read_bytes())
    tab = widget.import_tab
    drop(tab.drop, mime)
    saved = inbox_dir() / name
    qtbot.waitUntil(lambda: tab.files == [str(saved)], timeout=20000)
    assert saved.read_bytes() == package.read_bytes()
    lao.dispose()


# ---- the reports screen ---------------------------------------------------------------------


@pytest.fixture
def reports(qtbot, demo_store, make_ctx):
    from ui.screens.reports import ReportsScreen

    ctx = make_ctx(demo_store)
    widget = ReportsScreen(ctx)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.office.count() > 0 and widget.folder is not None, timeout=20000)
    for row in range(widget.kinds.count()):
        if widget.kinds.item(row).data(Qt.ItemDataRole.UserRole) == "plan":
            widget.kinds.setCurrentRow(row)
    widget.office.setCurrentIndex(widget.office.findData("4801006"))
    yield widget
    ctx.runner.cancel_all()
    ctx.runner.wait(20000)


def test_report_save_dialog_starts_in_documents_and_adds_the_extension(
    qtbot, reports, monkeypatch, opened
):
    from PySide6.QtWidgets import QFileDialog

    seen = {}

    def exec_(dialog):
        seen["folder"] = dialog.directory().absolutePath()
        seen["suffix"] = dialog.defaultSuffix()
        dialog.selectFile(str(Path(seen["folder"]) / "แผนของฉัน"))  # typed without .pdf
        return QFileDialog.DialogCode.Accepted

    monkeypatch.setattr(QFileDialog, "exec", exec_)
    monkeypatch.setattr(
        QFileDialog, "selectedFiles", lambda d: [str(Path(seen["folder"]) / "แผนของฉัน")]
    )
    with qtbot.waitSignal(reports.finished, timeout=60000) as done:
        reports.save("pdf")
    folder = options.folder(reports.ctx.store, "reports")
    assert Path(seen["folder"]) == folder and seen["suffix"] == "pdf"
    assert done.args[0] == folder / "แผนของฉัน.pdf"
    assert (folder / "แผนของฉัน.pdf").read_bytes()[:4] == b"%PDF"
    assert reports.written.isVisibleTo(reports)
    reports.written.folder_button.click()
    assert Path(opened[-1]) in (folder, folder / "แผนของฉัน.pdf")


def test_report_over_a_locked_file_says_to_close_it(qtbot, reports, monkeypatch, tmp_path):
    target = tmp_path / "แผน.xlsx"
    target.write_bytes(b"open in Excel")
    monkeypatch.setattr(reports, "ask_path", lambda _fmt: target)
    monkeypatch.setattr(os, "replace", HeldBy(target, 32))
    with qtbot.waitSignal(reports.finished, timeout=60000) as done:
        reports.save("xlsx")
    assert done.args[0] is None
    text = reports.message.text()
    assert str(target) in text and "ปิดไฟล์" in text and ".~lev-" not in text
    assert target.read_bytes() == b"open in Excel"


def test_each_preview_gets_its_own_file(qtbot, reports, monkeypatch, opened):
    from exports.reports import preview

    monkeypatch.setattr(preview, "can_render", lambda: False)  # Windows: the PDF reader shows it
    names = []
    for _ in range(2):
        with qtbot.waitSignal(reports.finished, timeout=60000) as done:
            reports.preview()
        names.append(done.args[0])
    assert names[0] != names[1] and names[0].parent == names[1].parent
    assert [Path(p) for p in opened] == names  # each opened in the reader, the first still there
    assert all(p.exists() for p in names)


def test_editor_print_errors_are_a_message_box_and_the_name_has_its_extension(
    qtbot, demo_store, monkeypatch, tmp_path, make_ctx
):
    from ui import crash
    from ui.screens.reports import ReportActions
    from ui.widgets import file_actions

    ctx = make_ctx(demo_store)
    button = ReportActions(ctx, "plan", office=lambda: "4801006")
    qtbot.addWidget(button)
    suggested = []
    target = tmp_path / "แผน.pdf"
    target.write_bytes(b"open in the PDF reader")

    def ask(parent, title, start, fmt, **_kw):
        suggested.append((start, fmt))
        return target

    monkeypatch.setattr(file_actions, "ask_save_path", ask)
    shown = []
    monkeypatch.setattr(
        crash, "show_known_error", lambda message, parent=None: shown.append(message)
    )
    monkeypatch.setattr(os, "replace", HeldBy(target, 5))
    with qtbot.waitSignal(button.finished, timeout=60000) as done:
        button.menu().actions()[0].trigger()
    assert done.args[0] is None
    assert suggested[0][1] == "pdf" and suggested[0][0].suffix == ".pdf"
    assert suggested[0][0].parent == options.folder(demo_store, "reports")
    assert shown and str(target) in shown[0] and "ปิดไฟล์" in shown[0]
    assert button.toolTip() == ""
    ctx.runner.wait()


def test_settings_folders_tab_shows_the_default_and_saves_a_choice(
    qtbot, lao_store, tmp_path, make_ctx
):
    from ui.screens.settings import SettingsScreen

    ctx = make_ctx(lao_store)
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    screen.refresh()
    tab = screen.folders
    qtbot.waitUntil(lambda: bool(tab.edits["reports"].placeholderText()), timeout=10000)
    assert tab.edits["reports"].placeholderText() == str(paths.output_dir("reports"))
    assert tab.edits["packages"].text() == ""
    tab.edits["packages"].setText(str(tmp_path / "ส่ง"))
    tab.save_button.click()
    qtbot.waitUntil(lambda: tab.saved.text() != "", timeout=10000)
    assert options.folder(lao_store, "packages") == tmp_path / "ส่ง"
    assert options.folder(lao_store, "reports") == paths.output_dir("reports")
    ctx.runner.wait()


# ---- every save dialog; the files of a reinstall (recovery package, key file, letter) ---------


def test_every_save_dialog_adds_the_extension():
    """One save dialog in the program, ``file_actions.ask_save_path``, which adds the extension
    (Qt's static ``getSaveFileName`` adds none when the name is typed without one)."""
    root = Path(__file__).resolve().parents[2] / "ui"
    static = sorted(
        str(path.relative_to(root.parent))
        for path in root.rglob("*.py")
        if "getSaveFileName" in path.read_text(encoding="utf-8")
    )
    assert static == []


def typed_without_extension(monkeypatch, name: str, into: Path | None = None) -> dict:
    """The save dialog: what it was opened with, and a name typed without its extension (in
    the folder it opened in, or in ``into``)."""
    from PySide6.QtWidgets import QFileDialog

    seen: dict = {}

    def exec_(dialog):
        seen["opened_in"] = Path(dialog.directory().absolutePath())
        seen["folder"] = into or seen["opened_in"]
        seen["suffix"] = dialog.defaultSuffix()
        return QFileDialog.DialogCode.Accepted

    def static(_parent, _title, suggested="", _filter="", *args, **kwargs):
        # Qt's own static dialog (which adds no extension): answered the same, never blocks
        seen["opened_in"] = Path(suggested).parent
        seen["folder"] = into or seen["opened_in"]
        seen["static"] = True
        return str(seen["folder"] / name), ""

    monkeypatch.setattr(QFileDialog, "exec", exec_)
    monkeypatch.setattr(QFileDialog, "selectedFiles", lambda d: [str(seen["folder"] / name)])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", static)
    return seen


@pytest.fixture
def styled(qapp):
    """The program's fonts, style and Thai breaks, as the screenshots should show them."""
    from ui import thai_wrap
    from ui.app import make_application

    make_application()
    yield qapp
    thai_wrap.uninstall(qapp)  # labels of later tests keep the text they were given


@pytest.fixture
def district_screen(qtbot, tmp_path, make_ctx, styled):
    """The district's exchange screen; it holds the package of LAO 4801006."""
    from lev_desktop.exchange import importer
    from ui.screens.exchange import ExchangeScreen

    lao = make_lao(tmp_path / "lao.db", "4801006", seed=4)
    district = make_district(tmp_path / "district.db")
    sent = export_package(lao, "D4801", tmp_path / "lao-1.levpkg")
    importer.import_files(district, [sent.path], trust=True)
    ctx = make_ctx(district)
    widget = ExchangeScreen(ctx)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    tab = widget.recovery_tab
    qtbot.waitUntil(lambda: tab.office.count() > 0, timeout=20000)
    tab.office.setCurrentIndex(tab.office.findData("4801006"))
    widget.tabs.setCurrentWidget(tab)
    yield widget, ctx
    ctx.runner.cancel_all()
    ctx.runner.wait(20000)
    lao.dispose()
    district.dispose()


def test_recovery_package_goes_to_the_packages_folder_and_a_held_file_is_explained(
    qtbot, district_screen, monkeypatch, opened
):
    widget, ctx = district_screen
    tab = widget.recovery_tab
    seen = typed_without_extension(monkeypatch, "ส่งให้หนองแสง")
    tab.write_button.click()
    qtbot.waitUntil(lambda: tab.written.isVisibleTo(widget), timeout=30000)
    folder = options.folder(ctx.store, "packages")
    made = folder / "ส่งให้หนองแสง.levrecovery"
    assert seen == {"opened_in": folder, "folder": folder, "suffix": "levrecovery"}
    assert tab.written.path == made and made.read_bytes()[:2] == b"PK"
    assert tab.result.text().startswith(f"สร้างแพ็กเกจกู้คืนข้อมูลแล้ว: {made}")
    assert not tab.written.open_button.isVisibleTo(widget)  # no program of the office opens it
    tab.written.folder_button.click()
    assert Path(opened[-1]) in (made, folder)
    qtbot.wait(50)  # laid out
    widget.grab().save("/tmp/win-recovery-written.png")
    # written again while the first is open in another program: Thai, naming it; no crash
    before = made.read_bytes()
    monkeypatch.setattr(os, "replace", HeldBy(made, 32))
    tab.write_button.click()
    qtbot.waitUntil(lambda: "ปิดไฟล์" in tab.result.text(), timeout=30000)
    assert str(made) in tab.result.text() and ".~lev-" not in tab.result.text()
    assert not tab.written.isVisibleTo(widget) and made.read_bytes() == before
    qtbot.wait(50)
    widget.grab().save("/tmp/win-recovery-held.png")


def test_key_file_export_adds_the_extension_and_offers_the_folder(
    qtbot, tmp_path, make_ctx, monkeypatch, opened, usb, styled
):
    from PySide6.QtWidgets import QMessageBox

    from ui.settings import backups as backups_tab
    from ui.widgets.file_actions import WrittenFileDialog

    lao = make_lao(tmp_path / "lao.db", "4801006")
    export_package(lao, "D4801", tmp_path / "first.levpkg")  # makes the key
    ctx = make_ctx(lao)
    tab = backups_tab.BackupsTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(tab.export_key_button.isEnabled, timeout=20000)
    seen = typed_without_extension(monkeypatch, "กุญแจหนองแสง", into=usb.root)
    password = "รหัสผ่านยาวพอ 2568"

    def export() -> None:
        tab.export_key_button.click()
        dialog = tab.password_dialog
        dialog.values = lambda: (password, password)
        dialog.accept()

    export()
    qtbot.waitUntil(lambda: getattr(tab, "written_dialog", None) is not None, timeout=20000)
    made = usb.root / "กุญแจหนองแสง.levkey"
    assert seen["suffix"] == "levkey" and made.read_bytes().startswith(b"{")
    shown = tab.written_dialog
    assert isinstance(shown, WrittenFileDialog) and shown.bar.path == made
    assert shown.bar.label.text() == f"บันทึกไฟล์กุญแจแล้ว: {made}"
    shown.bar.folder_button.click()
    assert Path(opened[-1]) in (made, made.parent)
    shown.grab().save("/tmp/win-key-written.png")
    shown.close()
    # over the key file still open on the USB drive's window: a Thai warning, no crash
    monkeypatch.setattr(os, "replace", HeldBy(made, 32))
    export()

    def warned() -> QMessageBox | None:
        boxes = [b for b in tab.findChildren(QMessageBox) if b.isVisible()]
        return boxes[-1] if boxes else None

    qtbot.waitUntil(lambda: warned() is not None, timeout=20000)
    assert str(made) in warned().text() and "ปิดไฟล์" in warned().text()
    warned().close()
    ctx.runner.wait(20000)
    lao.dispose()
