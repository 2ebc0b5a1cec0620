"""The one wrapper for background work: database, file and PDF jobs never run on the GUI thread.

``ctx.runner.run(fn, label=..., on_success=...)`` runs ``fn(progress)`` on a worker thread.
Database jobs are serialised on one thread (SQLite has one writer; this also keeps the GUI
from ever waiting on a lock). A progress dialog with Cancel appears only when the job takes
longer than ``show_after_ms`` (600 ms, as Anki does), so quick jobs do not flash a dialog.
Results come back on the GUI thread through Qt signals. A job whose owner (a widget) was
destroyed is not delivered.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

from lev_desktop.i18n import _
from lev_desktop.progress import Cancelled, Progress
from ui import digits

log = logging.getLogger(__name__)


class _Signals(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object, str)
    cancelled = Signal()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], progress: Progress, signals: _Signals):
        super().__init__()
        self.fn = fn
        self.progress_obj = progress
        self.signals = signals
        self.setAutoDelete(True)

    def run(self) -> None:  # worker thread
        try:
            result = self.fn(self.progress_obj)
        except Cancelled:
            self.signals.cancelled.emit()
        except BaseException as exc:
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.succeeded.emit(result)


class Job(QObject):
    """A running job; ``cancel()`` asks it to stop at its next progress call."""

    finished = Signal()

    def __init__(self, parent: QObject | None):
        super().__init__(parent)
        self.progress = Progress(self._report)
        self.signals = _Signals()
        self.dialog: QProgressDialog | None = None
        self.done = False

    def _report(self, done: int, total: int, text: str) -> None:  # worker thread
        self.signals.progress.emit(done, total, text)

    def cancel(self) -> None:
        self.progress.cancel()


class Runner(QObject):
    """Runs core functions in background threads with progress, cancel and error handling."""

    job_started = Signal()
    job_finished = Signal()

    def __init__(self, parent: QObject | None = None, *, show_after_ms: int = 600):
        super().__init__(parent)
        self.show_after_ms = show_after_ms
        self.db_pool = QThreadPool(self)
        self.db_pool.setMaxThreadCount(1)
        self.io_pool = QThreadPool(self)
        self.io_pool.setMaxThreadCount(2)
        self.active: set[Job] = set()
        # Where unexpected errors go (the crash dialog); set by the application.
        self.on_bug: Callable[[BaseException, str], None] | None = None
        # Where known errors (disk full, locked…) go when the caller has no on_failure.
        self.on_known_error: Callable[[str], None] | None = None

    def run(
        self,
        fn: Callable[[Progress], Any],
        *,
        label: str = "",
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
        owner: QWidget | None = None,
        modal: bool = True,
        cancellable: bool = True,
        kind: str = "db",
    ) -> Job:
        job = Job(self)
        self.active.add(job)
        owner_ref = owner

        def alive() -> bool:
            return owner_ref is None or isValid(owner_ref)

        def finish() -> None:
            job.done = True
            if job.dialog is not None and isValid(job.dialog):
                job.dialog.reset()
                job.dialog.deleteLater()
            job.dialog = None
            self.active.discard(job)
            job.finished.emit()
            self.job_finished.emit()
            job.deleteLater()

        def succeeded(result: Any) -> None:
            finish()
            if on_success is not None and alive():
                on_success(result)

        def failed(exc: BaseException, details: str) -> None:
            finish()
            if not alive():
                return
            if on_failure is not None:
                on_failure(exc)
                return
            from lev_desktop.errors import describe_error

            known = describe_error(exc)
            if known is not None and self.on_known_error is not None:
                self.on_known_error(known)
            elif self.on_bug is not None:
                self.on_bug(exc, details)
            else:
                log.error("background job failed: %s", details)

        def cancelled() -> None:
            finish()
            if on_cancel is not None and alive():
                on_cancel()

        def progressed(done: int, total: int, text: str) -> None:
            # A local reference: a modal QProgressDialog.setValue() processes events, and the
            # job may finish (and drop its dialog) inside that call.
            dialog = job.dialog
            if dialog is None or not isValid(dialog):
                return
            if text:
                dialog.setLabelText(text)
            dialog.setMaximum(max(total, 0))
            if isValid(dialog):
                dialog.setValue(min(done, total) if total else 0)

        def show_dialog() -> None:
            if job.done or not label:
                return
            parent = owner if owner is not None and isValid(owner) else None
            dialog = QProgressDialog(label, _("Cancel") if cancellable else "", 0, 0, parent)
            dialog.setBar(digits.ProgressBar(dialog))  # "๔๒%" in Thai-digit mode
            dialog.setWindowTitle(_("Please wait"))
            dialog.setMinimumDuration(0)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            if modal:
                dialog.setWindowModality(Qt.WindowModality.WindowModal)
            if cancellable:
                dialog.canceled.connect(job.cancel)
            else:
                dialog.setCancelButton(None)
            job.dialog = dialog
            dialog.show()

        job.signals.succeeded.connect(succeeded, Qt.ConnectionType.QueuedConnection)
        job.signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        job.signals.cancelled.connect(cancelled, Qt.ConnectionType.QueuedConnection)
        job.signals.progress.connect(progressed, Qt.ConnectionType.QueuedConnection)
        QTimer.singleShot(self.show_after_ms, job, show_dialog)
        self.job_started.emit()
        pool = self.db_pool if kind == "db" else self.io_pool
        pool.start(_Runnable(fn, job.progress, job.signals))
        return job

    def cancel_all(self) -> None:
        for job in list(self.active):
            job.cancel()

    def wait(self, msecs: int = 30000) -> bool:
        """Blocks until every job is done (closing the window, tests)."""
        ok = self.db_pool.waitForDone(msecs) and self.io_pool.waitForDone(msecs)
        return ok
