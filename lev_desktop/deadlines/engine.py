"""Obligation instances of an office and of the LAOs under it, with their one state (Qt-free).

``DeadlineBook`` reads what it needs once — this office, the programmes, the LAOs under the
office, and, per form and period when first needed, the facts the state is derived from (form
status, work, returns, packages sent and received, manual marks, the day an office began) —
and then answers in memory, so a month view of the whole country is a handful of queries.
The state itself is decided in one place, ``lev_desktop.domain.obligation_state.judge``;
nothing here or elsewhere decides "done" on its own.

Module functions are the API other areas call:

- ``office_deadlines(store, start, end)`` → ``list[Item]`` (calendar, agenda, home, reports);
- ``completeness(store, obligation, due)`` → ``list[LaoState]`` (one LAO list);
- ``office_status(store, office, fiscal_year)`` → ``list[Instance]`` (``lev status``, chips);
- ``mark_sent`` / ``unmark_sent``: the manual mark with its reason (audit-logged);
- ``reminders(store)`` / ``badge_count(store)`` (the start-up reminder and the badges).
"""

from __future__ import annotations

import calendar
import datetime as dt
import operator
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from sqlalchemy import String, and_, case, delete, func, or_, select, type_coerce

from db.models import (
    AuditEntry,
    FormSubmission,
    KpiValue,
    Monitoring,
    Office,
    Plan,
    PlanItem,
    Programme,
    Review,
    activity_board,
)
from db.models_deadlines import FormDelivery, Holiday, ObligationMark, OfficeSince
from db.store import Store, plain_iter, plain_rows
from lev_desktop import options, routing
from lev_desktop.deadlines.rules import (
    Deadline,
    Obligation,
    due_of_period,
    expand,
    first_due_of_period,
    obligations_of,
    period_for,
)
from lev_desktop.domain import reviews
from lev_desktop.domain.form_status import FormStatus
from lev_desktop.domain.obligation_state import (
    OVERDUE_STATES,
    Facts,
    Judgement,
    Mark,
    State,
    fulfilment,
    judge,
)
from lev_desktop.domain.offices import LaoType, Level
from lev_desktop.domain.templates import BUILTIN_TEMPLATES
from lev_desktop.i18n import _
from lev_desktop.progress import without_gc
from lev_desktop.thai_format import fiscal_year, fiscal_year_range
from lev_desktop.thai_format import today as today  # the one today (LEV_TODAY pins it)

DEFAULT_REMINDER_DAYS: int = options.default("reminder.days")
DEFAULT_LOOKBACK_DAYS = 90  # reminders and badges: what went overdue in the last 3 months


def local_day(value: dt.datetime | dt.date | str | None) -> dt.date | None:
    """The day a stored UTC time falls on where the officer sits (a package made at 00:30
    on 1 October in Bangkok is made on 1 October, not on 30 September)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = (
            dt.datetime.fromisoformat(value) if len(value) > 10 else dt.date.fromisoformat(value)
        )
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC).astimezone().date()
    return value


def _period_day(period: str) -> dt.date:
    """A day inside a form period, to find its deadline near: FY2568, 2025-07, 2025-09-15."""
    if period.startswith("FY") and period[2:].isdigit():
        return fiscal_year_range(int(period[2:]))[1]
    if len(period) == 7:
        return dt.date(int(period[:4]), int(period[5:7]), 15)
    try:
        return dt.date.fromisoformat(period)
    except ValueError:
        return today()


_DAYS: dict[str, dt.date] = {}


def _as_date(value: Any) -> dt.date | None:
    """A DATE column read with plain (core) rows: a date, or SQLite's text."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _district(lao: _Lao) -> str:
    return lao.district_code or ""


_NAME = operator.itemgetter(1)
_DISTRICT = operator.itemgetter(3)


def _as_day(value: Any) -> dt.date | None:
    """A local day read by ``DeadlineBook._day``: SQLite's text, or a UTC time elsewhere."""
    if value is None:
        return None
    if isinstance(value, str):
        found = _DAYS.get(value)
        if found is None:
            found = _DAYS[value] = dt.date.fromisoformat(value[:10])
        return found
    return local_day(value)


def _matches(model: Any, groups: Iterable[tuple[str, str, str]]) -> list[Any]:
    return [
        and_(model.programme_id == pid, model.form_code == form, model.period == period)
        for pid, form, period in groups
    ]


# Which screen edits a form of each kind (ctx.navigate key).
FORM_SCREENS = {
    "action_plan": "plans",
    "results": "activities",
    "monitoring": "activities",
    "province_report": "activities",
    "kpi": "kpi",
    "products": "kpi",
}


class LaoState(NamedTuple):
    """One LAO's instance of an obligation (a tuple: the nation has 7,850 per deadline)."""

    code: str
    name: str
    lao_type: str | None
    district_code: str | None
    state: State
    status: str | None  # the form's stored status, None when nothing arrived
    completed_on: dt.date | None
    sent_on: dt.date | None  # the LAO made the package that carried it
    received_on: dt.date | None  # this office imported it
    fulfilled_on: dt.date | None  # the day that counts for on time / late
    mark: Mark | None

    @property
    def reported_on(self) -> dt.date | None:
        return self.fulfilled_on


@dataclass(frozen=True)
class LaoSummary:
    """How the LAOs concerned by a deadline stand: how many are in each state. The counts
    do not read whether unfinished forms have work in them (``lao_states`` does), so "in
    progress" is counted with "not yet due"; every other state is the same as the LAO list's."""

    counts: Mapping[State, int]

    @property
    def total(self) -> int:
        return sum(n for s, n in self.counts.items() if s != State.NOT_APPLICABLE)

    @property
    def done(self) -> int:
        return sum(n for s, n in self.counts.items() if s.fulfilled)

    @property
    def late(self) -> int:
        return self.counts.get(State.LATE, 0)

    @property
    def overdue(self) -> int:
        return sum(self.counts.get(state, 0) for state in OVERDUE_STATES)

    @property
    def pending(self) -> int:
        return self.total - self.done

    @classmethod
    def of(cls, states: Iterable[LaoState]) -> LaoSummary:
        return cls(Counter(s.state for s in states))


@dataclass(frozen=True)
class Item:
    """An obligation instance as this office sees it (its own, or LAOs' arriving here)."""

    deadline: Deadline
    state: State
    days_left: int
    facts: Facts = field(default_factory=Facts)
    fulfilled_on: dt.date | None = None
    incoming: bool = False  # an LAO obligation arriving at this office
    laos: LaoSummary | None = None
    instance_due: dt.date | None = None  # a later round of an instance keeps the first's

    @property
    def due(self) -> dt.date:
        """The due date of the instance (a round's own date is ``deadline.due``)."""
        return self.instance_due or self.deadline.due

    @property
    def obligation(self) -> Obligation:
        return self.deadline.obligation

    @property
    def period(self) -> str:
        return self.deadline.period

    @property
    def attention(self) -> bool:
        return self.state.attention

    @property
    def form_status(self) -> str | None:
        return self.facts.form_status

    @property
    def mark(self) -> Mark | None:
        return self.facts.mark

    @property
    def marked(self) -> bool:
        return self.facts.mark is not None

    @property
    def completed_on(self) -> dt.date | None:
        return self.facts.completed_on

    @property
    def sent_on(self) -> dt.date | None:
        return self.facts.sent_on

    @property
    def received_on(self) -> dt.date | None:
        return self.facts.received_on

    @property
    def target(self) -> tuple[str, dict[str, Any]] | None:
        """(screen key, argument) of the form that fulfils this deadline, for ctx.navigate."""
        ob = self.obligation
        screen = FORM_SCREENS.get(ob.form_kind or "")
        if screen is None or ob.form is None:
            return None
        return screen, {
            "programme": ob.programme_code,
            "form": ob.form,
            "period": self.deadline.period,
        }


# ---- holidays ----------------------------------------------------------------------------


def holiday_map(store: Store) -> dict[dt.date, str]:
    with store.read() as session:
        return {row.day: row.name for row in session.scalars(select(Holiday))}


def list_holidays(store: Store, year: int | None = None) -> list[Holiday]:
    with store.read() as session:
        rows = list(session.scalars(select(Holiday).order_by(Holiday.day)))
    return [r for r in rows if year is None or r.day.year == year]


def set_holiday(store: Store, day: dt.date, name: str) -> None:
    name = (name or "").strip()
    if not name:
        raise ValueError(_("Please enter the name of the holiday"))
    with store.session() as session:
        row = session.get(Holiday, day)
        if row is None:
            session.add(Holiday(day=day, name=name, source="user"))
        else:
            row.name = name


def remove_holiday(store: Store, day: dt.date) -> None:
    with store.session() as session:
        session.execute(delete(Holiday).where(Holiday.day == day))


# ---- manual marks ---------------------------------------------------------------------------


class MarkError(ValueError):
    """A mark a person can fix (the message is Thai)."""


def _mark_audit(store: Store, row: ObligationMark, action: str) -> AuditEntry:
    return AuditEntry(
        officer=store.officer,
        office=store.office_code or "",
        table_name="obligation_marks",
        record_id=f"{row.office}:{row.programme_code}:{row.obligation_code}:{row.due}",
        action=action,
        changes={
            "office": row.office,
            "programme": row.programme_code,
            "obligation": row.obligation_code,
            "due": row.due.isoformat(),
            "on": row.sent_at.date().isoformat() if row.sent_at else None,
            "reason": row.reason,
        },
    )


def mark_sent(
    store: Store,
    office: str,
    obligation_code: str,
    due: dt.date,
    when: dt.datetime | dt.date | None = None,
    *,
    programme: str = "",
    reason: str,
    by: str | None = None,
) -> None:
    """Records by hand that ``office`` fulfilled ``obligation_code`` due on ``due`` outside
    the app (on paper, by LINE, by e-mail) — at an office above, that it received it so.

    A reason is required and the mark is written to the audit log; it shows as a mark, with
    its reason, wherever the state is shown. ``programme`` (its code) tells apart programmes
    copied from the same template, whose obligation codes are equal.
    """
    reason = (reason or "").strip()
    if not reason:
        raise MarkError(_("Please say how it was sent (e.g. on paper, by LINE) and when"))
    if isinstance(when, dt.datetime):
        at = when
    else:
        day = when or today()
        at = dt.datetime(day.year, day.month, day.day, 12, 0)
    with store.session() as session:
        row = session.scalar(
            select(ObligationMark).where(
                ObligationMark.office == office,
                ObligationMark.programme_code == programme,
                ObligationMark.obligation_code == obligation_code,
                ObligationMark.due == due,
            )
        )
        if row is None:
            row = ObligationMark(
                office=office,
                programme_code=programme,
                obligation_code=obligation_code,
                due=due,
            )
            session.add(row)
            action = "insert"
        else:
            action = "update"
        row.sent_at = at
        row.by = by or store.officer
        row.reason = reason
        session.add(_mark_audit(store, row, action))


def unmark_sent(
    store: Store, office: str, obligation_code: str, due: dt.date, *, programme: str = ""
) -> None:
    with store.session() as session:
        rows = list(
            session.scalars(
                select(ObligationMark).where(
                    ObligationMark.office == office,
                    ObligationMark.programme_code == programme,
                    ObligationMark.obligation_code == obligation_code,
                    ObligationMark.due == due,
                )
            )
        )
        for row in rows:
            session.add(_mark_audit(store, row, "delete"))
            session.delete(row)


# ---- office start dates -------------------------------------------------------------------


def set_since(store: Store, office: str, since: dt.date | None, *, source: str = "user") -> None:
    """The day ``office`` began using the app (None: unknown, every obligation applies)."""
    with store.session() as session:
        row = session.get(OfficeSince, office)
        if since is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(OfficeSince(office_code=office, since=since, source=source))
        else:
            row.since, row.source = since, source


def get_since(store: Store, office: str) -> dt.date | None:
    with store.read() as session:
        row = session.get(OfficeSince, office)
        return row.since if row is not None else None


# What ``LaoState`` holds after the LAO: state, status, completed_on, sent_on, received_on,
# fulfilled_on, mark
LaoEnd = tuple[
    State, str | None, dt.date | None, dt.date | None, dt.date | None, dt.date | None, Mark | None
]

# ---- the book ------------------------------------------------------------------------------


class _Lao(NamedTuple):
    code: str
    name: str
    lao_type: str | None
    district_code: str | None
    since: dt.date | None = None


class _OwnerFacts(NamedTuple):
    """One owner's facts of one form and period (what the database holds, not yet judged)."""

    status: str | None = None
    completed_on: dt.date | None = None
    returned: bool = False
    sent_on: dt.date | None = None  # a package carried it up (or it was made: received rows)
    sent: bool = False
    received: bool = False
    received_on: dt.date | None = None


_NOTHING = _OwnerFacts()

# As the database gives them (local days as text from SQLite, dates or times elsewhere):
_Row = tuple[str, Any, Any]  # (status, completed day, made day)
_Delivery = tuple[Any, Any]  # (sent day, received day)
_Key = tuple[_Row | None, _Delivery | None, bool]  # one owner's facts of one group
_GroupId = tuple[str, str, str]  # (programme id, form, period)


@dataclass
class _Group:
    """The facts of one (programme id, form, period), per owner, as read (days as the
    database gives them); each distinct combination is turned into ``_OwnerFacts`` once."""

    me: str | None = None
    rows: dict[str, _Row] = field(default_factory=dict)  # owner → (status, done, made)
    delivered: dict[str, _Delivery] = field(default_factory=dict)  # owner → (sent, received)
    returns: set[str] = field(default_factory=set)  # returned after the owner's last change
    relayed: dict[str, dt.date] = field(default_factory=dict)  # LAO form → first sent up
    work: set[str] | None = None  # owners with rows, dates or values (read when needed)
    _made: dict[tuple[_Key, bool], _OwnerFacts] = field(default_factory=dict)

    def known(self, owner: str) -> bool:
        return owner in self.rows or owner in self.delivered or owner in self.returns

    def key(self, owner: str) -> _Key:
        return (self.rows.get(owner), self.delivered.get(owner), owner in self.returns)

    def known_owners(self) -> set[str]:
        return self.rows.keys() | self.delivered.keys() | self.returns

    def facts(self, owner: str) -> _OwnerFacts:
        return self.facts_of(self.key(owner), own=owner == self.me)

    def facts_of(self, key: _Key, *, own: bool = False) -> _OwnerFacts:
        """The rules of what counts, once per distinct set of facts."""
        cache_key = (key, own)
        found = self._made.get(cache_key)
        if found is not None:
            return found
        row, delivery, returned = key
        status, done, made = row or (None, None, None)
        returned = returned or status == FormStatus.RETURNED
        if delivery and status is not None and status not in FormStatus.FINISHED:
            delivery = None  # reopened since: the version here is a draft
        if own:
            # Sent: a package to the office above carried it. A form stored as "sent" by an
            # earlier version keeps that fact.
            legacy = status == FormStatus.SENT
            found = _OwnerFacts(
                status,
                _as_day(done),
                returned,
                _as_day(delivery[0]) if delivery else (_as_day(made) if legacy else None),
                bool(delivery) or legacy,
            )
        else:
            # Received here: an import recorded it. A complete form of another office that is
            # here without that record came by an import of an earlier version: made on its
            # own last date.
            received = bool(delivery) or status in FormStatus.FINISHED
            found = _OwnerFacts(
                status,
                _as_day(done),
                returned,
                _as_day(delivery[0]) if delivery else (_as_day(made) if received else None),
                False,
                received,
                _as_day(delivery[1]) if delivery else None,
            )
        self._made[cache_key] = found
        return found


@dataclass
class _Tally:
    """Every LAO's facts of one form and period, counted by the database (``_tally``)."""

    counted: Counter[tuple[str | None, dt.date | None, _Key]]  # (type, since, facts) → LAOs
    special: list[_Lao]  # judged one by one: a manual mark, a return for correction
    group: _Group  # the facts of those, and the facts built from the counted keys


class _LaoContext(NamedTuple):
    obligation: Obligation  # the LAO obligation
    group: _Group
    due: dt.date
    arrives: bool
    marks: dict[str, Mark]
    base: Facts  # an LAO nothing is known about
    judged: Judgement
    cache: dict[tuple[_OwnerFacts | None, Mark | None, bool, bool], tuple[Facts, Judgement]]


@dataclass(frozen=True)
class Instance:
    """One obligation instance of one office: ``lev status`` prints one line per instance."""

    office: str
    obligation: Obligation
    period: str
    due: dt.date
    start: dt.date | None
    judgement: Judgement
    facts: Facts

    @property
    def state(self) -> State:
        return self.judgement.state


def _binding(session: Any, programmes: list[Programme], me: Office | None) -> list[Programme]:
    """The programmes whose deadlines bind this office and the LAOs under it
    (``routing.owner_concerns``): not one an office below made for itself."""
    owners = {p.owner_office for p in programmes if p.owner_office and not p.builtin}
    if me is None or not owners - {me.code}:
        return programmes
    offices = {
        office.code: office
        for office in session.scalars(select(Office).where(Office.code.in_(sorted(owners))))
    }
    return [
        p for p in programmes if p.builtin or routing.owner_concerns(p.owner_office, me, offices)
    ]


def binding_programmes(
    store: Store, programmes: list[Programme], office: str | None = None
) -> list[Programme]:
    """Of ``programmes``, those whose deadlines bind ``office`` (this office by default) and
    the LAOs under it: what the deadline book reads, for a list that offers programmes to
    judge (the board's)."""
    code = office or store.office_code
    if not code or all(p.builtin or p.owner_office in ("", code) for p in programmes):
        return programmes  # (the built-in ones and this office's own: nothing to read)
    with store.read() as session:
        me = session.scalar(select(Office).where(Office.code == code))
        return _binding(session, programmes, me)


class DeadlineBook:
    """Everything needed to date and judge the obligations of one office, read once."""

    @without_gc
    def __init__(
        self,
        store: Store,
        *,
        office: str | None = None,
        today_: dt.date | None = None,
        soon_days: int = DEFAULT_REMINDER_DAYS,
        programmes: Iterable[str] | None = None,
        laos: bool = True,
    ):
        self.store = store
        self.today = today_ or today()
        self.soon_days = soon_days
        self.office_code = office or store.office_code
        with store.read() as session:
            me = (
                session.scalar(select(Office).where(Office.code == self.office_code))
                if self.office_code
                else None
            )
            self.office: Office | None = me
            self.level = Level(me.level) if me else None
            self.lao_type = me.lao_type if me else None
            query = select(Programme).where(
                Programme.deleted.is_(False), Programme.active.is_(True)
            )
            progs = list(session.scalars(query))
            wanted = set(programmes) if programmes else None
            progs = [p for p in progs if wanted is None or p.code in wanted or p.id in wanted]
            progs = _binding(session, progs, me)
            progs.sort(key=lambda p: (not p.builtin, p.code))
            self.programmes = progs
            # obligations whose rule could not be read (edited templates): shown, not fatal
            self.problems: list[tuple[Obligation, str]] = []
            self.obligations: list[Obligation] = []
            for programme in progs:
                unread: list[tuple[str, str]] = []
                try:
                    self.obligations += obligations_of(programme, unread)
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    self.problems.append(
                        (
                            Obligation(programme.code, "?", Level.LAO.value, "", {}),
                            f"{type(exc).__name__}: {exc}",
                        )
                    )
                self.problems += [
                    (Obligation(programme.code, code, Level.LAO.value, "", {}), reason)
                    for code, reason in unread
                ]
            self.holidays = {row.day: row.name for row in session.scalars(select(Holiday))}
            self.marks: dict[tuple[str, str, str], dict[dt.date, Mark]] = defaultdict(dict)
            for office_code, prog, code, due, at, reason, by in session.execute(
                select(
                    ObligationMark.office,
                    ObligationMark.programme_code,
                    ObligationMark.obligation_code,
                    ObligationMark.due,
                    ObligationMark.sent_at,
                    ObligationMark.reason,
                    ObligationMark.by,
                )
            ):
                self.marks[(office_code, prog, code)][due] = Mark(
                    local_day(at) or due, reason or "", by or ""
                )
            # the day this office began using the app (an LAO's is read with the LAOs)
            self.my_since = (
                session.scalar(
                    select(OfficeSince.since).where(OfficeSince.office_code == self.office_code)
                )
                if self.office_code
                else None
            )
        # The LAOs under this office are read when a list of them is asked for (the month
        # view of the whole country only counts them, in SQL: see ``_tally``).
        self._me = me
        self._with_laos = laos and (me is None or me.level != Level.LAO)
        self._groups: dict[tuple[str, str, str], _Group] = {}  # every owner's facts
        self._mine: dict[tuple[str, str, str], _Group] = {}  # this office's facts only
        self._tallies: dict[tuple[str, str, str], _Tally] = {}
        self._lao_cache: dict[tuple[str, str], list[_Lao]] = {}
        self._by_form: dict[tuple[str, str], list[Obligation]] = defaultdict(list)
        for ob in self.obligations:
            if ob.form:
                self._by_form[(ob.programme_code, ob.form)].append(ob)
        self._first_due: dict[tuple[str, str, str], dt.date] = {}
        self._period_due: dict[tuple[str, str, str], dt.date | None] = {}
        self._contexts: dict[tuple[str, str, str, dt.date], _LaoContext] = {}
        self._judged: dict[tuple[Facts, dt.date], Judgement] = {}

    @cached_property
    def laos(self) -> list[_Lao]:
        """The LAOs under this office, by district and name (read when first asked for)."""
        if not self._with_laos:
            return []
        return self.store.derived(("deadlines.laos", self.office_code), self._subordinate_laos)

    @cached_property
    def lao_by_code(self) -> dict[str, _Lao]:
        return {lao.code: lao for lao in self.laos}

    @cached_property
    def owners(self) -> set[str]:
        """Whose facts a full read of a form keeps: the LAOs under this office, and itself."""
        owners = {lao.code for lao in self.laos}
        if self.office_code:
            owners.add(self.office_code)
        return owners

    @cached_property
    def _scope(self) -> Counter[tuple[str | None, dt.date | None]]:
        """How many LAOs are under this office, by (LAO type, day it began using the app):
        counted by the database, without reading the list."""
        if not self._with_laos:
            return Counter()
        return self.store.derived(("deadlines.scope", self.office_code), self._read_scope)

    def _read_scope(self) -> Counter[tuple[str | None, dt.date | None]]:
        query = (
            select(Office.lao_type, OfficeSince.since, func.count())
            .outerjoin(OfficeSince, OfficeSince.office_code == Office.code)
            .where(*self._scope_where())
            .group_by(Office.lao_type, OfficeSince.since)
        )
        with self.store.read() as session:
            return Counter(
                {(t, _as_date(since)): n for t, since, n in plain_rows(session.connection(), query)}
            )

    @property
    def has_laos(self) -> bool:
        """Whether any LAO is under this office."""
        if "laos" in self.__dict__:
            return bool(self.laos)
        return bool(self._scope)

    def _scope_where(self) -> list[Any]:
        """``services.offices.subordinate_laos`` as SQL conditions on ``Office``: a district
        gets its เทศบาลตำบล and อบต.; a province every LAO of the province; the nation all (a
        test keeps the two equal)."""
        me = self._me
        where = [Office.level == Level.LAO.value, Office.deleted.is_(False)]
        if me is not None and me.level == Level.PROVINCE:
            where.append(Office.province_code == me.province_code)
        elif me is not None and me.level == Level.DISTRICT:
            via = sorted(t.value for t in LaoType if t.reports_via_district)
            where += [
                Office.district_code == me.district_code,
                or_(Office.lao_type.is_(None), Office.lao_type.in_(via)),
            ]
        return where

    def _subordinate_laos(self, codes: Iterable[str] | None = None) -> list[_Lao]:
        """The LAOs under this office (``codes``: only these), read with one plain query (the
        national list has 7,850 LAOs; loading them as ORM objects took a second)."""
        query = (
            select(
                Office.code,
                Office.name,
                Office.lao_type,
                Office.district_code,
                OfficeSince.since,
            )
            .outerjoin(OfficeSince, OfficeSince.office_code == Office.code)
            .where(*self._scope_where())
        )
        if codes is not None:
            query = query.where(Office.code.in_(sorted(codes)))
        new = tuple.__new__
        with self.store.read() as session:
            laos = [
                new(_Lao, row)
                if row[4] is None
                else _Lao(row[0], row[1], row[2], row[3], _as_date(row[4]))
                for row in plain_iter(session.connection(), query)
            ]
        # By district and name: two stable sorts on a field each (no key tuple per LAO)
        laos.sort(key=_NAME)
        if any(lao.district_code is None for lao in laos):
            laos.sort(key=_district)
        else:
            laos.sort(key=_DISTRICT)
        return laos

    # ---- facts -------------------------------------------------------------------------
    def _day(self, column: Any) -> Any:
        """A stored UTC time as the local day: done by SQLite itself (text 'YYYY-MM-DD'), by
        ``local_day`` elsewhere — reading 30,000 form states, parsing each time in Python
        was a third of the national month view."""
        if self.store.is_sqlite:
            return func.date(column, "localtime")
        return column

    @without_gc
    def preload(self, groups: Iterable[_GroupId]) -> None:
        """Reads every owner's facts of the (programme id, form, period) groups not read yet:
        what lists of LAOs need. Kept by the store until something is written."""
        wanted = [g for g in dict.fromkeys(groups) if g not in self._groups]
        if not wanted:
            return
        missing = []
        generation = 0
        for key in wanted:
            generation, found = self.store.kept(("deadlines.facts", self.office_code, key))
            if found is None:
                missing.append(key)
            else:
                self._groups[key] = found
        self._read_facts(missing, self._groups, self.owners)
        for key in missing:
            if key in self._groups:
                self.store.keep(
                    ("deadlines.facts", self.office_code, key), self._groups[key], generation
                )

    def _preload_mine(self, groups: Iterable[_GroupId]) -> None:
        """Reads this office's own facts of the groups (its own deadlines)."""
        wanted = [g for g in groups if g not in self._groups]
        mine = {self.office_code} if self.office_code else set()
        self._read_facts(wanted, self._mine, mine)

    def _read_facts(
        self, groups: Iterable[_GroupId], into: dict[_GroupId, _Group], owners: set[str]
    ) -> None:
        wanted = sorted({g for g in groups if g[1] and g not in into})
        if not wanted:
            return
        for key in wanted:
            into[key] = _Group()
        if not owners:
            return
        me = self.office_code
        few = len(owners) < 500
        day = self._day
        with self.store.read() as session:
            conn = session.connection()  # plain rows: no ORM work for ~30,000 of them
            for chunk in range(0, len(wanted), 50):
                part = wanted[chunk : chunk + 50]

                def where(model: Any, part: list[tuple[str, str, str]] = part) -> Any:
                    return or_(*_matches(model, part))

                def which(model: Any, part: list[tuple[str, str, str]] = part) -> Any:
                    """The group of a row as a small number (not three strings per row)."""
                    return case(*((m, i) for i, m in enumerate(_matches(model, part))))

                groups = {key: into[key] for key in part}
                for group in groups.values():
                    group.me = me
                in_order = [groups[key] for key in part]
                query = select(
                    FormSubmission.owner_office,
                    which(FormSubmission),
                    FormSubmission.status,
                    day(FormSubmission.completed_at),
                    day(
                        func.coalesce(
                            FormSubmission.sent_at,
                            FormSubmission.completed_at,
                            FormSubmission.updated_at,
                        )
                    ),
                ).where(FormSubmission.deleted.is_(False), where(FormSubmission))
                if few:
                    query = query.where(FormSubmission.owner_office.in_(sorted(owners)))
                for owner, index, status, done, made in plain_iter(conn, query):
                    if owner in owners:
                        in_order[index].rows[owner] = (status, done, made)
                self._read_returns(conn, part, groups)
                query = select(
                    FormDelivery.direction,
                    FormDelivery.owner_office,
                    FormDelivery.programme_id,
                    FormDelivery.form_code,
                    FormDelivery.period,
                    day(FormDelivery.sent_at),
                    day(FormDelivery.received_at),
                ).where(where(FormDelivery))
                if few:
                    query = query.where(FormDelivery.owner_office.in_(sorted(owners)))
                for direction, owner, pid, form, period, sent_day, received_day in plain_rows(
                    conn, query
                ):
                    if owner not in owners:
                        continue
                    group = groups[(pid, form, period)]
                    if direction == "sent" and owner != me:
                        day_ = _as_day(sent_day)
                        if day_ and (owner not in group.relayed or day_ < group.relayed[owner]):
                            group.relayed[owner] = day_
                        continue
                    if (direction == "sent") != (owner == me):
                        continue  # what this office sent, or what it received of others
                    seen = group.delivered.get(owner)
                    if seen is None:
                        group.delivered[owner] = (sent_day, received_day)
                    else:
                        group.delivered[owner] = (
                            min(d for d in (seen[0], sent_day) if d) if sent_day else seen[0],
                            min(d for d in (seen[1], received_day) if d)
                            if received_day
                            else seen[1],
                        )

    def _read_returns(
        self, conn: Any, part: list[_GroupId], groups: dict[_GroupId, _Group]
    ) -> None:
        """Returns for correction newer than the owner's last change of the form. F1/F2/F3
        reviews point at (programme, year, form), indicator-form reviews at the form."""
        plan_targets = {
            reviews.plan_forms_target(pid, int(period[2:])): (pid, period)
            for pid, _form, period in part
            if period.startswith("FY") and period[2:].isdigit()
        }
        found = conn.execute(
            select(
                Review.target_office,
                Review.target_kind,
                Review.target_id,
                type_coerce(Review.updated_at, String),
            ).where(
                Review.action == reviews.RETURNED,
                Review.deleted.is_(False),
                or_(
                    Review.target_id.in_(list(plan_targets)),
                    Review.target_kind == reviews.SUBMISSION_KIND,
                ),
            )
        ).all()
        if not found:
            return
        by_id = [r for r in found if r[1] == reviews.SUBMISSION_KIND]
        forms = {}
        if by_id:
            for sid, owner, pid, form, period, updated in conn.execute(
                select(
                    FormSubmission.id,
                    FormSubmission.owner_office,
                    FormSubmission.programme_id,
                    FormSubmission.form_code,
                    FormSubmission.period,
                    type_coerce(FormSubmission.updated_at, String),
                ).where(FormSubmission.id.in_([r[2] for r in by_id]))
            ).all():
                forms[sid] = ((pid, form, period), owner, updated)
        latest: dict[tuple[_GroupId, str], str] = {}
        for office, kind, target, at in found:
            if target in plan_targets:
                pid, period = plan_targets[target]
                key = ((pid, kind, period), office)
            elif target in forms:
                key = forms[target][:2]
            else:
                continue
            if key[0] in groups and at is not None and str(at) > latest.get(key, ""):
                latest[key] = str(at)
        if not latest:
            return
        changed: dict[tuple[_GroupId, str], str] = {}
        for group_key, owner in latest:
            pid, form, period = group_key
            updated = conn.execute(
                select(type_coerce(FormSubmission.updated_at, String)).where(
                    FormSubmission.owner_office == owner,
                    FormSubmission.programme_id == pid,
                    FormSubmission.form_code == form,
                    FormSubmission.period == period,
                    FormSubmission.deleted.is_(False),
                )
            ).scalar()
            if updated is not None:
                changed[(group_key, owner)] = str(updated)
        for key, at in latest.items():
            if key not in changed or at >= changed[key]:
                groups[key[0]].returns.add(key[1])

    def group(self, obligation: Obligation, period: str) -> _Group:
        """Every owner's facts of the form of ``obligation`` for ``period``."""
        key = (obligation.programme_id, obligation.form or "", period)
        if key not in self._groups:
            self.preload([key])
        return self._groups[key]

    def own_group(self, obligation: Obligation, period: str) -> _Group:
        """This office's facts of the form (every owner's when those were read already)."""
        key = (obligation.programme_id, obligation.form or "", period)
        found = self._groups.get(key)
        if found is not None:
            return found
        if key not in self._mine:
            self._preload_mine([key])
        return self._mine[key]

    @property
    def forms(self) -> dict[tuple[str, str, str, str], _OwnerFacts]:
        """Every form fact read so far: (owner, programme id, form, period) → facts."""
        return {
            (owner, *key): group.facts(owner)
            for key, group in self._groups.items()
            for owner in group.rows.keys() | group.delivered.keys() | group.returns
        }

    def work(self, obligation: Obligation, period: str) -> set[str]:
        """Owners with work on the form of ``obligation`` for ``period`` (rows, dates, values)."""
        group = self.group(obligation, period)
        if group.work is None:
            group.work = self._work_of(obligation, period, self.owners)
        return group.work

    def own_work(self, obligation: Obligation, period: str) -> None:
        """Whether this office has work on the form (read into ``own_group``)."""
        key = (obligation.programme_id, obligation.form or "", period)
        if key in self._groups:
            self.work(obligation, period)
            return
        group = self.own_group(obligation, period)
        if group.work is None:
            mine = {self.office_code} if self.office_code else set()
            group.work = self._work_of(obligation, period, mine)

    def _work_of(self, obligation: Obligation, period: str, owners: set[str]) -> set[str]:
        if not owners:
            return set()
        few = sorted(owners) if len(owners) < 500 else None
        found: set[str] = set()
        kind = obligation.form_kind or ""
        fiscal_year = int(period[2:]) if period.startswith("FY") and period[2:].isdigit() else None
        pid = obligation.programme_id
        with self.store.read() as session:
            if kind == "action_plan" and fiscal_year is not None:
                query = (
                    select(Plan.owner_office)
                    .join(PlanItem, PlanItem.plan_id == Plan.id)
                    .where(
                        Plan.programme_id == pid,
                        Plan.fiscal_year == fiscal_year,
                        Plan.deleted.is_(False),
                        PlanItem.deleted.is_(False),
                    )
                )
                if few is not None:
                    query = query.where(Plan.owner_office.in_(few))
                found = set(session.scalars(query.distinct()))
            elif kind == "results" and fiscal_year is not None:
                # A live activity of a live row of a live plan: its board key (db.models).
                board = activity_board.c
                query = select(board.board_owner).where(
                    board.board_programme_id == pid,
                    board.board_fiscal_year == fiscal_year,
                    board.deleted.is_(False),
                )
                if few is not None:
                    query = query.where(board.board_owner.in_(few))
                found = set(session.scalars(query.distinct()))
            elif kind == "monitoring" and fiscal_year is not None:
                query = select(Monitoring.owner_office).where(
                    Monitoring.programme_id == pid,
                    Monitoring.fiscal_year == fiscal_year,
                    Monitoring.deleted.is_(False),
                    or_(
                        Monitoring.committee_selected_on.is_not(None),
                        Monitoring.committee_met_on.is_not(None),
                        Monitoring.plan_made_on.is_not(None),
                        Monitoring.reported_on.is_not(None),
                        Monitoring.notice_posted_on.is_not(None),
                    ),
                )
                if few is not None:
                    query = query.where(Monitoring.owner_office.in_(few))
                found = set(session.scalars(query))
            elif kind in ("kpi", "products"):
                query = select(KpiValue.owner_office).where(
                    KpiValue.programme_id == pid,
                    KpiValue.period == period,
                    KpiValue.deleted.is_(False),
                    or_(
                        KpiValue.value_num.is_not(None),
                        KpiValue.value_text.is_not(None),
                        KpiValue.value_date.is_not(None),
                        KpiValue.row_key != "",
                    ),
                )
                if few is not None:
                    query = query.where(KpiValue.owner_office.in_(few))
                found = set(session.scalars(query.distinct()))
        return found & owners

    # ---- which obligation, which LAOs ----------------------------------------------------
    def lao_obligation(self, obligation: Obligation) -> Obligation | None:
        """The LAO-level obligation that produces the form ``obligation`` needs."""
        if obligation.level == Level.LAO:
            return obligation
        for ob in self._by_form.get((obligation.programme_code, obligation.form or ""), []):
            if ob.level == Level.LAO:
                return ob
        return None

    def laos_for(self, obligation: Obligation) -> list[_Lao]:
        lao_ob = self.lao_obligation(obligation)
        if lao_ob is None:
            return []
        key = (lao_ob.programme_code, lao_ob.code)
        if key not in self._lao_cache:
            applies = {t: lao_ob.applies_to(t) for t in {lao.lao_type for lao in self.laos}}
            self._lao_cache[key] = [lao for lao in self.laos if applies[lao.lao_type]]
        return self._lao_cache[key]

    def instance_due(self, deadline: Deadline) -> dt.date:
        """The due date of the instance a deadline belongs to: a later round of the same
        period ("every 5th and 15th until every LAO has reported") keeps the first."""
        ob = deadline.obligation
        key = (ob.programme_code, ob.code, deadline.period)
        if key not in self._first_due:
            self._first_due[key] = first_due_of_period(ob, deadline)
        return self._first_due[key]

    def lao_due(self, obligation: Obligation, period: str, due: dt.date) -> dt.date:
        """The LAOs' due date of ``period`` when an office above compiles it (the province's
        report due 5 August collects the LAOs' July reports, due 1 July)."""
        lao_ob = self.lao_obligation(obligation)
        if lao_ob is None or lao_ob is obligation:
            return due
        key = (lao_ob.programme_code, lao_ob.code, period)
        if key not in self._first_due:
            self._first_due[key] = due_of_period(lao_ob, period, due) or due
        return self._first_due[key]

    # ---- judging -------------------------------------------------------------------------
    def _judge(self, facts: Facts, due: dt.date) -> Judgement:
        key = (facts, due)
        found = self._judged.get(key)
        if found is None:
            found = self._judged[key] = judge(facts, due, self.today, self.soon_days)
        return found

    def _mark(self, office: str, obligation: Obligation, due: dt.date) -> Mark | None:
        """A manual mark for this due date, or for a later round of the same period."""
        found = {
            **self.marks.get((office, "", obligation.code), {}),
            **self.marks.get((office, obligation.programme_code, obligation.code), {}),
        }
        if not found:
            return None
        if due in found:
            return found[due]
        period = period_for(obligation, due)
        for day, mark in sorted(found.items()):
            if day >= due and period_for(obligation, day) == period:
                return mark
        return None

    def _applicable(self, since: dt.date | None, obligation: Obligation, due: dt.date) -> bool:
        return since is None or due >= since

    def _lao_context(
        self, obligation: Obligation, period: str, due: dt.date, group: _Group | None = None
    ) -> _LaoContext:
        """What every LAO's instance of one obligation and period shares (read once);
        ``group``: the facts to judge by (default: every LAO's)."""
        lao_ob = self.lao_obligation(obligation) or obligation
        marks: dict[str, Mark] = {}
        for office, prog, code in self.marks:
            if code == lao_ob.code and prog in ("", lao_ob.programme_code):
                found = self._mark(office, lao_ob, due)
                if found is not None:
                    marks[office] = found
        arrives = self._arrives_here(lao_ob)
        base = Facts(
            reporting=lao_ob.reporting,
            has_form=lao_ob.form is not None,
            event=lao_ob.rule.get("type") == "event",
            view="above",
            applicable=arrives or not lao_ob.reporting,
        )
        if group is None:
            group = self.group(obligation, period)
        return _LaoContext(
            lao_ob,
            group,
            due,
            arrives,
            marks,
            base,
            self._judge(base, due),
            {},
        )

    def lao_facts(
        self, lao: _Lao, obligation: Obligation, period: str, due: dt.date, group: _Group
    ) -> Facts:
        """An LAO's instance seen from this office (above it)."""
        return self._judged_in(self._lao_context(obligation, period, due), lao)[0]

    def _judged_in(self, ctx: _LaoContext, lao: _Lao) -> tuple[Facts, Judgement]:
        """(facts, judgement) of one LAO's instance. Many LAOs share the same facts (a status
        and a few dates), so each distinct set is built and judged once."""
        code = lao.code
        group = ctx.group
        found = group.facts(code) if group.known(code) else None
        mark = ctx.marks.get(code)
        work = ctx.group.work
        in_work = work is not None and code in work
        applicable = lao.since is None or ctx.due >= lao.since
        if found is None and mark is None and not in_work and applicable:
            return ctx.base, ctx.judged  # nothing here about this LAO
        return self._judged_of(ctx, found, mark, in_work, applicable)

    def _judged_of(
        self,
        ctx: _LaoContext,
        found: _OwnerFacts | None,
        mark: Mark | None,
        in_work: bool,
        applicable: bool,
    ) -> tuple[Facts, Judgement]:
        key = (found, mark, in_work, applicable)
        hit = ctx.cache.get(key)
        if hit is not None:
            return hit
        found = found or _NOTHING
        arrives = ctx.arrives
        base = ctx.base
        facts = Facts(
            reporting=base.reporting,
            has_form=base.has_form,
            event=base.event,
            view="above",
            # a report sent past this office (an อบต.'s temple report goes to the province
            # itself): this office neither receives nor judges it ("nothing to do" here)
            applicable=applicable and base.applicable,
            form_status=found.status,
            work=in_work,
            completed_on=found.completed_on,
            returned=found.returned,
            sent_on=found.sent_on if arrives else None,
            received=found.received and arrives,
            received_on=found.received_on if arrives else None,
            mark=mark,
        )
        hit = ctx.cache[key] = (facts, judge(facts, ctx.due, self.today, self.soon_days))
        return hit

    def _arrives_here(self, lao_obligation: Obligation) -> bool:
        """An LAO's report counts as received here only at (or above) the level it is sent
        to: a district holding an LAO's monthly temple report (sent to the province) has not
        received that report in the programme's sense."""
        if not lao_obligation.reporting:
            return False
        return self.level is None or lao_obligation.reaches(self.level)

    def _needs_work(self, due: dt.date) -> bool:
        """Whether "in progress" can show: only while an instance is not yet due soon."""
        return (due - self.today).days > self.soon_days

    def _instance(
        self, kind: str, obligation: Obligation, due: dt.date, period: str | None, work: bool
    ) -> tuple[tuple[Any, ...], str, dt.date, bool]:
        """The instance ``lao_states`` and ``lao_ends`` judge, worked out once for both (so
        the board and the calendar cannot judge different ones): its period, the LAOs' due
        day, whether "in progress" can show, and the key its result is kept under."""
        period = period_for(obligation, due) if period is None else period
        due = self.lao_due(obligation, period, due)
        work = work and self._needs_work(due)
        key = (
            kind,
            self.office_code,
            obligation.programme_id,
            obligation.code,
            period,
            due,
            self.today,
            self.soon_days,
            work,
        )
        return key, period, due, work

    @without_gc
    def lao_states(
        self, obligation: Obligation, due: dt.date, period: str | None = None, *, work: bool = True
    ) -> list[LaoState]:
        """Every LAO concerned by ``obligation`` (or by the LAO obligation it compiles) for
        the instance due on ``due``: its state and dates."""
        if obligation.form is None:
            return []
        key, period, due, work = self._instance(
            "deadlines.lao_states", obligation, due, period, work
        )
        generation, found = self.store.kept(key)
        if found is None:
            found = self._lao_states(obligation, period, due, work)
            self.store.keep(key, found, generation)
        return list(found)

    @without_gc
    def lao_ends(
        self, obligation: Obligation, due: dt.date, period: str | None = None, *, work: bool = True
    ) -> Mapping[str, LaoEnd]:
        """``lao_states`` without a tuple per LAO (the board of the nation): each LAO's code
        and the end of its ``LaoState`` (from ``state`` on), one tuple shared by the LAOs
        whose facts are the same. Kept until a write: read only."""
        if obligation.form is None:
            return {}
        key, period, due, work = self._instance("deadlines.lao_ends", obligation, due, period, work)
        generation, found = self.store.kept(key)
        if found is None:
            ends = self._lao_ends(obligation, period, due, work)
            found = dict(zip([lao.code for lao in self.laos_for(obligation)], ends, strict=True))
            self.store.keep(key, found, generation)
        return found  # type: ignore[no-any-return]

    def _lao_states(
        self, obligation: Obligation, period: str, due: dt.date, work: bool
    ) -> tuple[LaoState, ...]:
        ends = self._lao_ends(obligation, period, due, work)
        new = tuple.__new__
        return tuple(
            new(LaoState, (lao.code, lao.name, lao.lao_type, lao.district_code, *end))
            for lao, end in zip(self.laos_for(obligation), ends, strict=True)
        )

    def _lao_ends(
        self, obligation: Obligation, period: str, due: dt.date, work: bool
    ) -> list[LaoEnd]:
        """The end of each ``LaoState`` line, in the order of ``laos_for(obligation)``."""
        if work:
            self.work(obligation, period)
        ctx = self._lao_context(obligation, period, due)
        group = ctx.group
        rows, delivered, returns = group.rows.get, group.delivered.get, group.returns
        marks = ctx.marks.get
        work_ = group.work or ()
        # LAOs that share their facts share the end of their line (the nation: 7,850 LAOs,
        # a few hundred distinct facts), built and judged once
        ends: dict[tuple[Any, ...], LaoEnd] = {}
        out = []
        for lao in self.laos_for(obligation):
            code = lao.code
            since = lao.since
            key = (
                rows(code),
                delivered(code),
                code in returns,
                marks(code),
                code in work_,
                since is None or due >= since,
            )
            end = ends.get(key)
            if end is None:
                facts, judged = self._judged_in(ctx, lao)
                end = ends[key] = (
                    judged.state,
                    facts.form_status,
                    facts.completed_on,
                    facts.sent_on,
                    facts.received_on,
                    judged.fulfilled_on,
                    facts.mark,
                )
            out.append(end)
        return out

    def _tally(self, key: _GroupId) -> _Tally:
        """The LAOs' facts of one form and period counted by the database: LAOs that share
        their facts (a status and a few days) are one line, so the month view of the whole
        country reads a few hundred lines, not 7,850 per form. The same facts as ``preload``
        reads per LAO (a test keeps the counts equal to ``lao_states``); LAOs with a manual
        mark or a return for correction are read one by one."""
        found = self._tallies.get(key)
        if found is None:
            found = self._tallies[key] = self.store.derived(
                ("deadlines.tally", self.office_code, key), lambda: self._read_tally(key)
            )
        return found

    def _read_tally(self, key: _GroupId) -> _Tally:
        pid, form, period = key
        day = self._day
        scope = self._scope_where()
        me = self.office_code

        def match(model: Any) -> Any:
            return and_(model.programme_id == pid, model.form_code == form, model.period == period)

        marked = {office for office, _prog, _code in self.marks}
        returned = _Group(me=me)
        counted: Counter[tuple[str | None, dt.date | None, _Key]] = Counter()
        with self.store.read() as session:
            conn = session.connection()
            self._read_returns(conn, [key], {key: returned})
            special = sorted((marked | returned.returns) - {me or ""})
            delivered = (
                select(
                    FormDelivery.owner_office.label("owner"),
                    func.min(day(FormDelivery.sent_at)).label("sent"),
                    func.min(day(FormDelivery.received_at)).label("received"),
                )
                .where(FormDelivery.direction == "received", match(FormDelivery))
                .group_by(FormDelivery.owner_office)
                .subquery()
            )
            done = day(FormSubmission.completed_at)
            made = day(
                func.coalesce(
                    FormSubmission.sent_at, FormSubmission.completed_at, FormSubmission.updated_at
                )
            )
            columns = (
                Office.lao_type,
                OfficeSince.since,
                FormSubmission.status,
                done,
                made,
                delivered.c.owner.is_not(None),
                delivered.c.sent,
                delivered.c.received,
            )
            query = (
                select(*columns, func.count())
                .select_from(FormSubmission)
                .join(Office, Office.code == FormSubmission.owner_office)
                .outerjoin(OfficeSince, OfficeSince.office_code == FormSubmission.owner_office)
                .outerjoin(delivered, delivered.c.owner == FormSubmission.owner_office)
                .where(match(FormSubmission), FormSubmission.deleted.is_(False), *scope)
                .group_by(*columns)
            )
            if special:
                query = query.where(FormSubmission.owner_office.not_in(special))
            for lao_type, since, status, done_on, made_on, has, sent, received, n in plain_rows(
                conn, query
            ):
                facts: _Key = ((status, done_on, made_on), (sent, received) if has else None, False)
                counted[(lao_type, _as_date(since), facts)] += n
            # Forms received here whose row is gone (deleted since) or never came (Excel).
            has_row = (
                select(FormSubmission.id)
                .where(
                    FormSubmission.owner_office == FormDelivery.owner_office,
                    match(FormSubmission),
                    FormSubmission.deleted.is_(False),
                )
                .exists()
            )
            query = (
                select(
                    Office.lao_type,
                    OfficeSince.since,
                    func.min(day(FormDelivery.sent_at)),
                    func.min(day(FormDelivery.received_at)),
                )
                .select_from(FormDelivery)
                .join(Office, Office.code == FormDelivery.owner_office)
                .outerjoin(OfficeSince, OfficeSince.office_code == FormDelivery.owner_office)
                .where(FormDelivery.direction == "received", match(FormDelivery), ~has_row, *scope)
                .group_by(FormDelivery.owner_office, Office.lao_type, OfficeSince.since)
            )
            if special:
                query = query.where(FormDelivery.owner_office.not_in(special))
            for lao_type, since, sent, received in plain_rows(conn, query):
                counted[(lao_type, _as_date(since), (None, (sent, received), False))] += 1
        laos = self._subordinate_laos(special) if special else []
        mine: dict[_GroupId, _Group] = {}
        self._read_facts([key], mine, {lao.code for lao in laos})
        return _Tally(counted, laos, mine.get(key) or _Group(me=me))

    def _tally_counts(
        self, obligation: Obligation, period: str, due: dt.date
    ) -> Counter[Judgement]:
        """How many LAOs concerned by ``obligation`` have each judgement (from ``_tally``)."""
        lao_ob = self.lao_obligation(obligation) or obligation
        tally = self._tally((obligation.programme_id, obligation.form or "", period))
        ctx = self._lao_context(obligation, period, due, tally.group)
        applies = lao_ob.applies_to
        judged_of = self._judged_of
        facts_of = tally.group.facts_of
        counts: Counter[Judgement] = Counter()
        seen: Counter[tuple[str | None, dt.date | None]] = Counter()
        for (lao_type, since, key), n in tally.counted.items():
            seen[(lao_type, since)] += n
            if applies(lao_type):
                applicable = since is None or due >= since
                counts[judged_of(ctx, facts_of(key), None, False, applicable)[1]] += n
        for lao in tally.special:
            seen[(lao.lao_type, lao.since)] += 1
            if applies(lao.lao_type):
                counts[self._judged_in(ctx, lao)[1]] += 1
        for (lao_type, since), n in self._scope.items():
            plain = n - seen[(lao_type, since)]
            if plain > 0 and applies(lao_type):
                applicable = since is None or due >= since
                counts[judged_of(ctx, None, None, False, applicable)[1]] += plain
        return counts

    @without_gc
    def _summary(self, obligation: Obligation, due: dt.date, period: str) -> LaoSummary:
        """Counts of the LAOs' states (the same judging as ``lao_states``, without building a
        row per LAO: the month view of the whole country)."""
        due = self.lao_due(obligation, period, due)
        counts: Counter[State] = Counter()
        for judged, n in self._tally_counts(obligation, period, due).items():
            counts[judged.state] += n
        return LaoSummary(counts)

    @without_gc
    def reported_on(self, obligation: Obligation) -> dt.date | None:
        """For "until every LAO has reported": the day the last one reported (None: not yet)."""
        if obligation.form is None:
            return None
        period = period_for(obligation, self.today)
        due = due_of_period(obligation, period, self.today) or self.today
        if self.level == Level.LAO or not self.has_laos:
            if not self.office_code:
                return None
            found = fulfilment(self._own_facts(obligation, period, due))
            return (found[1] or self.today) if found else None
        due = self.lao_due(obligation, period, due)
        last: dt.date | None = None
        for judged in self._tally_counts(obligation, period, due):
            if judged.state == State.NOT_APPLICABLE:
                continue
            if not judged.state.fulfilled:
                return None
            day = judged.fulfilled_on or self.today
            last = day if last is None or day > last else last
        return last

    def _own_facts(self, obligation: Obligation, period: str, due: dt.date) -> Facts:
        """This office's own instance: its form, its packages, its marks — and, at a
        district or province, the LAOs' forms it compiles."""
        me = self.office_code or ""
        event = obligation.rule.get("type") == "event"
        applicable = self._applicable(self.my_since, obligation, due)
        mark = self._mark(me, obligation, due)
        if obligation.form is None:
            return Facts(
                reporting=obligation.reporting,
                has_form=False,
                event=event,
                applicable=applicable,
                mark=mark,
            )
        if (
            self.level not in (None, Level.LAO)
            and self.has_laos
            and self.lao_obligation(obligation) not in (None, obligation)
        ):
            group = self.group(obligation, period)
            # A district or province compiles what its LAOs fill in: complete when every LAO
            # concerned is in; sent when a package to the office above carried every one.
            states = [
                s
                for s in self.lao_states(obligation, due, period, work=False)
                if s.state != State.NOT_APPLICABLE
            ]
            fulfilled = [s for s in states if s.state.fulfilled]
            complete = bool(states) and len(fulfilled) == len(states)
            relayed = [group.relayed.get(s.code) for s in fulfilled if s.mark is None]
            sent_on = max((d for d in relayed if d), default=None)
            sent = complete and bool(relayed) and all(relayed)
            return Facts(
                reporting=obligation.reporting,
                has_form=True,
                applicable=applicable,
                form_status=FormStatus.COMPLETE if complete else None,
                work=bool(fulfilled),
                completed_on=max(
                    (s.fulfilled_on for s in fulfilled if s.fulfilled_on), default=None
                )
                if complete
                else None,
                sent=sent,
                sent_on=sent_on if sent else None,
                mark=mark,
            )
        group = self.own_group(obligation, period)
        found = group.facts(me) if group.known(me) else _NOTHING
        work = group.work
        reporting = obligation.reporting
        return Facts(
            reporting=reporting,
            has_form=True,
            event=event,
            applicable=applicable,
            form_status=found.status,
            work=work is not None and me in work,
            completed_on=found.completed_on,
            returned=found.returned,
            sent=found.sent and reporting,
            sent_on=found.sent_on if reporting else None,
            mark=mark,
        )

    # ---- deadlines ---------------------------------------------------------------------
    def expand(
        self,
        start: dt.date,
        end: dt.date,
        levels: Iterable[str] | None = None,
        lao_type: str | None = None,
    ) -> list[Deadline]:
        return expand(
            self.obligations,
            start,
            end,
            levels=levels,
            lao_type=lao_type,
            reported_on=self.reported_on,
            holidays=self.holidays,
            problems=self.problems,
        )

    def item(self, deadline: Deadline, *, work: bool = True) -> Item:
        ob = deadline.obligation
        due = self.instance_due(deadline)
        if work and ob.form is not None and self.office_code and self._needs_work(due):
            self.own_work(ob, deadline.period)
        facts = self._own_facts(ob, deadline.period, due)
        judged = self._judge(facts, due)
        summary = None
        if (
            self.level not in (None, Level.LAO)
            and ob.form is not None
            and self.has_laos
            and self.lao_obligation(ob) is not None
        ):
            summary = self._summary(ob, due, deadline.period)
        return Item(
            deadline,
            judged.state,
            judged.days_left,
            facts,
            judged.fulfilled_on,
            laos=summary,
            instance_due=due,
        )

    def incoming_item(self, deadline: Deadline) -> Item | None:
        """LAOs' instances of an obligation arriving here, as one line: received when every
        LAO concerned is in."""
        due = self.instance_due(deadline)
        summary = self._summary(deadline.obligation, due, deadline.period)
        if not summary.total:
            return None
        complete = summary.done == summary.total
        facts = Facts(
            reporting=False,
            has_form=True,
            view="above",
            form_status=FormStatus.COMPLETE if complete else None,
            work=summary.done > 0,
            received=complete,
        )
        judged = judge(facts, due, self.today, self.soon_days)
        state = judged.state
        if complete:
            state = State.LATE if summary.late else State.RECEIVED
        return Item(
            deadline,
            state,
            judged.days_left,
            facts,
            None,
            incoming=True,
            laos=summary,
            instance_due=due,
        )

    @without_gc
    def items(self, start: dt.date, end: dt.date, *, work: bool = True) -> list[Item]:
        """Every deadline of this office in [start, end] (an office-less database: all levels).

        ``work=False`` does not read whether unfinished forms have work in them (the month
        view shows "not yet due" for both; the agenda and the lists read it)."""
        if self.level is None:
            deadlines = self.expand(start, end)
            self._preload_for(deadlines, mine=True)
            return [self.item(d, work=work) for d in deadlines]
        own = self.expand(start, end, levels=[self.level], lao_type=self.lao_type)
        self._preload_for(own, mine=True)
        out = [self.item(d, work=work) for d in own]
        if self.level != Level.LAO:
            taken = {(d.obligation.programme_code, d.obligation.form, d.due) for d in own}
            incoming = [
                ob
                for ob in self.obligations
                if ob.level == Level.LAO and ob.reaches(self.level) and ob.form
            ]
            arriving = expand(
                incoming,
                start,
                end,
                reported_on=self.reported_on,
                holidays=self.holidays,
                problems=self.problems,
            )
            for deadline in arriving:
                ob = deadline.obligation
                if (ob.programme_code, ob.form, deadline.due) in taken:
                    continue
                item = self.incoming_item(deadline)
                if item is not None:
                    out.append(item)
            out.sort(key=lambda i: i.deadline.sort_key())
        return out

    @without_gc
    def instances(self, office: str, fiscal_year: int) -> list[Instance]:
        """One line per obligation instance of ``office`` (this office, or an LAO under it)
        whose due date falls in the fiscal year: what ``lev status`` prints."""
        start, end = fiscal_year_range(fiscal_year)
        out: list[Instance] = []
        if office == self.office_code:
            for item in self.items(start, end):
                if item.incoming or item.due != item.deadline.due:
                    continue  # later rounds of one instance are reminders, not instances
                out.append(
                    Instance(
                        office,
                        item.obligation,
                        item.period,
                        item.due,
                        item.deadline.start if item.deadline.is_window else None,
                        Judgement(item.state, item.days_left, item.fulfilled_on),
                        item.facts,
                    )
                )
            return out
        lao = self.lao_by_code.get(office)
        if lao is None:
            raise KeyError(office)
        obligations = [
            ob for ob in self.obligations if ob.level == Level.LAO and ob.applies_to(lao.lao_type)
        ]
        stop = {
            ob.code: self._lao_reported_on(lao, ob) for ob in obligations if ob.until_all_reported
        }
        deadlines = expand(
            obligations,
            start,
            end,
            reported_on=lambda ob: stop.get(ob.code),
            holidays=self.holidays,
            problems=self.problems,
        )
        self._preload_for(deadlines)
        for deadline in deadlines:
            ob = deadline.obligation
            due = self.instance_due(deadline)
            if due != deadline.due:
                continue
            if ob.form is not None:
                self.work(ob, deadline.period)
                facts = self.lao_facts(
                    lao, ob, deadline.period, due, self.group(ob, deadline.period)
                )
            else:
                facts = Facts(
                    reporting=ob.reporting,
                    has_form=False,
                    event=ob.rule.get("type") == "event",
                    view="above",
                    applicable=self._applicable(lao.since, ob, due) and ob.applies_to(lao.lao_type),
                    mark=self._mark(lao.code, ob, due),
                )
            out.append(
                Instance(
                    office,
                    ob,
                    deadline.period,
                    due,
                    deadline.start if deadline.is_window else None,
                    self._judge(facts, due),
                    facts,
                )
            )
        return out

    def instance(self, office: str, obligation: Obligation, period: str) -> Instance | None:
        """The instance of ``obligation`` for ``period`` of ``office`` (this office, or an LAO
        under it), judged; None when the obligation has no deadline in that period."""
        due = self.due_of(obligation, period)
        if due is None:
            return None
        if office == self.office_code:
            if self._needs_work(due):
                self.own_work(obligation, period)
            facts = self._own_facts(obligation, period, due)
            judged = self._judge(facts, due)
        else:
            lao = self.lao_by_code.get(office)
            if lao is None or not obligation.applies_to(lao.lao_type):
                return None
            if self._needs_work(due):
                self.work(obligation, period)
            facts, judged = self._judged_in(self._context(obligation, period, due), lao)
        return Instance(office, obligation, period, due, None, judged, facts)

    def due_of(self, obligation: Obligation, period: str) -> dt.date | None:
        """The due date of ``obligation``'s instance for ``period`` (read once per book)."""
        key = (obligation.programme_code, obligation.code, period)
        if key not in self._period_due:
            self._period_due[key] = due_of_period(obligation, period, _period_day(period))
        return self._period_due[key]

    def _context(self, obligation: Obligation, period: str, due: dt.date) -> _LaoContext:
        """``_lao_context``, kept for the book's life (a list of 200 offices × 15 forms asks
        for the same few contexts again and again)."""
        key = (obligation.programme_code, obligation.code, period, due)
        found = self._contexts.get(key)
        if found is None:
            found = self._contexts[key] = self._lao_context(obligation, period, due)
        return found

    def form_obligation(self, programme_id: str, form: str, level: str) -> Obligation | None:
        """The obligation an office of ``level`` fulfils with ``form`` (F1 → P1.LAO.PLAN)."""
        for ob in self.obligations:
            if ob.programme_id == programme_id and ob.form == form and ob.level == level:
                return ob
        return None

    @without_gc
    def form_states(
        self, offices: Iterable[str], programme_id: str, forms: Iterable[str], period: str
    ) -> dict[str, dict[str, Instance]]:
        forms = list(forms)
        out: dict[str, dict[str, Instance]] = {}
        for office in offices:
            level = (
                self.level.value
                if office == self.office_code and self.level is not None
                else Level.LAO.value
            )
            found: dict[str, Instance] = {}
            for form in forms:
                ob = self.form_obligation(programme_id, form, level)
                if ob is None and office == self.office_code:
                    ob = self.form_obligation(programme_id, form, Level.LAO.value)
                instance = self.instance(office, ob, period) if ob is not None else None
                if instance is not None:
                    found[form] = instance
            out[office] = found
        return out

    def _lao_reported_on(self, lao: _Lao, obligation: Obligation) -> dt.date | None:
        period = period_for(obligation, self.today)
        due = due_of_period(obligation, period, self.today) or self.today
        facts = self.lao_facts(lao, obligation, period, due, self.group(obligation, period))
        found = fulfilment(facts)
        return found[1] or self.today if found else None

    def problem_text(self) -> str:
        """One line naming the obligations that could not be read ('' when none)."""
        if not self.problems:
            return ""
        names = sorted({f"{ob.programme_code} {ob.code}".strip() for ob, _reason in self.problems})
        return _(
            "Some deadline rules could not be read and are not shown: {names}. Please "
            "check these programmes."
        ).format(names=", ".join(names))

    def _preload_for(self, deadlines: Iterable[Deadline], *, mine: bool = False) -> None:
        groups = ((d.obligation.programme_id, d.obligation.form or "", d.period) for d in deadlines)
        if mine:
            self._preload_mine(groups)
        else:
            self.preload(groups)

    def find(self, obligation: Obligation | str, programme: str | None = None) -> Obligation:
        if isinstance(obligation, Obligation):
            if obligation.programme_id:
                return obligation
            # read from a template (no programme id): the stored programme's obligation
            programme, obligation = programme or obligation.programme_code, obligation.code
        for ob in self.obligations:
            if ob.code == obligation and (programme is None or ob.programme_code == programme):
                return ob
        raise KeyError(obligation)


# ---- module API ------------------------------------------------------------------------------


def office_deadlines(
    store: Store,
    start: dt.date,
    end: dt.date,
    *,
    office: str | None = None,
    today_: dt.date | None = None,
    soon_days: int | None = None,
) -> list[Item]:
    soon = soon_days if soon_days is not None else reminder_days(store)
    return DeadlineBook(store, office=office, today_=today_, soon_days=soon).items(start, end)


def completeness(
    store: Store,
    obligation: Obligation | Deadline | str,
    due: dt.date | None = None,
    *,
    office: str | None = None,
    programme: str | None = None,
    today_: dt.date | None = None,
) -> list[LaoState]:
    """Per LAO under ``office`` (default: this office): its state for a deadline.

    ``obligation`` is an ``Obligation``, a ``Deadline`` (then ``due`` may be omitted) or an
    obligation code such as ``"P5.DISTRICT.REPORT"`` (``programme`` tells apart copies).
    Which LAOs: those whose reports reach the office (a district: its เทศบาลตำบล and อบต.;
    a province: all in the province) and that the LAO obligation applies to.
    """
    if isinstance(obligation, Deadline):
        due = due or obligation.due
        obligation = obligation.obligation
    if due is None:
        raise ValueError("completeness needs a due date")
    book = DeadlineBook(
        store,
        office=office,
        today_=today_,
        programmes=[programme] if programme else None,
        soon_days=reminder_days(store),
    )
    ob = book.find(obligation, programme)
    states = book.lao_states(ob, due)
    return sorted(states, key=lambda s: (s.district_code or "", s.name))


def completeness_board(
    store: Store,
    start: dt.date,
    end: dt.date,
    *,
    office: str | None = None,
    today_: dt.date | None = None,
) -> list[tuple[Item, list[LaoState]]]:
    """Every deadline in [start, end] that LAOs under the office must meet, with each LAO's
    state — one read for all of them (the consolidation board of a district or province)."""
    book = DeadlineBook(store, office=office, today_=today_, soon_days=reminder_days(store))
    out = []
    for item in book.items(start, end):
        if item.laos is not None and item.laos.total:
            states = book.lao_states(item.obligation, item.due, item.deadline.period)
            out.append((item, sorted(states, key=lambda s: (s.district_code or "", s.name))))
    return out


def month_deadlines(
    store: Store, year: int, month: int, *, office: str | None = None, today_: dt.date | None = None
) -> list[Item]:
    """This office's deadlines of one month (reports print "a month of deadlines")."""
    last = calendar.monthrange(year, month)[1]
    return office_deadlines(
        store, dt.date(year, month, 1), dt.date(year, month, last), office=office, today_=today_
    )


def office_status(
    store: Store,
    office: str | None,
    fiscal_year: int,
    *,
    today_: dt.date | None = None,
    warnings: list[str] | None = None,
) -> list[Instance]:
    """Every obligation instance of ``office`` (default: this one; or an LAO under it) due in
    the fiscal year, with its state and dates (``lev status``); ``warnings`` gets the line
    naming the obligations whose rule could not be read (they are not in the list)."""
    book = DeadlineBook(store, today_=today_, soon_days=reminder_days(store))
    instances = book.instances(office or store.office_code or "", fiscal_year)
    if warnings is not None and book.problems:
        warnings.append(book.problem_text())
    return instances


def form_states(
    store: Store,
    offices: Iterable[str],
    programme_id: str,
    forms: Iterable[str],
    period: str,
    *,
    today_: dt.date | None = None,
) -> dict[str, dict[str, Instance]]:
    """office → form code → the instance of the obligation that form fulfils for ``period``
    (the chips of the F1/F2/F3 and KPI lists). This office's own forms and its LAOs' alike."""
    book = DeadlineBook(
        store, today_=today_, soon_days=reminder_days(store), programmes=[programme_id]
    )
    return book.form_states(offices, programme_id, forms, period)


def reminder_days(store: Store) -> int:
    return max(0, int(options.get(store, "reminder.days")))


def reminders(
    store: Store,
    *,
    today_: dt.date | None = None,
    days: int | None = None,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
    book: DeadlineBook | None = None,
) -> list[Item]:
    """What needs attention: overdue (within the look-back), returned for correction, or due
    within ``days`` (setting reminder.days) — one line per instance (the latest round)."""
    if not store.office_code:
        return []  # not set up yet: nothing is this office's to do
    days = reminder_days(store) if days is None else days
    now = today_ or (book.today if book is not None else today())
    book = book or DeadlineBook(store, today_=now, soon_days=days)
    items = book.items(
        now - dt.timedelta(days=lookback_days), now + dt.timedelta(days=days), work=False
    )
    latest: dict[tuple[str, str, str, bool], Item] = {}
    for item in items:
        if not item.attention:
            continue
        key = (item.obligation.programme_code, item.obligation.code, item.period, item.incoming)
        if key not in latest or item.deadline.due > latest[key].deadline.due:
            latest[key] = item
    # due soon first (nearest first), then the overdue, most recent first
    return sorted(
        latest.values(),
        key=lambda i: (i.state.overdue, abs(i.days_left)),
    )


def badge_count(store: Store, *, today_: dt.date | None = None) -> int:
    return len(reminders(store, today_=today_))


@dataclass(frozen=True)
class Attention:
    """What the badges, Home and the start-up reminder say, decided once: ``items`` (the
    badge's count) are overdue within the look-back, returned, or due soon; ``older_overdue``
    counts the instances still overdue from before the look-back (the calendar lists them;
    Home says so, so that its count and the calendar's never seem to disagree)."""

    items: list[Item]
    older_overdue: int
    since: dt.date  # the first day of the look-back


def attention(
    store: Store,
    *,
    today_: dt.date | None = None,
    days: int | None = None,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
    book: DeadlineBook | None = None,
) -> Attention:
    """``reminders`` and the overdue instances older than the look-back, back to the start of
    the fiscal year before the look-back's (what the calendar's agenda shows for those years)."""
    now = today_ or (book.today if book is not None else today())
    days = reminder_days(store) if days is None else days
    book = book or DeadlineBook(store, today_=now, soon_days=days)
    items = reminders(store, today_=now, days=days, lookback_days=lookback_days, book=book)
    since = now - dt.timedelta(days=lookback_days)
    if not store.office_code:
        return Attention(items, 0, since)
    start = fiscal_year_range(fiscal_year(since) - 1)[0]
    shown = {(i.obligation.programme_code, i.obligation.code, i.period, i.incoming) for i in items}
    older = {
        (i.obligation.programme_code, i.obligation.code, i.period, i.incoming)
        for i in book.items(start, since - dt.timedelta(days=1), work=False)
        if i.state.overdue and i.due < since
    }
    return Attention(items, len(older - shown), since)


def programmes_exist(store: Store) -> bool:
    with store.read() as session:
        return session.scalar(select(Programme.id).limit(1)) is not None


def cli_deadlines(
    store: Store,
    start: dt.date,
    end: dt.date,
    *,
    programme: str | None = None,
    level: str = "all",
    warnings: list[str] | None = None,
) -> list[Deadline]:
    """The deadlines the ``lev deadlines`` command prints."""
    book = DeadlineBook(store, programmes=[programme] if programme else None)
    if not book.programmes and not programmes_exist(store):
        # a database not set up yet: the built-in templates, read in memory (nothing written)

        templates = [t for t in BUILTIN_TEMPLATES if programme in (None, t["code"])]
        book.obligations = [ob for t in templates for ob in obligations_of(t)]
        if programme and not templates:
            raise KeyError(programme)
    elif programme and not book.programmes:
        raise KeyError(programme)
    levels = None if level == "all" else [level]
    deadlines = book.expand(start, end, levels=levels)
    if warnings is not None and book.problems:
        warnings.append(book.problem_text())
    return deadlines


# ---- forms to finish (home screen) ----------------------------------------------------------


@dataclass(frozen=True)
class DraftForm:
    programme_code: str
    programme_name: str
    form_code: str
    form_name: str
    form_kind: str | None
    period: str
    status: str
    updated_at: dt.datetime | None

    @property
    def target(self) -> tuple[str, dict[str, Any]] | None:
        screen = FORM_SCREENS.get(self.form_kind or "")
        if screen is None:
            return None
        return screen, {
            "programme": self.programme_code,
            "form": self.form_code,
            "period": self.period,
        }


def draft_forms(store: Store, office: str | None = None) -> list[DraftForm]:
    """This office's forms still in draft or returned for correction, newest first."""
    office = office or store.office_code
    if not office:
        return []
    with store.read() as session:
        progs = {
            p.id: p for p in session.scalars(select(Programme).where(Programme.deleted.is_(False)))
        }
        rows = session.execute(
            select(
                FormSubmission.programme_id,
                FormSubmission.form_code,
                FormSubmission.period,
                FormSubmission.status,
                FormSubmission.updated_at,
            ).where(
                FormSubmission.owner_office == office,
                FormSubmission.deleted.is_(False),
                FormSubmission.status.in_([FormStatus.DRAFT, FormStatus.RETURNED]),
            )
        ).all()
    out = []
    for pid, form, period, status, updated in rows:
        programme = progs.get(pid)
        if programme is None:
            continue
        spec_form: dict[str, Any] = next(
            (f for f in (programme.spec or {}).get("forms", []) if f["code"] == form), {}
        )
        out.append(
            DraftForm(
                programme.code,
                programme.display_name,
                form,
                spec_form.get("name", form),
                spec_form.get("kind"),
                period,
                status,
                updated,
            )
        )
    out.sort(key=lambda d: d.updated_at or dt.datetime.min, reverse=True)
    return out


__all__ = [
    "DeadlineBook",
    "DraftForm",
    "Instance",
    "Item",
    "LaoState",
    "LaoSummary",
    "MarkError",
    "State",
    "badge_count",
    "cli_deadlines",
    "completeness",
    "completeness_board",
    "draft_forms",
    "get_since",
    "holiday_map",
    "list_holidays",
    "local_day",
    "mark_sent",
    "month_deadlines",
    "office_deadlines",
    "office_status",
    "reminder_days",
    "reminders",
    "remove_holiday",
    "set_holiday",
    "set_since",
    "today",
    "unmark_sent",
]
