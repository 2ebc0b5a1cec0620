"""Reads a list of LAOs (name, type, district) from an Excel workbook, without changing
anything: the caller shows the rows and their problems, and applies the good ones with
``services.offices.add_laos`` in one transaction.

Offices keep these lists in many shapes: a title row or two above the header, Thai or English
headers, types written out (องค์การบริหารส่วนตำบล…) or abbreviated (อบต.), districts with or
without "อำเภอ". A workbook this reader cannot understand raises ``LaoListError`` with a Thai
message; a row it cannot understand gets its problems listed and is not imported.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from lev_desktop import gazetteer
from lev_desktop.domain.offices import LaoType, parse_lao_type
from lev_desktop.domain.validation import (
    field_label,
    office_identity_problem,
    office_name_key,
    office_name_problem,
)
from lev_desktop.files import held_message
from lev_desktop.i18n import _
from lev_desktop.services.offices import LaoRow, next_lao_code
from lev_desktop.thai_format import arabic_digits
from lev_desktop.workbooks import ENCRYPTED, TOO_LARGE, archive_problem, password_message

# How far down the sheet a header row may be (title rows above it are common).
HEADER_SEARCH_ROWS = 15
# What a list of LAOs may unpack to (the whole country's 7,850 LAOs: about 3 MB of sheet XML).
MAX_UNPACKED = 50 * 1024**2

# Header text (normalised: no spaces or dots, lower case) → field.
HEADERS: dict[str, str] = {}
for _field, _names in {
    "name": [
        "ชื่อ",
        "ชื่ออปท",
        "อปท",
        "ชื่อองค์กรปกครองส่วนท้องถิ่น",
        "องค์กรปกครองส่วนท้องถิ่น",
        "ชื่อหน่วยงาน",
        "หน่วยงาน",
        "name",
        "laoname",
        "lao",
        "organisation",
        "organization",
    ],
    "type": ["ประเภท", "ประเภทอปท", "รูปแบบ", "รูปแบบอปท", "type", "laotype", "kind"],
    "district": ["อำเภอ", "อ", "ชื่ออำเภอ", "district", "amphoe", "amphur"],
    "province": ["จังหวัด", "จ", "province", "changwat"],
    "code": ["รหัส", "รหัสอปท", "รหัสหน่วยงาน", "code", "laocode"],
}.items():
    for _name in _names:
        HEADERS[_name] = _field

REQUIRED = ("name", "district")


class LaoListError(ValueError):
    """The workbook cannot be read as an LAO list; the message is for the officer."""


@dataclass
class LaoListPreview:
    rows: list[LaoRow]
    sheet: str
    columns: dict[str, str]  # field → header text found
    header_line: int
    province_codes: dict[int, str] = field(default_factory=dict)  # line → province of the row
    existing_codes: set[str] = field(default_factory=set)  # rows with these codes update an LAO

    @property
    def good_rows(self) -> list[LaoRow]:
        return [row for row in self.rows if not row.problems]

    @property
    def problem_rows(self) -> list[LaoRow]:
        return [row for row in self.rows if row.problems]

    def as_service_rows(self) -> list[dict[str, Any]]:
        """The good rows in the shape ``services.offices.add_laos`` takes."""
        out = []
        for row in self.good_rows:
            assert row.lao_type is not None
            out.append(
                {
                    "code": row.code,
                    "name": row.name,
                    "lao_type": row.lao_type.value,
                    "district_code": row.district_code,
                    "province_code": self.province_codes.get(row.line),
                }
            )
        return out


def _normalise(text: object) -> str:
    return re.sub(r"[\s.()]+", "", str(text or "")).lower()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _find_header(
    rows: list[tuple[Any, ...]],
) -> tuple[int, dict[str, int], dict[str, str]] | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        texts: dict[str, str] = {}
        for col, value in enumerate(row):
            key = HEADERS.get(_normalise(value))
            if key and key not in columns:
                columns[key] = col
                texts[key] = _cell(value)
        if all(key in columns for key in REQUIRED):
            return index, columns, texts
    return None


@cache
def _province_by_name(text: str) -> str | None:
    cleaned = text.strip().removeprefix("จังหวัด").removeprefix("จ.").strip()
    if cleaned.isdigit() and gazetteer.province(cleaned):
        return cleaned
    for province in gazetteer.provinces():
        if cleaned in (province.name_th, province.name_en):
            return province.code
    return None


@cache
def _district(province_code: str | None, text: str) -> str | None:
    text = text.strip()
    if text.isdigit() and len(text) == 4:
        found = gazetteer.district(text)
        if found is not None and (province_code is None or found.province_code == province_code):
            return found.code
        return None
    if province_code is None:
        return None
    found = gazetteer.find_district(province_code, text)
    return found.code if found else None


def _unreadable(path: Path) -> str:
    return _(
        "{name} is not an Excel workbook (.xlsx) this program can read. Open it in Excel "
        'and save it as "Excel Workbook (.xlsx)", then try again. Nothing was imported.'
    ).format(name=path.name)


def read_lao_list(
    path: str | Path,
    *,
    province_code: str | None,
    existing: Iterable[tuple[str, str, str | None]] = (),
    sheet: str | None = None,
) -> LaoListPreview:
    """Reads the LAO list in ``path``.

    ``province_code``: the province of this office (rows may name another in a จังหวัด
    column). ``existing``: (code, name, district_code) of the LAOs already in the database,
    so that a list imported again updates them instead of adding them twice.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    problem = archive_problem(path, max_unpacked=MAX_UNPACKED) if path.is_file() else None
    if problem == ENCRYPTED:
        raise LaoListError(password_message(path.name))
    if problem == TOO_LARGE:
        raise LaoListError(
            _(
                "{name} is too large to be a list of LAOs: its sheets unpack to more than {mb} "
                "MB, or are packed far more than a spreadsheet program packs them. Nothing was "
                "imported."
            ).format(name=path.name, mb=MAX_UNPACKED // 1024**2)
        )
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise LaoListError(_("File not found: {name}").format(name=path)) from exc
    except OSError as exc:
        held = held_message(exc, path)
        if held is None:
            raise LaoListError(_unreadable(path)) from exc
        raise LaoListError(held) from exc
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LaoListError(_unreadable(path)) from exc
    try:
        worksheets = [workbook[sheet]] if sheet else list(workbook.worksheets)
        found = None
        for worksheet in worksheets:
            rows = [tuple(row) for row in worksheet.iter_rows(values_only=True)]
            header = _find_header(rows)
            if header is not None:
                found = (worksheet.title, rows, header)
                break
    except Exception as exc:
        raise LaoListError(
            _("{name} could not be read; the file may be damaged. Nothing was imported.").format(
                name=path.name
            )
        ) from exc
    finally:
        workbook.close()
    if found is None:
        raise LaoListError(
            _(
                "No LAO list was found in {name}: the sheet needs a header row with the columns "
                '"ชื่อ อปท." (name), "ประเภท" (type) and "อำเภอ" (district). Nothing was imported.'
            ).format(name=path.name)
        )
    sheet_title, rows, (header_index, columns, texts) = found

    existing = list(existing)
    # (names compared as they look: validation.office_name_key)
    by_name = {(office_name_key(name), district): code for code, name, district in existing}
    used_codes = {code for code, _name, _district in existing}
    seen: dict[tuple[str, str | None], int] = {}
    out: list[LaoRow] = []
    provinces: dict[int, str] = {}

    def value(row: tuple[Any, ...], key: str) -> str:
        col = columns.get(key)
        return _cell(row[col]) if col is not None and col < len(row) else ""

    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(_cell(v) for v in row):
            continue
        problems: list[str] = []
        name = " ".join(value(row, "name").split())
        type_text = value(row, "type")
        district_text = value(row, "district")
        province = province_code
        if "province" in columns and value(row, "province"):
            province = _province_by_name(value(row, "province"))
            if province is None:
                problems.append(_('unknown province "{text}"').format(text=value(row, "province")))
        lao_type: LaoType | None = None
        if not name:
            problems.append(_("the name is empty"))
        elif message := office_name_problem(name):
            problems.append(f"{field_label('name')}: {message}")
        try:
            lao_type = parse_lao_type(type_text or name)
        except ValueError:
            if type_text:
                problems.append(
                    _(
                        'unknown type "{text}" (use อบจ., เทศบาลนคร, เทศบาลเมือง, '
                        "เทศบาลตำบล or อบต.)"
                    ).format(text=type_text)
                )
            else:
                problems.append(_("the type is empty"))
        district_code: str | None = None
        if not district_text:
            if lao_type != LaoType.PAO:
                problems.append(_("the district is empty"))
        else:
            district_code = _district(province, district_text)
            if district_code is None and province is not None:
                known = gazetteer.province(province)
                province_name = known.name_th if known else province
                problems.append(
                    _('district "{text}" is not in province {province}').format(
                        text=district_text, province=province_name
                    )
                )
            elif district_code is None:
                problems.append(
                    _('the province of district "{text}" is not known').format(text=district_text)
                )
        key = (office_name_key(name), district_code)
        if name and key in seen:
            problems.append(_("the same LAO is already in line {line}").format(line=seen[key]))
        elif name:
            seen[key] = offset
        code = arabic_digits(value(row, "code"))
        if code and lao_type is not None and not problems:
            # The code was written into the database as given: "D4801" turned the district
            # office itself into an LAO, "4805001" put an LAO of another district here.
            identity = office_identity_problem(
                {
                    "code": code,
                    "level": "lao",
                    "lao_type": lao_type.value,
                    "province_code": province,
                    "district_code": district_code,
                }
            )
            if identity:
                problems.append(identity)
            elif by_name.get(key, code) != code:
                problems.append(
                    _("the name looks the same as that of LAO {code} of this district").format(
                        code=by_name[key]
                    )
                )
        if not code:
            code = by_name.get(key) or ""
        if not code and not problems:
            code = next_lao_code(used_codes, district_code or province, 1)
        if code:
            used_codes.add(code)
        if province:
            provinces[offset] = province
        out.append(
            LaoRow(
                line=offset,
                name=name,
                lao_type=lao_type,
                district_code=district_code,
                code=code,
                problems=problems,
            )
        )
    if not out:
        raise LaoListError(
            _("{name} has a header row but no LAOs under it. Nothing was imported.").format(
                name=path.name
            )
        )
    return LaoListPreview(
        rows=out,
        sheet=sheet_title,
        columns=texts,
        header_line=header_index + 1,
        province_codes=provinces,
        existing_codes={code for code, _name, _district in existing},
    )
