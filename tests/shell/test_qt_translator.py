"""Our translator answers only the Qt strings it knows; every other Qt text stays as Qt has it."""

from PySide6.QtCore import QCoreApplication, Qt

from ui.app import make_application
from ui.thai_wrap import plain


def test_untranslated_qt_strings_are_not_blanked(qapp):
    from ui import thai_wrap

    make_application()
    thai_wrap.uninstall(qapp)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "ยกเลิก"
    # before the fix every other Qt label (file dialog, scroll-bar menu) became ""
    assert QCoreApplication.translate("QScrollBar", "Scroll here") == "Scroll here"
    assert QCoreApplication.translate("QFileDialog", "Show ") == "Show "


def test_the_file_dialog_speaks_thai(qapp, qtbot):
    """Qt's own file dialog (used off Windows) was mostly English: "Look in", "File name",
    "Save" (issue 12). Every label and button a clerk reads is Thai now."""
    from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel, QTreeView

    make_application()
    dialog = QFileDialog(None, "บันทึกรายงาน", "/tmp", "PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    labels = {
        plain(w.text()) for w in dialog.findChildren(QLabel) if w.isVisible() and plain(w.text())
    }
    buttons = {w.text() for w in dialog.findChildren(QAbstractButton) if w.isVisible() and w.text()}
    assert {"ค้นหาใน (&L):", "ชื่อไฟล์ (&N):", "ชนิดไฟล์ (&T):"} <= labels
    assert {"บันทึก (&S)", "ยกเลิก"} <= buttons
    tree = next(v for v in dialog.findChildren(QTreeView) if v.isVisible())
    header = tree.model()
    titles = [header.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert titles == ["ชื่อ", "ขนาด", "ประเภท", "วันที่แก้ไข"]
    english = {"Look in:", "File name:", "Files of type:", "Save", "Cancel", "Name", "Size"}
    assert not (english & {t.replace("&", "") for t in labels | buttons | set(titles)})
