"""Excel fallback for an LAO without the app.

The district writes a pre-filled ``.xlsx`` for one LAO and one KPI programme; the LAO fills the
values in Excel and sends the file back; the district imports it through the same preview,
validation (``lev_desktop.domain.validation``) and history as a package, marked "from Excel,
unsigned". The workbook carries a hidden sheet ``_lev`` saying whose data it is, for which
programme and period, and which indicator each row or column is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import uuid
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from db.models import KpiValue, Office, Programme, utcnow
from db.store import Store
from lev_desktop import files, workbooks
from lev_desktop.domain.validation import (
    FIELDS,
    KEY_PATTERN,
    PERIOD_PATTERN,
    ROW_KEY_PATTERN,
    UUID_PATTERN,
    check_field,
    is_office_code,
    parse_indicator_value,
    validate_form,
)
from lev_desktop.exchange.errors import Refusal
from lev_desktop.exchange.records import row_to_json
from lev_desktop.i18n import _
from lev_desktop.thai_format import fiscal_year, format_period
from lev_desktop.thai_format import today as today_

if TYPE_CHECKING:
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

MARK = "lev-excel"
VERSION = 1
META_SHEET = "_lev"
DATA_SHEET = "ข้อมูล"
HEADER_ROW = 5
EXTRA_ROWS = 5  # empty rows offered for repeated groups (e.g. more products)
MAX_XLSX = 20 * 1024**2
NAMESPACE = uuid.UUID("0b6c0f7e-2c55-4b8a-9d0e-6a3b1f6f2a90")


def default_period(programme: Programme, today: dt.date | None = None) -> str:
    today = today or today_()
    kind = (programme.spec or {}).get("kpi_period", "fiscal_year")
    if kind == "monthly":
        return f"{today.year:04d}-{today.month:02d}"
    if kind == "once":
        return "ONCE"
    return f"FY{programme.fiscal_year or fiscal_year(today)}"


def _stored_value(spec: dict[str, Any], row: KpiValue) -> Any:
    kind = spec.get("type", "text")
    if kind in ("integer", "decimal", "percent", "baht"):
        return (
            None
            if row.value_num is None
            else (int(row.value_num) if kind == "integer" else float(row.value_num))
        )
    if kind == "date":
        return row.value_date
    if kind == "bool":
        return None if row.value_num is None else ("ใช่" if row.value_num else "ไม่ใช่")
    return row.value_text


def _hint_of(spec: dict[str, Any]) -> str:
    kind = spec.get("type", "text")
    hints = {
        "integer": _("whole number"),
        "decimal": _("number"),
        "percent": _("percent 0–100"),
        "baht": _("baht, up to 2 decimals"),
        "date": _("date, e.g. 15/02/2568"),
        "url": _("web link (http…)"),
        "bool": _("yes or no (ใช่ / ไม่ใช่)"),
        "text": _("text"),
    }
    if kind == "choice":
        return _("one of: {choices}").format(choices=", ".join(spec.get("choices", [])))
    return hints.get(kind, "")


def write_template(
    store: Store, lao_code: str, programme_code: str, out: Path | str, period: str | None = None
) -> Path:
    """A pre-filled workbook for one LAO, programme and period."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

    with store.read() as session:
        office = session.scalar(select(Office).where(Office.code == lao_code))
        programme = session.scalar(
            select(Programme).where(
                (Programme.code == programme_code) | (Programme.id == programme_code)
            )
        )
        if office is None:
            raise ValueError(_("Unknown office: {code}").format(code=lao_code))
        if programme is None or not (programme.spec or {}).get("indicators"):
            raise ValueError(
                _("Programme {code} has no indicators to fill in Excel").format(code=programme_code)
            )
        period = period or default_period(programme)
        existing = list(
            session.scalars(
                select(KpiValue).where(
                    KpiValue.owner_office == lao_code,
                    KpiValue.programme_id == programme.id,
                    KpiValue.period == period,
                    KpiValue.deleted.is_(False),
                )
            )
        )
    indicators = programme.spec["indicators"]
    repeat = any(i.get("repeat") for i in indicators)
    values: dict[tuple[str, str], Any] = {}
    row_keys: list[str] = []
    for row in existing:
        spec = next((i for i in indicators if i["code"] == row.indicator_code), None)
        if spec is not None:
            values[(row.row_key, row.indicator_code)] = _stored_value(spec, row)
            if row.row_key not in row_keys:
                row_keys.append(row.row_key)

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = DATA_SHEET
    bold = Font(bold=True)
    sheet["A1"] = _("Data form: {programme} — {office} ({code})").format(
        programme=programme.display_name, office=office.name, code=office.code
    )
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = _("Period: {period}").format(period=_period_label(period))
    sheet["A3"] = _(
        "Fill in the values only, then send the file back to the district. Do not "
        "change the other columns or the sheet names."
    )
    fill = PatternFill("solid", fgColor="FFF7D6")
    wrap = Alignment(wrap_text=True, vertical="top")
    meta = book.create_sheet(META_SHEET)
    meta.append([MARK, VERSION])
    meta.append(["office", lao_code])
    meta.append(["programme_id", programme.id])
    meta.append(["programme_code", programme.code])
    meta.append(["period", period])
    meta.append(["layout", "rows" if repeat else "list"])
    if not repeat:
        sheet.append([])
        for col, title in enumerate(
            [_("Code"), _("Indicator"), _("Unit"), _("Value"), _("How to fill")], start=1
        ):
            cell = sheet.cell(row=HEADER_ROW, column=col, value=title)
            cell.font = bold
        for offset, spec in enumerate(indicators):
            r = HEADER_ROW + 1 + offset
            sheet.cell(row=r, column=1, value=spec["code"])
            sheet.cell(row=r, column=2, value=spec["name"]).alignment = wrap
            sheet.cell(row=r, column=3, value=spec.get("unit", ""))
            value_cell = sheet.cell(row=r, column=4, value=values.get(("", spec["code"])))
            value_cell.fill = fill
            sheet.cell(row=r, column=5, value=_hint_of(spec)).alignment = wrap
            _validation(sheet, spec, f"D{r}", DataValidation)
            meta.append(["row", r, spec["code"]])
        for letter, width in zip("ABCDE", (22, 48, 12, 18, 36), strict=True):
            sheet.column_dimensions[letter].width = width
    else:
        keys = row_keys + [""] * EXTRA_ROWS
        sheet.cell(row=HEADER_ROW, column=1, value=_("Row")).font = bold
        for col, spec in enumerate(indicators, start=2):
            title = spec["name"] + (f" ({spec['unit']})" if spec.get("unit") else "")
            cell = sheet.cell(row=HEADER_ROW, column=col, value=title)
            cell.font = bold
            cell.alignment = wrap
            sheet.column_dimensions[cell.column_letter].width = 24
            meta.append(["column", col, spec["code"], title])  # the heading: read_filled
        for offset, key in enumerate(keys):
            r = HEADER_ROW + 1 + offset
            sheet.cell(row=r, column=1, value=offset + 1)
            meta.append(["rowkey", r, key])
            for col, spec in enumerate(indicators, start=2):
                value_cell = sheet.cell(
                    row=r, column=col, value=values.get((key, spec["code"])) if key else None
                )
                value_cell.fill = fill
                _validation(sheet, spec, value_cell.coordinate, DataValidation)
        sheet.row_dimensions[HEADER_ROW].height = 48
    meta.sheet_state = "hidden"
    return files.write_file(Path(out), book.save)


def _validation(
    sheet: Worksheet, spec: dict[str, Any], ref: str, cls: type[DataValidation]
) -> None:
    if spec.get("type") == "choice" and spec.get("choices"):
        joined = ",".join(c.replace(",", " ") for c in spec["choices"])
        if len(joined) < 250:
            rule = cls(type="list", formula1=f'"{joined}"', allow_blank=True)
            sheet.add_data_validation(rule)
            rule.add(ref)


def _period_label(period: str) -> str:
    return format_period(period)


# ---- reading a filled workbook ----------------------------------------------------------------


def _check_zip(data: bytes, name: str) -> None:
    problem = workbooks.archive_problem(data, max_unpacked=200 * 1024**2)
    if problem == workbooks.ENCRYPTED:
        raise Refusal("password", workbooks.password_message(name))
    if problem == workbooks.DAMAGED:
        raise Refusal(
            "truncated",
            _(
                "The Excel file is damaged or is not an .xlsx workbook. "
                "Please ask the office to save it again as .xlsx."
            ),
        )
    if problem == workbooks.TOO_LARGE:
        raise Refusal(
            "zip_bomb",
            _(
                "The package would unpack to far more data than a LEV package "
                "can hold (too large or too highly compressed). It was not "
                "imported."
            ),
        )


def read_filled(
    store: Store, path: Path | str
) -> tuple[dict[str, Any], list[dict[str, Any]], bytes]:
    """Reads a filled template → (meta, KPI records as payload dicts, file bytes).

    Raises Refusal (Thai reason) for a workbook that is not a LEV template or has values that
    fail the programme's validation.
    """
    from openpyxl import load_workbook

    if Path(path).stat().st_size > MAX_XLSX:
        raise Refusal("too_large", _("The Excel file is too large for a data form."))
    data = Path(path).read_bytes()
    _check_zip(data, Path(path).name)
    try:
        # Not data_only: a formula must be seen as a formula (data_only gives its cached value,
        # or None when the file was not last saved by Excel, and values silently vanished).
        book = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged file
        raise Refusal(
            "truncated",
            _(
                "The Excel file is damaged or is not an .xlsx workbook. "
                "Please ask the office to save it again as .xlsx."
            ),
        ) from exc
    if META_SHEET not in book.sheetnames or DATA_SHEET not in book.sheetnames:
        raise Refusal(
            "not_a_package",
            _("This workbook is not a LEV data form (it was not made with “Save Excel form”)."),
        )
    meta_sheet = book[META_SHEET]
    _refuse_formulas(meta_sheet, meta_sheet.iter_rows(max_row=2000, max_col=4))
    meta_rows = [[c.value for c in row] for row in meta_sheet.iter_rows(max_row=2000, max_col=4)]
    if not meta_rows or meta_rows[0][:1] != [MARK]:
        raise Refusal(
            "not_a_package",
            _("This workbook is not a LEV data form (it was not made with “Save Excel form”)."),
        )
    if meta_rows[0][1] != VERSION:
        raise Refusal(
            "unknown_version",
            _(
                "The package uses format version {version}, which this "
                "version of LEV Desktop does not know. Please update "
                "LEV Desktop, or ask the sender to use the same "
                "version."
            ).format(version=str(meta_rows[0][1])[:20]),
        )
    meta, rows_meta, columns_meta, keys_meta = _read_meta(meta_rows)
    sheet = book[DATA_SHEET]
    with store.read() as session:
        programme = session.get(Programme, str(meta.get("programme_id")))
        if programme is None:
            raise Refusal(
                "validation",
                _(
                    "{what}: refers to a programme this office does not have "
                    "({id}). Import the package of the office that created the "
                    "programme first."
                ).format(what=_("Indicator value"), id=str(meta.get("programme_code"))[:40]),
            )
        existing = {
            (r.indicator_code, r.row_key): r
            for r in session.scalars(
                select(KpiValue).where(
                    KpiValue.owner_office == str(meta["office"]),
                    KpiValue.programme_id == programme.id,
                    KpiValue.period == str(meta["period"]),
                )
            )
        }
    specs = {i["code"]: i for i in programme.spec.get("indicators", [])}
    cells: list[tuple[str, str, Any, str]] = []  # (row_key, code, raw, where)
    if meta.get("layout") == "list":
        for row_no, code in rows_meta:
            _refuse_moved(sheet, row_no, 1, code)
            cell = sheet.cell(row=row_no, column=4)
            _refuse_formulas(sheet, [[cell]])
            cells.append(("", code, cell.value, cell.coordinate))
    else:
        # Each column's heading as the form was written (a form of before 2026-12 has none):
        # not the programme's present names, which the district may have edited since.
        headings: dict[Any, Any] = {
            row[1]: row[3]  # the column's number, checked by _read_meta (2 == 2.0 as a key)
            for row in meta_rows[1:]
            if row and row[0] == "column" and isinstance(row[3], str)
        }
        for col, _code in columns_meta:
            _refuse_moved(sheet, HEADER_ROW, col, headings.get(col))
        for row_no, key in keys_meta:
            _refuse_moved(sheet, row_no, 1, row_no - HEADER_ROW)
            found = {code: sheet.cell(row=row_no, column=col) for col, code in columns_meta}
            _refuse_formulas(sheet, [list(found.values())])
            raw = {code: cell.value for code, cell in found.items()}
            if not key and all(v in (None, "") for v in raw.values()):
                continue
            key = key or str(uuid.uuid5(NAMESPACE, f"{meta['office']}|{meta['period']}|{row_no}"))
            for code, cell in found.items():
                cells.append((key, code, raw[code], cell.coordinate))
    problems: list[str] = []
    parsed: dict[str, dict[str, Any]] = {}
    for key, code, raw, where in cells:
        spec = specs.get(code)
        if spec is None:
            problems.append(
                _("Cell {cell}: unknown indicator {code}").format(cell=where, code=code)
            )
            continue
        value, error = parse_indicator_value(spec, _cell_raw(raw))
        if not error and value is not None:  # the boundary schema of the stored value
            error = _stored_problem(spec, value)
        if error:
            problems.append(
                _("Cell {cell} ({name}): {message}").format(
                    cell=where, name=spec["name"], message=error
                )
            )
            continue
        parsed.setdefault(key, {})[code] = value
    for values in parsed.values():
        for problem in validate_form(programme.spec, values, final=False):
            problems.append(
                _("{name}: {message}").format(
                    name=specs.get(problem.field, {}).get("name", problem.field),
                    message=problem.message,
                )
            )
    if problems:
        raise Refusal("validation", "; ".join(problems[:5]))
    now = utcnow().replace(microsecond=0).isoformat()
    records: list[dict[str, Any]] = []
    for key, values in parsed.items():
        for code, value in values.items():
            fields = _fields(specs[code], value)
            old = existing.get((code, key))
            if old is None and all(v is None for v in fields.values()):
                continue
            if old is not None and _same_value(old, fields):
                records.append(_as_record(old))
                continue
            records.append(
                {
                    "id": old.id if old else str(uuid.uuid4()),
                    "owner_office": str(meta["office"]),
                    "revision": (old.revision + 1) if old else 1,
                    "updated_at": now,
                    "updated_by": _("from Excel, unsigned"),
                    "deleted": False,
                    "programme_id": programme.id,
                    "indicator_code": code,
                    "period": str(meta["period"]),
                    "row_key": key,
                    **fields,
                }
            )
    return meta, records, data


def _refuse_moved(sheet: Any, row: int, column: int, expected: Any) -> None:
    """The form is read by the cells the hidden sheet names: a row inserted above the values
    (or rows sorted) silently moved every value to the next indicator. The code of each row
    (its number, in a form of repeated rows) and each column's heading must be where the form
    put them. ``expected`` None: nothing to compare (a form written before the check)."""
    cell = sheet.cell(row=row, column=column)
    if expected is None or cell.value == expected:
        return
    raise Refusal(
        "bad_format",
        _(
            "Sheet “{sheet}”, cell {cell} should hold “{expected}” but holds “{found}”: rows or "
            "columns of the form were added, deleted or moved. Please fill in a new form from "
            "the district without changing its rows or columns."
        ).format(
            sheet=sheet.title,
            cell=cell.coordinate,
            expected=expected,
            found="" if cell.value is None else str(cell.value)[:40],
        ),
    )


def _refuse_formulas(sheet: Any, rows: Any) -> None:
    """A formula is refused with its sheet and cell: its value is not in the file in a form
    this office can check (and reading only the cached value silently lost values)."""
    for row in rows:
        for cell in row:
            value = cell.value
            if (
                cell.data_type == "f"
                or (isinstance(value, str) and value.startswith("="))
                or (
                    value is not None
                    and not isinstance(value, (str, int, float, bool, dt.datetime))
                )
            ):
                raise Refusal(
                    "formula",
                    _(
                        "Sheet “{sheet}”, cell {cell} holds a formula. Please type the value "
                        "itself (copy, then Paste Values) and send the file again."
                    ).format(sheet=sheet.title, cell=cell.coordinate),
                )


def _damaged_meta(row: int) -> Refusal:
    return Refusal(
        "bad_format",
        _(
            "The hidden sheet of this Excel form is damaged (row {row}). Please ask the "
            "district for a new form."
        ).format(row=row),
    )


def _read_meta(
    meta_rows: list[list[Any]],
) -> tuple[dict[str, Any], list[tuple[int, str]], list[tuple[int, str]], list[tuple[int, str]]]:
    """The hidden sheet, checked: which office, programme and period, and which cell holds
    which indicator. Anything missing, non-numeric or out of range is a refusal."""
    meta: dict[str, Any] = {}
    rows: list[tuple[int, str]] = []
    columns: list[tuple[int, str]] = []
    keys: list[tuple[int, str]] = []

    def number(value: Any, line: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _damaged_meta(line)
        if value != int(value) or not 1 <= int(value) <= high:
            raise _damaged_meta(line)
        return int(value)

    for line, row in enumerate(meta_rows[1:], start=2):
        if not row or row[0] is None:
            continue
        kind = row[0]
        if kind in ("office", "programme_id", "programme_code", "period", "layout"):
            meta[kind] = row[1]
        elif kind == "row":
            rows.append((number(row[1], line, 5000), _code_of(row[2], line)))
        elif kind == "column":
            columns.append((number(row[1], line, 500), _code_of(row[2], line)))
        elif kind == "rowkey":
            key = "" if row[2] is None else str(row[2])
            if not re.fullmatch(ROW_KEY_PATTERN, key):
                raise _damaged_meta(line)
            keys.append((number(row[1], line, 5000), key))
    if (
        not is_office_code(meta.get("office"))
        or not isinstance(meta.get("programme_id"), str)
        or not re.fullmatch(UUID_PATTERN, meta["programme_id"])
        or not isinstance(meta.get("period"), str)
        or not re.fullmatch(PERIOD_PATTERN, meta["period"])
        or meta.get("layout") not in ("list", "rows")
    ):
        raise _damaged_meta(1)
    return meta, rows, columns, keys


def _code_of(value: Any, line: int) -> str:
    if not isinstance(value, str) or not re.fullmatch(KEY_PATTERN, value):
        raise _damaged_meta(line)
    return value


def _stored_problem(spec: dict[str, Any], value: Any) -> str | None:
    """The value as it will be stored, against the boundary schema (column precision, length,
    plausible dates), as a package's value would be."""
    fields = _fields(spec, value)
    for name, stored in fields.items():
        message = check_field(FIELDS["kpi_values"][name], stored)
        if message:
            return message
    return None


def _cell_raw(value: Any) -> Any:
    if isinstance(value, float):
        return str(Decimal(repr(value)))
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _fields(spec: dict[str, Any], value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"value_num": None, "value_text": None, "value_date": None}
    if value is None:
        return out
    kind = spec.get("type", "text")
    if kind in ("integer", "decimal", "percent", "baht"):
        out["value_num"] = str(value)
    elif kind == "date":
        out["value_date"] = value.isoformat()
    elif kind == "bool":
        out["value_num"] = "1" if value else "0"
    else:
        out["value_text"] = str(value)
    return out


def _same_value(old: KpiValue, fields: dict[str, Any]) -> bool:
    def num(v: Any) -> Decimal | None:
        try:
            return None if v is None else Decimal(str(v))
        except InvalidOperation:
            return None

    return (
        num(old.value_num) == num(fields["value_num"])
        and old.value_text == fields["value_text"]
        and (old.value_date.isoformat() if old.value_date else None) == fields["value_date"]
    )


def _as_record(row: KpiValue) -> dict[str, Any]:
    table = KpiValue.__table__
    return row_to_json({c.name: getattr(row, c.name) for c in table.columns})


def package_uuid_of(data: bytes) -> str:
    """The same file imported twice is the same 'package'."""
    return str(uuid.uuid5(NAMESPACE, hashlib.sha256(data).hexdigest()))
