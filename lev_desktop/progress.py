"""Progress and cancellation for long core jobs, without Qt.

A long job takes ``progress: Progress`` and calls ``progress(done, total, text)`` now and
then; that call raises ``Cancelled`` once the person pressed Cancel. The Qt worker wrapper
(``ui/workers.py``) connects it to a progress dialog; the CLI and tests pass ``Progress()``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Cancelled(Exception):
    """The person cancelled the job; whatever it did is rolled back."""


class Progress:
    def __init__(
        self,
        callback: Callable[[int, int, str], None] | None = None,
        cancel_event: threading.Event | None = None,
    ):
        self._callback = callback
        self.cancel_event = cancel_event or threading.Event()

    def __call__(self, done: int, total: int, text: str = "") -> None:
        self.check()
        if self._callback is not None:
            self._callback(done, total, text)

    def check(self) -> None:
        if self.cancel_event.is_set():
            raise Cancelled()

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()
