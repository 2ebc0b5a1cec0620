"""Exchange benchmark: export and import of a district (20 LAOs), a province (200) and the
nation (7,850 LAOs, ~570 k records), next to a raw ``sqlite3`` executemany of the same rows.

    python bench/exchange_bench.py [district|province|nation ...] [--repeat N] [--json out.json]

Per size it generates one signed package per LAO (``services.demo.lao_records``, the same shape
of data an office sees), then times, each in a fresh database:

1. import of all the LAO packages at the office above (dry-run preview + one-transaction commit);
2. raw ``sqlite3`` ``executemany`` of the same rows into the same schema, one transaction;
3. export of that office's upward package (all LAO packages relayed with their signatures);
4. import of the upward package one level up (signatures of every LAO verified again).

The first import runs in a process of its own and reports its peak memory (``import_peak_mb``,
the high-water resident set of that process: interpreter, libraries and the import; before
2026-12-03 this was ``ru_maxrss``, which on Linux reported this bench's own size at the fork).

Times and ratios are written unrounded to ``--json`` (ratios are computed from unrounded times);
only the line printed per size is rounded. Not part of the test suite
(``tests/exchange/test_bench_smoke.py`` runs a tiny size).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

SIZES = {"district": 20, "province": 200, "nation": 7850}


def _setup_env(folder: Path) -> None:
    os.environ["LEV_DATA_DIR"] = str(folder / "data")


def made_now() -> str:
    """A package's making time as an exporter writes it: now (the importer refuses a package
    made before the changes it holds, and the generated records are stamped now)."""
    from db.models import utcnow

    return utcnow().replace(microsecond=0).isoformat() + "Z"


def generate(folder: Path, count: int, parent: str, seed: int = 2568) -> tuple[list[Path], dict]:
    """One signed package per LAO, addressed to ``parent``; returns the files and the rows."""
    from db.models import Office
    from lev_desktop.exchange import format as fmt
    from lev_desktop.exchange.records import MODELS, dump_lines
    from lev_desktop.services.demo import _row, lao_records

    rng = random.Random(seed)
    out = folder / "laos"
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    rows_by_table: dict[str, list[dict]] = {}
    for index in range(count):
        # Official code shapes: the LAO's 7-digit code starts with its district's 4-digit code.
        district = f"{10 + index // 900:02d}{index // 9 % 100:02d}"
        code = f"{district}{index % 9 + 1:03d}"
        office = _row(
            code,
            code=code,
            name=f"องค์การบริหารส่วนตำบลทดสอบที่ {index + 1}",
            level="lao",
            lao_type="sao",
            province_code=district[:2],
            district_code=district,
            parent_code=parent,
            phone="",
            public_key=None,
        )
        records = lao_records(code, rng)
        records[Office] = [office]
        key = Ed25519PrivateKey.generate()
        payloads = {}
        counts = {}
        for model in MODELS:
            rows = records.get(model) or []
            if rows:
                name = model.__tablename__
                payloads[f"{fmt.PAYLOAD_DIR}{name}.jsonl"] = dump_lines(rows)
                counts[name] = len(rows)
                rows_by_table.setdefault(name, []).extend(rows)
        manifest = fmt.build_manifest(
            package_uuid=str(__import__("uuid").uuid4()),
            kind="full",
            base=None,
            sender={
                "code": code,
                "name": office["name"],
                "level": "lao",
                "lao_type": "sao",
                "province_code": district[:2],
                "district_code": district,
                "parent_code": parent,
            },
            key=key,
            recipient=parent,
            sequence=1,
            created_at=made_now(),
            payloads=payloads,
            counts=counts,
        )
        part = fmt.sign_part(manifest, payloads, key)
        path = out / f"{code}.levpkg"
        fmt.write_package(path, part)
        files.append(path)
    return files, rows_by_table


def _store(path: Path, level: str, code: str, parent: str | None = None):
    from db.store import Store
    from lev_desktop.services.offices import initialise

    store = Store(path)
    initialise(
        store,
        level=level,
        code=code,
        name=f"สำนักงาน {code}",
        parent=parent,
        province_code=code[1:] if level == "province" else None,
    )
    return store


def raw_executemany(path: Path, rows_by_table: dict[str, list[dict]]) -> float:
    """The same rows, prepared as tuples beforehand, into the same schema: the floor."""
    from db.store import Store
    from lev_desktop.exchange.records import TABLES, codecs
    from lev_desktop.services.programmes import seed_builtins

    store = Store(path)  # same schema, indexes and built-in programmes
    seed_builtins(store)
    dialect = store.engine.dialect
    store.dispose()
    codec_map = codecs(dialect)
    prepared = []
    for name, rows in rows_by_table.items():
        codec = codec_map[name]
        converted = [codec.row_from_json(json.loads(json.dumps(_jsonable(r)))) for r in rows]
        cols = ", ".join(codec.columns)
        marks = ", ".join("?" for _ in codec.columns)
        prepared.append((f"INSERT INTO {TABLES[name].name} ({cols}) VALUES ({marks})", converted))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")  # as the app opens every database
    start, cpu = time.perf_counter(), time.process_time()
    with conn:
        for sql, rows in prepared:
            conn.executemany(sql, rows)
    elapsed = time.perf_counter() - start
    RAW_CPU.append(time.process_time() - cpu)
    conn.close()
    return elapsed


RAW_CPU: list[float] = []  # CPU seconds of each raw_executemany (for a loaded machine)


def _jsonable(row: dict) -> dict:
    from lev_desktop.exchange.records import row_to_json

    return row_to_json(row)


def run_size(name: str, count: int, folder: Path, *, upward_import: bool = True) -> dict:
    from lev_desktop.exchange import importer
    from lev_desktop.exchange.exporter import export_package

    _setup_env(folder)
    result: dict = {"size": name, "laos": count}
    start = time.perf_counter()
    gc.disable()  # generation only (not timed against anything)
    try:
        files, rows_by_table = generate(folder, count, "P10")
    finally:
        gc.enable()
        gc.collect()
    result["generate_s"] = time.perf_counter() - start
    print(
        f"{name}: generated {count} packages in {result['generate_s']:.2f} s",
        file=sys.stderr,
        flush=True,
    )
    result["records"] = sum(len(v) for v in rows_by_table.values())
    result["lao_package_kb_median"] = round(
        statistics.median(f.stat().st_size for f in files) / 1024, 1
    )

    _store(folder / "consolidating.db", "province", "P10", parent="DLA").dispose()
    # The import runs in a process of its own, so that its peak memory is the import's alone
    # (this process holds every generated row for the raw comparison below).
    child = _import_in_child(folder / "consolidating.db", files)
    assert child["imported"] == count, child["refused"]
    assert child["new"] == result["records"], child
    preview_s, commit_s = child["preview_s"], child["commit_s"]
    result["import_preview_s"] = preview_s
    result["import_commit_s"] = commit_s
    result["import_s"] = preview_s + commit_s
    result["import_peak_mb"] = child["peak_mb"]
    result["import_workers_peak_mb"] = child["workers_peak_mb"]  # the largest worker's
    store = _reopen(folder / "consolidating.db")
    print(f"{name}: imported in {result['import_s']:.2f} s", file=sys.stderr, flush=True)

    RAW_CPU.clear()
    result["raw_sqlite_s"] = raw_executemany(folder / "raw.db", rows_by_table)
    raw_cpu = RAW_CPU[-1] if RAW_CPU else None  # (None: raw_executemany replaced by a test)
    result["import_vs_raw"] = result["import_s"] / result["raw_sqlite_s"]
    # CPU time (a machine shared with other work swings the wall-clock ratio 2x between runs):
    # the importing process's own, and its worker processes' (exchange/pool.py) beside it.
    result["import_cpu_s"] = child["cpu_s"]
    result["import_workers_cpu_s"] = child["workers_cpu_s"]
    result["raw_sqlite_cpu_s"] = raw_cpu
    result["import_cpu_vs_raw_cpu"] = child["cpu_s"] / raw_cpu if raw_cpu else None
    result["commit_vs_raw"] = commit_s / result["raw_sqlite_s"]

    start = time.perf_counter()
    exported = export_package(store, "DLA", folder / "upward.levpkg")
    result["export_s"] = time.perf_counter() - start
    result["upward_package_mb"] = round(exported.size / 1024**2, 2)
    store.dispose()
    if not upward_import:
        return result

    top = _store(folder / "top.db", "national", "DLA")
    start, cpu = time.perf_counter(), time.process_time()
    plan = importer.preview(top, [exported.path])
    outcome = importer.commit(top, plan, trust=True)
    result["upward_import_s"] = time.perf_counter() - start
    if raw_cpu:
        result["upward_import_cpu_vs_raw_cpu"] = (time.process_time() - cpu) / raw_cpu
    assert outcome.counts()["new"] >= result["records"], outcome.counts()
    result["upward_import_vs_raw"] = result["upward_import_s"] / result["raw_sqlite_s"]
    top.dispose()

    start = time.perf_counter()
    again = importer.preview(_reopen(folder / "top.db"), [exported.path])
    result["reimport_check_s"] = time.perf_counter() - start
    assert again.packages[0].status == importer.Status.DUPLICATE
    return result


def _import_in_child(db: Path, files: list[Path]) -> dict:
    """Preview + commit of ``files`` into ``db`` in a fresh process: times and peak memory."""
    listing = db.with_suffix(".files.json")
    listing.write_text(json.dumps([str(f) for f in files]), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--import-child", str(db), str(listing)],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"import process failed:\n{run.stderr}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def _import_child(db: Path, listing: Path) -> dict:
    from lev_desktop.exchange import importer

    files = [Path(f) for f in json.loads(listing.read_text(encoding="utf-8"))]
    store = _reopen(db)
    cpu = time.process_time()
    start = time.perf_counter()
    plan = importer.preview(store, files)
    preview_s = time.perf_counter() - start
    start = time.perf_counter()
    outcome = importer.commit(store, plan, trust=True)
    commit_s = time.perf_counter() - start
    cpu = time.process_time() - cpu
    store.dispose()
    peak = _peak_kib()
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the pool's, once it stopped
    return {
        "preview_s": preview_s,
        "commit_s": commit_s,
        "cpu_s": cpu,
        "workers_cpu_s": workers.ru_utime + workers.ru_stime,
        "workers_peak_mb": workers.ru_maxrss / 1024,  # (includes this process at the spawn)
        "peak_mb": peak / 1024,
        "imported": len(outcome.imported),
        "refused": [p.reason for p in outcome.refused][:3],
        "new": outcome.counts()["new"],
    }


def _peak_kib() -> float:
    """The peak resident set of this process's own memory, in KiB.

    Not ``ru_maxrss``: on Linux it keeps the high-water mark from before ``exec``, i.e. the
    size of the parent at the fork (this bench, holding every generated row: ~730 MB at the
    nation), whatever the import used. ``VmHWM`` is the high-water mark of this address space."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1])
    except OSError:
        pass
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # (not Linux)


def _reopen(path: Path):
    from db.store import Store

    return Store(path)


def _for_display(result: dict) -> dict:
    """Rounded for reading only: times and ratios are kept unrounded in the results, since a
    quiet machine times a tiny size at well under 5 ms and rounding first would divide by 0."""
    return {
        key: round(value, 3) if isinstance(value, float) else value for key, value in result.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "sizes",
        nargs="*",
        default=["district", "province"],
        help="district, province, nation, or a number of LAOs",
    )
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", help="write the results here")
    parser.add_argument(
        "--no-upward-import",
        action="store_true",
        help="skip importing the upward package one level up (saves time)",
    )
    parser.add_argument("--import-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.import_child:
        db, listing = (Path(a) for a in args.import_child)
        print(json.dumps(_import_child(db, listing)), flush=True)
        return 0
    results = []
    for size in args.sizes:
        count = SIZES.get(size) or int(size)
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory(prefix=f"levbench-{size}-") as tmp:
                result = run_size(size, count, Path(tmp), upward_import=not args.no_upward_import)
            print(json.dumps(_for_display(result), ensure_ascii=False), flush=True)
            results.append(result)
            if args.json:
                Path(args.json).write_text(
                    json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
                )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
