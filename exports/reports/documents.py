"""The PDF documents: F1 action plan, F2 summary, the public notice, F3 monitoring table,
P5 Soft-Power products, P2 indicators by stage, and a month of deadlines.

Each ``*_pdf(data, options, progress)`` returns the bytes of the PDF.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Spacer
from reportlab.platypus.flowables import HRFlowable

from exports.reports import wording as W
from exports.reports.data import (
    KpiData,
    KpiLine,
    MonitoringData,
    OfficeInfo,
    PlanData,
    SoftPowerData,
)
from exports.reports.layout import (
    BODY_SIZE,
    Row,
    TableSpec,
    build_pdf,
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
from lev_desktop.progress import Progress
from lev_desktop.thai_format import format_date, format_number


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


def softpower_round(today: dt.date) -> dt.date:
    """The reporting round of the Soft Power letter a report made ``today`` answers: first
    Monday 15 September 2568, then every 5th and 15th of a month — the next one due."""
    first = dt.date(2025, 9, 15)
    if today <= first:
        return first
    for day in (5, 15):
        if today.day <= day:
            return today.replace(day=day)
    nxt = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=5)
    return nxt


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
    story.append(paged_table(spec, rows, progress, tail=tail))
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
    header = [*W.SUMMARY_HEADER[:8], "ปัญหาอุปสรรค /\nแนวทางแก้ไข"]
    spec = TableSpec(
        header=[header],
        size=13,
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


@in_document_digits
def monitoring_pdf(
    data: MonitoringData, options: ReportOptions, progress: Progress | None = None
) -> bytes:
    width = frame_width(True)
    story = _header(
        options,
        [
            W.MONITORING_TITLE,
            W.PROGRAMME_P1 + " " + fy_line(data.fiscal_year, options),
            scope_line(data.office),
        ],
    )
    spec = TableSpec(
        header=[W.MONITORING_HEADER],
        widths=scale_widths([1.1, 3.0, 3.6, 2.9, 2.9, 2.9, 1.9, 2.9, 2.8], width),
        aligns=["center", "left", "left", "center", "center", "center", "center", "center", "left"],
        size=13,  # a wide form may go down to 12 pt; 13 pt gives 15+ rows a page
    )
    rows: list[Row] = []
    groups = data.groups()
    number = 0
    for district, members in groups:
        if len(groups) > 1:
            label = district if district.startswith("เขต") else f"อำเภอ{district}"
            rows.append(Row([f"{label} ({len(members)} แห่ง)"], "group"))
        for r in members:
            number += 1
            reported = date_short(r.reported_on, options)
            if r.notice_posted_on and r.notice_posted_on != r.reported_on:
                reported += "\n(ประกาศ " + date_short(r.notice_posted_on, options) + ")"
            rows.append(
                Row(
                    [
                        options.num(str(number)),
                        district,
                        r.lao,
                        date_short(r.committee_selected_on, options),
                        date_short(r.committee_met_on, options),
                        date_short(r.plan_made_on, options),
                        count(r.activities, options),
                        reported,
                        r.note,
                    ]
                )
            )
    done = sum(1 for r in data.rows if r.reported_on)
    name, position = _signer(options, data.office)
    tail = [
        Spacer(1, 6),
        para(
            f"อปท. ทั้งหมด {len(data.rows)} แห่ง รายงานผลและปิดประกาศแล้ว {done} แห่ง "
            f"ยังไม่รายงาน {len(data.rows) - done} แห่ง",
            style(BODY_SIZE),
        ),
        para(W.MONITORING_FOOTNOTE, style(BODY_SIZE - 2)),
        para(as_of_line(options), style(BODY_SIZE - 2)),
        Spacer(1, 0.4 * cm),
        signature_block(name, position, caption="ผู้รายงาน"),
    ]
    story.append(paged_table(spec, rows, progress, tail=tail))
    return build_pdf(
        story,
        landscape_page=True,
        options=options,
        title=f"{W.MONITORING_TITLE} {data.office.name} {data.fiscal_year}",
    )


# ---- P5 Soft Power -------------------------------------------------------------------------


@in_document_digits
def softpower_pdf(
    data: SoftPowerData, options: ReportOptions, progress: Progress | None = None
) -> bytes:
    width = frame_width(True)

    round_line = "รายงานรอบวันที่ " + date_long(softpower_round(deadlines.today()), options)
    story = _header(options, [W.SOFTPOWER_TITLE, scope_line(data.office), round_line])
    widths = scale_widths([1.0, 3.0, 2.6, 3.2, 2.6, 1.6, 2.2, 1.7, 1.9, 2.7, 2.7], width)
    spec = TableSpec(
        header=[W.SOFTPOWER_HEADER],
        widths=widths,
        aligns=[
            "center",
            "left",
            "left",
            "left",
            "left",
            "right",
            "right",
            "left",
            "left",
            "left",
            "left",
        ],
        size=13,
    )
    rows = []
    for n, r in enumerate(data.rows, start=1):
        v = r.values
        rows.append(
            Row(
                [
                    options.num(str(n)),
                    r.lao,
                    v.get("identity", ""),
                    v.get("product", ""),
                    v.get("group", ""),
                    count(v.get("participants"), options),
                    money(v.get("income"), options),
                    v.get("training", ""),
                    v.get("publicity", ""),
                    str(v.get("photos_url", "")),
                    str(v.get("video_url", "")),
                ]
            )
        )
    rows.append(
        Row(
            [
                "",
                W.TOTAL,
                "",
                options.num(f"{len(data.rows)} ผลิตภัณฑ์"),
                "",
                count(data.participants_total, options),
                money(data.income_total, options),
                "",
                "",
                "",
                "",
            ],
            "total",
        )
    )
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
    story.append(paged_table(spec, rows, progress, tail=tail))
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
        return format_number(value, places, digits=options.digits)
    return str(value)


@in_document_digits
def kpi_pdf(data: KpiData, options: ReportOptions, progress: Progress | None = None) -> bytes:
    wide = data.consolidated
    width = frame_width(wide)
    story = _header(options, [W.KPI_TITLE, data.programme_name, scope_line(data.office)])
    if wide:
        story.append(
            para(
                options.num(f"อปท. ในความรับผิดชอบ {data.lao_count} แห่ง"),
                style(BODY_SIZE, align="center", space_after=6),
            )
        )
        spec = TableSpec(
            header=[W.KPI_HEADER_ALL],
            widths=scale_widths([1.2, 8, 2.2, 2.2, 2.8, 2.6, 2.6, 2.6], width),
            aligns=["center", "left", "center", "center", "right", "right", "right", "right"],
        )
    else:
        spec = TableSpec(
            header=[W.KPI_HEADER_ONE],
            widths=scale_widths([1.2, 8, 2.4, 3.6], width),
            aligns=["center", "left", "center", "right"],
        )
    rows: list[Row] = []
    n = 0
    for stage, lines in data.stages:
        if stage:
            rows.append(Row([stage], "group"))
        for line in lines:
            n += 1
            unit = line.unit if line.kind not in ("choice", "text", "url") else ""
            if not wide:
                rows.append(
                    Row(
                        [
                            options.num(str(n)),
                            line.name,
                            unit,
                            kpi_value_text(line, line.value, options),
                        ]
                    )
                )
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
                            line.common or "-",
                            "",
                            "",
                            "",
                        ]
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
