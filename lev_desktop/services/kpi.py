"""KPI entry: the indicator forms of programmes (P2 "Clean Province", P3 questionnaire,
P4 monthly report, P5 Soft-Power products), their values, status and reviews.

A value is keyed by (office, programme, indicator, period, row key) — see ``KpiValue``.
Periods: ``FY2568`` (a fiscal year, BE), ``2025-07`` (a month, Gregorian, read as
"กรกฎาคม 2568"), ``ONCE`` (a one-off questionnaire). Row keys: '' for single values, a UUID per
product of a form of repeated groups. Removing a product sets ``deleted`` on its values (a
tombstone that travels). Every check is ``lev_desktop.domain.validation``; nothing invalid is
written. Plain data in and out; the Qt screen calls these functions on a worker thread.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from db.models import (
    FormSubmission,
    KpiValue,
    Office,
    Programme,
    Review,
    utcnow,
)
from db.store import Store
from lev_desktop.deadlines.engine import DeadlineBook, Instance, reminder_days
from lev_desktop.domain import form_status
from lev_desktop.domain.form_status import FormStatus
from lev_desktop.domain.obligation_state import State
from lev_desktop.domain.validation import (
    NUMERIC_KINDS,
    Problem,
    is_repeated,
    review_text_problem,
    row_indicators,
    savable_changes,
    validate_rows,
)
from lev_desktop.i18n import _, ngettext
from lev_desktop.thai_format import (
    ONCE_PERIOD,
    fiscal_months,
    format_date,
    format_money,
    format_number,
    format_period,
)
from lev_desktop.thai_format import parse_period as typed_period

KPI_FORM_KINDS = ("kpi", "products")
ONCE = ONCE_PERIOD
REVIEW_KIND = "form_submissions"


class KpiError(ValueError):
    """A request a person can fix (unknown programme, wrong period, not this office's form)."""


class KpiValidationError(KpiError):
    """Values that break a rule; nothing was written. ``problems`` say what and where."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


# ---- periods ---------------------------------------------------------------------------


def kpi_forms(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in spec.get("forms", []) if f.get("kind") in KPI_FORM_KINDS]


def periods_of(programme: Programme, fiscal_year: int) -> list[str]:
    """The periods a KPI programme is reported for, seen from a fiscal year (BE)."""
    kind = programme.spec.get("kpi_period", "fiscal_year")
    if kind == "monthly":
        return [f"{y:04d}-{m:02d}" for y, m in fiscal_months(fiscal_year)]
    if kind == "once":
        return [ONCE]
    return [f"FY{programme.fiscal_year or fiscal_year}"]


def parse_period(text: str) -> str:
    """Typed period → stored form (``thai_format.parse_period``); KpiError in Thai otherwise."""
    try:
        return typed_period(text)
    except ValueError:
        raise KpiError(
            _("Unknown period “{period}”: use FY2568, 2568-07 (a month) or ONCE").format(
                period=text
            )
        ) from None


def period_label(period: str) -> str:
    """What a person reads: "ปีงบประมาณ พ.ศ. 2568", "กรกฎาคม 2568", "รายงานครั้งเดียว"."""
    return format_period(period)


def local_time(at: dt.datetime | None) -> dt.datetime | None:
    """A stored UTC time (naive) → this computer's local time, for display."""
    if at is None:
        return None
    return at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


# ---- values ----------------------------------------------------------------------------


def _number_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def format_value(indicator: dict[str, Any], value: Any) -> str:
    """A stored value as a person reads it (the GUI and the CLI both use this)."""
    if value is None or value == "":
        return ""
    kind = indicator.get("type", "text")
    if kind == "integer":
        return format_number(int(value))
    if kind == "baht":
        return format_money(Decimal(str(value)), unit=False)
    if kind in ("decimal", "percent"):
        number = Decimal(str(value)).normalize()
        places = max(0, -number.as_tuple().exponent)  # type: ignore[operator]
        return format_number(number, min(places, 4))
    if kind == "date":
        return format_date(value, "short") if isinstance(value, dt.date) else str(value)
    if kind == "bool":
        return _("Yes") if value else _("No")
    return str(value)


def edit_text(indicator: dict[str, Any], value: Any) -> str:
    """A stored value as the editor shows it for typing over (no grouping, BE dates)."""
    if value is None:
        return ""
    kind = indicator.get("type", "text")
    if kind == "integer":
        return str(int(value))
    if kind == "baht":
        return f"{Decimal(str(value)):.2f}"
    if kind in ("decimal", "percent"):
        return _number_text(Decimal(str(value)))
    if kind == "date" and isinstance(value, dt.date):
        return format_date(value, "numeric")
    if kind == "bool":
        return _("Yes") if value else _("No")
    return str(value)


def _as_typed(number: Decimal) -> Decimal:
    """A number read back from its column without the column's scale: value_num is
    Numeric(18, 4), so 12500.5 comes back as 12500.5000 and a baht amount failed its
    "at most two decimals" check when the form was marked complete. Trailing zeros go;
    a whole number keeps no decimals (4500, never 4.5E+3)."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def value_column(indicator: dict[str, Any]) -> str:
    """The column of a KPI value that holds an answer of ``indicator``'s kind (the others are
    not read for it)."""
    kind = indicator.get("type", "text")
    if kind in NUMERIC_KINDS or kind == "bool":
        return "value_num"
    return "value_date" if kind == "date" else "value_text"


def _stored_value(indicator: dict[str, Any], row: KpiValue) -> Any:
    column = value_column(indicator)
    value = getattr(row, column)
    if value is None or column != "value_num":
        return value
    kind = indicator.get("type", "text")
    if kind == "bool":
        return bool(value)
    number = Decimal(str(value))
    return int(number) if kind == "integer" else _as_typed(number)


def _write_value(indicator: dict[str, Any], row: KpiValue, value: Any) -> None:
    kind = indicator.get("type", "text")
    row.value_num = row.value_text = row.value_date = None
    if value is None:
        return
    if kind in ("integer", "decimal", "percent", "baht"):
        row.value_num = Decimal(str(value))
    elif kind == "date":
        row.value_date = value
    elif kind == "bool":
        row.value_num = Decimal(1 if value else 0)
    else:
        row.value_text = str(value)


# ---- programmes ------------------------------------------------------------------------


def kpi_programmes(store: Store) -> list[Programme]:
    """Active programmes with at least one KPI form, built-ins first."""
    with store.read() as session:
        rows = list(
            session.scalars(
                select(Programme).where(Programme.deleted.is_(False), Programme.active.is_(True))
            )
        )
    rows = [p for p in rows if kpi_forms(p.spec)]
    return sorted(rows, key=lambda p: (not p.builtin, p.code))


def get_programme(store: Store, code_or_id: str) -> Programme:
    with store.read() as session:
        found = session.scalar(
            select(Programme).where(Programme.code == code_or_id)
        ) or session.get(Programme, code_or_id)
    if found is None or not kpi_forms(found.spec):
        raise KpiError(_("Programme {code} has no indicator form").format(code=code_or_id))
    return found


# ---- one form ------------------------------------------------------------------------


@dataclass
class ReviewNote:
    at: dt.datetime
    office: str
    by: str
    action: str
    text: str


@dataclass
class FormData:
    """One office's KPI form for one period, ready to show."""

    office_code: str
    office_name: str
    programme_id: str
    programme_code: str
    programme_name: str
    form_code: str
    form_name: str
    period: str
    spec: dict[str, Any]
    rows: dict[str, dict[str, Any]]  # row key → indicator code → stored value
    row_order: list[str]  # row keys in the order they were added
    status: str  # the form's own status: missing / draft / complete / returned
    state: State | None  # the state of the obligation it fulfils (the chip)
    due: dt.date | None
    submission_id: str | None
    read_only: bool
    reviews: list[ReviewNote] = field(default_factory=list)
    updated_at: dt.datetime | None = None

    @property
    def repeated(self) -> bool:
        return is_repeated(self.spec)


def _form_of(programme: Programme, form_code: str | None = None) -> dict[str, Any]:
    forms = kpi_forms(programme.spec)
    if form_code:
        for form in forms:
            if form["code"] == form_code:
                return form
        raise KpiError(
            _("Programme {code} has no form {form}").format(code=programme.code, form=form_code)
        )
    return forms[0]


def _values_query(office_code: str, programme_id: str, period: str) -> Select[KpiValue]:
    # Tombstones first: where a replaced value shares its key with the live one, the live one
    # is read last and wins.
    return (
        select(KpiValue)
        .where(
            KpiValue.owner_office == office_code,
            KpiValue.programme_id == programme_id,
            KpiValue.period == period,
        )
        .order_by(KpiValue.deleted.desc())
    )


def obligation_states(
    store: Store,
    offices: list[str],
    programmes: list[Programme],
    periods: dict[str, list[str]],
    *,
    today: dt.date | None = None,
) -> dict[tuple[str, str, str, str], Instance]:
    """(office, programme id, form, period) → the state of the obligation that form fulfils
    (the one model, ``lev_desktop.deadlines``): the chips of the KPI list and editor."""
    book = DeadlineBook(
        store,
        today_=today,
        soon_days=reminder_days(store),
        programmes=[p.id for p in programmes],
    )
    out: dict[tuple[str, str, str, str], Instance] = {}
    for prog in programmes:
        for form in kpi_forms(prog.spec):
            for office in offices:
                level = (
                    book.level.value
                    if office == book.office_code and book.level is not None
                    else "lao"
                )
                ob = book.form_obligation(prog.id, form["code"], level) or book.form_obligation(
                    prog.id, form["code"], "lao"
                )
                if ob is None:
                    continue
                for period in periods.get(prog.id, []):
                    instance = book.instance(office, ob, period)
                    if instance is not None:
                        out[(office, prog.id, form["code"], period)] = instance
    return out


def form_state(
    store: Store, office: str, programme: str, period: str, form_code: str | None = None
) -> State | None:
    """The state of one office's KPI form for one period (the editor's chip)."""
    prog = get_programme(store, programme)
    form = _form_of(prog, form_code)
    found = obligation_states(store, [office], [prog], {prog.id: [period]})
    instance = found.get((office, prog.id, form["code"], period))
    return instance.state if instance is not None else None


def load_form(
    store: Store,
    office_code: str,
    programme: str,
    period: str,
    form_code: str | None = None,
    *,
    today: dt.date | None = None,
) -> FormData:
    """Everything the editor shows for one office, programme and period."""
    prog = get_programme(store, programme)
    form = _form_of(prog, form_code)
    spec = prog.spec
    by_code = {i["code"]: i for i in spec.get("indicators", [])}
    rows: dict[str, dict[str, Any]] = {}
    with store.read() as session:
        office = session.scalar(select(Office).where(Office.code == office_code))
        values = list(session.scalars(_values_query(office_code, prog.id, period)))
        if office_code == store.office_code:  # the editor shows them: saves are checked
            store.saw(KpiValue.__tablename__, ((v.id, v.revision) for v in values))
        for value in values:
            item = by_code.get(value.indicator_code)
            if value.deleted or item is None:
                continue
            if bool(value.row_key) != bool(item.get("repeat")):
                continue
            rows.setdefault(value.row_key, {})[value.indicator_code] = _stored_value(item, value)
        submission = session.scalar(
            select(FormSubmission)
            .where(
                FormSubmission.owner_office == office_code,
                FormSubmission.programme_id == prog.id,
                FormSubmission.form_code == form["code"],
                FormSubmission.period == period,
            )
            .order_by(FormSubmission.deleted)
        )
        reviews: list[ReviewNote] = []
        last_return = None
        if submission is not None:
            for review in session.scalars(
                select(Review)
                .where(
                    Review.target_kind == REVIEW_KIND,
                    Review.target_id == submission.id,
                    Review.deleted.is_(False),
                )
                .order_by(Review.updated_at)
            ):
                reviews.append(
                    ReviewNote(
                        review.updated_at,
                        review.owner_office,
                        review.updated_by,
                        review.action,
                        review.text,
                    )
                )
                if review.action == FormStatus.RETURNED:
                    last_return = review.updated_at
            if reviews:  # show the reviewing office by name when this database knows it
                names = dict(
                    session.execute(
                        select(Office.code, Office.name).where(
                            Office.code.in_({r.office for r in reviews})
                        )
                    ).all()
                )
                for note in reviews:
                    note.office = names.get(note.office, note.office)
    order = sorted(k for k in rows if k)  # new_row_key() sorts in the order of adding
    live = submission if submission is not None and not submission.deleted else None
    status = live.status if live else form_status.MISSING  # the form's own status
    if (
        last_return is not None
        and live is not None
        and live.updated_at is not None
        and last_return >= live.updated_at
    ):
        status = FormStatus.RETURNED
    found = obligation_states(store, [office_code], [prog], {prog.id: [period]}, today=today)
    instance = found.get((office_code, prog.id, form["code"], period))
    return FormData(
        office_code=office_code,
        office_name=office.name if office else office_code,
        programme_id=prog.id,
        programme_code=prog.code,
        programme_name=prog.display_name,
        form_code=form["code"],
        form_name=form["name"],
        period=period,
        spec=spec,
        rows=rows,
        row_order=order,
        status=status,
        state=instance.state if instance is not None else None,
        due=instance.due if instance is not None else None,
        submission_id=submission.id if submission else None,
        read_only=office_code != store.office_code,
        reviews=reviews,
        updated_at=submission.updated_at if submission else None,
    )


def _saved_rows(
    session: Any, office: str, programme: Programme, period: str
) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str], KpiValue]]:
    values = list(session.scalars(_values_query(office, programme.id, period)))
    records = {(value.row_key, value.indicator_code): value for value in values}
    return value_rows(programme.spec, values), records


def value_rows(spec: dict[str, Any], values: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """A form's stored values as its editor and its checks read them: row key → indicator
    code → typed value. ``values``: KpiValue records, or rows with the same attributes
    (``row_key``, ``indicator_code``, ``value_num``, ``value_text``, ``value_date``,
    ``deleted``); tombstones and indicators the programme does not have are left out."""
    by_code = {i["code"]: i for i in spec.get("indicators", [])}
    rows: dict[str, dict[str, Any]] = {}
    for value in values:
        item = by_code.get(value.indicator_code)
        if item is not None and not value.deleted:
            rows.setdefault(value.row_key, {})[value.indicator_code] = _stored_value(item, value)
    return rows


def completion_problems(
    spec: dict[str, Any],
    rows: dict[str, dict[str, Any]],
    parsers: dict[str, Callable[[Any], tuple[Any, str | None]]] | None = None,
) -> list[Problem]:
    """Why a KPI form holding ``rows`` (``value_rows``) cannot be complete; [] when it can.
    The one rule of "complete": the clerk marking the form (``set_status``) and an office
    receiving a package that calls the form complete (the importer) both ask it.
    ``parsers``: the indicators' rules prepared once, for many forms (the importer)."""
    return validate_rows(spec, rows, final=True, parsers=parsers)


def _own_office(store: Store) -> str:
    if not store.office_code:
        raise KpiError(_("Set up this office first (Settings)"))
    return store.office_code


def _touch_submission(
    session: Session, office: str, programme: Programme, form_code: str, period: str
) -> FormSubmission:
    submission = session.scalar(
        select(FormSubmission)
        .where(
            FormSubmission.owner_office == office,
            FormSubmission.programme_id == programme.id,
            FormSubmission.form_code == form_code,
            FormSubmission.period == period,
        )
        .order_by(FormSubmission.deleted)
    )
    if submission is None:
        submission = FormSubmission(
            programme_id=programme.id, form_code=form_code, period=period, status=FormStatus.DRAFT
        )
        session.add(submission)
    elif submission.status in (FormStatus.COMPLETE, FormStatus.SENT) or submission.deleted:
        # Values changed after completion: the form must be checked and completed again.
        submission.status = FormStatus.DRAFT
        submission.deleted = False
        submission.completed_at = None
    return submission


@dataclass
class SaveResult:
    saved: int
    status: str


def save_values(
    store: Store,
    programme: str,
    period: str,
    changes: dict[tuple[str, str], Any],
    form_code: str | None = None,
) -> SaveResult:
    """Writes typed changes ((row key, indicator code) → text) of this office in one transaction.

    Everything is checked first (``validation.savable_changes``); if any change is refused,
    nothing is written and ``KpiValidationError`` lists the problems.
    """
    office = _own_office(store)
    prog = get_programme(store, programme)
    form = _form_of(prog, form_code)
    period = parse_period(period)
    by_code = {i["code"]: i for i in prog.spec.get("indicators", [])}
    for row, code in changes:
        item = by_code.get(code)
        if item is not None and bool(row) != bool(item.get("repeat")):
            raise KpiError(_("Indicator {code} does not belong to this row").format(code=code))
    with store.session() as session:
        saved, records = _saved_rows(session, office, prog, period)
        accepted, problems = savable_changes(prog.spec, saved, changes)
        if problems:
            raise KpiValidationError(problems)
        written = 0
        for (row, code), value in accepted.items():
            record = records.get((row, code))
            if record is None:
                if value is None:
                    continue
                record = KpiValue(
                    programme_id=prog.id, indicator_code=code, period=period, row_key=row
                )
                session.add(record)
            _write_value(by_code[code], record, value)
            record.deleted = False
            written += 1
        submission = _touch_submission(session, office, prog, form["code"], period)
        status = submission.status
    return SaveResult(written, status)


@dataclass(frozen=True)
class Product:
    number: int  # 1, 2, … in the order of adding (what people and the CLI call it)
    row_key: str
    values: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.values.get("product") or "")


def list_products(store: Store, office_code: str, programme: str, period: str) -> list[Product]:
    """The products (repeated groups) of one office's form, removed ones left out."""
    data = load_form(store, office_code, programme, parse_period(period))
    return [
        Product(n, key, dict(data.rows.get(key, {})))
        for n, key in enumerate(data.row_order, start=1)
    ]


def new_row_key() -> str:
    """A product key that sorts after the earlier ones (time first, like UUIDv7)."""
    stamp = f"{int(dt.datetime.now(dt.UTC).timestamp() * 1000):012x}"
    rest = uuid.uuid4().hex
    return f"{stamp[:8]}-{stamp[8:12]}-{rest[:4]}-{rest[4:8]}-{rest[8:20]}"


def add_product(store: Store, programme: str, period: str) -> str:
    """A new empty product (a repeated group); returns its row key."""
    office = _own_office(store)
    prog = get_programme(store, programme)
    if not is_repeated(prog.spec):
        raise KpiError(_("This form has no products"))
    period = parse_period(period)
    key = new_row_key()
    first = row_indicators(prog.spec, key)[0]
    with store.session() as session:
        # An empty value of the first field makes the product exist (and travel).
        session.add(
            KpiValue(programme_id=prog.id, indicator_code=first["code"], period=period, row_key=key)
        )
        _touch_submission(session, office, prog, _form_of(prog)["code"], period)
    return key


def remove_product(store: Store, programme: str, period: str, row_key: str) -> int:
    """Tombstones every value of one product; returns how many records it marked."""
    office = _own_office(store)
    prog = get_programme(store, programme)
    period = parse_period(period)
    if not row_key:
        raise KpiError(_("This form has no products"))
    with store.session() as session:
        count = 0
        for value in session.scalars(
            _values_query(office, prog.id, period).where(
                KpiValue.row_key == row_key, KpiValue.deleted.is_(False)
            )
        ):
            value.deleted = True
            count += 1
        if count:
            _touch_submission(session, office, prog, _form_of(prog)["code"], period)
    return count


def restore_product(store: Store, programme: str, period: str, row_key: str) -> int:
    """Undoes ``remove_product`` (the values come back from their tombstones)."""
    office = _own_office(store)
    prog = get_programme(store, programme)
    period = parse_period(period)
    with store.session() as session:
        count = 0
        for value in session.scalars(
            _values_query(office, prog.id, period).where(
                KpiValue.row_key == row_key, KpiValue.deleted.is_(True)
            )
        ):
            value.deleted = False
            count += 1
        if count:
            _touch_submission(session, office, prog, _form_of(prog)["code"], period)
    return count


# ---- status --------------------------------------------------------------------------

_ALLOWED = {
    FormStatus.DRAFT: {FormStatus.COMPLETE, FormStatus.RETURNED, FormStatus.SENT, FormStatus.DRAFT},
    FormStatus.COMPLETE: {FormStatus.DRAFT, FormStatus.RETURNED, FormStatus.COMPLETE},
    FormStatus.SENT: {FormStatus.COMPLETE},
}


def set_status(
    store: Store, programme: str, period: str, status: str, form_code: str | None = None
) -> list[Problem]:
    """Moves this office's form to ``status``; returns the problems that prevent it ([] = done).

    complete: only when every value validates and every required field is filled.
    sent: never here — sending is recorded by the exchange when a package carries the form.
    draft: from complete or returned (to go on editing).
    """
    office = _own_office(store)
    prog = get_programme(store, programme)
    form = _form_of(prog, form_code)
    period = parse_period(period)
    if status not in FormStatus.ALL:
        raise KpiError(status)
    if status == FormStatus.SENT:
        # Sending is a fact of the exchange: a package to the office above that carries the
        # complete form records it (lev_desktop.exchange.deliveries).
        return [
            Problem(
                "",
                _(
                    "A form is sent by exporting a package for the office this one reports "
                    "to (Data exchange); it cannot be marked sent here."
                ),
            )
        ]
    with store.session() as session:
        saved, _records = _saved_rows(session, office, prog, period)
        if status == FormStatus.COMPLETE:
            problems = completion_problems(prog.spec, saved)
            if problems:
                return problems
        submission = session.scalar(
            select(FormSubmission)
            .where(
                FormSubmission.owner_office == office,
                FormSubmission.programme_id == prog.id,
                FormSubmission.form_code == form["code"],
                FormSubmission.period == period,
            )
            .order_by(FormSubmission.deleted)
        )
        current = submission.status if submission is not None else FormStatus.DRAFT
        if status not in _ALLOWED.get(current, set()) and status != FormStatus.DRAFT:
            return [
                Problem(
                    "",
                    _("A form that is “{old}” cannot become “{new}”").format(
                        old=form_status.status_label(current), new=form_status.status_label(status)
                    ),
                )
            ]
        if submission is None:
            submission = FormSubmission(programme_id=prog.id, form_code=form["code"], period=period)
            session.add(submission)
        submission.status = status
        submission.deleted = False
        if status == FormStatus.COMPLETE:
            submission.completed_at = utcnow()
        if status == FormStatus.SENT:
            submission.sent_at = utcnow()
    return []


# ---- reviews (a district or province on an LAO's form) ----------------------------------


def add_review(
    store: Store,
    office_code: str,
    programme: str,
    period: str,
    action: str,
    text: str,
    form_code: str | None = None,
) -> ReviewNote:
    """A comment on, or a return for correction of, a lower office's form."""
    me = _own_office(store)
    if office_code == me:
        raise KpiError(_("An office cannot review its own form"))
    if action not in ("comment", FormStatus.RETURNED, "accepted"):
        raise KpiError(action)
    text = (text or "").strip()
    if not text:
        raise KpiError(_("Please write what should be corrected or commented"))
    problem = review_text_problem(text)
    if problem:
        raise KpiError(problem)
    prog = get_programme(store, programme)
    form = _form_of(prog, form_code)
    with store.session() as session:
        submission = session.scalar(
            select(FormSubmission)
            .where(
                FormSubmission.owner_office == office_code,
                FormSubmission.programme_id == prog.id,
                FormSubmission.form_code == form["code"],
                FormSubmission.period == period,
            )
            .order_by(FormSubmission.deleted)
        )
        if submission is None:
            raise KpiError(_("This office has not sent this form yet; there is nothing to review"))
        review = Review(
            target_office=office_code,
            target_kind=REVIEW_KIND,
            target_id=submission.id,
            action=action,
            text=text,
        )
        session.add(review)
    return ReviewNote(review.updated_at, me, review.updated_by, action, text)


# ---- lists -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiListRow:
    office_code: str
    office_name: str
    programme_id: str
    programme_code: str
    programme_name: str
    form_code: str
    form_name: str
    period: str
    period_label: str
    status: str  # the state of the obligation the form fulfils (State value)
    filled: int  # values entered (single forms) or products (repeated forms)
    total: int  # indicators of a single form; 0 for repeated forms
    repeated: bool
    due: dt.date | None
    updated_at: dt.datetime | None

    @property
    def state(self) -> State:
        return State(self.status)

    @property
    def status_label(self) -> str:
        return self.state.label

    @property
    def progress_text(self) -> str:
        if self.repeated:
            return ngettext("{n} product", "{n} products", self.filled).format(n=self.filled)
        return f"{self.filled}/{self.total}"


def kpi_list(
    store: Store, office_codes: list[str], fiscal_year: int, *, today: dt.date | None = None
) -> list[KpiListRow]:
    """The KPI forms of the given offices for a fiscal year, with their status ("the KPI list").

    Four queries whatever the number of offices (a province reads 200 LAOs at once).
    """
    programmes = kpi_programmes(store)
    if not programmes or not office_codes:
        return []
    ids = [p.id for p in programmes]
    with store.read() as session:
        names = dict(
            session.execute(
                select(Office.code, Office.name).where(Office.code.in_(office_codes))
            ).all()
        )
        # Plain columns, not ORM objects: a province reads thousands of these.
        updated_at = {
            (o, p, f, per): updated
            for o, p, f, per, updated in session.execute(
                select(
                    FormSubmission.owner_office,
                    FormSubmission.programme_id,
                    FormSubmission.form_code,
                    FormSubmission.period,
                    FormSubmission.updated_at,
                ).where(
                    FormSubmission.owner_office.in_(office_codes),
                    FormSubmission.programme_id.in_(ids),
                    FormSubmission.deleted.is_(False),
                )
            )
        }
        filled = session.execute(
            select(
                KpiValue.owner_office,
                KpiValue.programme_id,
                KpiValue.period,
                func.count(),
                func.count(func.distinct(KpiValue.row_key)),
            )
            .where(
                KpiValue.owner_office.in_(office_codes),
                KpiValue.programme_id.in_(ids),
                KpiValue.deleted.is_(False),
                or_(
                    KpiValue.value_num.is_not(None),
                    KpiValue.value_text.is_not(None),
                    KpiValue.value_date.is_not(None),
                    KpiValue.row_key != "",
                ),
            )
            .group_by(KpiValue.owner_office, KpiValue.programme_id, KpiValue.period)
        ).all()
    # The state of every form: the one model (lev_desktop.deadlines), as on every screen.
    states = obligation_states(
        store,
        office_codes,
        programmes,
        {p.id: periods_of(p, fiscal_year) for p in programmes},
        today=today,
    )
    counts = {(o, p, per): (n, products) for o, p, per, n, products in filled}
    # What does not depend on the office, once per programme, form and period.
    forms = []
    for prog in programmes:
        repeated = is_repeated(prog.spec)
        total = len([i for i in prog.spec.get("indicators", []) if not i.get("repeat")])
        for form in kpi_forms(prog.spec):
            for period in periods_of(prog, fiscal_year):
                forms.append(
                    (
                        prog.id,
                        prog.code,
                        prog.display_name,
                        form["code"],
                        form["name"],
                        period,
                        period_label(period),
                        repeated,
                        total,
                    )
                )
    rows: list[KpiListRow] = []
    for code in office_codes:
        name = names.get(code, code)
        for pid, pcode, pname, fcode, fname, period, label, repeated, total in forms:
            instance = states.get((code, pid, fcode, period))
            if instance is None:
                continue  # no deadline of this office's for it (e.g. an LAO type not concerned)
            n, products = counts.get((code, pid, period), (0, 0))
            rows.append(
                KpiListRow(
                    office_code=code,
                    office_name=name,
                    programme_id=pid,
                    programme_code=pcode,
                    programme_name=pname,
                    form_code=fcode,
                    form_name=fname,
                    period=period,
                    period_label=label,
                    status=instance.state.value,
                    filled=products if repeated else n,
                    total=0 if repeated else total,
                    repeated=repeated,
                    due=instance.due,
                    updated_at=updated_at.get((code, pid, fcode, period)),
                )
            )
    # Of each office, the forms with nothing to do ("ไม่ต้องดำเนินการ": due before the office
    # began using the program) after the others: an LAO starting in January read five such
    # months of the temple report before its one due form (clerk12, 1366×768).
    place = {code: index for index, code in enumerate(office_codes)}
    idle = State.NOT_APPLICABLE.value
    rows.sort(key=lambda row: (place[row.office_code], row.status == idle))
    return rows


def consolidated(
    store: Store, programme: str, period: str, office_codes: list[str] | None = None
) -> dict[str, dict[str, dict[str, Any]]]:
    """All offices' values of one programme and period: office → row key → code → value.

    For a district or province: its LAOs' figures side by side (read-only).
    """
    prog = get_programme(store, programme)
    by_code = {i["code"]: i for i in prog.spec.get("indicators", [])}
    query = select(KpiValue).where(
        KpiValue.programme_id == prog.id, KpiValue.period == period, KpiValue.deleted.is_(False)
    )
    if office_codes is not None:
        query = query.where(KpiValue.owner_office.in_(office_codes))
    out: dict[str, dict[str, dict[str, Any]]] = {}
    with store.read() as session:
        for value in session.scalars(query):
            item = by_code.get(value.indicator_code)
            if item is None:
                continue
            out.setdefault(value.owner_office, {}).setdefault(value.row_key, {})[
                value.indicator_code
            ] = _stored_value(item, value)
    return out


def periods_with_values(store: Store, office_code: str, programme: str) -> list[str]:
    prog = get_programme(store, programme)
    with store.read() as session:
        rows = session.scalars(
            select(KpiValue.period)
            .where(
                KpiValue.owner_office == office_code,
                KpiValue.programme_id == prog.id,
                KpiValue.deleted.is_(False),
            )
            .distinct()
        )
        return sorted(rows)


# ---- tab-separated listing (CLI) ----------------------------------------------------------


def value_lines(data: FormData) -> list[tuple[str, str, str, str, str, str, str]]:
    """(period, its Thai label, row, code, Thai name, formatted value, unit) of one form, as
    the editor shows: "FY2568", "ปีงบประมาณ พ.ศ. 2568"; "2024-10", "ตุลาคม 2567".

    Row is '' for single values and the product number (1, 2, …) for products.
    """
    lines = []
    label_of_period = period_label(data.period)
    keys = (
        [""] if any(not i.get("repeat") for i in data.spec.get("indicators", [])) else []
    ) + data.row_order
    for number, key in enumerate(keys):
        label = str(number if "" in keys else number + 1) if key else ""
        for item in row_indicators(data.spec, key):
            value = data.rows.get(key, {}).get(item["code"])
            lines.append(
                (
                    data.period,
                    label_of_period,
                    label,
                    item["code"],
                    item["name"],
                    format_value(item, value),
                    item.get("unit", ""),
                )
            )
    return lines


__all__ = [
    "ONCE",
    "FormData",
    "KpiError",
    "KpiListRow",
    "KpiValidationError",
    "Product",
    "SaveResult",
    "add_product",
    "add_review",
    "consolidated",
    "edit_text",
    "format_value",
    "kpi_list",
    "kpi_programmes",
    "list_products",
    "load_form",
    "parse_period",
    "period_label",
    "periods_of",
    "remove_product",
    "restore_product",
    "save_values",
    "set_status",
    "value_lines",
]
