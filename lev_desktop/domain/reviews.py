"""Where a review (a comment, or a return for correction) of a form points.

Two kinds of forms are reviewed: the action plan, results and monitoring forms (F1/F2/F3) of
one programme and fiscal year, and the indicator forms (``FormSubmission`` rows). Both the
services that write reviews and the deadline engine that reads "returned for correction"
use these keys.
"""

from __future__ import annotations

import uuid

RETURNED = "returned"
COMMENT = "comment"
# Review.target_kind of an indicator form: the review points at the FormSubmission id.
SUBMISSION_KIND = "form_submissions"


def plan_forms_target(programme_id: str, fiscal_year: int) -> str:
    """Review.target_id of "this programme's F1/F2/F3 forms in this fiscal year" (36 chars);
    Review.target_kind is then the form code."""
    try:
        namespace = uuid.UUID(programme_id)
    except ValueError:
        namespace = uuid.NAMESPACE_URL
    return str(uuid.uuid5(namespace, f"forms-{fiscal_year}"))
