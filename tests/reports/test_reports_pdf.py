"""The PDF documents: text survives (pdftotext), fonts embedded, options, headers repeated."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

from exports.pdf import segment
from exports.reports import KINDS, ReportOptions, ReportRequest, generate
from lev_desktop.thai_format import document_digits

from .conftest import (
    ACTIVITY,
    HARD_WORDS,
    LOCATION,
    PROJECT,
    needs_poppler,
    norm,
    pdftotext,
    store_for,
)


def make(store, kind: str, tmp_path: Path, office: str = "4801006", **opts) -> Path:
    options = ReportOptions(**{"signer_name": "นายทดสอบ ผู้ใหญ่", "thai_digits": False, **opts})
    return generate(
        store,
        ReportRequest(kind, office, 2568, "pdf", month=(2025, 9)),
        options=options,
        folder=tmp_path,
    )


@needs_poppler
@pytest.mark.parametrize("kind", ["plan", "summary", "notice"])
def test_lao_documents_keep_the_thai_text(report_store, tmp_path, kind):
    path = make(report_store, kind, tmp_path)
    text = norm(pdftotext(path))
    expected = [PROJECT, "องค์การบริหารส่วนตำบลหนองแสง", "นายทดสอบผู้ใหญ่", *HARD_WORDS]
    if kind == "plan":  # one digit setting for the whole document: the typed ๓ too
        expected += [document_digits(LOCATION, "arabic"), "12,500.50"]
    if kind == "summary":
        expected += [ACTIVITY, "15ก.พ.2568", "7,250.25"]
    if kind == "notice":
        expected += [
            "ประกาศองค์การบริหารส่วนตำบลหนองแสง",
            "เรื่องผลการดำเนินงาน",
            "ประกาศณวันที่30กันยายนพ.ศ.2568",
            "จึงประกาศมาเพื่อทราบโดยทั่วกัน",
            "นายกองค์การบริหารส่วนตำบลหนองแสง",
        ]
    for phrase in expected:
        if kind in ("plan", "summary") and phrase in (
            PROJECT,
            document_digits(LOCATION, "arabic"),
            ACTIVITY,
        ):
            # a table cell wraps; pdftotext may interleave its lines with the next column's,
            # so each word of the cell is looked for
            for word in segment(phrase):
                assert norm(word) in text, (phrase, word)
        else:
            assert norm(phrase) in text, phrase


@needs_poppler
def test_fonts_are_sarabun_and_embedded(report_store, tmp_path):
    path = make(report_store, "summary", tmp_path)
    out = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert out, "no fonts listed"
    for line in out:
        assert "Sarabun" in line and " yes " in line, line


@needs_poppler
def test_thai_digits_option(report_store, tmp_path):
    thai = norm(pdftotext(make(report_store, "plan", tmp_path / "t", thai_digits=True)))
    arabic = norm(pdftotext(make(report_store, "plan", tmp_path / "a", thai_digits=False)))
    assert norm("ประจำปีงบประมาณ พ.ศ. ๒๕๖๘") in thai
    assert norm("๑๒,๕๐๐.๕๐") in thai
    assert norm("ประจำปีงบประมาณ พ.ศ. 2568") in arabic
    assert norm("12,500.50") in arabic
    # every figure the program writes follows the option; Thai digits a person typed stay
    assert "๒๕๖๘" not in arabic and "๑๒,๕๐๐" not in arabic
    assert re.search("[0-9]", thai) is None, re.search(".{20}[0-9].{20}", thai)


@needs_poppler
def test_letterhead_and_signer_position(report_store, tmp_path):
    path = make(
        report_store,
        "notice",
        tmp_path,
        letterhead="ที่ นพ ๗๕๔๐๑/ว ๑๒๓",
        thai_digits=True,
        signer_position="ปลัดองค์การบริหารส่วนตำบล ปฏิบัติหน้าที่แทน",
    )
    text = norm(pdftotext(path))
    assert norm("ที่ นพ ๗๕๔๐๑/ว ๑๒๓") in text
    assert norm("ปลัดองค์การบริหารส่วนตำบล ปฏิบัติหน้าที่แทน") in text


def test_garuda_image_is_drawn_when_picked(report_store, tmp_path):
    from PIL import Image

    image = tmp_path / "garuda.png"
    Image.new("RGB", (60, 60), (200, 30, 30)).save(image)
    with_image = make(report_store, "notice", tmp_path / "g", garuda_image=str(image))
    without = make(report_store, "notice", tmp_path / "n")
    assert b"/Subtype /Image" in with_image.read_bytes()
    assert b"/Subtype /Image" not in without.read_bytes()


@needs_poppler
def test_monitoring_header_repeats_on_every_page(tmp_path):
    """Synthetic 300-LAO table: every page carries the column headings and the rows stay in
    order with none lost."""
    from exports.reports.data import MonitoringData, MonitoringRow, OfficeInfo
    from exports.reports.documents import monitoring_pdf

    office = OfficeInfo(
        "P48", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนครพนม", "province", None, None, "48"
    )
    rows = [
        MonitoringRow(
            f"อำเภอที่{i // 20}",
            f"48{i // 20:02d}",
            f"อบต.ทดสอบ{i:04d}",
            f"x{i}",
            dt.date(2024, 10, 15),
            dt.date(2024, 11, 1),
            dt.date(2024, 11, 2),
            i % 7,
            dt.date(2025, 9, 20) if i % 3 else None,
            None,
            "",
        )
        for i in range(300)
    ]
    path = tmp_path / "f3.pdf"
    path.write_bytes(
        monitoring_pdf(MonitoringData(office, 2568, rows), ReportOptions(thai_digits=False))
    )
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(path)], capture_output=True, text=True, check=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    assert pages > 5
    seen = []
    for page in range(1, pages + 1):
        text = pdftotext(path, page, layout=True)
        if "อบต.ทดสอบ" in text:
            assert "การประชุม" in text and "หมายเหตุ" in text, f"page {page} has no header"
        seen += [int(w[-4:]) for w in text.split() if w.startswith("อบต.ทดสอบ")]
    assert seen == list(range(300))


def test_every_kind_makes_a_pdf(request, tmp_path):
    for kind in KINDS:
        office = "D4801" if kind in ("monitoring", "calendar", "monthly") else "4801006"
        if kind == "province":
            office = "P48"
        path = make(store_for(request, kind), kind, tmp_path, office=office)
        assert path.read_bytes().startswith(b"%PDF")
        assert path.name.endswith(".pdf")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~lev-")]


@pytest.mark.parametrize("kind", ["plan", "summary", "notice", "monitoring"])
def test_lines_break_only_between_words(report_store, tmp_path, monkeypatch, kind):
    """Every line of every paragraph and cell ends where the segmenter says a word ends."""
    from exports.reports import layout, text

    made = []
    original = text.para

    def recording(value, st):
        flowable = original(value, st)
        made.append((value or "", flowable))
        return flowable

    monkeypatch.setattr(text, "para", recording)
    monkeypatch.setattr(layout, "para", recording)
    import exports.reports.documents as documents

    monkeypatch.setattr(documents, "para", recording)
    make(report_store, kind, tmp_path, office="4801006")
    checked = 0
    for source, flowable in made:
        lines = [line.strip() for line in flowable.line_texts()]
        if len(lines) < 2:
            continue
        from exports.reports.text import text_width

        size = flowable.style.fontSize
        bold = "Bold" in flowable.style.fontName
        for part in source.split("\n"):
            ends = set()
            position = 0
            for word in segment(part):
                start = position
                position += len(word)
                ends.add(position)
                if text_width(word.strip(), size, bold) > flowable.width:
                    # a word wider than its cell must be cut somewhere: any place is allowed
                    ends.update(range(start, position + 1))
            cursor = 0
            for line in lines:
                if not line:
                    continue
                found = part.find(line, cursor)
                if found < 0:
                    continue  # this line belongs to another hard-broken part
                end = found + len(line)
                assert end in ends or end == len(part), (source, line)
                cursor = end
                checked += 1
    assert checked > 5


@needs_poppler
def test_a_row_taller_than_a_page_continues_on_the_next(tmp_path):
    from decimal import Decimal

    from exports.reports.data import OfficeInfo, PlanData, PlanRow
    from exports.reports.documents import plan_pdf

    office = OfficeInfo("4801006", "องค์การบริหารส่วนตำบลหนองแสง", "lao", "sao", "4801", "48")
    long_text = " ".join(f"กิจกรรมย่อยที่{i} ปั้นปุ๋ยหมักริมน้ำ" for i in range(250))
    rows = [
        PlanRow(
            1, "โครงการยาวมาก", long_text, "เป้าหมาย", "ที่", Decimal("1000"), False, "ตัวชี้วัด", "ผล", 1
        ),
        PlanRow(2, "โครงการถัดไป", "สั้น", "เป้าหมาย", "ที่", None, True, "ตัวชี้วัด", "ผล", 1),
    ]
    path = tmp_path / "long.pdf"
    path.write_bytes(
        plan_pdf(
            PlanData(office, 2568, "P1", {}, "draft", rows, {}), ReportOptions(thai_digits=False)
        )
    )
    # -raw: in drawing order, so a cell's lines stay together whatever the column width
    raw = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    text = norm(raw)
    assert norm("กิจกรรมย่อยที่249") in text and norm("โครงการถัดไป") in text
    assert norm("กิจกรรมย่อยที่0") in text
    assert "(ต่อ)" in raw  # the continued row says so on the next page


@needs_poppler
def test_indicator_tables_are_fitted_to_their_content(demo_store, tmp_path):
    """P2 (a district's indicators): the numbers as wide as they print, the indicator's name
    the rest, a text indicator's common answer across the four number columns. With the
    fixed column weights the names and the answer wrapped in narrow columns: 3 pages."""
    from exports.reports.data import load_kpi
    from exports.reports.documents import common_answer_text

    path = generate(
        demo_store,
        ReportRequest("kpi", "D4801", 2568, "pdf"),
        options=ReportOptions(),
        folder=tmp_path,
    )
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Pages:           2" in info
    lines = [" ".join(x.split()) for x in pdftotext(path, layout=True).splitlines()]
    data = load_kpi(demo_store, "D4801", 2568)
    answers = [
        common_answer_text(ln, ReportOptions())
        for _stage, group in data.stages
        for ln in group
        if ln.answers
    ]
    assert answers
    for answer in answers:  # whole on its row's line
        assert any(x.endswith(" " + " ".join(answer.split())) for x in lines), answer


@needs_poppler
def test_f1_total_never_stands_alone_on_the_last_page(tmp_path):
    """13 short projects filled page one to its end and F1's "รวม" went over alone, over
    the signatures: the last two projects now go over with it (layout.PagedTable.split)."""
    from decimal import Decimal

    from exports.reports.data import OfficeInfo, PlanData, PlanRow
    from exports.reports.documents import plan_pdf

    office = OfficeInfo("4801006", "องค์การบริหารส่วนตำบลหนองแสง", "lao", "sao", "4801", "48")
    rows = [
        PlanRow(
            i,
            f"โครงการที่ {i}",
            "เพื่อให้ชุมชนสะอาด",
            "ชุมชน",
            "หมู่บ้าน",
            Decimal("1000"),
            False,
            "ตัวชี้วัด",
            "ผล",
            1,
        )
        for i in range(1, 14)
    ]
    path = tmp_path / "f1.pdf"
    path.write_bytes(
        plan_pdf(
            PlanData(office, 2568, "P1", {}, "draft", rows, {}), ReportOptions(thai_digits=False)
        )
    )
    first, last = pdftotext(path, 1, layout=True), pdftotext(path, 2, layout=True)
    assert "โครงการที่ 11" in first and "โครงการที่ 12" not in first
    assert [line.split()[:2] for line in last.splitlines() if "โครงการที่" in line] == [
        ["12", "โครงการที่"],
        ["13", "โครงการที่"],
    ]
    assert "รวม" in last and "ผู้จัดทำแผน" in last


@needs_poppler
def test_f1_total_keeps_the_last_lines_of_a_long_project(tmp_path):
    """A project 10 pages long that filled page 10 to its end: its total went alone over
    the signatures onto page 11; now the project's last lines go over with them ("2 (ต่อ)").
    (Since its objective column is no longer left a few words wide, the headings get their
    width (below) and F1 is set at 12 pt when that saves lines, the text of 88 items takes 3
    pages and 89 fill the third to its end: 4 pages.)"""
    from decimal import Decimal

    from exports.reports.data import OfficeInfo, PlanData, PlanRow
    from exports.reports.documents import plan_pdf

    office = OfficeInfo("4801006", "องค์การบริหารส่วนตำบลหนองแสง", "lao", "sao", "4801", "48")
    long_text = " ".join(f"กิจกรรมย่อยที่{i} ปั้นปุ๋ยหมักริมน้ำ" for i in range(89))
    rows = [
        PlanRow(1, "โครงการสั้น", "สั้น", "เป้าหมาย", "ที่", Decimal("1000"), False, "ตัวชี้วัด", "ผล", 1),
        PlanRow(
            2, "โครงการยาวมาก", long_text, "เป้าหมาย", "ที่", Decimal("1000"), False, "ตัวชี้วัด", "ผล", 1
        ),
    ]
    path = tmp_path / "f1.pdf"
    path.write_bytes(
        plan_pdf(
            PlanData(office, 2568, "P1", {}, "draft", rows, {}), ReportOptions(thai_digits=False)
        )
    )
    last = pdftotext(path, 4, layout=True)
    assert "หน้า 4/4" in last
    body = [line.split() for line in last.splitlines()[2:] if line.strip()]
    first = body.index(["2", "ปั้นปุ๋ยหมักริมน้ำ", "กิจกรรมย่อยที่86", "ปั้นปุ๋ยหมักริมน้ำ"])
    assert body[first : first + 4] == [
        ["2", "ปั้นปุ๋ยหมักริมน้ำ", "กิจกรรมย่อยที่86", "ปั้นปุ๋ยหมักริมน้ำ"],
        ["(ต่อ)", "กิจกรรมย่อยที่87", "ปั้นปุ๋ยหมักริมน้ำ", "กิจกรรมย่อยที่88"],
        ["ปั้นปุ๋ยหมักริมน้ำ"],
        ["รวม", "2,000.00"],
    ]
    assert norm("ผู้จัดทำแผน") in norm(last)


@needs_poppler
def test_the_demo_lao_plan_is_two_pages_at_12_pt(lao_store, tmp_path):
    """The demo LAO's F1 (six projects) at 14 pt, its only size: page one held three
    projects, the third's last line went to page two, half empty under projects 4 and 5,
    and the sixth stood alone with the signatures on a third page. F1 now takes 13 or 12 pt
    when that saves lines (as F3 and Soft Power): 12 pt (F2's size), projects 1–5 on page
    one, the sixth, the total and the signatures on page two."""
    from lev_desktop.services import demo

    demo.fill(lao_store)
    path = generate(
        lao_store,
        ReportRequest("plan", "4801006", 2568, "pdf"),
        options=ReportOptions(thai_digits=False),
        folder=tmp_path,
    )

    def firsts(page: int) -> list[str]:
        lines = pdftotext(path, page, layout=True).splitlines()
        return [x.split()[0] for x in lines if x.split() and x.split()[0].isdigit()]

    assert "หน้า 1/2" in pdftotext(path, 1)
    assert firsts(1) == ["1", "2", "3", "4", "5"]
    assert firsts(2) == ["6"]
    assert "รวม" in pdftotext(path, 2) and norm("ผู้เห็นชอบแผน") in norm(pdftotext(path, 2))


@needs_poppler
def test_the_demo_lao_september_calendar_is_one_page(lao_store, tmp_path):
    """The demo LAO's deadlines of September 2568, four lines of work (each with its form
    named under it, the states on two lines), at 14 pt: two lines on page one, more than half
    of it empty, and two with the signature on page two. The calendar too now takes 13 or 12
    pt when that saves lines: one page."""
    from lev_desktop.services import demo

    demo.fill(lao_store)
    path = generate(
        lao_store,
        ReportRequest("calendar", "4801006", 2568, "pdf", month=(2025, 9)),
        options=ReportOptions(thai_digits=False),
        folder=tmp_path,
    )
    text = pdftotext(path, 1, layout=True)
    assert "หน้า 1/1" in text
    # (a line beginning "30 ก.ย. 2568" ends a range of dates)
    numbers = [x.split()[0] for x in text.splitlines() if re.match(r"\s*\d\s", x)]
    assert numbers == ["1", "2", "3", "4"]
    assert norm("ผู้รับผิดชอบ") in norm(text)


def test_headings_keep_their_width_beside_one_very_long_text():
    """F1 at 14 pt with an objective of 61 items (11,700 pt of text): the column allocator
    raised the lines a text may take until the objective fitted, and stopped at the first
    count that did: the objective took all but 4 pt and "ผลที่คาดว่าจะได้รับ" stood six lines
    ("ผลที่" / "คาด" / "ว่า" / "จะ" / "ได้" / "รับ"), the plan 5 pages. A few larger counts are
    now weighed too, taken when they shorten the heading: two lines, 4 pages."""
    from exports.reports import wording as W
    from exports.reports.layout import (
        Row,
        TableSpec,
        cell,
        fit_columns,
        frame_width,
        scale_widths,
    )
    from exports.reports.text import digits_of

    long_text = " ".join(f"กิจกรรมย่อยที่{i} ปั้นปุ๋ยหมักริมน้ำ" for i in range(61))
    spec = TableSpec(  # F1's table at 14 pt
        header=[W.PLAN_HEADER],
        widths=scale_widths([1.5, 4, 3.5, 3.5, 2.8, 2.9, 3.2, 3.5], frame_width(True)),
    )
    rows = [
        Row(["1", "โครงการสั้น", "สั้น", "เป้าหมาย", "ที่", "1,000.00", "ตัวชี้วัด", "ผล"]),
        Row(["2", "โครงการยาวมาก", long_text, "เป้าหมาย", "ที่", "1,000.00", "ตัวชี้วัด", "ผล"]),
        Row(["", "รวม", "", "", "", "2,000.00", "", ""], "total"),
    ]
    with digits_of("arabic"):
        fit_columns(spec, rows)
        heading = cell(W.PLAN_HEADER[-1], size=spec.size, bold=True, align="center")
        heading.wrap(spec.widths[-1] - 2 * spec.pad, 1000)
        assert [x.strip() for x in heading.line_texts()] == ["ผลที่คาด", "ว่าจะได้รับ"]


def test_calendar_states_are_worded_as_short_as_on_screen():
    """The calendar's สถานะ: "เกินกำหนด (๔๔๖ วัน)" / "ได้รับจาก อปท. ๑๑/๑๔ แห่ง" took 9 lines of
    its column; now the home screen's words (deadlines.text.state_days_text, laos_text)."""
    import datetime as dt

    from exports.reports.calendar import CalendarLine, state_text
    from lev_desktop.domain.obligation_state import State

    def line(state: State, days: int, done: int | None = None, total: int | None = None):
        due = dt.date(2025, 9, 15)
        return CalendarLine(
            None, due, None, "งาน", "", "P5", "จังหวัด", state.value, days, False, done, total, ""
        )

    thai = ReportOptions(thai_digits=True)
    assert state_text(line(State.OVERDUE, -446, 11, 14), thai) == "เกินกำหนด ๔๔๖ วัน\nอปท. ๑๑/๑๔"
    assert state_text(line(State.DUE_SOON, 3), ReportOptions(thai_digits=False)) == (
        "ใกล้ครบกำหนด\nเหลืออีก 3 วัน"
    )
    assert state_text(line(State.DUE_SOON, 0), thai) == "ใกล้ครบกำหนด\nวันนี้"
    assert state_text(line(State.RECEIVED, -2, 14, 14), thai) == "ได้รับแล้ว\nอปท. ๑๔/๑๔"
    assert state_text(line(State.NOT_APPLICABLE, 5), thai) == "ไม่ต้องดำเนินการ"


@needs_poppler
def test_calendar_is_landscape_and_its_states_short(demo_store, tmp_path, monkeypatch):
    """The demo district's September: on a portrait page each row was 9 lines tall (the state
    column 52 pt wide); landscape, every cell at most 3 lines."""
    from exports.reports import calendar as c

    made = []
    original = c.PagedTable

    def recording(*args, **kwargs):
        table = original(*args, **kwargs)
        made.append(table)
        return table

    monkeypatch.setattr(c, "PagedTable", recording)
    out = tmp_path / "calendar.pdf"
    generate(
        demo_store,
        ReportRequest("calendar", "D4801", 2568, month=(2025, 9)),
        out,
        options=ReportOptions(thai_digits=True),
    )
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "841.89 x 595.276 pts" in info
    (table,) = made
    lines = [
        [len(cell.line_texts()) for cell in row.cells if hasattr(cell, "line_texts")]
        for row in table.rows
    ]
    assert lines and max(max(r) for r in lines) <= 3, lines


@needs_poppler
def test_a_districts_text_indicators_say_what_its_laos_answered(demo_store, tmp_path):
    """The district's P5 indicators printed, for each text indicator, the first of its most
    frequent answers as if it were the district's: one LAO's links
    ("https://drive.example.go.th/4801002/photos") and one of two products six LAOs each
    make. Now: links are each LAO's own, the most frequent answer with how many LAOs gave
    it (both when tied), the answer alone when every LAO gave it."""
    path = generate(
        demo_store,
        ReportRequest("kpi", "D4801", 2568, "pdf", programme="P5"),
        options=ReportOptions(thai_digits=False),
        folder=tmp_path,
    )
    text = pdftotext(path, layout=True)
    lines = [" ".join(x.split()) for x in text.splitlines()]
    assert "example.go.th" not in text and "youtube" not in text
    assert sum(x.endswith("14 ดูลิงก์รายแห่ง (14 แห่ง)") for x in lines) == 2
    assert any(x.endswith("14 ผ้าย้อมคราม (6 แห่ง)") for x in lines)
    assert "พญานาค ลุ่มน้ำโขง (6 แห่ง)" in lines
    assert any(x.endswith("การฝึกอบรมการสร้างรายได้จากขยะ 14 จัดแล้ว") for x in lines)
    p2 = generate(
        demo_store,
        ReportRequest("kpi", "D4801", 2568, "pdf", programme="P2"),
        options=ReportOptions(thai_digits=False),
        folder=tmp_path / "p2",
    )
    lines = [" ".join(x.split()) for x in pdftotext(p2, layout=True).splitlines()]
    assert any(x.endswith("14 ฝังกลบถูกหลักสุขาภิบาล (11 แห่ง)") for x in lines), lines


def test_an_indicator_report_of_a_programme_without_indicators_is_refused(demo_store, tmp_path):
    """`lev report kpi --programme P1` printed a table of headings only, no row, over a
    signature line: P1 (the network's committee) has no indicators. It is refused now, in
    words, and nothing is written."""
    from exports.reports.data import ReportDataError

    with pytest.raises(ReportDataError) as refused:
        generate(
            demo_store,
            ReportRequest("kpi", "D4801", 2568, "pdf", programme="P1"),
            options=ReportOptions(),
            folder=tmp_path / "out",
        )
    assert str(refused.value) == (
        "การขับเคลื่อนคณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"
        " ไม่มีตัวชี้วัดให้รายงาน — รายงานตัวชี้วัดใช้กับโครงการที่มีตัวชี้วัดเท่านั้น"
    )
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@needs_poppler
def test_a_percent_is_written_roi_la_in_every_printout(report_store, demo_store, tmp_path):
    """The indicator reports wrote the unit of a percentage "%" (P2's collection coverage,
    P3's share of green space) while the plans and F4 wrote "ร้อยละ": one rule now
    (``thai_format.document_unit``), the LAO's and the district's, PDF and .xlsx."""
    from lev_desktop.thai_format import document_unit

    assert (document_unit("%"), document_unit("ตัน/วัน")) == ("ร้อยละ", "ตัน/วัน")
    for store, office in ((report_store, "4801006"), (demo_store, "D4801")):
        for programme in ("P2", "P3"):
            pdf = generate(
                store,
                ReportRequest("kpi", office, 2568, "pdf", programme=programme),
                options=ReportOptions(thai_digits=False),
                folder=tmp_path / office / programme,
            )
            text = pdftotext(pdf, layout=True)
            assert "%" not in text, (office, programme)
            line = "พื้นที่ที่ได้รับบริการเก็บขนขยะ" if programme == "P2" else "สัดส่วนพื้นที่สีเขียว"
            assert any(line in x and " ร้อยละ " in f"{x} " for x in text.splitlines()), text
            book = generate(
                store,
                ReportRequest("kpi", office, 2568, "xlsx", programme=programme),
                options=ReportOptions(thai_digits=False),
                folder=tmp_path / office / programme,
            )
            ws = openpyxl.load_workbook(book).worksheets[0]
            units = [row[2].value for row in ws.iter_rows() if len(row) > 2]
            assert "%" not in units and "ร้อยละ" in units, (office, programme, units)


@needs_poppler
def test_an_laos_indicators_write_its_answers_from_the_left_and_links_as_links(
    report_store, tmp_path
):
    """The LAO's own P5 indicators printed its answers right-aligned as numbers are, and the
    two links as plain text, whose long unit made the answer column as wide as the link and
    the indicators' names wrap ("การ" / "ประชาสัมพันธ์"): 2 pages, the second the last two
    rows and the signature. Words are written from the left now, as the district's report
    writes them, and a link is cut after its "/" and opens when clicked: one page."""
    path = generate(
        report_store,
        ReportRequest("kpi", "4801006", 2568, "pdf", programme="P5"),
        options=ReportOptions(thai_digits=False),
        folder=tmp_path,
    )
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Pages:           1" in info.stdout
    lines = [" ".join(x.split()) for x in pdftotext(path, layout=True).splitlines()]
    assert "7 การประชาสัมพันธ์ ดำเนินการแล้ว" in lines, lines
    raw = path.read_bytes()
    assert re.findall(rb"/URI \(([^)]*)\)", raw) == [
        b"https://drive.example.go.th/4801006/photos",
        b"https://www.youtube.com/watch?v=4801006273",
    ]


@needs_poppler
def test_an_laos_executive_signs_on_one_line(report_store, tmp_path):
    """The LAO's forms printed its executive's position on two lines, "นายก" /
    "องค์การบริหารส่วนตำบลหนองแสง" (258.7 pt in a 255.1 pt block), and F1's approver
    "ลงชื่อ ……" / "ผู้เห็นชอบแผน": a signature block is as wide as its longest line now (up
    to 11 cm)."""
    for kind, programme in (("kpi", "P2"), ("plan", None), ("summary", None)):
        path = generate(
            report_store,
            ReportRequest(kind, "4801006", 2568, "pdf", programme=programme),
            options=ReportOptions(thai_digits=True),
            folder=tmp_path / kind,
        )
        lines = [x.strip() for x in pdftotext(path, layout=True).splitlines()]
        assert any(x.endswith("นายกองค์การบริหารส่วนตำบลหนองแสง") for x in lines), kind
        assert "นายก" not in lines, kind
        if kind == "plan":
            assert any(x.endswith("ลงชื่อ .............................. ผู้เห็นชอบแผน") for x in lines)


@needs_poppler
def test_an_laos_soft_power_report_fits_its_page(report_store, tmp_path):
    """The LAO's Soft Power report, one product, printed its row on page 1 under a heading of
    eight lines ("(๖) การ" / "จัด" / "อบรม" …: its rows' texts each kept on one line, the
    headings got what was left) and the product's links, the total and the signature on page
    2. A short table now wraps a row's text when that makes it shorter: one page."""
    path = generate(
        report_store,
        ReportRequest("softpower", "4801006", 2568, "pdf", programme="P5"),
        options=ReportOptions(thai_digits=False),
        folder=tmp_path,
    )
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Pages:           1" in info.stdout
    text = pdftotext(path, layout=True)
    assert "(8) https://drive.example.go.th/4801006/photos" in " ".join(text.split())
    assert "ผู้รายงาน" in text
