"""The core (domain, storage, deadlines, exchange, reports) never imports Qt."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE_FOLDERS = ["lev_desktop", "db", "exports"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_core_file_imports_qt_or_ui():
    offenders = []
    for folder in CORE_FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            for name in _imports(path):
                if name.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6", "ui"):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_core_modules_load_without_qt_in_a_fresh_interpreter():
    code = (
        "import sys, pkgutil, importlib\n"
        "import lev_desktop, db, exports\n"
        "for pkg in (lev_desktop, db, exports):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if '.migrations' in m.name or m.name.endswith('__main__'):\n"
        "            continue\n"
        "        importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")
