"""A one-page sample of the Thai typesetting engine, for developers.

    python -m exports.pdf.sample out.pdf

Shows the hard cases: stacked tone marks, marks over narrow/tall consonants (ป ฝ ฟ), ญ ฐ
without tails under ุ ู, ำ after a tone mark, line breaks between words in a paragraph and in
table cells, justify/center/right, bold runs, Latin and digits, a long word cut at a
grapheme-cluster boundary. Open the PDF, look at it, and copy the text out of it.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle

from exports.pdf import ThaiParagraph, thai_styles
from lev_desktop.thai_format import format_date, format_money

HARD = "ที่ ผู้ ญี่ปุ่น ปั้น น้ำ ปุ๋ย เคลื่อน ฝั่ง ปิ่น ฟ้า ก่ำ ญุ ฐุ ฎีกา ฏุ ฤๅษี"
PARAGRAPH = (
    "องค์การบริหารส่วนตำบลหนองแสงร่วมกับเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก (อถล.) "
    "คัดแยกขยะและทำปุ๋ยหมัก ผู้ใหญ่บ้านชาวญี่ปุ่นปั้นโอ่งใส่น้ำหมักชีวภาพแล้วเคลื่อนย้าย"
    "ไปยังฝั่งแม่น้ำโขง "
    "มีผู้เข้าร่วม 1,250 คน เมื่อวันที่ {date} ใช้งบประมาณ {money}"
)


def build_sample(path: str | Path) -> Path:
    st = thai_styles()
    body = st["body"]
    small = ParagraphStyle("sample_note", parent=st["small"], textColor=colors.HexColor("#555555"))
    text = PARAGRAPH.format(date=format_date(dt.date(2025, 2, 15)), money=format_money(12500))
    story: list[Flowable] = [
        ThaiParagraph("ตัวอย่างการจัดพิมพ์ภาษาไทย (ThaiParagraph)", st["title"]),
        ThaiParagraph("1. สระและวรรณยุกต์ซ้อน — HarfBuzz จัดตำแหน่ง ไม่ชน ไม่จม", st["heading2"]),
        ThaiParagraph(HARD, ParagraphStyle("hard", parent=body, fontSize=22, leading=32)),
        ThaiParagraph(f"<b>ตัวหนา: {HARD}</b>", body),
        ThaiParagraph("2. ตัดบรรทัดระหว่างคำ (ชิดซ้าย / เต็มแนว / กึ่งกลาง / ชิดขวา)", st["heading2"]),
        ThaiParagraph(text, body),
        ThaiParagraph(
            text, ParagraphStyle("j", parent=st["table"], alignment=TA_JUSTIFY, spaceAfter=4)
        ),
        ThaiParagraph(
            "กึ่งกลาง: ประชุมคณะกรรมการเครือข่าย อถล. ครั้งที่ 2/2568",
            ParagraphStyle("c", parent=body, alignment=TA_CENTER),
        ),
        ThaiParagraph(
            f"ชิดขวา: ปรับปรุงล่าสุด {format_date(dt.date(2025, 3, 1))}",
            ParagraphStyle("r", parent=body, alignment=TA_RIGHT),
        ),
        ThaiParagraph(
            "3. ตาราง: ข้อความหลายบรรทัดในช่อง คำยาวเกินช่องตัดที่ขอบเขตพยางค์/กลุ่มอักขระ", st["heading2"]
        ),
    ]
    head = [ThaiParagraph(h, st["table_header"]) for h in ("ที่", "อปท.", "กิจกรรม", "วันที่")]
    rows = [head]
    cells = [
        (
            "1",
            "อบต.หนองแสง",
            "รณรงค์ทำความสะอาดครั้งใหญ่ (Big Cleaning Day) ร่วมกับผู้ใหญ่บ้าน",
            format_date(dt.date(2024, 11, 2)),
        ),
        (
            "2",
            "เทศบาลตำบลนาแก",
            "ธนาคารขยะและปุ๋ยหมัก น้ำหมักชีวภาพ ญี่ปุ่นปั้นดิน",
            format_date(dt.date(2025, 1, 15)),
        ),
        ("3", "องค์การบริหารส่วนตำบลกำแพงเพชร", "เคลื่อนย้ายขยะอันตรายไปกำจัดที่ศูนย์ฯ", "-"),
    ]
    for row in cells:
        rows.append([ThaiParagraph(c, st["table"]) for c in row])
    table = Table(rows, colWidths=[12 * mm, 32 * mm, 90 * mm, 30 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 4 * mm),
        ThaiParagraph(
            "ลองคัดลอกข้อความจากไฟล์นี้ไปวาง: วรรณยุกต์ต้องครบ (เช่น เคลื่อน ไม่ใช่ "
            "เคลือน) — ดู exports/pdf/fonts.py",
            small,
        ),
    ]
    out = Path(path)
    SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title="Thai typesetting sample",
    ).build(story)
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = argv[0] if argv else "thai-typesetting-sample.pdf"
    print(build_sample(target))
    return 0


if __name__ == "__main__":
    sys.exit(main())
