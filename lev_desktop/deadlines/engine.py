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

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, select

from lev_desktop.db.models import FormStatus, FormSubmission, Office, Programme
from lev_desktop.db.models_deadlines import Holiday, ObligationMark
from lev_desktop.db.store import Store
from lev_desktop.deadlines.rules import Deadline, Obligation, expand, obligations_of, period_for
from lev_desktop.domain.offices import Level
from lev_desktop.i18n import N_

DONE_STATUSES = (FormStatus.COMPLETE, FormStatus.SENT)
DEFAULT_REMINDER_DAYS = 7
DEFAULT_LOOKBACK_DAYS = 400


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
        from lev_desktop.i18n import _

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
        from lev_desktop.i18n import _

        return _(LAO_STATUS_LABELS[self])


LAO_STATUS_LABELS = {LaoStatus.DONE: N_("Done"), LaoStatus.PENDING: N_("Pending"),
                     LaoStatus.LATE: N_("Late")}

# Which screen edits a form of each kind (ctx.navigate key).
FORM_SCREENS = {
    "action_plan": "plans",
    "results": "activities",
    "monitoring": "activities",
    "province_report": "activities",
    "kpi": "kpi",
    "products": "kpi",
}


@dataclass(frozen=True)
class LaoState:
    """One LAO's state for one deadline."""

    code: str
    name: str
    lao_type: str | None
    district_code: str | None
    state: LaoStatus
    status: str | None          # the FormSubmission status, None when nothing was received
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
        counts = {s: 0 for s in LaoStatus}
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
    incoming: bool = False       # an LAO obligation arriving at this office
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
        return screen, {"programme": ob.programme_code, "form": ob.form,
                        "period": self.deadline.period}


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
        from lev_desktop.i18n import _

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

def mark_sent(store: Store, office: str, obligation_code: str, due: dt.date,
              when: dt.datetime | None = None, *, programme: str = "", by: str | None = None
              ) -> None:
    """Records that ``office`` sent (or did) ``obligation_code`` for ``due``; idempotent.

    The exchange area calls this when it exports a package; the calendar when the officer
    marks something sent by hand. ``programme`` (its code) tells apart programmes copied from
    the same template, whose obligation codes are equal.
    """
    from lev_desktop.db.models import utcnow

    with store.session() as session:
        row = session.scalar(select(ObligationMark).where(
            ObligationMark.office == office, ObligationMark.programme_code == programme,
            ObligationMark.obligation_code == obligation_code, ObligationMark.due == due))
        if row is None:
            session.add(ObligationMark(office=office, programme_code=programme,
                                       obligation_code=obligation_code, due=due,
                                       sent_at=when or utcnow(), by=by or store.officer))
        elif when is not None:
            row.sent_at = when


def unmark_sent(store: Store, office: str, obligation_code: str, due: dt.date, *,
                programme: str = "") -> None:
    with store.session() as session:
        session.execute(delete(ObligationMark).where(
            ObligationMark.office == office, ObligationMark.programme_code == programme,
            ObligationMark.obligation_code == obligation_code, ObligationMark.due == due))


# ---- the book ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Lao:
    code: str
    name: str
    lao_type: str | None
    district_code: str | None


class DeadlineBook:
    """Everything needed to date and judge deadlines for one office, read once."""

    def __init__(self, store: Store, *, office: str | None = None, today_: dt.date | None = None,
                 soon_days: int = DEFAULT_REMINDER_DAYS, programmes: Iterable[str] | None = None,
                 laos: bool = True):
        from lev_desktop.services.offices import get_office, subordinate_laos

        self.store = store
        self.today = today_ or today()
        self.soon_days = soon_days
        self.office_code = office or store.office_code
        me = get_office(store, self.office_code) if self.office_code else None
        self.office: Office | None = me
        self.level = Level(me.level) if me else None
        self.lao_type = me.lao_type if me else None
        with store.read() as session:
            query = select(Programme).where(Programme.deleted.is_(False),
                                            Programme.active.is_(True))
            progs = list(session.scalars(query))
            wanted = set(programmes) if programmes else None
            progs = [p for p in progs if wanted is None or p.code in wanted or p.id in wanted]
            progs.sort(key=lambda p: (not p.builtin, p.code))
            self.programmes = progs
            self.obligations = [ob for p in progs for ob in obligations_of(p)]
            self.holidays = {row.day: row.name for row in session.scalars(select(Holiday))}
            marks = session.execute(select(
                ObligationMark.programme_code, ObligationMark.obligation_code,
                ObligationMark.due, ObligationMark.sent_at).where(
                ObligationMark.office == (self.office_code or ""))).all()
        self.marks: dict[tuple[str, str], dict[dt.date, dt.datetime]] = defaultdict(dict)
        for prog, code, due, sent_at in marks:
            self.marks[(prog, code)][due] = sent_at
        self.laos: list[_Lao] = []
        if laos and (me is None or me.level != Level.LAO):
            self.laos = [_Lao(o.code, o.name, o.lao_type, o.district_code)
                         for o in subordinate_laos(store, self.office_code)]
        owners = {lao.code for lao in self.laos}
        if self.office_code:
            owners.add(self.office_code)
        self.forms = self._load_forms(owners)
        self._by_form: dict[tuple[str, str], list[Obligation]] = defaultdict(list)
        for ob in self.obligations:
            if ob.form:
                self._by_form[(ob.programme_code, ob.form)].append(ob)

    def _load_forms(self, owners: set[str]) -> dict[tuple, tuple[str, dt.date]]:
        """(owner, programme id, form, period) → (status, day reported)."""
        pids = [p.id for p in self.programmes]
        out: dict[tuple, tuple[str, dt.date]] = {}
        if not pids or not owners:
            return out
        columns = (FormSubmission.owner_office, FormSubmission.programme_id,
                   FormSubmission.form_code, FormSubmission.period, FormSubmission.status,
                   FormSubmission.completed_at, FormSubmission.sent_at, FormSubmission.updated_at)
        query = select(*columns).where(FormSubmission.deleted.is_(False),
                                       FormSubmission.programme_id.in_(pids))
        if len(owners) < 500:
            query = query.where(FormSubmission.owner_office.in_(sorted(owners)))
        with self.store.read() as session:
            for owner, pid, form, period, status, completed, sent, updated in session.execute(query):
                if owner not in owners:
                    continue
                when = sent or completed or updated
                out[(owner, pid, form, period)] = (status, when.date() if when else None)
        return out

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
        return [lao for lao in self.laos if lao_ob.applies_to(lao.lao_type)]

    def lao_states(self, obligation: Obligation, due: dt.date, period: str | None = None
                   ) -> list[LaoState]:
        if obligation.form is None:
            return []
        period = period_for(obligation, due) if period is None else period
        out = []
        for lao in self.laos_for(obligation):
            found = self.forms.get((lao.code, obligation.programme_id, obligation.form, period))
            status, reported = found if found else (None, None)
            if status in DONE_STATUSES:
                state = LaoStatus.DONE
            elif due < self.today:
                state = LaoStatus.LATE
            else:
                state = LaoStatus.PENDING
            out.append(LaoState(lao.code, lao.name, lao.lao_type, lao.district_code, state,
                                status, reported))
        return out

    def _summary(self, obligation: Obligation, due: dt.date, period: str) -> LaoSummary:
        """Counts without building LaoState objects (the month view of the whole country)."""
        done = 0
        laos = self.laos_for(obligation)
        for lao in laos:
            found = self.forms.get((lao.code, obligation.programme_id, obligation.form, period))
            if found and found[0] in DONE_STATUSES:
                done += 1
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
            found = self.forms.get((self.office_code, obligation.programme_id,
                                    obligation.form, period))
            return found[1] if found and found[0] in DONE_STATUSES else None
        days = []
        for lao in self.laos_for(obligation):
            found = self.forms.get((lao.code, obligation.programme_id, obligation.form, period))
            if not found or found[0] not in DONE_STATUSES:
                return None
            days.append(found[1] or self.today)
        return max(days) if days else None

    # ---- deadlines ---------------------------------------------------------------------
    def expand(self, start: dt.date, end: dt.date, levels: Iterable[str] | None = None,
               lao_type: str | None = None) -> list[Deadline]:
        return expand(self.obligations, start, end, levels=levels, lao_type=lao_type,
                      reported_on=self.reported_on, holidays=self.holidays)

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
        marks = {**self.marks.get(("", ob.code), {}),
                 **self.marks.get((ob.programme_code, ob.code), {})}
        return deadline.due in marks or any(
            later >= deadline.due and period_for(ob, later) == deadline.period for later in marks)

    def item(self, deadline: Deadline) -> Item:
        ob = deadline.obligation
        marked = self.marked(deadline)
        status = None
        if ob.form is not None and self.office_code:
            found = self.forms.get((self.office_code, ob.programme_id, ob.form, deadline.period))
            status = found[0] if found else None
        form_done = (ob.form is None and marked) or status in DONE_STATUSES
        summary = None
        if (self.level not in (None, Level.LAO) and ob.form is not None and self.laos
                and self.lao_obligation(ob) is not None):
            # A district or province compiles what its LAOs fill in.
            summary = self._summary(ob, deadline.due, deadline.period)
            if summary.total and summary.done == summary.total:
                form_done = True
        sent = not ob.reporting or status == FormStatus.SENT or marked
        done = (form_done and sent) or marked
        state, days_left = self._state(done, deadline)
        return Item(deadline, state, days_left, form_done, sent, marked, laos=summary,
                    form_status=status)

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
            return [self.item(d) for d in self.expand(start, end)]
        own = self.expand(start, end, levels=[self.level], lao_type=self.lao_type)
        out = [self.item(d) for d in own]
        if self.level != Level.LAO:
            taken = {(d.obligation.programme_code, d.obligation.form, d.due) for d in own}
            incoming = [ob for ob in self.obligations
                        if ob.level == Level.LAO and ob.reaches(self.level) and ob.form]
            for deadline in expand(incoming, start, end, reported_on=self.reported_on,
                                   holidays=self.holidays):
                ob = deadline.obligation
                if (ob.programme_code, ob.form, deadline.due) in taken:
                    continue
                item = self.incoming_item(deadline)
                if item is not None:
                    out.append(item)
            out.sort(key=lambda i: i.deadline.sort_key())
        return out

    def find(self, obligation: Obligation | str, programme: str | None = None) -> Obligation:
        if isinstance(obligation, Obligation):
            return obligation
        for ob in self.obligations:
            if ob.code == obligation and (programme is None or ob.programme_code == programme):
                return ob
        raise KeyError(obligation)


# ---- module API ------------------------------------------------------------------------------

def office_deadlines(store: Store, start: dt.date, end: dt.date, *, office: str | None = None,
                     today_: dt.date | None = None, soon_days: int | None = None) -> list[Item]:
    soon = soon_days if soon_days is not None else reminder_days(store)
    return DeadlineBook(store, office=office, today_=today_, soon_days=soon).items(start, end)


def completeness(store: Store, obligation: Obligation | Deadline | str,
                 due: dt.date | None = None, *, office: str | None = None,
                 programme: str | None = None, today_: dt.date | None = None) -> list[LaoState]:
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
    book = DeadlineBook(store, office=office, today_=today_,
                        programmes=[programme] if programme else None)
    ob = book.find(obligation, programme)
    states = book.lao_states(ob, due)
    return sorted(states, key=lambda s: (s.district_code or "", s.name))


def reminder_days(store: Store) -> int:
    value = store.get_setting("reminder.days", DEFAULT_REMINDER_DAYS)
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return DEFAULT_REMINDER_DAYS


def reminders(store: Store, *, today_: dt.date | None = None, days: int | None = None,
              lookback_days: int = DEFAULT_LOOKBACK_DAYS) -> list[Item]:
    """What is overdue (within the look-back) or due within ``days`` (setting reminder.days)."""
    days = reminder_days(store) if days is None else days
    now = today_ or today()
    book = DeadlineBook(store, today_=now, soon_days=days)
    items = book.items(now - dt.timedelta(days=lookback_days), now + dt.timedelta(days=days))
    return [i for i in items if i.attention]


def badge_count(store: Store, *, today_: dt.date | None = None) -> int:
    return len(reminders(store, today_=today_))


def cli_deadlines(store: Store, start: dt.date, end: dt.date, *, programme: str | None = None,
                  level: str = "all") -> list[Deadline]:
    """The deadlines the ``lev deadlines`` command prints."""
    book = DeadlineBook(store, programmes=[programme] if programme else None)
    if programme and not book.programmes:
        raise KeyError(programme)
    levels = None if level == "all" else [level]
    return book.expand(start, end, levels=levels)


__all__ = [
    "DeadlineBook", "Item", "LaoState", "LaoStatus", "LaoSummary", "State", "badge_count",
    "cli_deadlines", "completeness", "holiday_map", "list_holidays", "mark_sent",
    "office_deadlines", "reminder_days", "reminders", "remove_holiday", "set_holiday",
    "today", "unmark_sent",
]
