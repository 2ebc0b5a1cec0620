"""End-to-end report times, data loading included, through the report builders.

    .venv/bin/python bench/bench_reports.py [--runs 3] [--keep]

- F3 monitoring table for the nation: a national database with 7,850 LAOs named after the
  subdistricts of geothai (real names: ``real_laos``), each with the demo records of one LAO
  (plans, activities, milestones, indicators) — built once into bench/results/national.db
  (kept with --keep);
- F1 action plan with 100 projects of one LAO.
Each report is made as PDF and as .xlsx with ``generate`` (load + layout + atomic write);
prints the median of the runs, pages and file size.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
LAO_COUNT = 7850


def real_laos(count: int = LAO_COUNT) -> list[tuple[str, str, str, Any]]:
    """``count`` LAOs named as real ones are: one for each subdistrict of geothai outside
    Bangkok (two in three a subdistrict administrative organisation, one in three a subdistrict
    municipality; "องค์การบริหารส่วนตำบลนิคมสร้างตนเองลำโดมน้อย" the longest), then a town
    municipality for districts in order ("เทศบาลเมืองเมืองประจวบคีรีขันธ์") up to the count."""
    import geothai

    districts = [
        d for p in geothai.provinces() if p.code != "10" for d in geothai.districts(p.code)
    ]
    subs = [(d, s) for d in districts for s in geothai.subdistricts(d.code)]
    out: list[tuple[str, str, str, Any]] = []
    seq: dict[str, int] = {}

    def add(d: Any, name: str, lao_type: str) -> None:
        seq[d.code] = seq.get(d.code, 0) + 1
        out.append((f"{d.code}{seq[d.code]:03d}", name, lao_type, d))

    for i, (d, s) in enumerate(subs[:count]):
        if i % 3 == 2:
            add(d, f"เทศบาลตำบล{s.name_th}", "subdistrict_municipality")
        else:
            add(d, f"องค์การบริหารส่วนตำบล{s.name_th}", "sao")
    for i in range(count - len(out)):
        d = districts[i % len(districts)]
        add(d, f"เทศบาลเมือง{d.name_th}", "town_municipality")
    return out


def build_national(path: Path) -> float:
    from sqlalchemy import insert

    from db.models import Office, utcnow
    from db.store import Store
    from lev_desktop.services import demo, programmes
    from lev_desktop.services.offices import initialise

    start = time.perf_counter()
    store = Store(path)
    initialise(store, level="national", code="DLA", name="กรมส่งเสริมการปกครองท้องถิ่น")
    programmes.seed_builtins(store)
    rng = random.Random(7850)
    offices = []
    for code, name, lao_type, d in real_laos():
        offices.append(
            {
                "id": str(uuid.uuid4()),
                "owner_office": "DLA",
                "revision": 1,
                "updated_at": utcnow(),
                "updated_by": "bench",
                "deleted": False,
                "code": code,
                "name": name,
                "level": "lao",
                "lao_type": lao_type,
                "province_code": d.province_code,
                "district_code": d.code,
                "parent_code": None,
                "phone": "",
                "public_key": None,
            }
        )
    with store.session(importing=True) as s:
        s.execute(insert(Office), offices)
    batch: dict = {}
    with store.session(importing=True) as s:
        for n, office in enumerate(offices, start=1):
            for model, rows in demo.lao_records(office["code"], rng).items():
                batch.setdefault(model, []).extend(rows)
            if n % 500 == 0 or n == len(offices):
                demo.insert_records(s, batch)
                batch = {}
    store.dispose()
    return time.perf_counter() - start


def add_big_plan(store, office: str, rows: int = 100) -> str:
    """100 projects in the plan of ``office`` (or, when the demo gave it none, of the first LAO
    with a plan); returns the office."""
    from sqlalchemy import select

    from db.models import Plan, PlanItem
    from lev_desktop.domain.templates import P1

    with store.session(importing=True) as s:
        plan = s.scalar(select(Plan).where(Plan.owner_office == office)) or s.scalar(
            select(Plan).order_by(Plan.owner_office).limit(1)
        )
        office = plan.owner_office
        for item in list(s.scalars(select(PlanItem).where(PlanItem.plan_id == plan.id))):
            item.deleted = True
        base = P1["example_rows"]
        for i in range(rows):
            r = base[i % len(base)]
            s.add(
                PlanItem(
                    id=str(uuid.uuid4()),
                    owner_office=office,
                    plan_id=plan.id,
                    seq=i + 1,
                    project=f"{r['project']} ครั้งที่ {i + 1} ร่วมกับผู้นำชุมชนและโรงเรียนในพื้นที่",
                    objective=r["objective"],
                    target=r["target"],
                    location=r["location"],
                    budget=Decimal(r["budget"]) if r["budget"] else None,
                    no_budget=r["no_budget"],
                    kpi=r["kpi"],
                    expected_result=r["expected_result"],
                    planned_activities=2,
                )
            )
    return office


def pages(path: Path) -> str:
    if path.suffix != ".pdf":
        return "-"
    try:
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return "?"
    return next((line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")), "?")


def timed(fn, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="reuse bench/results/national.db")
    args = parser.parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    db = RESULTS / "national.db"
    if not (args.keep and db.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        print(f"building the national database ({LAO_COUNT} LAOs)…", flush=True)
        print(f"  built in {build_national(db):.1f} s, {db.stat().st_size / 1e6:.0f} MB")
    from db.store import Store
    from exports.reports import ReportOptions, ReportRequest, generate, load
    from exports.reports.documents import monitoring_pdf, plan_pdf

    store = Store(db)
    big_lao = "1001001"
    big_lao = add_big_plan(store, big_lao)
    options = ReportOptions(thai_digits=True, signer_name="นายทดสอบ ระบบ")
    cases = [("F3 nation", "monitoring", "DLA"), ("F1 100 rows", "plan", big_lao)]
    print(f"{'report':14} {'fmt':5} {'median s':>9} {'runs':>22} {'pages':>6} {'size':>9}")
    for label, kind, office in cases:
        request_pdf = ReportRequest(kind, office, 2568, "pdf")
        data = load(store, request_pdf)
        load_median, _ = timed(lambda request_pdf=request_pdf: load(store, request_pdf), args.runs)
        render = monitoring_pdf if kind == "monitoring" else plan_pdf
        layout_median, _ = timed(lambda render=render, data=data: render(data, options), args.runs)
        for fmt in ("pdf", "xlsx"):
            out = RESULTS / f"{kind}.{fmt}"
            request = ReportRequest(kind, office, 2568, fmt)
            median, runs = timed(
                lambda request=request, out=out: generate(store, request, out, options=options),
                args.runs,
            )
            print(
                f"{label:14} {fmt:5} {median:9.2f} {[round(t, 2) for t in runs]!s:>22} "
                f"{pages(out):>6} {out.stat().st_size / 1e3:8.0f}K",
                flush=True,
            )
        rows = len(data.rows)
        print(f"{'':14} rows={rows}: load {load_median:.2f} s, PDF layout {layout_median:.2f} s")
    store.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
