"""Programmes: the built-in templates, programmes made from them, and incoming letters."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select

from db.models import Letter, Programme
from db.store import BUILTIN_OWNER, Store
from lev_desktop.deadlines.rules import moved_to_year
from lev_desktop.domain.templates import BUILTIN_TEMPLATES, builtin_template, spec_of
from lev_desktop.domain.validation import labelled_text_problems
from lev_desktop.i18n import _

_NAMESPACE = uuid.UUID("6f1d3c1e-5b7a-4e0b-9a51-2f4f0d6c8a11")


def builtin_id(code: str) -> str:
    """Built-in programmes have the same id in every database, so records refer to them alike."""
    return str(uuid.uuid5(_NAMESPACE, f"builtin-programme-{code}"))


def seed_builtins(store: Store) -> int:
    """Adds the built-in programmes P1–P5 that the database lacks; returns how many it added."""
    added = 0
    with store.session() as session:
        for template in BUILTIN_TEMPLATES:
            pid = builtin_id(template["code"])
            if session.get(Programme, pid) is not None:
                continue
            session.add(_programme_from(template, pid=pid, owner=BUILTIN_OWNER, builtin=True))
            added += 1
    return added


def _programme_from(
    template: dict[str, Any],
    *,
    pid: str | None,
    owner: str | None,
    builtin: bool,
    code: str | None = None,
) -> Programme:
    return Programme(
        id=pid or str(uuid.uuid4()),
        owner_office=owner or "",
        code=code or template["code"],
        name=template["name"],
        short_name=template.get("short_name", ""),
        kind=template["kind"],
        fiscal_year=template.get("fiscal_year"),
        builtin=builtin,
        template_code=template["code"],
        letter=copy.deepcopy(template.get("letter", {})),
        spec=spec_of(template),
    )


def list_programmes(store: Store, *, active_only: bool = False) -> list[Programme]:
    with store.read() as session:
        query = select(Programme).where(Programme.deleted.is_(False))
        if active_only:
            query = query.where(Programme.active.is_(True))
        rows = list(session.scalars(query))
    return sorted(rows, key=lambda p: (not p.builtin, p.code))


def get_programme(store: Store, code_or_id: str) -> Programme | None:
    with store.read() as session:
        found = session.scalar(select(Programme).where(Programme.code == code_or_id))
        return found or session.get(Programme, code_or_id)


def create_from_template(
    store: Store,
    template_code: str,
    *,
    code: str,
    name: str | None = None,
    fiscal_year: int | None = None,
    letter: dict[str, Any] | None = None,
) -> Programme:
    """A new programme of the same kind as a template (e.g. next year's LEV drive).

    Deadline rules are the template's, their dates moved to ``fiscal_year`` by whole years
    (``deadlines.rules.moved_to_year``).
    """
    source = get_programme(store, template_code)
    template = (
        builtin_template(template_code)
        if source is None
        else {
            "code": source.template_code or source.code,
            "name": source.name,
            "short_name": source.short_name,
            "kind": source.kind,
            "fiscal_year": source.fiscal_year,
            "letter": source.letter,
            **copy.deepcopy(source.spec),
        }
    )
    if get_programme(store, code) is not None:
        raise ValueError(_("A programme with code {code} already exists").format(code=code))
    programme = _programme_from(template, pid=None, owner=None, builtin=False, code=code)
    if name:
        programme.name = name
        programme.short_name = name[:60]
    if fiscal_year:
        # next year's drive: the template's deadlines moved to the year it is for
        programme.spec = moved_to_year(programme.spec, fiscal_year)
        programme.fiscal_year = fiscal_year
    if letter:
        programme.letter = {**programme.letter, **letter}
    with store.session() as session:
        session.add(programme)
    return programme


def update_programme(store: Store, programme_id: str, **fields: Any) -> Programme:
    with store.session() as session:
        programme = session.get(Programme, programme_id)
        if programme is None:
            raise KeyError(programme_id)
        for key, value in fields.items():
            setattr(programme, key, value)
    return programme


def register_letter(
    store: Store,
    *,
    receipt_no: str,
    received_at: dt.datetime,
    letter_no: str,
    subject: str,
    letter_date: dt.date | None = None,
    from_org: str = "",
    programme_id: str | None = None,
    note: str = "",
) -> Letter:
    if not receipt_no.strip() or not subject.strip():
        raise ValueError(_("Please enter the receipt number and the subject"))
    texts = {"receipt_no": receipt_no, "letter_no": letter_no, "from_org": from_org}
    problems = labelled_text_problems("letters", {**texts, "subject": subject, "note": note})
    if problems:  # what the office above refuses in a package, refused here
        raise ValueError(problems[0].message)
    letter = Letter(
        receipt_no=receipt_no.strip(),
        received_at=received_at,
        letter_no=letter_no.strip(),
        letter_date=letter_date,
        from_org=from_org.strip(),
        subject=subject.strip(),
        programme_id=programme_id,
        note=note,
    )
    with store.session() as session:
        session.add(letter)
    return letter


def list_letters(store: Store) -> list[Letter]:
    with store.read() as session:
        return list(
            session.scalars(
                select(Letter).where(Letter.deleted.is_(False)).order_by(Letter.received_at.desc())
            )
        )
