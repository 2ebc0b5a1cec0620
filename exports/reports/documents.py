"""The PDF documents: F1 action plan, F2 summary, the public notice, F3 monitoring table,
P5 Soft-Power products, P2 indicators by stage, and a month of deadlines.

Each ``*_pdf(data, options, progress)`` returns the bytes of the PDF.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer
from reportlab.platypus.flowables import HRFlowable

from exports.reports import wording as W
from exports.reports.data import (
    KpiData,
    KpiLine,
    MonitoringData,
    OfficeInfo,
    PlanData,
    ProvinceActivity,
    ProvinceReportData,
    SoftPowerData,
)
from exports.reports.layout import (
    BODY_SIZE,
    Link,
    PagedTable,
    Row,
    TableSpec,
    build_pdf,
    cell,
    fit_table_size,
    frame_width,
    garuda_block,
    letterhead_block,
    paged_table,
    scale_widths,
    signature_block,
    signatures_side_by_side,
    title_block,
)
from exports.reports.options import ReportOptions
from exports.reports.text import in_document_digits, para, style
from lev_desktop import deadlines
from lev_desktop.domain.validation import VALUE_NUM_SCALE
from lev_desktop.progress import Progress
from lev_desktop.thai_format import MONTHS_FULL, be_year, format_date, format_number


def fy_line(fiscal_year: int, options: ReportOptions) -> str:
    # a no-break space keeps "พ.ศ." with its year at a line end
    return options.num(f"ประจำปีงบประมาณ พ.ศ.\u00a0{fiscal_year}")


NBSP = "\u00a0"


def date_short(value: dt.date | None, options: ReportOptions) -> str:
    """ "15 ก.พ. 2568" with day and month held together (a no-break space): a narrow column
    may put the year on the next line, never split "15" from "ก.พ."."""
    if not value:
        return ""
    return format_date(value, "short", digits=options.digits, thai=True).replace(" ", NBSP, 1)


def date_long(value: dt.date | None, options: ReportOptions) -> str:
    return format_date(value, "long", digits=options.digits, thai=True) if value else ""


def money(value: Decimal | None, options: ReportOptions) -> str:
    return "" if value is None else format_number(value, 2, digits=options.digits)


def count(value: int | Decimal | None, options: ReportOptions) -> str:
    return "" if value is None else format_number(value, 0, digits=options.digits)


def as_of_line(options: ReportOptions, today: dt.date | None = None) -> str:
    """ "ข้อมูล ณ วันที่ ๑๕ ตุลาคม ๒๕๖๘" (the day the report is made)."""
    return "ข้อมูล ณ วันที่ " + date_long(today or deadlines.today(), options)


def scope_line(office: OfficeInfo) -> str:
    if office.level == "national":
        return "ทั่วประเทศ"
    if office.level == "province":
        return office.province_name
    if office.level == "district":
        return " ".join(p for p in (office.district_name, office.province_name) if p)
    return office.place_line


def _signer(options: ReportOptions, office: OfficeInfo) -> tuple[str, str]:
    return options.signer_name, options.signer_position or office.executive_title


def _header(options: ReportOptions, lines: list[str], *, garuda: bool = False) -> list[Flowable]:
    story: list[Flowable] = []
    story += garuda_block(options, reserve=False) if garuda else []
    story += letterhead_block(options)
    story += title_block(lines)
    return story


# ---- F1 ----------------------------------------------------------------------------------


@in_document_digits
def plan_pdf(
    data: PlanData, options: ReportOptions, progress: Progress | None = None, prepared_by: str = ""
) -> bytes:
    width = frame_width(True)
    story = _header(
        options, [W.PLAN_TITLE, fy_line(data.fiscal_year, options), data.office.place_line]
    )
    spec = TableSpec(
        header=[W.PLAN_HEADER],
        widths=scale_widths([1.5, 4, 3.5, 3.5, 2.8, 2.9, 3.2, 3.5], width),
        aligns=["center", "left", "left", "left", "left", "right", "left", "left"],
    )
    rows = [
        Row(
            [
                options.num(str(r.seq)),
                r.project,
                r.objective,
                r.target,
                r.location,
                W.NO_BUDGET if r.no_budget or r.budget is None else money(r.budget, options),
                r.kpi,
                r.expected_result,
            ]
        )
        for r in data.rows
    ]
    rows.append(Row(["", W.TOTAL, "", "", "", money(data.budget_total, options), "", ""], "total"))
    name, position = _signer(options, data.office)
    tail = [
        Spacer(1, 0.8 * cm),
        signatures_side_by_side(
            [
                signature_block(prepared_by, "", caption="ผู้จัดทำแผน", width=9 * cm, align="CENTER"),
                signature_block(name, position, caption="ผู้เห็นชอบแผน", width=9 * cm, align="CENTER"),
            ],
            width,
        ),
    ]
    # 14 pt unless 13 or 12 saves lines: the demo LAO's six projects at 14 pt filled a page
    # and a half, the sixth went to a third page with the signatures (its texts on six lines
    # beside a location of two); at 12 pt, the size of F2, two pages
    fit_table_size(spec, rows, (14, 13, 12))
    story.append(PagedTable(spec, rows, progress=progress, tail=tail))
    return build_pdf(
        story,
        landscape_page=True,
        options=options,
        title=f"{W.PLAN_TITLE} {data.office.name} {data.fiscal_year}",
    )


# ---- F2 ----------------------------------------------------------------------------------


@in_document_digits
def summary_pdf(
    data: PlanData, options: ReportOptions, progress: Progress | None = None, prepared_by: str = ""
) -> bytes:
    width = frame_width(True)
    story = _header(
        options, [W.SUMMARY_TITLE, fy_line(data.fiscal_year, options), data.office.place_line]
    )
    planned = sum(r.planned_activities for r in data.rows)
    story.append(
        para(
            options.num(
                f"ดำเนินการแล้ว {data.activity_count} กิจกรรม จากที่วางแผนไว้ {planned} กิจกรรม "
                f"({len(data.rows)} โครงการ) ผู้เข้าร่วมรวม {format_number(data.participant_total)} คน "
                f"ใช้งบประมาณ {format_number(data.spent_total, 2)} บาท "
                f"จากงบประมาณตามแผน {format_number(data.budget_total, 2)} บาท"
            ),
            style(BODY_SIZE, first_indent=2.5 * cm, space_after=6),
        )
    )
    # the headings wrap between their words wherever their columns' widths put the breaks
    header = [h.replace("\n", " ") for h in [*W.SUMMARY_HEADER[:8], "ปัญหาอุปสรรค / แนวทางแก้ไข"]]
    # nine columns: at 13 pt their dates, amounts and longest words (a temple's name) take
    # 681 of the page's 700 points and leave the texts nothing; at 12 pt (F3's and F4's wide
    # forms too) the project, the results and the problems share 67 points more
    spec = TableSpec(
        header=[header],
        size=12,
        header_size=12,
        pad=2.5,
        widths=scale_widths([1.0, 4, 2.3, 2.6, 1.6, 3.4, 2.1, 2.1, 4.0], width),
        aligns=["center", "left", "left", "left", "right", "left", "right", "right", "left"],
    )
    rows: list[Row] = []
    for r in data.rows:
        spent = sum((a.budget_spent or Decimal(0) for a in r.activities), Decimal(0))
        rows.append(
            Row(
                [
                    options.num(str(r.seq)),
                    r.project,
                    "",
                    "",
                    "",
                    options.num(
                        f"ตามแผน {r.planned_activities} กิจกรรม ดำเนินการ {len(r.activities)} กิจกรรม"
                    ),
                    W.NO_BUDGET if r.no_budget or r.budget is None else money(r.budget, options),
                    money(spent, options) if r.activities else "",
                    "",
                ],
                "total",
            )
        )
        if not r.activities:
            rows.append(Row(["", W.NOT_HELD, "", "", "", "", "", "", ""]))
        for n, a in enumerate(r.activities, start=1):
            when = date_short(a.held_on, options)
            if a.held_until and a.held_until != a.held_on:
                when += " –\n" + date_short(a.held_until, options)
            issues = a.problems.strip()
            if a.remedies.strip():
                issues += ("\n" if issues else "") + "แนวทางแก้ไข: " + a.remedies.strip()
            rows.append(
                Row(
                    [
                        options.num(f"{r.seq}.{n}"),
                        a.title,
                        when,
                        a.place,
                        count(a.participants, options),
                        a.outputs,
                        "",
                        money(a.budget_spent, options),
                        issues,
                    ]
                )
            )
    rows.append(
        Row(
            [
                "",
                W.TOTAL,
                "",
                "",
                count(data.participant_total, options),
                "",
                money(data.budget_total, options),
                money(data.spent_total, options),
                "",
            ],
            "total",
        )
    )
    name, position = _signer(options, data.office)
    tail = [
        Spacer(1, 0.8 * cm),
        signatures_side_by_side(
            [
                signature_block(prepared_by, "", caption="ผู้รายงาน", width=9 * cm, align="CENTER"),
                signature_block(name, position, caption="ผู้รับรองผล", width=9 * cm, align="CENTER"),
            ],
            width,
        ),
    ]
    story.append(paged_table(spec, rows, progress, tail=tail))
    return build_pdf(
        story,
        landscape_page=True,
        options=options,
        title=f"{W.SUMMARY_TITLE} {data.office.name} {data.fiscal_year}",
    )


# ---- public notice -----------------------------------------------------------------------


def notice_date_line(value: dt.date | None, fiscal_year: int, options: ReportOptions) -> str:
    if value is None:  # filled in by hand on the day it is posted
        return options.num(f"ประกาศ ณ วันที่ {'.' * 10} เดือน {'.' * 24} พ.ศ. {fiscal_year}")
    day_month, year = date_long(value, options).rsplit(" ", 1)
    return f"ประกาศ ณ วันที่ {day_month} พ.ศ. {year}"


def notice_paragraphs(data: PlanData, options: ReportOptions) -> list[str]:
    """The notice's text, paragraph by paragraph (the Excel sheet shows the same)."""
    office = data.office.name
    letter = data.letter or {}
    ref = ""
    if letter.get("number"):
        ref = f" ตามหนังสือกรมส่งเสริมการปกครองท้องถิ่น ที่ {letter['number']}"
        if letter.get("date"):
            ref += f" ลงวันที่ {date_long(dt.date.fromisoformat(letter['date']), options)}"
    first = (
        f"ตามที่ {office} ได้จัดทำแผนปฏิบัติงาน{W.PROGRAMME_LEV} "
        f"{fy_line(data.fiscal_year, options)}{ref} "
        f"จำนวน {options.num(str(len(data.rows)))} โครงการ เพื่อส่งเสริมให้ประชาชนและเครือข่าย"
        f"อาสาสมัครท้องถิ่นรักษ์โลกมีส่วนร่วมในการดูแลรักษาสิ่งแวดล้อมในท้องถิ่น นั้น"
    )
    second = (
        f"บัดนี้ {office} ได้ดำเนินการตามแผนปฏิบัติงานดังกล่าวแล้ว จำนวน "
        f"{options.num(str(data.activity_count))} กิจกรรม มีผู้เข้าร่วมรวม "
        f"{count(data.participant_total, options)} คน ใช้งบประมาณทั้งสิ้น "
        f"{money(data.spent_total, options)} บาท สรุปผลการดำเนินงานได้ดังนี้"
    )
    items = []
    for r in data.rows:
        if r.activities:
            spent = sum((a.budget_spent or Decimal(0) for a in r.activities), Decimal(0))
            people = sum(a.participants or 0 for a in r.activities)
            figures = (
                f"ดำเนินการ {len(r.activities)} ครั้ง (ตามแผน {r.planned_activities} ครั้ง) "
                f"ผู้เข้าร่วม {format_number(people)} คน"
            )
            figures += (
                " ไม่ใช้งบประมาณ"
                if r.no_budget or not spent
                else f" ใช้งบประมาณ {format_number(spent, 2)} บาท"
            )
        else:
            figures = W.NOT_HELD
        # only the figures written here take Thai digits; the project name stays as typed
        items.append(options.num(f"{r.seq}. ") + r.project + " " + options.num(figures))
    return [first, second, *items, W.NOTICE_CLOSING]


@in_document_digits
def notice_pdf(data: PlanData, options: ReportOptions, progress: Progress | None = None) -> bytes:
    story: list[Flowable] = garuda_block(options, reserve=True)
    story += letterhead_block(options)
    story += [
        para(f"ประกาศ{data.office.name}", style(BODY_SIZE + 2, bold=True, align="center")),
        para(
            f"เรื่อง ผลการดำเนินงานตามแผนปฏิบัติงาน{W.PROGRAMME_LEV} "
            f"{fy_line(data.fiscal_year, options)}",
            style(BODY_SIZE + 2, bold=True, align="center"),
        ),
        Spacer(1, 4),
        HRFlowable(width=5 * cm, thickness=0.6, color="black", hAlign="CENTER"),
        Spacer(1, 10),
    ]
    paragraphs = notice_paragraphs(data, options)
    # left-aligned: the engine justifies by widening spaces only, and Thai has few of them
    body = style(BODY_SIZE, first_indent=2.5 * cm, space_after=4)
    item_style = style(BODY_SIZE, indent=2.5 * cm, first_indent=0, space_after=2)
    closing = style(BODY_SIZE, first_indent=2.5 * cm, space_before=8)
    for index, text in enumerate(paragraphs):
        is_item = 2 <= index < len(paragraphs) - 1
        last = index == len(paragraphs) - 1
        story.append(para(text, closing if last else item_style if is_item else body))
    when = data.monitoring.get("notice_posted_on") or data.monitoring.get("reported_on")
    story += [
        Spacer(1, 12),
        para(notice_date_line(when, data.fiscal_year, options), style(BODY_SIZE, indent=6 * cm)),
        Spacer(1, 24),
    ]
    name, position = _signer(options, data.office)
    story.append(KeepTogether([signature_block(name, position, width=10 * cm, letter=True)]))
    if progress is not None:
        progress(1, 2)
    return build_pdf(
        story,
        landscape_page=False,
        options=options,
        number_style="thai",
        title=f"ประกาศ{data.office.name} ผลการดำเนินงาน {data.fiscal_year}",
    )


# ---- F3 ----------------------------------------------------------------------------------


def date_cell(value: dt.date | None, options: ReportOptions) -> str:
    """A date in a table column that never wraps: "๑๕ ก.พ. ๒๕๖๘" glued by no-break spaces."""
    return date_short(value, options).replace(" ", NBSP)


def district_label(name: str) -> str:
    """ "อำเภอเมืองนครพนม"; Bangkok's districts are already "เขตดุสิต"."""
    return name if name.startswith("เขต") else f"อำเภอ{name}"


def f3_counts(rows: list[Any]) -> tuple[int, int, int, int, int]:
    """F3's (sub)total of the five milestones: how many LAOs have each date (selected, met,
    plan made), their activities summed, how many reported."""
    return (
        sum(1 for r in rows if r.committee_selected_on),
        sum(1 for r in rows if r.committee_met_on),
        sum(1 for r in rows if r.plan_made_on),
        sum(r.activities for r in rows),
        sum(1 for r in rows if r.reported_on),
    )


def _f3_counts(rows: list[Any], options: ReportOptions) -> list[str]:
    """The subtotal cells of the five milestones, as printed ("๑๔ แห่ง", activities)."""

    def places(n: int) -> str:
        return options.num(W.PLACES.format(n=n))

    selected, met, planned, activities, reported = f3_counts(rows)
    return [
        places(selected),
        places(met),
        places(planned),
        count(activities, options),
        places(reported),
    ]


@in_document_digits
def monitoring_pdf(
    data: MonitoringData, options: ReportOptions, progress: Progress | None = None
) -> bytes:
    width = frame_width(True)
    national = data.national
    story = _header(
        options,
        [
            W.MONITORING_TITLE,
            W.PROGRAMME_P1 + " " + fy_line(data.fiscal_year, options),
            scope_line(data.office),
        ],
    )
    # a province's LAOs are grouped under district headings, so the district column of the
    # form (one district's table) gives way to them; the nation's LAOs are grouped under
    # province and district headings that carry their counts (no place column: on A4 the
    # nation's table then keeps every name and date on one line at 12 pt)
    many = national or len(data.groups()) > 1
    header = list(W.MONITORING_HEADER)
    weights = [1.1, 3.0, 3.6, 2.9, 2.9, 2.9, 1.9, 2.9, 2.8]
    aligns = ["center", "left", "left", "center", "center", "center", "center", "center", "left"]
    if many:
        del header[1], weights[1], aligns[1]
    lead = header.index("อปท.") + 1  # a subtotal's label spans the columns up to the LAO's
    spec = TableSpec(
        header=[header],
        widths=scale_widths(weights, width),
        aligns=aligns,
        header_size=12,
        pad=1.5 if national else 2.5,  # the nation's 12 pt rows: 20 on a page
        leading=1.3,  # Sarabun's marks span 1.3 em: one-line rows, no clipping
        # dates, counts and names are never wrapped; the note is the column that gives, but
        # in the nation's table it too keeps its line ("ได้รับแล้ว ๑๔ ก.ย. ๒๕๖๘"): the text
        # size is chosen so that it fits
        nowrap=frozenset(range(len(header) - (0 if national else 1))),
        # the nation's few very long texts (1 in 100: "อบต.นิคมสร้างตนเองลำโดมน้อย", a long
        # note) wrap between words rather than make the table smaller for all
        mostly=frozenset({lead - 1, len(header) - 1}) if national else frozenset(),
    )
    rows: list[Row] = []
    number = 0

    def data_row(r: Any) -> Row:
        nonlocal number
        number += 1
        reported = date_cell(r.reported_on, options)
        if r.notice_posted_on and r.notice_posted_on != r.reported_on:
            reported += "\n(ประกาศ " + date_cell(r.notice_posted_on, options) + ")"
        place = [] if many else [r.district]
        return Row(
            [
                options.num(str(number)),
                *place,
                r.lao,
                date_cell(r.committee_selected_on, options),
                date_cell(r.committee_met_on, options),
                date_cell(r.plan_made_on, options),
                count(r.activities, options),
                reported,
                r.remark,
            ]
        )

    def subtotal(label: str, members: list[Any], with_count: bool = True) -> Row:
        if with_count:
            label += f" ({options.num(W.PLACES.format(n=len(members)))})"
        return Row(
            [
                label,
                *([""] * (lead - 1)),
                *_f3_counts(members, options),
                "",
            ],
            "total",
            span=lead,
        )

    def heading(label: str, members: list[Any], joined: bool = False) -> Row:
        """The nation's province or district heading with the group's counts, its number of
        LAOs in the note column (the label then stays on one line)."""
        row = subtotal(label, members, with_count=False)
        row.cells[-1] = "อปท. " + options.num(W.PLACES.format(n=len(members)))
        row.joined = joined
        return row

    def districts(members: list[Any]) -> None:
        groups: list[tuple[str, list[Any]]] = []
        for r in members:
            if not groups or groups[-1][0] != r.district:
                groups.append((r.district, []))
            groups[-1][1].append(r)
        for n, (district, laos) in enumerate(groups):
            if national:
                # the heading stays with its first LAO (and a province's with its first
                # district's): a joined row never begins a page
                rows.append(heading(district_label(district), laos, joined=n == 0))
                rows.extend(data_row(r) for r in laos)
                rows[-len(laos)].joined = True
                continue
            if many:
                label = f"{district_label(district)} ({options.num(W.PLACES.format(n=len(laos)))})"
                rows.append(Row([label], "group"))
            rows.extend(data_row(r) for r in laos)
            if many:
                label = W.SUBTOTAL_DISTRICT.format(district=district_label(district))
                # a province's subtotal follows its heading, which gives the count
                rows.append(subtotal(label, laos, with_count=False))

    if national:
        for province, members in data.provinces():
            label = province if province == "กรุงเทพมหานคร" else W.PROVINCE + province
            rows.append(heading(label, members))
            districts(members)
        rows.append(subtotal(W.GRAND_TOTAL_NATION, data.rows))
    else:
        districts(data.rows)
        grand = W.GRAND_TOTAL_PROVINCE if data.office.level == "province" else W.TOTAL
        rows.append(subtotal(grand, data.rows))
    fit_table_size(spec, rows, (14, 13, 12))
    name, position = _signer(options, data.office)
    received = data.received_line()  # the model's count: the calendar and the board say the same
    tail = [
        Spacer(1, 6),
        *([para(received, style(BODY_SIZE))] if received else []),
        para(W.MONITORING_FOOTNOTE, style(BODY_SIZE - 2)),
        para(as_of_line(options), style(BODY_SIZE - 2)),
        Spacer(1, 0.4 * cm),
        signature_block(name, position, caption="ผู้รายงาน"),
    ]
    story.append(PagedTable(spec, rows, progress=progress, tail=tail))
    return build_pdf(
        story,
        landscape_page=True,
        options=options,
        title=f"{W.MONITORING_TITLE} {data.office.name} {data.fiscal_year}",
    )


# ---- F4 province report --------------------------------------------------------------------


def percent_of(part: int, whole: int) -> Decimal | None:
    """F4's "ร้อยละของ อปท. ทั้งหมด": ``part`` of ``whole`` LAOs, in percent, to 2 places."""
    return None if not whole else (Decimal(part * 100) / whole).quantize(Decimal("0.01"))


def _percent(part: int, whole: int, options: ReportOptions) -> str:
    value = percent_of(part, whole)
    return "" if value is None else format_number(value, 2, digits=options.digits)


def _activity_rows(
    acts: list[ProvinceActivity], options: ReportOptions, blank: int = 3
) -> list[Row]:
    """The activities as rows; none yet: numbered empty rows to fill in by hand."""
    rows = []
    for n, a in enumerate(acts, start=1):
        when = date_cell(a.held_on, options)
        if a.held_until and a.held_until != a.held_on:
            when += " –\n" + date_cell(a.held_until, options)
        rows.append(
            Row(
                [
                    options.num(str(n)),
                    a.title,
                    when,
                    a.place,
                    count(a.participants, options),
                    a.outputs,
                    money(a.budget_spent, options),
                ]
            )
        )
    if acts:
        rows.append(
            Row(
                [
                    W.TOTAL,
                    "",
                    "",
                    "",
                    count(sum(a.participants or 0 for a in acts), options),
                    "",
                    money(sum((a.budget_spent or Decimal(0) for a in acts), Decimal(0)), options),
                ],
                "total",
                span=4,
            )
        )
    else:
        rows += [Row([options.num(str(n)), "", "", "", "", "", ""]) for n in range(1, blank + 1)]
    return rows


def _activity_table(rows: list[Row], width: float, tail: list[Flowable] | None = None) -> Flowable:
    spec = TableSpec(
        header=[W.PROVINCE_ACTIVITY_HEADER],
        widths=scale_widths([1.0, 5.0, 2.8, 3.4, 1.8, 5.0, 2.4], width),
        aligns=["center", "left", "left", "left", "right", "left", "right"],
        header_size=12,
        pad=2.5,
        leading=1.3,
        nowrap=frozenset({0, 2, 4, 6}),
    )
    fit_table_size(spec, rows, (14, 13, 12))
    return PagedTable(spec, rows, tail=tail)


def _section(text: str) -> list[Flowable]:
    """A section heading, never alone at a page foot: a new page when less than its table's
    headings and two rows fit under it."""
    return [
        CondPageBreak(5 * cm),
        para(text, style(BODY_SIZE, bold=True, space_before=10, space_after=4)),
    ]


@in_document_digits
def province_pdf(
    data: ProvinceReportData, options: ReportOptions, progress: Progress | None = None
) -> bytes:
    """F4: the province's follow-up of its LAOs by district, its LEV Week and the อบจ.'s
    support, signed by the reporting officer."""
    width = frame_width(True)
    story = _header(
        options,
        [
            W.PROVINCE_TITLE,
            W.PROGRAMME_P1,
            fy_line(data.fiscal_year, options),
            scope_line(data.office),
        ],
    )
    story += _section(W.PROVINCE_FOLLOWUP)
    spec = TableSpec(
        header=[W.PROVINCE_HEADER],
        widths=scale_widths([1.0, 5.0, 1.6, 2.6, 2.6, 2.4, 2.0, 3.2], width),
        aligns=["center", "left", "right", "right", "right", "right", "right", "right"],
        header_size=12,
        pad=2.5,
        leading=1.3,
        nowrap=frozenset(range(8)),
    )
    rows = []
    for n, d in enumerate(data.districts, start=1):
        rows.append(
            Row(
                [
                    options.num(str(n)),
                    district_label(d.district),
                    count(d.laos, options),
                    count(d.selected, options),
                    count(d.met, options),
                    count(d.planned, options),
                    count(d.activities, options),
                    count(d.reported, options),
                ]
            )
        )
    t = data.total
    rows.append(
        Row(
            [
                W.GRAND_TOTAL_PROVINCE,
                "",
                count(t.laos, options),
                count(t.selected, options),
                count(t.met, options),
                count(t.planned, options),
                count(t.activities, options),
                count(t.reported, options),
            ],
            "total",
            span=2,
        )
    )
    rows.append(
        Row(
            [
                W.PERCENT_OF_LAOS,
                "",
                "",
                _percent(t.selected, t.laos, options),
                _percent(t.met, t.laos, options),
                _percent(t.planned, t.laos, options),
                "",
                _percent(t.reported, t.laos, options),
            ],
            "total",
            span=2,
        )
    )
    fit_table_size(spec, rows, (14, 13, 12))
    story.append(PagedTable(spec, rows, progress=progress))
    story += _section(W.PROVINCE_WEEK)
    story.append(para(W.PROVINCE_WEEK_NAME, style(BODY_SIZE, space_after=4)))
    story.append(_activity_table(_activity_rows(data.own, options), width))
    pao = W.PROVINCE_PAO + (f" ({data.pao_name})" if data.pao_name else "")
    story += _section(pao)
    name, position = _signer(options, data.office)
    tail: list[Flowable] = [
        Spacer(1, 6),
        para(as_of_line(options), style(BODY_SIZE - 2)),
        Spacer(1, 0.4 * cm),
        signature_block(name, position, caption="ผู้รายงาน"),
    ]
    story.append(_activity_table(_activity_rows(data.pao, options), width, tail))
    return build_pdf(
        story,
        landscape_page=True,
        options=options,
        title=f"{W.PROVINCE_TITLE} {data.office.name} {data.fiscal_year}",
    )


# ---- P5 Soft Power -------------------------------------------------------------------------


@in_document_digits
def softpower_pdf(
    data: SoftPowerData, options: ReportOptions, progress: Progress | None = None
) -> bytes:
    width = frame_width(True)

    lines = [W.SOFTPOWER_TITLE, scope_line(data.office)]
    if data.round_due is not None:
        lines.append("รายงานรอบวันที่ " + date_long(data.round_due, options))
    story = _header(options, lines)
    several = len({r.district for r in data.rows}) > 1
    # fields (๘) and (๙), the two links, go on a line of their own under each product: whole,
    # clickable, and the seven fields above them get the width
    header = list(W.SOFTPOWER_HEADER[:9])
    weights = [1.0, 3.0, 2.6, 3.2, 2.6, 1.6, 2.2, 1.7, 1.9]
    aligns = ["center", "left", "left", "left", "left", "right", "right", "left", "left"]
    if several:  # the LAOs of several districts: a district column before the LAO
        header.insert(1, "อำเภอ")
        weights.insert(1, 2.2)
        aligns.insert(1, "left")
    lead = header.index("อปท.")
    last = len(header) - 1
    # the second heading row names the links' line under each product, in the letter's words;
    # the line runs from the second column (two links side by side where they fit)
    links_heading = ["", [W.SOFTPOWER_HEADER[9], W.SOFTPOWER_HEADER[10]], *([""] * (last - 1))]
    spec = TableSpec(
        header=[header, links_heading],
        header_spans=[((0, 0), (0, 1)), ((1, 1), (last, 1))],
        widths=scale_widths(weights, width),
        aligns=aligns,
        header_size=12,
        pad=2.5,
        leading=1.3,
        # number, place, LAO, participants, income and the URLs' pieces are never cut
        nowrap=frozenset({*range(lead + 1), lead + 4, lead + 5}),
    )

    def link(number: str, value: Any) -> Any:
        text = str(value or "").strip()
        shown = f"{number} {text}"
        return Link(shown, text) if text.startswith(("http://", "https://")) else shown

    rows = []
    for n, r in enumerate(data.rows, start=1):
        v = r.values
        rows.append(
            Row(
                [
                    options.num(str(n)),
                    *([r.district] if several else []),
                    r.lao,
                    v.get("identity", ""),
                    v.get("product", ""),
                    v.get("group", ""),
                    count(v.get("participants"), options),
                    money(v.get("income"), options),
                    v.get("training", ""),
                    v.get("publicity", ""),
                ]
            )
        )
        links = [
            link(number, v.get(key))
            for key, number in (("photos_url", "(๘)"), ("video_url", "(๙)"))
            if v.get(key)
        ]
        if links:
            rows.append(Row(["", links, *([""] * (last - 1))], span=last, span_from=1, joined=True))
    rows.append(
        Row(
            [
                W.TOTAL,
                *([""] * lead),
                "",
                options.num(f"{len(data.rows)} ผลิตภัณฑ์"),
                "",
                count(data.participants_total, options),
                money(data.income_total, options),
                "",
                "",
            ],
            "total",
            span=lead + 1,
        )
    )
    fit_table_size(spec, rows, (14, 13, 12))
    tail: list[Flowable] = [Spacer(1, 6)]
    if data.consolidated:
        tail.append(
            para(
                f"อปท. ที่รายงานแล้ว {data.reporting_laos} แห่ง จากทั้งหมด {data.lao_count} แห่ง",
                style(BODY_SIZE),
            )
        )
    tail.append(para(as_of_line(options), style(BODY_SIZE - 2)))
    tail.append(Spacer(1, 0.4 * cm))
    name, position = _signer(options, data.office)
    tail.append(signature_block(name, position, caption="ผู้รายงาน"))
    story.append(PagedTable(spec, rows, progress=progress, tail=tail))
    return build_pdf(
        story,
        landscape_page=True,
        options=options,
        title=f"{W.SOFTPOWER_TITLE} {data.office.name} {data.fiscal_year}",
    )


# ---- P2 indicators -------------------------------------------------------------------------


def kpi_value_text(line: KpiLine, value: Any, options: ReportOptions) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, dt.date):
        return date_short(value, options)
    if isinstance(value, (int, Decimal)):
        places = 0 if line.kind == "integer" else 2
        if line.kind in ("decimal", "percent") and isinstance(value, Decimal):
            # as typed, up to the four decimals a value keeps: 0.125 tonnes a day printed
            # 0.13, and the largest value accepted, 99,999,999,999,999.9999, as
            # 100,000,000,000,000.00, a value the form refuses
            exponent = value.normalize().as_tuple().exponent
            assert isinstance(exponent, int)  # (a finite number)
            places = min(VALUE_NUM_SCALE, max(places, -exponent))
        return format_number(value, places, digits=options.digits)
    return str(value)


def common_answer_text(line: KpiLine, options: ReportOptions) -> str:
    """What the LAOs answered a text indicator (a choice, a name), said for all of them: the
    answer when all gave it; else the most frequent with how many LAOs gave it (two tied:
    both); else that the answers differ. Never one LAO's answer (its link, its product)
    printed as the district's: links are each LAO's own (the Soft Power report lists them)."""
    if not line.answers:
        return "-"
    answered = line.reported or sum(n for _text, n in line.answers)
    top = line.answers[0][1]
    tied = [text for text, n in line.answers if n == top]
    if line.kind == "url":
        return options.num(f"ดูลิงก์รายแห่ง ({answered} แห่ง)")
    if top >= answered and len(tied) == 1:
        return tied[0]
    if top == 1:
        return options.num(f"คำตอบต่างกันทั้ง {answered} แห่ง")
    if len(tied) > 2:
        return options.num(f"คำตอบหลากหลาย ({answered} แห่ง)")
    return "\n".join(options.num(f"{text} ({top} แห่ง)") for text in tied)


def kpi_title(data: KpiData, options: ReportOptions) -> str:
    """ "รายงานผลตัวชี้วัด"; a monthly report says its month: "แบบรายงานผลการดำเนินงานวัดและ
    ชุมชน ประจำเดือนกรกฎาคม พ.ศ. ๒๕๖๘"."""
    if data.month is None:
        return W.KPI_TITLE
    year, month = data.month
    title = (data.form_name or W.KPI_TITLE).replace(" (รายเดือน)", "")
    return title + options.num(f" ประจำเดือน{MONTHS_FULL[month - 1]} พ.ศ.{NBSP}{be_year(year)}")


@in_document_digits
def kpi_pdf(data: KpiData, options: ReportOptions, progress: Progress | None = None) -> bytes:
    wide = data.consolidated
    width = frame_width(wide)
    story = _header(
        options, [kpi_title(data, options), data.programme_name, scope_line(data.office)]
    )
    if wide:
        story.append(
            para(
                options.num(f"อปท. ในความรับผิดชอบ {data.lao_count} แห่ง"),
                style(BODY_SIZE, align="center", space_after=6),
            )
        )
        # content-fitted: numbers, units and counts as wide as they print, the indicator's
        # name the rest (a text indicator's common answer spans the four number columns)
        spec = TableSpec(
            header=[W.KPI_HEADER_ALL],
            widths=scale_widths([1.2, 8, 2.2, 2.2, 2.8, 2.6, 2.6, 2.6], width),
            aligns=["center", "left", "center", "center", "right", "right", "right", "right"],
            nowrap=frozenset({0, 2, 3, 4, 5, 6, 7}),
        )
    else:
        spec = TableSpec(
            header=[W.KPI_HEADER_ONE],
            widths=scale_widths([1.2, 8, 2.4, 3.6], width),
            aligns=["center", "left", "center", "right"],
            nowrap=frozenset({0, 2}),
        )
    rows: list[Row] = []
    n = 0
    for stage, lines in data.stages:
        if stage:
            rows.append(Row([stage], "group"))
        for line in lines:
            n += 1
            unit = line.printed_unit
            if not wide:
                value: Any = kpi_value_text(line, line.value, options)
                words = line.kind in ("choice", "text", "url") and value != "-"
                if line.kind == "url" and value.startswith(("http://", "https://")):
                    value = Link(value, value)  # cut after its "/", opens when clicked
                # words, not a number: from the left, as the indicator's name
                left = frozenset({3}) if words else frozenset()
                rows.append(Row([options.num(str(n)), line.name, unit, value], left=left))
                continue
            numeric = line.kind in ("integer", "decimal", "baht", "percent")
            total = (
                ""
                if line.kind == "percent" or not numeric
                else kpi_value_text(line, line.total, options)
            )
            if not numeric:
                rows.append(
                    Row(
                        [
                            options.num(str(n)),
                            line.name,
                            unit,
                            count(line.reported, options),
                            # words, not a number: from the left, as the indicator's name
                            cell(
                                common_answer_text(line, options),
                                size=spec.size,
                                leading=spec.leading,
                            ),
                            "",
                            "",
                            "",
                        ],
                        span=4,
                        span_from=4,
                    )
                )
                continue
            rows.append(
                Row(
                    [
                        options.num(str(n)),
                        line.name,
                        unit,
                        count(line.reported, options),
                        total or "-",
                        format_number(line.mean, 2, digits=options.digits)
                        if line.mean is not None
                        else "-",
                        kpi_value_text(line, line.minimum, options)
                        if line.minimum is not None
                        else "-",
                        kpi_value_text(line, line.maximum, options)
                        if line.maximum is not None
                        else "-",
                    ]
                )
            )
    name, position = _signer(options, data.office)
    tail = [Spacer(1, 0.8 * cm), signature_block(name, position, caption="ผู้รายงาน")]
    story.append(paged_table(spec, rows, progress, tail=tail))
    return build_pdf(
        story,
        landscape_page=wide,
        options=options,
        title=f"{W.KPI_TITLE} {data.office.name} {data.period_year}",
    )
