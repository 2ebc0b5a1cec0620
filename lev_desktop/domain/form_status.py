"""The one status vocabulary of forms, with its text labels (colour is never used alone).

A stored ``FormSubmission.status`` is draft / complete / sent / returned; "missing" (nothing
entered yet) and "overdue" (not complete and past its deadline) are derived for lists.
Colours live in the UI (``ui.widgets.status``), keyed by these same names.
"""

from __future__ import annotations

from lev_desktop.i18n import N_, _

# The same values as db.models.FormStatus (the domain does not import db).
DRAFT, COMPLETE, SENT, RETURNED = "draft", "complete", "sent", "returned"
MISSING = "missing"
OVERDUE = "overdue"
DUE_SOON = "due_soon"  # not complete, due within DUE_SOON_DAYS
DUE_SOON_DAYS = 7

STATUS_LABELS = {
    MISSING: N_("Not started"),
    DRAFT: N_("Draft"),
    COMPLETE: N_("Complete"),
    SENT: N_("Sent"),
    RETURNED: N_("Returned for correction"),
    DUE_SOON: N_("Due soon"),
    OVERDUE: N_("Overdue"),
}


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))
