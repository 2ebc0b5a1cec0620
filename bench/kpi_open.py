"""How long a province workstation waits to open the KPI list and a P2 form.

    python bench/kpi_open.py [--laos 200] [--runs 7] [--db PATH]

Builds a province database with N LAOs of demo data (``services.demo.lao_records`` +
``insert_records``, the same rows the demo uses), then times, each over several runs:

- ``kpi_list``: the KPI list of every LAO of the province (service only);
- ``load_form``: one LAO's P2 "Clean Province" form (service only);
- ``screen list``: the ตัวชี้วัด screen from refresh() to the rows on screen (worker + model);
- ``screen P2``: opening a P2 form in the editor until it is shown (worker + model + layout).

Prints medians in milliseconds.
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


def build(path: Path, laos: int) -> list[str]:
    from db.models import Office
    from db.store import Store
    from lev_desktop.services import demo
    from lev_desktop.services.offices import initialise

    store = Store(path)
    initialise(
        store,
        level="province",
        code="P48",
        name="สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนครพนม",
        province_code="48",
        officer="bench",
    )
    store.set_setting("fiscal_year", 2568)
    rng = random.Random(2568)
    codes = []
    with store.session(importing=True) as session:
        for n in range(laos):
            district = f"48{n % 12 + 1:02d}"
            code = f"{district}{n // 12 + 1:03d}"
            codes.append(code)
            session.add(
                Office(
                    id=f"office-{code}",
                    owner_office=code,
                    code=code,
                    name=f"องค์การบริหารส่วนตำบลทดสอบ {n + 1}",
                    level="lao",
                    lao_type="sao",
                    province_code="48",
                    district_code=district,
                    parent_code=f"D{district}",
                )
            )
            demo.insert_records(session, demo.lao_records(code, rng))
    store.dispose()
    return codes


def reuse(path: Path) -> list[str]:
    from db.store import Store
    from lev_desktop.services.offices import subordinate_laos

    store = Store(path)
    codes = [o.code for o in subordinate_laos(store)]
    store.dispose()
    return codes


def median_ms(samples: list[float]) -> str:
    return (
        f"{statistics.median(samples) * 1000:.1f} ms (n={len(samples)}, "
        f"min {min(samples) * 1000:.1f}, max {max(samples) * 1000:.1f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--laos", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lev-bench-kpi-"))
    os.environ["LEV_DATA_DIR"] = str(folder)
    path = Path(args.db) if args.db else folder / "province.db"
    started = time.perf_counter()
    # reuse a database built before (--db)
    codes = reuse(path) if path.exists() else build(path, args.laos)
    print(
        f"{len(codes)} LAOs ready in {time.perf_counter() - started:.1f} s, "
        f"{path.stat().st_size / 1e6:.1f} MB"
    )

    from db.store import Store
    from lev_desktop.services import kpi

    store = Store(path)
    samples: dict[str, list[float]] = {
        "kpi_list": [],
        "load_form": [],
        "screen list": [],
        "screen P2": [],
    }
    rows = 0
    for _ in range(args.runs):
        t = time.perf_counter()
        rows = len(kpi.kpi_list(store, codes, 2568))
        samples["kpi_list"].append(time.perf_counter() - t)
        t = time.perf_counter()
        kpi.load_form(store, codes[len(codes) // 2], "P2", "FY2567")
        samples["load_form"].append(time.perf_counter() - t)

    from PySide6.QtWidgets import QApplication

    from lev_desktop.services.programmes import builtin_id
    from ui.context import AppContext
    from ui.screens.kpi import KpiScreen

    app = QApplication.instance() or QApplication(sys.argv)
    ctx = AppContext(store)
    screen = KpiScreen(ctx)
    screen.resize(1166, 708)
    screen.show()

    def wait(condition) -> None:
        while not condition():
            app.processEvents()
            time.sleep(0.001)

    wait(lambda: screen.list_page.loaded)
    for _ in range(args.runs):
        screen.list_page.loaded = False
        t = time.perf_counter()
        screen.show_list()
        wait(lambda: screen.list_page.loaded)
        app.processEvents()
        samples["screen list"].append(time.perf_counter() - t)
        t = time.perf_counter()
        screen.open_form(codes[len(codes) // 2], builtin_id("P2"), "KPI", "FY2567")
        wait(lambda: screen.editor.loaded)
        app.processEvents()
        samples["screen P2"].append(time.perf_counter() - t)
    ctx.runner.wait()
    app.processEvents()
    screen.close()
    screen.deleteLater()
    app.processEvents()
    print(f"KPI list rows: {rows}")
    for name, values in samples.items():
        print(f"{name:12s} median {median_ms(values)}")
    store.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
