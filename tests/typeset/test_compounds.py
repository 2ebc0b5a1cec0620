"""Compounds a Thai reader reads as one word stay whole at line ends (compounds_th.txt).

ICU's line breaker splits งบ|ประมาณ, ท้อง|ถิ่น, คณะ|กรรมการ: a printed notice ended a line
with "ใช้งบ" and began the next with "ประมาณทั้งสิ้น" ("approximately"). The compounds of the
list are one line-break unit, with ICU's inner breaks as the unit's cut points when it is wider
than its column. And the temple-name rule no longer takes the วัด that ends ตัวชี้วัด for a
temple ("วัดจังหวัดสะอาด").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle

from exports.pdf import ThaiParagraph, paragraph, segment, thai_styles
from exports.pdf.words import segment_units
from lev_desktop.paths import resources_dir

from .reference_breaks import icu_available

needs_icu = pytest.mark.skipif(not icu_available(), reason="needs PyICU (the units are ICU's)")

LIST = resources_dir() / "data" / "compounds_th.txt"


def _listed() -> list[str]:
    return [
        w.strip()
        for w in LIST.read_text("utf-8").splitlines()
        if w.strip() and not w.startswith("#")
    ]


def _code_points(units: list[str]) -> list[list[str]]:
    return [[f"U+{ord(c):04X}" for c in u] for u in units]


SENTENCES = {
    "มีผู้เข้าร่วมรวม ๑,๑๐๘ คน ใช้งบประมาณทั้งสิ้น": [
        "มี",
        "ผู้เข้าร่วม",
        "รวม",
        " ",
        "๑,๑๐๘",
        " ",
        "คน",
        " ",
        "ใช้",
        "งบประมาณ",
        "ทั้ง",
        "สิ้น",
    ],
    "ได้จัดทำแผนปฏิบัติงานคณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก ประจำปีงบประมาณ": [
        "ได้",
        "จัดทำ",
        "แผน",
        "ปฏิบัติงาน",
        "คณะกรรมการ",
        "เครือข่าย",
        "อาสาสมัคร",
        "ท้องถิ่น",
        "รักษ์โลก",
        " ",
        "ประจำ",
        "ปีงบประมาณ",
    ],
    "รายงานตัวชี้วัดจังหวัดสะอาด": ["รายงาน", "ตัวชี้วัด", "จังหวัดสะอาด"],
}


@needs_icu
@pytest.mark.parametrize("text", list(SENTENCES), ids=["budget", "committee", "kpi"])
def test_the_printed_sentences_keep_their_compounds_whole(text):
    units = segment(text)
    assert _code_points(units) == _code_points(SENTENCES[text]), units


@needs_icu
def test_a_compound_keeps_icus_inner_breaks_as_its_cut_points():
    units = dict(segment_units("มีผู้เข้าร่วม ใช้งบประมาณ คณะกรรมการ ตัวชี้วัด เทอร์มินัล"))
    assert units["ผู้เข้าร่วม"] == (3, 7)  # ผู้|เข้า|ร่วม
    assert units["งบประมาณ"] == (2,)
    assert units["คณะกรรมการ"] == (3,)
    assert units["ตัวชี้วัด"] == (3, 6)
    assert units["เทอร์มินัล"] == (2, 5, 7)  # เท|อร์|มิ|นัล


@needs_icu
def test_a_compound_is_found_only_between_icus_word_edges():
    # รายได้ is listed; อันตราย|ได้ holds the letters, not the word
    assert segment("ขยะอันตรายได้รับการคัดแยก")[:3] == ["ขยะ", "อันตราย", "ได้"]
    assert "คัดแยก" in segment("ขยะอันตรายได้รับการคัดแยก")


@needs_icu
def test_wat_that_ends_a_word_begins_no_temple_name():
    assert segment("รายงานตัวชี้วัดจังหวัดสะอาด")[1] == "ตัวชี้วัด"
    assert "วัดจังหวัดสะอาด" not in "|".join(segment("ตามชี้วัดจังหวัดสะอาด"))
    assert "การวัด" in segment("การวัดปริมาณขยะ")
    # a temple after its prefix is still one unit
    for text, name in [
        ("ณ วัดศรีเทพประดิษฐาราม", "วัดศรีเทพประดิษฐาราม"),
        ("ที่วัดป่า", "วัดป่า"),
    ]:
        assert name in segment(text), (text, segment(text))


def _lines(text: str, width: float, size: float = 16) -> list[str]:
    style = ParagraphStyle("t", parent=thai_styles()["body"], fontSize=size, leading=size * 1.5)
    para = ThaiParagraph([(text, "Sarabun")], style)
    para.wrap(width, 1e9)
    return para.line_texts()


@needs_icu
def test_a_compound_wider_than_a_narrow_column_is_cut_at_its_inner_break():
    from exports.pdf import string_width

    for word, parts in [
        ("คณะกรรมการ", ["คณะ", "กรรมการ"]),
        ("ผู้ประสานงาน", ["ผู้ประสาน", "งาน"]),
        ("สิ่งแวดล้อม", ["สิ่ง", "แวดล้อม"]),
    ]:
        # a column as wide as the widest part: the cut falls between the parts, never
        # inside a syllable
        width = max(string_width(p, "Sarabun", 16) for p in parts) + 0.5
        assert string_width(word, "Sarabun", 16) > width
        assert _lines(word, width) == parts, word
    # in a sentence, a column just wide enough for the compound: whole on its line, where
    # the breaker's units put "และคณะ" on one line and "กรรมการ" on the next
    width = string_width("คณะกรรมการ", "Sarabun", 16) + 0.5
    lines = _lines("เจ้าหน้าที่ท้องถิ่นและคณะกรรมการ", width)
    assert lines == ["เจ้าหน้าที่", "ท้องถิ่นและ", "คณะกรรมการ"], lines


def test_the_list_follows_its_own_rule():
    from exports.pdf.words import _compounds

    words = _listed()
    assert len(words) == len(set(words)), "a word listed twice"
    assert frozenset(words) == _compounds()[0]
    lev_words = set(Path(resources_dir() / "data" / "words_lev.txt").read_text("utf-8").split())
    for w in words:
        assert len(w) <= 12, w  # short: justified lines keep their break opportunities
        assert all("\u0e01" <= c <= "\u0e4e" for c in w), w  # one Thai word, no space
        assert w not in lev_words, w  # not in the word list: its inner breaks stay
    if icu_available():
        from exports.pdf.words import _icu_iterator, _icu_segment

        whole = [w for w in words if len(_icu_segment(w, _icu_iterator())) < 2]
        assert whole == [], f"ICU keeps these whole already: {whole}"


def _drawn(monkeypatch) -> list[tuple[str, list[tuple[str, bool]]]]:
    """The text and the lines of each paragraph the document draws (the layout's own lines)."""
    drawn: list[tuple[str, list[tuple[str, bool]]]] = []
    draw = paragraph.ThaiParagraph.draw

    def record(self):
        drawn.append((self.getPlainText(), [(line.text, line.last) for line in self.lines]))
        return draw(self)

    monkeypatch.setattr(paragraph.ThaiParagraph, "draw", record)
    return drawn


def _line_ends_inside_compounds(text: str, lines: list[tuple[str, bool]]) -> list[str]:
    words = _listed()
    bounds = {0}
    at = 0
    for unit in segment(text):
        at += len(unit)
        bounds.add(at)
    found = []
    pos = 0
    for n, (line, last) in enumerate(lines):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        assert text.startswith(line, pos), (text[pos : pos + 20], line)
        pos += len(line)
        if last or n == len(lines) - 1:
            continue
        for w in words:
            for s in range(max(0, pos - len(w) + 1), pos):
                if text.startswith(w, s) and s in bounds and s + len(w) in bounds:
                    found.append(f"{text[max(0, pos - 12) : pos]}|{text[pos : pos + 12]}")
    return found


@needs_icu
@pytest.mark.parametrize("kind", ["notice", "summary", "plan"])
def test_no_printed_line_ends_inside_a_listed_compound(demo_store, tmp_path, monkeypatch, kind):
    """The notice, F2 and F1 of the demo district, laid out at their real widths."""
    from exports.reports import ReportOptions, ReportRequest, generate

    drawn = _drawn(monkeypatch)
    generate(
        demo_store,
        ReportRequest(kind, "4801001", 2568, "pdf"),
        options=ReportOptions(thai_digits=True),
        folder=tmp_path,
    )
    assert len(drawn) > 10
    found = [e for text, lines in drawn for e in _line_ends_inside_compounds(text, lines)]
    assert found == []


@needs_icu
def test_sender_and_recipient_are_one_word_each():
    """The agenda's column "ผู้ส่ง → ผู้รับ" wrapped inside a word in a narrow column (fit15,
    fit16): ผู้ is a bound form (ผู้|ส่ง reads "person" / "send"), and ผู้ส่ง is listed."""
    from ui import thai_wrap

    assert segment("ผู้ส่ง → ผู้รับ") == ["ผู้ส่ง", " ", "→", " ", "ผู้รับ"]
    thai_wrap.load()
    assert "\u200b" not in thai_wrap.display_text("ผู้ส่ง").strip("\u200b")


@needs_icu
def test_a_compound_in_brackets_stays_whole():
    """F2's column title "(เทียบตัวชี้วัด)" printed "(เทียบตัว" over "ชี้วัด)": the bracket
    glued to วัด hid the compound's end from the rule."""
    assert segment("(เทียบตัวชี้วัด)") == ["(เทียบ", "ตัวชี้วัด)"]
    assert segment("(ตัวชี้วัด)") == ["(ตัวชี้วัด)"]
    assert segment("งบประมาณ, ท้องถิ่น)") == ["งบประมาณ,", " ", "ท้องถิ่น)"]


@needs_icu
def test_a_compound_behind_a_longer_word_of_the_breaker_stays_whole():
    """ICU reads "ค่าตัวชี้วัด" as ค่าตัว|ชี้วัด ("fee" | "indicate"): a KPI note printed
    "ค่าตัว" at a line end. It is ค่า|ตัวชี้วัด; อันตราย|ได้ is still not อันต|รายได้."""
    assert segment("ค่าตัวชี้วัดร้อยละ ๘๕") == ["ค่า", "ตัวชี้วัด", "ร้อยละ", " ", "๘๕"]
    assert segment("อันตรายได้") == ["อันตราย", "ได้"]
    assert segment("ค่าตัวนักร้อง") == ["ค่าตัว", "นัก", "ร้อง"]


@needs_icu
def test_the_summary_column_title_breaks_before_its_compound():
    from exports.pdf import string_width

    width = string_width("(เทียบตัว", "Sarabun", 16) + 0.5  # the old break fitted
    assert string_width("ตัวชี้วัด)", "Sarabun", 16) < width
    assert _lines("(เทียบตัวชี้วัด)", width) == ["(เทียบ", "ตัวชี้วัด)"]
    width = string_width("ข้อมูลค่าตัว", "Sarabun", 16) + 0.5
    assert _lines("ข้อมูลค่าตัวชี้วัด", width) == ["ข้อมูลค่า", "ตัวชี้วัด"]


@needs_icu
def test_percent_knowledge_and_household_are_one_word():
    """A screen cell ended a line with "ร้อย" ("hundred") before "ละ ๘๕", and the Soft Power
    report's title (6) printed "ให้ความ" over "รู้การสร้าง": ร้อยละ, ความรู้ and ครัวเรือน are
    listed."""
    assert segment("ร้อยละ ๘๕") == ["ร้อยละ", " ", "๘๕"]
    # the KPI overview's column title read "ขยะที่ต้นทาง (ครัว" / "เรือน)"
    assert segment("ขยะที่ต้นทาง (ครัวเรือน)") == ["ขยะ", "ที่", "ต้นทาง", " ", "(ครัวเรือน)"]
    assert segment("การจัดอบรมให้ความรู้การสร้างรายได้จากขยะ") == [
        "การ",
        "จัด",
        "อบรม",
        "ให้",
        "ความรู้",
        "การ",
        "สร้าง",
        "รายได้",
        "จาก",
        "ขยะ",
    ]


def test_a_deadlines_state_keeps_overdue_whole():
    """An LAO's calendar printed its state "เกิน" / "กำหนด" / "๔๖๐ วัน" ("exceeds" /
    "scheduled 460 days") in a column sized for "กำหนด": เกินกำหนด and ครบกำหนด are listed,
    so the column is fitted to the word and the line never ends inside it."""
    assert segment("เกินกำหนด ๔๖๐ วัน") == ["เกินกำหนด", " ", "๔๖๐", " ", "วัน"]
    assert segment("ใกล้ครบกำหนด") == ["ใกล้", "ครบกำหนด"]
    lines = ThaiParagraph("เกินกำหนด ๔๖๐ วัน", thai_styles()["table"])
    lines.wrap(paragraph.extent("เกินกำหนด", thai_styles()["table"].fontName, 14)[0] + 1, 500)
    assert lines.line_texts() == ["เกินกำหนด", "๔๖๐ วัน"]


@needs_icu
def test_words_of_the_demo_plans_that_broke_inside_stay_whole():
    """Read in the demo LAO's F1, F2 and calendar: "ร้อยละของผู้" / "ค้าที่เข้าร่วม" (ผู้ is a
    bound form), "โครงการอบรมแกน" (axis) / "นำ อถล.", "(รายงานราย" / "เดือน)", "โครงการทำปุ๋ย" /
    "หมัก…" (marinate), "พญานาค ลุ่ม" / "น้ำโขง": ICU splits these words of the dictionary;
    listed as compounds, a line no longer ends inside them. ("ประชาชนบาง" / "ส่วน…" reads
    "some people" / "…": left as it is.)"""
    from exports.pdf import string_width

    def at_the_old_break(before: str, after: str) -> list[str]:
        return _lines(before + after, string_width(before, "Sarabun", 16) + 0.5)

    assert at_the_old_break("ร้อยละของผู้", "ค้าที่เข้าร่วม") == ["ร้อยละของ", "ผู้ค้าที่", "เข้าร่วม"]
    assert at_the_old_break("โครงการอบรมแกน", "นำ อถล.") == ["โครงการอบรม", "แกนนำ อถล."]
    assert at_the_old_break("(รายงานราย", "เดือน)") == ["(รายงาน", "รายเดือน)"]
    assert at_the_old_break("โครงการทำปุ๋ย", "หมักจากขยะ") == ["โครงการทำ", "ปุ๋ยหมัก", "จากขยะ"]
    assert at_the_old_break("พญานาค ลุ่ม", "น้ำโขง") == ["พญานาค", "ลุ่มน้ำโขง"]
