"""Waiting for the application to be idle, as a condition, never as a time."""

from __future__ import annotations

from typing import Any


def idle(qtbot: Any, ctx: Any, rounds: int = 3) -> None:
    """Until every job the Runner was given has run and its result was delivered on the GUI
    thread. A delivered result may queue another job (a save, then the reload that shows it),
    hence a few rounds, each ending with the event loop turned once more."""
    for _round in range(rounds):
        qtbot.waitUntil(lambda: not ctx.runner.active)
        qtbot.wait(10)


def in_worker(job: Any, *args: Any) -> Any:
    """``job(*args)`` on a worker thread, as a screen's Runner runs its loader (a loader called
    on the main thread fails the test: tests/conftest.py), its result returned here."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as worker:
        return worker.submit(job, *args).result()
