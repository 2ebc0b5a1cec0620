"""Thai in fixed-width text: its width in columns, and its lines broken between words.

A terminal (``lev --help``, ``lev-desktop --help``) and a spreadsheet's column widths count
columns, not points: Thai vowel and tone marks above and below a consonant take none.
``argparse`` speaks English and wraps help with ``textwrap``, which breaks only at spaces; Thai
writes none between words, so it cut "รหัสผ่าน" into "รหัสผ่า" / "น" and "ข้อมูล" into "ข้อม" /
"ูล", leaving a vowel mark alone at the start of a line. ``ThaiHelpFormatter`` wraps at the
line-break units of the printed documents (``exports.pdf.words.segment``) instead, and
argparse's own words come from the catalogue ``argparse.po``.
"""

from __future__ import annotations

import argparse
import unicodedata
from typing import Any

from lev_desktop import i18n

# argparse's own words ("usage:", "options", "error:", "the following arguments are required:
# %s") in the interface's language, from the catalogue ``argparse.po``: argparse looks its
# ``_`` and ``ngettext`` up in its module when it speaks, so they are set there, once.
argparse._ = i18n._  # type: ignore[attr-defined]
argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


def display_width(text: str) -> float:
    """Columns of a Thai string: combining marks (above/below vowels, tone marks) take none."""
    longest = 0.0
    for line in str(text).split("\n"):
        width = sum(
            0 if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn" else 1 for ch in line
        )
        longest = max(longest, width)
    return longest


def wrap(text: str, width: int) -> list[str]:
    """``text`` (its whitespace runs as single spaces) in lines of at most ``width`` columns,
    broken only between line-break units. A unit wider than ``width`` gets a line of its own,
    whole (the terminal folds it; a cut inside a word is what this avoids)."""
    from exports.pdf.words import segment  # (ICU and the word list: only when help is shown)

    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for unit in segment(" ".join(text.split())):
        if unit.isspace():
            if line:
                line.append(" ")
                used += 1
            continue
        size = display_width(unit)
        if line and used + size > width:
            lines.append("".join(line).rstrip())
            line, used = [], 0.0
        line.append(unit)
        used += size
    if line:
        lines.append("".join(line).rstrip())
    return lines


class ThaiHelpFormatter(argparse.HelpFormatter):
    """``argparse`` help wrapped between Thai words (``wrap``), the usage's continuation lines
    under its first (argparse counts "วิธีใช้: " as 9 columns; its two marks take none)."""

    def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None) -> str:
        text: str = super()._format_usage(usage, actions, groups, prefix)
        said = argparse._("usage: ") if prefix is None else prefix  # type: ignore[attr-defined]
        extra = len(said) - int(display_width(said))
        if extra <= 0:
            return text
        lines = text.split("\n")
        return "\n".join(
            [
                lines[0],
                *(line[extra:] if line.startswith(" " * extra) else line for line in lines[1:]),
            ]
        )

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))


class ThaiArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help is wrapped by ``ThaiHelpFormatter``; the parsers of its
    sub-commands are of the same class, so theirs is too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ThaiHelpFormatter)
        super().__init__(*args, **kwargs)
