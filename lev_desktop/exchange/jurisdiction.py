"""Which offices may send packages to which: the reporting tree of domain.offices.

An office accepts packages from the offices below it (its LAOs; a province also its districts)
and from the offices above it (reviews, programmes sent down). Everything else is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lev_desktop.domain.offices import Level


@dataclass(frozen=True)
class OfficeInfo:
    code: str
    level: str = ""
    province_code: str | None = None
    district_code: str | None = None
    parent_code: str | None = None
    lao_type: str | None = None
    name: str = ""

    @classmethod
    def of(cls, office: Any) -> OfficeInfo:
        if isinstance(office, dict):
            get = office.get
        else:

            def get(key: str, default: Any = None) -> Any:
                return getattr(office, key, default)

        return cls(
            code=str(get("code") or ""),
            level=str(get("level") or ""),
            province_code=get("province_code"),
            district_code=get("district_code"),
            parent_code=get("parent_code"),
            lao_type=get("lao_type"),
            name=str(get("name") or ""),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "lao_type": self.lao_type,
            "province_code": self.province_code,
            "district_code": self.district_code,
            "parent_code": self.parent_code,
        }

    @property
    def rank(self) -> int:
        try:
            return Level(self.level).rank
        except ValueError:
            return -1


def is_below(other: OfficeInfo, me: OfficeInfo) -> bool:
    """``other`` reports (directly or through a district) to ``me``."""
    if other.code == me.code or other.rank < 0 or other.rank >= me.rank:
        return False
    if other.parent_code and other.parent_code == me.code:
        return True
    if me.level == Level.NATIONAL:
        return True
    if me.level == Level.PROVINCE:
        return bool(me.province_code) and other.province_code == me.province_code
    if me.level == Level.DISTRICT:
        return (
            other.level == Level.LAO
            and bool(me.district_code)
            and other.district_code == me.district_code
        )
    return False


def is_above(other: OfficeInfo, me: OfficeInfo) -> bool:
    """``other`` is an office ``me`` reports to (any level up the route)."""
    if other.code == me.code or other.rank <= me.rank:
        return False
    if me.parent_code and other.code == me.parent_code:
        return True
    if other.level == Level.NATIONAL:
        return True
    if other.level == Level.PROVINCE:
        return bool(other.province_code) and other.province_code == me.province_code
    if other.level == Level.DISTRICT:
        return (
            me.level == Level.LAO
            and bool(other.district_code)
            and other.district_code == me.district_code
        )
    return False


def may_send_to(sender: OfficeInfo, me: OfficeInfo) -> bool:
    return is_below(sender, me) or is_above(sender, me)
