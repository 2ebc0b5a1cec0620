"""Line breaking a Thai typesetter accepts, measured on a corpus of official text.

The figure per column width is printed (``-s``) and checked: at most 0.3 % of the engine's
breaks may fall where neither ICU nor libthai would break (breaks inside a run that neither
can break and that is wider than the column, and breaks by the URL rule, are counted apart).
"""

from __future__ import annotations

import pytest

from exports.pdf import ThaiParagraph, segment, thai_styles
from exports.pdf.words import breaker_name, segment_units

from .corpus_breaks import WIDTHS_CM, measure, report
from .reference_breaks import icu_available, libthai_available

pytestmark = pytest.mark.skipif(
    not (icu_available() and libthai_available()),
    reason="needs PyICU and libthai (libthai0 libthai-data)",
)


def test_corpus_breaks_agree_with_icu_or_libthai(capsys):
    results = measure()
    text = report(results, show=10)
    with capsys.disabled():
        print(f"\nengine breaker: {breaker_name()}\n{text}")
    assert [r.width_cm for r in results] == list(WIDTHS_CM)
    for r in results:
        assert r.breaks > 400
        assert r.foreign_share <= 0.003, text
        assert r.forced / r.breaks <= 0.01, text


def _lines(text: str, width: float, size: float = 16) -> list[str]:
    from reportlab.lib.styles import ParagraphStyle

    style = ParagraphStyle("t", parent=thai_styles()["body"], fontSize=size, leading=size * 1.5)
    para = ThaiParagraph([(text, "Sarabun")], style)
    para.wrap(width, 1e9)
    return para.line_texts()


def test_a_too_wide_compound_breaks_at_an_inner_word():
    lines = _lines("องค์การบริหารส่วนจังหวัดนครพนม", 70)
    assert "".join(lines) == "องค์การบริหารส่วนจังหวัดนครพนม"
    words = ("องค์การ", "บริหาร", "ส่วน", "จังหวัด", "นครพนม")
    bounds = {0}
    for w in words:
        bounds.add(max(bounds) + len(w))
    at = 0
    for line in lines[:-1]:
        at += len(line)
        assert at in bounds, lines
    assert _lines("ทรัพยากรธรรมชาติ", 80)[0] == "ทรัพยากร"


def test_a_letter_number_wider_than_its_column_is_never_cut_after_its_dot():
    """At 3 cm a letter number does not fit a line: it breaks at its space and after its "/"
    (libthai breaks there too), not after the dot of "๐๘๖๐.๒" as before."""
    from reportlab.lib.units import cm

    # (ลงวันที่ is one unit, compounds_th.txt: no line ends inside it, as "ลงวัน" did)
    assert _lines("ที่ มท ๐๘๖๐.๒/๙๐๗๐ ลงวันที่", 3 * cm) == ["ที่ มท", "๐๘๖๐.๒/", "๙๐๗๐", "ลงวันที่"]
    assert _lines("ที่ มท ๐๘๒๐.๒/ว ๕๐๓๗", 3 * cm) == ["ที่ มท", "๐๘๒๐.๒/ว", "๕๐๓๗"]


def test_names_stay_whole_where_they_fit():
    text = "ณ วัดศรีเทพประดิษฐาราม ลงชื่อ (นายวรวิทย์ พิมพนิตย์) ทต.นาราชควาย อำเภอหนองแสง"
    units = segment(text)
    for name in ("วัดศรีเทพประดิษฐาราม", "(นายวรวิทย์", "พิมพนิตย์)", "ทต.นาราชควาย", "อำเภอหนองแสง"):
        assert name in units, (name, units)
    # wider than its column: cut between syllables, not between arbitrary clusters
    lines = _lines("วัดศรีเทพประดิษฐาราม", 80)
    assert lines[0] in ("วัดศรีเทพ", "วัดศรีเทพประ", "วัดศรีเทพประดิษ"), lines


def test_after_an_areas_prefix_only_a_gazetteer_name_is_a_name():
    """After อำเภอ, ตำบล, เขต, จังหวัด … the gazetteer names every area, so ordinary words there
    are no name: "อำเภอรวบรวมรายงาน" (an obligation's title: the district collects the
    reports) was one unbreakable 125 pt unit, and the calendar's column was sized for it; so
    were เขตพื้นที่รับผิดชอบ, ตำบลละ and "องค์การบริหารส่วนจังหวัดและ" (a ตำบลและ exists, but
    และ begins no name)."""
    from exports.pdf.paragraph import extent

    text = "อำเภอรวบรวมรายงาน Soft Power ส่งจังหวัด ตำบลละ ๒ คน ในเขตพื้นที่รับผิดชอบ"
    assert segment(text) == [
        *("อำเภอ", "รวบรวม", "รายงาน", " ", "Soft", " ", "Power", " ", "ส่ง", "จังหวัด", " "),
        *("ตำบล", "ละ", " ", "๒", " ", "คน", " ", "ใน", "เขต", "พื้นที่", "รับผิดชอบ"),
    ]
    assert segment("ร่วมกับองค์การบริหารส่วนจังหวัดและภาคี")[2:] == [
        *("องค์การบริหารส่วนจังหวัด", "และ", "ภาคี"),
    ]
    # the widest unit a column must hold is a word now (it was the whole 125 pt)
    title = "อำเภอรวบรวมรายงาน Soft Power ของ ทต. และ อบต. ส่งจังหวัด"
    font = thai_styles()["table"].fontName
    assert extent(title, font, 14)[0] == extent("รวบรวม", font, 14)[0] < 46
    # the gazetteer's names after those prefixes, and an LAO's name after its type, stay whole
    for name in ("อำเภอเมืองนครพนม", "อ.เมือง", "จ.นครพนม", "สถอ.เมืองนครพนม", "เขตดุสิต"):
        assert segment(name) == [name]
    assert segment("ที่ว่าการอำเภอเมือง")[-1] == "อำเภอเมือง"
    assert segment("เทศบาลตำบลหนองบัวลำภูเหนือ") == ["เทศบาลตำบลหนองบัวลำภูเหนือ"]


def test_an_laos_name_is_the_gazetteers_not_the_sentence_glued_to_it():
    """After an LAO's type the run to the next space was its name however long: "จัดอบรม"
    written without a space after the name was glued to it ("อบต.บ้านใหม่จัดอบรมแกนนำ" one
    unbreakable unit), and so was a sentence with no name at all ("เทศบาลตำบลส่งอำเภอ": the
    municipality sends to the district). Now the name is the gazetteer's (an LAO is named
    after its subdistrict, town or province) with at most one word more; a name the gazetteer
    does not know still runs to the space."""
    assert segment("อบต.บ้านใหม่ จัดอบรม") == ["อบต.บ้านใหม่", " ", "จัด", "อบรม"]
    assert segment("อบต.บ้านใหม่จัดอบรมแกนนำ") == ["อบต.บ้านใหม่", "จัด", "อบรม", "แกนนำ"]
    assert segment("องค์การบริหารส่วนตำบลหนองแสงจัดกิจกรรม") == [
        *("องค์การบริหารส่วนตำบลหนองแสง", "จัด", "กิจกรรม"),
    ]
    assert segment("เทศบาลตำบลส่งอำเภอ") == ["เทศบาลตำบล", "ส่ง", "อำเภอ"]
    # longer than the gazetteer's name by a word, or a name it does not know: whole
    for name in ("เทศบาลตำบลหนองบัวลำภูเหนือ", "อบต.บ้านโคกสูง", "ทต.นาราชควาย"):
        assert segment(name) == [name]
    assert segment("นายกองค์การบริหารส่วนตำบลหนองแสง") == [
        *("นายก", "องค์การบริหารส่วนตำบลหนองแสง"),
    ]


def test_an_lao_type_is_whole_without_a_name_after_it():
    """F4's heading ended a line inside "ขององค์การบริหารส่วน" / "จังหวัด (ข้อ ๑.๔)": "จังหวัด"
    at a line's start reads as a province. The written-out types of LAO are one unit, as
    they are with a name after them."""
    assert segment("ขององค์การบริหารส่วนจังหวัด (ข้อ ๑.๔)") == [
        *("ของ", "องค์การบริหารส่วนจังหวัด", " ", "(ข้อ", " ", "๑.๔)"),
    ]
    assert segment("องค์การบริหารส่วนตำบลและเทศบาลตำบล")[:3] == [
        *("องค์การบริหารส่วนตำบล", "และ", "เทศบาลตำบล"),
    ]
    heading = "การส่งเสริมและสนับสนุนเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลกระดับจังหวัดขององค์การบริหารส่วนจังหวัด (ข้อ ๑.๔)"
    for width in range(200, 500, 20):
        for line in _lines(heading, width)[1:]:
            assert not line.startswith("จังหวัด ("), (width, line)


def test_abbreviations_by_rule_and_the_era_with_its_year():
    units = segment("ผอ.กง.สว. โทร. ๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๒๑๑๒ เครือข่ายอถล.ร่วมใจ เมื่อ พ.ศ. ๒๕๖๘ ร.ต.ท.สมชาย")
    for unit in ("ผอ.กง.สว.", "โทร.", "๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๒๑๑๒", "พ.ศ. ๒๕๖๘", "ร.ต.ท.สมชาย", "อถล."):
        assert unit in units, (unit, units)
    # an abbreviation no list knows
    assert "กจ.สป." in segment("ตามหนังสือกจ.สป.ที่แจ้ง")


def test_no_line_ends_with_an_opening_quote_or_bracket():
    text = 'แนวทาง "โคก หนอง นา" และ “LEV Week เครือข่าย อถล.” (ลงชื่อ) [ภาคผนวก]'
    for width in range(60, 260, 9):
        lines = _lines(text, width)
        for line in lines:
            assert line[-1] not in "“([", (width, lines)
            assert line[0] not in "”)]", (width, lines)
            assert line != '"', (width, lines)
        assert not any(line.endswith((' "', 'แนวทาง "')) for line in lines)


def test_urls_break_only_after_their_punctuation():
    url = "https://www.dla.go.th/servlet/DocumentServlet?docType=5&year=2568-abc.pdf"
    for width in (130, 160, 200, 260):  # every path part fits: no forced cut
        lines = _lines("ดูที่ " + url + " ครับ", width, size=14)
        joined = "".join(lines)
        start = joined.index("https")
        at = 0
        for line in lines[:-1]:
            at += len(line)
            if start < at < start + len(url):
                assert joined[at - 1] in "/?.-&", (width, lines)
    assert url in segment("ดูที่ " + url + " ครับ")


def test_no_hyphen_is_ever_added():
    text = "การประชาสัมพันธ์การสร้างอาชีพและเพิ่มรายได้จากขยะ" * 3
    for width in (40, 55, 70, 100):
        assert "-" not in "".join(_lines(text, width))


def test_inner_break_offsets_are_inside_their_unit():
    for unit, inner in segment_units("องค์การบริหารส่วนจังหวัดนครพนม https://a.b/c?d=1 พ.ศ. ๒๕๖๘"):
        assert all(0 < o < len(unit) for o in inner), (unit, inner)


@pytest.mark.parametrize("align", ["left", "justify"])
def test_no_last_line_is_one_word_broken_off_the_line_above(align):
    """The district's P2 indicator printed "ครัวเรือนที่มีถังขยะเปียกลดโลก" / "ร้อน" ("reduce
    the world" / "hot": ICU splits โลก|ร้อน, "global warming", and no dictionary lists it),
    the Soft Power table "ผ้าไหมมัด" / "หมี่", F2 "(ธนาคารขยะ) ครั้ง" / "ที่ ๑": the greedy
    fill left the end of a compound alone on the last line. Now the line above gives it its
    last word when the lines stay as many (a short last line only; a break at a space stays)."""
    from reportlab.lib.styles import ParagraphStyle

    style = ParagraphStyle(
        "t", parent=thai_styles()["body"], fontSize=14, leading=21, alignment=align
    )

    def lines(text: str, width: float) -> list[str]:
        para = ThaiParagraph([(text, "Sarabun")], style)
        para.wrap(width, 1e9)
        return para.line_texts()

    text = "ครัวเรือนที่มีถังขยะเปียกลดโลกร้อน"
    assert lines(text, 185) == ["ครัวเรือนที่มีถังขยะเปียกลด", "โลกร้อน"]
    assert lines("ผ้าไหมมัดหมี่", 62) == ["ผ้าไหม", "มัดหมี่"]
    assert lines("โครงการคัดแยกขยะและเศรษฐกิจหมุนเวียน (ธนาคารขยะ) ครั้งที่ ๑", 100)[-2:] == [
        *("(ธนาคารขยะ)", "ครั้งที่ ๑"),
    ]
    for width in range(110, 200, 4):
        found = lines(text, width)
        assert len(found) == (1 if width >= 199 else 2)
        assert found[-1] not in ("ร้อน", "โลก"), (width, found)
    # a last line that begins at a space, or is long, is left as it was
    assert lines("ผู้เข้าร่วมรวม ๑,๑๐๘ คน", 120) == ["ผู้เข้าร่วมรวม ๑,๑๐๘", "คน"]
