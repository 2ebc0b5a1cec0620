"""How long the plan editors take to open on a province-size database.

Builds (once) a province database with 200 LAOs, each with the demo shape of FY2568 records
(``services.demo.lao_records`` + ``insert_records``), then measures, as medians of several
runs, the time from asking for a screen to its rows being on screen:

- the F1 editor of one LAO (worker load + model + first paint),
- the activity list (F2) of one LAO,
- the LAO list with F1/F2/F3 statuses for all 200 LAOs (what a province sees first),
- and the core calls alone.

Run: ``.venv/bin/python bench/plans_open.py [--runs 7] [--db /tmp/bench_plans.db]``
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# PySide6 6.12.0 on Python 3.11 drops a reference to None (and True/False) on every call that
# returns them (see /work/notes/plans.md); the interpreter aborts when the count reaches 0.
# Extra references keep the benchmark alive long enough; they do not change the timings.
_REFCOUNT_GUARD = [None] * 20_000_000 + [True] * 2_000_000 + [False] * 2_000_000


def build(path: Path) -> None:
    from db.store import Store
    from lev_desktop.services import demo
    from lev_desktop.services.offices import add_lao, initialise

    store = Store(path)
    initialise(
        store,
        level="province",
        code="P48",
        name="สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนครพนม",
        province_code="48",
        officer="bench",
    )
    rng = random.Random(2568)
    for n in range(200):
        district = f"48{1 + n // 17:02d}"
        code = f"{district}{n % 17 + 1:03d}"
        add_lao(
            store,
            code=code,
            name=f"องค์การบริหารส่วนตำบลทดสอบ{n + 1}",
            lao_type="sao",
            district_code=district,
        )
        with store.session(importing=True) as session:
            demo.insert_records(session, demo.lao_records(code, rng))
    store.set_setting("fiscal_year", 2568)
    store.dispose()


def median_ms(samples: list[float]) -> str:
    median, least = statistics.median(samples) * 1000, min(samples) * 1000
    return f"{median:.1f} ms (min {least:.1f}, n={len(samples)})"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/bench_plans_province.db")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    path = Path(args.db)
    os.environ.setdefault("LEV_DATA_DIR", str(path.parent / "bench_plans_data"))
    if args.rebuild and path.exists():
        path.unlink()
    if not path.exists():
        started = time.perf_counter()
        build(path)
        print(
            f"built {path} in {time.perf_counter() - started:.1f} s, "
            f"{path.stat().st_size / 1e6:.1f} MB"
        )

    from PySide6.QtWidgets import QApplication

    from db.store import Store
    from lev_desktop.services import plans as ps
    from lev_desktop.services.offices import subordinate_laos
    from lev_desktop.services.programmes import builtin_id
    from ui.context import AppContext
    from ui.screens.activities import ActivitiesEditor
    from ui.screens.plans import PlanEditor
    from ui.widgets.office_list import OfficeList

    app = QApplication.instance() or QApplication(sys.argv[:1])
    store = Store(path)
    ctx = AppContext(store)
    p1 = builtin_id("P1")
    laos = subordinate_laos(store)
    codes = [o.code for o in laos]
    print(f"LAOs under the province: {len(codes)}")
    with store.read() as session:
        from sqlalchemy import func, select

        from db.models import Activity, PlanItem

        print(
            f"plan rows: {session.scalar(select(func.count(PlanItem.id)))}, "
            f"activities: {session.scalar(select(func.count(Activity.id)))}"
        )

    def until(done) -> None:
        """Runs the event loop (idle, as the app does) until ``done()``; a busy
        processEvents() loop would fight the worker thread for the GIL."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(1)
        timer.timeout.connect(lambda: loop.quit() if done() else None)
        timer.start()
        limit = QTimer()
        limit.setSingleShot(True)
        limit.timeout.connect(loop.quit)
        limit.start(30000)
        loop.exec()
        timer.stop()
        if not done():
            raise TimeoutError
        app.processEvents()

    results: dict[str, list[float]] = {
        k: []
        for k in (
            "F1 editor (load + show)",
            "activity list (load + show)",
            "LAO list, 200 LAOs (load + show)",
            "core load_plan",
            "core list_activities",
            "core offices_overview (200)",
        )
    }
    rng = random.Random(1)
    for _run in range(args.runs):
        code = rng.choice(codes)
        editor = PlanEditor(ctx)
        editor.resize(1166, 700)
        editor.show()
        started = time.perf_counter()
        editor.load(code, p1, 2568)
        until(lambda editor=editor: editor.view is not None)
        editor.repaint()
        results["F1 editor (load + show)"].append(time.perf_counter() - started)
        editor.close()
        editor.deleteLater()

        activities = ActivitiesEditor(ctx)
        activities.resize(1166, 700)
        activities.show()
        started = time.perf_counter()
        activities.load(code, p1, 2568)
        until(lambda activities=activities: activities.plan is not None)
        activities.repaint()
        results["activity list (load + show)"].append(time.perf_counter() - started)
        activities.close()
        activities.deleteLater()

        offices = OfficeList(ctx)
        offices.resize(300, 700)
        offices.show()
        started = time.perf_counter()
        offices.load(p1, 2568)
        until(lambda offices=offices: offices.model.rowCount() > 0)
        offices.repaint()
        results["LAO list, 200 LAOs (load + show)"].append(time.perf_counter() - started)
        offices.close()
        offices.deleteLater()

        started = time.perf_counter()
        ps.load_plan(store, code, p1, 2568)
        results["core load_plan"].append(time.perf_counter() - started)
        started = time.perf_counter()
        ps.list_activities(store, code, p1, 2568)
        results["core list_activities"].append(time.perf_counter() - started)
        started = time.perf_counter()
        ps.offices_overview(store, laos, p1, 2568)
        results["core offices_overview (200)"].append(time.perf_counter() - started)
    # Saving one committed cell, as the editors do after every edit (an LAO's own database
    # of the same size: a copy of this one that belongs to one of the LAOs).
    import shutil

    lao_copy = path.with_name(path.stem + "_lao.db")
    shutil.copyfile(path, lao_copy)
    lao_store = Store(lao_copy)
    lao_store.set_setting("office_code", codes[0])
    view = ps.load_plan(lao_store, codes[0], p1, 2568)
    activity = ps.list_activities(lao_store, codes[0], p1, 2568)
    results["save one plan cell (worker side)"] = []
    results["save one activity cell (worker side)"] = []
    for n in range(args.runs):
        started = time.perf_counter()
        ps.apply_item_changes(
            lao_store, p1, 2568, upserts=[{"id": view.items[0].id, "location": f"หมู่ {n}"}]
        )
        results["save one plan cell (worker side)"].append(time.perf_counter() - started)
        if activity:
            started = time.perf_counter()
            ps.save_activity(lao_store, p1, 2568, {"id": activity[0].id, "place": f"ศาลา {n}"})
            results["save one activity cell (worker side)"].append(time.perf_counter() - started)
    lao_store.dispose()
    for name, samples in results.items():
        if samples:
            print(f"{name:38s} {median_ms(samples)}")
    ctx.runner.wait()
    store.dispose()
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown (see _REFCOUNT_GUARD)


if __name__ == "__main__":
    sys.exit(main())
