"""Every string marked for translation reaches the catalogue tools: a ``_()`` inside an f-string
is invisible to Babel's extractor on Python 3.11, so it never got a Thai translation and the
untranslated-strings test could not see it (Settings › โครงการ showed "Obligations")."""

from __future__ import annotations

import ast
from pathlib import Path

from lev_desktop.i18n_tools import ROOT, SOURCE_FOLDERS, extract

MARKERS = {"_", "N_"}


def marked_strings() -> dict[str, str]:
    """msgid → "file:line" of every ``_("…")`` / ``N_("…")`` with a literal, f-strings too."""
    found: dict[str, str] = {}
    for folder in SOURCE_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in MARKERS
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    where = f"{Path(path).relative_to(ROOT)}:{node.lineno}"
                    found.setdefault(node.args[0].value, where)
    return found


def test_no_marked_string_is_hidden_from_the_extractor():
    extracted = set(extract())
    hidden = {msgid: where for msgid, where in marked_strings().items() if msgid not in extracted}
    assert hidden == {}
