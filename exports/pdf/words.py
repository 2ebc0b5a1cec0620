"""Thai word segmentation (nlpo3, newmm algorithm) with the bundled CC0 word list.

``segment(text)`` returns tokens whose concatenation is ``text``. Thai is split into words;
Latin words, numbers (``1,250.50``), abbreviations in the word list (``ก.พ.``, ``อบต.``) stay
whole; runs of whitespace are tokens of their own. Punctuation that must not begin a line
(``) , . ; : ! ? % ๆ ฯ``) is glued to the token before it, and an opening bracket or quote to
the token after it, so that line breaking never puts them alone at a line edge.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from lev_desktop.paths import resources_dir

_DICT_NAME = "lev_words_th"
_SPACES = re.compile(r"([ \t\r\f\v\u1680\u2000-\u200a\u205f\u3000]+)")
_lock = threading.Lock()
_loaded = False

NO_LINE_START = set(")]}>,.;:!?%ๆฯ\u201d\u2019»…/-")
NO_LINE_END = set("([{<\u201c\u2018«")
LEADING_VOWELS = set("เแโใไ")  # written before their consonant: never end a line
_MARKS = ("Mn", "Mc", "Me")


def word_list_paths() -> list[Path]:
    """PyThaiNLP's CC0 list plus the office abbreviations it lacks (อถล., สถอ. …).

    Only abbreviations: a long compound added as one word would take away the break
    opportunities that narrow table columns need.
    """
    folder = resources_dir() / "data"
    return [folder / "words_th.txt", folder / "words_lev.txt"]


def word_list_path() -> Path:
    """One file with every word, for nlpo3 (which loads a single file)."""
    from lev_desktop.paths import cache_dir

    sources = word_list_paths()
    target = cache_dir() / "words_combined.txt"
    newest = max(p.stat().st_mtime for p in sources)
    if not target.exists() or target.stat().st_mtime < newest:
        tmp = target.with_suffix(".tmp")
        tmp.write_text("\n".join(p.read_text("utf-8").strip() for p in sources) + "\n", "utf-8")
        tmp.replace(target)
    return target


def _ensure_dict() -> None:
    global _loaded
    if _loaded:
        return
    with _lock:
        if not _loaded:
            import nlpo3

            message, ok = nlpo3.load_dict(str(word_list_path()), _DICT_NAME)
            if not ok and "already" not in message.lower():
                raise RuntimeError(message)
            _loaded = True


def _raw_segment(text: str) -> list[str]:
    import nlpo3

    _ensure_dict()
    # safe=True is broken in nlpo3 1.4.0 (measured: tokens overlap and repeat for texts over
    # ~150 characters), so use the normal mode, and check the result anyway.
    tokens = nlpo3.segment(text, _DICT_NAME, False, False)
    if "".join(tokens) != text:  # never seen; degrade to grapheme clusters, never lose text
        tokens = _clusters(text)
    return tokens


def _clusters(text: str) -> list[str]:
    out: list[str] = []
    for i, c in enumerate(text):
        if out and not is_cluster_start(text, i):
            out[-1] += c
        else:
            out.append(c)
    return out


def _pieces(tokens: list[str]) -> Iterator[str]:
    for raw in tokens:
        yield from _SPACES.split(raw)


def _glue(tokens: list[str]) -> list[str]:
    out: list[str] = []
    glue_next = False
    for tok in _pieces(tokens):
        if not tok:
            continue
        space = tok.isspace() and "\u00a0" not in tok
        nbsp = tok[0] == "\u00a0"
        mark = joins_previous(tok[0])
        if (
            out
            and not space
            and not out[-1].isspace()
            and (
                glue_next
                or nbsp
                or mark
                or tok[0] in NO_LINE_START
                or out[-1][-1] in LEADING_VOWELS
            )
        ):
            out[-1] += tok
        else:
            out.append(tok)
        glue_next = not space and (
            tok[-1] in NO_LINE_END or tok[-1] == "\u00a0" or tok[-1] in LEADING_VOWELS
        )
    return out


def _is_thai(c: str) -> bool:
    return "\u0e00" <= c <= "\u0e7f"


_MONTHS = {
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
    "พ.ศ.",
    "ค.ศ.",
}
_DIGITS = set("0123456789๐๑๒๓๔๕๖๗๘๙")


def _keep_together(tokens: list[str]) -> list[str]:
    """Glue what must stay on one line: runs of Latin/digits/punctuation (``lev_desktop/x.py``,
    ``e-mail``), and dates: ``15 ก.พ. 2568``, ``15 กุมภาพันธ์ 2568``, ``พ.ศ. 2568``."""
    out: list[str] = []
    for tok in tokens:
        if out and not tok.isspace() and not out[-1].isspace():
            a, b = out[-1][-1], tok[0]
            if not _is_thai(a) and not _is_thai(b) and not joins_previous(b):
                out[-1] += tok
                continue
        out.append(tok)
    # dates: [number] " " MONTH " " [number]
    i = 0
    merged: list[str] = []
    while i < len(out):
        tok = out[i]
        if tok in _MONTHS and i + 2 < len(out) and out[i + 1] == " " and out[i + 2][:1] in _DIGITS:
            if len(merged) >= 2 and merged[-1] == " " and merged[-2][-1:] in _DIGITS:
                merged.pop()
                merged[-1] += " " + tok
            else:
                merged.append(tok)
            merged[-1] += " " + out[i + 2]
            i += 3
            continue
        if tok in _MONTHS and len(merged) >= 2 and merged[-1] == " " and merged[-2][-1:] in _DIGITS:
            merged.pop()
            merged[-1] += " " + tok
            i += 1
            continue
        merged.append(tok)
        i += 1
    return merged


@lru_cache(maxsize=65536)
def _segment_cached(text: str) -> tuple[str, ...]:
    tokens: list[str] = []
    for i, part in enumerate(text.split("\n")):
        if i:
            tokens.append("\n")
        if part:
            tokens.extend(_raw_segment(part))
    return tuple(_keep_together(_glue(tokens)))


def segment(text: str) -> list[str]:
    """Split ``text`` into words and whitespace runs; ``"".join(result) == text``."""
    if not text:
        return []
    return list(_segment_cached(text))


def joins_previous(c: str) -> bool:
    """Is ``c`` a mark (or ำ, a joiner) that belongs to the character before it?"""
    if c in _NON_STARTERS or "\u0e31" <= c <= "\u0e3a" or "\u0e47" <= c <= "\u0e4e":
        return c != "\u0e32"  # า is a spacing vowel
    return _category(c) in _MARKS


def is_cluster_start(text: str, i: int) -> bool:
    """May a line be broken before ``text[i]`` without separating a mark from its base?"""
    if i <= 0 or i >= len(text):
        return i == 0
    return not joins_previous(text[i])


_NON_STARTERS = {"\u0e33", "\u200d", "\u200c", "\ufe0f"}


@lru_cache(maxsize=4096)
def _category(c: str) -> str:
    import unicodedata

    return unicodedata.category(c)


_words_set: frozenset[str] | None = None


def dictionary_words() -> frozenset[str]:
    """The bundled word list as a set (loaded once, on first need)."""
    global _words_set
    if _words_set is None:
        with _lock:
            if _words_set is None:
                text = word_list_path().read_text("utf-8")
                _words_set = frozenset(w.strip() for w in text.splitlines() if w.strip())
    return _words_set
