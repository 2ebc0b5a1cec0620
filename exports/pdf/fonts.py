"""Sarabun for ReportLab, with HarfBuzz shaping and a correct ToUnicode map.

``register_fonts()`` registers the family ``Sarabun`` (``Sarabun``, ``Sarabun-Bold``,
``Sarabun-Italic``, ``Sarabun-BoldItalic``), embedded as subsets. It raises
:class:`ShapingUnavailable` when uharfbuzz cannot be imported: Thai without shaping hides
tone marks (ที่ → ที), so we never fall back silently.

ToUnicode (copy-paste / pdftotext)
----------------------------------
HarfBuzz replaces some characters by glyphs that are not in Sarabun's character map
(37 of them: ``uni0E48.small``, ``uni0E49.narrow``, ``thoThanthai.less``, the nikhahit+tone
ligatures ``uni0E4D0E48`` …). ReportLab 5.1 writes such glyphs with private-use codes
(U+E000…) and its ToUnicode CMap maps a code to itself, so text extraction loses the marks
(เคลื่อน → เคลือน). We fix that in two places, both small:

1. :class:`ThaiTTFont` (a ``TTFont`` subclass used only for our fonts) knows, for every glyph
   outside the character map, the source characters it stands for (from the glyph name,
   checked in the tests against HarfBuzz cluster data; a ligature of nikhahit and a tone mark
   is written in source order, tone first, so that it matches the NFKD form of ำ).
2. ``reportlab.pdfbase.ttfonts.makeToUnicodeCMap`` (a module-level function that
   ``TTFont.addObjects`` calls once per subset) is wrapped: while one of *our* fonts is
   writing its objects (a context variable set in ``ThaiTTFont.addObjects``), private-use
   codes are written with their real characters; for every other font, and for every
   other code, the original function's output is unchanged. The wrapper is installed only if
   ``reportlab.Version`` is one we checked (5.1.x) **and** the function still has the
   ``(fontname, subset)`` signature; otherwise a warning is logged and extraction simply
   stays as ReportLab makes it (rendering is unaffected).
"""

from __future__ import annotations

import contextvars
import inspect
import logging
import unicodedata
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts

from lev_desktop.i18n import _
from lev_desktop.paths import font_path

log = logging.getLogger(__name__)

FAMILY = "Sarabun"
FONT_NAMES = {
    (False, False): "Sarabun",
    (True, False): "Sarabun-Bold",
    (False, True): "Sarabun-Italic",
    (True, True): "Sarabun-BoldItalic",
}
_FILES = {
    "Sarabun": "Regular",
    "Sarabun-Bold": "Bold",
    "Sarabun-Italic": "Italic",
    "Sarabun-BoldItalic": "BoldItalic",
}

PUA_FIRST, PUA_LAST = 0xE000, 0xF8FF
_TONES = "\u0e48\u0e49\u0e4a\u0e4b"
_NIKHAHIT = "\u0e4d"


class ShapingUnavailable(RuntimeError):
    """uharfbuzz is missing: Thai cannot be typeset correctly."""

    def __init__(self, detail: str = "") -> None:
        message = _(
            "Thai PDF typesetting needs the uharfbuzz package (HarfBuzz text shaping); "
            "it could not be loaded. Reinstall LEV Desktop. Details: {detail}"
        ).format(detail=detail or "-")
        super().__init__(message)


def require_harfbuzz() -> ModuleType:
    """Return the uharfbuzz module or raise :class:`ShapingUnavailable`."""
    try:
        import uharfbuzz
    except Exception as exc:  # ImportError, or a broken binary wheel
        raise ShapingUnavailable(repr(exc)) from exc
    if getattr(ttfonts, "uharfbuzz", None) is None:
        # ReportLab imported before uharfbuzz became importable: it has no shaping at all.
        raise ShapingUnavailable("reportlab.pdfbase.ttfonts has no uharfbuzz")
    module: ModuleType = uharfbuzz
    return module


# Glyph names (Adobe Glyph List for New Fonts / Thai) that Sarabun uses for variants.
_KNOWN_NAMES = {
    "yoYingthai": "\u0e0d",
    "doChadathai": "\u0e0e",
    "toPatakthai": "\u0e0f",
    "thoThanthai": "\u0e10",
    "loChulathai": "\u0e2c",
    "grave": "\u0300",
    "acute": "\u0301",
    "circumflex": "\u0302",
    "tilde": "\u0303",
    "macron": "\u0304",
    "breve": "\u0306",
    "dieresis": "\u0308",
    "hookabove": "\u0309",
    "caron": "\u030c",
}


def _glyph_name_text(name: str, name_to_text: dict[str, str]) -> str | None:
    """The characters a glyph outside the cmap stands for, from its name."""
    base = name.split(".", 1)[0]
    if base in name_to_text:  # a variant of a glyph in the cmap
        return name_to_text[base]
    if base in _KNOWN_NAMES:  # e.g. thoThanthai.less (ฐ without its tail)
        return _KNOWN_NAMES[base]
    if "_" in base:  # a ligature of named parts, e.g. breve_acute
        parts = [_glyph_name_text(part, name_to_text) for part in base.split("_")]
        return "".join(parts) if all(parts) else None  # type: ignore[arg-type]
    if base.startswith("uni") and len(base) > 3 and (len(base) - 3) % 4 == 0:
        try:
            chars = [chr(int(base[i : i + 4], 16)) for i in range(3, len(base), 4)]
        except ValueError:
            return None
        # Source order: a tone mark is typed before ำ (= nikhahit + า after NFKD), and
        # HarfBuzz's Thai shaper moves the nikhahit in front of the tone for the ligature.
        if _NIKHAHIT in chars and any(c in _TONES for c in chars):
            chars = [c for c in chars if c != _NIKHAHIT] + [_NIKHAHIT]
        return "".join(chars)
    if base.startswith("u") and 5 <= len(base) <= 7:
        try:
            return chr(int(base[1:], 16))
        except ValueError:
            return None
    return None


class ThaiTTFont(ttfonts.TTFont):
    """A TTFont that shapes with HarfBuzz and writes a correct ToUnicode map."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename, shapable=True)
        hb = require_harfbuzz()
        # ReportLab's TTFontFace: its tables (_ttf_data, glyphToChar) are not in the stubs
        face: Any = self.face
        self._hb_face = hb.Face(hb.Blob(face._ttf_data))
        self._hb_font = hb.Font(self._hb_face)
        self.units_per_em = self._hb_face.upem
        self._scale = 1000.0 / self.units_per_em
        name_to_text: dict[str, str] = {}
        for code, gid in face.charToGlyph.items():
            gname = self._hb_font.glyph_to_string(gid)
            name_to_text.setdefault(gname, chr(code))
        # gid -> source text for every glyph that only substitutions reach
        self.glyph_text: dict[int, str] = {}
        for gid in range(self._hb_face.glyph_count):
            if gid in face.glyphToChar:
                continue
            text = _glyph_name_text(self._hb_font.glyph_to_string(gid), name_to_text)
            if text:
                self.glyph_text[gid] = text
        self._next_private = PUA_FIRST

    # -- glyph codes -------------------------------------------------------------------
    def code_for_glyph(self, gid: int, advance: int) -> int:
        """The code ReportLab writes for glyph ``gid`` (a private-use code if unmapped)."""
        face: Any = self.face  # as in __init__
        codes: list[int] | None = face.glyphToChar.get(gid)
        if codes:
            return codes[0]
        code = self._next_private
        while code in face.charToGlyph:
            code += 1
        if code > PUA_LAST:
            raise ValueError(f"too many unmapped glyphs in {self.fontName}")
        self._next_private = code + 1
        face.charToGlyph[code] = gid
        face.glyphToChar.setdefault(gid, []).append(code)
        face.charWidths[code] = advance
        return code

    def tounicode_text(self, code: int) -> str | None:
        """Real characters for a private-use code, or None to keep ReportLab's mapping."""
        if PUA_FIRST <= code <= PUA_LAST:
            gid = self.face.charToGlyph.get(code)
            if gid is not None:
                return self.glyph_text.get(gid)
        return None

    def addObjects(self, doc: Any) -> None:  # noqa: N802 (ReportLab's name)
        token = _CURRENT_FONT.set(self)
        try:
            super().addObjects(doc)
        finally:
            _CURRENT_FONT.reset(token)


# -- the ToUnicode hook ----------------------------------------------------------------
_CURRENT_FONT: contextvars.ContextVar[ThaiTTFont | None] = contextvars.ContextVar(
    "lev_tounicode_font", default=None
)
_ORIGINAL_CMAP = ttfonts.makeToUnicodeCMap
_HOOK_INSTALLED = False


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _tounicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    font = _CURRENT_FONT.get()
    cmap = _ORIGINAL_CMAP(fontname, subset)
    if font is None:
        return cmap
    fixes = {}
    for index, code in enumerate(subset):
        text = font.tounicode_text(code)
        if text:
            fixes[f"<{index:02X}> <{code:04X}>"] = f"<{index:02X}> <{_utf16_hex(text)}>"
    if not fixes:
        return cmap
    return "\n".join(fixes.get(line, line) for line in cmap.split("\n"))


def _install_tounicode_hook() -> bool:
    global _HOOK_INSTALLED
    if _HOOK_INSTALLED:
        return True
    params = list(inspect.signature(_ORIGINAL_CMAP).parameters)
    probe = _ORIGINAL_CMAP("X", [0, 0xE000])
    if (
        not reportlab.Version.startswith("5.1.")
        or params != ["fontname", "subset"]
        or "<01> <E000>" not in probe.split("\n")
    ):
        log.warning(
            "ReportLab %s: ToUnicode hook not installed; copied Thai text may lose marks",
            reportlab.Version,
        )
        return False
    ttfonts.makeToUnicodeCMap = _tounicode_cmap
    _HOOK_INSTALLED = True
    return True


_REGISTERED: dict[str, ThaiTTFont] = {}


def register_fonts() -> dict[str, str]:
    """Register Sarabun (4 styles) once; return {"regular"|"bold"|"italic"|"bolditalic": name}.

    Raises :class:`ShapingUnavailable` when uharfbuzz cannot be used.
    """
    require_harfbuzz()
    registry: dict[str, Any] = pdfmetrics._fonts  # type: ignore[attr-defined]  # no public look-up
    if len(_REGISTERED) == len(_FILES) and all(
        registry.get(n) is f for n, f in _REGISTERED.items()
    ):
        return dict(_NAMES)
    _install_tounicode_hook()
    for name, style in _FILES.items():
        existing = registry.get(name)
        if isinstance(existing, ThaiTTFont):
            _REGISTERED[name] = existing
            continue
        font = ThaiTTFont(name, str(font_path(style)))
        pdfmetrics.registerFont(font)
        _REGISTERED[name] = font
    for (bold, italic), name in FONT_NAMES.items():
        addMapping(FAMILY, 1 if bold else 0, 1 if italic else 0, name)
    return dict(_NAMES)


_NAMES = {
    "regular": "Sarabun",
    "bold": "Sarabun-Bold",
    "italic": "Sarabun-Italic",
    "bolditalic": "Sarabun-BoldItalic",
}


def get_font(name: str) -> ThaiTTFont:
    """The registered ThaiTTFont called ``name`` (registering Sarabun on first use)."""
    font = _REGISTERED.get(name)
    if font is None:
        register_fonts()
        font = _REGISTERED.get(name)
        if font is None:
            found = pdfmetrics.getFont(name)
            if not isinstance(found, ThaiTTFont):
                raise KeyError(f"{name} is not a Thai font registered by register_fonts()")
            font = found
    return font


def styled_font(name: str, bold: bool = False, italic: bool = False) -> str:
    """Sarabun variant of ``name`` with bold/italic switched on (never off)."""
    is_bold = "Bold" in name
    is_italic = "Italic" in name
    return FONT_NAMES[(is_bold or bold, is_italic or italic)]


def nfkd(text: str) -> str:
    return unicodedata.normalize("NFKD", text)
