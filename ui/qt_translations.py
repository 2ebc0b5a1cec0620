"""Thai for the strings Qt itself shows (standard buttons, the text-edit context menu).

Qt ships no Thai catalogue (no ``qtbase_th.qm``), so "OK", "Cancel" and the Copy/Paste menu
would stay English in a Thai window. This translator answers Qt's own lookups from our
gettext catalogue; the msgids are Qt's English source texts.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from lev_desktop.i18n import N_, _, current_language

# Qt's source texts (contexts QPlatformTheme, QLineEdit, QWidgetTextControl, QMessageBox …).
QT_STRINGS = frozenset(
    {
        N_("OK"),
        N_("Save"),
        N_("Save All"),
        N_("Open"),
        N_("&Yes"),
        N_("Yes to &All"),
        N_("&No"),
        N_("N&o to All"),
        N_("Abort"),
        N_("Retry"),
        N_("Ignore"),
        N_("Close"),
        N_("Cancel"),
        N_("Discard"),
        N_("Help"),
        N_("Apply"),
        N_("Reset"),
        N_("Restore Defaults"),
        N_("&Undo"),
        N_("&Redo"),
        N_("Cu&t"),
        N_("&Copy"),
        N_("&Paste"),
        N_("Delete"),
        N_("Select All"),
        N_("Copy &Link Location"),
        N_("Show Details..."),
        N_("Hide Details..."),
    }
)


class QtThaiTranslator(QTranslator):
    def translate(
        self,
        context: str,
        source: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        if current_language() != "en" and source in QT_STRINGS:
            return _(source)
        # None (a null QString) means "no translation here": Qt then keeps its English text.
        # An empty string would be taken as the translation and blank out every other Qt label
        # (file dialog captions, scroll-bar menu, "%n" texts).
        return None

    def isEmpty(self) -> bool:
        return False


_installed: list[QtThaiTranslator] = []


def install(app: QCoreApplication) -> None:
    if not _installed:
        translator = QtThaiTranslator(app)
        app.installTranslator(translator)
        _installed.append(translator)
