"""Guards against a Qt binding that corrupts Python's reference counts.

PySide6-Essentials 6.12.0 on CPython 3.11 drops one reference to None on every Qt call that
returns None (and likewise for True/False); after a few thousand calls Python aborts with
"Fatal Python error: none_dealloc". 6.11.3 does not. This test fails on a binding with the leak.
"""

import sys

from PySide6.QtWidgets import QLabel, QWidget


def test_qt_calls_do_not_leak_references_to_none_or_bools(qtbot):
    label, widget = QLabel(), QWidget()
    qtbot.addWidget(label)
    qtbot.addWidget(widget)
    before_none, before_true = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        label.setText("ทดสอบ")
        widget.setEnabled(True)
        label.isVisible()
    assert abs(sys.getrefcount(None) - before_none) < 100
    assert abs(sys.getrefcount(True) - before_true) < 100
