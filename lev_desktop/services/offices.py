"""This office, the offices under it, and the LAO list import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from db.models import Office
from db.models_deadlines import OfficeSince
from db.store import Store
from lev_desktop.deadlines.engine import set_since
from lev_desktop.domain.offices import LaoType, Level, parse_lao_type, reporting_parent_level
from lev_desktop.domain.validation import (
    field_label,
    office_identity_problem,
    office_name_problem,
    own_office_problems,
)
from lev_desktop.i18n import _
from lev_desktop.routing import place_of_code
from lev_desktop.services import programmes


class SetupError(ValueError):
    """A setup request a person can fix; the message is for them."""


def this_office(store: Store) -> Office | None:
    if not store.office_code:
        return None
    return get_office(store, store.office_code)


def get_office(store: Store, code: str) -> Office | None:
    with store.read() as session:
        return session.scalar(select(Office).where(Office.code == code))


def office_names(store: Store) -> dict[str, str]:
    """Every office this database knows (not deleted): code → name, as people read it."""
    with store.read() as session:
        rows = session.execute(select(Office.code, Office.name).where(Office.deleted.is_(False)))
        return {row[0]: row[1] for row in rows}


def office_names_for(store: Store, codes: Iterable[str]) -> dict[str, str]:
    """``office_names`` and, for each of ``codes`` this database does not know, the usual name
    of an office above known only by its code (``routing.place_of_code``: P48, DLA): the
    exchange history names every office it lists."""
    names = office_names(store)
    for code in codes:
        place = place_of_code(code) if code and code not in names else None
        if place is not None:
            names[code] = place.name
    return names


def list_offices(store: Store, *, include_self: bool = True) -> list[Office]:
    """Every office this database knows, ordered by level, district and name."""
    with store.read() as session:
        rows = list(session.scalars(select(Office).where(Office.deleted.is_(False))))
    if not include_self:
        rows = [o for o in rows if o.code != store.office_code]
    return sorted(rows, key=lambda o: (-Level(o.level).rank, o.district_code or "", o.name))


def subordinate_laos(store: Store, code: str | None = None) -> list[Office]:
    """The LAOs under an office (default: this one): all the LAOs whose route passes it."""
    code = code or store.office_code
    me = get_office(store, code) if code else None
    laos = [o for o in list_offices(store) if o.level == Level.LAO]
    if me is None or me.level == Level.NATIONAL:
        return laos
    if me.level == Level.PROVINCE:
        return [o for o in laos if o.province_code == me.province_code]
    if me.level == Level.DISTRICT:
        return [
            o
            for o in laos
            if o.district_code == me.district_code
            and (o.lao_type is None or LaoType(o.lao_type).reports_via_district)
        ]
    return [me] if me.level == Level.LAO else []


def initialise(
    store: Store,
    *,
    level: str,
    code: str,
    name: str,
    lao_type: str | None = None,
    parent: str | None = None,
    province_code: str | None = None,
    district_code: str | None = None,
    officer: str = "",
    since: dt.date | None = None,
) -> Office:
    """First start: records which office this database belongs to and seeds the programmes.

    ``since``: the day the office begins using the app (the setup wizard and ``lev init``
    give today): obligations that fell due before it are not applicable to it.
    """
    if store.office_code and store.office_code != code:
        raise SetupError(
            _("This database already belongs to office {code}").format(code=store.office_code)
        )
    try:
        level_value = Level(level)
    except ValueError as exc:
        raise SetupError(_("Unknown level: {level}").format(level=level)) from exc
    code = (code or "").strip()
    name = (name or "").strip()
    if not code or not name:
        raise SetupError(_("Please enter the office code and name"))
    problems = own_office_problems(name=name, officer=officer)
    if problems:
        raise SetupError(problems[0].message)
    type_value: LaoType | None = None
    if level_value == Level.LAO:
        if not lao_type:
            raise SetupError(_("Please choose the type of the LAO"))
        try:
            type_value = parse_lao_type(lao_type)
        except ValueError as exc:
            raise SetupError(_("Unknown LAO type: {type}").format(type=lao_type)) from exc
    if level_value == Level.LAO and (district_code or province_code):
        # the rule the district applies when it imports this office's first package
        problem = office_identity_problem(
            {
                "code": code,
                "level": level_value.value,
                "lao_type": type_value.value if type_value else None,
                "province_code": province_code or (district_code or "")[:2],
                "district_code": district_code,
            }
        )
        if problem:
            raise SetupError(problem)
    clash = get_office(store, code)
    if clash is not None and (clash.level != level_value.value or clash.name != name):
        # e.g. a demo LAO or one from the district's list: two offices may never share a code
        raise SetupError(
            _("Code {code} already belongs to {name}: please check the code").format(
                code=code, name=clash.name
            )
        )
    store.set_identity(office_code=code, officer=officer or None)
    with store.session() as session:
        office = session.scalar(select(Office).where(Office.code == code))
        if office is None:
            office = Office(code=code, owner_office=code)
            session.add(office)
        office.name = name
        office.level = level_value.value
        office.lao_type = type_value.value if type_value else None
        office.parent_code = parent
        office.province_code = province_code or (district_code[:2] if district_code else None)
        office.district_code = district_code
    if since is not None:
        set_since(store, code, since, source="setup")
    programmes.seed_builtins(store)
    return get_office(store, code)  # type: ignore[return-value]


def add_lao(
    store: Store,
    *,
    code: str,
    name: str,
    lao_type: str,
    district_code: str | None,
    province_code: str | None = None,
) -> Office:
    """Adds (or updates) an LAO under this office's jurisdiction."""
    add_laos(
        store,
        [
            {
                "code": code,
                "name": name,
                "lao_type": lao_type,
                "district_code": district_code,
                "province_code": province_code,
            }
        ],
    )
    return get_office(store, code)  # type: ignore[return-value]


def add_laos(store: Store, rows: list[dict[str, Any]], *, since: dt.date | None = None) -> int:
    """Adds (or updates) many LAOs in ONE transaction: all of them or none (list import).

    Each row: code, name, lao_type, district_code, province_code (optional). ``since``: the
    day the LAOs new to this list are followed from (the LAO list screen gives today);
    obligations that fell due before it are not applicable to them.
    """
    types = [parse_lao_type(row["lao_type"]) for row in rows]  # fail before writing anything
    for row, type_value in zip(rows, types, strict=True):
        # An LAO's code of its own district: "D4801" made the district office an LAO.
        identity = office_identity_problem(
            {
                "code": row["code"],
                "level": Level.LAO.value,
                "lao_type": type_value.value,
                "province_code": row.get("province_code")
                or (row["district_code"][:2] if row.get("district_code") else None),
                "district_code": row.get("district_code"),
            }
        )
        name = office_name_problem(row["name"])
        if identity or name:
            raise ValueError(identity or f"{field_label('name')}: {name}")
    me = this_office(store)
    with store.session() as session:
        offices = list(
            session.scalars(
                select(Office).where(Office.level.in_([Level.DISTRICT.value, Level.PROVINCE.value]))
            )
        )
        district_offices = {o.district_code: o.code for o in offices if o.level == Level.DISTRICT}
        province_offices = {o.province_code: o.code for o in offices if o.level == Level.PROVINCE}
        # One query per 500 codes instead of one per row (a national list has ~7,850 LAOs).
        codes = [row["code"] for row in rows]
        known: dict[str, Office] = {}
        for start in range(0, len(codes), 500):
            chunk = codes[start : start + 500]
            known.update(
                {o.code: o for o in session.scalars(select(Office).where(Office.code.in_(chunk)))}
            )
        new_codes: list[str] = []
        for row, type_value in zip(rows, types, strict=True):
            code = row["code"]
            district_code = row.get("district_code")
            office = known.get(code)
            if office is None:
                office = Office(code=code)
                session.add(office)
                known[code] = office
                new_codes.append(code)
            office.name = row["name"]
            office.level = Level.LAO.value
            office.lao_type = type_value.value
            office.district_code = district_code
            office.province_code = row.get("province_code") or (
                district_code[:2] if district_code else None
            )
            if reporting_parent_level(type_value) == Level.DISTRICT and district_code:
                office.parent_code = district_offices.get(district_code) or (
                    me.code if me and me.level == Level.DISTRICT else None
                )
            else:
                office.parent_code = province_offices.get(office.province_code) or (
                    me.code if me and me.level == Level.PROVINCE else None
                )
        if since is not None and new_codes:
            session.flush()
            followed = set(
                session.scalars(
                    select(OfficeSince.office_code).where(OfficeSince.office_code.in_(new_codes))
                )
            )
            session.add_all(
                OfficeSince(office_code=code, since=since, source="list")
                for code in new_codes
                if code not in followed
            )
    return len(rows)


def update_office(store: Store, code: str, **fields: str | None) -> Office:
    """Changes this office's own details (name, phone, whom it reports to)."""
    problems = own_office_problems(name=fields.get("name"), phone=fields.get("phone"))
    if problems:
        raise SetupError(problems[0].message)
    with store.session() as session:
        office = session.scalar(select(Office).where(Office.code == code))
        if office is None:
            raise SetupError(_("Office {code} is not in this database").format(code=code))
        for key, value in fields.items():
            if key not in ("name", "phone", "parent_code"):
                raise ValueError(key)
            setattr(office, key, value)
    return get_office(store, code)  # type: ignore[return-value]


# ---- LAO list from a spreadsheet ---------------------------------------------------------


@dataclass
class LaoRow:
    line: int
    name: str
    lao_type: LaoType | None
    district_code: str | None
    code: str
    problems: list[str] = field(default_factory=list)


def next_lao_code(existing: set[str], district_code: str | None, index: int) -> str:
    base = district_code or "0000"
    while True:
        code = f"{base}{index:03d}"
        if code not in existing:
            return code
        index += 1


def area_laos(store: Store, code: str | None = None) -> list[Office]:
    """Every LAO inside this office's area (district or province), whatever its route: the
    LAO list a district keeps includes the เทศบาลเมือง that reports straight to the province."""
    code = code or store.office_code
    me = get_office(store, code) if code else None
    laos = [o for o in list_offices(store) if o.level == Level.LAO]
    if me is None or me.level == Level.NATIONAL:
        return laos
    if me.level == Level.PROVINCE:
        return [o for o in laos if o.province_code == me.province_code]
    if me.level == Level.DISTRICT:
        return [o for o in laos if o.district_code == me.district_code]
    return [me] if me.level == Level.LAO else []
