"""The one adapter between the report documents and the Thai typesetting engine.

Every paragraph of every report is made by ``para()``. The engine (``exports/pdf``:
Sarabun registration, word segmentation, shaped line layout, ``ThaiParagraph``) is used
when it is there; until then plain ReportLab paragraphs with shaping on stand in, so
switching is this one file.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

FONT = "Sarabun"
FONT_BOLD = "Sarabun-Bold"

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def require_shaping() -> None:
    """Thai marks are wrong without HarfBuzz shaping: fail loudly instead of printing them so."""
    try:
        import uharfbuzz  # noqa: F401
    except ImportError as exc:  # pragma: no cover - the pinned dependency is installed
        raise RuntimeError(
            "uharfbuzz is not installed: Thai PDF reports need HarfBuzz shaping "
            "(pip install uharfbuzz)") from exc


_registered = False


def register_fonts() -> None:
    global _registered
    if _registered:
        return
    require_shaping()
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from lev_desktop.paths import font_path

    for name, style in ((FONT, "Regular"), (FONT_BOLD, "Bold"), ("Sarabun-Italic", "Italic"),
                        ("Sarabun-BoldItalic", "BoldItalic")):
        pdfmetrics.registerFont(TTFont(name, str(font_path(style))))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, "Sarabun-Italic")
    addMapping(FONT, 1, 1, "Sarabun-BoldItalic")
    _registered = True


_styles: dict[tuple, ParagraphStyle] = {}


def style(size: float = 16, *, bold: bool = False, align: str = "left",
          indent: float = 0, first_indent: float = 0, leading: float | None = None,
          space_before: float = 0, space_after: float = 0) -> ParagraphStyle:
    key = (size, bold, align, indent, first_indent, leading, space_before, space_after)
    found = _styles.get(key)
    if found is None:
        found = ParagraphStyle(
            name=f"lev-{len(_styles)}", fontName=FONT_BOLD if bold else FONT, fontSize=size,
            leading=leading or size * 1.35, alignment=_ALIGN[align], leftIndent=indent,
            firstLineIndent=first_indent, spaceBefore=space_before, spaceAfter=space_after,
            shaping=1)
        _styles[key] = found
    return found


def para(text: str, st: ParagraphStyle) -> Flowable:
    """A paragraph of plain text (not markup); newlines are kept as line breaks."""
    register_fonts()
    markup = "<br/>".join(escape(line) for line in (text or "").split("\n"))
    return Paragraph(markup, st)
