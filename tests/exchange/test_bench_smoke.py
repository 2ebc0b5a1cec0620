"""The benchmark script runs (a tiny size); the real sizes are run by hand (bench/)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_script_small_size(tmp_path: Path):
    out = tmp_path / "bench.json"
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "exchange_bench.py"), "3",
                          "--json", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    result = json.loads(out.read_text(encoding="utf-8"))[0]
    assert result["laos"] == 3 and result["records"] > 200
    assert result["import_s"] > 0 and result["raw_sqlite_s"] > 0 and result["export_s"] > 0
