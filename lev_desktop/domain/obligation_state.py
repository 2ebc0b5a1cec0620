"""The one answer to "has this office done / sent / received it?" (pure: no database, no Qt).

An *obligation instance* is a programme's obligation for one office and one form period
(``FY2568``, ``2025-07``, a round), with its due date or window. Its state is derived here,
and only here, from facts the database holds (gathered by ``lev_desktop.deadlines.engine``):

- ``applicable``: False before the office existed or began using the app, for an LAO type
  the rule does not concern, or, seen from an office above, for a report that goes past that
  office (an อบต.'s monthly temple report goes to the province itself: a district has nothing
  to do with it);
- the form's stored status (``complete`` only after the one validation passed) and whether
  any work exists (rows, dates, values) — "in progress";
- ``returned``: the office above returned it for correction after its last change;
- ``sent``: a package that actually carried the complete form went to the office above on the
  route (this office's own database);
- ``received``: the office above imported it (its database), or a form arrived by Excel;
- a manual ``mark`` with a reason (a paper or LINE submission), audit-logged.

On time or late is judged against the due date. Every screen, report, board and the CLI shows
these words (``State.label``) with the status palette (``State.tone``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from lev_desktop.i18n import N_, _, in_thai


class State(StrEnum):
    NOT_APPLICABLE = "not_applicable"
    NOT_YET_DUE = "not_yet_due"
    IN_PROGRESS = "in_progress"
    READY = "ready"  # complete, still to be sent
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    # complete and past its due date, still to be sent: overdue as much as OVERDUE (the
    # obligation is to send), said so, so that a clerk who finished it reads what is left
    OVERDUE_READY = "overdue_ready"
    RETURNED = "returned"
    DONE = "done"
    SENT = "sent"
    RECEIVED = "received"
    LATE = "late"  # done, sent or received after the due date

    @property
    def label(self) -> str:
        return _(LABELS[self])

    @property
    def thai(self) -> str:
        """The Thai word whatever the interface language (printed documents)."""
        return in_thai(LABELS[self])

    @property
    def fulfilled(self) -> bool:
        return self in FULFILLED

    @property
    def attention(self) -> bool:
        """Counted by the badges and the start-up reminder."""
        return self in ATTENTION

    @property
    def overdue(self) -> bool:
        """Past its due date and not fulfilled (counted as overdue everywhere)."""
        return self in OVERDUE_STATES

    @property
    def tone(self) -> str:
        """The key of this state in the status palette (``ui.status_palette``)."""
        return TONES[self]

    @property
    def symbol(self) -> str:
        """A short mark before the word (a printout may be grey; colour is never alone)."""
        return SYMBOLS.get(self, "•")


LABELS = {
    State.NOT_APPLICABLE: N_("Not applicable"),
    State.NOT_YET_DUE: N_("Not yet due"),
    State.IN_PROGRESS: N_("In progress"),
    State.READY: N_("Complete, to be sent"),
    State.DUE_SOON: N_("Due soon"),
    State.OVERDUE: N_("Overdue"),
    State.OVERDUE_READY: N_("Complete, to be sent; overdue"),
    State.RETURNED: N_("Returned for correction"),
    State.DONE: N_("Done"),
    State.SENT: N_("Sent"),
    State.RECEIVED: N_("Received"),
    State.LATE: N_("Later than due"),
}
FULFILLED = frozenset({State.DONE, State.SENT, State.RECEIVED, State.LATE})
OVERDUE_STATES = frozenset({State.OVERDUE, State.OVERDUE_READY})
# Taken only by an office's own obligations (judge: ``view == "own"``): an office above sees
# an LAO's overdue report as received or not (its lists of LAOs need no room for these words).
OWN_ONLY = frozenset({State.OVERDUE_READY})
ATTENTION = frozenset({*OVERDUE_STATES, State.DUE_SOON, State.RETURNED})
TONES = {
    State.NOT_APPLICABLE: "not_applicable",
    State.NOT_YET_DUE: "upcoming",
    State.IN_PROGRESS: "in_progress",
    State.READY: "ready",
    State.DUE_SOON: "due_soon",
    State.OVERDUE: "overdue",
    State.OVERDUE_READY: "overdue",
    State.RETURNED: "returned",
    State.DONE: "done",
    State.SENT: "done",
    State.RECEIVED: "done",
    State.LATE: "late",
}
SYMBOLS = {
    State.OVERDUE: "!",
    State.OVERDUE_READY: "!",
    State.DUE_SOON: "»",
    State.RETURNED: "↩",
    State.DONE: "✓",
    State.SENT: "✓",
    State.RECEIVED: "✓",
    State.LATE: "✓",
    State.NOT_APPLICABLE: "–",
}
# The order a summary lists states in: good news first, the problem last.
ORDER = (
    State.DONE,
    State.SENT,
    State.RECEIVED,
    State.LATE,
    State.READY,
    State.IN_PROGRESS,
    State.NOT_YET_DUE,
    State.DUE_SOON,
    State.RETURNED,
    State.OVERDUE_READY,
    State.OVERDUE,
    State.NOT_APPLICABLE,
)


@dataclass(frozen=True, slots=True)
class Mark:
    """A manual mark: the officer records a submission made outside the app."""

    on: dt.date
    reason: str
    by: str = ""


@dataclass(frozen=True, slots=True)
class Facts:
    """What the database says about one obligation instance (see the module text).

    ``view`` is whose database this is: ``"own"`` (the office the obligation belongs to) or
    ``"above"`` (an office it reports to, looking at an LAO under it).
    """

    reporting: bool = False  # the result must go to the office above
    has_form: bool = True
    event: bool = False  # a meeting: nothing to fill in or send
    view: str = "own"
    applicable: bool = True
    form_status: str | None = None  # FormSubmission.status, None when there is none
    work: bool = False  # rows, dates or values exist
    completed_on: dt.date | None = None
    returned: bool = False
    sent: bool = False
    sent_on: dt.date | None = None  # when the package that carried it was made
    received: bool = False
    received_on: dt.date | None = None  # when the office above imported it
    mark: Mark | None = None

    @property
    def complete(self) -> bool:
        return self.form_status in ("complete", "sent")


@dataclass(frozen=True, slots=True)
class Judgement:
    state: State
    days_left: int
    fulfilled_on: dt.date | None = None  # the day that counts for on time / late

    @property
    def late(self) -> bool:
        return self.state == State.LATE


def fulfilment(facts: Facts) -> tuple[State, dt.date | None] | None:
    """(the state it is fulfilled as, the day that counts) or None when not fulfilled."""
    if facts.mark is not None:
        if facts.view == "above":
            return State.RECEIVED, facts.mark.on
        return (State.SENT if facts.reporting else State.DONE), facts.mark.on
    if facts.view == "above":
        if not facts.reporting:
            # Nothing to send (the LAO's own plan, its activities): done when complete.
            return (State.DONE, facts.completed_on) if facts.complete else None
        if facts.received:
            # The LAO is judged by the day its package was made, not by when we imported it.
            return State.RECEIVED, facts.sent_on or facts.received_on
        return None
    if facts.reporting:
        if facts.sent:
            return State.SENT, facts.sent_on
        return None
    if facts.has_form:
        return (State.DONE, facts.completed_on) if facts.complete else None
    return None


def judge(facts: Facts, due: dt.date, today: dt.date, soon_days: int = 7) -> Judgement:
    """The state of one obligation instance due on ``due``, as of ``today``."""
    days_left = (due - today).days
    if not facts.applicable:
        return Judgement(State.NOT_APPLICABLE, days_left)
    if facts.returned:
        return Judgement(State.RETURNED, days_left)
    found = fulfilment(facts)
    if found is None and facts.event and not facts.has_form and due < today:
        found = (State.DONE, due)  # a meeting that took place: nothing to fill in or send
    if found is not None:
        state, day = found
        return Judgement(State.LATE if day is not None and day > due else state, days_left, day)
    if days_left < 0:
        if facts.view == "own" and facts.complete and facts.reporting:
            return Judgement(State.OVERDUE_READY, days_left)
        return Judgement(State.OVERDUE, days_left)
    if days_left <= soon_days:
        return Judgement(State.DUE_SOON, days_left)
    if facts.complete and facts.reporting:
        return Judgement(State.READY, days_left)
    if facts.work or facts.complete or facts.form_status == "draft":
        return Judgement(State.IN_PROGRESS, days_left)
    return Judgement(State.NOT_YET_DUE, days_left)


__all__ = [
    "ATTENTION",
    "FULFILLED",
    "LABELS",
    "ORDER",
    "OVERDUE_STATES",
    "OWN_ONLY",
    "Facts",
    "Judgement",
    "Mark",
    "State",
    "fulfilment",
    "judge",
]
