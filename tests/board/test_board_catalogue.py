"""Every message of the board area has a Thai translation in board.po, placeholders intact."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
FILES = [
    ROOT / "lev_desktop" / "services" / "consolidation.py",
    ROOT / "lev_desktop" / "cli" / "board.py",
    ROOT / "ui" / "widgets" / "board.py",
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


def test_every_board_message_is_translated():
    po = ROOT / "resources" / "locale" / "th" / "LC_MESSAGES" / "board.po"
    assert "charset=UTF-8" in po.read_text(encoding="utf-8")
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="th")
    translated = {m.id: m.string for m in catalog if m.id}
    wanted = set().union(*(_msgids(f) for f in FILES))
    assert len(wanted) > 60
    assert not sorted(m for m in wanted if not translated.get(m))
    for msgid in wanted:
        assert set(re.findall(r"\{\w+\}", msgid)) == set(re.findall(r"\{\w+\}", translated[msgid]))
