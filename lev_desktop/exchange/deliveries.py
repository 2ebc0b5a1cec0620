"""What a package carried, as facts of the obligation states (``form_deliveries``).

- An export records **sent** for each complete form of this office the package carries — only
  when it goes to the office this one reports to (a package to anyone else fulfils nothing) —
  and, going up, for each LAO form inside the packages it relays.
- An import records **received** for each complete form a package (or an Excel form) brought.

The deadline engine reads these rows; nothing else decides whether a report went or arrived.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select

from db.models import Base, Office, Programme
from db.models_deadlines import FormDelivery
from db.store import Store, insert_rows
from lev_desktop import routing
from lev_desktop.deadlines.engine import DeadlineBook, reminder_days
from lev_desktop.deadlines.rules import obligations_of
from lev_desktop.deadlines.text import period_text
from lev_desktop.domain.form_status import FormStatus
from lev_desktop.domain.offices import Level
from lev_desktop.i18n import _
from lev_desktop.thai_format import format_date

FormKey = tuple[str, str, str]  # programme id, form code, period
OwnedForm = tuple[str, str, str, str]  # owner, programme id, form code, period


def complete_forms(rows: Iterable[dict[str, Any]]) -> list[FormKey]:
    """The complete forms among ``form_submissions`` rows (as a Core select gives them)."""
    return sorted(
        {
            (r["programme_id"], r["form_code"], r["period"])
            for r in rows
            if r.get("status") in FormStatus.FINISHED and not r.get("deleted")
        }
    )


def relayed_forms(session: Any, package_uuids: Sequence[str]) -> list[OwnedForm]:
    """The LAO forms inside the received packages a package relays upward."""
    if not package_uuids:
        return []
    out: set[OwnedForm] = set()
    for start in range(0, len(package_uuids), 500):
        chunk = list(package_uuids[start : start + 500])
        for owner, pid, form, period in session.execute(
            select(
                FormDelivery.owner_office,
                FormDelivery.programme_id,
                FormDelivery.form_code,
                FormDelivery.period,
            ).where(FormDelivery.direction == "received", FormDelivery.package_uuid.in_(chunk))
        ):
            out.add((owner, pid, form, period))
    return sorted(out)


def first_carriers(session: Any, senders: Sequence[str]) -> set[str]:
    """The packages that first brought here each form of these offices: of the packages that
    carried a form, the one made first. An office's report is judged on time or late by that
    day (the earliest ``sent_at`` of its received rows), so a package going up relays these
    too, and the office above judges the same report by the same day."""
    first: dict[OwnedForm, tuple[dt.datetime, str]] = {}
    for start in range(0, len(senders), 500):
        chunk = list(senders[start : start + 500])
        for owner, pid, form, period, package, sent_at in session.execute(
            select(
                FormDelivery.owner_office,
                FormDelivery.programme_id,
                FormDelivery.form_code,
                FormDelivery.period,
                FormDelivery.package_uuid,
                FormDelivery.sent_at,
            ).where(
                FormDelivery.direction == "received",
                FormDelivery.owner_office.in_(chunk),
                FormDelivery.sent_at.is_not(None),
            )
        ):
            key = (owner, pid, form, period)
            seen = first.get(key)
            if seen is None or sent_at < seen[0]:
                first[key] = (sent_at, package)
    return {package for _sent, package in first.values() if package}


def record_sent(
    session: Any,
    *,
    office: str,
    recipient: str,
    package_uuid: str,
    at: dt.datetime,
    forms: Iterable[FormKey],
    relayed: Iterable[OwnedForm] = (),
) -> int:
    rows = [
        {
            "direction": "sent",
            "owner_office": office,
            "programme_id": pid,
            "form_code": form,
            "period": period,
            "package_uuid": package_uuid,
            "counterpart": recipient,
            "sent_at": at,
            "received_at": None,
            "via": "package",
        }
        for pid, form, period in forms
    ] + [
        {
            "direction": "sent",
            "owner_office": owner,
            "programme_id": pid,
            "form_code": form,
            "period": period,
            "package_uuid": package_uuid,
            "counterpart": recipient,
            "sent_at": at,
            "received_at": None,
            "via": "relay",
        }
        for owner, pid, form, period in relayed
    ]
    if rows:
        session.execute(insert(FormDelivery), rows)
    return len(rows)


def receipts_of_part(
    *,
    sender: str,
    package_uuid: str,
    created_at: dt.datetime | None,
    received_at: dt.datetime,
    forms: Iterable[OwnedForm],
    via: str = "package",
) -> list[dict[str, Any]]:
    """``form_deliveries`` rows for the complete forms one imported package (part) carried."""
    return [
        {
            "direction": "received",
            "owner_office": owner,
            "programme_id": pid,
            "form_code": form,
            "period": period,
            "package_uuid": package_uuid,
            "counterpart": sender,
            "sent_at": created_at,
            "received_at": received_at,
            "via": via,
        }
        for owner, pid, form, period in sorted(set(forms))
    ]


def forms_in_rows(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], finished: Sequence[str]
) -> list[OwnedForm]:
    """Complete forms among ``form_submissions`` rows given as tuples in ``columns`` order
    (the importer's bulk rows)."""
    index = {name: columns.index(name) for name in columns}
    owner, pid, form, period = (
        index[n] for n in ("owner_office", "programme_id", "form_code", "period")
    )
    status, deleted = index["status"], index.get("deleted")
    out = []
    for row in rows:
        if row[status] in finished and not (deleted is not None and row[deleted]):
            out.append((row[owner], row[pid], row[form], row[period]))
    return out


def excel_forms(
    session: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[OwnedForm]:
    """The indicator forms a filled Excel form brought (its values: owner, programme, period)."""
    index = {name: columns.index(name) for name in columns}
    found = {
        (row[index["owner_office"]], row[index["programme_id"]], row[index["period"]])
        for row in rows
    }
    out = []
    specs: dict[str, dict[str, Any]] = {}
    for owner, pid, period in sorted(found):
        if pid not in specs:
            specs[pid] = session.scalar(select(Programme.spec).where(Programme.id == pid)) or {}
        for form in specs[pid].get("forms", []):
            if form.get("kind") in ("kpi", "products"):
                out.append((owner, pid, form["code"], period))
                break
    return out


def destination_levels(
    session: Any, me: Any, forms: Iterable[FormKey]
) -> dict[tuple[str, str], set[str]]:
    """(programme id, form) → the levels the reports of this office's reporting obligations
    with that form go to (an อบต.'s monthly temple report: the province; its plan: the
    district)."""
    wanted = {(pid, form) for pid, form, _p in forms}
    if not wanted:
        return {}
    programmes = {
        p.id: p
        for p in session.scalars(
            select(Programme).where(Programme.id.in_({pid for pid, _f in wanted}))
        )
    }
    levels: dict[tuple[str, str], set[str]] = {}
    for pid, programme in programmes.items():
        try:
            obligations = obligations_of(programme)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        for ob in obligations:
            if ob.level != me.level or not ob.reporting or not ob.form:
                continue
            if ob.level == "lao" and not ob.applies_to(me.lao_type):
                continue
            destination = ob.destination(me.lao_type if me.level == "lao" else None)
            if destination is not None and (pid, ob.form) in wanted:
                levels.setdefault((pid, ob.form), set()).add(destination.value)
    return levels


def destined(
    session: Any, me: Any, recipient_level: str, forms: Iterable[FormKey]
) -> list[FormKey]:
    """The carried forms that answer a reporting obligation of this office whose result goes
    to the level of the recipient (an อบต.'s monthly temple report goes to the province: a
    package to its district carries it, but does not send it)."""
    wanted = sorted(set(forms))
    levels = destination_levels(session, me, wanted)
    return [key for key in wanted if recipient_level in levels.get((key[0], key[1]), ())]


def due_elsewhere(
    session: Any,
    me: Any,
    recipient: routing.Place,
    choices: routing.Recipients,
    forms: Iterable[FormKey],
) -> list[str]:
    """The offices above (their labels) that complete forms among ``forms`` are due at when
    that is not ``recipient``'s level: what a package to ``recipient`` carries without sending
    (the temple report of an อบต. in a package to its district is the province's)."""
    levels = destination_levels(session, me, forms)
    due = {level for key in forms for level in levels.get((key[0], key[1]), ())}
    due.discard(recipient.level)
    places = ([choices.reports_to] if choices.reports_to else []) + list(choices.above)
    out = []
    for level in sorted(due, key=lambda value: Level(value).rank):
        place = next((p for p in places if p.level == level), None)
        out.append(place.label if place is not None else Level(level).label)
    return out


def record_received(connection: Any, rows: list[dict[str, Any]]) -> None:
    """An import's received deliveries, on the import's connection (bulk: ``insert_rows``)."""
    insert_rows(connection, Base.metadata.tables[FormDelivery.__tablename__], rows)


# ---- the recipient -------------------------------------------------------------------------


class RecipientError(ValueError):
    """A recipient a person must change (the message is Thai)."""


def recipient_choices(store: Store) -> tuple[Any, routing.Recipients]:
    """(this office, where its packages may go: the office it reports to first)."""
    with store.read() as session:
        offices = list(session.scalars(select(Office).where(Office.deleted.is_(False))))
    me = next((o for o in offices if o.code == store.office_code), None)
    if me is None:
        raise RecipientError(_("Set up this office first (Settings, or `lev init`)."))
    return me, routing.recipients(me, offices)


def check_recipient(store: Store, code: str, *, down: bool = False) -> tuple[routing.Place, str]:
    """The office a package for ``code`` goes to and how it stands to this office
    ("reports_to", "above", "below"); a Thai reason when the code is not one to send to."""
    code = (code or "").strip()
    me, choices = recipient_choices(store)
    if not code:
        raise RecipientError(_("Please choose the office the package is for."))
    if code == me.code:
        raise RecipientError(_("A package cannot be addressed to this office itself."))
    found = choices.find(code)
    default = choices.reports_to.label if choices.reports_to else "-"
    if found is None:
        raise RecipientError(
            _(
                "{code} is not an office above this one on the reporting route. This office "
                "reports to {office}; choose it, or another office above it."
            ).format(code=code, office=default)
        )
    place, relation = found
    if relation == "below" and not down:
        raise RecipientError(
            _(
                "{office} is an office below this one. Packages for offices below carry "
                "reviews and programmes only; choose it deliberately (lev export --down)."
            ).format(office=place.label)
        )
    return place, relation


# ---- what a package will fulfil --------------------------------------------------------------


def counts(relation: str) -> bool:
    """Whether a package to an office of this relation (``check_recipient``) sends reports:
    to the office this one reports to, or to one above it that a report goes to straight."""
    return relation in ("reports_to", "above")


@dataclass
class Fulfilment:
    """What a package to ``recipient`` fulfils: this office's reporting obligations whose
    complete form it carries and whose result goes to the recipient's level — to the office
    this one reports to, or to an office above it on the route that such a report goes to
    straight (an อบต.'s monthly temple report, P4, goes to the province) — and the LAO forms
    it relays (only to the office this one reports to)."""

    recipient: routing.Place
    relation: str
    forms: list[FormKey] = field(default_factory=list)
    relayed: list[OwnedForm] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # Thai: what will be marked sent
    # Thai: the offices that complete reports it carries are due at instead (not sent by it)
    elsewhere: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # Thai: carried again, already sent
    # Thai: this office's obligations whose LAOs' forms it relays before all of them are in
    # (each counted sent by the package that relays them once every LAO's is here)
    waiting: list[str] = field(default_factory=list)

    @property
    def counts(self) -> bool:
        """Only a package to an office above on the route (the one this office reports to,
        or one further up) fulfils anything."""
        return counts(self.relation)

    @property
    def fulfils_nothing(self) -> bool:
        return not self.lines

    def warning(self) -> str:
        if self.relation != "reports_to" and self.fulfils_nothing and not self.already:
            return _(
                "{office} is not the office this one reports to: the package fulfils no "
                "obligation, nothing will be marked sent."
            ).format(office=self.recipient.label)
        if self.fulfils_nothing and self.elsewhere:
            return _(
                "This package sends no report to {office}: the complete reports it carries "
                "are due at {others}. Send them in a package to that office."
            ).format(office=self.recipient.label, others=", ".join(self.elsewhere))
        if self.fulfils_nothing and self.waiting:
            # a district relaying the LAO forms it has: completing a form is not what is left
            return _(
                "This package relays the LAOs' forms received so far, but sends no report "
                "yet: {waiting}. Each is marked sent by the package that relays the forms of "
                "all its LAOs."
            ).format(waiting="; ".join(self.waiting))
        if self.fulfils_nothing:
            return _(
                "This package carries no complete report that is still due: no obligation "
                "will be marked sent. Complete the form first (the form's Complete button)."
            )
        return ""


def describe(
    store: Store,
    recipient: routing.Place,
    relation: str,
    forms: Sequence[FormKey],
    relayed: Sequence[OwnedForm],
    *,
    today: dt.date | None = None,
    elsewhere: Sequence[str] = (),
) -> Fulfilment:
    """Names the obligation instances the carried forms fulfil (read-only); ``elsewhere``:
    the offices that other complete forms it carries are due at (``due_elsewhere``)."""
    result = Fulfilment(recipient, relation, list(forms), list(relayed), elsewhere=list(elsewhere))
    if not result.counts or not (forms or relayed):
        return result
    book = DeadlineBook(store, today_=today, soon_days=reminder_days(store))
    carried = set(forms)
    relayed_keys = {(pid, form, period) for _o, pid, form, period in relayed}
    start, end = book.today - dt.timedelta(days=800), book.today + dt.timedelta(days=400)
    for item in book.items(start, end, work=False):
        ob = item.obligation
        key = (ob.programme_id, ob.form or "", item.period)
        if item.incoming or not ob.reporting or item.due != item.deadline.due:
            continue
        destination = ob.destination(book.lao_type if book.level == "lao" else None)
        if destination is None or destination.value != recipient.level:
            continue
        if key not in carried and key not in relayed_keys:
            continue
        text = _("{obligation} — {period}, due {due}").format(
            obligation=ob.title,
            period=period_text(item.period),
            due=format_date(item.due),
        )
        if item.state.fulfilled:
            result.already.append(text)
        elif key in carried or item.laos is None or item.laos.done == item.laos.total:
            result.lines.append(text)
        else:
            result.waiting.append(
                _("{obligation}: {done} of {total} LAOs").format(
                    obligation=text, done=item.laos.done, total=item.laos.total
                )
            )
    return result


__all__ = [
    "Fulfilment",
    "RecipientError",
    "check_recipient",
    "complete_forms",
    "describe",
    "destination_levels",
    "due_elsewhere",
    "receipts_of_part",
    "recipient_choices",
    "record_received",
    "record_sent",
    "relayed_forms",
]
