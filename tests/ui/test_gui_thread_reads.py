"""The guard of tests/conftest.py: a statement run by the interface's code on the window's
thread is recorded (and fails the test that ran it); the same in a worker is not."""

from __future__ import annotations

import threading

import conftest

from lev_desktop import options
from ui.context import AppContext
from ui.screens.home import load_home


def test_a_read_by_the_interface_on_its_thread_is_caught(qtbot, lao_store):
    conftest._GUI_THREAD_SQL.clear()
    AppContext(lao_store)  # no settings given: it reads them itself, on this thread
    caught = list(conftest._GUI_THREAD_SQL)
    conftest._GUI_THREAD_SQL.clear()  # (caught on purpose: not this test's failure)
    assert caught and all(c.startswith("ui/context.py:") for c in caught), caught
    assert "SELECT settings" in caught[0]


def test_the_same_read_in_a_worker_or_by_the_test_is_not(qtbot, lao_store):
    conftest._GUI_THREAD_SQL.clear()
    settings = options.load_all(lao_store)  # the test's own setup
    worker = threading.Thread(target=load_home, args=(lao_store,))  # a screen's job
    worker.start()
    worker.join()
    ctx = AppContext(lao_store, settings=settings)  # as the application makes it
    assert conftest._GUI_THREAD_SQL == []
    assert ctx.fiscal_year == options.fiscal_year(lao_store)
