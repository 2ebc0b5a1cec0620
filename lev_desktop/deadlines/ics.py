"""Deadlines as an iCalendar (.ics) file that phone and desktop calendars import.

A date deadline is an all-day event on its due day; a window (LEV Week 1–15 Feb) spans its
days; a meeting (``event`` rule with a time) is a two-hour event in Bangkok time. Each event
carries a reminder the day before (calendars that ignore alarms just skip it). UIDs are
stable (programme, obligation, due), so importing a newer file updates the same events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from lev_desktop.deadlines.rules import Deadline
from lev_desktop.deadlines.text import flag_text
from lev_desktop.domain.offices import Level
from lev_desktop.i18n import _
from lev_desktop.thai_format import format_date, format_date_range

BANGKOK = ZoneInfo("Asia/Bangkok")
PRODID = "-//LEV Desktop//Deadlines//TH"


def describe(deadline: Deadline) -> str:
    ob = deadline.obligation
    lines = [ob.programme_name or ob.programme_code]
    when = (
        format_date_range(deadline.start, deadline.due, style="long")
        if deadline.start is not None and deadline.is_window
        else format_date(deadline.due, "full")
    )
    lines.append(when)
    lines.append(_("Who: {level}").format(level=Level(ob.level).label))
    destination = ob.destination()
    if ob.sends_to == "route":
        lines.append(
            _(
                "Sends to: the district (subdistrict municipalities and SAOs) or the "
                "province (other LAOs)"
            )
        )
    elif destination is not None:
        lines.append(_("Sends to: {level}").format(level=destination.label))
    if ob.form_name:
        lines.append(_("Form: {form}").format(form=ob.form_name))
    if deadline.non_working:
        lines.append(flag_text(deadline))
    return "\n".join(lines)


def to_ics(deadlines: Iterable[Deadline], *, name: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name or _("LEV deadlines"))
    cal.add("x-wr-timezone", "Asia/Bangkok")
    deadlines = list(deadlines)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for deadline in deadlines:
        ob = deadline.obligation
        event = Event()
        event.add("uid", f"{ob.programme_code}.{ob.code}.{deadline.due.isoformat()}@lev-desktop")
        event.add("dtstamp", stamp)
        event.add("summary", f"[{ob.programme_code}] {ob.title}")
        if deadline.time:
            hour, minute = (int(x) for x in deadline.time.split(":"))
            begin = dt.datetime.combine(deadline.due, dt.time(hour, minute), tzinfo=BANGKOK)
            event.add("dtstart", begin)
            event.add("dtend", begin + dt.timedelta(hours=2))
        else:
            event.add("dtstart", deadline.first_day)
            event.add("dtend", deadline.due + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        event.add("description", describe(deadline))
        event.add("categories", [ob.programme_code])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", ob.title)
        alarm.add("trigger", dt.timedelta(days=-1))
        event.add_component(alarm)
        cal.add_component(event)
    if any(d.time for d in deadlines):
        cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data
