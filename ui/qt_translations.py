"""Thai for the strings Qt itself shows (standard buttons, the text-edit context menu, the
file dialog, the wizard's buttons).

Qt ships no Thai catalogue (no ``qtbase_th.qm`` among its translations), so "OK", "Cancel",
the Copy/Paste menu and the whole file dialog ("Look in", "File name", "Save") would stay
English in a Thai window. This translator answers Qt's own lookups from our gettext catalogue;
the msgids are Qt's English source texts (collected by recording Qt's lookups while its
dialogs open). On Windows the program uses the system's own file dialog, in the language of
Windows.
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
        # QFileDialog, QFileSystemModel, QAbstractFileIconProvider
        N_("&Look in:"),
        N_("File &name:"),
        N_("Files of &type:"),
        N_("&Open"),
        N_("&Save"),
        N_("&Delete"),
        N_("&Rename"),
        N_("&New Folder"),
        N_("New Folder"),
        N_("Create New Folder"),
        N_("Create a New Folder"),
        N_("All Files (*)"),
        N_("Back"),
        N_("Forward"),
        N_("Go back"),
        N_("Go forward"),
        N_("Parent Directory"),
        N_("Go to the parent directory"),
        N_("List View"),
        N_("Detail View"),
        N_("Change to list view mode"),
        N_("Change to detail view mode"),
        N_("List of places and bookmarks"),
        N_("Sidebar"),
        N_("Show &hidden files"),
        N_("Recent Places"),
        N_("Save As"),
        N_("Find Directory"),
        N_("Directory:"),
        N_("%1 already exists.\nDo you want to replace it?"),
        N_("%1\nFile not found.\nPlease verify the correct file name was given."),
        N_("%1\nDirectory not found.\nPlease verify the correct directory name was given."),
        N_("Are you sure you want to delete '%1'?"),
        N_("Computer"),
        N_("Name"),
        N_("Size"),
        N_("Type"),
        N_("Date Modified"),
        N_("Drive"),
        N_("Folder"),
        N_("File Folder"),
        # QInputDialog, QWizard
        N_("Enter a value:"),
        N_("< &Back"),
        N_("&Next >"),
        N_("&Finish"),
        N_("Commit"),
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
