"""Time to build the consolidation board (figures + states) at district, province and nation.

    .venv/bin/python bench/bench_board.py [--runs 5] [--sizes 20,200,7850] [--keep DIR]

Each size gets its own SQLite database: an office of the matching level and that many LAOs
(real DOPA district codes from geothai, อบต./ทต. mostly), each with the demo records of
``services.demo.lao_records`` (plans, activities, P2/P4/P5 KPI values, form states) written
with ``services.demo.insert_records``. Prints the median of ``--runs`` builds per programme.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import insert

from db.models import Office, utcnow
from db.store import Store
from lev_desktop import gazetteer
from lev_desktop.services import consolidation, demo, offices, programmes

TYPES = ["sao"] * 68 + ["subdistrict_municipality"] * 28 + ["town_municipality"] * 3 + ["pao"]


def _districts(n_laos: int) -> list[tuple[str, str]]:
    """(province, district) codes to spread the LAOs over, ~9 LAOs per district."""
    if n_laos <= 20:
        return [("48", "4801")]
    if n_laos <= 300:
        return [("48", d.code) for d in gazetteer.districts("48")]
    return [(p.code, d.code) for p in gazetteer.provinces() for d in gazetteer.districts(p.code)]


def make_db(path: Path, n_laos: int, seed: int = 1) -> float:
    rng = random.Random(seed)
    store = Store(path)
    places = _districts(n_laos)
    if n_laos <= 20:
        offices.initialise(
            store,
            level="district",
            code="D4801",
            name="สถอ.เมืองนครพนม",
            province_code="48",
            district_code="4801",
        )
    elif n_laos <= 300:
        offices.initialise(
            store, level="province", code="P48", name="สถจ.นครพนม", province_code="48"
        )
    else:
        offices.initialise(store, level="national", code="DLA", name="กรมส่งเสริมการปกครองท้องถิ่น")
    programmes.seed_builtins(store)
    started = time.perf_counter()
    rows = []
    for i in range(n_laos):
        province, district = places[i % len(places)]
        lao_type = "sao" if n_laos <= 20 and i % 3 else rng.choice(TYPES)
        code = f"{district}{i // len(places) + 1:03d}" if n_laos > 20 else f"{district}{i + 1:03d}"
        rows.append(
            {
                "id": str(uuid.uuid4()),
                "owner_office": code,
                "revision": 1,
                "updated_at": utcnow(),
                "updated_by": "bench",
                "deleted": False,
                "code": code,
                "name": f"อปท.ทดสอบ {code}",
                "level": "lao",
                "lao_type": lao_type,
                "province_code": province,
                "district_code": district,
                "parent_code": None,
                "phone": "",
                "public_key": None,
            }
        )
    with store.session(importing=True) as session:
        session.execute(insert(Office), rows)
        for row in rows:
            demo.insert_records(session, demo.lao_records(row["code"], rng))
    elapsed = time.perf_counter() - started
    store.dispose()
    return elapsed


def measure(path: Path, runs: int) -> dict[str, float]:
    store = Store(path)
    out = {}
    for code in ("P1", "P2", "P4", "P5"):
        times, cpu, warm, warm_cpu = [], [], [], []
        for _ in range(runs):
            # Cold: the first board after a change (nothing derived kept; SQLite's pages are)
            store.written()
            started, started_cpu = time.perf_counter(), time.process_time()
            board = consolidation.build_board(store, code)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            # Warm: the same board again with nothing written (another filter and back, or
            # another programme and back): what the store kept is used
            started, started_cpu = time.perf_counter(), time.process_time()
            consolidation.build_board(store, code)
            warm.append(time.perf_counter() - started)
            warm_cpu.append(time.process_time() - started_cpu)
        out[code] = statistics.median(times)
        out[f"{code}.cpu"] = statistics.median(cpu)
        out[f"{code}.warm"] = statistics.median(warm)
        out[f"{code}.warm.cpu"] = statistics.median(warm_cpu)
        out[f"{code}.laos"] = len(board.rows)
    started = time.perf_counter()
    offices.subordinate_laos(store)
    out["subordinate_laos"] = time.perf_counter() - started
    store.dispose()
    return out


def measure_gui(path: Path, runs: int) -> dict[str, float]:
    """The screen: the worker's job after a change (the board and its summary tables) and the
    GUI thread's time to show it (models, column widths, charts), offscreen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.context import AppContext
    from ui.widgets.board import ConsolidationBoard

    app = QApplication.instance() or QApplication([])
    store = Store(path)
    ctx = AppContext(store)
    widget = ConsolidationBoard(ctx)
    ctx.runner.wait()
    app.processEvents()
    widget.resize(1166, 688)
    widget.show()
    out = {}
    for code in ("P1", "P2", "P4", "P5"):
        times, jobs = [], []
        for _ in range(runs):
            # The worker's job, as ConsolidationBoard.rebuild runs it, after a change
            store.written()
            started = time.perf_counter()
            board = consolidation.build_board(store, code)
            tables = consolidation.district_rows(board), consolidation.indicator_table(board)
            jobs.append(time.perf_counter() - started)
            started = time.perf_counter()
            widget._show_board(board, *tables)
            app.processEvents()
            times.append(time.perf_counter() - started)
        out[f"{code}.job"] = statistics.median(jobs)
        out[f"{code}.show+paint"] = statistics.median(times)
    widget.close()
    ctx.runner.wait()
    widget.deleteLater()
    ctx.deleteLater()
    app.processEvents()
    store.dispose()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="20,200,7850")
    parser.add_argument("--keep", help="folder for the databases (reused when present)")
    parser.add_argument(
        "--gui", action="store_true", help="also time showing the board in the widget (GUI thread)"
    )
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="lev-board-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("LEV_DATA_DIR", str(folder))
    for size in (int(s) for s in args.sizes.split(",")):
        path = folder / f"board-{size}.db"
        if not path.exists():
            took = make_db(path, size)
            print(
                f"generated {size} LAOs in {took:.1f} s, {path.stat().st_size / 1e6:.1f} MB",
                flush=True,
            )
        result = measure(path, args.runs)
        parts = " ".join(
            f"{k}={v * 1000:.0f}ms" for k, v in result.items() if not k.endswith(".laos")
        )
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"{size} LAOs (board rows P1={result['P1.laos']}), load {load:.1f}: {parts}", flush=True
        )
        if args.gui:
            shown = measure_gui(path, args.runs)
            print(
                f"{size} LAOs GUI thread: "
                + " ".join(f"{k}={v * 1000:.0f}ms" for k, v in shown.items()),
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
