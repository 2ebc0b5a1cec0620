"""Asks before this office's records saved in the future get their times set to now
(``restamp.restamp_future_changes``), runs it on the worker and says what it did.

Offered where the problem is said: the start-up warning of the clock (``reminder.py``) and the
export screen when the export was refused for it. Only a person can tell that the date and time
now are right, so the question shows them and the button is not the default one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from lev_desktop.changes import EVERYTHING
from lev_desktop.domain.validation import shown_time
from lev_desktop.exchange.restamp import FutureChanges, RestampError, restamp_future_changes
from lev_desktop.i18n import _
from ui.context import AppContext
from ui.widgets.message_box import message_box


def ask_restamp(
    ctx: AppContext,
    parent: QWidget | None,
    future: FutureChanges,
    *,
    on_done: Callable[[FutureChanges], None] | None = None,
) -> QMessageBox:
    """Shows the question (object name ``restamp_confirm``); the records are changed only
    when its button ``restamp_yes`` is pressed."""
    text = _(
        "{what}\n\nSet the times of these records to now ({now})? Do this only if the date and "
        "time of this computer are right now, so the clock was ahead when the records were "
        "saved. Their contents do not change; the change is kept in the audit log."
    ).format(what=future.describe(), now=shown_time(future.now) if future.now else "")
    box = message_box(parent, QMessageBox.Icon.Question, text, "restamp_confirm")
    yes = box.addButton(_("Set their times to now"), QMessageBox.ButtonRole.AcceptRole)
    yes.setObjectName("restamp_yes")
    no = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    store = ctx.store

    def answered(button) -> None:
        if button is not yes:
            return

        def done(result: FutureChanges) -> None:
            ctx.notify(EVERYTHING)
            message_box(
                parent,
                QMessageBox.Icon.Information,
                _(
                    "The times of {count} records of this office were set to {now}. Packages "
                    "can be exported again."
                ).format(count=result.count, now=shown_time(result.now) if result.now else ""),
                "restamp_done",
            ).show()
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, RestampError):
                raise exc
            message_box(parent, QMessageBox.Icon.Warning, str(exc), "restamp_refused").show()

        ctx.runner.run(
            lambda _progress: restamp_future_changes(store),
            label=_("Setting the times to now…"),
            on_success=done,
            on_failure=failed,
            cancellable=False,
        )

    box.buttonClicked.connect(answered)
    box.show()
    return box


__all__ = ["ask_restamp"]
