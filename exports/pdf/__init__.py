"""Thai typesetting for ReportLab PDFs (Qt-free): shaped, broken between words, copyable.

Stable API (everything else in this package is internal)::

    from exports.pdf import (ThaiParagraph, thai_styles, register_fonts,
                                         segment, string_width, ShapingUnavailable)

    register_fonts()        # family "Sarabun": Sarabun, Sarabun-Bold, Sarabun-Italic,
                            # Sarabun-BoldItalic; embedded as subsets. Idempotent, cheap.
                            # Raises ShapingUnavailable (Thai message) without uharfbuzz.
    st = thai_styles()      # ParagraphStyles: body 16/24, table 14/20, table_header 14/20 bold
                            # centred, small 12/17, title 20/30 bold centred, heading1 18/27,
                            # heading2 16/24 (shared objects: derive, don't mutate:
                            # ParagraphStyle("x", parent=st["body"], alignment=TA_RIGHT))
    ThaiParagraph(text, style)   # a platypus Flowable: story lists, Table cells, splits
                                 # across frames/pages (line breaks redone for the rest)
    segment(text) -> list[str]   # words (nlpo3 + bundled CC0 word list); "".join == text
    string_width(text, fontName, fontSize) -> float   # shaped width in points
    extent(text, fontName, fontSize) -> (widest unit, widest line) in points, as the
                                 # paragraph breaks it (a table column's least and most)

``ThaiParagraph(text, style)``
    ``text``: str with a tiny markup — ``<b>…</b>`` ``<i>…</i>`` (``<strong>``, ``<em>``),
    ``<br/>``, entities ``&amp; &lt; &gt; &quot; &#NNN;``; a newline is a line break; any other
    ``<…>`` is printed as text. Or a list of ``(text, fontName)`` runs (no markup parsing).
    Use U+00A0 (no-break space) to glue two words. Dates ("15 ก.พ. 2568") and runs of
    Latin/digits ("1,250.50", "e-mail") are kept together automatically.
    ``style``: fontName (a Sarabun name), fontSize, leading, alignment (TA_LEFT, TA_CENTER,
    TA_RIGHT, TA_JUSTIFY or "left"/"center"/"right"/"justify"), textColor, leftIndent,
    rightIndent, firstLineIndent, spaceBefore, spaceAfter, keepWithNext.
    Helpers: ``getPlainText()``, ``line_texts()`` (after wrap), ``minWidth()``.

Tables: give ``colWidths`` (auto widths work but use each cell's widest word). For thousands
of rows use ``LongTable`` (same API) — ReportLab's own table splitting then dominates the time,
not the Thai engine (see bench/bench_typeset.py). ``Table(..., splitInRow=1)`` lets a row taller
than a page split inside its ThaiParagraph cells.

How: words are segmented (words.py), shaped by HarfBuzz once and cached (shaping.py), lines
are filled greedily from shaped widths (paragraph.py); glyphs are written with their HarfBuzz
offsets. Copy-paste keeps every mark: glyphs outside Sarabun's cmap get their real characters
in the ToUnicode CMap (fonts.py documents the one ReportLab hook), and words with moved marks
also carry /ActualText. ``python -m exports.pdf.sample out.pdf`` shows it all.
"""

from exports.pdf.fonts import FAMILY, ShapingUnavailable, register_fonts, require_harfbuzz
from exports.pdf.paragraph import ThaiParagraph, extent, layout, parse_markup
from exports.pdf.shaping import shape, string_width
from exports.pdf.styles import thai_styles
from exports.pdf.words import segment

__all__ = [
    "FAMILY",
    "ShapingUnavailable",
    "ThaiParagraph",
    "extent",
    "layout",
    "parse_markup",
    "register_fonts",
    "require_harfbuzz",
    "segment",
    "shape",
    "string_width",
    "thai_styles",
]
