"""Provinces and districts of Thailand with DOPA codes, from geothai (data CC BY 4.0, "GeoThai")."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import geothai

if TYPE_CHECKING:
    # where geothai defines them (its package re-exports them without saying so)
    from geothai._schema import District, Province, Subdistrict

CREDIT = "GeoThai — ข้อมูลจังหวัด อำเภอ ตำบล (CC BY 4.0)"


@cache
def provinces() -> tuple[Province, ...]:
    return tuple(sorted(geothai.provinces(), key=lambda p: p.name_th))


@cache
def districts(province_code: str) -> tuple[District, ...]:
    return tuple(sorted(geothai.districts(province_code), key=lambda d: d.name_th))


def subdistricts(district_code: str) -> tuple[Subdistrict, ...]:
    return tuple(geothai.subdistricts(district_code))


def province(code: str | None) -> Province | None:
    if not code:
        return None
    return next((p for p in provinces() if p.code == code), None)


def district(code: str | None) -> District | None:
    if not code:
        return None
    return next((d for d in districts(code[:2]) if d.code == code), None)


def district_label(code: str | None) -> str:
    found = district(code)
    if found is None:
        return ""
    # Bangkok's เขต are districts too; everything else is อำเภอ.
    return found.name_th if found.province_code == "10" else f"อำเภอ{found.name_th}"


def find_district(province_code: str, name: str) -> District | None:
    """Finds a district by Thai name, with or without the word อำเภอ / อ."""
    cleaned = name.strip().removeprefix("อำเภอ").removeprefix("อ.").strip()
    return next((d for d in districts(province_code) if d.name_th == cleaned), None)
