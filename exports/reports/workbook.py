"""The Excel files of the reports: one sheet per form, the same values as the PDF, with real
numbers and dates (the sheet writer is ``exports.xlsx.sheets``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from exports.reports import wording as W
from exports.reports.calendar import month_title
from exports.reports.documents import (
    as_of_line,
    common_answer_text,
    district_label,
    f3_counts,
    kpi_title,
    notice_date_line,
    notice_paragraphs,
    percent_of,
    scope_line,
)
from exports.reports.options import ReportOptions
from exports.xlsx.sheets import (
    EXCEL_SHARE,
    FONT_NAME,
    PAGE_WIDTH,
    Column,
    SheetWriter,
    excel_width,
    line_count,
    number_format_of,
    row_height,
    safe_sheet_title,
    set_value,
    text_points,
)
from lev_desktop.domain.obligation_state import State
from lev_desktop.progress import Progress
from lev_desktop.thai_format import document_digits


def _flat(title: str) -> str:
    return title.replace("\n", " ").replace("- ", "").replace("-\n", "")


def _fy(fy: int) -> str:
    return f"ประจำปีงบประมาณ พ.ศ. {fy}"


def _columns(titles: list[str], kinds: list[str]) -> list[Column]:
    return [Column(_flat(t), k) for t, k in zip(titles, kinds, strict=True)]


def _signer_lines(
    writer: SheetWriter, options: ReportOptions, office: Any, caption: str = "ผู้รายงาน"
) -> None:
    """The signature block of a form, as on the PDF: "ลงชื่อ …… ผู้รายงาน" / (name) /
    position / date line, on the right half of the page."""
    writer.row += 1
    writer.note(f"{W.SIGN_FORM} {'.' * 30} {caption}", signer=True)
    name = options.signer_name.strip()
    writer.note(f"({name})" if name else "(" + "." * 40 + ")", signer=True)
    position = options.signer_position.strip() or office.executive_title
    writer.note(position or f"{W.POSITION} {'.' * 30}", signer=True)
    writer.note(W.DATE_LINE, signer=True)


def _signer_pair(
    writer: SheetWriter,
    options: ReportOptions,
    office: Any,
    prepared_by: str,
    captions: tuple[str, str],
) -> None:
    """The two signature blocks of F1 and F2, as on the PDF: the officer who made the form
    ("ผู้จัดทำแผน", "ผู้รายงาน") on the left, the executive ("ผู้เห็นชอบแผน", "ผู้รับรองผล")
    on the right."""
    writer.row += 1
    made, signs = captions
    writer.note_pair(f"{W.SIGN_FORM} {'.' * 30} {made}", f"{W.SIGN_FORM} {'.' * 30} {signs}")
    dots = "(" + "." * 40 + ")"
    name = options.signer_name.strip()
    writer.note_pair(
        f"({prepared_by.strip()})" if prepared_by.strip() else dots,
        f"({name})" if name else dots,
    )
    position = options.signer_position.strip() or office.executive_title
    writer.note_pair(f"{W.POSITION} {'.' * 30}", position or f"{W.POSITION} {'.' * 30}")
    writer.note_pair(W.DATE_LINE, W.DATE_LINE)


def plan_sheet(
    wb: Workbook,
    data: Any,
    options: ReportOptions,
    progress: Progress | None,
    prepared_by: str = "",
) -> None:
    ws = wb.create_sheet(safe_sheet_title("F1 แผนปฏิบัติงาน"))
    columns = _columns(
        W.PLAN_HEADER, ["int", "text", "text", "text", "text", "money", "text", "text"]
    )
    writer = SheetWriter(
        ws,
        columns,
        title_lines=[W.PLAN_TITLE, _fy(data.fiscal_year), data.office.place_line],
        thai_digits=options.thai_digits,
    )
    for r in data.rows:
        budget: Any = W.NO_BUDGET if r.no_budget or r.budget is None else r.budget
        writer.add(
            [r.seq, r.project, r.objective, r.target, r.location, budget, r.kpi, r.expected_result]
        )
    writer.add([None, W.TOTAL, None, None, None, data.budget_total, None, None], kind="total")
    _signer_pair(writer, options, data.office, prepared_by, ("ผู้จัดทำแผน", "ผู้เห็นชอบแผน"))
    writer.finish()


def summary_sheet(
    wb: Workbook,
    data: Any,
    options: ReportOptions,
    progress: Progress | None,
    prepared_by: str = "",
) -> None:
    ws = wb.create_sheet(safe_sheet_title("F2 สรุปผลการดำเนินงาน"))
    header = list(W.SUMMARY_HEADER)
    header[2:3] = ["วันที่เริ่ม", "ถึงวันที่"]
    columns = _columns(
        header,
        ["text", "text", "date", "date", "text", "int", "text", "money", "money", "text", "text"],
    )
    writer = SheetWriter(
        ws,
        columns,
        title_lines=[W.SUMMARY_TITLE, _fy(data.fiscal_year), data.office.place_line],
        thai_digits=options.thai_digits,
    )
    for r in data.rows:
        spent = sum((a.budget_spent or Decimal(0) for a in r.activities), Decimal(0))
        writer.add(
            [
                str(r.seq),
                r.project,
                None,
                None,
                None,
                None,
                f"ตามแผน {r.planned_activities} กิจกรรม ดำเนินการ {len(r.activities)} กิจกรรม",
                W.NO_BUDGET if r.no_budget or r.budget is None else r.budget,
                spent if r.activities else None,
                None,
                None,
            ],
            kind="total",
        )
        if not r.activities:
            writer.add([None, W.NOT_HELD] + [None] * 9)
        for n, a in enumerate(r.activities, start=1):
            writer.add(
                [
                    f"{r.seq}.{n}",
                    a.title,
                    a.held_on,
                    a.held_until,
                    a.place,
                    a.participants,
                    a.outputs,
                    None,
                    a.budget_spent,
                    a.problems,
                    a.remedies,
                ]
            )
    writer.add(
        [
            None,
            W.TOTAL,
            None,
            None,
            None,
            data.participant_total,
            None,
            data.budget_total,
            data.spent_total,
            None,
            None,
        ],
        kind="total",
    )
    _signer_pair(writer, options, data.office, prepared_by, ("ผู้รายงาน", "ผู้รับรองผล"))
    writer.finish()


def notice_sheet(
    wb: Workbook, data: Any, options: ReportOptions, progress: Progress | None
) -> None:
    """The notice as a document on A4 portrait, as the PDF lays it out: centred title and
    subject, paragraphs with their first line indented, the date line, room to sign and the
    signer's name and position (no "(ลงชื่อ)": that belongs on copies)."""
    ws = wb.create_sheet(safe_sheet_title("ประกาศผลการดำเนินงาน"))
    digits = "thai" if options.thai_digits else "arabic"
    span = 8  # columns of the page
    width = PAGE_WIDTH["portrait"] * EXCEL_SHARE
    for index in range(1, span + 1):
        ws.column_dimensions[get_column_letter(index)].width = excel_width(width / span)
    row = 1

    def put(
        text: str,
        *,
        size: float = 16,
        bold: bool = False,
        align: str = "left",
        first: int = 1,
        indent: float = 0.0,
        space: float = 0.0,
    ) -> None:
        nonlocal row
        shown = document_digits(text, digits)
        if indent:  # a first line indented as on the PDF (2.5 cm)
            shown = "\u00a0" * round(indent / text_points("\u00a0", size, bold)) + shown
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=span)
        cell = ws.cell(row=row, column=first)
        set_value(cell, shown, thai_digits=options.thai_digits)
        cell.font = Font(name=FONT_NAME, size=size, bold=bold)
        cell.alignment = Alignment(horizontal=align, vertical="top", wrap_text=True)
        room = width * (span - first + 1) / span
        lines = line_count(shown, room, size, bold)
        ws.row_dimensions[row].height = row_height(lines, size, space)
        row += 1

    put(f"ประกาศ{data.office.name}", size=18, bold=True, align="center")
    put(
        f"เรื่อง ผลการดำเนินงานตามแผนปฏิบัติงาน{W.PROGRAMME_LEV} {_fy(data.fiscal_year)}",
        size=18,
        bold=True,
        align="center",
        space=8,
    )
    paragraphs = notice_paragraphs(data, options)
    indent = 2.5 / 2.54 * 72
    for index, text in enumerate(paragraphs):
        is_item = 2 <= index < len(paragraphs) - 1
        if is_item:  # the numbered items stand under the indent as a block
            put(text, first=2, space=2)
        else:
            put(text, indent=indent, space=4)
    when = data.monitoring.get("notice_posted_on") or data.monitoring.get("reported_on")
    row += 1
    put(notice_date_line(when, data.fiscal_year, options), first=4)
    row += 2  # room to sign
    name, position = options.signer_name.strip(), options.signer_position.strip()
    put(f"({name})" if name else "(" + "." * 40 + ")", first=4, align="center")
    put(position or data.office.executive_title, first=4, align="center")
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = 3 / 2.54
    ws.page_margins.right = 2 / 2.54
    ws.page_margins.top = 2 / 2.54
    ws.page_margins.bottom = 2 / 2.54
    ws.sheet_view.showGridLines = False
    ws.print_options.gridLines = False

    # the per-project figures as numbers, for whoever checks them
    ws2 = wb.create_sheet(safe_sheet_title("ตัวเลขประกอบประกาศ"))
    columns = [
        Column("ที่", "int"),
        Column("โครงการ"),
        Column("กิจกรรมตามแผน", "int"),
        Column("กิจกรรมที่ดำเนินการ", "int"),
        Column("ผู้เข้าร่วม (คน)", "int"),
        Column("งบประมาณที่ใช้ (บาท)", "money"),
    ]
    figures = SheetWriter(
        ws2,
        columns,
        title_lines=[f"ผลการดำเนินงาน {data.office.name} {_fy(data.fiscal_year)}"],
        thai_digits=options.thai_digits,
    )
    for r in data.rows:
        figures.add(
            [
                r.seq,
                r.project,
                r.planned_activities,
                len(r.activities),
                sum(a.participants or 0 for a in r.activities),
                sum((a.budget_spent or Decimal(0) for a in r.activities), Decimal(0)),
            ]
        )
    figures.add(
        [
            None,
            W.TOTAL,
            sum(r.planned_activities for r in data.rows),
            data.activity_count,
            data.participant_total,
            data.spent_total,
        ],
        kind="total",
    )
    figures.finish()


def monitoring_sheet(
    wb: Workbook, data: Any, options: ReportOptions, progress: Progress | None
) -> None:
    ws = wb.create_sheet(safe_sheet_title("F3 แบบติดตาม"))
    header = list(W.MONITORING_HEADER)
    # item ๕ in two columns, numbered as the PDF numbers its items ("๕.", not "(๕)")
    header[7:8] = ["๕. วันที่\nรายงานผล", "วันที่ปิดประกาศ"]
    columns = _columns(
        header, ["int", "text", "text", "date", "date", "date", "int", "date", "date", "text"]
    )
    writer = SheetWriter(
        ws,
        columns,
        title_lines=[
            W.MONITORING_TITLE,
            "การขับเคลื่อนคณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก " + _fy(data.fiscal_year),
            scope_line(data.office),
        ],
        thai_digits=options.thai_digits,
    )
    groups = data.groups()
    number = 0
    total = len(data.rows)

    def subtotal(label: str, members: list[Any]) -> None:
        # the PDF's (sub)total rows: how many LAOs have each date, the activities summed
        selected, met, planned, activities, reported = f3_counts(members)
        writer.add(
            [None, label, None, selected, met, planned, activities, reported, None, None],
            kind="total",
        )

    for district, members in groups:
        if len(groups) > 1:
            writer.add([f"อำเภอ{district} ({len(members)} แห่ง)"], kind="group")
        for r in members:
            number += 1
            writer.add(
                [
                    number,
                    district,
                    r.lao,
                    r.committee_selected_on,
                    r.committee_met_on,
                    r.plan_made_on,
                    r.activities,
                    r.reported_on,
                    r.notice_posted_on,
                    r.remark,
                ]
            )
            if progress is not None and number % 500 == 0:
                progress(number, total)
        if len(groups) > 1:
            subtotal(W.SUBTOTAL_DISTRICT.format(district=district_label(district)), members)
    if data.national:
        grand = W.GRAND_TOTAL_NATION
    elif data.office.level == "province":
        grand = W.GRAND_TOTAL_PROVINCE
    else:
        grand = W.TOTAL
    subtotal(f"{grand} ({W.PLACES.format(n=len(data.rows))})", data.rows)
    writer.row += 1
    received = data.received_line()  # the model's count, as in the PDF
    if received:
        writer.note(received)
    writer.note(W.MONITORING_FOOTNOTE)
    writer.note(as_of_line(options))
    _signer_lines(writer, options, data.office)
    writer.finish()


def softpower_sheet(
    wb: Workbook, data: Any, options: ReportOptions, progress: Progress | None
) -> None:
    """Fields (๑)–(๗) in columns; the two links (๘)(๙) on a row of their own under each
    product, clickable and never in a narrow column (as on the PDF)."""
    ws = wb.create_sheet(safe_sheet_title("Soft Power"))
    columns = _columns(
        W.SOFTPOWER_HEADER[:9],
        ["int", "text", "text", "text", "text", "int", "money", "text", "text"],
    )
    writer = SheetWriter(
        ws,
        columns,
        title_lines=[W.SOFTPOWER_TITLE, _fy(data.fiscal_year), scope_line(data.office)],
        thai_digits=options.thai_digits,
    )
    photos, video = (_flat(t) for t in W.SOFTPOWER_HEADER[9:11])
    for n, r in enumerate(data.rows, start=1):
        v = r.values
        writer.add(
            [
                n,
                r.lao,
                v.get("identity"),
                v.get("product"),
                v.get("group"),
                v.get("participants"),
                v.get("income"),
                v.get("training"),
                v.get("publicity"),
            ]
        )
        links = [v.get("photos_url"), v.get("video_url")]
        if any(links):
            writer.add_spans(
                [
                    (1, 4, f"(๘) {links[0] or '-'}", links[0] or None),
                    (5, 8, f"(๙) {links[1] or '-'}", links[1] or None),
                ]
            )
    writer.add(
        [
            None,
            W.TOTAL,
            None,
            f"{len(data.rows)} ผลิตภัณฑ์",
            None,
            data.participants_total,
            data.income_total,
            None,
            None,
        ],
        kind="total",
    )
    writer.row += 1
    writer.note(f"{photos} และ {video}: บรรทัดใต้แต่ละผลิตภัณฑ์")
    writer.note(as_of_line(options))
    _signer_lines(writer, options, data.office)
    writer.finish()


def _counted(line: Any, value: Decimal | None) -> Decimal | int | None:
    """A count (households, banks, vehicles) as a whole number, as the PDF prints it: the
    sheet's number columns showed "37,255.00" households and "31.00" waste banks."""
    if line.kind == "integer" and value is not None and value == value.to_integral_value():
        return int(value)
    return value


def kpi_sheet(wb: Workbook, data: Any, options: ReportOptions, progress: Progress | None) -> None:
    ws = wb.create_sheet(safe_sheet_title("ตัวชี้วัด"))
    if data.consolidated:
        columns = _columns(
            [*W.KPI_HEADER_ALL, "ค่าที่พบบ่อย"],
            ["int", "text", "text", "int", "decimal", "decimal", "decimal", "decimal", "text"],
        )
    else:
        columns = _columns(W.KPI_HEADER_ONE, ["int", "text", "text", "decimal"])
    writer = SheetWriter(
        ws,
        columns,
        title_lines=[kpi_title(data, options), data.programme_name, scope_line(data.office)],
        thai_digits=options.thai_digits,
    )
    n = 0
    for stage, lines in data.stages:
        if stage:
            writer.add([stage], kind="group")
        for line in lines:
            n += 1
            unit = line.printed_unit
            if data.consolidated:
                total = None if line.kind == "percent" else line.total
                writer.add(
                    [
                        n,
                        line.name,
                        unit,
                        line.reported,
                        _counted(line, total),
                        line.mean,
                        _counted(line, line.minimum),
                        _counted(line, line.maximum),
                        common_answer_text(line, options) if line.answers else None,
                    ]
                )
            else:
                writer.add([n, line.name, unit, line.value])
    _signer_lines(writer, options, data.office)
    writer.finish()


def calendar_sheet(
    wb: Workbook, data: Any, options: ReportOptions, progress: Progress | None
) -> None:
    ws = wb.create_sheet(safe_sheet_title("กำหนดส่ง"))
    columns = [
        Column("ที่", "int"),
        Column("เริ่ม", "date"),
        Column("กำหนดส่ง", "date"),
        Column("เวลา"),
        Column("สิ่งที่ต้องดำเนินการ"),
        Column("แบบฟอร์ม"),
        Column("โครงการ"),
        Column("ส่งถึง"),
        Column("สถานะ"),
        Column("อปท. ส่งแล้ว", "int"),
        Column("อปท. ทั้งหมด", "int"),
        Column("หมายเหตุ"),
    ]
    writer = SheetWriter(
        ws,
        columns,
        title_lines=[
            W.CALENDAR_TITLE,
            month_title(data.month, options.with_(thai_digits=False)),
            data.office.name,
        ],
        thai_digits=options.thai_digits,
    )
    for n, line in enumerate(data.lines, start=1):
        writer.add(
            [
                n,
                line.start,
                line.due,
                line.time,
                line.title,
                line.form_name,
                line.programme,
                line.sends_to,
                State(line.state).thai,
                line.laos_done,
                line.laos_total,
                line.non_working,
            ]
        )
    _signer_lines(writer, options, data.office)
    writer.finish()


def province_sheet(
    wb: Workbook, data: Any, options: ReportOptions, progress: Progress | None
) -> None:
    """F4 in two sheets: the follow-up of the LAOs by district, and the activities of the
    province (LEV Week) and of its อบจ."""
    ws = wb.create_sheet(safe_sheet_title("F4 ติดตามผล อปท."))
    columns = _columns(W.PROVINCE_HEADER, ["int", "text", "int", "int", "int", "int", "int", "int"])
    writer = SheetWriter(
        ws,
        columns,
        title_lines=[
            W.PROVINCE_TITLE,
            W.PROGRAMME_P1 + " " + _fy(data.fiscal_year),
            scope_line(data.office),
            W.PROVINCE_FOLLOWUP,
        ],
        thai_digits=options.thai_digits,
    )
    for n, d in enumerate(data.districts, start=1):
        writer.add(
            [
                n,
                district_label(d.district),
                d.laos,
                d.selected,
                d.met,
                d.planned,
                d.activities,
                d.reported,
            ]
        )
    t = data.total
    writer.add(
        [
            None,
            W.GRAND_TOTAL_PROVINCE,
            t.laos,
            t.selected,
            t.met,
            t.planned,
            t.activities,
            t.reported,
        ],
        kind="total",
    )
    # the percentages of the PDF's last row (the sheet had none): numbers with 2 decimals
    percents = [percent_of(n, t.laos) for n in (t.selected, t.met, t.planned, t.reported)]
    row = writer.add(
        [None, W.PERCENT_OF_LAOS, None, *percents[:3], None, percents[3]], kind="total"
    )
    for column in (4, 5, 6, 8):
        ws.cell(row=row, column=column).number_format = number_format_of(
            Decimal("0.01"), "decimal", options.thai_digits
        )
    _signer_lines(writer, options, data.office)
    writer.finish()
    for heading, acts, name in (
        (W.PROVINCE_WEEK, data.own, "F4 LEV Week"),
        (W.PROVINCE_PAO, data.pao, "F4 อบจ."),
    ):
        ws = wb.create_sheet(safe_sheet_title(name))
        columns = _columns(
            W.PROVINCE_ACTIVITY_HEADER, ["int", "text", "date", "text", "int", "text", "money"]
        )
        lines = [W.PROVINCE_TITLE, scope_line(data.office), heading]
        if acts is data.own:
            lines.append(W.PROVINCE_WEEK_NAME)
        writer = SheetWriter(ws, columns, title_lines=lines, thai_digits=options.thai_digits)
        for n, a in enumerate(acts, start=1):
            writer.add([n, a.title, a.held_on, a.place, a.participants, a.outputs, a.budget_spent])
        if not acts:
            for n in range(1, 4):
                writer.add([n, None, None, None, None, None, None])
        if acts is data.pao:
            writer.row += 1
            writer.note(as_of_line(options))
            _signer_lines(writer, options, data.office)
        writer.finish()


SHEETS = {
    "plan": plan_sheet,
    "summary": summary_sheet,
    "notice": notice_sheet,
    "monitoring": monitoring_sheet,
    "softpower": softpower_sheet,
    "kpi": kpi_sheet,
    "monthly": kpi_sheet,
    "province": province_sheet,
    "calendar": calendar_sheet,
}


def write(
    kind: str,
    data: Any,
    options: ReportOptions,
    path: Path,
    progress: Progress | None = None,
    prepared_by: str = "",
) -> Path:
    """``prepared_by``: the officer who made F1 / F2 (their left signature block)."""
    wb = Workbook()
    for sheet in wb.worksheets:  # the empty default sheet
        wb.remove(sheet)
    if kind == "plan":
        plan_sheet(wb, data, options, progress, prepared_by)
    elif kind == "summary":
        summary_sheet(wb, data, options, progress, prepared_by)
    else:
        SHEETS[kind](wb, data, options, progress)
    wb.properties.creator = "LEV Desktop"
    wb.save(path)
    return path
