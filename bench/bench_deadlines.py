"""Time to build the deadline month view for a province (200 LAOs) and the nation (7,850).

    .venv/bin/python bench/bench_deadlines.py [--runs 5] [--keep DIR]

Data: ``services.demo.lao_records`` + ``insert_records`` for every LAO (the same shape of
records an office holds). Measured, median of several runs, for September 2568 (2025), each
after ``store.written()`` (the first look after a change):

- ``read`` (DeadlineBook: offices, programmes, form states, marks, holidays), ``expand``
  (the month's deadlines judged, with per-LAO counts) and ``model`` (the Qt model filled):
  ``month`` is their sum, what the month view waits for;
- ``screen``: the calendar screen's first load job, until it shows the month, and ``agenda``
  its second: the fiscal year's agenda and timeline and the reminder count
  (``ui/screens/calendar.py``);
- ``list``: one deadline's per-LAO completeness list, which the screen reads only when a
  person opens that deadline (the slowest of the month's), and ``laos``: every deadline's
  list of the month one after the other (what earlier rounds counted in the month's total);
- ``warm``: the same month again with nothing written (another month and back).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def build(path: Path, level: str, laos: int, seed: int = 7) -> None:
    from sqlalchemy import insert

    from db.models import Office
    from db.store import Store
    from lev_desktop.domain.offices import LaoType
    from lev_desktop.services import demo
    from lev_desktop.services.offices import initialise

    store = Store(path)
    if level == "province":
        initialise(store, level="province", code="P48", name="สถจ.นครพนม", province_code="48")
        provinces = ["48"]
    else:
        initialise(store, level="national", code="DLA", name="กรมส่งเสริมการปกครองท้องถิ่น")
        provinces = [f"{n:02d}" for n in range(10, 97)][:77]
    rng = random.Random(seed)
    types = [LaoType.SAO] * 68 + [LaoType.SUBDISTRICT] * 28 + [LaoType.TOWN] * 3 + [LaoType.PAO]
    offices = []
    for n in range(laos):
        province = provinces[n % len(provinces)]
        district = f"{province}{(n // len(provinces)) % 12 + 1:02d}"
        code = f"{district}{n:05d}"
        offices.append(
            demo._row(
                code,
                code=code,
                name=f"อปท. ทดสอบ {n}",
                level="lao",
                lao_type=rng.choice(types).value,
                province_code=province,
                district_code=district,
                parent_code=None,
                phone="",
                public_key=None,
            )
        )
    with store.session(importing=True) as session:
        session.execute(insert(Office), offices)
    batch: dict = {}
    for n, office in enumerate(offices):
        for model, rows in demo.lao_records(office["code"], rng).items():
            batch.setdefault(model, []).extend(rows)
        if n % 500 == 499 or n == len(offices) - 1:
            with store.session(importing=True) as session:
                demo.insert_records(session, batch)
            batch = {}
    store.dispose()


def measure(path: Path, runs: int) -> dict[str, float]:
    import datetime as dt

    from PySide6.QtWidgets import QApplication

    from db.store import Store
    from lev_desktop.deadlines import engine
    from lev_desktop.deadlines.engine import DeadlineBook
    from lev_desktop.thai_format import fiscal_year_range
    from ui.widgets.deadline_models import MonthModel

    app = QApplication.instance() or QApplication([])
    store = Store(path)
    today = dt.date(2025, 9, 10)
    start, end = MonthModel.grid_range(2025, 9, 6)
    times: dict[str, list[float]] = {
        "read": [],
        "expand": [],
        "laos": [],
        "model": [],
        "month": [],
        "screen": [],
        "agenda": [],
        "list": [],
        "warm": [],
    }
    counts = {}
    for _ in range(runs):
        store.written()  # cold: the first month view after a change
        t0 = time.perf_counter()
        book = DeadlineBook(store, today_=today)
        t1 = time.perf_counter()
        items = book.items(start, end)
        t2 = time.perf_counter()
        states = [
            book.lao_states(i.obligation, i.due, i.deadline.period)
            for i in items
            if i.laos is not None
        ]
        t3 = time.perf_counter()
        model = MonthModel()
        model.set_month(2025, 9, 6, items, book.holidays, today)
        for row in range(model.rowCount()):
            for column in range(7):
                model.data(model.index(row, column))
        t4 = time.perf_counter()
        # One deadline opened (its LAOs' list), the first thing read after a change
        slowest = 0.0
        for i in items:
            if i.laos is None:
                continue
            store.written()
            started = time.perf_counter()
            engine.completeness(store, i.obligation, i.due, today_=today)
            slowest = max(slowest, time.perf_counter() - started)
        # The calendar screen's load jobs (ui/screens/calendar.py, refresh): the month, then
        # the fiscal year's agenda and the reminder count
        store.written()
        s0 = time.perf_counter()
        days = engine.reminder_days(store)
        screen_book = DeadlineBook(store, soon_days=days, today_=today)
        screen_book.items(start, end, work=False)
        s1 = time.perf_counter()
        screen_book.items(*fiscal_year_range(2568))
        engine.reminders(store, days=days, book=screen_book)
        s2 = time.perf_counter()
        # Warm: the same month again with nothing written (another month and back)
        t5 = time.perf_counter()
        again = DeadlineBook(store, today_=today)
        again_model = MonthModel()
        again_model.set_month(2025, 9, 6, again.items(start, end), again.holidays, today)
        t6 = time.perf_counter()
        for key, value in (
            ("warm", t6 - t5),
            ("read", t1 - t0),
            ("expand", t2 - t1),
            ("laos", t3 - t2),
            ("model", t4 - t3),
            ("month", (t2 - t0) + (t4 - t3)),
            ("screen", s1 - s0),
            ("agenda", s2 - s1),
            ("list", slowest),
        ):
            times[key].append(value)
        counts = {
            "lao_count": len(book.laos),
            "forms": len(book.forms),
            "items": len(items),
            "lao_states": sum(len(s) for s in states),
        }
    store.dispose()
    del app
    return {**{k: statistics.median(v) for k, v in times.items()}, **counts}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="folder for the generated databases (reused)")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="lev-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("LEV_DATA_DIR", str(folder))
    for name, level, laos in (("province", "province", 200), ("nation", "national", 7850)):
        path = folder / f"{name}.db"
        if not path.exists():
            t0 = time.perf_counter()
            build(path, level, laos)
            print(
                f"{name}: built {laos} LAOs in {time.perf_counter() - t0:.1f} s, "
                f"{path.stat().st_size / 1e6:.1f} MB",
                flush=True,
            )
        result = measure(path, args.runs)
        print(
            f"{name}: "
            + ", ".join(
                f"{k} {v * 1000:.1f} ms" if isinstance(v, float) else f"{k} {v}"
                for k, v in result.items()
            ),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
