"""Cold start of the GUI to the first paint of the main window, in a fresh process each run.

    python bench/startup_shell.py [--runs 7] [--baseline DIR]

Measures, offscreen, from ``Popen`` to the lines that ``python -m ui.app --measure-startup``
prints: ``FIRST_PAINT`` at the main window's first paint (navigation, menus and status bar,
"opening the database…"; nothing of the database layer is imported yet) and ``SCREEN_READY``
when the first screen is built and painted (the database open, the home screen's widgets
shown, its figures still loading on the worker); the process quits then.
Cases: (a) the demo database, (b) an office with no records, (c) a bare PySide6 window as
reference. Every run starts a new interpreter, so Python start-up and imports are included.
The CPU time of the child is printed too: on a busy machine it is steadier than wall time.

Every case runs its modules as an installed program does, compiled once (``pip install`` and
the PyInstaller bundle ship ``.pyc`` files): the children keep their bytecode in a cache
outside the checkout (``PYTHONPYCACHEPREFIX``), filled by the runs before timing. Before
2026-12-05 a machine with ``PYTHONDONTWRITEBYTECODE=1`` (this team's) compiled every module of
the checkout from source at each start, which no officer's start does, while the bare
window's PySide6 came compiled. ``--from-source`` measures that way again.
The cases take turns (one run of each, then the next round), so a change in the machine's
load falls on all of them; ratios to the bare window are computed from the medians of the
same run. ``--baseline DIR`` adds the demo case of another checkout (e.g. an earlier commit
unpacked with ``git archive``), started from that folder, for a before/after in one run; a
checkout older than the SCREEN_READY line reports only its FIRST_PAINT (then the main
window with its first screen).
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


def timed(
    cmd: list[str], env: dict[str, str], cwd: str | None = None
) -> tuple[float, float, float | None]:
    """(wall seconds to the main window's first paint, CPU seconds of the whole child process,
    wall seconds until the first screen is painted, when the program has screens)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True, cwd=cwd
    )
    assert proc.stdout is not None
    elapsed = ready = None
    for line in proc.stdout:
        if line.startswith("FIRST_PAINT"):
            elapsed = time.perf_counter() - start
        if line.startswith("SCREEN_READY"):
            ready = time.perf_counter() - start
    proc.wait(timeout=60)
    if elapsed is None:
        raise RuntimeError(f"no first paint from {cmd}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, ready


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", help="another checkout to measure in the same run")
    parser.add_argument(
        "--from-source",
        action="store_true",
        help="keep this shell's bytecode settings (PYTHONDONTWRITEBYTECODE=1: compile each start)",
    )
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LEV_DATA_DIR": folder}
        if not args.from_source:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "bytecode")
        print(
            "modules: compiled at each start"
            if args.from_source and os.environ.get("PYTHONDONTWRITEBYTECODE")
            else "modules: compiled once, as installed",
            flush=True,
        )
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
        cases: dict[str, tuple[list[str], str | None]] = {
            "demo database (district, 15 LAOs)": ([*app, "--demo"], None),
            "office with no records": ([*app, "--db", str(empty)], None),
            "bare PySide6 window": ([python, "-c", BARE], None),
        }
        if args.baseline:
            cases[f"demo database, baseline {args.baseline}"] = ([*app, "--demo"], args.baseline)
        for cmd, cwd in cases.values():
            timed(cmd, env, cwd)  # warm the file cache once
        measured: dict[str, list[tuple[float, float, float | None]]] = {name: [] for name in cases}
        for _round in range(args.runs):
            for name, (cmd, cwd) in cases.items():
                measured[name].append(timed(cmd, env, cwd))
        medians: dict[str, tuple[float, float, float | None]] = {}
        for name, results in measured.items():
            walls = [wall for wall, _cpu, _ready in results]
            cpus = [cpu for _wall, cpu, _ready in results]
            readies = [r for _wall, _cpu, r in results if r is not None]
            ready = statistics.median(readies) if readies else None
            medians[name] = (statistics.median(walls), statistics.median(cpus), ready)
            extra = f"; first screen painted, median {ready:.3f} s" if ready is not None else ""
            print(
                f"{name}: main window first paint median {statistics.median(walls):.3f} s "
                f"(min {min(walls):.3f}, max {max(walls):.3f}); process CPU median "
                f"{statistics.median(cpus):.3f} s{extra}; n={len(results)}",
                flush=True,
            )
        bare_wall, bare_cpu, _ = medians["bare PySide6 window"]
        for name, (wall, cpu, ready) in medians.items():
            if name == "bare PySide6 window":
                continue
            screen = f"first screen {ready / bare_wall:.2f}x; " if ready is not None else ""
            print(
                f"{name}: first paint {wall / bare_wall:.2f}x the bare window "
                f"({screen}process CPU {cpu / bare_cpu:.2f}x)",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
