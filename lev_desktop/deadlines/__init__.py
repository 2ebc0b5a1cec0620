"""The deadline engine (Qt-free): programme rules → dated obligation instances, their one
state for an office and for the LAOs under it, manual marks, holidays and iCalendar export.

Stable API for other areas: ``office_deadlines``, ``month_deadlines``, ``office_status``,
``completeness``, ``completeness_board``, ``mark_sent``, ``reminders``, ``badge_count``,
``expand``, ``obligations_of``, ``period_for``. The state words are
``lev_desktop.domain.obligation_state.State``.
"""

from lev_desktop.deadlines.engine import (
    DeadlineBook,
    Instance,
    Item,
    LaoState,
    LaoSummary,
    MarkError,
    State,
    badge_count,
    binding_programmes,
    completeness,
    completeness_board,
    mark_sent,
    month_deadlines,
    office_deadlines,
    office_status,
    reminders,
    today,
    unmark_sent,
)
from lev_desktop.deadlines.rules import Deadline, Obligation, expand, obligations_of, period_for

__all__ = [
    "Deadline",
    "DeadlineBook",
    "Instance",
    "Item",
    "LaoState",
    "LaoSummary",
    "MarkError",
    "Obligation",
    "State",
    "badge_count",
    "binding_programmes",
    "completeness",
    "completeness_board",
    "expand",
    "mark_sent",
    "month_deadlines",
    "obligations_of",
    "office_deadlines",
    "office_status",
    "period_for",
    "reminders",
    "today",
    "unmark_sent",
]
