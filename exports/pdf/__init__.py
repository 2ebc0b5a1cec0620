"""Thai typesetting for ReportLab PDFs (Qt-free).

Stable API::

    from lev_desktop.exports.pdf import (ThaiParagraph, thai_styles, register_fonts,
                                         segment, ShapingUnavailable, string_width)

    register_fonts()                      # Sarabun, Sarabun-Bold, -Italic, -BoldItalic
    st = thai_styles()                    # body/table/table_header/small/title/heading1/heading2
    story = [ThaiParagraph("<b>หัวข้อ</b> ข้อความภาษาไทย", st["body"])]
    Table([[ThaiParagraph(cell, st["table"]) ...]], colWidths=[...])   # fixed widths

See paragraph.py (layout/markup), fonts.py (ToUnicode fix), segment.py (word breaking).
"""

from lev_desktop.exports.pdf.fonts import (FAMILY, ShapingUnavailable, register_fonts,
                                           require_harfbuzz)
from lev_desktop.exports.pdf.paragraph import ThaiParagraph, layout, parse_markup
from lev_desktop.exports.pdf.segment import segment
from lev_desktop.exports.pdf.shaping import shape, string_width
from lev_desktop.exports.pdf.styles import thai_styles

__all__ = ["FAMILY", "ShapingUnavailable", "ThaiParagraph", "layout", "parse_markup",
           "register_fonts", "require_harfbuzz", "segment", "shape", "string_width",
           "thai_styles"]
