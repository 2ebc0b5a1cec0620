"""Deadlines of an office, their state, and per-LAO completeness (Qt-free).

``DeadlineBook`` reads what it needs once (this office, the programmes, the LAOs under the
office, form states, sent marks, holidays) and then answers in memory, so a month view for
the whole country is a handful of queries. The module functions below are the stable API
other areas call:

- ``office_deadlines(store, start, end)`` → ``list[Item]`` (the calendar, agenda, home);
- ``completeness(store, obligation, due)`` → ``list[LaoState]`` (the consolidation board);
- ``mark_sent(store, office, obligation_code, due, when)`` (exchange, after an export);
- ``reminders(store)`` / ``badge_count(store)`` (the start-up reminder and the badges).

When is an obligation *done*? When the form it needs is complete (``FormSubmission`` status
complete or sent for that form and period — at a district or province, also when every LAO
under it has completed the LAO form it compiles) and, for a reporting obligation, when it
was sent (status sent, or a sent mark for that due date or a later round of the same
period). A sent mark also stands on its own: the officer says it went (on paper, by e-mail).
An obligation without a form is done when it is marked.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import DateTime, and_, delete, func, or_, select, type_coerce

from db.models import FormStatus, FormSubmission, Office, Programme, utcnow
from db.models_deadlines import Holiday, ObligationMark
from db.store import Store
from lev_desktop import options
from lev_desktop.deadlines.rules import Deadline, Obligation, expand, obligations_of, period_for
from lev_desktop.domain.offices import LaoType, Level
from lev_desktop.domain.templates import BUILTIN_TEMPLATES
from lev_desktop.i18n import N_, _

DONE_STATUSES = (FormStatus.COMPLETE, FormStatus.SENT)
DEFAULT_REMINDER_DAYS: int = options.default("reminder.days")
DEFAULT_LOOKBACK_DAYS = 90  # reminders and badges: what went overdue in the last 3 months


def today() -> dt.date:
    """Today; ``LEV_TODAY=YYYY-MM-DD`` pins it (demos, screenshots, support)."""
    pinned = os.environ.get("LEV_TODAY")
    if pinned:
        return dt.date.fromisoformat(pinned)
    return dt.date.today()


class State(StrEnum):
    DONE = "done"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    UPCOMING = "upcoming"

    @property
    def label(self) -> str:
        return _(STATE_LABELS[self])


STATE_LABELS = {
    State.DONE: N_("Done"),
    State.OVERDUE: N_("Overdue"),
    State.DUE_SOON: N_("Due soon"),
    State.UPCOMING: N_("Upcoming"),
}


class LaoStatus(StrEnum):
    DONE = "done"
    PENDING = "pending"
    LATE = "late"

    @property
    def label(self) -> str:
        return _(LAO_STATUS_LABELS[self])


LAO_STATUS_LABELS = {
    LaoStatus.DONE: N_("Done"),
    LaoStatus.PENDING: N_("Pending"),
    LaoStatus.LATE: N_("Late"),
}

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
    """One LAO's state for one deadline (a tuple: the nation has 7,850 per deadline)."""

    code: str
    name: str
    lao_type: str | None
    district_code: str | None
    state: LaoStatus
    status: str | None  # the FormSubmission status, None when nothing was received
    reported_on: dt.date | None


@dataclass(frozen=True)
class LaoSummary:
    done: int
    pending: int
    late: int

    @property
    def total(self) -> int:
        return self.done + self.pending + self.late

    @classmethod
    def of(cls, states: Iterable[LaoState]) -> LaoSummary:
        counts = dict.fromkeys(LaoStatus, 0)
        for state in states:
            counts[state.state] += 1
        return cls(counts[LaoStatus.DONE], counts[LaoStatus.PENDING], counts[LaoStatus.LATE])


@dataclass(frozen=True)
class Item:
    """A deadline as this office sees it."""

    deadline: Deadline
    state: State
    days_left: int
    form_done: bool
    sent: bool
    marked: bool
    incoming: bool = False  # an LAO obligation arriving at this office
    laos: LaoSummary | None = None
    form_status: str | None = None

    @property
    def obligation(self) -> Obligation:
        return self.deadline.obligation

    @property
    def due(self) -> dt.date:
        return self.deadline.due

    @property
    def attention(self) -> bool:
        return self.state in (State.OVERDUE, State.DUE_SOON)

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


# ---- sent marks ---------------------------------------------------------------------------


def mark_sent(
    store: Store,
    office: str,
    obligation_code: str,
    due: dt.date,
    when: dt.datetime | None = None,
    *,
    programme: str = "",
    by: str | None = None,
) -> None:
    """Records that ``office`` sent (or did) ``obligation_code`` for ``due``; idempotent.

    The exchange area calls this when it exports a package; the calendar when the officer
    marks something sent by hand. ``programme`` (its code) tells apart programmes copied from
    the same template, whose obligation codes are equal.
    """
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
            session.add(
                ObligationMark(
                    office=office,
                    programme_code=programme,
                    obligation_code=obligation_code,
                    due=due,
                    sent_at=when or utcnow(),
                    by=by or store.officer,
                )
            )
        elif when is not None:
            row.sent_at = when


def unmark_sent(
    store: Store, office: str, obligation_code: str, due: dt.date, *, programme: str = ""
) -> None:
    with store.session() as session:
        session.execute(
            delete(ObligationMark).where(
                ObligationMark.office == office,
                ObligationMark.programme_code == programme,
                ObligationMark.obligation_code == obligation_code,
                ObligationMark.due == due,
            )
        )


# ---- the book ------------------------------------------------------------------------------


class _Lao(NamedTuple):
    code: str
    name: str
    lao_type: str | None
    district_code: str | None


class DeadlineBook:
    """Everything needed to date and judge deadlines for one office, read once."""

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
        from lev_desktop.services.offices import get_office  # noqa: PLC0415 - cycle (issue 9)

        self.store = store
        self.today = today_ or today()
        self.soon_days = soon_days
        self.office_code = office or store.office_code
        me = get_office(store, self.office_code) if self.office_code else None
        self.office: Office | None = me
        self.level = Level(me.level) if me else None
        self.lao_type = me.lao_type if me else None
        with store.read() as session:
            query = select(Programme).where(
                Programme.deleted.is_(False), Programme.active.is_(True)
            )
            progs = list(session.scalars(query))
            wanted = set(programmes) if programmes else None
            progs = [p for p in progs if wanted is None or p.code in wanted or p.id in wanted]
            progs.sort(key=lambda p: (not p.builtin, p.code))
            self.programmes = progs
            # obligations whose rule could not be read (edited templates): shown, not fatal
            self.problems: list[tuple[Obligation, str]] = []
            self.obligations: list[Obligation] = []
            for programme in progs:
                try:
                    self.obligations += obligations_of(programme)
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    self.problems.append(
                        (
                            Obligation(programme.code, "?", Level.LAO.value, "", {}),
                            f"{type(exc).__name__}: {exc}",
                        )
                    )
            self.holidays = {row.day: row.name for row in session.scalars(select(Holiday))}
            marks = session.execute(
                select(
                    ObligationMark.programme_code,
                    ObligationMark.obligation_code,
                    ObligationMark.due,
                    ObligationMark.sent_at,
                ).where(ObligationMark.office == (self.office_code or ""))
            ).all()
        self.marks: dict[tuple[str, str], dict[dt.date, dt.datetime]] = defaultdict(dict)
        for prog, code, due, sent_at in marks:
            self.marks[(prog, code)][due] = sent_at
        self.laos: list[_Lao] = []
        if laos and (me is None or me.level != Level.LAO):
            self.laos = self._subordinate_laos(me)
        self.owners = {lao.code for lao in self.laos}
        if self.office_code:
            self.owners.add(self.office_code)
        # (owner, programme id, form, period) → (status, day reported); read per
        # (programme, form, period) group when first needed, so a month of the whole country
        # reads only the form states of that month's deadlines.
        self._groups: dict[tuple[str, str, str], dict[str, tuple[str, dt.date | None]]] = (
            defaultdict(dict)
        )
        self._lao_cache: dict[tuple[str, str], list[_Lao]] = {}
        self._loaded: set[tuple[str, str, str]] = set()
        self._by_form: dict[tuple[str, str], list[Obligation]] = defaultdict(list)
        for ob in self.obligations:
            if ob.form:
                self._by_form[(ob.programme_code, ob.form)].append(ob)

    def _subordinate_laos(self, me: Office | None) -> list[_Lao]:
        """``services.offices.subordinate_laos`` read with one plain query (the national
        list has 7,850 LAOs; loading them as ORM objects took a second). Same rule: a
        district gets its เทศบาลตำบล and อบต.; a province every LAO of the province; the
        nation all (a test keeps the two equal)."""
        columns = (
            Office.code,
            Office.name,
            Office.lao_type,
            Office.district_code,
            Office.province_code,
        )
        with self.store.read() as session:
            rows = list(
                session.execute(
                    select(*columns).where(
                        Office.level == Level.LAO.value, Office.deleted.is_(False)
                    )
                ).all()
            )
        if me is not None and me.level == Level.PROVINCE:
            rows = [r for r in rows if r.province_code == me.province_code]
        elif me is not None and me.level == Level.DISTRICT:
            rows = [
                r
                for r in rows
                if r.district_code == me.district_code
                and (r.lao_type is None or LaoType(r.lao_type).reports_via_district)
            ]
        rows.sort(key=lambda r: (r.district_code or "", r.name))
        return [_Lao(r.code, r.name, r.lao_type, r.district_code) for r in rows]

    def preload(self, groups: Iterable[tuple[str, str, str]]) -> None:
        """Reads the form states of (programme id, form, period) groups not read yet."""
        wanted = sorted({g for g in groups if g[1] and g not in self._loaded})
        if not wanted or not self.owners:
            return
        self._loaded.update(wanted)
        when = type_coerce(
            func.coalesce(
                FormSubmission.sent_at, FormSubmission.completed_at, FormSubmission.updated_at
            ),
            DateTime,
        )
        columns = (
            FormSubmission.owner_office,
            FormSubmission.programme_id,
            FormSubmission.form_code,
            FormSubmission.period,
            FormSubmission.status,
            when,
        )
        owners = self.owners
        with self.store.read() as session:
            for chunk in range(0, len(wanted), 50):
                part = wanted[chunk : chunk + 50]
                query = select(*columns).where(
                    FormSubmission.deleted.is_(False),
                    or_(
                        *(
                            and_(
                                FormSubmission.programme_id == pid,
                                FormSubmission.form_code == form,
                                FormSubmission.period == period,
                            )
                            for pid, form, period in part
                        )
                    ),
                )
                if len(owners) < 500:
                    query = query.where(FormSubmission.owner_office.in_(sorted(owners)))
                for owner, pid, form, period, status, at in session.execute(query):
                    if owner in owners:
                        self._groups[(pid, form, period)][owner] = (
                            status,
                            at.date() if at else None,
                        )

    @property
    def forms(self) -> dict[tuple[str, str, str, str], tuple[str, dt.date | None]]:
        """Every form state read so far: (owner, programme id, form, period) → state."""
        return {
            (owner, *group): state
            for group, states in self._groups.items()
            for owner, state in states.items()
        }

    def group(self, obligation: Obligation, period: str) -> dict[str, tuple[str, dt.date | None]]:
        """Owner → (status, day reported) of the form ``obligation`` needs for ``period``."""
        key = (obligation.programme_id, obligation.form or "", period)
        if key not in self._loaded:
            self.preload([key])
        return self._groups.get(key, {})

    def form_state(
        self, owner: str, obligation: Obligation, period: str
    ) -> tuple[str, dt.date | None] | None:
        return self.group(obligation, period).get(owner)

    # ---- per-LAO ----------------------------------------------------------------------
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
            self._lao_cache[key] = [lao for lao in self.laos if lao_ob.applies_to(lao.lao_type)]
        return self._lao_cache[key]

    def lao_states(
        self, obligation: Obligation, due: dt.date, period: str | None = None
    ) -> list[LaoState]:
        if obligation.form is None:
            return []
        period = period_for(obligation, due) if period is None else period
        out = []
        states = self.group(obligation, period)
        nothing = (None, None)
        for lao in self.laos_for(obligation):
            status, reported = states.get(lao.code, nothing)
            if status in DONE_STATUSES:
                state = LaoStatus.DONE
            elif due < self.today:
                state = LaoStatus.LATE
            else:
                state = LaoStatus.PENDING
            out.append(
                LaoState(
                    lao.code, lao.name, lao.lao_type, lao.district_code, state, status, reported
                )
            )
        return out

    def _summary(self, obligation: Obligation, due: dt.date, period: str) -> LaoSummary:
        """Counts without building LaoState objects (the month view of the whole country)."""
        laos = self.laos_for(obligation)
        states = self.group(obligation, period)
        nothing = ("", None)
        done = sum(1 for lao in laos if states.get(lao.code, nothing)[0] in DONE_STATUSES)
        rest = len(laos) - done
        return LaoSummary(done, 0 if due < self.today else rest, rest if due < self.today else 0)

    def reported_on(self, obligation: Obligation) -> dt.date | None:
        """For "until every LAO has reported": the day the last one reported (None: not yet)."""
        if obligation.form is None:
            return None
        period = period_for(obligation, self.today)
        if self.level == Level.LAO or not self.laos:
            if not self.office_code:
                return None
            found = self.form_state(self.office_code, obligation, period)
            return found[1] if found and found[0] in DONE_STATUSES else None
        days = []
        states = self.group(obligation, period)
        for lao in self.laos_for(obligation):
            found = states.get(lao.code)
            if not found or found[0] not in DONE_STATUSES:
                return None
            days.append(found[1] or self.today)
        return max(days) if days else None

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

    def _state(self, done: bool, deadline: Deadline) -> tuple[State, int]:
        days_left = (deadline.due - self.today).days
        if done:
            return State.DONE, days_left
        if days_left < 0:
            return State.OVERDUE, days_left
        if days_left <= self.soon_days:
            return State.DUE_SOON, days_left
        return State.UPCOMING, days_left

    def marked(self, deadline: Deadline) -> bool:
        """Marked sent for this due date, or for a later round of the same period."""
        ob = deadline.obligation
        marks = {
            **self.marks.get(("", ob.code), {}),
            **self.marks.get((ob.programme_code, ob.code), {}),
        }
        return deadline.due in marks or any(
            later >= deadline.due and period_for(ob, later) == deadline.period for later in marks
        )

    def item(self, deadline: Deadline) -> Item:
        ob = deadline.obligation
        marked = self.marked(deadline)
        status = None
        if ob.form is not None and self.office_code:
            found = self.form_state(self.office_code, ob, deadline.period)
            status = found[0] if found else None
        form_done = (ob.form is None and marked) or status in DONE_STATUSES
        summary = None
        if (
            self.level not in (None, Level.LAO)
            and ob.form is not None
            and self.laos
            and self.lao_obligation(ob) is not None
        ):
            # A district or province compiles what its LAOs fill in.
            summary = self._summary(ob, deadline.due, deadline.period)
            if summary.total and summary.done == summary.total:
                form_done = True
        sent = not ob.reporting or status == FormStatus.SENT or marked
        done = (form_done and sent) or marked
        if ob.form is None and ob.rule.get("type") == "event" and deadline.due < self.today:
            done = True  # a meeting that took place: nothing left to send

        state, days_left = self._state(done, deadline)
        return Item(
            deadline, state, days_left, form_done, sent, marked, laos=summary, form_status=status
        )

    def incoming_item(self, deadline: Deadline) -> Item | None:
        summary = self._summary(deadline.obligation, deadline.due, deadline.period)
        if not summary.total:
            return None
        done = summary.done == summary.total
        state, days_left = self._state(done, deadline)
        return Item(deadline, state, days_left, done, done, False, incoming=True, laos=summary)

    def items(self, start: dt.date, end: dt.date) -> list[Item]:
        """Every deadline of this office in [start, end] (an office-less database: all levels)."""
        if self.level is None:
            deadlines = self.expand(start, end)
            self._preload_for(deadlines)
            return [self.item(d) for d in deadlines]
        own = self.expand(start, end, levels=[self.level], lao_type=self.lao_type)
        self._preload_for(own)
        out = [self.item(d) for d in own]
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
            self._preload_for(arriving)
            for deadline in arriving:
                ob = deadline.obligation
                if (ob.programme_code, ob.form, deadline.due) in taken:
                    continue
                item = self.incoming_item(deadline)
                if item is not None:
                    out.append(item)
            out.sort(key=lambda i: i.deadline.sort_key())
        return out

    def problem_text(self) -> str:
        """One line naming the obligations that could not be read ('' when none)."""
        if not self.problems:
            return ""
        names = sorted({f"{ob.programme_code} {ob.code}".strip() for ob, _reason in self.problems})
        return _(
            "Some deadline rules could not be read and are not shown: {names}. Please "
            "check these programmes."
        ).format(names=", ".join(names))

    def _preload_for(self, deadlines: Iterable[Deadline]) -> None:
        self.preload(
            (d.obligation.programme_id, d.obligation.form or "", d.period) for d in deadlines
        )

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
    """Per LAO under ``office`` (default: this office): done, pending or late for a deadline.

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
        store, office=office, today_=today_, programmes=[programme] if programme else None
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
    book = DeadlineBook(store, office=office, today_=today_)
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


def reminder_days(store: Store) -> int:
    return max(0, int(options.get(store, "reminder.days")))


def reminders(
    store: Store,
    *,
    today_: dt.date | None = None,
    days: int | None = None,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
) -> list[Item]:
    """What is overdue (within the look-back) or due within ``days`` (setting reminder.days)."""
    if not store.office_code:
        return []  # not set up yet: nothing is this office's to do
    days = reminder_days(store) if days is None else days
    now = today_ or today()
    book = DeadlineBook(store, today_=now, soon_days=days)
    items = book.items(now - dt.timedelta(days=lookback_days), now + dt.timedelta(days=days))
    # due soon first (nearest first), then the overdue, most recent first
    return sorted(
        (i for i in items if i.attention),
        key=lambda i: (i.state == State.OVERDUE, abs(i.days_left)),
    )


def badge_count(store: Store, *, today_: dt.date | None = None) -> int:
    return len(reminders(store, today_=today_))


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


__all__ = [
    "DeadlineBook",
    "Item",
    "LaoState",
    "LaoStatus",
    "LaoSummary",
    "State",
    "badge_count",
    "cli_deadlines",
    "completeness",
    "completeness_board",
    "draft_forms",
    "holiday_map",
    "list_holidays",
    "mark_sent",
    "month_deadlines",
    "office_deadlines",
    "reminder_days",
    "reminders",
    "remove_holiday",
    "set_holiday",
    "today",
    "unmark_sent",
]


# ---- forms in draft (home screen) -----------------------------------------------------------


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
                programme.short_name or programme.name,
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
