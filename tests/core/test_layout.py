"""Each top-level folder is the import package of the same name, loaded from this checkout
and only once (no remapping that tools cannot follow, no second copy under another name)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("lev_desktop", "ui", "db", "exports", "resources")


def test_every_package_is_its_own_folder():
    code = (
        "import importlib, json\n"
        f"names = {PACKAGES!r}\n"
        "print(json.dumps({n: importlib.import_module(n).__path__[0] for n in names}))\n"
    )
    # From elsewhere (not the checkout), as the installed `lev` command runs.
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/")
    assert run.returncode == 0, run.stderr
    import json

    found = {name: Path(path).resolve() for name, path in json.loads(run.stdout).items()}
    assert found == {name: ROOT / name for name in PACKAGES}


def test_a_module_is_loaded_once():
    code = (
        "import sys\n"
        "import db.models, db.store, ui.workers, exports.pdf\n"
        "dupes = [m for m in sys.modules if m.startswith('lev_desktop.') and "
        "m.split('.')[1] in ('ui', 'db', 'exports', 'resources')]\n"
        "assert not dupes, dupes\n"
        "import lev_desktop.services.plans\n"
        "assert sys.modules['db.models'] is db.models\n"
        "print('ok')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
