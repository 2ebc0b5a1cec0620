"""What each report shows, loaded from the store as plain rows (no ORM objects leave here).

Loading is separate from layout so the PDF and the Excel file of a report show the same
values, and so a benchmark can time both parts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from db.models import (
    Activity,
    KpiValue,
    Monitoring,
    Office,
    Plan,
    PlanItem,
    Programme,
    held_counts,
)
from db.store import Store
from exports.reports import wording as W
from lev_desktop import gazetteer
from lev_desktop.deadlines.engine import DeadlineBook, form_states
from lev_desktop.deadlines.engine import today as deadlines_today
from lev_desktop.domain.obligation_state import State
from lev_desktop.domain.offices import LaoType, Level
from lev_desktop.i18n import _
from lev_desktop.progress import Progress
from lev_desktop.services import offices as office_service
from lev_desktop.services import programmes as programme_service
from lev_desktop.thai_format import document_unit, fiscal_months, format_date

_LONG_PREFIXES = (
    ("องค์การบริหารส่วนจังหวัด", "อบจ."),
    ("องค์การบริหารส่วนตำบล", "อบต."),
    ("เทศบาลนคร", "ทน."),
    ("เทศบาลเมือง", "ทม."),
    ("เทศบาลตำบล", "ทต."),
    ("สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอ", "สถอ."),
    ("สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด", "สถจ."),
)


class ReportDataError(ValueError):
    """The report cannot be made from what the database holds; the message is for a person."""


@dataclass
class OfficeInfo:
    code: str
    name: str
    level: str
    lao_type: str | None
    district_code: str | None
    province_code: str | None

    @property
    def short_name(self) -> str:
        """ "อบต.หนองแสง" for "องค์การบริหารส่วนตำบลหนองแสง" (file names, narrow columns)."""
        for long, short in _LONG_PREFIXES:
            if self.name.startswith(long) and len(self.name) > len(long):
                return short + self.name[len(long) :]
        return self.name

    @property
    def district_name(self) -> str:
        return gazetteer.district_label(self.district_code)

    @property
    def province_name(self) -> str:
        found = gazetteer.province(self.province_code)
        return (
            f"จังหวัด{found.name_th}"
            if found and found.code != "10"
            else (found.name_th if found else "")
        )

    @property
    def place_line(self) -> str:
        """ "องค์การบริหารส่วนตำบลหนองแสง อำเภอเมืองนครพนม จังหวัดนครพนม"."""
        parts = [self.name]
        if (
            self.level in (Level.LAO, Level.DISTRICT)
            and self.district_name
            and self.district_name not in self.name
        ):
            parts.append(self.district_name)
        if self.province_name and self.province_name not in self.name:
            parts.append(self.province_name)
        return " ".join(parts)

    @property
    def executive_title(self) -> str:
        """The executive who signs for the office (นายก อบต. / นายกเทศมนตรี / นายอำเภอ …)."""
        name = self.name
        if self.lao_type == LaoType.SAO:
            return "นายก" + name
        if self.lao_type == LaoType.PAO:
            return "นายก" + name
        if self.lao_type in (LaoType.SUBDISTRICT, LaoType.TOWN, LaoType.CITY):
            return "นายกเทศมนตรี" + name.removeprefix("เทศบาล")
        if self.level == Level.DISTRICT:
            return "ท้องถิ่นอำเภอ" + (self.district_name.removeprefix("อำเภอ") or "")
        if self.level == Level.PROVINCE:
            return "ท้องถิ่นจังหวัด" + self.province_name.removeprefix("จังหวัด")
        return ""


def office_info(office: Office) -> OfficeInfo:
    return OfficeInfo(
        office.code,
        office.name,
        office.level,
        office.lao_type,
        office.district_code,
        office.province_code,
    )


def get_office(store: Store, code: str | None) -> OfficeInfo:
    code = code or store.office_code
    office = office_service.get_office(store, code) if code else None
    if office is None:
        raise ReportDataError(_("Office {code} is not in this database").format(code=code or "-"))
    return office_info(office)


def programme_by_code(store: Store, code: str) -> Programme:
    programme = programme_service.get_programme(store, code)
    if programme is None:
        raise ReportDataError(_("Programme {code} is not in this database").format(code=code))
    return programme


def _laos_under(store: Store, office: OfficeInfo) -> list[OfficeInfo]:
    if office.level == Level.LAO:
        return [office]
    if office.level == Level.PROVINCE:  # (also a province chosen by the Department)
        return [
            office_info(o)
            for o in office_service.list_offices(store)
            if o.level == Level.LAO and o.province_code == office.province_code
        ]
    return [office_info(o) for o in office_service.subordinate_laos(store, office.code)]


def province_office(store: Store, province_code: str) -> OfficeInfo:
    """The province office of ``province_code`` as this database knows it, or as its name is
    when the Department's database has no record of it."""
    for o in office_service.list_offices(store):
        if o.level == Level.PROVINCE and o.province_code == province_code:
            return office_info(o)
    found = gazetteer.province(province_code)
    if found is None:
        raise ReportDataError(
            _("Province {code} is not in the gazetteer").format(code=province_code)
        )
    return OfficeInfo(
        f"P{province_code}",
        "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด" + found.name_th,
        Level.PROVINCE.value,
        None,
        None,
        province_code,
    )


# ---- F1 action plan and F2 summary -------------------------------------------------------


@dataclass
class PlanRow:
    seq: int
    project: str
    objective: str
    target: str
    location: str
    budget: Decimal | None
    no_budget: bool
    kpi: str
    expected_result: str
    planned_activities: int
    activities: list[ActivityRow] = field(default_factory=list)


@dataclass
class ActivityRow:
    title: str
    held_on: dt.date | None
    held_until: dt.date | None
    place: str
    participants: int | None
    outputs: str
    budget_spent: Decimal | None
    problems: str
    remedies: str


@dataclass
class PlanData:
    office: OfficeInfo
    fiscal_year: int
    programme_name: str
    letter: dict[str, Any]
    status: str
    rows: list[PlanRow]
    monitoring: dict[str, Any]

    @property
    def budget_total(self) -> Decimal:
        return sum((r.budget or Decimal(0) for r in self.rows if not r.no_budget), Decimal(0))

    @property
    def spent_total(self) -> Decimal:
        return sum(
            (a.budget_spent or Decimal(0) for r in self.rows for a in r.activities), Decimal(0)
        )

    @property
    def activity_count(self) -> int:
        return sum(len(r.activities) for r in self.rows)

    @property
    def participant_total(self) -> int:
        return sum(a.participants or 0 for r in self.rows for a in r.activities)


def load_plan(
    store: Store,
    office_code: str | None,
    fiscal_year: int,
    *,
    programme: str = "P1",
    with_activities: bool = True,
) -> PlanData:
    office = get_office(store, office_code)
    prog = programme_by_code(store, programme)
    with store.read() as s:
        plan = s.scalar(
            select(Plan).where(
                Plan.owner_office == office.code,
                Plan.programme_id == prog.id,
                Plan.fiscal_year == fiscal_year,
                Plan.deleted.is_(False),
            )
        )
        if plan is None:
            raise ReportDataError(
                _("{office} has no action plan for fiscal year {year}").format(
                    office=office.name, year=fiscal_year
                )
            )
        items = list(
            s.scalars(
                select(PlanItem)
                .where(PlanItem.plan_id == plan.id, PlanItem.deleted.is_(False))
                .order_by(PlanItem.seq)
            )
        )
        acts: dict[str, list[Activity]] = defaultdict(list)
        if with_activities and items:
            for act in s.scalars(
                select(Activity).where(
                    Activity.plan_item_id.in_([i.id for i in items]), Activity.deleted.is_(False)
                )
            ):
                acts[act.plan_item_id].append(act)
        mon = s.scalar(
            select(Monitoring).where(
                Monitoring.owner_office == office.code,
                Monitoring.programme_id == prog.id,
                Monitoring.fiscal_year == fiscal_year,
                Monitoring.deleted.is_(False),
            )
        )
        status = plan.status
    rows = []
    for index, item in enumerate(items, start=1):
        activities = sorted(
            acts.get(item.id, []), key=lambda a: (a.held_on or dt.date.max, a.title)
        )
        rows.append(
            PlanRow(
                index,
                item.project,
                item.objective,
                item.target,
                item.location,
                item.budget,
                item.no_budget,
                item.kpi,
                item.expected_result,
                item.planned_activities,
                [
                    ActivityRow(
                        a.title,
                        a.held_on,
                        a.held_until,
                        a.place,
                        a.participants,
                        a.outputs,
                        a.budget_spent,
                        a.problems,
                        a.remedies,
                    )
                    for a in activities
                ],
            )
        )
    monitoring = {}
    if mon is not None:
        monitoring = {
            k: getattr(mon, k)
            for k in (
                "committee_selected_on",
                "committee_met_on",
                "plan_made_on",
                "reported_on",
                "notice_posted_on",
                "note",
            )
        }
    return PlanData(
        office, fiscal_year, prog.name, dict(prog.letter or {}), status, rows, monitoring
    )


# ---- F3 monitoring -----------------------------------------------------------------------


@dataclass
class MonitoringRow:
    district: str
    district_code: str
    lao: str  # short name as on the form: อบต.หนองแสง
    lao_code: str
    committee_selected_on: dt.date | None
    committee_met_on: dt.date | None
    plan_made_on: dt.date | None
    activities: int  # held: with a date and a result
    reported_on: dt.date | None
    notice_posted_on: dt.date | None
    note: str
    province: str = ""  # the province's name without "จังหวัด" (กรุงเทพมหานคร as it is)
    # The state of the LAO's monitoring report (P1.LAO.REPORT), from the one model — the same
    # word the calendar, the board and ``lev status`` show — and the day of that word (the
    # board's วันที่รับ for "received", else the day that counts: sent, done, marked).
    state: State | None = None
    state_on: dt.date | None = None

    @property
    def state_text(self) -> str:
        if self.state is None:
            return ""
        if self.state_on is not None and self.state.fulfilled:
            return f"{self.state.label} {format_date(self.state_on)}"
        return self.state.label

    @property
    def remark(self) -> str:
        """The หมายเหตุ column: the state first, then the LAO's own note."""
        return "\n".join(part for part in (self.state_text, self.note) if part)


@dataclass
class MonitoringData:
    office: OfficeInfo
    fiscal_year: int
    rows: list[MonitoringRow]

    @property
    def reported(self) -> int:
        """LAOs whose monitoring report is in (received, done or late): the model's count."""
        return sum(1 for r in self.rows if r.state is not None and r.state.fulfilled)

    def received_line(self) -> str | None:
        """How many of the LAOs' forms are in ("ได้รับแบบติดตามแล้ว … แห่ง"), for the office
        that receives them; None for an LAO's own form, which nobody has received yet where it
        is printed (it said "ได้รับแบบติดตามแล้ว ๐ แห่ง ยังไม่ได้รับ ๑ แห่ง" of the LAO itself)."""
        if self.office.level == Level.LAO:
            return None
        done = self.reported
        return W.MONITORING_RECEIVED.format(
            total=len(self.rows), done=done, left=len(self.rows) - done
        )

    def groups(self) -> list[tuple[str, list[MonitoringRow]]]:
        out: list[tuple[str, list[MonitoringRow]]] = []
        for row in self.rows:
            if not out or out[-1][0] != row.district:
                out.append((row.district, []))
            out[-1][1].append(row)
        return out

    def provinces(self) -> list[tuple[str, list[MonitoringRow]]]:
        """The rows by province, in the order of the rows (sorted by codes)."""
        out: list[tuple[str, list[MonitoringRow]]] = []
        for row in self.rows:
            if not out or out[-1][0] != row.province:
                out.append((row.province, []))
            out[-1][1].append(row)
        return out

    @property
    def national(self) -> bool:
        return self.office.level == Level.NATIONAL or len({r.province for r in self.rows}) > 1


def load_monitoring(
    store: Store, office_code: str | None, fiscal_year: int, *, progress: Progress | None = None
) -> MonitoringData:
    return _monitoring_of(store, get_office(store, office_code), fiscal_year, progress)


def _monitoring_of(
    store: Store, office: OfficeInfo, fiscal_year: int, progress: Progress | None = None
) -> MonitoringData:
    prog = programme_by_code(store, "P1")
    laos = _laos_under(store, office)
    codes = {lao.code for lao in laos}
    with store.read() as s:
        milestones = {
            m.owner_office: m
            for m in s.scalars(
                select(Monitoring).where(
                    Monitoring.programme_id == prog.id,
                    Monitoring.fiscal_year == fiscal_year,
                    Monitoring.deleted.is_(False),
                )
            )
        }
        counts: dict[str, int] = dict(s.execute(held_counts(prog.id, fiscal_year)).all())
    if progress is not None:
        progress(0, len(laos))
    district_names: dict[str | None, str] = {}
    province_names: dict[str | None, str] = {}
    rows = []
    for lao in laos:
        if lao.code not in codes:
            continue
        if lao.district_code not in district_names:
            district_names[lao.district_code] = gazetteer.district_label(lao.district_code)
        if lao.province_code not in province_names:
            found = gazetteer.province(lao.province_code)
            province_names[lao.province_code] = found.name_th if found else ""
        m = milestones.get(lao.code)
        count = counts.get(lao.code, 0)
        if m is not None and m.activities_override is not None:
            count = m.activities_override
        rows.append(
            MonitoringRow(
                district_names[lao.district_code].removeprefix("อำเภอ"),
                lao.district_code or "",
                lao.short_name,
                lao.code,
                m.committee_selected_on if m else None,
                m.committee_met_on if m else None,
                m.plan_made_on if m else None,
                count,
                m.reported_on if m else None,
                m.notice_posted_on if m else None,
                (m.note or m.override_reason or "") if m else "",
                province_names[lao.province_code],
            )
        )
    states = form_states(store, [r.lao_code for r in rows], prog.id, ["F3"], f"FY{fiscal_year}")
    for row in rows:
        instance = states.get(row.lao_code, {}).get("F3")
        if instance is not None:
            row.state = instance.state
            # the day of the word printed: "ได้รับแล้ว" on the day this office imported it
            # (the board's วันที่รับ); otherwise the day that counts (sent, done, marked)
            received = instance.facts.received_on if instance.state == State.RECEIVED else None
            row.state_on = received or instance.judgement.fulfilled_on
    rows.sort(key=lambda r: (r.district_code, r.district, r.lao_code))
    return MonitoringData(office, fiscal_year, rows)


# ---- F4 province report ------------------------------------------------------------------


@dataclass
class DistrictCounts:
    """One line of the F4 summary: how many LAOs of a district reached each milestone."""

    district: str  # "เมืองนครพนม" (Bangkok: "เขตดุสิต")
    laos: int
    selected: int
    met: int
    planned: int
    activities: int
    reported: int


@dataclass
class ProvinceActivity:
    """An activity the province office or its อบจ. held (LEV Week and the province-level
    network)."""

    title: str
    held_on: dt.date | None
    held_until: dt.date | None
    place: str
    participants: int | None
    outputs: str
    budget_spent: Decimal | None


@dataclass
class ProvinceReportData:
    office: OfficeInfo
    fiscal_year: int
    districts: list[DistrictCounts]
    own: list[ProvinceActivity]  # the province office's own plan: LEV Week, the network
    pao: list[ProvinceActivity]  # the อบจ.'s support of the network (letter ข้อ ๓.๔)
    pao_name: str = ""

    @property
    def total(self) -> DistrictCounts:
        def add(key: str) -> int:
            return sum(int(getattr(d, key)) for d in self.districts)

        return DistrictCounts(
            "",
            add("laos"),
            add("selected"),
            add("met"),
            add("planned"),
            add("activities"),
            add("reported"),
        )


def _activities_of(
    store: Store, owners: list[str], programme_id: str, fiscal_year: int
) -> dict[str, list[ProvinceActivity]]:
    out: dict[str, list[ProvinceActivity]] = {code: [] for code in owners}
    if not owners:
        return out
    with store.read() as s:
        found = s.execute(
            select(Plan.owner_office, Activity)
            .join(PlanItem, PlanItem.plan_id == Plan.id)
            .join(Activity, Activity.plan_item_id == PlanItem.id)
            .where(
                Plan.owner_office.in_(owners),
                Plan.programme_id == programme_id,
                Plan.fiscal_year == fiscal_year,
                Plan.deleted.is_(False),
                PlanItem.deleted.is_(False),
                Activity.deleted.is_(False),
            )
        ).all()
        for owner, a in found:
            out[owner].append(
                ProvinceActivity(
                    a.title,
                    a.held_on,
                    a.held_until,
                    a.place,
                    a.participants,
                    a.outputs,
                    a.budget_spent,
                )
            )
    for acts in out.values():
        acts.sort(key=lambda a: (a.held_on or dt.date.max, a.title))
    return out


def load_province_report(
    store: Store,
    office_code: str | None,
    fiscal_year: int,
    *,
    province: str | None = None,
    progress: Progress | None = None,
) -> ProvinceReportData:
    """F4, the province report the LEV network letter asks for (สิ่งที่ส่งมาด้วย ๖): the
    province's follow-up of its LAOs (ข้อ ๔.๑) counted by district from the consolidated
    monitoring, the activities of the province's own plan — LEV Week (ข้อ ๔.๒) — and those of
    its อบจ. (ข้อ ๓.๔)."""
    office = get_office(store, office_code)
    if office.level == Level.NATIONAL:
        # the Department makes it for the province it chooses (the province picker)
        if not province:
            raise ReportDataError(_("Choose the province of the province report"))
        office = province_office(store, province)
    if office.level != Level.PROVINCE:
        raise ReportDataError(
            _("The province report is made by a province office; {office} is not one").format(
                office=office.name
            )
        )
    monitoring = _monitoring_of(store, office, fiscal_year, progress)
    districts = []
    for district, members in monitoring.groups():
        districts.append(
            DistrictCounts(
                district,
                len(members),
                sum(1 for r in members if r.committee_selected_on),
                sum(1 for r in members if r.committee_met_on),
                sum(1 for r in members if r.plan_made_on),
                sum(r.activities for r in members),
                # the model's count (issue 9): a returned or not-concerned report is not in
                sum(1 for r in members if r.state is not None and r.state.fulfilled),
            )
        )
    prog = programme_by_code(store, "P1")
    paos = [lao for lao in _laos_under(store, office) if lao.lao_type == LaoType.PAO]
    acts = _activities_of(store, [office.code, *(p.code for p in paos)], prog.id, fiscal_year)
    return ProvinceReportData(
        office,
        fiscal_year,
        districts,
        acts[office.code],
        [a for p in paos for a in acts[p.code]],
        paos[0].name if paos else "",
    )


# ---- P5 Soft Power and P2 indicators -------------------------------------------------------

SOFTPOWER_FIELDS = (
    "identity",
    "product",
    "group",
    "participants",
    "income",
    "training",
    "publicity",
    "photos_url",
    "video_url",
)


@dataclass
class ProductRow:
    lao: str
    lao_code: str
    values: dict[str, Any]
    district: str = ""  # "เมืองนครพนม" (Bangkok: "เขตดุสิต")


@dataclass
class SoftPowerData:
    office: OfficeInfo
    fiscal_year: int
    programme_name: str
    consolidated: bool
    rows: list[ProductRow]
    lao_count: int
    # the round of the reporting rule this report answers (``softpower_round``); None: the
    # office has no such round (the Department), and the report names none
    round_due: dt.date | None = None

    @property
    def participants_total(self) -> int:
        return int(sum(r.values.get("participants") or 0 for r in self.rows))

    @property
    def income_total(self) -> Decimal:
        return sum((r.values.get("income") or Decimal(0) for r in self.rows), Decimal(0))

    @property
    def reporting_laos(self) -> int:
        return len({r.lao_code for r in self.rows})


def _kpi_value(v: KpiValue, kind: str | None) -> Any:
    if v.value_date is not None:
        return v.value_date
    if v.value_num is not None:
        if kind in ("integer",):
            return int(v.value_num)
        if kind in ("baht",):
            return Decimal(v.value_num).quantize(Decimal("0.01"))
        return Decimal(v.value_num).normalize() if kind != "decimal" else Decimal(v.value_num)
    return v.value_text or ""


def load_softpower(
    store: Store, office_code: str | None, fiscal_year: int, *, programme: str = "P5"
) -> SoftPowerData:
    office = get_office(store, office_code)
    prog = programme_by_code(store, programme)
    kinds = {i["code"]: i.get("type") for i in prog.spec.get("indicators", [])}
    laos = _laos_under(store, office)
    names = {lao.code: lao for lao in laos}
    with store.read() as s:
        values = list(
            s.scalars(
                select(KpiValue).where(
                    KpiValue.programme_id == prog.id,
                    KpiValue.period == f"FY{fiscal_year}",
                    KpiValue.deleted.is_(False),
                )
            )
        )
    products: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    for v in values:
        if v.owner_office in names:
            products[(v.owner_office, v.row_key)][v.indicator_code] = _kpi_value(
                v, kinds.get(v.indicator_code)
            )
    districts = {
        code: gazetteer.district_label(code).removeprefix("อำเภอ")
        for code in {lao.district_code for lao in laos}
    }
    rows = [
        ProductRow(
            names[owner].short_name, owner, vals, districts.get(names[owner].district_code, "")
        )
        for (owner, _key), vals in products.items()
    ]
    rows.sort(
        key=lambda r: (
            names[r.lao_code].district_code or "",
            r.lao_code,
            str(r.values.get("product", "")),
        )
    )
    return SoftPowerData(
        office,
        fiscal_year,
        prog.name,
        office.level != Level.LAO,
        rows,
        len(laos),
        softpower_round(store, office.code, prog.id, deadlines_today()),
    )


def softpower_round(
    store: Store, office_code: str, programme: str, today: dt.date
) -> dt.date | None:
    """The round of ``programme``'s (its id, or its code) reporting rule that a report made
    ``today`` answers, read from the deadline engine (the rule's one home: "first 15 Sep
    2568, then every 5th and 15th until every LAO has reported", as the calendar shows it,
    edited or not): this office's own next round on or after today; once the rounds have
    stopped (every LAO reported), the last one. None: the office reports no rounds of it
    (the Department)."""
    book = DeadlineBook(store, office=office_code, today_=today, programmes=[programme])
    if book.level is None:
        return None
    rounds = sorted(
        deadline.due
        for deadline in book.expand(
            today - dt.timedelta(days=400),
            today + dt.timedelta(days=62),
            levels=[book.level],
            lao_type=book.lao_type,
        )
        if deadline.obligation.form is not None and deadline.obligation.reporting
    )
    return next((due for due in rounds if due >= today), rounds[-1] if rounds else None)


@dataclass
class KpiLine:
    code: str
    name: str
    unit: str
    kind: str
    stage: str
    value: Any = None  # one office
    reported: int = 0  # consolidated
    total: Decimal | None = None
    mean: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    # the text answers (a choice, a name, a link) of the LAOs, the most frequent first, with
    # how many LAOs gave each (one LAO of several products counts once): what
    # ``common_answer_text`` says on a consolidated report
    answers: list[tuple[str, int]] = field(default_factory=list)

    @property
    def printed_unit(self) -> str:
        """The unit column of the printouts: none for an answer in words, "%" as ร้อยละ."""
        return "" if self.kind in ("choice", "text", "url") else document_unit(self.unit)


@dataclass
class KpiData:
    office: OfficeInfo
    period_year: int
    programme_name: str
    consolidated: bool
    lao_count: int
    stages: list[tuple[str, list[KpiLine]]]
    month: tuple[int, int] | None = None  # a monthly report: (year, month), Gregorian
    form_name: str = ""  # "แบบรายงานผลการดำเนินงานวัดและชุมชน (รายเดือน)"


def pick_kpi_programme(store: Store, fiscal_year: int) -> Programme:
    """The indicator programme of the year asked for, else the latest one before it (the
    built-in "Clean Province" plan is of 2567)."""
    candidates = [p for p in programme_service.list_programmes(store) if p.kind == "indicators"]
    if not candidates:
        return programme_by_code(store, "P2")
    same = [p for p in candidates if p.fiscal_year == fiscal_year]
    if same:
        return same[0]
    earlier = sorted(
        (p for p in candidates if (p.fiscal_year or 0) <= fiscal_year),
        key=lambda p: p.fiscal_year or 0,
    )
    return earlier[-1] if earlier else candidates[0]


def _report_month(
    store: Store, prog: Programme, codes: set[str], fiscal_year: int, month: tuple[int, int] | None
) -> tuple[int, int]:
    """The month a monthly report is for: the one asked for, else the latest month of the
    fiscal year with values, else the month of today within the fiscal year (its first)."""
    months = fiscal_months(fiscal_year)
    if month is not None:
        return month
    with store.read() as s:
        periods = {
            period
            for period, owner in s.execute(
                select(KpiValue.period, KpiValue.owner_office).where(
                    KpiValue.programme_id == prog.id, KpiValue.deleted.is_(False)
                )
            )
            if owner in codes
        }
    found = [m for m in months if f"{m[0]:04d}-{m[1]:02d}" in periods]
    if found:
        return found[-1]
    today = deadlines_today()
    return (today.year, today.month) if (today.year, today.month) in months else months[0]


def load_kpi(
    store: Store,
    office_code: str | None,
    fiscal_year: int,
    *,
    programme: str | None = None,
    month: tuple[int, int] | None = None,
) -> KpiData:
    """The indicators of a programme for one office or totalled over the LAOs under it; a
    monthly programme (P4) for one month (``month``, by default the latest reported)."""
    office = get_office(store, office_code)
    prog = (
        programme_by_code(store, programme) if programme else pick_kpi_programme(store, fiscal_year)
    )
    year = prog.fiscal_year or fiscal_year
    spec = prog.spec or {}
    if not spec.get("indicators"):  # an empty table under a signature line (P1 has none)
        raise ReportDataError(
            _("{programme} has no indicators to report").format(programme=prog.name)
        )
    stages: dict[str, str] = spec.get("stages") or {"": ""}
    laos = _laos_under(store, office)
    codes = {lao.code for lao in laos}
    period = f"FY{year}"
    report_month = None
    if spec.get("kpi_period") == "monthly":
        report_month = _report_month(store, prog, codes, fiscal_year, month)
        period = f"{report_month[0]:04d}-{report_month[1]:02d}"
    forms = [f for f in spec.get("forms", []) if f.get("kind") == "kpi"]
    with store.read() as s:
        values = [
            v
            for v in s.scalars(
                select(KpiValue).where(
                    KpiValue.programme_id == prog.id,
                    KpiValue.period == period,
                    KpiValue.deleted.is_(False),
                )
            )
            if v.owner_office in codes
        ]
    by_code: dict[str, list[KpiValue]] = defaultdict(list)
    for v in values:
        by_code[v.indicator_code].append(v)
    grouped: dict[str, list[KpiLine]] = {key: [] for key in stages}
    for ind in spec.get("indicators", []):
        line = KpiLine(
            ind["code"],
            ind["name"],
            ind.get("unit", ""),
            ind.get("type", "text"),
            ind.get("group", ""),
        )
        found = by_code.get(ind["code"], [])
        line.reported = len({v.owner_office for v in found})
        nums = [Decimal(v.value_num) for v in found if v.value_num is not None]
        if office.level == Level.LAO:
            line.value = _kpi_value(found[0], line.kind) if found else None
        if nums:
            line.total = sum(nums, Decimal(0))
            line.mean = (line.total / len(nums)).quantize(Decimal("0.01"))
            line.minimum, line.maximum = min(nums), max(nums)
        answers = Counter(
            text
            for _office, text in {(v.owner_office, v.value_text) for v in found if v.value_text}
        )
        line.answers = sorted(answers.items(), key=lambda pair: (-pair[1], pair[0]))
        grouped.setdefault(line.stage if line.stage in grouped else next(iter(grouped)), []).append(
            line
        )
    return KpiData(
        office,
        year,
        prog.name,
        office.level != Level.LAO,
        len(laos),
        [(stages.get(key, key), lines) for key, lines in grouped.items() if lines],
        report_month,
        forms[0].get("name", "") if forms else "",
    )
