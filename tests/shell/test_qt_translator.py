"""Our translator answers only the Qt strings it knows; every other Qt text stays as Qt has it."""

from PySide6.QtCore import QCoreApplication

from ui.app import make_application


def test_untranslated_qt_strings_are_not_blanked(qapp):
    from ui import thai_wrap

    make_application()
    thai_wrap.uninstall(qapp)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "ยกเลิก"
    # before the fix every other Qt label (file dialog, scroll-bar menu) became ""
    assert QCoreApplication.translate("QScrollBar", "Scroll here") == "Scroll here"
    assert QCoreApplication.translate("QFileDialog", "File &name:") == "File &name:"
