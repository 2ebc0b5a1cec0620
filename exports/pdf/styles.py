"""Paragraph styles for Thai reports (Sarabun, generous leading for stacked marks)."""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from exports.pdf.fonts import register_fonts

_STYLES: dict[str, ParagraphStyle] | None = None


def thai_styles() -> dict[str, ParagraphStyle]:
    """Named styles: body (16 pt), table (14 pt), table_header (14 pt bold), small (12 pt),
    title (20 pt bold, centred), heading1 (18 pt bold), heading2 (16 pt bold).

    They carry ``shaping=1`` too, so a plain ReportLab Paragraph with them is at least shaped
    (but still breaks only at spaces: use ThaiParagraph for Thai). Copy before changing:
    ``ParagraphStyle("x", parent=thai_styles()["body"], alignment=TA_CENTER)``.
    """
    global _STYLES
    if _STYLES is None:
        register_fonts()
        base = ParagraphStyle(
            "thai_base", fontName="Sarabun", fontSize=16, leading=24, alignment=TA_LEFT, shaping=1
        )
        _STYLES = {
            "body": ParagraphStyle("thai_body", parent=base, spaceAfter=6),
            "table": ParagraphStyle("thai_table", parent=base, fontSize=14, leading=20),
            "table_header": ParagraphStyle(
                "thai_table_header",
                parent=base,
                fontName="Sarabun-Bold",
                fontSize=14,
                leading=20,
                alignment=TA_CENTER,
            ),
            "small": ParagraphStyle("thai_small", parent=base, fontSize=12, leading=17),
            "title": ParagraphStyle(
                "thai_title",
                parent=base,
                fontName="Sarabun-Bold",
                fontSize=20,
                leading=30,
                alignment=TA_CENTER,
                spaceAfter=8,
                keepWithNext=1,
            ),
            "heading1": ParagraphStyle(
                "thai_heading1",
                parent=base,
                fontName="Sarabun-Bold",
                fontSize=18,
                leading=27,
                spaceBefore=8,
                spaceAfter=4,
                keepWithNext=1,
            ),
            "heading2": ParagraphStyle(
                "thai_heading2",
                parent=base,
                fontName="Sarabun-Bold",
                fontSize=16,
                leading=24,
                spaceBefore=6,
                spaceAfter=3,
                keepWithNext=1,
            ),
        }
    return _STYLES
