"""Translation catalogue maintenance: ``python3 dev.py i18n [--check] [--area NAME]``.

Extracts every ``_()``, ``N_()`` and ``ngettext()`` string from the source folders with
Babel, writes ``resources/locale/lev.pot`` and adds the msgids that no Thai catalogue has yet
to ``resources/locale/th/LC_MESSAGES/<area>.po`` (default area ``core``) with an empty
translation, for a translator to fill. ``--check`` only lists what is untranslated and
exits 1 if anything is (the test suite runs the same check).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SOURCE_FOLDERS = ("lev_desktop", "ui", "db", "exports")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
LOCALE = ROOT / "resources" / "locale"


def extract() -> dict[str, list[tuple[str, int]]]:
    """msgid → [(file, line)] for every marked string in the source."""
    found: dict[str, list[tuple[str, int]]] = {}
    for folder in SOURCE_FOLDERS:
        base = ROOT / folder
        if not base.is_dir():
            continue
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(base), method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                found.setdefault(msgid, []).append((f"{folder}/{filename}", lineno))
    # argparse's own words ("usage:", "error:", "the following arguments are required"), which
    # the help and the errors of ``lev`` and ``lev-desktop`` show (exports.plain_text), in the
    # words of the Python that runs here.
    for lineno, message, _comments, _context in extract_from_file(
        "python", argparse.__file__, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, []).append(("argparse", lineno))
    return found


def _first(text: str | tuple[str, ...] | list[str]) -> str:
    """The singular of a plural message, or the message."""
    return text if isinstance(text, str) else text[0]


def translated(language: str = "th") -> dict[str, str]:
    out: dict[str, str] = {}
    folder = LOCALE / language / "LC_MESSAGES"
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if message.id and message.string:
                msgid = _first(message.id)
                text = _first(message.string)
                if text:
                    out[msgid] = text
    return out


def missing(language: str = "th") -> dict[str, list[tuple[str, int]]]:
    have = translated(language)
    return {msgid: where for msgid, where in extract().items() if msgid not in have}


def dead(language: str = "th") -> dict[str, list[str]]:
    """Catalogue entries no source string uses any more: catalogue → msgids."""
    used = set(extract())
    out: dict[str, list[str]] = {}
    for po in sorted((LOCALE / language / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as handle:
            unused = [
                _first(m.id)
                for m in read_po(handle, locale=language)
                if m.id and _first(m.id) not in used
            ]
        if unused:
            out[po.stem] = unused
    return out


def _write_pot(messages: dict[str, list[tuple[str, int]]]) -> None:
    catalog = Catalog(project="LEV Desktop", charset="utf-8")
    for msgid, where in sorted(messages.items()):
        catalog.add(msgid, locations=where)
    with (LOCALE / "lev.pot").open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True)


def add_missing(area: str, language: str = "th") -> int:
    todo = missing(language)
    if not todo:
        return 0
    path = LOCALE / language / "LC_MESSAGES" / f"{area}.po"
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
    else:
        catalog = Catalog(locale=language, project="LEV Desktop", charset="utf-8")
    for msgid, where in todo.items():
        if msgid not in catalog:
            catalog.add(msgid, "", locations=where)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100)
    return len(todo)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dev.py i18n")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--area", default="core")
    args = parser.parse_args(argv)
    messages = extract()
    if args.check:
        todo = missing()
        for msgid, where in todo.items():
            print(f"{where[0][0]}:{where[0][1]}: {msgid}")
        print(f"{len(messages)} strings, {len(todo)} without Thai translation")
        return 1 if todo else 0
    _write_pot(messages)
    added = add_missing(args.area)
    print(f"{len(messages)} strings; {added} new ones added to th/{args.area}.po for translation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
