"""Leaving a screen, changing the fiscal year or quitting with values that cannot be saved.

Grids keep a refused value in its red cell (``ui.models.table``); date fields keep a refused
date in a red frame. Before the main window leaves a screen or closes, and before the KPI
editor goes back to its list, it asks here: nothing typed is dropped without the person
saying so, and "go back and correct" puts the cursor on the first refused value.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPersistentModelIndex, QSortFilterProxyModel
from PySide6.QtWidgets import QAbstractItemView, QMessageBox, QWidget

from lev_desktop.i18n import _, ngettext
from ui.models.table import source_of

SHOWN = 6  # refused values listed in the question; the rest are counted


@dataclass
class Refused:
    """One refused value: what to say, and where the cursor goes to correct it."""

    text: str
    widget: QWidget
    index: QPersistentModelIndex | None = None


def refused_in(widget: QWidget) -> list[Refused]:
    """Every refused value under ``widget``: cells of its tables, date fields with an error."""
    from ui.widgets.date_edit import BEDateEdit

    found: list[Refused] = []
    seen: set[int] = set()
    views = widget.findChildren(QAbstractItemView)
    if isinstance(widget, QAbstractItemView):
        views.insert(0, widget)
    for view in views:
        model, _index = source_of(view.model())
        if model is None or id(model) in seen:
            continue
        cells = getattr(model, "invalid_cells", None)
        if not callable(cells):
            continue
        seen.add(id(model))
        for index, text in cells():
            found.append(Refused(text, view, QPersistentModelIndex(index)))
    for edit in widget.findChildren(BEDateEdit):
        if edit.hasError() and not _inside_item_view(edit):
            name = edit.accessibleName()
            found.append(Refused(f"{name}: {edit.error}" if name else edit.error, edit))
    return found


def _inside_item_view(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


def focus_first(refused: list[Refused]) -> None:
    """Puts the cursor on the first refused value (its cell selected, or its field)."""
    if not refused:
        return
    first = refused[0]
    widget = first.widget
    if isinstance(widget, QAbstractItemView) and first.index is not None and first.index.isValid():
        mapped = first.index.model().index(first.index.row(), first.index.column())
        proxies = []
        model = widget.model()
        while isinstance(model, QSortFilterProxyModel):
            proxies.append(model)
            model = model.sourceModel()
        for proxy in reversed(proxies):
            mapped = proxy.mapFromSource(mapped)
        if mapped.isValid():
            widget.setCurrentIndex(mapped)
            widget.scrollTo(mapped, QAbstractItemView.ScrollHint.EnsureVisible)
    widget.setFocus()


def guard_for(widget: QWidget):
    """A check for "may this screen's content be replaced?" (another programme, year…)."""
    return lambda: confirm_leave(widget, refused_in(widget))


def confirm_leave(parent: QWidget, refused: list[Refused], *, quitting: bool = False) -> bool:
    """Asks whether to leave although some values are refused; True means leave.

    "Go back and correct" is the default (Enter and Esc both choose it) and puts the cursor
    on the first refused value."""
    if not refused:
        return True
    lines = [f"• {item.text}" for item in refused[:SHOWN]]
    if len(refused) > SHOWN:
        lines.append(_("… and {count} more").format(count=len(refused) - SHOWN))
    intro = ngettext(
        "{n} value in red cannot be saved as it is, so it has not been saved:",
        "{n} values in red cannot be saved as they are, so they have not been saved:",
        len(refused),
    ).format(n=len(refused))
    question = (
        _("Quit anyway? Those values will be lost.")
        if quitting
        else _("Leave anyway? They stay in red here until you correct them.")
    )
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Values that cannot be saved"))
    box.setText(intro)
    box.setInformativeText("\n".join(lines) + "\n\n" + question)
    stay = box.addButton(_("Go back and correct"), QMessageBox.ButtonRole.RejectRole)
    leave = box.addButton(
        _("Quit without them") if quitting else _("Leave without them"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    box.setDefaultButton(stay)
    box.setEscapeButton(stay)
    box.exec()
    if box.clickedButton() is leave:
        return True
    focus_first(refused)
    return False
