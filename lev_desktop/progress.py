"""Progress and cancellation for long core jobs, without Qt.

A long job takes ``progress: Progress`` and calls ``progress(done, total, text)`` now and
then; that call raises ``Cancelled`` once the person pressed Cancel. The Qt worker wrapper
(``ui/workers.py``) connects it to a progress dialog; the CLI and tests pass ``Progress()``.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


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


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a job builds many small objects (form states of
    the whole country, a national import): the collector would walk every live object again
    and again. The objects hold no cycles; collection resumes afterwards (nested uses are
    fine).

    Only on the main thread (the command line, scripts): the collector is one for the whole
    process, and a pause taken by the window's worker thread left the garbage of the GUI
    thread to be collected later on the worker — Qt objects destroyed off their thread; the
    window crashed (segmentation fault) while a person typed Thai into a form in 2 of 6 runs
    of tests/kpi/test_kpi_screen.py::test_products_thai_text_url_check_remove_and_undo, never
    without the pause. On the worker a job runs with the collector as it is.

    What the job made then goes to the oldest generation (``freeze`` then ``unfreeze``: nothing
    stays exempt): left young, what it keeps (an import preview's ~22 k row tuples at a
    province) was all walked by the first collection after it, ~10 ms; the oldest generation
    is walked only by a full collection, by which time it was usually freed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def without_gc(function: Callable[P, R]) -> Callable[P, R]:
    """Runs ``function`` inside ``paused_gc()``."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused_gc():
            return function(*args, **kwargs)

    return wrapper
