"""Thai line-break units: ICU's line breaker plus the rules of Thai official typesetting.

``segment(text)`` returns tokens whose concatenation is ``text``: the units a line may be
broken between. ``segment_units(text)`` returns the same units with their *inner* break
offsets — where a unit wider than its column is cut, best first (see ``paragraph.py``).

Where the breaks come from (measured against ICU and libthai on a corpus of official letters,
``tests/typeset/test_corpus_breaks.py``):

1. ICU's Thai line breaker (PyICU, the ``pyicu-wheels`` wheel on Windows and Linux): dictionary
   words, and UAX #14 for punctuation — nothing breaks before ``)`` ``,`` ``ๆ`` ``ฯ`` or after an
   opening bracket or quote, straight quotes included. Without PyICU the bundled word list
   (nlpo3, newmm) stands in, with the same rules on top.
2. Rules that only take break opportunities away (each span below is one unit):
   letters-and-dots abbreviations by their form (``อบต.`` ``ร.ต.ท.`` ``ผอ.กสว.`` ``โทร.``),
   ``พ.ศ. ๒๕๖๘`` and dates (``๑๕ ก.พ. ๒๕๖๘``, ``๑๕ กุมภาพันธ์ ๒๕๖๘``), letter numbers
   (``มท ๐๘๒๐.๒/ว ๕๐๓๗``), phone numbers, times; names — an office, place or temple name after
   its prefix (``ทต.นาราชควาย``, ``อำเภอเมืองนครพนม``, ``วัดศรีเทพประดิษฐาราม``, the gazetteer's
   names found even without a following space), a person's first name after the title and the
   surname after it; U+00A0 glues its neighbours; URLs and e-mail addresses; compounds a
   reader reads as one word (``ท้องถิ่น``, ``งบประมาณ``, ``คณะกรรมการ``: the list and its rule
   are in ``resources/data/compounds_th.txt``), found only where ICU's own boundaries fall at
   both ends of the compound.
3. A unit wider than its column is cut at its inner opportunities: ICU's own boundaries inside
   it (inner words of a compound, syllable-like pieces of an unknown name), for a URL only after
   ``/ ? . - &``; failing those, between syllables, and only as a last resort between grapheme
   clusters. Thai is never hyphenated.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from lev_desktop.paths import cache_dir, resources_dir, write_atomically

log = logging.getLogger(__name__)

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
    opportunities that narrow table columns need. Compounds kept whole at line ends are a
    rule on top of the breaker instead (``compounds_th.txt``, ``_compound_spans``): their
    inner breaks stay the cut points of a unit wider than its column.
    """
    folder = resources_dir() / "data"
    return [folder / "words_th.txt", folder / "words_lev.txt"]


def word_list_path() -> Path:
    """One file with every word, for nlpo3 (which loads a single file)."""
    sources = word_list_paths()
    target = cache_dir() / "words_combined.txt"
    newest = max(p.stat().st_mtime for p in sources)
    if not target.exists() or target.stat().st_mtime < newest:
        text = "\n".join(p.read_text("utf-8").strip() for p in sources) + "\n"
        write_atomically(target, lambda handle: handle.write(text.encode("utf-8")))
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


def _nlpo3_segment(text: str) -> list[str]:
    import nlpo3

    _ensure_dict()
    # safe=True is broken in nlpo3 1.4.0 (measured: tokens overlap and repeat for texts over
    # ~150 characters), so use the normal mode, and check the result anyway.
    tokens = nlpo3.segment(text, _DICT_NAME, False, False)
    if "".join(tokens) != text:  # never seen; degrade to grapheme clusters, never lose text
        tokens = _clusters(text)
    return tokens


# ---- ICU ---------------------------------------------------------------------------------

_icu_state = threading.local()
_icu_missing: str | None = None


def _icu_iterator() -> Any:
    """A line-break iterator for this thread (ICU iterators are not thread-safe), or None."""
    global _icu_missing
    if _icu_missing is not None:
        return None
    it = getattr(_icu_state, "it", None)
    if it is None:
        try:
            import icu  # type: ignore[import-untyped]  # PyICU has no stubs

            it = icu.BreakIterator.createLineInstance(icu.Locale("th"))
        except (ImportError, OSError, RuntimeError) as exc:  # missing or broken: word list
            _icu_missing = repr(exc)
            log.warning("PyICU unavailable (%s): Thai line breaks from the word list", exc)
            return None
        _icu_state.it = it
    return it


def breaker_name() -> str:
    """ "icu" or "nlpo3": which breaker the engine uses on this machine."""
    return "icu" if _icu_iterator() is not None else "nlpo3"


def _icu_segment(text: str, it: Any) -> list[str]:
    it.setText(text)
    if text.isascii() or all(ord(c) <= 0xFFFF for c in text):
        bounds = list(it)
    else:  # ICU counts UTF-16 units
        index, units = {}, 0
        for i, ch in enumerate(text):
            index[units] = i
            units += 2 if ord(ch) > 0xFFFF else 1
        index[units] = len(text)
        bounds = [index[b] for b in it]
    out, prev = [], 0
    for b in bounds:
        if b > prev:
            out.append(text[prev:b])
            prev = b
    if prev < len(text):
        out.append(text[prev:])
    return out


def _raw_segment(text: str) -> list[str]:
    it = _icu_iterator()
    if it is None:
        return _nlpo3_segment(text)
    return _icu_segment(text, it)


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


# ---- keep-together rules ---------------------------------------------------------------------

_D = "0-9\u0e50-\u0e59"
_MONTH_NAMES = (
    "มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม"
)
_MONTH_ABBR = (
    r"ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\."
)
_MONTHS_RE = f"(?:{_MONTH_NAMES}|{_MONTH_ABBR})"
_SPAN_PATTERNS = [
    # dates: "15 ก.พ. 2568", "๑๕ กุมภาพันธ์ พ.ศ. ๒๕๖๘", "กุมภาพันธ์ ๒๕๖๘", "๑๕ ก.ย."
    rf"(?:[{_D}]{{1,2}}[ \u00a0])?{_MONTHS_RE}(?:[ \u00a0](?:พ\.ศ\.[ \u00a0]?)?[{_D}]{{4}})",
    rf"[{_D}]{{1,2}}[ \u00a0]{_MONTHS_RE}",
    # the era and its year
    rf"(?:พ|ค)\.ศ\.[ \u00a0]?[{_D}]{{2,4}}",
    # letter numbers: "มท ๐๘๒๐.๒/ว ๕๐๓๗", "ที่ นพ ๐๐๒๓.๖/ว ๕๘๗", "ทส 1011.4/12932"
    rf"[ก-ฮ]{{2}}[ \u00a0][{_D}]{{3,4}}(?:\.[{_D}]+)*/(?:ว[ \u00a0]?)?[{_D}]*",
    # phone numbers: "๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๒๑๑๒", "๐๘ ๑๒๓๔ ๕๖๗๘", "๐-๕๔๕๓-๔๑๑๙"
    rf"(?<![{_D}])[{_D}]{{1,3}}(?:[ \-][{_D}]{{3,4}}){{1,3}}"
    rf"(?:[ \u00a0]ต่อ[ \u00a0][{_D}]+)?(?![{_D}])",
    rf"ต่อ[ \u00a0][{_D}]+",
    # times: "๐๙.๓๐ น.", "๐๙.๐๐–๑๖.๓๐ น."
    rf"[{_D}]{{1,2}}[.:][{_D}]{{2}}(?:[–-][{_D}]{{1,2}}[.:][{_D}]{{2}})?[ \u00a0]น\.",
    # a run of Latin letters, digits and punctuation: e-mail, 1,250.50, a file path (cut
    # after its "/" only when wider than the column)
    r"[!-~]*[A-Za-z0-9][!-~]*",
    # no-break space glues its neighbours
    r"\S?\u00a0+\S?",
]
_SPAN_RE = re.compile("|".join(f"(?:{p})" for p in _SPAN_PATTERNS))
_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"“”‘’]+[^\s<>\"“”‘’.,;:!?)\]]|[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
)
URL_BREAK_AFTER = "/?.-&"

# The types of LAO written out, kept whole also with no name after them ("ของ
# องค์การบริหารส่วนจังหวัด (ข้อ ๑.๔)", F4's heading, ended a line after "ส่วน").
_LAO_TYPES = frozenset(
    {"องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนจังหวัด", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร"}
)
# The prefixes of an area (a province, district or subdistrict) or of its office: the
# gazetteer lists every area by name (77 provinces, 928 districts, 7,436 subdistricts), so
# only its names follow them as names. After the others (an LAO's type, whose name may be
# none of the gazetteer's) the run to the next space is a name too. Without this rule the
# run after "อำเภอ" was taken for a district however it read: "อำเภอรวบรวมรายงาน" (a
# duty: the district collects the reports), "เขตพื้นที่รับผิดชอบ", "ตำบลละ" stayed one
# unbreakable word.
_AREA_PREFIXES = frozenset(
    {
        "ท้องถิ่นอำเภอ",
        "ท้องถิ่นจังหวัด",
        "นายอำเภอ",
        "ผู้ว่าราชการจังหวัด",
        "กิ่งอำเภอ",
        "จังหวัด",
        "อำเภอ",
        "ตำบล",
        "แขวง",
        "เขต",
        "สถอ.",
        "สถจ.",
        "จ.",
        "อ.",
        "ต.",
    }
)
# Prefixes that introduce a place's name (an LAO's type, written out or abbreviated, or an
# area's). The name runs to the next space (or is the longest name of the gazetteer right
# after the prefix, which needs no space).
_LAO_PREFIXES = _LAO_TYPES | {"อบต.", "อบจ.", "ทต.", "ทม.", "ทน."}
_PLACE_PREFIXES = tuple(sorted(_LAO_PREFIXES | _AREA_PREFIXES))
_PERSON_PREFIXES = (
    "นางสาว",
    "นาง",
    "นาย",
    "ว่าที่ร้อยตรี",
    "ว่าที่ ร.ต.",
    "พระครู",
    "พระมหา",
    "พระอธิการ",
    "ดร.",
    "ร.ต.ท.",
    "ร.ต.อ.",
    "พ.ต.อ.",
    "พ.ต.ท.",
    "จ.ส.อ.",
)
_TEMPLE_PREFIXES = ("วัด",)
_NAME_STOP_WORDS = frozenset(
    {"และ", "ให้", "ของ", "กับ", "เพื่อ", "โดย", "จาก", "ได้", "เป็น", "การ", "ซึ่ง", "แล้ว"}
    | {"ร่วม", "ความ", "ที่", "จะ", "ไม่", "มี"}
)
_NAME_MAX = 22  # a longer run after a prefix is ordinary text, not a name
_NAME_END = re.compile(r"[\s()\[\]{}\"“”‘’,;:!?/]")


@lru_cache(maxsize=1)
def _place_names() -> tuple[frozenset[str], int]:
    """Province, district and subdistrict names of the gazetteer (GeoThai)."""
    from lev_desktop import gazetteer

    names: set[str] = set()
    for p in gazetteer.provinces():
        names.add(p.name_th)
        for d in gazetteer.districts(p.code):
            names.add(d.name_th)
            names.add(d.name_th.removeprefix("เขต"))
            for s in gazetteer.subdistricts(d.code):
                names.add(s.name_th)
    names.discard("")
    return frozenset(names), max(len(n) for n in names)


_PREFIX_RE = re.compile(
    "|".join(
        re.escape(p)
        for p in sorted(
            _PLACE_PREFIXES + _PERSON_PREFIXES + _TEMPLE_PREFIXES, key=len, reverse=True
        )
    )
)


_ABBR_RE = re.compile(r"(?:[\u0e01-\u0e2e\u0e30-\u0e4e]{1,5}\.)+")
_THAI_LETTERS = re.compile(r"[\u0e01-\u0e4e]+$")


@lru_cache(maxsize=8192)
def _reading(text: str) -> tuple[int, ...] | None:
    """Word ends of ``text`` read as the fewest words of the bundled list (two letters or
    more each); None when it cannot be read as words."""
    if not text:
        return ()
    words = dictionary_words()
    n = len(text)
    inf = n + 1
    best = [0] + [inf] * n
    back = [0] * (n + 1)
    for i in range(2, n + 1):
        for k in range(2, min(_longest_word, i) + 1):
            if best[i - k] + 1 < best[i] and text[i - k : i] in words:
                best[i] = best[i - k] + 1
                back[i] = i - k
    if best[n] >= inf:
        return None
    ends = []
    i = n
    while i > 0:
        ends.append(i)
        i = back[i]
    return tuple(reversed(ends))


def _abbreviation_spans(text: str) -> list[tuple[int, int]]:
    """Letters-and-dots abbreviations by their form — one to five Thai letters and a dot,
    repeated (อบต., ร.ต.ท., ผอ.กสว., โทร., อถล.) — also when glued to the word before them
    (เครือข่ายอถล.: the abbreviation begins where the text before it reads as the fewest
    words, and those words are kept whole too). Dotted leaders (เดือน.......) are not
    abbreviations."""
    spans = []
    for m in _ABBR_RE.finditer(text):
        start, end = m.span()
        if text[end : end + 1] == ".":
            continue
        if start > 0 and "\u0e01" <= text[start - 1] <= "\u0e4e":
            run = _THAI_LETTERS.search(text, 0, start)
            run_start = run.start() if run else start
            first_dot = text.index(".", start)
            readings = [  # fewest words first, then the shorter abbreviation
                (len(ends), -s, ends)
                for s in range(max(run_start, first_dot - 5), first_dot)
                if (ends := _reading(text[run_start:s])) is not None
            ]
            if not readings:
                continue  # not readable as words + abbreviation: leave it to the breaker
            _count, start, ends = min(readings)
            start = -start
            prev = run_start
            for e in ends:
                spans.append((prev, run_start + e))
                prev = run_start + e
        spans.append((start, end))
    return spans


@lru_cache(maxsize=1)
def _compounds() -> tuple[frozenset[str], int, frozenset[str]]:
    """The compounds kept whole at line ends (``resources/data/compounds_th.txt``, where the
    rule for which words belong there is written), the length of the longest, and their first
    two letters (a quick test before looking a span up)."""
    path = resources_dir() / "data" / "compounds_th.txt"
    words = frozenset(
        w
        for line in path.read_text("utf-8").splitlines()
        if (w := line.strip()) and not w.startswith("#")
    )
    return words, max((len(w) for w in words), default=0), frozenset(w[:2] for w in words)


@lru_cache(maxsize=64)
def _compounds_ending(prefix: str) -> tuple[str, ...]:
    """The listed compounds that end with ``prefix`` and are longer (ตัวชี้วัด, การวัด for วัด)."""
    words = _compounds()[0]
    return tuple(w for w in words if w.endswith(prefix) and w != prefix)


_COMPOUND_PARTS = 5  # ICU tokens in a compound at most (เท|อร์|มิ|นัล)


def _compound_spans(line: str, bounds: list[int]) -> list[tuple[int, int]]:
    """Listed compounds in ``line`` that begin and end at a boundary of ``bounds`` (the unit
    ends, in order, 0 first) — never a compound read across another word's edge (อันตราย|ได้
    holds no รายได้) — the longest first, left to right, not overlapping. Brackets and
    punctuation glued to a compound's ends (``(เทียบ|ตัว|ชี้|วัด)``: nothing breaks before
    ")") count as its edge: ``ตัวชี้วัด)`` is the compound and its bracket."""
    words, longest, heads = _compounds()
    spans = []
    i, n = 0, len(bounds)
    while i < n - 1:
        start = bounds[i]
        head = start
        while head < bounds[i + 1] and line[head] in NO_LINE_END:
            head += 1
        if line[head : head + 2] not in heads:
            i += 1
            continue
        top = i + 2  # the bounds a listed compound may end at: bounds[i + 2 : top]
        while top < n and top <= i + _COMPOUND_PARTS and bounds[top] - head <= longest + 2:
            top += 1
        for j in range(top - 1, i + 1, -1):  # the longest first
            if line[head : bounds[j]].rstrip(_CLOSING) in words:
                spans.append((start, bounds[j]))
                i = j
                break
        else:
            i += 1
    return spans


_CLOSING = "".join(sorted(NO_LINE_START))


def _compound_cuts(line: str, bounds: list[int]) -> set[int]:
    """Where a breaker's token hides the start of a listed compound behind a longer word of
    its own: ICU reads ค่าตัว|ชี้วัด ("fee" | "indicate") where a reader reads ค่า|ตัวชี้วัด
    ("value" | "indicator"). The token is cut where the compound begins when what comes
    before it in the token is a word of the dictionary and the rest of the compound, after
    the token, is a listed compound too (ชี้วัด): the breaker's boundary then falls inside
    two listed readings and the longer one is kept whole (``_compound_spans``). Narrow on
    purpose: อันตราย|ได้ is not read อันต|รายได้ (ได้ is no listed compound)."""
    words, longest, heads = _compounds()
    dictionary = dictionary_words()
    cuts: set[int] = set()
    for i in range(len(bounds) - 2):
        a, b = bounds[i], bounds[i + 1]
        for p in range(a + 1, b - 1):
            if line[p : p + 2] not in heads or not is_cluster_start(line, p):
                continue
            if line[a:p] not in dictionary:
                continue
            ends = [e for e in bounds[i + 2 : i + 2 + _COMPOUND_PARTS] if e - p <= longest + 2]
            if any(
                line[p:e].rstrip(_CLOSING) in words and line[b:e].rstrip(_CLOSING) in words
                for e in ends
            ):
                cuts.add(p)
                break
    return cuts


def _run_to_space(text: str, start: int) -> int:
    m = _NAME_END.search(text, start)
    return m.start() if m else len(text)


def _name_spans(
    text: str, starts: set[int], compounds: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Spans of names: prefix + name, and a person's surname after the first name.

    A prefix begins a name only where it begins a word: at a unit start, not inside a compound
    of ``compounds``, and not as the end of a listed compound (``วัด`` ends ตัวชี้วัด, ชี้วัด,
    การวัด: ตัวชี้วัด|จังหวัดสะอาด holds no temple)."""
    in_compound = {p for a, b in compounds for p in range(a + 1, b)}
    spans: list[tuple[int, int]] = []
    names, longest = _place_names()
    pos = 0
    while True:
        m = _PREFIX_RE.search(text, pos)
        if m is None:
            break
        pos = m.end()
        prefix, at, after = m.group(), m.start(), m.end()
        if at > 0 and at not in starts and _is_thai(text[at - 1]) and text[at - 1] != ".":
            continue  # the prefix must begin a unit (not "ระหว่าง|วัด" inside a word)
        if at in in_compound or any(text.endswith(w, 0, after) for w in _compounds_ending(prefix)):
            continue  # the end of a word (ตัวชี้|วัด), not the start of a name
        end = None
        if prefix in _PLACE_PREFIXES:  # the gazetteer's longest name right after the prefix
            for n in range(min(longest, len(text) - after), 2, -1):
                found = text[after : after + n]
                if found in names and found not in _NAME_STOP_WORDS:  # (a ตำบลและ exists)
                    end = after + n
                    break
        run_end = _run_to_space(text, after)
        run = text[after:run_end]
        if (
            prefix not in _AREA_PREFIXES
            and 1 < len(run) <= _NAME_MAX
            and _is_thai(run[0])
            and run_end > (end or 0)
        ):
            inner = [s - after for s in sorted(starts) if after < s < run_end]
            parts = set(_split_at(run, inner))
            if prefix in _LAO_PREFIXES:
                end = _lao_name_end(end, run_end, parts, starts)
            elif not (parts & _NAME_STOP_WORDS):
                end = run_end
        if end is None:
            if prefix in _LAO_TYPES:  # the type alone: "ส่วน" / "จังหวัด" read as a province
                spans.append((at, after))
            continue
        spans.append((at, end))
        pos = end
        if prefix in _PERSON_PREFIXES and text[end : end + 1] == " ":
            surname_end = _run_to_space(text, end + 1)
            if 1 < surname_end - end - 1 <= _NAME_MAX and _is_thai(text[end + 1]):
                spans.append((end + 1, surname_end))
                pos = surname_end
    return spans


def _lao_name_end(found: int | None, run_end: int, parts: set[str], starts: set[int]) -> int | None:
    """Where an LAO's name ends after its type, in the run up to the next space (split at the
    breaker's ``parts``): the gazetteer's name there (``found``: an LAO is named after its
    subdistrict, town or province) with at most one word more (หนองบัวลำภู|เหนือ), not the
    sentence glued to it ("อบต.บ้านใหม่จัดอบรม" was one unbreakable unit); a run with a place's
    or an LAO's word in it is text (เทศบาลตำบลส่งอำเภอ: the municipality sends to the
    district), and so is one with a stop word. A name the gazetteer does not know runs to the
    space, as before."""
    if parts & _NAME_STOP_WORDS or parts & set(_PLACE_PREFIXES):
        return found
    if found is None or sum(1 for s in starts if found < s < run_end) == 0:
        return run_end
    return found


def _split_at(text: str, offsets: list[int]) -> list[str]:
    out, prev = [], 0
    for o in offsets:
        out.append(text[prev:o])
        prev = o
    out.append(text[prev:])
    return out


def _url_inner(unit: str) -> tuple[int, ...]:
    """Break offsets inside a URL or e-mail address: after / ? . - & (a path "/" first)."""
    first = [i + 1 for i, c in enumerate(unit[:-1]) if c in "/?" and unit[i + 1] not in "/"]
    second = [i + 1 for i, c in enumerate(unit[:-1]) if c in ".-&@" and unit[i + 1] not in "/"]
    return tuple(first) + tuple(second)


def url_pieces(url: str) -> list[str]:
    """The pieces a URL may be broken into (after / ? . - &): the widest is the narrowest
    column that shows the URL without cutting inside a name or an ID."""
    cuts = sorted(set(_url_inner(url)))
    return [p for p in _split_at(url, cuts) if p]


# A unit of a line: (text, inner break offsets in reading order)
Unit = tuple[str, tuple[int, ...]]


def _units_of_line(line: str) -> list[Unit]:
    tokens = _glue(_raw_segment(line))
    abbreviations = _abbreviation_spans(line) if "." in line else []
    if abbreviations:  # an abbreviation glued to Thai letters is a unit of its own
        edges = {e for span in abbreviations for e in span if 0 < e < len(line)}
        edges = {e for e in edges if _is_thai(line[e - 1]) or line[e - 1] == "."}
        edges = {e for e in edges if _is_thai(line[e])}
        tokens = _split_tokens(tokens, edges)
    bounds = []
    at = 0
    for tok in tokens:
        at += len(tok)
        bounds.append(at)
    if len(tokens) > 1 and any(_is_thai(c) for c in line):
        cuts = _compound_cuts(line, [0, *bounds])
        if cuts:
            tokens = _split_tokens(tokens, cuts)
            bounds = sorted({*bounds, *cuts})
    starts = {0} | set(bounds)
    keep: list[tuple[int, int]] = [m.span() for m in _SPAN_RE.finditer(line)]
    keep += abbreviations
    urls = [m.span() for m in _URL_RE.finditer(line)]
    keep += urls
    if any(_is_thai(c) for c in line):
        compounds = _compound_spans(line, [0, *bounds])
        keep += compounds
        keep += _name_spans(line, starts, compounds)
    if not keep:
        return [(t, ()) for t in tokens]
    blocked: set[int] = set()
    for a, b in keep:
        blocked.update(range(a + 1, b))
    url_at = dict(urls)
    units: list[Unit] = []
    cur, cur_start = "", 0
    inner: list[int] = []
    at = 0
    for tok in tokens:
        if cur and at not in blocked:
            units.append(_finish_unit(cur, cur_start, inner, url_at))
            cur, cur_start, inner = "", at, []
        elif cur:
            inner.append(at - cur_start)
        cur += tok
        at += len(tok)
    if cur:
        units.append(_finish_unit(cur, cur_start, inner, url_at))
    return units


def _split_tokens(tokens: list[str], cuts: set[int]) -> list[str]:
    out: list[str] = []
    at = 0
    for tok in tokens:
        inside = sorted(c - at for c in cuts if at < c < at + len(tok))
        out.extend(p for p in _split_at(tok, inside) if p)
        at += len(tok)
    return out


def _finish_unit(text: str, start: int, inner: list[int], url_at: dict[int, int]) -> Unit:
    # a unit made whole by the rules: its spaces are its best inner breaks, then ICU's
    # boundaries in reading order (the cut picks the last that fits)
    for a, b in url_at.items():
        if a <= start < b or start <= a < start + len(text):
            lo = max(a, start) - start
            hi = min(b, start + len(text)) - start
            url = _url_inner(text[lo:hi])
            return text, tuple(sorted({lo + o for o in url if lo + o < len(text)}))
    return text, tuple(inner)


@lru_cache(maxsize=65536)
def _units_cached(text: str) -> tuple[Unit, ...]:
    out: list[Unit] = []
    for i, part in enumerate(text.split("\n")):
        if i:
            out.append(("\n", ()))
        if part:
            out.extend(_units_of_line(part))
    return tuple(out)


def segment_units(text: str) -> list[Unit]:
    """``segment`` with each unit's inner break offsets (where a unit wider than its column
    may be cut), in reading order."""
    if not text:
        return []
    return list(_units_cached(text))


def segment(text: str) -> list[str]:
    """Split ``text`` into line-break units and whitespace runs; ``"".join(result) == text``."""
    if not text:
        return []
    return [u for u, _inner in _units_cached(text)]


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


_CONSONANT = re.compile("[\u0e01-\u0e2e]")


_CLUSTER_FIRST = set("กขคตทปผพศส")  # กร กล กว ขร … พล: two consonants that begin one syllable
_CLUSTER_SECOND = set("รลว")
_LEADING_H = set("งญนมยรลว")  # ห นำ: หย่าง หนอง หล่อ — ห begins the syllable


def syllable_starts(text: str) -> list[int]:
    """Offsets inside a Thai word where a syllable may begin (a last resort before cutting
    between grapheme clusters): before a leading vowel เ แ โ ใ ไ, after an abbreviation's dot,
    and before a consonant that carries its vowel (or the first consonant of its onset: the
    ท of อิน|ทรา, the ห of ขา|หย่าง) — never before a final consonant or one under ์."""
    out: set[int] = set()
    n = len(text)
    for i in range(1, n):
        c = text[i]
        if text[i - 1] == "." and _is_thai(c):
            out.add(i)
            continue
        if c in LEADING_VOWELS:
            if text[i - 1] not in LEADING_VOWELS:
                out.add(i)
            continue
        if not _CONSONANT.match(c) or text[i - 1] in LEADING_VOWELS:
            continue
        nxt = text[i + 1] if i + 1 < n else ""
        if nxt == "\u0e4c" or (i + 2 < n and text[i + 2] == "\u0e4c"):
            continue  # silenced by the thanthakhat: part of the syllable before
        if not nxt or not ("\u0e30" <= nxt <= "\u0e39" or nxt in "\u0e47\u0e48\u0e49\u0e4a\u0e4b"):
            continue
        prev = text[i - 1]
        start = i
        if _CONSONANT.match(prev) and (
            (c in _CLUSTER_SECOND and prev in _CLUSTER_FIRST) or (prev in "หอ" and c in _LEADING_H)
        ):
            if i >= 2 and text[i - 2] in LEADING_VOWELS:
                continue  # เปล, เหล: the syllable began at the leading vowel
            start = i - 1
        if start > 0:
            out.add(start)
    return sorted(out)


_NON_STARTERS = {"\u0e33", "\u200d", "\u200c", "\ufe0f"}


@lru_cache(maxsize=4096)
def _category(c: str) -> str:
    return unicodedata.category(c)


_words_set: frozenset[str] | None = None
_longest_word = 0


@lru_cache(maxsize=4096)
def compound_breaks(text: str) -> tuple[int, ...]:
    """Inner word boundaries of a word or compound wider than its column: the boundaries of
    its reading in the fewest words of the bundled list (two letters or more each), the whole
    text not counting as one word — ทรัพยากร|ธรรมชาติ, ปี|งบประมาณ, องค์การ|บริหาร|ส่วน|ตำบล.
    Empty when the text cannot be read as words."""
    words = dictionary_words()
    n = len(text)
    longest = min(_longest_word, n - 1)
    inf = n + 1
    best = [0] + [inf] * n  # fewest words covering text[:i]
    back = [0] * (n + 1)
    for i in range(2, n + 1):
        for k in range(2, min(longest, i) + 1):
            if best[i - k] + 1 < best[i] and text[i - k : i] in words:
                best[i] = best[i - k] + 1
                back[i] = i - k
    if best[n] >= inf:
        return ()
    out = []
    i = back[n]
    while i > 0:
        out.append(i)
        i = back[i]
    return tuple(sorted(out))


def dictionary_words() -> frozenset[str]:
    """The bundled word list as a set (loaded once, on first need)."""
    global _words_set
    if _words_set is None:
        with _lock:
            if _words_set is None:
                global _longest_word
                text = word_list_path().read_text("utf-8")
                words = frozenset(w.strip() for w in text.splitlines() if w.strip())
                _longest_word = max(len(w) for w in words)
                _words_set = words
    return _words_set
