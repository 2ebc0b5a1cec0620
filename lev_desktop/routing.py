"""The reporting route (Qt-free, no database): who reports to whom, the usual codes and Thai
names of the offices above, and which offices a package may be addressed to.

เทศบาลตำบล and อบต. report through the district; เทศบาลนคร, เทศบาลเมือง and อบจ. straight to
the province (``domain.offices``); a district reports to its province, a province to the
Department. An office keeps whom it reports to in its own record (``Office.parent_code``,
"reports to", set up with the office and editable in Settings); when an office above is not in
this database yet, its usual code (``D4801``, ``P48``, ``DLA``) and Thai name are known here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from lev_desktop import gazetteer
from lev_desktop.domain.offices import BUILTIN_OWNER, LaoType, Level, reporting_parent_level

NATIONAL_CODE = "DLA"
NATIONAL_NAME = "กรมส่งเสริมการปกครองท้องถิ่น"


class OfficeLike(Protocol):
    code: str
    name: str
    level: str
    lao_type: str | None
    province_code: str | None
    district_code: str | None
    parent_code: str | None


@dataclass(frozen=True)
class Place:
    """An office as the route sees it (a database row, or an office known only by its code)."""

    code: str
    name: str
    level: str
    province_code: str | None = None
    district_code: str | None = None
    lao_type: str | None = None
    parent_code: str | None = None
    known: bool = True  # an office record of this database (not only its usual code)

    @classmethod
    def of(cls, office: Any) -> Place:
        return cls(
            office.code,
            office.name or "",
            office.level,
            office.province_code,
            office.district_code,
            office.lao_type,
            office.parent_code,
        )

    @property
    def label(self) -> str:
        """The Thai name with the code: nobody has to remember what D4801 is."""
        return f"{self.name} ({self.code})" if self.name else self.code


# ---- usual codes and names -------------------------------------------------------------------


def standard_code(level: str, province_code: str | None, district_code: str | None) -> str | None:
    if level == Level.NATIONAL:
        return NATIONAL_CODE
    if level == Level.PROVINCE and province_code:
        return f"P{province_code}"
    if level == Level.DISTRICT and district_code:
        return f"D{district_code}"
    return None


def standard_name(level: str, province_code: str | None, district_code: str | None) -> str:
    """The official Thai name of the office of a level and area ('' when unknown)."""
    if level == Level.NATIONAL:
        return NATIONAL_NAME
    if level == Level.PROVINCE:
        province = gazetteer.province(province_code)
        return f"สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด{province.name_th}" if province else ""
    if level == Level.DISTRICT:
        label = gazetteer.district_label(district_code)
        return f"สำนักงานส่งเสริมการปกครองท้องถิ่น{label}" if label else ""
    return ""


def place_of_code(code: str) -> Place | None:
    """An office known only by its usual code: ``DLA``, ``P48``, ``D4801``."""
    if code == NATIONAL_CODE:
        return Place(code, NATIONAL_NAME, Level.NATIONAL.value, known=False)
    if code.startswith("P") and len(code) == 3 and code[1:].isdigit():
        name = standard_name(Level.PROVINCE, code[1:], None)
        if name:
            return Place(code, name, Level.PROVINCE.value, code[1:], known=False)
    if code.startswith("D") and len(code) == 5 and code[1:].isdigit():
        name = standard_name(Level.DISTRICT, code[1:3], code[1:])
        if name:
            return Place(code, name, Level.DISTRICT.value, code[1:3], code[1:], known=False)
    return None


def proposed_office(
    level: Level,
    province_code: str | None,
    district_code: str | None,
    lao_type: LaoType | None = None,
    lao_name: str = "",
) -> dict[str, str | None]:
    """The code, name and parent a new office most likely has (the officer may change them)."""
    province = gazetteer.province(province_code)
    district = gazetteer.district(district_code)
    if level == Level.NATIONAL:
        return {"code": NATIONAL_CODE, "name": NATIONAL_NAME, "parent": None}
    if level == Level.PROVINCE:
        return {
            "code": f"P{province_code or ''}",
            "name": f"สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด{province.name_th if province else ''}",
            "parent": NATIONAL_CODE,
        }
    if level == Level.DISTRICT:
        return {
            "code": f"D{district_code or ''}",
            "name": "สำนักงานส่งเสริมการปกครองท้องถิ่น" + gazetteer.district_label(district_code),
            "parent": f"P{province_code or ''}",
        }
    via_district = lao_type is None or lao_type.reports_via_district
    parent = f"D{district_code}" if via_district and district_code else f"P{province_code or ''}"
    return {
        "code": "",  # the LAO's own official DLA code: never proposed (issue 12)
        "name": lao_name.strip(),
        "parent": parent,
        "district": district.name_th if district else "",
    }


# ---- the route -----------------------------------------------------------------------------


def next_level(office: Any) -> Level | None:
    """The level ``office`` reports to."""
    level = Level(office.level)
    if level == Level.LAO:
        return reporting_parent_level(LaoType(office.lao_type) if office.lao_type else None)
    if level == Level.DISTRICT:
        return Level.PROVINCE
    if level == Level.PROVINCE:
        return Level.NATIONAL
    return None


def reports_to(office: Any) -> str | None:
    """The code of the office ``office`` reports to: its own record says, else the usual code."""
    if office.parent_code:
        return str(office.parent_code)
    level = next_level(office)
    return standard_code(level, office.province_code, office.district_code) if level else None


def _place(code: str, offices: Mapping[str, Any]) -> Place | None:
    found = offices.get(code)
    return Place.of(found) if found is not None else place_of_code(code)


def route_above(me: Any, offices: Mapping[str, Any]) -> list[Place]:
    """The offices up the route from ``me``, nearest first (reports-to, its reports-to, …)."""
    out: list[Place] = []
    current: Any = me
    seen = {me.code}
    while True:
        code = reports_to(current)
        if not code or code in seen:
            return out
        place = _place(code, offices)
        if place is None:
            level = next_level(current)
            place = Place(code, "", level.value if level else "", known=False)
            out.append(place)
            return out
        out.append(place)
        seen.add(code)
        current = place


def _serves(above: Any, below: Any) -> bool:
    """``below``'s route passes ``above`` (by level and area)."""
    high, low = Level(above.level), Level(below.level)
    if high.rank <= low.rank:
        return False
    if below.parent_code and below.parent_code == above.code:
        return True
    if high == Level.NATIONAL:
        return True
    if high == Level.PROVINCE:
        return bool(above.province_code) and below.province_code == above.province_code
    if high == Level.DISTRICT:
        return (
            low == Level.LAO
            and bool(above.district_code)
            and below.district_code == above.district_code
            and (not below.lao_type or LaoType(below.lao_type).reports_via_district)
        )
    return False


def owner_concerns(owner: str, me: Any, offices: Mapping[str, Any]) -> bool:
    """Whether a programme (or anything) made by office ``owner`` binds office ``me``: it is
    ``me``'s own, or made above ``me`` on its route (a province's programme sent down binds the
    province, its districts and LAOs). One an office below made for itself (an LAO's own
    next-year plan that travelled up in its package) binds that office alone: the office above
    keeps its data but owes nothing for it, and neither do its other LAOs. Built-in programmes
    and an owner known to nobody here (no record, no usual code) bind every office, as they did.
    ``offices``: code → office record of this database."""
    if not owner or owner == BUILTIN_OWNER or me is None or owner == me.code:
        return True
    place = _place(owner, offices)
    if place is None:
        return True
    try:
        return _serves(place, me)
    except ValueError:  # (a level this version does not know)
        return True


@dataclass(frozen=True)
class Recipients:
    """Where a package of ``me`` may go: the office it reports to first (the default), the
    other offices above it on the route, and the offices below it (reviews, programmes)."""

    reports_to: Place | None
    above: list[Place]
    below: list[Place]

    def find(self, code: str) -> tuple[Place, str] | None:
        """(the office, "reports_to" | "above" | "below") or None when not a recipient."""
        if self.reports_to is not None and code == self.reports_to.code:
            return self.reports_to, "reports_to"
        for place in self.above:
            if place.code == code:
                return place, "above"
        for place in self.below:
            if place.code == code:
                return place, "below"
        return None


def recipients(me: Any, offices: Iterable[Any]) -> Recipients:
    by_code = {o.code: o for o in offices if o.code != me.code}
    chain = route_above(me, by_code)
    first = chain[0] if chain else None
    above = list(chain[1:])
    taken = {p.code for p in chain}
    for office in by_code.values():
        if office.code not in taken and _serves(office, me):
            above.append(Place.of(office))
            taken.add(office.code)
    below = [
        Place.of(o)
        for o in by_code.values()
        if o.code not in taken and _serves(me, o) and not getattr(o, "deleted", False)
    ]
    above.sort(key=lambda p: (Level(p.level).rank if p.level else 9, p.code))
    below.sort(key=lambda p: (-Level(p.level).rank, p.district_code or "", p.name))
    return Recipients(first, above, below)


__all__ = [
    "NATIONAL_CODE",
    "Place",
    "Recipients",
    "next_level",
    "place_of_code",
    "proposed_office",
    "recipients",
    "reports_to",
    "route_above",
    "standard_code",
    "standard_name",
]
