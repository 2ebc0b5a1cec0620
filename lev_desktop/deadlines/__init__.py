"""The deadline engine (Qt-free): programme rules → dated obligations, their state for an
office, per-LAO completeness, sent marks, holidays and iCalendar export.

Stable API for other areas: ``office_deadlines``, ``month_deadlines``, ``completeness``,
``completeness_board``, ``mark_sent``,
``reminders``, ``badge_count``, ``expand``, ``obligations_of``, ``period_for``.
"""

from lev_desktop.deadlines.engine import (
    DeadlineBook,
    Item,
    LaoState,
    LaoStatus,
    LaoSummary,
    State,
    badge_count,
    completeness,
    completeness_board,
    mark_sent,
    month_deadlines,
    office_deadlines,
    reminders,
    today,
    unmark_sent,
)
from lev_desktop.deadlines.rules import Deadline, Obligation, expand, obligations_of, period_for

__all__ = [
    "Deadline",
    "DeadlineBook",
    "Item",
    "LaoState",
    "LaoStatus",
    "LaoSummary",
    "Obligation",
    "State",
    "badge_count",
    "completeness",
    "completeness_board",
    "expand",
    "mark_sent",
    "month_deadlines",
    "obligations_of",
    "office_deadlines",
    "period_for",
    "reminders",
    "today",
    "unmark_sent",
]
