"""The stored status of a form (``FormSubmission.status``): draft / complete / sent / returned.

This is the one ``FormStatus`` (``db.models`` imports it from here). It says how far the
*form* is — "complete" is only ever set after the one validation passed
(``lev_desktop.domain.validation``) and any edit puts the form back into draft. Whether an
obligation is done, sent, received, late or overdue is a different question, answered by
``lev_desktop.domain.obligation_state`` from this and the other facts.
"""

from __future__ import annotations

from lev_desktop.i18n import N_, _


class FormStatus:
    DRAFT = "draft"
    COMPLETE = "complete"
    # "sent" is kept for records written by earlier versions; sending is a fact of the
    # exchange now (``form_deliveries``), so a sent form counts as complete.
    SENT = "sent"
    RETURNED = "returned"
    ALL = (DRAFT, COMPLETE, SENT, RETURNED)
    FINISHED = (COMPLETE, SENT)  # the one validation passed


DRAFT, COMPLETE, SENT, RETURNED = (
    FormStatus.DRAFT,
    FormStatus.COMPLETE,
    FormStatus.SENT,
    FormStatus.RETURNED,
)
MISSING = "missing"  # nothing entered yet (no FormSubmission)

STATUS_LABELS = {
    MISSING: N_("Not started"),
    DRAFT: N_("Draft"),
    COMPLETE: N_("Complete"),
    SENT: N_("Sent"),
    RETURNED: N_("Returned for correction"),
}


def reopened_by_edit(status: str | None) -> bool:
    """Whether an edit of a form in ``status`` (None: no form yet) puts a finished form back
    into draft: the clerk must confirm it complete again for it to count (issue 12: the chip
    turned from "done" to "overdue" with no word why)."""
    return status in FormStatus.FINISHED


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))
