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

import datetime as dt
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import and_, delete, or_, select

from db.models import (
    Activity,
    AuditEntry,
    FormSubmission,
    KpiValue,
    Monitoring,
    Office,
    Plan,
    PlanItem,
    Programme,
    Review,
)
from db.models_deadlines import FormDelivery, Holiday, ObligationMark, OfficeSince
from db.store import Store
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
from lev_desktop.domain.obligation_state import Facts, Judgement, Mark, State, fulfilment, judge
from lev_desktop.domain.offices import LaoType, Level
from lev_desktop.i18n import _

DEFAULT_REMINDER_DAYS = 7
DEFAULT_LOOKBACK_DAYS = 90  # reminders and badges: what went overdue in the last 3 months


def today() -> dt.date:
    """Today; ``LEV_TODAY=YYYY-MM-DD`` pins it (demos, screenshots, support)."""
    pinned = os.environ.get("LEV_TODAY")
    if pinned:
        return dt.date.fromisoformat(pinned)
    return dt.date.today()


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
    """How the LAOs concerned by a deadline stand (counts of the one state)."""

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
        return self.counts.get(State.OVERDUE, 0)

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
    due: dt.date | None = None  # the instance's due date (a later round keeps the first)

    def __post_init__(self) -> None:
        if self.due is None:
            object.__setattr__(self, "due", self.deadline.due)

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


@dataclass
class _Group:
    """The facts of one (programme id, form, period), per owner."""

    own: dict[str, _OwnerFacts] = field(default_factory=dict)  # seen by the owner itself
    above: dict[str, _OwnerFacts] = field(default_factory=dict)  # seen from an office above
    relayed: dict[str, dt.date] = field(default_factory=dict)  # LAO form → first sent up
    work: set[str] | None = None  # owners with rows, dates or values (read when needed)


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


class DeadlineBook:
    """Everything needed to date and judge the obligations of one office, read once."""

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
            self.since = {
                code: day
                for code, day in session.execute(select(OfficeSince.office_code, OfficeSince.since))
            }
        self.laos: list[_Lao] = []
        if laos and (me is None or me.level != Level.LAO):
            self.laos = self._subordinate_laos(me)
        self.lao_by_code = {lao.code: lao for lao in self.laos}
        self.owners = {lao.code for lao in self.laos}
        if self.office_code:
            self.owners.add(self.office_code)
        self._groups: dict[tuple[str, str, str], _Group] = {}
        self._lao_cache: dict[tuple[str, str], list[_Lao]] = {}
        self._by_form: dict[tuple[str, str], list[Obligation]] = defaultdict(list)
        for ob in self.obligations:
            if ob.form:
                self._by_form[(ob.programme_code, ob.form)].append(ob)
        self._first_due: dict[tuple[str, str, str], dt.date] = {}
        self._judged: dict[tuple[Facts, dt.date], Judgement] = {}

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
            rows = session.execute(
                select(*columns).where(Office.level == Level.LAO.value, Office.deleted.is_(False))
            ).all()
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
        since = self.since
        return [_Lao(r.code, r.name, r.lao_type, r.district_code, since.get(r.code)) for r in rows]

    # ---- facts -------------------------------------------------------------------------
    def preload(self, groups: Iterable[tuple[str, str, str]]) -> None:
        """Reads the facts of the (programme id, form, period) groups not read yet."""
        wanted = sorted({g for g in groups if g[1] and g not in self._groups})
        if not wanted:
            return
        for key in wanted:
            self._groups[key] = _Group()
        if not self.owners:
            return
        me = self.office_code
        owners = self.owners
        few = len(owners) < 500
        with self.store.read() as session:
            for chunk in range(0, len(wanted), 50):
                part = wanted[chunk : chunk + 50]

                def where(model: Any, part: list[tuple[str, str, str]] = part) -> Any:
                    return or_(
                        *(
                            and_(
                                model.programme_id == pid,
                                model.form_code == form,
                                model.period == period,
                            )
                            for pid, form, period in part
                        )
                    )

                forms: dict[tuple[str, str, str], dict[str, tuple]] = defaultdict(dict)
                query = select(
                    FormSubmission.owner_office,
                    FormSubmission.programme_id,
                    FormSubmission.form_code,
                    FormSubmission.period,
                    FormSubmission.status,
                    FormSubmission.completed_at,
                    FormSubmission.sent_at,
                    FormSubmission.updated_at,
                    FormSubmission.id,
                ).where(FormSubmission.deleted.is_(False), where(FormSubmission))
                if few:
                    query = query.where(FormSubmission.owner_office.in_(sorted(owners)))
                submissions: dict[str, tuple[tuple[str, str, str], str]] = {}
                for owner, pid, form, period, status, done, sent, updated, sid in session.execute(
                    query
                ):
                    if owner in owners:
                        forms[(pid, form, period)][owner] = (status, done, sent, updated)
                        submissions[sid] = ((pid, form, period), owner)
                # returns for correction: F1/F2/F3 reviews point at (programme, year, form),
                # indicator-form reviews at the FormSubmission
                returns: dict[tuple[tuple[str, str, str], str], dt.datetime] = {}
                plan_targets = {
                    reviews.plan_forms_target(pid, int(period[2:])): (pid, period)
                    for pid, _form, period in part
                    if period.startswith("FY") and period[2:].isdigit()
                }
                review_query = select(
                    Review.target_office,
                    Review.target_kind,
                    Review.target_id,
                    Review.updated_at,
                ).where(
                    Review.action == reviews.RETURNED,
                    Review.deleted.is_(False),
                    or_(
                        Review.target_id.in_(list(plan_targets)),
                        and_(
                            Review.target_kind == reviews.SUBMISSION_KIND,
                            Review.target_id.in_(list(submissions)),
                        )
                        if submissions and len(submissions) < 900
                        else Review.target_kind == reviews.SUBMISSION_KIND,
                    ),
                )
                for target_office, kind, target_id, at in session.execute(review_query):
                    if target_id in plan_targets:
                        pid, period = plan_targets[target_id]
                        key = ((pid, kind, period), target_office)
                    elif target_id in submissions:
                        key = submissions[target_id]
                    else:
                        continue
                    if at is not None and (key not in returns or at > returns[key]):
                        returns[key] = at
                deliveries: dict[tuple[str, str, str], dict[str, list]] = defaultdict(dict)
                relays: dict[tuple[str, str, str], dict[str, dt.date]] = defaultdict(dict)
                query = select(
                    FormDelivery.direction,
                    FormDelivery.owner_office,
                    FormDelivery.programme_id,
                    FormDelivery.form_code,
                    FormDelivery.period,
                    FormDelivery.sent_at,
                    FormDelivery.received_at,
                ).where(where(FormDelivery))
                if few:
                    query = query.where(FormDelivery.owner_office.in_(sorted(owners)))
                for direction, owner, pid, form, period, sent_at, received_at in session.execute(
                    query
                ):
                    if owner not in owners:
                        continue
                    key3 = (pid, form, period)
                    sent_day = local_day(sent_at)
                    if direction == "sent":
                        target = relays[key3] if owner != me else None
                        if target is not None:
                            if sent_day and (owner not in target or sent_day < target[owner]):
                                target[owner] = sent_day
                            continue
                    found = deliveries[key3].setdefault(owner, [direction, None, None])
                    if sent_day and (found[1] is None or sent_day < found[1]):
                        found[1] = sent_day
                    received_day = local_day(received_at)
                    if received_day and (found[2] is None or received_day < found[2]):
                        found[2] = received_day
                for key in part:
                    group = self._groups[key]
                    group.relayed = relays.get(key, {})
                    delivered = deliveries.get(key, {})
                    for owner in (
                        forms.get(key, {}).keys()
                        | delivered.keys()
                        | {o for (k, o) in returns if k == key}
                    ):
                        status, done, sent_at, updated = forms.get(key, {}).get(
                            owner, (None, None, None, None)
                        )
                        last_return = returns.get((key, owner))
                        returned = last_return is not None and (
                            updated is None or last_return >= updated
                        )
                        if status == FormStatus.RETURNED:
                            returned = True
                        delivery = delivered.get(owner)
                        if delivery and status is not None and status not in FormStatus.FINISHED:
                            delivery = None  # reopened since: the version here is a draft
                        completed_on = local_day(done)
                        if owner == me:
                            # Sent: a package to the office above carried it. A form stored as
                            # "sent" by an earlier version keeps that fact.
                            sent_on = delivery[1] if delivery else None
                            legacy = status == FormStatus.SENT
                            group.own[owner] = _OwnerFacts(
                                status,
                                completed_on,
                                returned,
                                sent_on or (local_day(sent_at) if legacy else None),
                                bool(delivery) or legacy,
                            )
                        else:
                            # Received here: an import recorded it. A complete form of
                            # another office that is here without that record came by an
                            # import of an earlier version: made on its own last date.
                            received = bool(delivery) or status in FormStatus.FINISHED
                            if delivery:
                                made = delivery[1]
                            elif received:
                                made = local_day(sent_at or done or updated)
                            else:
                                made = None
                            group.above[owner] = _OwnerFacts(
                                status,
                                completed_on,
                                returned,
                                made,
                                False,
                                received,
                                delivery[2] if delivery else None,
                            )

    def group(self, obligation: Obligation, period: str) -> _Group:
        key = (obligation.programme_id, obligation.form or "", period)
        if key not in self._groups:
            self.preload([key])
        return self._groups[key]

    @property
    def forms(self) -> dict[tuple, _OwnerFacts]:
        """Every form fact read so far: (owner, programme id, form, period) → facts."""
        return {
            (owner, *key): facts
            for key, group in self._groups.items()
            for facts in (group.own, group.above)
            for owner, facts in facts.items()
        }

    def work(self, obligation: Obligation, period: str) -> set[str]:
        """Owners with work on the form of ``obligation`` for ``period`` (rows, dates, values)."""
        group = self.group(obligation, period)
        if group.work is not None:
            return group.work
        owners = self.owners
        found: set[str] = set()
        kind = obligation.form_kind or ""
        fiscal_year = int(period[2:]) if period.startswith("FY") and period[2:].isdigit() else None
        pid = obligation.programme_id
        with self.store.read() as session:
            if kind in ("action_plan", "results") and fiscal_year is not None:
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
                if kind == "results":
                    query = query.join(Activity, Activity.plan_item_id == PlanItem.id).where(
                        Activity.deleted.is_(False)
                    )
                found = set(session.scalars(query.distinct()))
            elif kind == "monitoring" and fiscal_year is not None:
                found = set(
                    session.scalars(
                        select(Monitoring.owner_office).where(
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
                    )
                )
            elif kind in ("kpi", "products"):
                found = set(
                    session.scalars(
                        select(KpiValue.owner_office)
                        .where(
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
                        .distinct()
                    )
                )
        group.work = found & owners
        return group.work

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
            self._lao_cache[key] = [lao for lao in self.laos if lao_ob.applies_to(lao.lao_type)]
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

    def lao_facts(
        self, lao: _Lao, obligation: Obligation, period: str, due: dt.date, group: _Group
    ) -> Facts:
        """An LAO's instance seen from this office (above it)."""
        lao_ob = self.lao_obligation(obligation) or obligation
        found = group.above.get(lao.code, _NOTHING)
        work = group.work
        arrives = self._arrives_here(lao_ob)
        return Facts(
            reporting=lao_ob.reporting,
            has_form=lao_ob.form is not None,
            event=lao_ob.rule.get("type") == "event",
            view="above",
            applicable=self._applicable(lao.since, lao_ob, due) and lao_ob.applies_to(lao.lao_type),
            form_status=found.status,
            work=work is not None and lao.code in work,
            completed_on=found.completed_on,
            returned=found.returned,
            sent_on=found.sent_on if arrives else None,
            received=found.received and arrives,
            received_on=found.received_on if arrives else None,
            mark=self._mark(lao.code, lao_ob, due),
        )

    def _arrives_here(self, lao_obligation: Obligation) -> bool:
        """An LAO's report counts as received here only at (or above) the level it is sent
        to: a district holding an LAO's monthly temple report (sent to the province) has not
        received that report in the programme's sense."""
        if not lao_obligation.reporting:
            return False
        return self.level is None or lao_obligation.reaches(self.level)

    def lao_states(
        self, obligation: Obligation, due: dt.date, period: str | None = None, *, work: bool = True
    ) -> list[LaoState]:
        """Every LAO concerned by ``obligation`` (or by the LAO obligation it compiles) for
        the instance due on ``due``: its state and dates."""
        if obligation.form is None:
            return []
        period = period_for(obligation, due) if period is None else period
        group = self.group(obligation, period)
        if work:
            self.work(obligation, period)
        due = self.lao_due(obligation, period, due)
        out = []
        for lao in self.laos_for(obligation):
            facts = self.lao_facts(lao, obligation, period, due, group)
            judged = self._judge(facts, due)
            out.append(
                LaoState(
                    lao.code,
                    lao.name,
                    lao.lao_type,
                    lao.district_code,
                    judged.state,
                    facts.form_status,
                    facts.completed_on,
                    facts.sent_on,
                    facts.received_on,
                    judged.fulfilled_on,
                    facts.mark,
                )
            )
        return out

    def _summary(self, obligation: Obligation, due: dt.date, period: str) -> LaoSummary:
        """Counts of the LAOs' states (without work: "in progress" is not counted apart)."""
        group = self.group(obligation, period)
        lao_ob = self.lao_obligation(obligation) or obligation
        due = self.lao_due(obligation, period, due)
        base = Facts(
            reporting=lao_ob.reporting,
            has_form=lao_ob.form is not None,
            event=lao_ob.rule.get("type") == "event",
            view="above",
        )
        arrives = self._arrives_here(lao_ob)
        counts: Counter[State] = Counter()
        laos = self.laos_for(obligation)
        special = {lao.code for lao in laos if lao.since is not None} | {
            office for office, prog, code in self.marks if code == lao_ob.code
        }
        judged_base = self._judge(base, due).state
        plain = 0
        for lao in laos:
            code = lao.code
            if code in special:
                counts[
                    self._judge(self.lao_facts(lao, obligation, period, due, group), due).state
                ] += 1
                continue
            found = group.above.get(code)
            if found is None:
                plain += 1
                continue
            facts = Facts(
                reporting=base.reporting,
                has_form=base.has_form,
                event=base.event,
                view="above",
                form_status=found.status,
                completed_on=found.completed_on,
                returned=found.returned,
                sent_on=found.sent_on if arrives else None,
                received=found.received and arrives,
                received_on=found.received_on if arrives else None,
            )
            counts[self._judge(facts, due).state] += 1
        if plain:
            counts[judged_base] += plain
        return LaoSummary(counts)

    def reported_on(self, obligation: Obligation) -> dt.date | None:
        """For "until every LAO has reported": the day the last one reported (None: not yet)."""
        if obligation.form is None:
            return None
        period = period_for(obligation, self.today)
        due = due_of_period(obligation, period, self.today) or self.today
        if self.level == Level.LAO or not self.laos:
            if not self.office_code:
                return None
            found = fulfilment(self._own_facts(obligation, period, due))
            return (found[1] or self.today) if found else None
        states = self.lao_states(obligation, due, period, work=False)
        days = []
        for state in states:
            if state.state == State.NOT_APPLICABLE:
                continue
            if not state.state.fulfilled:
                return None
            days.append(state.fulfilled_on or self.today)
        return max(days) if days else None

    def _own_facts(self, obligation: Obligation, period: str, due: dt.date) -> Facts:
        """This office's own instance: its form, its packages, its marks — and, at a
        district or province, the LAOs' forms it compiles."""
        me = self.office_code or ""
        event = obligation.rule.get("type") == "event"
        applicable = self._applicable(self.since.get(me), obligation, due)
        mark = self._mark(me, obligation, due)
        if obligation.form is None:
            return Facts(
                reporting=obligation.reporting,
                has_form=False,
                event=event,
                applicable=applicable,
                mark=mark,
            )
        group = self.group(obligation, period)
        if (
            self.level not in (None, Level.LAO)
            and self.laos
            and self.lao_obligation(obligation) not in (None, obligation)
        ):
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
        found = group.own.get(me, _NOTHING)
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
        if work and ob.form is not None and self.office_code:
            self.work(ob, deadline.period)
        facts = self._own_facts(ob, deadline.period, due)
        judged = self._judge(facts, due)
        summary = None
        if (
            self.level not in (None, Level.LAO)
            and ob.form is not None
            and self.laos
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
            due=due,
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
            due=due,
        )

    def items(self, start: dt.date, end: dt.date, *, work: bool = True) -> list[Item]:
        """Every deadline of this office in [start, end] (an office-less database: all levels).

        ``work=False`` does not read whether unfinished forms have work in them (the month
        view shows "not yet due" for both; the agenda and the lists read it)."""
        if self.level is None:
            deadlines = self.expand(start, end)
            self._preload_for(deadlines)
            return [self.item(d, work=work) for d in deadlines]
        own = self.expand(start, end, levels=[self.level], lao_type=self.lao_type)
        self._preload_for(own)
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

    def instances(self, office: str, fiscal_year: int) -> list[Instance]:
        """One line per obligation instance of ``office`` (this office, or an LAO under it)
        whose due date falls in the fiscal year: what ``lev status`` prints."""
        from lev_desktop.thai_format import fiscal_year_range

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
    import calendar

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
) -> list[Instance]:
    """Every obligation instance of ``office`` (default: this one; or an LAO under it) due in
    the fiscal year, with its state and dates (``lev status``)."""
    book = DeadlineBook(store, today_=today_, soon_days=reminder_days(store))
    return book.instances(office or store.office_code or "", fiscal_year)


def reminder_days(store: Store) -> int:
    from lev_desktop import options

    value = options.get(store, "reminder.days")
    return max(0, int(value)) if value is not None else DEFAULT_REMINDER_DAYS


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
        from lev_desktop.domain.templates import BUILTIN_TEMPLATES

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
        spec_form = next(
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
