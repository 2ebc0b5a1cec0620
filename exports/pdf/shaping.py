"""Shaped widths and glyphs of short strings, cached (HarfBuzz through uharfbuzz).

All numbers are in thousandths of the font size (ReportLab's glyph-space convention), so a
width ``w`` measures ``w * fontSize / 1000`` points.
"""

from __future__ import annotations

from exports.pdf.fonts import ThaiTTFont, get_font, require_harfbuzz


class Shaped:
    """One shaped string in one font.

    ``glyphs`` is a tuple of ``(code, x_offset, y_offset, x_advance, pdf_width)``; ``code``
    is the character code ReportLab writes for the glyph (a private-use code for glyphs outside
    the cmap, see fonts.py), ``pdf_width`` the width ReportLab puts in the PDF Widths array.
    """

    __slots__ = ("codes", "font_name", "glyphs", "simple", "text", "width")

    def __init__(
        self,
        text: str,
        font_name: str,
        width: float,
        glyphs: tuple[tuple[int, float, float, float, float], ...],
        codes: str,
        simple: bool,
    ) -> None:
        self.text = text
        self.font_name = font_name
        self.width = width
        self.glyphs = glyphs
        self.codes = codes  # the glyph codes as a str (for font.splitString)
        self.simple = simple  # no offsets and advances == widths: can be written as one string

    def __repr__(self) -> str:
        return f"Shaped({self.text!r}, {self.font_name}, {self.width:.1f})"


_cache: dict[tuple[str, str], Shaped] = {}
_CACHE_LIMIT = 200_000
_hb = None
_FEATURES = {"kern": True, "liga": True}


def shape(text: str, font_name: str) -> Shaped:
    """Shape ``text`` in the registered Thai font ``font_name`` (cached)."""
    key = (font_name, text)
    found = _cache.get(key)
    if found is not None:
        return found
    global _hb
    if _hb is None:
        _hb = require_harfbuzz()
    font: ThaiTTFont = get_font(font_name)
    if not text:
        shaped = _cache[key] = Shaped(text, font_name, 0.0, (), "", True)
        return shaped
    hb = _hb
    buf = hb.Buffer()
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.add_str(text.replace("\u00a0", " "))
    buf.guess_segment_properties()
    hb.shape(font._hb_font, buf, _FEATURES)
    scale = font._scale
    char_widths = font.face.charWidths
    glyphs = []
    codes = []
    total = 0.0
    simple = True
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        adv = pos.x_advance * scale
        code = font.code_for_glyph(info.codepoint, round(adv))
        pdf_w = char_widths.get(code, 0)
        xo = pos.x_offset * scale
        yo = pos.y_offset * scale
        if xo or yo or abs(pdf_w - adv) > 1e-6:
            simple = False
        glyphs.append((code, xo, yo, adv, pdf_w))
        codes.append(chr(code))
        total += adv
    shaped = Shaped(text, font_name, total, tuple(glyphs), "".join(codes), simple)
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[key] = shaped
    return shaped


def string_width(text: str, font_name: str, font_size: float) -> float:
    """Shaped width of ``text`` in points."""
    width: float = shape(text, font_name).width
    return width * font_size / 1000.0


def clear_cache() -> None:
    _cache.clear()
