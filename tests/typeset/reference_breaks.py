"""Reference Thai line breakers for the corpus test: ICU (PyICU) and libthai (ctypes).

Each returns the set of offsets ``p`` (0 < p < len(text)) before which a line may start.
They are used only to judge the engine's breaks, never by the application.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache


@lru_cache(maxsize=1)
def _icu_iterator():
    import icu

    return icu.BreakIterator.createLineInstance(icu.Locale("th"))


def icu_available() -> bool:
    try:
        _icu_iterator()
    except Exception:
        return False
    return True


def icu_breaks(text: str) -> set[int]:
    """ICU's line-break opportunities (offsets in code points)."""
    it = _icu_iterator()
    it.setText(text)
    # PyICU reports UTF-16 offsets; map them back to code points
    utf16_to_cp = {}
    u = 0
    for i, ch in enumerate(text):
        utf16_to_cp[u] = i
        u += 2 if ord(ch) > 0xFFFF else 1
    utf16_to_cp[u] = len(text)
    return {utf16_to_cp[b] for b in it if 0 < utf16_to_cp[b] < len(text)}


@lru_cache(maxsize=1)
def _libthai():
    name = ctypes.util.find_library("thai") or "libthai.so.0"
    lib = ctypes.CDLL(name)
    lib.th_brk_new.restype = ctypes.c_void_p
    lib.th_brk_new.argtypes = [ctypes.c_char_p]
    lib.th_brk_wc_find_breaks.restype = ctypes.c_int
    lib.th_brk_wc_find_breaks.argtypes = [
        ctypes.c_void_p,
        ctypes.c_wchar_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_size_t,
    ]
    handle = lib.th_brk_new(None)
    if not handle:
        raise OSError("libthai: th_brk_new failed (is libthai-data installed?)")
    return lib, handle


def libthai_available() -> bool:
    try:
        _libthai()
    except Exception:
        return False
    return ctypes.sizeof(ctypes.c_wchar) == 4


def libthai_breaks(text: str) -> set[int]:
    """libthai's word-break positions plus the offsets after whitespace runs (libthai reports
    breaks inside Thai runs and at script changes; a space is always a break opportunity)."""
    lib, handle = _libthai()
    out: set[int] = set()
    # libthai works on one paragraph at a time; feed it in pieces of at most ~2000 chars cut at
    # spaces (its positions array must be sized by the caller)
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + 2000)
        if end < n:
            space = text.rfind(" ", start, end)
            if space > start:
                end = space + 1
        piece = text[start:end]
        size = len(piece) + 1
        pos = (ctypes.c_int * size)()
        count = lib.th_brk_wc_find_breaks(handle, piece, pos, size)
        out.update(start + pos[i] for i in range(count))
        if end < n:
            out.add(end)
        start = end
    for i in range(1, n):
        if text[i - 1].isspace() and not text[i].isspace():
            out.add(i)
    return {p for p in out if 0 < p < n}
