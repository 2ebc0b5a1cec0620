"""The one place that opens file dialogs (issue 12): Qt's own dialog showed its dates in the
Christian era ("3 12 2026") and opened in the program's working folder. Every dialog now opens
through ``ui.widgets.file_dialogs``: in the folder last used for its purpose (kept through
``options``), the first time in the person's Documents, with Buddhist-era dates (Windows' own
dialog follows Windows' Thai settings)."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtWidgets import QApplication, QFileDialog, QTreeView

from lev_desktop import options
from lev_desktop.paths import user_documents_dir
from lev_desktop.thai_format import format_datetime
from ui.widgets import file_dialogs

ROOT = Path(__file__).resolve().parents[2]
WHEN = dt.datetime(2026, 12, 3, 14, 5)
seen: dict = {}


def _date_cells(qtbot, dialog: QFileDialog, name: str) -> str:
    """The "date modified" cell of ``name`` as the dialog's detail view shows it."""
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    dialog.show()
    qtbot.waitExposed(dialog)
    view = dialog.findChild(QTreeView, "treeView")
    model = view.model()
    seen["width"] = view.header().sectionSize(3)
    seen["metrics"] = view.fontMetrics()

    def row():
        root = view.rootIndex()
        for r in range(model.rowCount(root)):
            if model.index(r, 0, root).data() == name:
                return model.index(r, 3, root).data()
        return None

    qtbot.waitUntil(lambda: bool(row()), timeout=10000)
    text = row()
    dialog.close()
    return text


def test_the_file_dialog_shows_its_dates_in_the_buddhist_era(qtbot, tmp_path):
    folder = tmp_path / "แพ็กเกจ"
    folder.mkdir()
    package = folder / "D4801.levpkg"
    package.write_bytes(b"x")
    stamp = WHEN.timestamp()
    os.utime(package, (stamp, stamp))
    # Qt's own dialog, as it was: the Christian era (what this test is about)
    plain = QFileDialog(None, "เลือกไฟล์", str(folder))
    plain.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(plain)
    assert "2026" in _date_cells(qtbot, plain, package.name)

    dialog = file_dialogs.make_dialog(None, "เลือกไฟล์", folder)
    qtbot.addWidget(dialog)
    shown = _date_cells(qtbot, dialog, package.name)
    assert shown == format_datetime(WHEN) == "3 ธ.ค. 2569 14:05 น."
    # the whole of it shows (the column kept Qt's width and cut it to "3 ธ.ค. …4:05 น.")
    assert seen["width"] >= seen["metrics"].horizontalAdvance(shown) + 16
    assert QDir(dialog.directory()).absolutePath() == str(folder)


def test_a_dialog_opens_in_documents_first_then_where_it_was_last_used(
    qtbot, monkeypatch, tmp_path, lao_store, make_ctx
):
    from ui.context import AppContext

    seen: list[str] = []
    answer: list[str] = []

    def exec_(dialog):
        seen.append(dialog.directory().absolutePath())
        dialog.selectFile(answer[0])
        return QFileDialog.DialogCode.Accepted

    monkeypatch.setattr(QFileDialog, "exec", exec_)
    monkeypatch.setattr(QFileDialog, "selectedFiles", lambda d: list(answer))
    documents = user_documents_dir()
    documents.mkdir(parents=True, exist_ok=True)
    usb = tmp_path / "แฟลชไดรฟ์"
    usb.mkdir()
    (usb / "4801006.levpkg").write_bytes(b"x")
    answer.append(str(usb / "4801006.levpkg"))
    ctx = make_ctx(lao_store)

    def choose() -> list[str]:
        return file_dialogs.open_files(
            None, "เลือกไฟล์", "*.levpkg", purpose="import-package", ctx=ctx
        )

    assert choose() == [str(usb / "4801006.levpkg")]
    assert seen == [str(documents)] and seen[0] != os.getcwd()  # never the program's folder
    ctx.runner.wait()
    assert options.last_folder(lao_store, "import-package") == usb  # kept in the one home
    again = AppContext(lao_store, settings=options.load_all(lao_store))  # the next start
    assert again.folders == {"import-package": str(usb)}
    choose()
    assert seen[-1] == str(usb)
    # another purpose keeps its own folder: the first time Documents
    file_dialogs.open_file(None, "เลือก", "*.db", purpose="backup-restore", ctx=ctx)
    assert seen[-1] == str(documents)
    ctx.runner.wait()


def test_every_file_dialog_is_opened_by_the_one_place():
    """No screen opens a QFileDialog of its own (each did: CE dates, the working folder)."""
    found = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        if path.name == "file_dialogs.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if re.search(r"\bQFileDialog\b", code):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found == []


@pytest.fixture(autouse=True)
def _no_stray_windows():
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QFileDialog):
            widget.close()
