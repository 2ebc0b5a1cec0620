"""Deadline rules → dated deadlines. Pure functions: no database, no Qt.

A programme's ``spec["obligations"]`` (see ``lev_desktop.domain.templates``) says who must do
what by when. ``obligations_of`` reads them into ``Obligation`` objects and ``expand`` turns
them into ``Deadline`` objects inside a date range.

The form period a deadline asks for (the ``FormSubmission.period`` that fulfils it) is fixed
here, in ``period_for``, so that every area keys forms the same way:

- form period ``fiscal_year``: ``FY<BE year>`` of the programme (or of the due date when the
  programme has no fiscal year), e.g. ``FY2568``;
- form period ``once`` (a one-off questionnaire): ``ONCE``, as its values are stored;
- form period ``monthly``: the month reported on, ``YYYY-MM``. A ``monthly`` rule (a report
  due on day N of every month) is the report *of* the month it is due in (P4: the LAOs'
  report due 1 Jul 2565 is the July report, as the fiscal-year months Oct–Sep are keyed);
  a ``monthly_following`` rule covers the month before its due date (the province's report
  due 5 Aug collects the July reports).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from lev_desktop.domain.offices import LaoType, Level, reporting_parent_level
from lev_desktop.domain.validation import RULE_DATE_KEYS, form_problem, obligation_problem
from lev_desktop.thai_format import ONCE_PERIOD as ONCE
from lev_desktop.thai_format import arabic_digits, fiscal_year_range, thai_digits
from lev_desktop.thai_format import fiscal_year as fiscal_year_of

RULE_TYPES = (
    "once",
    "window",
    "monthly",
    "monthly_following",
    "days_of_month",
    "fiscal_year",
    "event",
)


@dataclass(frozen=True)
class Obligation:
    """One obligation of a programme: a level must do something by the dates of ``rule``."""

    programme_code: str
    code: str
    level: str
    title: str
    rule: dict[str, Any] = field(compare=False, hash=False)
    form: str | None = None
    form_kind: str | None = None
    form_period: str | None = None
    form_name: str = ""
    sends_to: str | None = None
    lao_types: tuple[str, ...] | None = None
    programme_id: str = ""
    programme_name: str = ""
    fiscal_year: int | None = None

    @property
    def reporting(self) -> bool:
        """Something has to be sent upwards (not only done locally)."""
        return self.sends_to is not None

    @property
    def until_all_reported(self) -> bool:
        return bool(self.rule.get("until_all_reported"))

    def applies_to(self, lao_type: str | None) -> bool:
        """Whether an LAO of this type must do it (``lao_types`` restricts some obligations)."""
        return self.lao_types is None or lao_type is None or lao_type in self.lao_types

    def destination(self, lao_type: str | None = None) -> Level | None:
        """The level the result goes to: ``route`` resolves per LAO type."""
        if self.sends_to is None:
            return None
        if self.sends_to == "route":
            return reporting_parent_level(LaoType(lao_type) if lao_type else None)
        return Level(self.sends_to)

    def reaches(self, level: str) -> bool:
        """Whether reports of this (LAO) obligation arrive at or pass an office of ``level``."""
        if self.sends_to is None:
            return False
        if self.sends_to == "route":
            return level in (Level.DISTRICT, Level.PROVINCE, Level.NATIONAL)
        return Level(level).rank >= Level(self.sends_to).rank


@dataclass(frozen=True)
class Deadline:
    """A dated obligation. ``due`` is the last day; windows also have ``start``."""

    obligation: Obligation
    due: dt.date
    start: dt.date | None = None
    time: str | None = None
    period: str = ""
    round: int = 1
    weekend: bool = False
    holiday: str | None = None
    working_day: dt.date | None = None  # the working day before, when due falls on a day off

    @property
    def first_day(self) -> dt.date:
        return self.start or self.due

    @property
    def is_window(self) -> bool:
        return self.start is not None and self.start != self.due

    @property
    def non_working(self) -> bool:
        """Falls on a weekend or public holiday (offices often send the working day before)."""
        return self.weekend or self.holiday is not None

    @property
    def key(self) -> tuple[str, str, dt.date]:
        return (self.obligation.programme_code, self.obligation.code, self.due)

    def sort_key(self) -> tuple[dt.date, dt.date, int, str, str]:
        return (
            self.due,
            self.first_day,
            Level(self.obligation.level).rank,
            self.obligation.programme_code,
            self.obligation.code,
        )

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        return self.first_day <= end and self.due >= start


def obligations_of(
    programme: Any, problems: list[tuple[str, str]] | None = None
) -> list[Obligation]:
    """The obligations of a ``Programme`` record (or a template dict).

    Each obligation is read only when ``validation.obligation_problem`` (the check an import
    makes at the boundary) finds nothing wrong with it: one that cannot be read (a template
    edited by hand, a record from before that check) is left out with its reason in
    ``problems`` (its code and the Thai reason), and the programme's other obligations stay.
    """
    if isinstance(programme, Mapping):
        spec = programme.get("spec") or programme
        code = programme["code"]
        pid = programme.get("id", "")
        name = programme.get("short_name") or programme.get("name", "")
        fy = programme.get("fiscal_year")
    else:
        spec = programme.spec or {}
        code, pid = programme.code, programme.id
        name = programme.display_name
        fy = programme.fiscal_year
    raw_forms = spec.get("forms", [])
    raw_forms = raw_forms if isinstance(raw_forms, list) else []
    forms = {f["code"]: f for f in raw_forms if isinstance(f, dict) and not form_problem(f)}
    items = spec.get("obligations", [])
    out = []
    for item in items if isinstance(items, list) else []:
        reason = obligation_problem(item, set(forms))
        if reason:
            if problems is not None:
                found = item.get("code") if isinstance(item, dict) else None
                problems.append((found if isinstance(found, str) else "?", reason))
            continue
        form = forms.get(item.get("form") or "")
        lao_types = item.get("lao_types")
        out.append(
            Obligation(
                programme_code=code,
                code=item["code"],
                level=item["level"],
                title=item["title"],
                rule=dict(item["rule"]),
                form=item.get("form"),
                form_kind=form["kind"] if form else None,
                form_period=form.get("period") if form else None,
                form_name=form["name"] if form else "",
                sends_to=item.get("sends_to"),
                lao_types=tuple(lao_types) if lao_types else None,
                programme_id=pid,
                programme_name=name,
                fiscal_year=fy,
            )
        )
    return out


# ---- dates of one rule -------------------------------------------------------------------


def moved_to_year(spec: dict[str, Any], to_year: int) -> dict[str, Any]:
    """A copy of a programme's template (``Programme.spec``) whose deadline dates are moved by
    whole years to the fiscal year ``to_year``, from the fiscal year of its first date (not the
    programme's own year: P2's letter is of 2567, its dates of 2568): next year's drive has
    this year's deadlines a year later (31 Dec 2567 → 31 Dec 2568; 29 Feb → 28 Feb in a
    common year). Rules of other shapes (``fiscal_year``, by the programme's own year) are
    left as they are."""
    moved = {**spec, "obligations": [dict(o) for o in spec.get("obligations", [])]}
    dates = [
        day
        for ob in moved["obligations"]
        for key in RULE_DATE_KEYS
        if isinstance(ob.get("rule"), dict) and (day := _date(ob["rule"].get(key))) is not None
    ]
    if not dates:
        return moved
    years = to_year - fiscal_year_of(min(dates))
    if not years:
        return moved
    for obligation in moved["obligations"]:
        if isinstance(obligation.get("title"), str):  # "…ในปีงบประมาณ พ.ศ. ๒๕๖๘" too
            obligation["title"] = _years_moved(obligation["title"], years)
        rule = dict(obligation["rule"])
        for key in RULE_DATE_KEYS:
            day = _readable_date(rule.get(key))
            if day is not None:
                year = day.year + years
                rule[key] = _day_in_month(year, day.month, day.day).isoformat()
        obligation["rule"] = rule
    return moved


_BE_YEAR = re.compile(r"(?<![0-9๐-๙])(?:25[0-9]{2}|๒๕[๐-๙]{2})(?![0-9๐-๙])")


def _years_moved(text: str, years: int) -> str:
    """``text`` with each Buddhist-era year in it moved by ``years``, in its own digits."""

    def moved(found: re.Match[str]) -> str:
        year = str(int(arabic_digits(found.group())) + years)
        return thai_digits(year) if found.group()[0] == "๒" else year

    return _BE_YEAR.sub(moved, text)


def _readable_date(value: Any) -> dt.date | None:
    """A rule's date, or None when it has none or one that cannot be read (left as it is)."""
    try:
        return _date(value)
    except (TypeError, ValueError):
        return None


def _date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _required_date(value: str | dt.date | None) -> dt.date:
    found = _date(value)
    if found is None:
        raise ValueError("a deadline rule without its date")
    return found


def _day_in_month(year: int, month: int, day: int) -> dt.date:
    """Day ``day`` of a month, or its last day when the month is shorter (31 → 30 Sep). A
    ``fiscal_year`` rule names a day its month has (``thai_format.day_and_month_problem``):
    only 29 February is shortened here, to the 28th outside leap years."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def _months(start: dt.date, end: dt.date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = _add_months(year, month, 1)


def period_for(obligation: Obligation, due: dt.date) -> str:
    """The ``FormSubmission.period`` that fulfils ``obligation`` at ``due`` ('' without a form)."""
    if obligation.form is None:
        return ""
    if obligation.form_period == "monthly":
        shift = -1 if obligation.rule.get("type") == "monthly_following" else 0
        year, month = _add_months(due.year, due.month, shift)
        return f"{year:04d}-{month:02d}"
    if obligation.form_period == "round":
        return due.isoformat()
    if obligation.form_period == "once":
        return ONCE
    fy = obligation.fiscal_year or fiscal_year_of(due)
    return f"FY{fy}"


def _raw_dates(
    obligation: Obligation, start: dt.date, end: dt.date
) -> Iterator[tuple[dt.date | None, dt.date, str | None]]:
    """(first day or None, due, time) of every occurrence that can touch [start, end], in order."""
    rule = obligation.rule
    kind = rule.get("type")
    if kind == "once":
        yield None, _required_date(rule["date"]), None
    elif kind == "event":
        yield None, _required_date(rule["date"]), rule.get("time")
    elif kind == "window":
        yield _date(rule["start"]), _required_date(rule["end"]), None
    elif kind in ("monthly", "monthly_following", "days_of_month"):
        # Iterated from the first round (not from ``start``) so that round numbers and the
        # "until every LAO has reported" stop are the same whatever range is asked for.
        first = _required_date(rule["first"])
        until = _date(rule.get("until"))
        days = sorted({int(d) for d in rule.get("days", [rule.get("day", 1)])})
        if kind == "monthly_following":
            # ``first`` is the first period reported on; its report is due the month after.
            year, month = _add_months(first.year, first.month, 1)
            first = dt.date(year, month, 1)
        for year, month in _months(first.replace(day=1), end):
            for day in days:
                due = _day_in_month(year, month, day)
                if due < first:
                    continue
                if until is not None and due > until:
                    return
                yield None, due, None
    elif kind == "fiscal_year":
        month, day = int(rule["month"]), int(rule["day"])
        shift = int(rule.get("offset_years", 0))
        years = (
            [obligation.fiscal_year]
            if obligation.fiscal_year
            else range(fiscal_year_of(start), fiscal_year_of(end) + 1)
        )
        for fy in years:
            fy_start, fy_end = fiscal_year_range(fy + shift)
            year = fy_start.year if month >= 10 else fy_end.year
            yield None, _day_in_month(year, month, day), None
    else:
        raise ValueError(f"unknown deadline rule type {kind!r} in {obligation.code}")


def due_of_period(obligation: Obligation, period: str, near: dt.date) -> dt.date | None:
    """The first due date of ``obligation`` whose form period is ``period`` (looked for
    around ``near``): the due date of an obligation *instance*. A rule that repeats one period
    in rounds ("every 5th and 15th until every LAO has reported") is due at its first round;
    the province's report of the LAOs' July forms asks the LAOs for July's due date."""
    if obligation.form is None:
        return None
    start, end = near - dt.timedelta(days=1200), near + dt.timedelta(days=400)
    for _first, due, _time in _raw_dates(obligation, start, end):
        if due > end:
            break
        if period_for(obligation, due) == period:
            return due
    return None


def first_due_of_period(obligation: Obligation, deadline: Deadline) -> dt.date:
    """The due date of the instance ``deadline`` belongs to (itself, or an earlier round)."""
    if obligation.form is None:
        return deadline.due
    found = due_of_period(obligation, deadline.period, deadline.due)
    return found if found is not None and found <= deadline.due else deadline.due


def _dates_in_range(
    obligation: Obligation, start: dt.date, end: dt.date, stop: dt.date | None
) -> Iterator[Deadline]:
    round_no = 0
    for first_day, due, time in _raw_dates(obligation, start, end):
        round_no += 1
        if (first_day or due) > end and obligation.rule.get("type") in (
            "monthly",
            "monthly_following",
            "days_of_month",
        ):
            return
        if first_day is not None and first_day > due:
            continue
        deadline = Deadline(
            obligation,
            due,
            start=first_day,
            time=time,
            period=period_for(obligation, due),
            round=round_no,
        )
        if deadline.overlaps(start, end):
            yield deadline
        if stop is not None and due >= stop:
            return


def previous_working_day(day: dt.date, holidays: Mapping[dt.date, str]) -> dt.date:
    """The last working day before ``day`` (not a weekend, not a holiday)."""
    day -= dt.timedelta(days=1)
    while day.weekday() >= 5 or day in holidays:
        day -= dt.timedelta(days=1)
    return day


def expand(
    obligations: Iterable[Obligation],
    start: dt.date,
    end: dt.date,
    *,
    levels: Iterable[str] | None = None,
    lao_type: str | None = None,
    reported_on: Callable[[Obligation], dt.date | None] | None = None,
    holidays: Mapping[dt.date, str] | None = None,
    problems: list[tuple[Obligation, str]] | None = None,
) -> list[Deadline]:
    """Every deadline of ``obligations`` that touches [start, end], sorted, without duplicates.

    ``levels`` keeps only those levels; ``lao_type`` drops LAO obligations restricted to other
    LAO types. ``reported_on(obligation)`` answers, for ``until_all_reported`` rules, the day
    everyone concerned had reported (None: not yet); rounds stop after the first round on or
    after that day. ``holidays`` (date → name) flags due days on holidays; weekends are
    always flagged. With a ``problems`` list, an obligation whose rule cannot be read is
    skipped and reported there (obligation, reason) instead of raising.
    """
    wanted = set(levels) if levels is not None else None
    holidays = holidays or {}
    seen: set[tuple[str, str, dt.date | None, dt.date]] = set()
    out: list[Deadline] = []
    for obligation in obligations:
        if wanted is not None and obligation.level not in wanted:
            continue
        if obligation.level == Level.LAO and not obligation.applies_to(lao_type):
            continue
        stop: dt.date | None = None
        if obligation.until_all_reported and reported_on is not None:
            stop = reported_on(obligation)
        try:
            found = list(_dates_in_range(obligation, start, end, stop))
        except (KeyError, ValueError, TypeError) as exc:
            # A rule an office edited into something unreadable: skip it, say which.
            if problems is None:
                raise
            problems.append((obligation, f"{type(exc).__name__}: {exc}"))
            continue
        for deadline in found:
            due, first_day = deadline.due, deadline.start
            key = (obligation.programme_code, obligation.code, first_day, due)
            if key not in seen:
                seen.add(key)
                weekend, holiday = due.weekday() >= 5, holidays.get(due)
                out.append(
                    replace(
                        deadline,
                        weekend=weekend,
                        holiday=holiday,
                        working_day=previous_working_day(due, holidays)
                        if weekend or holiday
                        else None,
                    )
                )
    out.sort(key=Deadline.sort_key)
    return out
