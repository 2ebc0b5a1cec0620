"""Office levels, LAO types and the reporting route between them."""

from __future__ import annotations

from enum import StrEnum

from lev_desktop.i18n import N_, _
from lev_desktop.thai_format import arabic_digits

# The owner of the records the program ships (the built-in programmes), not an office.
BUILTIN_OWNER = "builtin"


class Level(StrEnum):
    LAO = "lao"
    DISTRICT = "district"
    PROVINCE = "province"
    NATIONAL = "national"

    @property
    def label(self) -> str:
        return _(LEVEL_LABELS[self])

    @property
    def rank(self) -> int:
        return list(Level).index(self)


LEVEL_LABELS = {
    Level.LAO: N_("Local administrative organisation (LAO)"),
    Level.DISTRICT: N_("District"),
    Level.PROVINCE: N_("Province"),
    Level.NATIONAL: N_("Department (DLA)"),
}
LEVEL_SHORT = {
    Level.LAO: N_("LAO"),
    Level.DISTRICT: N_("District"),
    Level.PROVINCE: N_("Province"),
    Level.NATIONAL: N_("DLA"),
}


class LaoType(StrEnum):
    PAO = "pao"  # องค์การบริหารส่วนจังหวัด
    CITY = "city_municipality"  # เทศบาลนคร
    TOWN = "town_municipality"  # เทศบาลเมือง
    SUBDISTRICT = "subdistrict_municipality"  # เทศบาลตำบล
    SAO = "sao"  # องค์การบริหารส่วนตำบล
    SPECIAL = "special"  # กทม., เมืองพัทยา

    @property
    def label(self) -> str:
        return _(LAO_TYPE_LABELS[self])

    @property
    def abbreviation(self) -> str:
        return LAO_TYPE_ABBR[self]

    @property
    def reports_via_district(self) -> bool:
        """เทศบาลตำบล and อบต. report through the district; the others straight to the province."""
        return self in (LaoType.SUBDISTRICT, LaoType.SAO)


LAO_TYPE_LABELS = {
    LaoType.PAO: N_("Provincial Administrative Organisation"),
    LaoType.CITY: N_("City municipality"),
    LaoType.TOWN: N_("Town municipality"),
    LaoType.SUBDISTRICT: N_("Subdistrict municipality"),
    LaoType.SAO: N_("Subdistrict Administrative Organisation"),
    LaoType.SPECIAL: N_("Special local government"),
}
# Thai abbreviations as printed on official forms; the same in every language.
LAO_TYPE_ABBR = {
    LaoType.PAO: "อบจ.",
    LaoType.CITY: "ทน.",
    LaoType.TOWN: "ทม.",
    LaoType.SUBDISTRICT: "ทต.",
    LaoType.SAO: "อบต.",
    LaoType.SPECIAL: "อปท.พิเศษ",
}
# Names people type in spreadsheets → type.
LAO_TYPE_ALIASES = {
    "อบจ": LaoType.PAO,
    "อบจ.": LaoType.PAO,
    "องค์การบริหารส่วนจังหวัด": LaoType.PAO,
    "ทน": LaoType.CITY,
    "ทน.": LaoType.CITY,
    "เทศบาลนคร": LaoType.CITY,
    "ทม": LaoType.TOWN,
    "ทม.": LaoType.TOWN,
    "เทศบาลเมือง": LaoType.TOWN,
    "ทต": LaoType.SUBDISTRICT,
    "ทต.": LaoType.SUBDISTRICT,
    "เทศบาลตำบล": LaoType.SUBDISTRICT,
    "อบต": LaoType.SAO,
    "อบต.": LaoType.SAO,
    "องค์การบริหารส่วนตำบล": LaoType.SAO,
}


def parse_lao_type(text: str) -> LaoType:
    """Reads an LAO type from a code, Thai name or abbreviation; ValueError when unknown."""
    cleaned = (text or "").strip()
    for value in LaoType:
        if cleaned.lower() == value.value:
            return value
    if cleaned in LAO_TYPE_ALIASES:
        return LAO_TYPE_ALIASES[cleaned]
    for prefix, value in sorted(LAO_TYPE_ALIASES.items(), key=lambda kv: -len(kv[0])):
        if len(prefix) > 4 and cleaned.startswith(prefix):
            return value
    raise ValueError(cleaned)


def reporting_parent_level(lao_type: LaoType | None) -> Level:
    """The level an LAO's reports go to first."""
    if lao_type is not None and not lao_type.reports_via_district:
        return Level.PROVINCE
    return Level.DISTRICT


# The Department of Local Administration numbers every LAO with seven digits (รหัส อปท.); the
# app uses that number as the office's code, so two LAOs never share one.
LAO_CODE_DIGITS = 7


def normalise_office_code(text: str) -> str:
    """Thai digits to Arabic, spaces and dashes out ("๔๘๐-๑๐๐๖" → "4801006")."""
    return "".join(ch for ch in arabic_digits(text or "") if not ch.isspace() and ch != "-")


def lao_code_in_area(code: str, area: str) -> bool:
    """Whether an LAO's 7-digit code belongs to ``area`` (its district's 4-digit DOPA code, or
    its province's 2-digit one for an อบจ.). The Department numbers an LAO with a type digit
    first, then province, district and number (5480101, 6480106: what the setup wizard asks
    for); lists made before, and the demo, number it district first (4801006). Either shape is
    the area's; a code of another area is not."""
    return bool(area) and (code.startswith(area) or code[1:].startswith(area))


def lao_code_problem(code: str) -> str | None:
    """Why ``code`` cannot be an LAO's official code (None when its shape is right)."""
    cleaned = normalise_office_code(code)
    if not cleaned:
        return _("Please enter the LAO code")
    if not cleaned.isdigit() or len(cleaned) != LAO_CODE_DIGITS:
        return _("The LAO code has 7 digits, e.g. 5480101; “{code}” does not").format(code=code)
    if set(cleaned) == {"0"}:
        return _("The LAO code has 7 digits, e.g. 5480101; “{code}” does not").format(code=code)
    return None
