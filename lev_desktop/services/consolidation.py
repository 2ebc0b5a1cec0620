"""The consolidation board: every LAO under this office, its state for one obligation, and
its figures for one programme and fiscal year.

A district (15–20 LAOs), a province (~200) or the Department (~7,850) asks the same two
questions at the end of a reporting window: *who has sent what, on time?* and *what do the
figures add up to?*. ``build_board`` answers both in a handful of set-based queries
(``GROUP BY owner_office``), so its cost grows with the number of records, not with the
number of queries; nothing here loops over LAOs issuing SQL.

States (one per LAO for the chosen obligation and period):

- ``complete``: the LAO's form arrived (status complete/sent) on or before the due date;
- ``late`` (ส่งช้า): it arrived after the due date;
- ``overdue``: the due date has passed and nothing arrived;
- ``pending``: not due yet and nothing arrived.

When did it "arrive"? As the deadline engine reads it: ``FormSubmission.sent_at``, else
``completed_at``, else the record's ``updated_at`` (a package import writes records exactly
as received, so this is the LAO's own time) — unless the exchange recorded importing the
LAO's package here: then the first import on or after that day is the arrival. Due dates,
periods and which LAOs an obligation concerns also come from the engine
(``lev_desktop.deadlines``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, String, column, distinct, func, select, table
from sqlalchemy import inspect as sa_inspect

from db.models import (
    Activity,
    KpiValue,
    Office,
    Plan,
    PlanItem,
    Programme,
)
from db.store import Store
from lev_desktop import options
from lev_desktop.deadlines import DeadlineBook, LaoStatus, Obligation, expand, obligations_of
from lev_desktop.deadlines import today as engine_today
from lev_desktop.domain.offices import LaoType
from lev_desktop.gazetteer import district_label
from lev_desktop.i18n import N_, _
from lev_desktop.services.offices import subordinate_laos
from lev_desktop.services.programmes import get_programme, list_programmes
from lev_desktop.thai_format import (
    fiscal_months,
    fiscal_year_label,
    fiscal_year_range,
    format_date,
    format_money,
    format_number,
    format_period,
)

# ---- states --------------------------------------------------------------------------------


class State(StrEnum):
    COMPLETE = "complete"
    LATE = "late"
    PENDING = "pending"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return _(STATE_LABELS[self])


STATE_LABELS = {
    State.COMPLETE: N_("Sent on time"),
    State.LATE: N_("Received late"),
    State.PENDING: N_("Not yet due"),
    State.OVERDUE: N_("Overdue"),
}
# Display order: good news first, the problem last (the eye ends on red).
STATE_ORDER = (State.COMPLETE, State.LATE, State.PENDING, State.OVERDUE)


def classify(due: dt.date | None, arrived: dt.datetime | dt.date | None, today: dt.date) -> State:
    """The state of one LAO for one due date."""
    if arrived is not None:
        arrived_day = arrived.date() if isinstance(arrived, dt.datetime) else arrived
        if due is None or arrived_day <= due:
            return State.COMPLETE
        return State.LATE
    if due is not None and today > due:
        return State.OVERDUE
    return State.PENDING


# ---- obligations and due dates -------------------------------------------------------------
# Dated deadlines and per-LAO completeness come from the deadline engine
# (``lev_desktop.deadlines``); the board only adds "received late" (done, but after the due
# date) and the figures.


@dataclass(frozen=True)
class DueItem:
    """One dated deadline of an obligation: which period of the form it asks for, and when."""

    period: str  # FormSubmission / KpiValue period key: FY2568, 2025-07, …
    due: dt.date
    label: str  # what a person reads: "ปีงบประมาณ พ.ศ. 2568", "กรกฎาคม 2568"


@dataclass(frozen=True)
class ObligationInfo:
    code: str
    title: str  # Thai, from the letter (data, not an interface string)
    form: str
    form_kind: str
    lao_types: tuple[str, ...] | None
    dues: tuple[DueItem, ...]
    engine: Obligation | None = field(default=None, compare=False, repr=False)

    def due_for(self, period: str | None) -> DueItem | None:
        if not self.dues:
            return None
        if period is None:
            return self.dues[0]
        return next((d for d in self.dues if d.period == period), None)


def _period_label(period: str, fiscal_year: int) -> str:
    return format_period(period)


def _dues(obligation: Obligation, fiscal_year: int) -> list[DueItem]:
    """The deadlines of an LAO obligation whose form period belongs to ``fiscal_year``.

    One item per period: where the engine repeats a period in rounds ("every 5th and 15th
    until every LAO has reported"), an LAO is due at the first round; later rounds only
    chase those still missing.
    """
    start, end = fiscal_year_range(fiscal_year)
    months = {f"{y:04d}-{m:02d}" for y, m in fiscal_months(fiscal_year)}
    # Wide on purpose: a plan year's KPI window can open after the year (P2: Nov 2567).
    deadlines = expand([obligation], start - dt.timedelta(days=800), end + dt.timedelta(days=800))
    out: dict[str, DueItem] = {}
    for d in deadlines:
        period = d.period
        in_year = (
            period == f"FY{fiscal_year}"
            or period in months
            or (len(period) == 10 and start.isoformat() <= period <= end.isoformat())
        )
        if in_year and period not in out:
            out[period] = DueItem(period, d.due, _period_label(period, fiscal_year))
    return sorted(out.values(), key=lambda item: (item.due, item.period))


def board_obligations(programme: Programme, fiscal_year: int) -> list[ObligationInfo]:
    """The LAO obligations of a programme that a form fulfils (the ones a board can check)."""
    out = []
    for ob in obligations_of(programme):
        if ob.level != "lao" or not ob.form:
            continue
        out.append(
            ObligationInfo(
                code=ob.code,
                title=ob.title,
                form=ob.form,
                form_kind=ob.form_kind or "",
                lao_types=ob.lao_types,
                dues=tuple(_dues(ob, fiscal_year)),
                engine=ob,
            )
        )
    return out


def default_fiscal_year(programme: Programme, fallback: int) -> int:
    return int(programme.fiscal_year or fallback)


# ---- figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """One figure column. ``agg`` says how the total row combines the LAOs' values."""

    key: str
    title: str  # already translated (or Thai data from the template)
    kind: str  # money | int | decimal | percent
    agg: str = "sum"  # sum | mean
    unit: str = ""
    stage: str = ""  # P2 stage key (source / middle / end), '' otherwise


@dataclass
class BoardRow:
    code: str
    name: str
    lao_type: str | None
    district_code: str | None
    district: str
    state: State | None
    arrived: dt.date | None
    due: dt.date | None
    values: dict[str, Decimal | int | None] = field(default_factory=dict)

    @property
    def type_abbr(self) -> str:
        try:
            return LaoType(self.lao_type).abbreviation if self.lao_type else ""
        except ValueError:
            return self.lao_type or ""


@dataclass
class IndicatorSummary:
    """A KPI aggregated over the LAOs on the board: sum for quantities, mean/min/max for %."""

    code: str
    name: str
    stage: str
    stage_label: str
    unit: str
    kind: str
    count: int  # LAOs with a value
    total: Decimal | None
    mean: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None


@dataclass
class GroupSummary:
    """One district (or one LAO type): how many LAOs in each state, and its figure totals."""

    key: str
    label: str
    laos: int
    counts: dict[State, int]
    totals: dict[str, Decimal | int | None]

    @property
    def done(self) -> int:
        return self.counts.get(State.COMPLETE, 0) + self.counts.get(State.LATE, 0)


@dataclass
class Board:
    programme_code: str
    programme_name: str
    fiscal_year: int
    obligation: ObligationInfo | None
    due: DueItem | None
    metrics: list[Metric]
    rows: list[BoardRow]
    totals: dict[str, Decimal | int | None]
    counts: dict[State, int]
    districts: list[GroupSummary]
    indicators: list[IndicatorSummary]
    today: dt.date
    filters: dict[str, str | None] = field(default_factory=dict)

    @property
    def done(self) -> int:
        return self.counts.get(State.COMPLETE, 0) + self.counts.get(State.LATE, 0)


PLAN_METRICS = (
    ("budget_planned", N_("Budget planned"), "money"),
    ("budget_spent", N_("Budget spent"), "money"),
    ("activities_planned", N_("Activities planned"), "int"),
    ("activities_held", N_("Activities held"), "int"),
    ("participants", N_("Participants"), "int"),
)
_NUMERIC_TYPES = {"integer": "int", "decimal": "decimal", "baht": "money", "percent": "percent"}


def metrics_for(programme: Programme) -> list[Metric]:
    """The figure columns that make sense for a programme's forms and indicators."""
    spec = programme.spec or {}
    kinds = {f.get("kind") for f in spec.get("forms", [])}
    out: list[Metric] = []
    if "action_plan" in kinds:
        out += [Metric(key, _(title), kind) for key, title, kind in PLAN_METRICS]
    if spec.get("kpi_period") == "monthly":
        out.append(Metric("months_reported", _("Months reported"), "int"))
    indicators = spec.get("indicators", [])
    if any(i.get("repeat") for i in indicators):
        out.append(Metric("products", _("Products"), "int"))
    for ind in indicators:
        kind = _NUMERIC_TYPES.get(ind.get("type", ""))
        if kind is None:
            continue
        out.append(
            Metric(
                f"kpi:{ind['code']}",
                ind.get("name", ind["code"]),
                kind,
                "mean" if kind == "percent" else "sum",
                ind.get("unit", ""),
                ind.get("group", ""),
            )
        )
    return out


def _kpi_periods(programme: Programme, fiscal_year: int, period: str | None) -> list[str]:
    spec = programme.spec or {}
    kpi_period = spec.get("kpi_period", "fiscal_year")
    if kpi_period == "monthly":
        months = [f"{y:04d}-{m:02d}" for y, m in fiscal_months(fiscal_year)]
        return [period] if period in months else months
    if kpi_period == "once":
        return ["once", f"FY{fiscal_year}"]
    return [f"FY{fiscal_year}"]


# ---- LAO selection ---------------------------------------------------------------------------


def board_laos(
    store: Store,
    *,
    office: str | None = None,
    district: str | None = None,
    lao_type: str | None = None,
) -> list[Office]:
    """The LAOs under ``office`` (default: this one), narrowed by district and LAO type."""
    laos = subordinate_laos(store, office)
    if district:
        laos = [o for o in laos if o.district_code == district]
    if lao_type:
        laos = [o for o in laos if o.lao_type == lao_type]
    return laos


# Above this many LAOs a query reads every owner's rows and keeps the ones wanted in Python:
# cheaper than a giant IN list, and the database holds little else at that size anyway.
_IN_LIMIT = 500


def _owner_filter(column: Any, codes: Sequence[str]) -> list[Any]:
    return [column.in_(list(codes))] if len(codes) <= _IN_LIMIT else []


# ---- building the board --------------------------------------------------------------------


def build_board(
    store: Store,
    programme: str | Programme,
    *,
    fiscal_year: int | None = None,
    obligation: str | None = None,
    period: str | None = None,
    district: str | None = None,
    lao_type: str | None = None,
    office: str | None = None,
    today: dt.date | None = None,
    progress: Callable[..., None] | None = None,
) -> Board:
    """Builds the board for one programme (code, id or object) and fiscal year.

    ``obligation`` defaults to the programme's first LAO obligation with a form, ``period`` to
    its first due period. ``district`` (DOPA code) and ``lao_type`` narrow the LAOs.
    ``today`` defaults to the deadline engine's today (``LEV_TODAY`` pins it).
    """
    today = today or engine_today()
    prog = programme if isinstance(programme, Programme) else get_programme(store, programme)
    if prog is None:
        raise LookupError(programme)
    fy = fiscal_year or default_fiscal_year(prog, options.fiscal_year(store))
    obligations = board_obligations(prog, fy)
    chosen = (
        next((o for o in obligations if o.code == obligation), None)
        if obligation
        else (obligations[0] if obligations else None)
    )
    if obligation and chosen is None:
        raise LookupError(obligation)
    due = chosen.due_for(period) if chosen else None
    if chosen is not None and period and due is None:
        raise LookupError(period)

    # Who is concerned, and who has sent: the deadline engine's per-LAO completeness.
    arrivals: dict[str, tuple[LaoStatus, dt.date | None]] = {}
    if chosen is not None and chosen.engine is not None:
        book = DeadlineBook(store, office=office, today_=today, programmes=[prog.id])
        laos = [
            _LaoRef(x.code, x.name, x.lao_type, x.district_code)
            for x in book.laos_for(chosen.engine)
        ]
        if due is not None:
            for s in book.lao_states(chosen.engine, due.due, due.period):
                arrivals[s.code] = (s.state, s.reported_on)
            arrivals = _with_receipts(store, arrivals)
    else:
        laos = [
            _LaoRef(o.code, o.name, o.lao_type, o.district_code)
            for o in board_laos(store, office=office)
        ]
    if district:
        laos = [x for x in laos if x.district_code == district]
    if lao_type:
        laos = [x for x in laos if x.lao_type == lao_type]
    codes = [x.code for x in laos]
    wanted = set(codes)
    _step(progress, 1, 3)

    metrics = metrics_for(prog)
    values = _figures(store, prog, fy, codes, wanted, metrics, period=due.period if due else period)
    _step(progress, 2, 3)

    district_names: dict[str | None, str] = {}
    blank = dict.fromkeys(m.key for m in metrics)
    rows = []
    for lao in laos:
        if lao.district_code not in district_names:
            district_names[lao.district_code] = district_name(lao.district_code)
        state = arrived = None
        if due is not None:
            status, reported = arrivals.get(lao.code, (None, None))
            if status == LaoStatus.DONE:
                arrived = reported or due.due  # done without a date: take it as on time
            state = classify(due.due, arrived, today)
        rows.append(
            BoardRow(
                code=lao.code,
                name=lao.name,
                lao_type=lao.lao_type,
                district_code=lao.district_code,
                district=district_names[lao.district_code],
                state=state,
                arrived=arrived,
                due=due.due if due else None,
                values={**blank, **values.get(lao.code, {})},
            )
        )
    rows.sort(key=lambda r: (r.district_code or "", r.code))

    counts = Counter(r.state for r in rows if r.state is not None)
    board = Board(
        programme_code=prog.code,
        programme_name=prog.short_name or prog.name,
        fiscal_year=fy,
        obligation=chosen,
        due=due,
        metrics=metrics,
        rows=rows,
        totals=combine(metrics, rows),
        counts={s: counts.get(s, 0) for s in STATE_ORDER},
        districts=group_summaries(
            metrics, rows, key=lambda r: r.district_code or "", label=lambda r: r.district
        ),
        indicators=indicator_summaries(prog, metrics, rows),
        today=today,
        filters={"district": district, "lao_type": lao_type, "office": office},
    )
    _step(progress, 3, 3)
    return board


@dataclass(frozen=True)
class _LaoRef:
    code: str
    name: str
    lao_type: str | None
    district_code: str | None


def _step(progress: Callable[..., None] | None, done: int, total: int) -> None:
    """Steps without a text: the dialog keeps the job's label. (A text makes ui/workers.py
    call setLabelText after setValue, whose processEvents may already have closed the
    dialog — reported to the coordinator.)"""
    if progress is not None:
        progress(done, total, "")


# What the exchange records of imported packages (``exchange_received``: sender, imported_at).
# Read through a bare table description so the board does not depend on the exchange code;
# a database without the table (no import yet, or an older schema) is simply skipped.
_RECEIVED = table(
    "exchange_received",
    column("sender", String),
    column("imported_at", DateTime),
    column("result", String),
)


def _with_receipts(
    store: Store, arrivals: dict[str, tuple[LaoStatus, dt.date | None]]
) -> dict[str, tuple[LaoStatus, dt.date | None]]:
    """Where this office imported an LAO's packages, the form "arrived" with the first package
    imported on or after the day the LAO completed it, not on the LAO's own date."""
    done = [code for code, (status, _day) in arrivals.items() if status == LaoStatus.DONE]
    if not done or not sa_inspect(store.engine).has_table("exchange_received"):
        return arrivals
    received: dict[str, list[dt.date]] = defaultdict(list)
    query = select(_RECEIVED.c.sender, _RECEIVED.c.imported_at).where(
        _RECEIVED.c.result == "imported", *_owner_filter(_RECEIVED.c.sender, done)
    )
    wanted = set(done)
    with store.read() as s:
        for sender, imported_at in s.execute(query):
            if sender in wanted and imported_at is not None:
                received[sender].append(imported_at.date())
    out = dict(arrivals)
    for code, days in received.items():
        status, reported = arrivals[code]
        later = sorted(d for d in days if reported is None or d >= reported)
        if later:
            out[code] = (status, later[0])
    return out


def district_name(code: str | None) -> str:
    return district_label(code) or (code or "")


def _figures(
    store: Store,
    prog: Programme,
    fy: int,
    codes: Sequence[str],
    wanted: set[str],
    metrics: list[Metric],
    *,
    period: str | None,
) -> dict[str, dict[str, Any]]:
    """Per-LAO figures, one GROUP BY query per source table."""
    keys = {m.key for m in metrics}
    out: dict[str, dict[str, Any]] = defaultdict(dict)
    # Core rows on the session's connection: no ORM row processing for ~100k result rows.
    with store.read() as session:
        s = session.connection()
        if "budget_planned" in keys:
            plan_where = [
                Plan.programme_id == prog.id,
                Plan.fiscal_year == fy,
                Plan.deleted.is_(False),
                PlanItem.deleted.is_(False),
                *_owner_filter(Plan.owner_office, codes),
            ]
            planned_q = (
                select(
                    Plan.owner_office,
                    func.sum(PlanItem.budget),
                    func.sum(PlanItem.planned_activities),
                )
                .join(PlanItem, PlanItem.plan_id == Plan.id)
                .where(*plan_where)
                .group_by(Plan.owner_office)
            )
            for owner, budget, planned in s.execute(planned_q):
                if owner in wanted:
                    out[owner]["budget_planned"] = budget
                    out[owner]["activities_planned"] = int(planned or 0)
            held_q = (
                select(
                    Plan.owner_office,
                    func.count(Activity.id),
                    func.sum(Activity.participants),
                    func.sum(Activity.budget_spent),
                )
                .join(PlanItem, PlanItem.plan_id == Plan.id)
                .join(Activity, Activity.plan_item_id == PlanItem.id)
                .where(*plan_where, Activity.deleted.is_(False))
                .group_by(Plan.owner_office)
            )
            for owner, held, participants, spent in s.execute(held_q):
                if owner in wanted:
                    out[owner]["activities_held"] = int(held or 0)
                    out[owner]["participants"] = (
                        int(participants) if participants is not None else None
                    )
                    out[owner]["budget_spent"] = spent
        kpi_metrics = {m.key[4:]: m for m in metrics if m.key.startswith("kpi:")}
        periods = _kpi_periods(prog, fy, period)
        kpi_where = [
            KpiValue.programme_id == prog.id,
            KpiValue.deleted.is_(False),
            KpiValue.period.in_(periods),
            *_owner_filter(KpiValue.owner_office, codes),
        ]
        if kpi_metrics:
            kpi_q = (
                select(
                    KpiValue.owner_office,
                    KpiValue.indicator_code,
                    func.sum(KpiValue.value_num),
                    func.count(KpiValue.value_num),
                )
                .where(
                    *kpi_where,
                    KpiValue.indicator_code.in_(list(kpi_metrics)),
                    KpiValue.value_num.is_not(None),
                )
                .group_by(KpiValue.owner_office, KpiValue.indicator_code)
            )
            for owner, code, total, count in s.execute(kpi_q):
                if owner not in wanted or not count or total is None:
                    continue
                metric = kpi_metrics[code]
                if metric.agg == "mean":  # a percent entered for several months/products
                    total = total / count
                out[owner][metric.key] = int(total) if metric.kind == "int" else total
        if "products" in keys:
            products_q = (
                select(KpiValue.owner_office, func.count(distinct(KpiValue.row_key)))
                .where(*kpi_where, KpiValue.row_key != "")
                .group_by(KpiValue.owner_office)
            )
            for owner, count in s.execute(products_q):
                if owner in wanted:
                    out[owner]["products"] = int(count)
        if "months_reported" in keys:
            months = [f"{y:04d}-{m:02d}" for y, m in fiscal_months(fy)]
            months_q = (
                select(KpiValue.owner_office, func.count(distinct(KpiValue.period)))
                .where(
                    KpiValue.programme_id == prog.id,
                    KpiValue.deleted.is_(False),
                    KpiValue.period.in_(months),
                    *_owner_filter(KpiValue.owner_office, codes),
                )
                .group_by(KpiValue.owner_office)
            )
            for owner, count in s.execute(months_q):
                if owner in wanted:
                    out[owner]["months_reported"] = int(count)
    return out


# ---- totals ----------------------------------------------------------------------------------


def combine(metrics: Iterable[Metric], rows: Sequence[BoardRow]) -> dict[str, Any]:
    """The total row: sums, or the mean over LAOs with a value for percentages.

    One pass over the rows (the nation has 7,850 of them and as many per district).
    """
    metrics = list(metrics)
    sums: dict[str, Any] = dict.fromkeys((m.key for m in metrics), None)
    counts: dict[str, int] = dict.fromkeys(sums, 0)
    keys = list(sums)
    for row in rows:
        values = row.values
        for key in keys:
            value = values.get(key)
            if value is not None:
                total = sums[key]
                sums[key] = value if total is None else total + value
                counts[key] += 1
    totals: dict[str, Any] = {}
    for m in metrics:
        total = sums[m.key]
        if total is None:
            totals[m.key] = None
        elif m.agg == "mean":
            totals[m.key] = Decimal(total) / counts[m.key]
        elif m.kind == "int":
            totals[m.key] = int(total)
        else:
            totals[m.key] = Decimal(total)
    return totals


def group_summaries(
    metrics: list[Metric],
    rows: Sequence[BoardRow],
    *,
    key: Callable[[BoardRow], str],
    label: Callable[[BoardRow], str],
) -> list[GroupSummary]:
    groups: dict[str, list[BoardRow]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    out = []
    for group_key in sorted(groups):
        members = groups[group_key]
        counts = Counter(r.state for r in members if r.state is not None)
        out.append(
            GroupSummary(
                group_key,
                label(members[0]),
                len(members),
                {s: counts.get(s, 0) for s in STATE_ORDER},
                combine(metrics, members),
            )
        )
    return out


def indicator_summaries(
    prog: Programme, metrics: list[Metric], rows: Sequence[BoardRow]
) -> list[IndicatorSummary]:
    stages = (prog.spec or {}).get("stages", {})
    out = []
    for m in metrics:
        if not m.key.startswith("kpi:"):
            continue
        key = m.key
        present = [Decimal(v) for v in (r.values.get(key) for r in rows) if v is not None]
        total = sum(present, Decimal(0))
        out.append(
            IndicatorSummary(
                code=m.key[4:],
                name=m.title,
                stage=m.stage,
                stage_label=stages.get(m.stage, ""),
                unit=m.unit,
                kind=m.kind,
                count=len(present),
                total=total if m.agg == "sum" and present else None,
                mean=(total / len(present)) if present else None,
                minimum=min(present) if present else None,
                maximum=max(present) if present else None,
            )
        )
    return out


# ---- printed summary ---------------------------------------------------------------------------


def format_metric(value: Any, metric: Metric, *, total: bool = False) -> str:
    """A figure as a Thai officer reads it: 12,500.00 บาท, 1,234, 78.6 % (เฉลี่ย for totals)."""
    if value is None:
        return ""
    if metric.kind == "money":
        return format_money(value)
    if metric.kind == "int":
        return format_number(value)
    if metric.kind == "percent":
        text = f"{format_number(value, 1)} %"
        return _("avg. {value}").format(value=text) if total else text
    return format_number(value, 2)


def metric_title(metric: Metric) -> str:
    if metric.unit and metric.kind != "money":
        return f"{metric.title} ({metric.unit})"
    return metric.title


def summary_heading(board: Board) -> list[str]:
    """Title lines of a printed district/province summary."""
    lines = [board.programme_name, fiscal_year_label(board.fiscal_year)]
    if board.obligation is not None:
        lines.append(board.obligation.title)
    if board.due is not None:
        due_line = _("Due {date}; figures as of {today}").format(
            date=format_date(board.due.due, "long"), today=format_date(board.today, "long")
        )
        if board.due.label != lines[1]:  # a month or a round, not the whole year again
            due_line = f"{board.due.label} · {due_line}"
        lines.append(due_line)
    return lines


def district_table(board: Board, *, indicators: bool = True) -> tuple[list[str], list[list[str]]]:
    """The per-district summary (and its total line) as text cells, for print and export.

    ``indicators=False`` leaves out the KPI columns (a printed page has the stage table).
    """
    metrics = [m for m in board.metrics if indicators or not m.key.startswith("kpi:")]
    headers = (
        [_("District"), _("LAOs")]
        + [s.label for s in STATE_ORDER]
        + [_("Share sent")]
        + [metric_title(m) for m in metrics]
    )
    rows = []
    whole = GroupSummary("", _("Total"), len(board.rows), dict(board.counts), dict(board.totals))
    for group in [*board.districts, whole]:
        share = group.done * 100 / group.laos if group.laos else 0
        rows.append(
            [group.label, format_number(group.laos)]
            + [format_number(group.counts.get(s, 0)) for s in STATE_ORDER]
            + [f"{format_number(share, 1)} %"]
            + [format_metric(group.totals.get(m.key), m, total=True) for m in metrics]
        )
    return headers, rows


def indicator_table(board: Board) -> tuple[list[str], list[list[str]]]:
    """KPI aggregates; the stage column only when the programme has stages (P2).

    The last five columns are numbers: LAOs reporting, sum, mean, minimum, maximum.
    """
    staged = any(item.stage_label for item in board.indicators)
    headers = [
        _("Indicator"),
        _("Unit"),
        _("LAOs reporting"),
        _("Sum"),
        _("Mean"),
        _("Minimum"),
        _("Maximum"),
    ]
    rows = []
    for item in board.indicators:
        metric = Metric(item.code, item.name, item.kind)
        rows.append(
            [
                item.name,
                item.unit,
                format_number(item.count),
                format_metric(item.total, metric),
                format_metric(item.mean, metric),
                format_metric(item.minimum, metric),
                format_metric(item.maximum, metric),
            ]
        )
    if staged:
        headers.insert(0, _("Stage"))
        rows = [[item.stage_label, *row] for item, row in zip(board.indicators, rows, strict=True)]
    return headers, rows


def programmes_for_board(store: Store) -> list[Programme]:
    """Programmes with at least one LAO obligation or figure: the board's programme list."""
    return [
        p
        for p in list_programmes(store, active_only=True)
        if any(o.get("level") == "lao" for o in (p.spec or {}).get("obligations", []))
    ]


__all__ = [
    "STATE_ORDER",
    "Board",
    "BoardRow",
    "DueItem",
    "GroupSummary",
    "IndicatorSummary",
    "Metric",
    "ObligationInfo",
    "State",
    "board_laos",
    "board_obligations",
    "build_board",
    "classify",
    "combine",
    "metrics_for",
    "programmes_for_board",
]
