"""The main window over a temporary LAO database, for the tests of the whole window."""

from __future__ import annotations

import pytest
from waits import idle


@pytest.fixture
def window(qtbot, lao_store, make_ctx):
    from ui import help as manual
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application()
    ctx = make_ctx(lao_store)
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.resize(1366, 728)
    main.show()
    qtbot.waitExposed(main)
    idle(qtbot, ctx)
    yield main, ctx
    for child in main.findChildren(manual.HelpWindow):
        child.close()
    main.apply_digits(False)  # the interface's digits are the process's: back to the default
