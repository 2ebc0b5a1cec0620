"""The benchmark script runs (a tiny size); the real sizes are run by hand (bench/)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_script_small_size(tmp_path: Path):
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "exchange_bench.py"), "3", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(out.read_text(encoding="utf-8"))[0]
    assert result["laos"] == 3 and result["records"] > 200
    assert result["import_s"] > 0 and result["raw_sqlite_s"] > 0 and result["export_s"] > 0


def test_bench_ratios_survive_a_quick_machine(tmp_path: Path, monkeypatch):
    """A quiet machine writes 3 LAOs' rows in a few milliseconds: the ratios are computed from
    unrounded times (rounding to 0.00 first divided by zero and failed CI)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "exchange_bench", ROOT / "bench" / "exchange_bench.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    monkeypatch.setenv("LEV_DATA_DIR", str(tmp_path / "data"))  # restored after the test
    monkeypatch.setattr(bench, "raw_executemany", lambda path, rows: 0.004)
    result = bench.run_size("tiny", 3, tmp_path, upward_import=False)
    assert result["raw_sqlite_s"] == 0.004
    assert result["import_vs_raw"] == result["import_s"] / 0.004
    assert result["commit_vs_raw"] == result["import_commit_s"] / 0.004
