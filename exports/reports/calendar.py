"""A month of deadlines of an office, as a printable list (the deadline engine computes them;
this module only loads and lays them out)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from reportlab.lib.units import cm
from reportlab.platypus import Spacer

from db.store import Store
from exports.reports import wording as W
from exports.reports.data import OfficeInfo, get_office
from exports.reports.layout import (
    BODY_SIZE,
    PagedTable,
    Row,
    TableSpec,
    build_pdf,
    fit_table_size,
    frame_width,
    letterhead_block,
    scale_widths,
    signature_block,
    title_block,
)
from exports.reports.options import ReportOptions
from exports.reports.text import in_document_digits, para, style
from lev_desktop import deadlines
from lev_desktop.deadlines.text import laos_text, state_days_text
from lev_desktop.domain.obligation_state import State
from lev_desktop.progress import Progress
from lev_desktop.thai_format import MONTHS_FULL, be_year, fiscal_months, format_date

LEVEL_TH = {
    "lao": "อปท.",
    "district": "อำเภอ",
    "province": "จังหวัด",
    "national": "กรมส่งเสริมการปกครองท้องถิ่น",
}


@dataclass
class CalendarLine:
    start: dt.date | None
    due: dt.date
    time: str | None
    title: str
    form_name: str
    programme: str
    sends_to: str
    state: str  # the one model's state (State value); its Thai word is State(state).thai
    days_left: int
    incoming: bool
    laos_done: int | None
    laos_total: int | None
    non_working: str


@dataclass
class CalendarData:
    office: OfficeInfo
    fiscal_year: int
    month: tuple[int, int]
    lines: list[CalendarLine]
    today: dt.date


def default_month(fiscal_year: int, today: dt.date) -> tuple[int, int]:
    """This month when it is inside the fiscal year, otherwise the fiscal year's first month."""
    months = fiscal_months(fiscal_year)
    return (today.year, today.month) if (today.year, today.month) in months else months[0]


def load_month(
    store: Store,
    office_code: str | None,
    fiscal_year: int,
    month: tuple[int, int] | None = None,
) -> CalendarData:
    office = get_office(store, office_code)
    today = deadlines.today()
    month = month or default_month(fiscal_year, today)
    lines = []
    for item in deadlines.month_deadlines(store, month[0], month[1], office=office.code):
        d, ob = item.deadline, item.obligation
        dest = (
            ob.destination(office.lao_type)
            if office.level == "lao"
            else (None if ob.sends_to in (None, "route") else ob.sends_to)
        )
        if ob.sends_to == "route" and office.level != "lao":
            dest = None
        note = ""
        if d.holiday:
            note = d.holiday
        elif d.weekend:
            note = "ตรงกับวันหยุดราชการ"
        lines.append(
            CalendarLine(
                d.start if d.is_window else None,
                d.due,
                d.time,
                ob.title,
                ob.form_name,
                ob.programme_name,
                LEVEL_TH.get(str(dest), "") if dest else "",
                item.state.value,
                item.days_left,
                item.incoming,
                item.laos.done if item.laos else None,
                item.laos.total if item.laos else None,
                note,
            )
        )
    return CalendarData(office, fiscal_year, month, lines, today)


def when_text(line: CalendarLine, options: ReportOptions) -> str:
    if line.start is not None:
        text = (
            format_date(line.start, "short", digits=options.digits, thai=True)
            + " –\n"
            + format_date(line.due, "short", digits=options.digits, thai=True)
        )
    else:
        # "จ. 15 ก.ย." held together; the year may go to the next line
        weekday, day, month, year = format_date(
            line.due, "weekday", digits=options.digits, thai=True
        ).split(" ")
        text = "\u00a0".join((weekday, day, month)) + " " + year
    if line.time:
        text += options.num(f"\n{line.time} น.")
    return text


def state_text(line: CalendarLine, options: ReportOptions) -> str:
    """The state as short as the screens word it (``state_days_text``, ``laos_text``):
    "เกินกำหนด ๔๔๖ วัน" / "อปท. ๑๑/๑๔", not "เกินกำหนด (๔๔๖ วัน)" / "ได้รับจาก อปท. ๑๑/๑๔
    แห่ง", which took 9 lines of its column."""
    text = state_days_text(State(line.state), line.days_left, thai=True, sep="\n")
    if line.laos_total:
        counted = SimpleNamespace(done=line.laos_done or 0, total=line.laos_total)
        text += "\n" + laos_text(counted, thai=True)
    return options.num(text)


def month_title(month: tuple[int, int], options: ReportOptions) -> str:
    return options.num(f"ประจำเดือน{MONTHS_FULL[month[1] - 1]} พ.ศ. {be_year(month[0])}")


@in_document_digits
def calendar_pdf(
    data: CalendarData, options: ReportOptions, progress: Progress | None = None
) -> bytes:
    # landscape: six columns of text (the state and the LAOs counted, the work and its form)
    # on a portrait page took 9 lines a row; the month's F1/F2 are landscape too
    width = frame_width(True)
    story = letterhead_block(options) + title_block(
        [W.CALENDAR_TITLE, month_title(data.month, options), data.office.name]
    )
    spec = TableSpec(
        header=[W.CALENDAR_HEADER],
        widths=scale_widths([1.0, 2.8, 6.2, 3.6, 2.0, 3.0], width),
        aligns=["center", "left", "left", "left", "left", "left"],
    )
    rows = []
    for n, line in enumerate(data.lines, start=1):
        what = line.title + (f"\n({line.form_name})" if line.form_name else "")
        if line.non_working:
            what += f"\n* {line.non_working}"
        rows.append(
            Row(
                [
                    options.num(str(n)),
                    when_text(line, options),
                    what,
                    line.programme,
                    line.sends_to,
                    state_text(line, options),
                ]
            )
        )
    if not rows:
        rows.append(Row(["", "", "ไม่มีกำหนดส่งในเดือนนี้", "", "", ""]))
    tail = [
        Spacer(1, 6),
        para(
            "ข้อมูล ณ วันที่ " + format_date(data.today, "long", digits=options.digits, thai=True),
            style(BODY_SIZE - 2),
        ),
        Spacer(1, 0.6 * cm),
        signature_block(
            options.signer_name,
            options.signer_position or data.office.executive_title,
            caption="ผู้รับผิดชอบ",
        ),
    ]
    # 14 pt unless a smaller size saves lines: the demo LAO's September, four lines of work
    # (their form named under each, the states on two lines), went over two pages at 14 pt
    fit_table_size(spec, rows, (14, 13, 12))
    story.append(PagedTable(spec, rows, progress=progress, tail=tail))
    return build_pdf(
        story, landscape_page=True, options=options, title=f"{W.CALENDAR_TITLE} {data.office.name}"
    )
