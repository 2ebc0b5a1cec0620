"""Every message of the deadline area has a Thai translation in deadlines.po."""

from __future__ import annotations

import ast
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
FILES = [
    *sorted((ROOT / "lev_desktop" / "deadlines").glob("*.py")),
    ROOT / "lev_desktop" / "cli" / "deadlines.py",
    ROOT / "ui" / "screens" / "calendar.py",
    ROOT / "ui" / "screens" / "home.py",
    ROOT / "ui" / "widgets" / "reminder.py",
    *sorted((ROOT / "ui" / "widgets").glob("deadline_*.py")),
    ROOT / "ui" / "widgets" / "month_view.py",
    ROOT / "ui" / "widgets" / "fiscal_timeline.py",
]


def _msgids(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "N_")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def test_every_message_is_translated():
    po = ROOT / "resources" / "locale" / "th" / "LC_MESSAGES" / "deadlines.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="th")
    translated = {m.id: m.string for m in catalog if m.id}
    wanted = set().union(*(_msgids(f) for f in FILES))
    assert len(wanted) > 100
    missing = sorted(m for m in wanted if not translated.get(m))
    assert not missing
    # placeholders survive translation
    for msgid in wanted:
        for name in ("{n}", "{name}", "{path}", "{days}", "{done}", "{total}", "{level}"):
            if name in msgid:
                assert name in translated[msgid], msgid
