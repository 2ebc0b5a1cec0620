"""Undo and redo actions with fixed labels (the step's name goes to the tooltip, so the
toolbar does not change width with every edit) and Ctrl+Z / Ctrl+Y (Ctrl+Shift+Z)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QWidget

from lev_desktop.i18n import _


def undo_redo_actions(stack: QUndoStack, owner: QWidget) -> tuple[QAction, QAction]:
    undo = QAction(_("Undo"), owner)
    undo.setShortcuts([QKeySequence("Ctrl+Z")])
    undo.triggered.connect(stack.undo)
    undo.setEnabled(stack.canUndo())
    stack.canUndoChanged.connect(undo.setEnabled)
    stack.undoTextChanged.connect(
        lambda text: undo.setToolTip(_("Undo: {step}").format(step=text) if text else _("Undo"))
    )
    redo = QAction(_("Redo"), owner)
    redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
    redo.triggered.connect(stack.redo)
    redo.setEnabled(stack.canRedo())
    stack.canRedoChanged.connect(redo.setEnabled)
    stack.redoTextChanged.connect(
        lambda text: redo.setToolTip(_("Redo: {step}").format(step=text) if text else _("Redo"))
    )
    for action in (undo, redo):
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        owner.addAction(action)
    return undo, redo
