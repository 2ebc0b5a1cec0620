"""Smoke test of a built bundle or an installed copy (Windows or Linux), standard library only:

    python packaging/windows/smoke.py dist/lev-desktop

Checks, each against the programs in FOLDER: the version; demo data in a new database; the
programmes listed in Thai; a PDF report made; the window opens on the demo database and paints
its first screen (then quits); fonts and Thai line-break opportunities (``--self-check``,
written to a file: the windowed program has no console on Windows). Exit 0 when all pass.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SUFFIX = ".exe" if os.name == "nt" else ""


def main(folder: str) -> int:
    bundle = Path(folder).resolve()
    lev = bundle / f"lev{SUFFIX}"
    window = bundle / f"lev-desktop{SUFFIX}"
    work = Path(tempfile.mkdtemp(prefix="lev-smoke-"))
    env = {**os.environ, "LEV_DATA_DIR": str(work / "data"), "PYTHONIOENCODING": "utf-8"}
    if not sys.platform.startswith("win"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    db = work / "demo.db"
    failures: list[str] = []

    def run(name: str, command: list[str], timeout: int = 600) -> subprocess.CompletedProcess:
        done = subprocess.run(
            command, capture_output=True, text=True, encoding="utf-8", env=env, timeout=timeout
        )
        status = "ok" if done.returncode == 0 else f"FAILED ({done.returncode})"
        print(f"{status}: {name}", flush=True)
        if done.returncode != 0:
            failures.append(name)
            print(done.stdout[-2000:], done.stderr[-4000:], sep="\n", flush=True)
        return done

    def check(name: str, condition: bool, detail: str = "") -> None:
        print(f"{'ok' if condition else 'FAILED'}: {name} {detail}".rstrip(), flush=True)
        if not condition:
            failures.append(name)

    version = run("version", [str(lev), "--version"])
    check("version text", version.stdout.startswith("LEV Desktop"), version.stdout.strip())
    run("demo data", [str(lev), "--db", str(db), "demo"])
    programmes = run("programmes", [str(lev), "--db", str(db), "programmes"])
    check(
        "five programmes in Thai",
        programmes.stdout.count("\n") == 5 and "จังหวัด" in programmes.stdout,
    )
    pdf = work / "แผนปฏิบัติงาน.pdf"
    run(
        "a PDF report",
        [
            *(str(lev), "--db", str(db), "report", "plan", "--office", "4801006"),
            *("--fiscal-year", "2568", "--out", str(pdf)),
        ],
    )
    check("the PDF is there", pdf.exists() and pdf.read_bytes()[:4] == b"%PDF")
    run("the window opens and paints", [str(window), "--db", str(db), "--measure-startup"])
    report = work / "self-check.json"
    run("self-check", [str(window), "--self-check", str(report)], timeout=300)
    result = json.loads(report.read_text("utf-8")) if report.exists() else {}
    check("Sarabun loaded", "Sarabun" in result.get("fonts", []), str(result.get("fonts")))
    check(
        "Thai break opportunities in what the screens show",
        result.get("shown_breaks", 0) >= result.get("words", 99) - 1 >= 5,
        f"{result.get('shown_breaks')} breaks, {result.get('words')} words, "
        f"Qt alone {result.get('qt_breaks')}",
    )
    print("SMOKE", "FAILED: " + ", ".join(failures) if failures else "PASSED", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "dist/lev-desktop"))
