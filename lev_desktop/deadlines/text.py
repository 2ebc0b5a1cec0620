"""Words for deadlines as a person reads them (Qt-free, shared by screens, reports, CLI)."""

from __future__ import annotations

import unicodedata
from typing import Any

from lev_desktop.deadlines.rules import Deadline, Obligation
from lev_desktop.domain.obligation_state import ORDER, State
from lev_desktop.domain.offices import LEVEL_SHORT, Level
from lev_desktop.i18n import N_, _, in_thai
from lev_desktop.thai_format import format_date, format_period


def when_text(deadline: Deadline, *, style: str = "weekday") -> str:
    """ "ศ. 21 มี.ค. 2568"; a window "1–15 ก.พ. 2568"; a meeting adds its time."""
    start, due = deadline.start, deadline.due
    if start is not None and deadline.is_window:
        if (start.year, start.month) == (due.year, due.month):
            return f"{start.day}–{format_date(due, 'short')}"
        return f"{format_date(start, 'short')} – {format_date(due, 'short')}"
    text = format_date(deadline.due, style)
    if deadline.time:
        text += " " + _("{time} hrs").format(time=deadline.time)
    return text


def item_when_text(item: Any, *, style: str = "weekday") -> str:
    """When an item is or was due, the date its days left or overdue count from: a later
    follow-up round of the same instance ("every 5th and 15th until every LAO has reported")
    shows the instance's due date, then the round's ("เกินกำหนด 444 วัน" beside a date two days
    ahead read wrong)."""
    deadline = item.deadline
    if item.due == deadline.due:
        return when_text(deadline, style=style)
    return (
        format_date(item.due, style)
        + "\n"
        + _("follow-up {date}").format(date=when_text(deadline, style=style))
    )


def days_left_text(days: int, *, thai: bool = False) -> str:
    """ "เหลืออีก 3 วัน", "เกินกำหนด 9 วัน"; ``thai``: in Thai whatever the interface
    language (a printed report)."""
    tr = in_thai if thai else _
    if days == 0:
        return tr(N_("today"))
    if days == 1:
        return tr(N_("tomorrow"))
    if days > 0:
        return tr(N_("{n} days left")).format(n=days)
    if days == -1:
        return tr(N_("1 day overdue"))
    return tr(N_("{n} days overdue")).format(n=-days)


def state_days_text(state: State, days: int, *, thai: bool = False, sep: str = " · ") -> str:
    """A state with its days as short as it reads: "เกินกำหนด 9 วัน" already says overdue;
    the others name their state first ("ใกล้ครบกำหนด · เหลืออีก 3 วัน"); a fulfilled or not
    applicable state is its word alone. ``thai``: in Thai whatever the interface language."""
    word = state.thai if thai else state.label
    if state.fulfilled or state == State.NOT_APPLICABLE:
        return word
    if state == State.OVERDUE:
        return days_left_text(days, thai=thai)
    if state == State.OVERDUE_READY:  # "เสร็จแล้ว รอส่ง · เกินกำหนด 9 วัน"
        ready = State.READY.thai if thai else State.READY.label
        return ready + sep + days_left_text(days, thai=thai)
    return word + sep + days_left_text(days, thai=thai)


def level_short(level: str | Level) -> str:
    return _(LEVEL_SHORT[Level(level)])


def route_text(obligation: Obligation, lao_type: str | None = None) -> str:
    """Who sends to whom: "อปท. → อำเภอ"; "อปท." alone when nothing is sent."""
    who = level_short(obligation.level)
    if obligation.sends_to is None:
        return who
    destination = obligation.destination(lao_type)
    if destination is None or (obligation.sends_to == "route" and lao_type is None):
        to = _("district / province")
    else:
        to = level_short(destination)
    return f"{who} → {to}"


def flag_text(deadline: Deadline) -> str:
    """A warning when the due day is not a working day ('' otherwise)."""
    before = format_date(deadline.working_day, "weekday") if deadline.working_day else ""
    if deadline.holiday:
        return _(
            "Public holiday: {name} — offices often send the working day before ({day})"
        ).format(name=shorten(deadline.holiday), day=before)
    if deadline.weekend:
        return _("Falls on a weekend — offices often send the working day before ({day})").format(
            day=before
        )
    return ""


def period_text(period: str) -> str:
    """ "FY2568" → "ปีงบประมาณ พ.ศ. 2568"; "2025-07" → "กรกฎาคม 2568"; a round date → the date."""
    return format_period(period)


def shorten(text: str, limit: int = 48) -> str:
    """Cuts a long Thai name at ``limit`` characters without splitting a base letter from its
    vowel or tone marks (the official name of 5 December is 120 characters)."""
    if len(text) <= limit:
        return text
    cut = limit
    while cut > 0 and unicodedata.category(text[cut]) == "Mn":
        cut -= 1
    return text[:cut].rstrip() + "…"


def laos_text(summary: object, *, thai: bool = False) -> str:
    """ "อปท. ส่งแล้ว 9/14" — how many of the LAOs concerned are in (received or done);
    ``thai``: in Thai whatever the interface language."""
    done, total = getattr(summary, "done", 0), getattr(summary, "total", 0)
    tr = in_thai if thai else _
    return tr(N_("LAOs {done}/{total}")).format(done=done, total=total)


def summary_text(summary: object) -> str:
    """Every state that occurs among the LAOs, in the one order: "ได้รับแล้ว 9 · ล่าช้า 2 ·
    เกินกำหนด 3 (จาก 14 แห่ง)"."""
    counts = getattr(summary, "counts", {})
    parts = [f"{state.label} {counts[state]}" for state in ORDER if counts.get(state)]
    total = getattr(summary, "total", 0)
    return _("{states} (of {total} LAOs)").format(states=" · ".join(parts), total=total)


def dates_lines(item: object) -> list[str]:
    """What the state rests on, in words: completed / sent / received dates, a mark's reason."""
    lines = []
    for label, attribute in (
        (_("Completed on {date}"), "completed_on"),
        (_("Sent on {date}"), "sent_on"),
        (_("Received on {date}"), "received_on"),
    ):
        day = getattr(item, attribute, None)
        if day is not None:
            lines.append(label.format(date=format_date(day, "long")))
    mark = getattr(item, "mark", None)
    if mark is not None:
        lines.append(
            _("Marked by hand on {date}: {reason}").format(
                date=format_date(mark.on, "long"), reason=mark.reason
            )
        )
    return lines
