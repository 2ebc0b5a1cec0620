#!/usr/bin/env python3
"""One entry point for a fresh checkout: it makes the virtual environment it needs.

    python3 dev.py run [--demo] [--db PATH]   start LEV Desktop
    python3 dev.py test [pytest args]         run the test suite
    python3 dev.py lint [--fix]               ruff check, ruff format --check, mypy: fails on any
                                              finding (--fix lets ruff fix and format first)
    python3 dev.py lev ARGS                   the command-line tool
    python3 dev.py i18n                       re-extract and update the translation catalogues
    python3 dev.py bundle                     build the PyInstaller one-folder bundle
    python3 dev.py screenshots --out DIR [--size 1366x768] [--scale 1.25]
                                              PNGs of every screen with the demo data
    python3 dev.py help-images                the user manual's pictures (resources/help)

The first call creates ``.venv`` beside this file and installs the pinned dependencies;
later calls reinstall only when pyproject.toml changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".lev-installed"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def wanted_stamp() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml",):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_venv(extras: str = "test") -> Path:
    py = venv_python()
    if not py.exists():
        print("สร้างสภาพแวดล้อม Python (.venv) ครั้งแรก…", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = f"{wanted_stamp()}:{extras}"
    if not STAMP.exists() or STAMP.read_text() != stamp:
        print("ติดตั้งแพ็กเกจที่จำเป็น…", flush=True)
        subprocess.check_call([str(py), "-m", "pip", "install", "-q", "--upgrade", "pip"])
        subprocess.check_call(
            [str(py), "-m", "pip", "install", "-q", "-e", f".[{extras}]"], cwd=ROOT
        )
        STAMP.write_text(stamp)
    return py


def lint(py: Path, *, fix: bool = False) -> int:
    """ruff check, ruff format --check and mypy (configured in pyproject.toml); every step runs
    so that one call shows all findings. With ``--fix`` ruff fixes and formats first."""
    steps = [
        ["-m", "ruff", "check", *(["--fix"] if fix else []), "."],
        ["-m", "ruff", "format", *([] if fix else ["--check"]), "."],
        ["-m", "mypy"],
    ]
    failed = []
    for step in steps:
        print("$ " + " ".join(["python", *step]), flush=True)
        if subprocess.call([str(py), *step], cwd=ROOT) != 0:
            failed.append(step[1] + (" " + step[2] if step[1] == "ruff" else ""))
    if failed:
        print(f"lint: findings from {', '.join(failed)}", file=sys.stderr)
        return 1
    print("lint: clean", flush=True)
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "run":
        py = ensure_venv()
        return subprocess.call([str(py), "-m", "ui.app", *rest], cwd=ROOT)
    if command == "test":
        py = ensure_venv()
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        return subprocess.call([str(py), "-m", "pytest", *rest], cwd=ROOT, env=env)
    if command == "lint":
        py = ensure_venv()
        return lint(py, fix="--fix" in rest)
    if command == "lev":
        py = ensure_venv()
        return subprocess.call([str(py), "-m", "lev_desktop.cli", *rest], cwd=ROOT)
    if command == "i18n":
        py = ensure_venv()
        return subprocess.call([str(py), "-m", "lev_desktop.i18n_tools", *rest], cwd=ROOT)
    if command == "help-images":
        py = ensure_venv()
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        out = ROOT / "resources" / "help" / "images"
        return subprocess.call(
            [str(py), "-m", "ui.screenshots", "--out", str(out), "--width", "760", *rest],
            cwd=ROOT,
            env=env,
        )
    if command == "screenshots":
        py = ensure_venv()
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        return subprocess.call([str(py), "-m", "ui.screenshots", *rest], cwd=ROOT, env=env)
    if command == "bundle":
        py = ensure_venv("test,build")
        if not any((ROOT / "resources" / "help" / "images").glob("*.png")):
            main(["help-images"])  # the manual travels with its pictures
        return subprocess.call(
            [str(py), "-m", "PyInstaller", "--noconfirm", "build.spec", *rest], cwd=ROOT
        )
    print(f"ไม่รู้จักคำสั่ง: {command}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
