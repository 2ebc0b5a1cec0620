"""Cold start of the GUI to the first paint of the main window, in a fresh process each run.

    python bench/startup_shell.py [--runs 7]

Measures, offscreen, from ``Popen`` to the lines ``OPENING_PAINT`` (the small "opening the
database" window, shown before the database layer is even imported) and ``FIRST_PAINT`` that
``python -m ui.app --measure-startup`` prints at the main window's first paint:
(a) the demo database, (b) an office with no records, (c) a bare PySide6 window as reference.
Every run starts a new interpreter, so Python start-up and imports are included. The CPU
time of the child is printed too: on a busy machine it is steadier than wall time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("bare"))
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("FIRST_PAINT", flush=True)
            QTimer.singleShot(0, app.quit)
            obj.removeEventFilter(self)
        return False
watch = Watch()
window.installEventFilter(watch)
window.show()
app.exec()
"""


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float | None]:
    """(wall seconds to the main window's first paint, CPU seconds of the whole child process,
    wall seconds to the first paint of the opening window, when the program has one)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
    )
    assert proc.stdout is not None
    opening = None
    for line in proc.stdout:
        if line.startswith("OPENING_PAINT"):
            opening = time.perf_counter() - start
        if line.startswith("FIRST_PAINT"):
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError(f"no first paint from {cmd}")
    proc.wait(timeout=30)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, opening


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LEV_DATA_DIR": folder}
        app = [python, "-m", "ui.app", "--measure-startup"]
        # the demo database is built once, before timing
        subprocess.run(
            [*app, "--demo"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        empty = Path(folder) / "empty.db"
        subprocess.run(
            [
                python,
                "-m",
                "lev_desktop.cli",
                "--db",
                str(empty),
                "init",
                "--level",
                "lao",
                "--office",
                "4801006",
                "--name",
                "องค์การบริหารส่วนตำบลหนองแสง",
                "--type",
                "sao",
                "--district",
                "4801",
            ],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        cases = {
            "demo database (district, 15 LAOs)": [*app, "--demo"],
            "office with no records": [*app, "--db", str(empty)],
            "bare PySide6 window": [python, "-c", BARE],
        }
        for name, cmd in cases.items():
            timed(cmd, env)  # warm the file cache once
            results = [timed(cmd, env) for _ in range(args.runs)]
            walls = [wall for wall, _cpu, _opening in results]
            cpus = [cpu for _wall, cpu, _opening in results]
            openings = [o for _wall, _cpu, o in results if o is not None]
            extra = (
                f"; opening window painted, median {statistics.median(openings):.3f} s"
                if openings
                else ""
            )
            print(
                f"{name}: main window first paint median {statistics.median(walls):.3f} s "
                f"(min {min(walls):.3f}, max {max(walls):.3f}); process CPU median "
                f"{statistics.median(cpus):.3f} s{extra}; n={len(results)}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
