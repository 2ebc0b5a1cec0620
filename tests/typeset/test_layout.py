"""Line breaking: only between words, in paragraphs, table cells and across pages."""

from __future__ import annotations

import random
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from exports.pdf import ShapingUnavailable, ThaiParagraph, register_fonts, segment, thai_styles
from exports.pdf.shaping import string_width
from exports.pdf.words import is_cluster_start, joins_previous, word_list_path

from .helpers import build, nfkd, page_count, pdftotext, squash

TEXT = (
    "องค์การบริหารส่วนตำบลหนองแสงจัดกิจกรรมคัดแยกขยะมูลฝอยที่ต้นทางร่วมกับผู้ใหญ่บ้าน"
    "และอาสาสมัครท้องถิ่นรักษ์โลก (อถล.) เมื่อวันที่ 15 ก.พ. 2568 มีผู้เข้าร่วม 1,250 คน "
    "น้ำปุ๋ยหมักชีวภาพถูกแจกจ่ายให้ชาวบ้านชาวญี่ปุ่นที่ปั้นดินเคลื่อนย้ายไปยังฝั่งแม่น้ำโขง "
)


def _words(n: int, seed: int) -> str:
    rng = random.Random(seed)
    vocab = [w.strip() for w in word_list_path().read_text("utf-8").splitlines() if w.strip()]
    vocab = [w for w in vocab if " " not in w and len(w) < 12]
    out = []
    for _ in range(n):
        out.append(rng.choice(vocab))
        if rng.random() < 0.1:
            out.append(" ")
    return "".join(out)


def _words_at(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) with offsets in the text without whitespace, NFKD."""
    out, at = [], 0
    for tok in segment(text):
        n = len(squash(tok))
        out.append((at, at + n, tok))
        at += n
    return out


def _assert_breaks_between_words(
    source: str, lines: list[str], width: float | None = None, font_size: float = 16
) -> None:
    """Every line ends at a word end; inside a word only if that word alone is wider than
    the line (then at a grapheme-cluster boundary)."""
    words = _words_at(source)
    ends = {0} | {end for _s, end, _t in words}
    at = 0
    for line in lines:
        at += len(squash(line))
        if at in ends:
            continue
        assert width is not None, f"line ends inside a word: {line!r}"
        start, _end, token = next(w for w in words if w[0] < at < w[1])
        assert string_width(token.strip(), "Sarabun", font_size) > width, (
            f"line ends inside a word that fits: {line!r}"
        )
        assert is_cluster_start(nfkd(token.strip()), at - start), line
    assert at == len(squash(source))


def test_segment_keeps_text_and_handles_latin_and_digits():
    text = "ที่ว่าการอำเภอเมือง จ่าย 1,250.50 บาท (ครั้งที่ 2) ทุกๆ วัน e-mail ok"
    tokens = segment(text)
    assert "".join(tokens) == text
    for token in ("1,250.50", "(ครั้ง", "e-mail", "ok", "บาท"):
        assert any(token in t for t in tokens), token
    assert not any(t.startswith(("ๆ", ")")) for t in tokens)


@pytest.mark.parametrize("seed", range(6))
def test_engine_lines_end_at_word_boundaries(seed):
    text = _words(300, seed)
    rng = random.Random(seed)
    for width in (60, 120, 233, 400):
        style = ParagraphStyle("t", parent=thai_styles()["body"], fontSize=rng.choice([12, 14, 16]))
        para = ThaiParagraph(text, style)
        para.wrap(width, 10_000)
        lines = para.line_texts()
        assert len(lines) > 1
        joined = "".join(lines)
        assert squash(joined) == squash(text)
        for line in para.lines:
            assert line.width <= width + 0.01
        _assert_breaks_between_words(text, lines, width, style.fontSize)


def test_lines_are_filled_greedily():
    """Each line is full: the next word would not have fitted."""
    para = ThaiParagraph(TEXT * 3, thai_styles()["body"])
    para.wrap(300, 10_000)
    for line, following in zip(para.lines, para.lines[1:], strict=False):
        first_word = next(g for g in following.groups if g.kind == 0)
        assert line.width + first_word.width * 16 / 1000 > 300 - 0.01


def test_pdftotext_layout_lines_end_at_word_boundaries(tmp_path):
    text = _words(900, 42)
    pdf = build([ThaiParagraph(text, thai_styles()["body"])], tmp_path / "p.pdf")
    lines = [ln for ln in pdftotext(pdf, "-layout").splitlines() if ln.strip()]
    assert len(lines) > 30
    _assert_breaks_between_words(text, lines)


def test_long_word_breaks_only_at_cluster_boundaries():
    word = "ญี่ปุ่นปั้นน้ำปุ๋ยเคลื่อน" * 6
    para = ThaiParagraph(word, thai_styles()["table"])
    para.wrap(70, 10_000)
    lines = para.line_texts()
    assert len(lines) > 3
    assert "".join(lines) == word
    at = 0
    for line in lines:
        assert is_cluster_start(word, at), line
        assert string_width(line, "Sarabun", 14) <= 70.01 or len(line) <= 3
        at += len(line)


@pytest.mark.parametrize("align", [TA_CENTER, TA_RIGHT, TA_JUSTIFY])
def test_alignment_positions(align):
    from reportlab.pdfgen.canvas import Canvas

    style = ParagraphStyle("a", parent=thai_styles()["body"], alignment=align)
    para = ThaiParagraph(TEXT, style)
    para.wrap(300, 1000)
    canvas = Canvas("/dev/null")
    para.drawOn(canvas, 0, 0)
    code = "\n".join(canvas._code)
    xs = [float(line.split()[4]) for line in code.splitlines() if line.endswith(" Tm")]
    expected = {
        TA_CENTER: [(300 - ln.width) / 2 for ln in para.lines],
        TA_RIGHT: [300 - ln.width for ln in para.lines],
        TA_JUSTIFY: [0.0 for _ln in para.lines],
    }[align]
    assert xs == pytest.approx(expected, abs=0.01)
    if align == TA_JUSTIFY:
        assert "TJ" in code


def test_markup_runs_and_bold_font(tmp_path):
    para = ThaiParagraph("ปกติ<b>ตัวหนา</b>&amp;<i>เอียง</i><br/>บรรทัดใหม่", thai_styles()["body"])
    assert para.getPlainText() == "ปกติตัวหนา&เอียง\nบรรทัดใหม่"
    para.wrap(400, 1000)
    assert len(para.lines) == 2
    fonts = {p.font_name for g in para.lines[0].groups for p in g.pieces}
    assert fonts == {"Sarabun", "Sarabun-Bold", "Sarabun-Italic"}
    runs = ThaiParagraph([("หนา", "Sarabun-Bold"), ("บาง", "Sarabun")], thai_styles()["body"])
    assert runs.getPlainText() == "หนาบาง"


def test_long_paragraph_splits_across_pages(tmp_path):
    text = (TEXT * 60).strip()
    pdf = build(
        [
            Spacer(1, 300),
            ThaiParagraph(text, thai_styles()["body"]),
            ThaiParagraph("จบ", thai_styles()["body"]),
        ],
        tmp_path / "long.pdf",
    )
    assert page_count(pdf) >= 3
    pages = pdftotext(pdf).split("\f")
    assert squash("".join(pages)) == squash(text + "จบ")
    for page in pages:
        lines = [ln for ln in page.splitlines() if ln.strip()]
        if lines:
            # every page starts at a word start (checked on the page's own text)
            assert squash(page) and squash(text + "จบ").find(squash(lines[0])) >= 0
    # and the continuation keeps word boundaries: engine-level check across a split
    para = ThaiParagraph(text, thai_styles()["body"])
    para.wrap(450, 10_000)
    first, rest = para.split(450, 24 * 10)
    first.wrap(450, 24 * 10)
    rest.wrap(450, 10_000)
    assert len(first.lines) == 10
    _assert_breaks_between_words(text, first.line_texts() + rest.line_texts())


def test_split_inside_a_cut_long_word_keeps_every_character():
    word = "ญี่ปุ่นปั้นน้ำปุ๋ยเคลื่อน" * 6
    para = ThaiParagraph(word, thai_styles()["table"])
    para.wrap(70, 10_000)
    first, rest = para.split(70, 20 * 2)
    rest.wrap(70, 10_000)
    assert "".join(first.line_texts() + rest.line_texts()) == word


def test_table_with_multiline_cells_across_pages(tmp_path):
    st = thai_styles()
    rows = [[ThaiParagraph(h, st["table_header"]) for h in ("ที่", "อำเภอ", "หมายเหตุ")]]
    for i in range(40):
        rows.append(
            [
                ThaiParagraph(str(i + 1), st["table"]),
                ThaiParagraph("เมืองนครพนม", st["table"]),
                ThaiParagraph(f"แถว {i + 1} {TEXT}", st["table"]),
            ]
        )
    table = Table(rows, colWidths=[30, 90, 300], repeatRows=1)
    table.setStyle(
        TableStyle(
            [("GRID", (0, 0), (-1, -1), 0.5, "#888888"), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        )
    )
    pdf = build([table], tmp_path / "table.pdf")
    assert page_count(pdf) >= 3
    text = squash(pdftotext(pdf))
    for i in range(40):
        assert squash(f"แถว {i + 1} {TEXT}") in text
    assert text.count(squash("หมายเหตุ")) == page_count(pdf)  # header repeated
    # the cells' own lines break between words
    cell = rows[5][2]
    cell.wrap(300 - 12, 1000)
    assert len(cell.lines) >= 3
    _assert_breaks_between_words(cell.getPlainText(), cell.line_texts())


def test_table_row_taller_than_a_page_splits_inside_the_row(tmp_path):
    st = thai_styles()
    big = (TEXT * 25).strip()
    table = Table(
        [[ThaiParagraph("1", st["table"]), ThaiParagraph(big, st["table"])]],
        colWidths=[30, 400],
        splitInRow=1,
    )
    pdf = build([table, PageBreak()], tmp_path / "tall.pdf")
    assert page_count(pdf) >= 2
    assert squash(big) in squash(pdftotext(pdf))


def test_missing_uharfbuzz_is_a_loud_error(monkeypatch):
    register_fonts()
    monkeypatch.setitem(sys.modules, "uharfbuzz", None)  # import uharfbuzz -> ImportError
    with pytest.raises(ShapingUnavailable) as info:
        register_fonts()
    assert "uharfbuzz" in str(info.value)
    with pytest.raises(ShapingUnavailable):
        ThaiParagraph("ที่", thai_styles()["body"])


def test_reportlab_without_harfbuzz_is_a_loud_error(monkeypatch):
    from reportlab.pdfbase import ttfonts

    monkeypatch.setattr(ttfonts, "uharfbuzz", None)
    with pytest.raises(ShapingUnavailable):
        register_fonts()


def test_nfkd_helper_equivalence():
    assert nfkd("น้ำ") == "น\u0e49\u0e4d\u0e32"


def test_dates_and_latin_runs_stay_on_one_line():
    tokens = segment("เมื่อวันที่ 15 ก.พ. 2568 ดูไฟล์ lev_desktop/exports/pdf/fonts.py ปี พ.ศ. 2568")
    assert "15 ก.พ. 2568" in tokens
    assert "lev_desktop/exports/pdf/fonts.py" in tokens
    assert "พ.ศ. 2568" in tokens
    para = ThaiParagraph("ประชุมเมื่อวันที่ 15 ก.พ. 2568 ที่ห้องประชุม", thai_styles()["table"])
    for width in range(90, 300, 7):
        para.wrap(width, 1000)
        assert any("15 ก.พ. 2568" in line for line in para.line_texts()), width
    # in a column too narrow for the whole date, it breaks at its own spaces, not in a word
    para.wrap(50, 1000)
    assert not any(line.startswith(" ") or line.endswith(" ") for line in para.line_texts())
    assert "".join(para.line_texts()).replace(" ", "") == para.getPlainText().replace(" ", "")


def test_pdftotext_layout_table_cell_lines_end_at_word_boundaries(tmp_path):
    st = thai_styles()
    cells = [_words(60 + 10 * i, 100 + i) for i in range(8)]
    table = Table([[ThaiParagraph(c, st["table"])] for c in cells], colWidths=[260])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#888888")]))
    pdf = build([table], tmp_path / "cells.pdf")
    lines = [ln for ln in pdftotext(pdf, "-layout").splitlines() if ln.strip()]
    assert len(lines) > 3 * len(cells)
    # one column: the text lines are the cells' lines, in order; cells end at "\n"
    _assert_breaks_between_words("\n".join(cells), lines, 260 - 12, 14)


_PARTS = [
    "ที่",
    "ผู้",
    "ญี่ปุ่น",
    "ปั้น",
    "น้ำ",
    "ปุ๋ย",
    "เคลื่อน",
    "กำแพงเพชร",
    " ",
    " ",
    "\n",
    "15 ก.พ. 2568",
    "abc",
    "1,250.50",
    "(",
    ")",
    "ๆ",
    "\t",
    "\u200b",
    "องค์การบริหารส่วนตำบล",
    "ฤๅษี",
    "ก่ำ",
    "\u00a0",
    "เ",
    "ุ",
]


@settings(max_examples=150, deadline=None)
@given(
    hs.lists(hs.sampled_from(_PARTS), max_size=40),
    hs.integers(20, 400),
    hs.sampled_from([10, 14, 16, 22]),
)
def test_layout_never_loses_text_or_splits_a_cluster(parts, width, size):
    text = "".join(parts)
    style = ParagraphStyle("h", parent=thai_styles()["body"], fontSize=size, leading=size * 1.5)
    para = ThaiParagraph(text, style)
    para.wrap(width, 100_000)
    lines = para.line_texts()
    expected = text.replace("\u200b", "").replace("\t", " ")
    assert "".join("".join(lines).split()) == "".join(expected.split())
    for line in lines:
        if line:
            assert line[0] not in " \t\n" and line[-1] not in " \t\n"  # (U+00A0 is text)
            # no line starts with a mark unless the source text itself does
            if joins_previous(line[0]):
                assert expected.lstrip().startswith(line[0]) or any(p == "ุ" for p in parts)
        if string_width(line, "Sarabun", size) > width + 0.01:
            assert len([c for i, c in enumerate(line) if is_cluster_start(line, i)]) == 1


def test_domain_abbreviations_are_single_words():
    from exports.pdf import segment

    tokens = segment("เครือข่ายอถล.ร่วมกับสถอ. ร.ต.ท.สมชาย กง.สว.")
    for unit in ("อถล.", "สถอ.", "ร.ต.ท.สมชาย", "กง.สว."):
        assert unit in tokens, (unit, tokens)


def test_a_centred_title_breaks_into_even_lines_at_its_phrases():
    """A title is filled at the narrowest width that keeps its number of lines, its breaks at
    spaces where they can all be: F2's title ended "…อาสาสมัครท้องถิ่นรักษ์" / "โลก" and F3's
    "…ประจำปีงบประมาณ" / "พ.ศ. ๒๕๖๘" (a word or a year alone on the last line)."""
    from exports.reports import wording as W
    from exports.reports.layout import frame_width, title_block

    def lines(text: str) -> list[str]:
        title = title_block([text])[0]
        title.wrap(frame_width(True), 1000)
        return [line.strip() for line in title.line_texts()]

    assert lines(W.SUMMARY_TITLE) == [
        "แบบสรุปผลการดำเนินงานตามแผนปฏิบัติงาน",
        "คณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก",
    ]
    assert lines("การขับเคลื่อนคณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก ประจำปีงบประมาณ พ.ศ. ๒๕๖๘") == [
        "การขับเคลื่อนคณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก",
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘",
    ]
    assert lines("ประกาศองค์การบริหารส่วนตำบลหนองแสง") == ["ประกาศองค์การบริหารส่วนตำบลหนองแสง"]


def test_the_notices_subject_breaks_at_its_phrases():
    """The notice's subject on three lines as a typist sets it: the programme's name whole on
    its own line, the year after the space. Before, without a width where every break falls
    at a space, it kept the narrowest fill: "…อาสาสมัครท้องถิ่น" / "รักษ์โลก ประจำปี…" (the
    name of the programme cut in two); the most breaks at spaces now come first, and a compound
    ("คณะกรรมการ") is never cut to get one."""
    from exports.reports import wording as W
    from exports.reports.documents import BODY_SIZE
    from exports.reports.layout import frame_width
    from exports.reports.text import para, style

    subject = para(
        f"เรื่อง ผลการดำเนินงานตามแผนปฏิบัติงาน{W.PROGRAMME_LEV} ประจำปีงบประมาณ พ.ศ. ๒๕๖๘",
        style(BODY_SIZE + 2, bold=True, align="center"),
    )
    subject.wrap(frame_width(False), 1000)
    assert [line.strip() for line in subject.line_texts()] == [
        "เรื่อง ผลการดำเนินงานตามแผนปฏิบัติงาน",
        "คณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก",
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘",
    ]
