"""Dialogs take their size from the screen they open on (issue 13): on a small screen none
reaches past its available area. The offscreen test screen is 800×800."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_dialogs_fit_the_available_screen(qtbot, lao_store, make_ctx, tmp_path):
    from ui.help import HelpWindow
    from ui.setup_wizard import SetupWizard
    from ui.widgets.audit_dialog import AuditDialog
    from ui.widgets.reminder import ReminderDialog

    ctx = make_ctx(lao_store)
    area = QGuiApplication.primaryScreen().availableGeometry()
    dialogs = [
        SetupWizard(ctx),  # 760×520 wanted
        ReminderDialog(ctx, [], 7),  # 980×460 wanted
        AuditDialog(ctx, [], "ประวัติ"),  # 900×480 wanted
        HelpWindow(),  # 1080×720 wanted
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        assert dialog.width() <= area.width() and dialog.height() <= area.height(), (
            type(dialog).__name__,
            dialog.size(),
            area,
        )
    assert dialogs[1].width() < 980  # it did ask for more than the screen has
