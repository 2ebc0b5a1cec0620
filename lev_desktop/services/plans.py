"""Action plans (F1), activities and results (F2) and monitoring milestones (F3).

Qt-free use cases for the editors and the CLI. Rows leave as plain dataclasses (``ItemRow``,
``ActivityRow``) so the Qt models only present what a worker handed them.

Saving is incremental: the GUI sends each committed change (a cell, an inserted, removed or
moved row) as a small diff (``apply_item_changes``) that is written in one transaction, so a
killed app loses at most the cell being edited. Ids of new rows are made by the caller
(``new_id``), so later edits of a row can be queued before the insert has been written.
Records are never deleted: removing a row writes a tombstone (``deleted=True``); putting it
back (undo) clears the tombstone.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import (
    Activity,
    AuditEntry,
    FormSubmission,
    Monitoring,
    Office,
    Plan,
    PlanItem,
    Programme,
    Review,
    held_counts,
    utcnow,
)
from db.store import ForeignRecordError, Store
from lev_desktop.deadlines.engine import form_states
from lev_desktop.domain import form_status, reviews
from lev_desktop.domain.form_status import FormStatus
from lev_desktop.domain.obligation_state import State
from lev_desktop.domain.validation import (
    Problem,
    is_attachment_name,
    is_plain_name,
    review_text_problem,
    validate_activity,
    validate_monitoring,
    validate_plan_item,
)
from lev_desktop.files import explain
from lev_desktop.i18n import N_, _
from lev_desktop.paths import attachments_dir
from lev_desktop.thai_format import format_number, parse_number

NO_BUDGET_TEXT = "ไม่ใช้งบประมาณ"  # the official wording on the F1 form (data, not UI)

FORM_PLAN = "F1"
FORM_RESULTS = "F2"
FORM_MONITORING = "F3"
FORM_CODES = (FORM_PLAN, FORM_RESULTS, FORM_MONITORING)

NO_FORM = form_status.MISSING  # nothing entered yet (labels: lev_desktop.domain.form_status)


class PlanError(ValueError):
    """A request a person can fix; the message is for them (Thai)."""


def new_id() -> str:
    return str(uuid.uuid4())


def period_of(fiscal_year: int) -> str:
    return f"FY{fiscal_year}"


# ---- rows ----------------------------------------------------------------------------------

ITEM_FIELDS = (
    "seq",
    "project",
    "objective",
    "target",
    "location",
    "budget",
    "no_budget",
    "kpi",
    "expected_result",
    "planned_activities",
)
TEXT_FIELDS = ("project", "objective", "target", "location", "kpi", "expected_result")


@dataclass
class ItemRow:
    id: str = field(default_factory=new_id)
    seq: int = 0
    project: str = ""
    objective: str = ""
    target: str = ""
    location: str = ""
    budget: Decimal | None = None
    no_budget: bool = False
    kpi: str = ""
    expected_result: str = ""
    planned_activities: int = 1
    done: int = 0  # activities held (a date and a result: F2), not stored on the row
    revision: int = 0

    def values(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ITEM_FIELDS}


def budget_cell(row: ItemRow | dict[str, Any]) -> str:
    """The budget as the CLI prints it and the editor shows it: "12,500.00" or "ไม่ใช้งบประมาณ"
    ('' when not entered)."""
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    if get("no_budget"):
        return NO_BUDGET_TEXT
    budget = get("budget")
    return format_number(budget, 2)


def progress_cell(row: ItemRow) -> str:
    return f"{row.done}/{row.planned_activities}"


@dataclass
class PlanView:
    office: str
    programme_id: str
    fiscal_year: int
    plan_id: str | None
    items: list[ItemRow]
    statuses: dict[str, str]  # form code → the form's own status (or NO_FORM)
    editable: bool  # this office's own plan
    reviews: list[ReviewRow] = field(default_factory=list)
    states: dict[str, State] = field(default_factory=dict)  # form code → obligation state

    @property
    def exists(self) -> bool:
        return self.plan_id is not None and bool(self.items)


@dataclass
class ReviewRow:
    id: str
    by_office: str
    action: str
    text: str
    at: dt.datetime
    target_kind: str


def _item_row(item: Any, done: int = 0) -> ItemRow:
    """A plan_items record (a model, or any record read by attribute) as an F1 row."""
    return ItemRow(
        id=item.id,
        seq=item.seq,
        project=item.project or "",
        objective=item.objective or "",
        target=item.target or "",
        location=item.location or "",
        budget=None if item.budget is None else Decimal(item.budget).quantize(Decimal("0.01")),
        no_budget=bool(item.no_budget),
        kpi=item.kpi or "",
        expected_result=item.expected_result or "",
        planned_activities=int(item.planned_activities or 0),
        done=done,
        revision=item.revision or 0,
    )


def item_rows(records: Iterable[Any]) -> list[ItemRow]:
    """Records of ``plan_items`` (read by attribute: models, or rows a package brings) → the
    live rows of an F1 in ``item_order``, as the editor and the rule of "complete" read them
    (their progress not counted)."""
    return sorted((_item_row(r) for r in records if not r.deleted), key=item_order)


# ---- loading -------------------------------------------------------------------------------


def _plan(session: Session, office: str, programme_id: str, fiscal_year: int) -> Plan | None:
    """The office's plan; the live one when a replaced plan's tombstone shares its key."""
    return session.scalar(
        select(Plan)
        .where(
            Plan.owner_office == office,
            Plan.programme_id == programme_id,
            Plan.fiscal_year == fiscal_year,
        )
        .order_by(Plan.deleted)
        .limit(1)
    )


def _activity_counts(session: Session, item_ids: Iterable[str]) -> dict[str, int]:
    ids = list(item_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Activity.plan_item_id, func.count(Activity.id))
        .where(Activity.plan_item_id.in_(ids), Activity.deleted.is_(False), Activity.held())
        .group_by(Activity.plan_item_id)
    )
    return dict(rows.all())


def load_plan(store: Store, office: str, programme_id: str, fiscal_year: int) -> PlanView:
    """The plan of an office with its live rows (in order) and their progress."""
    with store.read() as session:
        plan = _plan(session, office, programme_id, fiscal_year)
        items: list[ItemRow] = []
        if plan is not None and not plan.deleted:
            live = list(
                session.scalars(
                    select(PlanItem)
                    .where(PlanItem.plan_id == plan.id, PlanItem.deleted.is_(False))
                    .order_by(PlanItem.seq, PlanItem.id)
                )
            )
            counts = _activity_counts(session, (i.id for i in live))
            items = [_item_row(i, counts.get(i.id, 0)) for i in live]
            if office == store.office_code:  # the editor shows them: saves are checked
                store.saw(PlanItem.__tablename__, ((i.id, i.revision) for i in live))
        found_reviews = _reviews(session, office, programme_id, fiscal_year)
    statuses = _statuses(store, [office], programme_id, fiscal_year).get(office, {})
    chips = states(store, [office], programme_id, fiscal_year).get(office, {})
    return PlanView(
        office=office,
        programme_id=programme_id,
        fiscal_year=fiscal_year,
        plan_id=plan.id if plan is not None else None,
        items=items,
        statuses=statuses,
        editable=office == store.office_code,
        reviews=found_reviews,
        states=chips,
    )


def plan_programmes(store: Store) -> list[Programme]:
    """Programmes that have an action-plan form (F1), built-in first."""
    with store.read() as session:
        rows = list(session.scalars(select(Programme).where(Programme.deleted.is_(False))))
    rows = [
        p
        for p in rows
        if any(f.get("kind") == "action_plan" for f in (p.spec or {}).get("forms", []))
    ]
    return sorted(rows, key=lambda p: (not p.builtin, p.code))


def programme_by_code(store: Store, code_or_id: str) -> Programme | None:
    with store.read() as session:
        found = session.scalar(select(Programme).where(Programme.code == code_or_id))
        return found or session.get(Programme, code_or_id)


# ---- writing plan rows ---------------------------------------------------------------------


def _require_own(store: Store) -> str:
    office = store.office_code
    if not office:
        raise PlanError(_("This database has no office yet. Set up the office first."))
    return office


def _ensure_plan(session: Session, office: str, programme_id: str, fiscal_year: int) -> Plan:
    plan = _plan(session, office, programme_id, fiscal_year)
    if plan is None:
        plan = Plan(
            id=new_id(),
            owner_office=office,
            programme_id=programme_id,
            fiscal_year=fiscal_year,
            status=FormStatus.DRAFT,
        )
        session.add(plan)
        session.flush()
    elif plan.deleted:
        plan.deleted = False
    return plan


def _clean_item_value(key: str, value: Any) -> Any:
    if key in TEXT_FIELDS:
        return "" if value is None else str(value)
    if key == "budget":
        if value in (None, ""):
            return None
        number = value if isinstance(value, Decimal) else parse_number(str(value))
        return None if number is None else Decimal(number).quantize(Decimal("0.01"))
    if key == "no_budget":
        return bool(value)
    if key in ("seq", "planned_activities"):
        return int(value or 0)
    raise KeyError(key)


def apply_item_changes(
    store: Store,
    programme_id: str,
    fiscal_year: int,
    *,
    upserts: Iterable[dict[str, Any]] = (),
    deletes: Iterable[str] = (),
) -> Saved:
    """Writes a diff of this office's plan in one transaction; returns the plan id and whether
    it put a finished F1 back into draft.

    ``upserts``: dicts with ``id`` and any of ``ITEM_FIELDS`` (a missing row is created, a
    tombstoned row comes back). ``deletes``: ids to tombstone. Values are checked with
    ``validate_plan_item(final=False)`` (drafts may be incomplete, never wrong).
    """
    office = _require_own(store)
    upserts = list(upserts)
    for change in upserts:
        problems = validate_plan_item(change, final=False)
        if problems:
            raise PlanError(problems[0].message)
    with store.session() as session:
        plan = _ensure_plan(session, office, programme_id, fiscal_year)
        for change in upserts:
            item = session.get(PlanItem, change["id"])
            if item is None:
                item = PlanItem(
                    id=change["id"],
                    plan_id=plan.id,
                    owner_office=office,
                    planned_activities=1,
                    no_budget=False,
                )
                session.add(item)
            elif item.plan_id != plan.id:
                raise PlanError(_("This row belongs to another plan."))
            if item.deleted:
                item.deleted = False
            for key, value in change.items():
                if key == "id":
                    continue
                new = _clean_item_value(key, value)
                if getattr(item, key) != new:
                    setattr(item, key, new)
            if change.get("budget") not in (None, "") and "no_budget" not in change:
                item.no_budget = False  # typing an amount takes "no budget" away
            if item.no_budget and item.budget is not None:
                item.budget = None
        for item_id in deletes:
            item = session.get(PlanItem, item_id)
            if item is not None and not item.deleted:
                item.deleted = True
        reopened = _touch_form(session, office, programme_id, fiscal_year, FORM_PLAN)
        return Saved(plan.id, reopened)


@dataclass(frozen=True)
class Saved:
    """What a save of F1's rows did: the plan's id, and ``reopened`` when it put a finished
    form back into draft (``form_status.reopened_by_edit``)."""

    plan_id: str
    reopened: bool


def _touch_form(
    session: Session, office: str, programme_id: str, fiscal_year: int, form_code: str
) -> bool:
    """An edit puts a complete (or returned) form back into draft. True when it was finished
    before this edit (``form_status.reopened_by_edit``): the clerk is told to confirm it again."""
    sub = _submission(session, office, programme_id, fiscal_year, form_code)
    reopened = form_status.reopened_by_edit(sub.status if sub is not None else None)
    if sub is None:
        session.add(
            FormSubmission(
                id=new_id(),
                owner_office=office,
                programme_id=programme_id,
                form_code=form_code,
                period=period_of(fiscal_year),
                status=FormStatus.DRAFT,
            )
        )
    elif sub.status != FormStatus.DRAFT:
        sub.status = FormStatus.DRAFT
        sub.completed_at = None
    return reopened


def _submission(
    session: Session, office: str, programme_id: str, fiscal_year: int, form_code: str
) -> FormSubmission | None:
    return session.scalar(
        select(FormSubmission)
        .where(
            FormSubmission.owner_office == office,
            FormSubmission.programme_id == programme_id,
            FormSubmission.form_code == form_code,
            FormSubmission.period == period_of(fiscal_year),
        )
        .order_by(FormSubmission.deleted)
        .limit(1)
    )


def _rows_into_plan(
    store: Store, programme_id: str, fiscal_year: int, rows: list[dict[str, Any]]
) -> int:
    """Appends rows after the plan's live rows; returns how many were added."""
    current = load_plan(store, _require_own(store), programme_id, fiscal_year)
    start = max((i.seq for i in current.items), default=0)
    upserts = []
    for offset, row in enumerate(rows, start=1):
        values = {k: row.get(k) for k in ITEM_FIELDS if k in row and k != "seq"}
        upserts.append({"id": new_id(), "seq": start + offset, **values})
    apply_item_changes(store, programme_id, fiscal_year, upserts=upserts)
    return len(upserts)


def example_rows(store: Store, programme_id: str) -> list[dict[str, Any]]:
    """The programme's example rows (spec["example_rows"]) as plan-row values."""
    programme = programme_by_code(store, programme_id)
    if programme is None:
        raise PlanError(_("The programme was not found."))
    rows = []
    for raw in (programme.spec or {}).get("example_rows", []):
        row = {k: raw.get(k) for k in ITEM_FIELDS if k in raw and k != "seq"}
        if row.get("budget") not in (None, ""):
            row["budget"] = Decimal(str(row["budget"])).quantize(Decimal("0.01"))
        row["planned_activities"] = int(row.get("planned_activities") or 1)
        rows.append(row)
    if not rows:
        raise PlanError(_("This programme has no example rows."))
    return rows


def last_year_rows(
    store: Store, programme_id: str, fiscal_year: int, office: str | None = None
) -> list[dict[str, Any]]:
    """The office's plan rows of the previous fiscal year (the same programme, or last year's
    programme made from the same template), as plan-row values."""
    office = office or _require_own(store)
    previous = load_plan(store, office, programme_id, fiscal_year - 1)
    if not previous.items:
        with store.read() as session:
            programme = session.get(Programme, programme_id)
            template = programme.template_code if programme else None
            same_kind = (
                [
                    p.id
                    for p in session.scalars(
                        select(Programme).where(Programme.template_code == template)
                    )
                ]
                if template
                else []
            )
            plan = (
                session.scalar(
                    select(Plan).where(
                        Plan.owner_office == office,
                        Plan.fiscal_year == fiscal_year - 1,
                        Plan.programme_id.in_(same_kind),
                        Plan.deleted.is_(False),
                    )
                )
                if same_kind
                else None
            )
        if plan is not None:
            previous = load_plan(store, office, plan.programme_id, fiscal_year - 1)
    if not previous.items:
        raise PlanError(
            _("There is no action plan for fiscal year {year} to copy.").format(
                year=fiscal_year - 1
            )
        )
    return [{k: v for k, v in r.values().items() if k != "seq"} for r in previous.items]


def start_from_examples(store: Store, programme_id: str, fiscal_year: int) -> int:
    """Fills the plan with the programme's example rows."""
    programme = programme_by_code(store, programme_id)
    rows = example_rows(store, programme_id)
    assert programme is not None
    return _rows_into_plan(store, programme.id, fiscal_year, rows)


def copy_last_year(store: Store, programme_id: str, fiscal_year: int) -> int:
    """Copies last year's plan rows as a starting point."""
    return _rows_into_plan(
        store, programme_id, fiscal_year, last_year_rows(store, programme_id, fiscal_year)
    )


def import_rows(
    store: Store, programme_id: str, fiscal_year: int, rows: list[dict[str, Any]]
) -> int:
    """Adds rows read from a spreadsheet; every row is checked first, so either all or none."""
    for number, row in enumerate(rows, start=1):
        problems = validate_plan_item(row, final=False)
        if problems:
            raise PlanError(
                _("Row {row}: {message}").format(row=number, message=problems[0].message)
            )
    return _rows_into_plan(store, programme_id, fiscal_year, rows)


# ---- form status -----------------------------------------------------------------------------


def _statuses(
    store: Store, offices: list[str], programme_id: str, fiscal_year: int
) -> dict[str, dict[str, str]]:
    """office → form code → the form's own status: draft / complete / returned (a return
    for correction newer than the office's last change) or NO_FORM — read from the facts the
    deadline engine reads, so that the editors and the states agree."""
    found = form_states(store, offices, programme_id, FORM_CODES, period_of(fiscal_year))
    out: dict[str, dict[str, str]] = {}
    for office in offices:
        mine = found.get(office, {})
        out[office] = {}
        for form in FORM_CODES:
            instance = mine.get(form)
            facts = instance.facts if instance is not None else None
            if facts is None or (facts.form_status is None and not facts.returned):
                out[office][form] = NO_FORM
            elif facts.returned:
                out[office][form] = FormStatus.RETURNED
            else:
                out[office][form] = facts.form_status or NO_FORM
    return out


def form_statuses(
    store: Store, offices: list[str], programme_id: str, fiscal_year: int
) -> dict[str, dict[str, str]]:
    return _statuses(store, offices, programme_id, fiscal_year)


def states(
    store: Store, offices: list[str], programme_id: str, fiscal_year: int
) -> dict[str, dict[str, State]]:
    """office → form code → the state of the obligation the form fulfils (the one model):
    the chips of the F1/F2/F3 lists and editors."""
    found = form_states(store, offices, programme_id, FORM_CODES, period_of(fiscal_year))
    return {
        office: {form: instance.state for form, instance in found.get(office, {}).items()}
        for office in offices
    }


def _review_target(programme_id: str, fiscal_year: int) -> str:
    # Review.target_id is 36 characters: a stable id for "this programme's forms in this year".
    return reviews.plan_forms_target(programme_id, fiscal_year)


def numbered(number: int, problem: Problem) -> str:
    """A problem of a form's rule as one line: "แถวที่ 2: โปรดกรอกชื่อโครงการ" (the row it is
    about, counted from 1), or its message alone when it is about the whole form (0)."""
    if number:
        return _("Row {row}: {message}").format(row=number, message=problem.message)
    return problem.message


def item_order(item: ItemRow) -> tuple[int, str]:
    """The order of an F1's rows (the editor's, the printed form's, the rule's row numbers)."""
    return (item.seq, item.id)


def activity_order(row: ActivityRow) -> tuple[dt.date, str, str]:
    """The order of an F2's activities: by date (undated last), then title."""
    return (row.held_on or dt.date.max, row.title, row.id)


def completion_problems(
    form_code: str,
    *,
    items: Sequence[ItemRow] = (),
    activities: Sequence[ActivityRow] = (),
    monitoring: dict[str, Any] | None = None,
) -> list[tuple[int, Problem]]:
    """The one rule of "complete" of F1, F2 and F3, on rows that need not be in the database:
    (row number, problem), [] when the form may be marked complete. ``items``: the F1's live
    rows in ``item_order``; ``activities``: the F2's live activities of those rows in
    ``activity_order``; ``monitoring``: the F3's milestones (``MONITORING_FIELDS``; None: none
    entered). ``set_form_status`` asks it of the rows this office holds; the office above
    asks it of a form a package calls complete (``exchange.completeness``)."""
    if form_code == FORM_PLAN:
        if not items:
            return [(0, Problem("items", _("The action plan has no rows yet.")))]
        return [
            (number, problem)
            for number, item in enumerate(items, start=1)
            for problem in validate_plan_item(item.values(), final=True)
        ]
    if form_code == FORM_RESULTS:
        return [
            (number, problem)
            for number, row in enumerate(activities, start=1)
            for problem in validate_activity(row.values())
        ]
    values = monitoring or dict.fromkeys(MONITORING_FIELDS)
    return [(1, problem) for problem in validate_monitoring(values, final=True)]


def plan_problems(
    store: Store, programme_id: str, fiscal_year: int, office: str | None = None
) -> list[tuple[int, Problem]]:
    """Problems that stop F1 from being marked complete: (row number, problem)."""
    view = load_plan(store, office or _require_own(store), programme_id, fiscal_year)
    return completion_problems(FORM_PLAN, items=view.items)


def activity_problems(
    store: Store, programme_id: str, fiscal_year: int, office: str | None = None
) -> list[tuple[int, Problem]]:
    rows = list_activities(store, office or _require_own(store), programme_id, fiscal_year)
    return completion_problems(FORM_RESULTS, activities=rows)


def activity_problem_rows(
    store: Store, programme_id: str, fiscal_year: int, office: str | None = None
) -> list[tuple[ActivityRow | None, Problem]]:
    """``activity_problems`` with the activity each is about instead of its row number (None:
    the whole form). The F2 editor shows one project's activities at a time and no row
    numbers: it names the project and the activity, and goes to it."""
    rows = list_activities(store, office or _require_own(store), programme_id, fiscal_year)
    return [
        (rows[number - 1] if number else None, problem)
        for number, problem in completion_problems(FORM_RESULTS, activities=rows)
    ]


def set_form_status(
    store: Store, programme_id: str, fiscal_year: int, form_code: str, status: str
) -> list[tuple[int, Problem]]:
    """Sets this office's form status. "complete" only when validation passes: returns the
    problems (nothing changed) or [] when done."""
    office = _require_own(store)
    if status not in FormStatus.ALL or form_code not in FORM_CODES:
        raise PlanError(_("Unknown form status."))
    if status == FormStatus.COMPLETE:
        if form_code == FORM_PLAN:
            problems = plan_problems(store, programme_id, fiscal_year)
        elif form_code == FORM_RESULTS:
            problems = activity_problems(store, programme_id, fiscal_year)
        else:
            view = get_monitoring(store, office, programme_id, fiscal_year)
            problems = completion_problems(FORM_MONITORING, monitoring=view.values())
        if problems:
            return problems
    with store.session() as session:
        sub = _submission(session, office, programme_id, fiscal_year, form_code)
        if sub is None:
            sub = FormSubmission(
                id=new_id(),
                owner_office=office,
                programme_id=programme_id,
                form_code=form_code,
                period=period_of(fiscal_year),
            )
            session.add(sub)
        sub.status = status
        sub.completed_at = utcnow() if status == FormStatus.COMPLETE else sub.completed_at
        if form_code == FORM_PLAN:
            plan = _plan(session, office, programme_id, fiscal_year)
            if plan is not None and plan.status != status:
                plan.status = status
    return []


# ---- activities (F2) -----------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "plan_item_id",
    "title",
    "held_on",
    "held_until",
    "place",
    "participants",
    "outputs",
    "budget_spent",
    "problems",
    "remedies",
    "attachments",
)


@dataclass
class ActivityRow:
    id: str = field(default_factory=new_id)
    plan_item_id: str = ""
    title: str = ""
    held_on: dt.date | None = None
    held_until: dt.date | None = None
    place: str = ""
    participants: int | None = None
    outputs: str = ""
    budget_spent: Decimal | None = None
    problems: str = ""
    remedies: str = ""
    attachments: list[str] = field(default_factory=list)
    project: str = ""  # the plan row's project (for display)
    kpi: str = ""  # the plan row's KPI (outputs are recorded against it)

    def values(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ACTIVITY_FIELDS}


def _activity_row(a: Any, item: PlanItem | ItemRow | None) -> ActivityRow:
    """An activities record (a model, or any record read by attribute) as an F2 row."""
    return ActivityRow(
        id=a.id,
        plan_item_id=a.plan_item_id,
        title=a.title or "",
        held_on=a.held_on,
        held_until=a.held_until,
        place=a.place or "",
        participants=a.participants,
        outputs=a.outputs or "",
        budget_spent=None
        if a.budget_spent is None
        else Decimal(a.budget_spent).quantize(Decimal("0.01")),
        problems=a.problems or "",
        remedies=a.remedies or "",
        attachments=list(a.attachments or []),
        project=item.project if item else "",
        kpi=item.kpi if item else "",
    )


def activity_rows(records: Iterable[Any], items: dict[str, ItemRow]) -> list[ActivityRow]:
    """Records of ``activities`` (read by attribute) → the live activities of the F1 rows
    ``items`` (id → row) in ``activity_order``, as the rule of "complete" reads them."""
    out = [
        _activity_row(a, items[a.plan_item_id])
        for a in records
        if not a.deleted and a.plan_item_id in items
    ]
    out.sort(key=activity_order)
    return out


def list_activities(
    store: Store, office: str, programme_id: str, fiscal_year: int, plan_item_id: str | None = None
) -> list[ActivityRow]:
    """Live activities of an office's plan (optionally of one row), by date."""
    with store.read() as session:
        plan = _plan(session, office, programme_id, fiscal_year)
        if plan is None:
            return []
        items = {
            i.id: i
            for i in session.scalars(
                select(PlanItem).where(PlanItem.plan_id == plan.id, PlanItem.deleted.is_(False))
            )
        }
        ids = [plan_item_id] if plan_item_id else list(items)
        if not ids:
            return []
        rows = list(
            session.scalars(
                select(Activity).where(Activity.plan_item_id.in_(ids), Activity.deleted.is_(False))
            )
        )
        if office == store.office_code:  # the editor shows them: saves are checked
            store.saw(Activity.__tablename__, ((a.id, a.revision) for a in rows))
        out = [_activity_row(a, items.get(a.plan_item_id)) for a in rows]
    out.sort(key=activity_order)
    return out


def _clean_activity_value(key: str, value: Any) -> Any:
    if key in ("title", "place", "outputs", "problems", "remedies", "plan_item_id"):
        return "" if value is None else str(value)
    if key in ("held_on", "held_until"):
        return value or None
    if key == "participants":
        return None if value in (None, "") else int(value)
    if key == "budget_spent":
        if value in (None, ""):
            return None
        number = value if isinstance(value, Decimal) else parse_number(str(value))
        return None if number is None else Decimal(number).quantize(Decimal("0.01"))
    if key == "attachments":
        return list(value or [])
    raise KeyError(key)


def save_activity(
    store: Store, programme_id: str, fiscal_year: int, change: dict[str, Any]
) -> bool:
    """Creates or updates one activity of this office (``change`` has ``id`` and fields);
    True when that put a finished F2 back into draft."""
    office = _require_own(store)
    with store.session() as session:
        activity = session.get(Activity, change["id"])
        if activity is None:
            item = session.get(PlanItem, change.get("plan_item_id") or "")
            if item is None or item.owner_office != office or item.deleted:
                raise PlanError(_("Choose a project of this office's action plan first."))
            activity = Activity(
                id=change["id"], owner_office=office, plan_item_id=item.id, attachments=[]
            )
            session.add(activity)
        elif activity.owner_office != office:
            raise ForeignRecordError(Activity.__tablename__, activity.owner_office)
        if activity.deleted:
            activity.deleted = False
        merged = {k: getattr(activity, k) for k in ACTIVITY_FIELDS}
        merged.update({k: _clean_activity_value(k, v) for k, v in change.items() if k != "id"})
        problems = validate_activity(merged, fiscal_year)
        if merged.get("held_on") is None:  # (a row without its day yet is saved; F2's rule asks)
            problems = [p for p in problems if p.field != "held_on"]
        if problems:
            raise PlanError(problems[0].message)
        for key, value in change.items():
            if key == "id":
                continue
            new = _clean_activity_value(key, value)
            if getattr(activity, key) != new:
                setattr(activity, key, new)
        return _touch_form(session, office, programme_id, fiscal_year, FORM_RESULTS)


def delete_activity(store: Store, programme_id: str, fiscal_year: int, activity_id: str) -> bool:
    """True when the deletion put a finished F2 back into draft."""
    office = _require_own(store)
    with store.session() as session:
        activity = session.get(Activity, activity_id)
        if activity is not None and not activity.deleted:
            activity.deleted = True
            return _touch_form(session, office, programme_id, fiscal_year, FORM_RESULTS)
    return False


MAX_ATTACHMENT_BYTES = 100 * 1024**2  # a photo, minutes or a short video clip

# What a file is: from its first bytes (what it really is) and from its name (what Windows
# would do with it when opened). A program, a shortcut or a script is never opened from here.
_MAGIC = (
    (b"%PDF", "pdf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0", "office"),
    (b"MZ", "program"),
    (b"\x7fELF", "program"),
    (b"#!", "program"),
    (b"L\x00\x00\x00\x01\x14\x02\x00", "program"),  # a Windows shortcut (.lnk)
)
_BY_EXTENSION = {
    ".pdf": "pdf",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".gif": "gif",
    ".doc": "office",
    ".docx": "office",
    ".xls": "office",
    ".xlsx": "office",
    ".ppt": "office",
    ".pptx": "office",
    ".odt": "office",
    ".ods": "office",
    ".txt": "text",
    ".csv": "text",
    ".mp4": "video",
    ".mov": "video",
    ".mp3": "audio",
    ".zip": "zip",
}
_PROGRAMS = frozenset(
    [
        ".exe",
        ".bat",
        ".cmd",
        ".com",
        ".scr",
        ".msi",
        ".msp",
        ".ps1",
        ".psm1",
        ".vbs",
        ".vbe",
        ".js",
        ".jse",
        ".wsf",
        ".wsh",
        ".hta",
        ".lnk",
        ".url",
        ".reg",
        ".cpl",
        ".jar",
        ".pif",
        ".dll",
        ".sys",
        ".appref-ms",
        ".application",
        ".gadget",
        ".msc",
        ".inf",
        ".scf",
        ".iso",
        ".img",
        ".vhd",
        ".vhdx",
        ".library-ms",
        ".settingcontent-ms",
        ".docm",
        ".xlsm",
        ".pptm",
        ".sh",
        ".desktop",
        ".app",
    ]
)
_KIND_LABELS = {
    "pdf": N_("PDF document"),
    "png": N_("Picture (PNG)"),
    "jpeg": N_("Photo (JPEG)"),
    "gif": N_("Picture (GIF)"),
    "office": N_("Office document (Word, Excel, PowerPoint)"),
    "zip": N_("Compressed folder (ZIP)"),
    "text": N_("Text file"),
    "video": N_("Video"),
    "audio": N_("Sound"),
    "program": N_("Program or script"),
    "unknown": N_("File of another type"),
}


@dataclass(frozen=True)
class AttachmentInfo:
    """What the activities screen shows before opening an attached file."""

    name: str
    path: Path | None  # None unless it is a file inside the attachments folder
    kind: str  # Thai label of what the file is
    size: int | None
    openable: bool
    reason: str = ""  # why it is not opened (Thai)


def plain_attachment_name(name: str) -> str:
    """A file name made plain (no folder, drive, device or characters Windows reads another
    way), for a file the officer attaches."""
    cleaned = "".join(
        "_" if ch in '\\/:*?"<>|' or ord(ch) < 0x20 or 0x202A <= ord(ch) <= 0x202E else ch
        for ch in Path(name).name
    ).strip(" .")
    if not cleaned or not is_plain_name(cleaned):
        cleaned = "_" + (cleaned or "file")
    return cleaned[:200]


def add_attachment(source: Path, activity_id: str) -> str:
    """Copies a file (photo, minutes) into the attachments folder; returns the path relative
    to ``paths.attachments_dir()`` that is stored in ``Activity.attachments``."""
    source = Path(source)
    if not source.is_file():
        raise PlanError(_("File not found: {name}").format(name=str(source)))
    if source.stat().st_size > MAX_ATTACHMENT_BYTES:
        raise PlanError(
            _("The file is too large to attach (at most {size} MB).").format(
                size=MAX_ATTACHMENT_BYTES // 1024**2
            )
        )
    if not is_attachment_name(f"{activity_id}/x"):
        raise PlanError(_("File not found: {name}").format(name=activity_id))
    folder = attachments_dir() / activity_id
    name = plain_attachment_name(source.name)
    target = folder / name
    tmp = target
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stem, suffix, n = Path(name).stem, Path(name).suffix, 1
        while target.exists():
            n += 1
            target = folder / f"{stem} ({n}){suffix}"
        tmp = target.with_name(target.name + ".part")
        try:
            shutil.copyfile(source, tmp)
            tmp.replace(target)
        finally:
            if tmp.exists():
                tmp.unlink()
    except OSError as exc:  # a Thai sentence, never "[Errno 13] …" (see attachment_failure)
        raise PlanError(attachment_failure(exc, source, target)) from exc
    return target.relative_to(attachments_dir()).as_posix()


def attachment_failure(exc: OSError, source: Path, target: Path) -> str:
    """What to tell the officer when attaching ``source`` failed: the file chosen could not be
    read (held by another program, a drive removed), or the copy could not be written (the
    disk full …, ``lev_desktop.files.explain``)."""
    if exc.filename is not None and Path(exc.filename) == source:
        return _(
            "The file {name} cannot be read: it may be open in another program, or its drive "
            "was removed. Close it there (or copy it into Documents first) and try again."
        ).format(name=str(source))
    return explain(exc, target).message


def attachment_path(relative: str) -> Path:
    """The file of an attachment, which is always inside the attachments folder: a name that
    could lead anywhere else (absolute, UNC, a drive, "..") raises ValueError."""
    info = attachment_info(relative, read=False)
    if info.path is None:
        raise ValueError(info.reason)
    return info.path


def attachment_info(relative: str, *, read: bool = True) -> AttachmentInfo:
    """Where an attached file is and what it is, without opening it: only a plain name inside
    the attachments folder (after following links) is a file; a program, a shortcut or a
    script — by its name or by its first bytes, whatever its name says — is never opened."""
    name = str(relative).rsplit("/", 1)[-1][:80]
    unknown = _(_KIND_LABELS["unknown"])
    if not is_attachment_name(relative):
        return AttachmentInfo(
            name,
            None,
            unknown,
            None,
            False,
            _("“{name}” is not a plain file name").format(name=name),
        )
    root = attachments_dir().resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or path == root:
        return AttachmentInfo(
            name,
            None,
            unknown,
            None,
            False,
            _("“{name}” is not a plain file name").format(name=name),
        )
    if not read:
        return AttachmentInfo(name, path, unknown, None, True)
    if not path.is_file():
        return AttachmentInfo(
            name,
            path,
            unknown,
            None,
            False,
            _("The file is not on this computer (attached files do not travel in packages)."),
        )
    with path.open("rb") as handle:
        head = handle.read(16)
    by_content = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    suffix = path.suffix.lower()
    by_name = "program" if suffix in _PROGRAMS else _BY_EXTENSION.get(suffix, "unknown")
    kind = "program" if "program" in (by_content, by_name) else (by_content or by_name)
    if by_content == "zip" and by_name == "office":
        kind = "office"  # .docx and .xlsx are zip files
    label = _(_KIND_LABELS.get(kind, _KIND_LABELS["unknown"]))
    size = path.stat().st_size
    if kind == "program":
        return AttachmentInfo(
            name,
            path,
            label,
            size,
            False,
            _(
                "“{name}” is a program or a script, not a document; LEV Desktop does not open it."
            ).format(name=name),
        )
    return AttachmentInfo(name, path, label, size, True)


# ---- monitoring (F3) -----------------------------------------------------------------------

MONITORING_FIELDS = (
    "committee_selected_on",
    "committee_met_on",
    "plan_made_on",
    "activities_override",
    "override_reason",
    "reported_on",
    "notice_posted_on",
    "note",
)


@dataclass
class MonitoringView:
    office: str
    programme_id: str
    fiscal_year: int
    id: str | None = None
    committee_selected_on: dt.date | None = None
    committee_met_on: dt.date | None = None
    plan_made_on: dt.date | None = None
    activities_override: int | None = None
    override_reason: str = ""
    reported_on: dt.date | None = None
    notice_posted_on: dt.date | None = None
    note: str = ""
    derived_activities: int = 0
    editable: bool = False

    @property
    def activities(self) -> int:
        return (
            self.derived_activities
            if self.activities_override is None
            else self.activities_override
        )

    def values(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in MONITORING_FIELDS}


def get_monitoring(
    store: Store, office: str, programme_id: str, fiscal_year: int
) -> MonitoringView:
    with store.read() as session:
        row = session.scalar(
            select(Monitoring)
            .where(
                Monitoring.owner_office == office,
                Monitoring.programme_id == programme_id,
                Monitoring.fiscal_year == fiscal_year,
            )
            .order_by(Monitoring.deleted)
        )
        # (of the live plan only: a deleted one's rows were counted here, not in the report)
        counts = session.execute(held_counts(programme_id, fiscal_year, [office])).all()
        derived = dict(counts).get(office, 0)
    view = MonitoringView(
        office=office,
        programme_id=programme_id,
        fiscal_year=fiscal_year,
        derived_activities=derived,
        editable=office == store.office_code,
    )
    if row is not None and not row.deleted:
        view.id = row.id
        if view.editable:  # the editor shows it: a save is checked
            store.saw(Monitoring.__tablename__, [(row.id, row.revision)])
        for key, value in monitoring_values(row).items():
            setattr(view, key, value)
    return view


def monitoring_values(record: Any) -> dict[str, Any]:
    """A ``monitoring`` record (read by attribute: a model, or a row a package brings) → the
    F3's milestones as the editor and the rule of "complete" read them."""
    values = {key: getattr(record, key) for key in MONITORING_FIELDS}
    values["override_reason"] = values["override_reason"] or ""
    values["note"] = values["note"] or ""
    return values


def save_monitoring(
    store: Store, programme_id: str, fiscal_year: int, values: dict[str, Any]
) -> bool:
    """Writes this office's milestones (the given fields); an override needs a reason. True
    when that put a finished F3 back into draft."""
    office = _require_own(store)
    with store.session() as session:
        row = session.scalar(
            select(Monitoring)
            .where(
                Monitoring.owner_office == office,
                Monitoring.programme_id == programme_id,
                Monitoring.fiscal_year == fiscal_year,
            )
            .order_by(Monitoring.deleted)
        )
        current = (
            {k: getattr(row, k) for k in MONITORING_FIELDS}
            if row is not None
            else dict.fromkeys(MONITORING_FIELDS)
        )
        merged = {**current, **values}
        problems = validate_monitoring(merged, final=False)
        if problems:
            raise PlanError(problems[0].message)
        if row is None:
            row = Monitoring(
                id=new_id(), owner_office=office, programme_id=programme_id, fiscal_year=fiscal_year
            )
            session.add(row)
        row.deleted = False
        for key, value in values.items():
            if key not in MONITORING_FIELDS:
                raise KeyError(key)
            if key in ("override_reason", "note"):
                value = value or ""
            if getattr(row, key) != value:
                setattr(row, key, value)
        return _touch_form(session, office, programme_id, fiscal_year, FORM_MONITORING)


# ---- reviews (district / province) -----------------------------------------------------------

REVIEW_COMMENT = "comment"
REVIEW_RETURNED = "returned"


def _reviews(session: Session, office: str, programme_id: str, fiscal_year: int) -> list[ReviewRow]:
    rows = session.scalars(
        select(Review)
        .where(
            Review.target_office == office,
            Review.target_id == _review_target(programme_id, fiscal_year),
            Review.deleted.is_(False),
        )
        .order_by(Review.updated_at.desc())
    )
    return [
        ReviewRow(
            id=r.id,
            by_office=r.owner_office,
            action=r.action,
            text=r.text or "",
            at=r.updated_at,
            target_kind=r.target_kind,
        )
        for r in rows
    ]


def add_review(
    store: Store,
    target_office: str,
    programme_id: str,
    fiscal_year: int,
    form_code: str,
    action: str,
    text: str,
) -> None:
    """A higher office comments on, or returns for correction, an LAO's form. The review is
    this office's record; the LAO's own records are never touched."""
    office = _require_own(store)
    if target_office == office:
        raise PlanError(_("An office cannot review its own forms."))
    if action not in (REVIEW_COMMENT, REVIEW_RETURNED) or form_code not in FORM_CODES:
        raise PlanError(_("Unknown review action."))
    if not text.strip():
        raise PlanError(_("Please write what should be corrected or commented on."))
    problem = review_text_problem(text.strip())
    if problem:
        raise PlanError(problem)
    with store.session() as session:
        session.add(
            Review(
                id=new_id(),
                owner_office=office,
                target_office=target_office,
                target_kind=form_code,
                target_id=_review_target(programme_id, fiscal_year),
                action=action,
                text=text.strip(),
            )
        )


# ---- audit -------------------------------------------------------------------------------------


@dataclass
class AuditRow:
    at: dt.datetime
    officer: str
    office: str
    table: str
    record_id: str
    action: str
    field: str
    old: Any
    new: Any


def audit_history(store: Store, record_ids: Iterable[str]) -> list[AuditRow]:
    """Every recorded change of these records, newest first, one row per changed field."""
    ids = list(record_ids)
    if not ids:
        return []
    with store.read() as session:
        entries = list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.record_id.in_(ids))
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            )
        )
    out: list[AuditRow] = []
    for e in entries:
        changes = e.changes or {}
        if not changes:
            out.append(
                AuditRow(
                    e.at, e.officer, e.office, e.table_name, e.record_id, e.action, "", None, None
                )
            )
        for key, pair in changes.items():
            if key in ("id", "owner_office"):
                continue
            old, new = ([*list(pair), None, None])[:2]
            out.append(
                AuditRow(
                    e.at, e.officer, e.office, e.table_name, e.record_id, e.action, key, old, new
                )
            )
    return out


# ---- LAO lists (district / province) ------------------------------------------------------------

_NAME_ABBREVIATIONS = (
    ("องค์การบริหารส่วนตำบล", "อบต."),
    ("องค์การบริหารส่วนจังหวัด", "อบจ."),
    ("เทศบาลตำบล", "ทต."),
    ("เทศบาลเมือง", "ทม."),
    ("เทศบาลนคร", "ทน."),
)


def short_office_name(name: str) -> str:
    """ "องค์การบริหารส่วนตำบลหนองแสง" → "อบต.หนองแสง": lists at 1366 px show the place."""
    for long, short in _NAME_ABBREVIATIONS:
        if name.startswith(long):
            return short + name[len(long) :]
    return name


@dataclass
class OfficeStatusRow:
    code: str
    name: str
    district_code: str
    statuses: dict[str, State]  # form code → the state of the obligation it fulfils
    rows: int
    activities: int  # activities held (with a date and a result)


def offices_overview(
    store: Store, offices: list[Office], programme_id: str, fiscal_year: int
) -> list[OfficeStatusRow]:
    """One line per office: F1/F2/F3 status, plan rows and activities held (counts in SQL)."""
    codes = [o.code for o in offices]
    chips = states(store, codes, programme_id, fiscal_year)
    with store.read() as session:
        item_counts = dict(
            session.execute(
                select(Plan.owner_office, func.count(PlanItem.id))
                .join(PlanItem, PlanItem.plan_id == Plan.id)
                .where(
                    Plan.programme_id == programme_id,
                    Plan.fiscal_year == fiscal_year,
                    Plan.owner_office.in_(codes),
                    Plan.deleted.is_(False),
                    PlanItem.deleted.is_(False),
                )
                .group_by(Plan.owner_office)
            ).all()
        )
        act_counts = dict(session.execute(held_counts(programme_id, fiscal_year, codes)).all())
    return [
        OfficeStatusRow(
            o.code,
            o.name,
            o.district_code or "",
            chips.get(o.code, {}),
            item_counts.get(o.code, 0),
            act_counts.get(o.code, 0),
        )
        for o in offices
    ]


# ---- CLI text --------------------------------------------------------------------------------


def plan_lines(view: PlanView) -> list[list[str]]:
    """The plan rows as the CLI prints them (tab-separated by the caller)."""
    return [
        [
            str(number),
            r.project,
            r.objective,
            r.target,
            r.location,
            budget_cell(r),
            r.kpi,
            r.expected_result,
            progress_cell(r),
        ]
        for number, r in enumerate(view.items, start=1)
    ]


def item_from_values(values: dict[str, Any]) -> ItemRow:
    known = {f.name for f in fields(ItemRow)}
    return ItemRow(**{k: v for k, v in values.items() if k in known})


__all__ = [
    "ActivityRow",
    "ItemRow",
    "MonitoringView",
    "PlanError",
    "PlanView",
    "Saved",
    "apply_item_changes",
    "budget_cell",
    "copy_last_year",
    "format_number",
    "load_plan",
    "start_from_examples",
]
