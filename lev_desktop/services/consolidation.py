"""The consolidation board: every LAO under this office, its state for one obligation, and
its figures for one programme and fiscal year.

A district (15–20 LAOs), a province (~200) or the Department (~7,850) asks the same two
questions at the end of a reporting window: *who has sent what, on time?* and *what do the
figures add up to?*. ``build_board`` answers both in a handful of set-based queries
(``GROUP BY owner_office``), so its cost grows with the number of records, not with the
number of queries; nothing here loops over LAOs issuing SQL.

States (one per LAO for the chosen obligation and period) are the one obligation state of
``lev_desktop.domain.obligation_state``, read from the deadline engine exactly as the calendar,
the F3 report and ``lev status`` read them: received (the package that carried the LAO's
complete form was imported here, judged on time or late by the day the LAO made it), returned
for correction, in progress, not yet due, due soon, overdue — or done, for an obligation with
nothing to send. Due dates, periods and which LAOs an obligation concerns also come from the
engine; the board only adds the figures.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat
from typing import Any, Protocol, TypeVar, overload

from sqlalchemy import String, case, cast, distinct, func, select

from db.models import (
    KpiValue,
    Office,
    Plan,
    PlanItem,
    Programme,
    activity_board,
    held,
)
from db.store import Store, plain_iter
from lev_desktop import options
from lev_desktop.deadlines import (
    DeadlineBook,
    Obligation,
    binding_programmes,
    expand,
    obligations_of,
)
from lev_desktop.deadlines import today as engine_today
from lev_desktop.deadlines.engine import LaoEnd, reminder_days
from lev_desktop.domain.obligation_state import State
from lev_desktop.domain.offices import LaoType, Level
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

# The states an LAO can be in on the board, in display order: good news first, the problem
# last (the eye ends on red). Summaries show the ones that occur.
STATE_ORDER = (
    State.DONE,
    State.RECEIVED,
    State.LATE,
    State.IN_PROGRESS,
    State.NOT_YET_DUE,
    State.DUE_SOON,
    State.RETURNED,
    State.OVERDUE_READY,
    State.OVERDUE,
    # last: an LAO this office does not judge (it began using the app after the due date, or
    # the report goes past this office, as P4's to the province): counted, so the counts add
    # up to the LAOs listed
    State.NOT_APPLICABLE,
)


# ---- obligations and due dates -------------------------------------------------------------
# Dated deadlines and per-LAO states come from the deadline engine (``lev_desktop.deadlines``).


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
            or (period == "ONCE" and start <= d.due <= end)
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
    arrived: dt.date | None  # the day that counts for on time / late (the LAO made the package)
    due: dt.date | None
    # Read only: a board's rows share these with the figures the store keeps until a write.
    values: dict[str, Decimal | int | None] = field(default_factory=dict)
    received_on: dt.date | None = None  # this office imported it
    mark: str = ""  # the reason of a manual mark ("on paper, 12 Sep")

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
        return sum(n for s, n in self.counts.items() if s.fulfilled)


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
        return sum(n for s, n in self.counts.items() if s.fulfilled)

    @property
    def shown_states(self) -> list[State]:
        """The states a summary has a column for: those that occur on this board, and always
        the fulfilled word of the obligation (received, or done when nothing is sent) and
        overdue."""
        main = State.RECEIVED
        if self.obligation is not None and self.obligation.engine is not None:
            main = State.RECEIVED if self.obligation.engine.reporting else State.DONE
        return [s for s in STATE_ORDER if s in (main, State.OVERDUE) or self.counts.get(s)]


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
        return ["ONCE", "once", f"FY{fiscal_year}"]
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


T = TypeVar("T")

Figures = dict[str, dict[str, Any]]  # LAO code → metric key → figure

_SEP = "\x1f"  # between the indicators of one LAO read as one text (codes never hold it)

# Above this many LAOs a query reads every owner's rows and keeps the ones wanted in Python:
# cheaper than a giant IN list, and the database holds little else at that size anyway.
_IN_LIMIT = 500


def _owner_filter(column: Any, codes: Sequence[str] | None) -> list[Any]:
    """``codes`` None: every owner (the caller keeps the ones wanted)."""
    return [column.in_(list(codes))] if codes is not None and len(codes) <= _IN_LIMIT else []


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
    if not binding_programmes(store, [prog], office):
        raise LookupError(programme)  # (an LAO's own programme: no LAO owes it to this office)
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

    # Who is concerned: the deadline engine, as everywhere.
    book: DeadlineBook | None = None
    if chosen is not None and chosen.engine is not None:
        book = DeadlineBook(
            store,
            office=office,
            today_=today,
            programmes=[prog.id],
            soon_days=reminder_days(store),
        )

    # The figures of every LAO concerned, kept until something is written: a change of
    # district, LAO type or programme and back reads nothing again. Read on a second
    # connection while this thread judges the states (the database works without Python's
    # lock: on two cores the two overlap).
    metrics = metrics_for(prog)
    figures_period = due.period if due else period
    key = (
        "board.figures",
        prog.id,
        fy,
        figures_period,
        office or store.office_code,
        chosen.code if chosen else None,
    )
    generation, kept = store.kept(key)
    # The Department's reads start before its list of LAOs is read: with thousands of LAOs
    # a query reads every owner's rows anyway (``_IN_LIMIT``), and the owners that are not
    # among the LAOs concerned are left out when the reads are joined.
    early = kept is None and book is not None and book.level in (None, Level.NATIONAL)
    reads = (
        [
            _alongside(store, read)
            for read in _figure_reads(store, prog, fy, None, None, metrics, figures_period)
        ]
        if early
        else []
    )

    laos: Sequence[_LaoLike]
    if book is not None and chosen is not None and chosen.engine is not None:
        laos = book.laos_for(chosen.engine)
    else:
        laos = [
            _LaoRef(o.code, o.name, o.lao_type, o.district_code)
            for o in board_laos(store, office=office)
        ]
    every = [x.code for x in laos]
    wanted = set(every)
    # Each query on a reader thread of its own (P1's plans and activities, P5's values and
    # products overlap too); joined when the rows are built.
    if kept is None and not early:
        reads = [
            _alongside(store, read)
            for read in _figure_reads(store, prog, fy, every, wanted, metrics, figures_period)
        ]

    def figures() -> Figures:
        if kept is not None:
            return kept  # type: ignore[no-any-return]
        # Each LAO's figures with every column (the blank ones None), in the columns' order:
        # the rows of this board and of the next ones until a write share them.
        found = _joined([read() for read in reads], blank, wanted)
        store.keep(key, found, generation)
        return found

    # Each one's state: the deadline engine, as everywhere.
    states: Mapping[str, LaoEnd] = {}
    if book is not None and chosen is not None and chosen.engine is not None and due is not None:
        states = book.lao_ends(chosen.engine, due.due, due.period)
    _step(progress, 1, 3)
    if district:
        laos = [x for x in laos if x.district_code == district]
    if lao_type:
        laos = [x for x in laos if x.lao_type == lao_type]

    # The rows, while the figures may still be read; their figures once they are.
    district_names: dict[str | None, str] = {}
    blank = dict.fromkeys(m.key for m in metrics)
    due_day = due.due if due else None
    fulfilled = {s: s.fulfilled for s in State}
    # Until its figures are read, each row holds this one empty dict (never handed out).
    nothing: dict[str, Any] = {}
    rows: list[BoardRow] = []
    append = rows.append
    for lao in laos:
        where = lao.district_code
        if where not in district_names:
            district_names[where] = district_name(where)
        end = states.get(lao.code)
        if end is None:
            append(
                BoardRow(
                    lao.code, lao.name, lao.lao_type, where, district_names[where], None, None,
                    due_day, nothing,
                )
            )  # fmt: skip
            continue
        state, _status, _completed, _sent, received_on, fulfilled_on, mark = end
        append(
            BoardRow(
                lao.code, lao.name, lao.lao_type, where, district_names[where], state,
                fulfilled_on if fulfilled[state] else None, due_day, nothing,
                received_on, mark.reason if mark else "",
            )
        )  # fmt: skip
    # By district, then code: two stable sorts on plain attributes (no key tuple per row).
    rows.sort(key=_CODE)
    rows.sort(key=_DISTRICT if None not in district_names else _district_or_blank)
    counts = Counter(r.state for r in rows if r.state is not None)
    values = figures()
    _step(progress, 2, 3)
    for row in rows:
        row.values = values.get(row.code) or dict(blank)
    districts, columns = _district_summaries(metrics, rows)
    board = Board(
        programme_code=prog.code,
        programme_name=prog.display_name,
        fiscal_year=fy,
        obligation=chosen,
        due=due,
        metrics=metrics,
        rows=rows,
        totals={m.key: _total(m, columns[m.key]) for m in metrics},
        counts={s: counts.get(s, 0) for s in STATE_ORDER},
        districts=districts,
        indicators=_indicator_summaries(prog, metrics, columns),
        today=today,
        filters={"district": district, "lao_type": lao_type, "office": office},
    )
    _step(progress, 3, 3)
    return board


_CODE = operator.attrgetter("code")
_DISTRICT = operator.attrgetter("district_code")


def _district_or_blank(row: BoardRow) -> str:
    return row.district_code or ""


class _LaoLike(Protocol):
    """An LAO on the board: the engine's (``DeadlineBook.laos_for``) or an office's."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def lao_type(self) -> str | None: ...
    @property
    def district_code(self) -> str | None: ...


@dataclass(frozen=True)
class _LaoRef:
    code: str
    name: str
    lao_type: str | None
    district_code: str | None


_READER: ThreadPoolExecutor | None = None
_READER_LOCK = threading.Lock()


def _alongside(store: Store, read: Callable[[], T]) -> Callable[[], T]:
    """Starts ``read()`` on a reader thread of its own and returns what waits for its result
    (raising what it raised). An in-memory database has one connection for every thread:
    there it is read here, now."""
    global _READER
    if store.is_sqlite and store.path is None:
        found = read()
        return lambda: found
    with _READER_LOCK:
        if _READER is None:
            _READER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lev-board")
        future = _READER.submit(read)
    return future.result


def _step(progress: Callable[..., None] | None, done: int, total: int) -> None:
    """Steps without a text: the dialog keeps the job's label. (A text makes ui/workers.py
    call setLabelText after setValue, whose processEvents may already have closed the
    dialog — reported to the coordinator.)"""
    if progress is not None:
        progress(done, total, "")


@functools.lru_cache(maxsize=2048)
def district_name(code: str | None) -> str:
    """อำเภอ… of a DOPA district code (the gazetteer does not change while the app runs)."""
    return district_label(code) or (code or "")


def _joined(parts: list[Figures], blank: dict[str, Any], wanted: set[str]) -> Figures:
    """The figures of each LAO in ``wanted`` from every read, in one dict per LAO with every
    column of ``blank`` (None where no read has it), in the columns' order."""
    out: Figures = {}
    for part in parts:
        for owner, found in part.items():
            mine = out.get(owner)
            if mine is not None:
                mine.update(found)
            elif owner in wanted:
                out[owner] = {**blank, **found}
    return out


def _figure_reads(
    store: Store,
    prog: Programme,
    fy: int,
    codes: Sequence[str] | None,
    wanted: set[str] | None,
    metrics: list[Metric],
    period: str | None,
) -> list[Callable[[], Figures]]:
    """The per-LAO figure queries, each a read of its own (a connection each when run on
    reader threads), the longest first: one query per source table, read as plain driver
    rows (the nation's P2 is 100,000 values: SQLAlchemy's Row and Decimal per value took 3×
    the query). (Reading a table in two halves of the LAOs at once was tried: on two cores
    it cost more CPU than it saved, beside the caller's own work.)"""
    keys = {m.key for m in metrics}
    heavy: list[Callable[[Callable[[Any], list[Any]]], Callable[[], Figures]]] = []
    light: list[Callable[[Callable[[Any], list[Any]]], Callable[[], Figures]]] = []
    if "budget_planned" in keys:
        plan_where = [
            Plan.programme_id == prog.id,
            Plan.fiscal_year == fy,
            Plan.deleted.is_(False),
            PlanItem.deleted.is_(False),
        ]

        # The activities by their board key (their plan's programme, year and owner while the
        # plan row and plan are live; db.models.activity_board), from one covering index: the
        # join plan → rows → activities it equals was ~35,000 index seeks on text keys.
        board = activity_board.c

        def done(owners: Callable[[Any], list[Any]]) -> Callable[[], Figures]:
            query = (
                select(
                    board.board_owner,
                    func.count(case((held(board.held_on, board.outputs), 1))),  # date, result
                    func.sum(board.participants),
                    func.sum(board.budget_spent),
                )
                .where(
                    board.board_programme_id == prog.id,
                    board.board_fiscal_year == fy,
                    board.deleted.is_(False),
                    *owners(board.board_owner),
                )
                .group_by(board.board_owner)
                .order_by(_at_once(board.board_owner))
            )
            money = _moneys(store)
            return lambda: {
                owner: {
                    "activities_held": int(count or 0),
                    "participants": int(participants) if participants is not None else None,
                    "budget_spent": money(spent),
                }
                for owner, count, participants, spent in _plain(store, query)
                if wanted is None or owner in wanted
            }

        def planned(owners: Callable[[Any], list[Any]]) -> Callable[[], Figures]:
            query = (
                select(
                    Plan.owner_office,
                    func.sum(PlanItem.budget),
                    func.sum(PlanItem.planned_activities),
                )
                .join(PlanItem, PlanItem.plan_id == Plan.id)
                .where(*plan_where, *owners(Plan.owner_office))
                .group_by(Plan.owner_office)
                .order_by(_at_once(Plan.owner_office))
            )
            money = _moneys(store)
            return lambda: {
                owner: {
                    "budget_planned": money(budget),
                    "activities_planned": int(count or 0),
                }
                for owner, budget, count in _plain(store, query)
                if wanted is None or owner in wanted
            }

        heavy.append(done)
        light.append(planned)
    kpi_metrics = {m.key[4:]: m for m in metrics if m.key.startswith("kpi:")}
    kpi_where = [
        KpiValue.programme_id == prog.id,
        KpiValue.deleted.is_(False),
        KpiValue.period.in_(_kpi_periods(prog, fy, period)),
    ]
    if kpi_metrics:
        heavy.append(
            lambda owners: functools.partial(
                _kpi_figures,
                store,
                kpi_metrics,
                [*kpi_where, *owners(KpiValue.owner_office)],
                wanted,
            )
        )
    if "products" in keys:
        light.append(
            lambda owners: functools.partial(
                _counted,
                store,
                select(KpiValue.owner_office, func.count(distinct(KpiValue.row_key)))
                .where(*kpi_where, *owners(KpiValue.owner_office), KpiValue.row_key != "")
                .group_by(KpiValue.owner_office)
                .order_by(_at_once(KpiValue.owner_office)),
                "products",
                wanted,
            )
        )
    if "months_reported" in keys:
        months = [f"{y:04d}-{m:02d}" for y, m in fiscal_months(fy)]
        light.append(
            lambda owners: functools.partial(
                _counted,
                store,
                select(KpiValue.owner_office, func.count(distinct(KpiValue.period)))
                .where(
                    KpiValue.programme_id == prog.id,
                    KpiValue.deleted.is_(False),
                    KpiValue.period.in_(months),
                    *owners(KpiValue.owner_office),
                )
                .group_by(KpiValue.owner_office)
                .order_by(_at_once(KpiValue.owner_office)),
                "months_reported",
                wanted,
            )
        )
    return [make(lambda column: _owner_filter(column, codes)) for make in (*heavy, *light)]


def _at_once(owner: Any) -> Any:
    """An order of a grouped figure query that its index does not give (the owner as an
    expression): SQLite then makes every LAO's line in its first step, in C without Python's
    lock, and hands the lines out after. In the index's order each of the nation's 7,850
    lines was made in a step of its own, and a reader thread waited for Python's lock after
    every one while the caller ran Python: the two barely overlapped."""
    return owner + ""


def _plain(store: Store, query: Any) -> Iterator[tuple[Any, ...]]:
    """The rows of a figure query, one at a time (see ``plain_iter``)."""
    with store.read() as session:
        yield from plain_iter(session.connection(), query)


def _counted(store: Store, query: Any, key: str, wanted: set[str] | None) -> Figures:
    return {
        owner: {key: int(n)}
        for owner, n in _plain(store, query)
        if wanted is None or owner in wanted
    }


def _kpi_figures(
    store: Store, kpi_metrics: dict[str, Metric], kpi_where: list[Any], wanted: set[str] | None
) -> Figures:
    """Each LAO's indicator values: one line per LAO, its indicators and values as text in
    the index's order, summed here (a line per LAO and indicator — the nation's P2: 100,000 —
    took twice as long, a FILTER per indicator and row in SQL three times)."""
    value = KpiValue.value_num
    kpi_q = (
        select(
            KpiValue.owner_office,
            func.aggregate_strings(KpiValue.indicator_code + ":" + cast(value, String), _SEP),
        )
        .where(*kpi_where, KpiValue.indicator_code.in_(list(kpi_metrics)), value.is_not(None))
        .group_by(KpiValue.owner_office)
        .order_by(_at_once(KpiValue.owner_office))
    )
    # SQLite's text of a REAL is read as the float SQLite summed; a server's NUMERIC text is
    # exact.
    number: Callable[[str], Any] = float if store.is_sqlite else Decimal
    how: dict[str, tuple[str, bool, bool]] = {
        code: (m.key, m.agg == "mean", m.kind == "int") for code, m in kpi_metrics.items()
    }

    def one(pair: str) -> tuple[str, Any]:
        """An indicator entered once (most LAOs): its figure is a function of its text, and
        the same texts recur (0, 1, 100 …): made once per indicator and text."""
        code, _colon, text = pair.rpartition(":")
        key, mean, whole = how[code]
        figure = _decimal(number(text))
        if mean:
            figure = figure / 1
        return key, int(figure) if whole else figure

    made: _Once[str, tuple[str, Any]] = _Once(one)
    out: Figures = {}
    for owner, joined in _plain(store, kpi_q):
        if joined is None or (wanted is not None and owner not in wanted):
            continue
        pairs = joined.split(_SEP)
        found = dict(map(made.__getitem__, pairs))
        if len(found) < len(pairs):  # several months or products: summed, then averaged
            found = _several(pairs, made, how, number)
        out[owner] = found
    return out


K = TypeVar("K")


class _Once(dict[K, T]):
    """What ``make(value)`` gave, made once per value."""

    def __init__(self, make: Callable[[K], T]):
        super().__init__()
        self._make = make

    def __missing__(self, value: K) -> T:
        found = self[value] = self._make(value)
        return found


def _several(
    pairs: list[str],
    made: _Once[str, tuple[str, Any]],
    how: dict[str, tuple[str, bool, bool]],
    number: Callable[[str], Any],
) -> dict[str, Any]:
    """The figures of an LAO that entered an indicator several times (months or products):
    those values summed in the order read, then averaged for a percent; the others as made."""
    entered: dict[str, list[str]] = {}
    for pair in pairs:
        entered.setdefault(pair.rpartition(":")[0], []).append(pair)
    found: dict[str, Any] = {}
    for code, its in entered.items():
        if len(its) == 1:
            key, figure = made[its[0]]
        else:
            key, mean, whole = how[code]
            figure = _decimal(sum(number(pair.rpartition(":")[2]) for pair in its))
            if mean:  # a percent entered for several months/products
                figure = figure / len(its)
            if whole:
                figure = int(figure)
        found[key] = figure
    return found


def _decimal(value: Any, places: str = "%.4f") -> Decimal:
    """A NUMERIC read as a plain driver value (int or float from SQLite, Decimal elsewhere)
    as SQLAlchemy's Numeric gives it: a Decimal with the column's decimal places."""
    return value if isinstance(value, Decimal) else Decimal(places % value)


def _money(value: Any) -> Decimal | None:
    """A sum of a NUMERIC(14, 2) column (None when nothing was summed)."""
    return None if value is None else _decimal(value, "%.2f")


def _moneys(store: Store) -> Callable[[Any], Decimal | None]:
    """``_money`` for the values of one read: on SQLite made once per value (the sums of
    budgets recur — 5,000, 10,000 … — in the nation's 15,700 sums of P1). SQLite gives an
    int or a float, and equal ones give the same text, 0 and -0.0 aside (made each time);
    a server's Decimal keeps its own places (not made once)."""
    if not store.is_sqlite:
        return _money
    made: _Once[Any, Decimal | None] = _Once(_money)

    def money(value: Any) -> Decimal | None:
        return made[value] if value else _money(value)

    return money


# ---- totals ----------------------------------------------------------------------------------


def _present(rows: Sequence[BoardRow], key: str) -> list[Any]:
    """The values of one figure column, the LAOs without one left out."""
    return [v for v in [r.values.get(key) for r in rows] if v is not None]


def _total(metric: Metric, present: list[Any]) -> Any:
    if not present:
        return None
    total = sum(present)
    if metric.agg == "mean":
        return Decimal(total) / len(present)
    if metric.kind == "int":
        return int(total)
    return Decimal(total)


def combine(metrics: Iterable[Metric], rows: Sequence[BoardRow]) -> dict[str, Any]:
    """The total row: sums, or the mean over LAOs with a value for percentages.

    Column by column (the nation has 7,850 rows, as many per district)."""
    return {m.key: _total(m, _present(rows, m.key)) for m in metrics}


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


def _district_summaries(
    metrics: list[Metric], rows: Sequence[BoardRow]
) -> tuple[list[GroupSummary], dict[str, list[Any]]]:
    """``group_summaries`` by district, and every figure column of the whole board (the
    districts' columns put together), for rows in district order (``build_board`` sorts
    them): each district is a run of rows, so each figure column is read once and each
    district's totals are the sums of its run — the same values summed in the same order as
    ``combine`` (12,000 small lists per district and metric took a fifth of the nation's
    P2)."""
    keys = [row.district_code or "" for row in rows]
    if any(map(operator.gt, keys, keys[1:])):  # not in district order: put it in order
        order = sorted(range(len(rows)), key=keys.__getitem__)
        rows = [rows[i] for i in order]
        keys = [keys[i] for i in order]
    spans: list[tuple[int, int]] = []
    start = 0
    for size in Counter(keys).values():  # in order of first appearance: the districts' order
        spans.append((start, start + size))
        start += size
    runs = [slice(begin, end) for begin, end in spans]
    sizes = [end - begin for begin, end in spans]
    states = [row.state for row in rows]
    values = [row.values for row in rows]
    by_metric: list[list[Any]] = []
    columns: dict[str, list[Any]] = {}
    for m in metrics:
        column = list(map(operator.itemgetter(m.key), values))
        if not all(map(operator.is_not, column, repeat(None))):  # LAOs without it: left out
            by_metric.append([_total(m, [v for v in column[run] if v is not None]) for run in runs])
            columns[m.key] = [v for v in column if v is not None]
            continue
        # Every LAO has it: ``_total`` of each district's run, with the same operations.
        sums = map(sum, map(column.__getitem__, runs))
        if m.agg == "mean":
            by_metric.append(list(map(operator.truediv, map(Decimal, sums), sizes)))
        else:
            by_metric.append(list(map(int if m.kind == "int" else Decimal, sums)))
        columns[m.key] = column
    names = [m.key for m in metrics]
    totals = [dict(zip(names, found, strict=True)) for found in zip(*by_metric, strict=True)]
    if not metrics:
        totals = [{} for _span in spans]
    out = []
    for (begin, end), found in zip(spans, totals, strict=True):
        counts = Counter(states[begin:end])
        out.append(
            GroupSummary(
                keys[begin],
                rows[begin].district,
                end - begin,
                {s: counts.get(s, 0) for s in STATE_ORDER},
                found,
            )
        )
    return out, columns


def indicator_summaries(
    prog: Programme, metrics: list[Metric], rows: Sequence[BoardRow]
) -> list[IndicatorSummary]:
    return _indicator_summaries(prog, metrics, {m.key: _present(rows, m.key) for m in metrics})


def _indicator_summaries(
    prog: Programme, metrics: list[Metric], columns: dict[str, list[Any]]
) -> list[IndicatorSummary]:
    stages = (prog.spec or {}).get("stages", {})
    out = []
    for m in metrics:
        if not m.key.startswith("kpi:"):
            continue
        present = columns[m.key]
        total = Decimal(sum(present)) if present else Decimal(0)
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
                minimum=Decimal(min(present)) if present else None,
                maximum=Decimal(max(present)) if present else None,
            )
        )
    return out


# ---- printed summary ---------------------------------------------------------------------------


def format_metric(value: Any, metric: Metric, *, total: bool = False, unit: bool = True) -> str:
    """A figure as a Thai officer reads it: 12,500.00 บาท, 1,234, 78.6 % (เฉลี่ย for totals).

    ``unit=False`` leaves the unit to the column's title (``metric_title(..., unit=True)``):
    "12,500.00", "78.6", as ``lev board`` prints a cell a spreadsheet reads as a number."""
    if value is None:
        return ""
    if metric.kind == "money":
        return format_money(value, unit=unit)
    if metric.kind == "int":
        return format_number(value)
    if metric.kind == "percent":
        if not unit:
            return format_number(value, 1)
        text = f"{format_number(value, 1)} %"
        return _("avg. {value}").format(value=text) if total else text
    return format_number(value, 2)


def metric_title(metric: Metric, *, unit: bool = False, totals: bool = False) -> str:
    """The column's title with the metric's unit; ``unit=True`` names baht too, for cells
    written without their unit (``format_metric(..., unit=False)``); ``totals``: a column of
    totals, whose percentages are means (said in the title, as the board's cells say it)."""
    if metric.kind == "money":
        return f"{metric.title} ({_('baht')})" if unit else metric.title
    if unit and totals and metric.kind == "percent":
        return _("{title} (%, mean)").format(title=metric.title)
    if metric.unit:
        return f"{metric.title} ({metric.unit})"
    if unit and metric.kind == "percent":
        return f"{metric.title} (%)"
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
    headers, rows = district_rows(board, indicators=indicators)
    return headers, list(rows)


class TextRows(Sequence[list[str]]):
    """Rows of text cells, each made when first read: a screen shows some 30 of the
    nation's 929 districts (about 20,000 formatted numbers in all)."""

    def __init__(self, count: int, make: Callable[[int], list[str]]):
        self._made: list[list[str] | None] = [None] * count
        self._make = make

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, index: int) -> list[str]: ...
    @overload
    def __getitem__(self, index: slice) -> list[list[str]]: ...
    def __getitem__(self, index: int | slice) -> list[str] | list[list[str]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self._made)
        found = self._made[index]  # IndexError beyond the end, as a list
        if found is None:
            found = self._made[index] = self._make(index)
        return found


def district_rows(board: Board, *, indicators: bool = True) -> tuple[list[str], TextRows]:
    """``district_table`` with each row's text made when it is first read (the screen)."""
    metrics = [m for m in board.metrics if indicators or not m.key.startswith("kpi:")]
    shown = board.shown_states
    headers = (
        [_("District"), _("LAOs")]
        + [s.label for s in shown]
        + [_("Share sent")]
        + [metric_title(m) for m in metrics]
    )
    whole = GroupSummary("", _("Total"), len(board.rows), dict(board.counts), dict(board.totals))
    groups = [*board.districts, whole]

    def row(index: int) -> list[str]:
        group = groups[index]
        share = group.done * 100 / group.laos if group.laos else 0
        return (
            [group.label, format_number(group.laos)]
            + [format_number(group.counts.get(s, 0)) for s in shown]
            + [f"{format_number(share, 1)} %"]
            + [format_metric(group.totals.get(m.key), m, total=True) for m in metrics]
        )

    return headers, TextRows(len(groups), row)


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
    """Programmes with at least one LAO obligation or figure, binding this office's LAOs
    (``deadlines.binding_programmes``: not an LAO's own): the board's programme list."""
    return binding_programmes(
        store,
        [
            p
            for p in list_programmes(store, active_only=True)
            if any(o.get("level") == "lao" for o in (p.spec or {}).get("obligations", []))
        ],
    )


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
    "combine",
    "metrics_for",
    "programmes_for_board",
]
