"""Records saved while this computer's clock was ahead, and putting their times right.

A laptop whose clock ran a month ahead stamps every change it saves (``updated_at``, a form's
``completed_at`` and ``sent_at``) a month in the future. Once the clock is set right, every
package this office writes holds changes "made" after the package itself, and the office above
refuses it (validation.package_made_problem); the export refuses it first. Nothing but a person
can tell a clock that *was* ahead from a clock that *is* behind now, so the times are put right
only when a person confirms that the date and time now are correct (the GUI's dialog, ``lev
restamp --yes``), and never while the clock cannot be right (before PACKAGE_MADE_MIN).

Only this office's own records are changed: the records of other offices it received keep the
times their offices gave them. Each record changed gets ``revision + 1`` (so a receiver that
already holds it takes the new version) and one line in the audit log, action ``restamp``, with
the times it held.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, or_, select, update
from sqlalchemy.orm import Session

from db.models import AuditEntry, utcnow
from db.store import Store
from lev_desktop.domain.validation import CLOCK_TOLERANCE, PACKAGE_MADE_MIN, shown_time
from lev_desktop.exchange.records import TABLES
from lev_desktop.i18n import _

# The times the program writes from the clock when a record is saved, per table (every table:
# updated_at). A letter's received_at is what the clerk typed and is not changed here.
CLOCK_STAMPS: dict[str, tuple[str, ...]] = {
    name: ("updated_at", "completed_at", "sent_at")
    if name == "form_submissions"
    else ("updated_at",)
    for name in TABLES
}


@dataclass(frozen=True)
class FutureChanges:
    """This office's records saved at a time after ``now``: how many, and the latest time."""

    count: int = 0
    latest: dt.datetime | None = None
    now: dt.datetime | None = None

    @property
    def refused(self) -> bool:
        """Whether a package holding them is refused (later than now + CLOCK_TOLERANCE)."""
        return (
            self.latest is not None
            and self.now is not None
            and self.latest > self.now + CLOCK_TOLERANCE
        )

    def describe(self) -> str:
        """One Thai sentence: what is wrong (starts a message; names count and times)."""
        return _(
            "{count} records of this office were saved at a time in the future, the latest on "
            "{latest}, while the date and time of this computer now are {now}."
        ).format(
            count=self.count,
            latest=shown_time(self.latest) if self.latest else "",
            now=shown_time(self.now) if self.now else "",
        )


def future_in_rows(table: str, rows: Iterable[dict[str, Any]], now: dt.datetime) -> FutureChanges:
    """The rows (as the export selects them) saved after ``now``."""
    count, latest = 0, None
    names = CLOCK_STAMPS[table]
    for row in rows:
        times = [t for t in (row.get(name) for name in names) if t is not None and t > now]
        if times:
            count += 1
            newest = max(times)
            latest = newest if latest is None or newest > latest else latest
    return FutureChanges(count, latest, now)


def combine(parts: Iterable[FutureChanges], now: dt.datetime) -> FutureChanges:
    found = [p for p in parts if p.count]
    return FutureChanges(
        sum(p.count for p in found),
        max((p.latest for p in found if p.latest is not None), default=None),
        now,
    )


def _future_condition(table: Table, names: tuple[str, ...], now: dt.datetime) -> Any:
    return or_(*(table.c[name] > now for name in names))


def future_changes(session: Session, office: str, now: dt.datetime) -> FutureChanges:
    """This office's own records (every synced table) saved after ``now``."""
    parts = []
    for table in TABLES.values():
        names = CLOCK_STAMPS[table.name]
        row = session.execute(
            select(func.count(), *(func.max(table.c[name]) for name in names)).where(
                table.c.owner_office == office, _future_condition(table, names, now)
            )
        ).one()
        if row[0]:
            times = [t for t in row[1:] if t is not None and t > now]
            parts.append(FutureChanges(int(row[0]), max(times, default=None), now))
    return combine(parts, now)


class RestampError(ValueError):
    """Nothing was re-stamped; the message (Thai) says why."""


def restamp_future_changes(store: Store) -> FutureChanges:
    """Sets every clock-written time of this office's own records that is after now to now
    (revision + 1, one audit line each), in one transaction. Returns what it put right.
    RestampError while this computer's clock cannot be right."""
    now = utcnow()
    if now < PACKAGE_MADE_MIN:
        raise RestampError(
            _(
                "The date and time of this computer ({now}) cannot be right: they are before "
                "LEV Desktop existed. Nothing was changed. Please set the date and time of "
                "Windows correctly (Settings › Time & language) first."
            ).format(now=shown_time(now))
        )
    office = store.office_code
    if not office:
        raise RestampError(_("This database has no office yet: nothing was changed."))
    officer = store.officer or ""
    with store.session() as session:
        found = future_changes(session, office, now)
        if not found.count:
            return found
        conn = session.connection()
        audit: list[AuditEntry] = []
        for table in TABLES.values():
            names = CLOCK_STAMPS[table.name]
            where = (table.c.owner_office == office, _future_condition(table, names, now))
            rows = conn.execute(select(table.c.id, *(table.c[n] for n in names)).where(*where))
            for record_id, *times in rows:
                audit.append(
                    AuditEntry(
                        at=now,
                        officer=officer,
                        office=office,
                        table_name=table.name,
                        record_id=record_id,
                        action="restamp",
                        changes={
                            name: [value.isoformat(), now.isoformat()]
                            for name, value in zip(names, times, strict=True)
                            if value is not None and value > now
                        },
                    )
                )
            for name in names:  # each time on its own: a form's other times may be right
                conn.execute(
                    update(table).where(*where[:1], table.c[name] > now).values({name: now})
                )
            ids = [a.record_id for a in audit if a.table_name == table.name]
            for start in range(0, len(ids), 500):
                conn.execute(
                    update(table)
                    .where(table.c.id.in_(ids[start : start + 500]))
                    .values(revision=table.c.revision + 1)
                )
        session.add_all(audit)
    return found


__all__ = [
    "CLOCK_STAMPS",
    "FutureChanges",
    "RestampError",
    "combine",
    "future_changes",
    "future_in_rows",
    "restamp_future_changes",
]
