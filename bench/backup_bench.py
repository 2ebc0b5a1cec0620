"""Backup benchmark: how long a backup, the checks and a restore of a province-size database take,
and whether the window stays responsive while a backup runs.

    .venv/bin/python bench/backup_bench.py [--laos 200] [--runs 5] [--json out.json]

The database is made the way a province office's grows: one signed package per LAO
(``exchange_bench.generate``, the demo shape of records) imported at a province office, so it
holds the records and the packages as received. Then, each ``--runs`` times:

- ``make_backup`` (SQLite online backup into the data folder, fsync, rotation);
- ``PRAGMA quick_check`` (run at every start) and ``PRAGMA integrity_check`` (run on restore);
- ``restore_backup`` (copy beside the database, integrity check, keep the current one, swap).

Responsiveness: a 10 ms ``QTimer`` on the GUI thread records how late each tick is while the
backup runs through the ``Runner`` (the way the program runs it), next to the same timer with
nothing running, and with the backup run on the GUI thread itself as a control (what a frozen
window looks like to this measure). Offscreen Qt; the lateness is the event loop's, which is
what a click or a repaint waits for.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def build(folder: Path, laos: int) -> Path:
    import exchange_bench

    from lev_desktop.exchange import importer

    # P10: the generated LAOs' codes are of province 10 (an office code must have the official
    # shape since the import checks it; the old "C0001" made every package refused)
    files, _rows = exchange_bench.generate(folder, laos, "P10")
    store = exchange_bench._store(folder / "province.db", "province", "P10")
    plan = importer.preview(store, files)
    outcome = importer.commit(store, plan, trust=True)
    assert len(outcome.imported) == laos, [p.reason for p in plan.packages if p.reason][:3]
    path = store.path
    store.dispose()
    return path


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def lateness_during(run_job, *, interval_ms: int = 10, settle_ms: int = 200) -> dict:
    """Ticks of a 10 ms timer while ``run_job(done)`` works; ``done()`` ends the measurement."""
    from PySide6.QtCore import QEventLoop, QTimer

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(interval_ms)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    finished = {"at": None}

    def done(*_args) -> None:
        finished["at"] = time.perf_counter()
        QTimer.singleShot(settle_ms, loop.quit)

    timer.start()
    start = time.perf_counter()
    QTimer.singleShot(settle_ms, lambda: run_job(done))
    loop.exec()
    timer.stop()
    gaps = [(b - a) * 1000 - interval_ms for a, b in itertools.pairwise(ticks)]
    gaps.sort()
    return {
        "job_s": (finished["at"] or time.perf_counter()) - start - settle_ms / 1000,
        "ticks": len(ticks),
        "late_max_ms": gaps[-1] if gaps else 0.0,
        "late_p99_ms": gaps[int(len(gaps) * 0.99)] if gaps else 0.0,
        "late_median_ms": statistics.median(gaps) if gaps else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laos", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="levbench-backup-") as tmp:
        folder = Path(tmp)
        os.environ["LEV_DATA_DIR"] = str(folder / "data")
        from db.store import Store, check_sqlite_file
        from lev_desktop.continuity import backups
        from lev_desktop.continuity.restore import restore_backup

        started = time.perf_counter()
        path = build(folder, args.laos)
        result: dict = {
            "laos": args.laos,
            "build_s": time.perf_counter() - started,
            "database_mb": path.stat().st_size / 1024**2,
        }
        print(f"built {path.stat().st_size / 1024**2:.1f} MB", file=sys.stderr, flush=True)
        store = Store(path)
        result["backup_s"] = timed(lambda: backups.make_backup(store), args.runs)
        result["backup_mb"] = backups.list_backups(path)[0].size / 1024**2
        result["quick_check_s"] = timed(lambda: check_sqlite_file(path), args.runs)
        result["integrity_check_s"] = timed(lambda: check_sqlite_file(path, quick=False), args.runs)
        newest = backups.list_backups(path)[0].path
        store.dispose()
        result["restore_s"] = timed(lambda: restore_backup(path, newest), args.runs)

        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from ui.workers import Runner

        app = QApplication.instance() or QApplication([])
        store = Store(path)
        runner = Runner()
        pause_ms = int(statistics.median(result["backup_s"]) * 1000)
        idle = lateness_during(lambda done: QTimer.singleShot(pause_ms, done))
        through_runner = lateness_during(
            lambda done: runner.run(
                lambda _p: backups.make_backup(store),
                on_success=done,
                cancellable=False,
                kind="io",
            )
        )

        def on_gui_thread(done) -> None:
            backups.make_backup(store)
            done()

        frozen = lateness_during(on_gui_thread)
        runner.wait()
        store.dispose()
        result["gui_idle"] = idle
        result["gui_backup_via_runner"] = through_runner
        result["gui_backup_on_gui_thread_control"] = frozen
        del app
    shown = {
        k: (round(statistics.median(v), 3) if isinstance(v, list) else v) for k, v in result.items()
    }
    print(json.dumps(shown, ensure_ascii=False, indent=1, default=str))
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root))
    sys.path.insert(0, str(root / "bench"))
    sys.exit(main())
