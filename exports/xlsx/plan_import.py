"""Reading an action plan (F1) an office already keeps in Excel (.xlsx), Qt-free.

``open_workbook`` reads every sheet's first rows for a preview and guesses the header row and
which column holds which of the eight official fields; ``extract_rows`` turns a chosen mapping
into plan rows, checked with ``validate_plan_item``. A broken or foreign file raises
``PlanImportError`` with a Thai message; nothing is written by this module.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lev_desktop.domain.validation import BLANK_CHARS, validate_plan_item
from lev_desktop.files import held_message

if TYPE_CHECKING:
    from openpyxl import Workbook
from lev_desktop.i18n import N_, _
from lev_desktop.thai_format import arabic_digits, format_number, parse_number
from lev_desktop.workbooks import ENCRYPTED, TOO_LARGE, archive_problem, password_message

# The fields a column can be mapped to, in the official order (labels are msgids).
FIELDS: list[tuple[str, str]] = [
    ("project", N_("Project")),
    ("objective", N_("Objective")),
    ("target", N_("Target (project outputs)")),
    ("location", N_("Location")),
    ("budget", N_("Budget (baht)")),
    ("kpi", N_("Indicator (KPI)")),
    ("expected_result", N_("Expected result")),
    ("planned_activities", N_("Planned activities")),
]

# Header words → field; the more specific first ("เป้าหมาย (ผลผลิตของโครงการ)" holds โครงการ).
_HEADER_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("expected_result", ("ผลที่คาดว่า", "ผลที่คาด", "expected")),
    ("kpi", ("ตัวชี้วัด", "kpi", "indicator")),
    ("target", ("เป้าหมาย", "target", "output")),
    ("objective", ("วัตถุประสงค์", "objective")),
    ("location", ("สถานที่", "location", "place")),
    ("budget", ("งบประมาณ", "budget")),
    ("planned_activities", ("จำนวนครั้ง", "จำนวนกิจกรรม", "planned")),
    ("project", ("โครงการ", "กิจกรรม", "project")),
]
_NO_BUDGET_WORDS = ("ไม่ใช้งบ", "no budget", "ไม่มี")
_DASHES = ("-", "–", "—")
PREVIEW_ROWS = 30
MAX_ROWS = 5000
# What a plan's workbook may unpack to (5,000 rows of Thai text: about 10 MB of sheet XML).
MAX_UNPACKED = 50 * 1024**2


class PlanImportError(ValueError):
    """The file cannot be read as a spreadsheet; the message is Thai and says what to do."""


@dataclass
class SheetPreview:
    name: str
    rows: list[list[str]]  # the first rows, cells as text
    header_row: int  # index into rows (0-based) of the guessed header
    mapping: dict[str, int]  # field → column index (0-based)
    hidden: bool = False  # hidden in Excel (often an old version of the plan kept out of view)


@dataclass
class WorkbookPreview:
    path: Path
    sheets: list[SheetPreview]

    def best_sheet(self) -> int:
        """The sheet whose header names the most fields; a sheet the clerk sees before a
        hidden one (a hidden old plan first in the book was imported instead of the plan)."""
        scores = [(len(s.mapping), not s.hidden) for s in self.sheets]
        return scores.index(max(scores)) if scores else 0


@dataclass
class ImportResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (sheet row number, message)
    skipped: int = 0


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return str(value).strip()


def _load(path: Path) -> Workbook:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    if not path.is_file():
        raise PlanImportError(_("File not found: {name}").format(name=str(path)))
    problem = archive_problem(path, max_unpacked=MAX_UNPACKED)
    if problem == ENCRYPTED:
        raise PlanImportError(password_message(path.name))
    if problem == TOO_LARGE:
        raise PlanImportError(
            _(
                "{name} is too large to be a plan: its sheets unpack to more than {mb} MB, or "
                "are packed far more than a spreadsheet program packs them. Nothing was imported."
            ).format(name=path.name, mb=MAX_UNPACKED // 1024**2)
        )
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise PlanImportError(held_message(exc, path) or _unreadable(path)) from exc
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        ValueError,
        EOFError,
    ) as exc:
        raise PlanImportError(_unreadable(path)) from exc


def _unreadable(path: Path) -> str:
    return _(
        "Cannot read {name}: it is not an Excel (.xlsx) file or it is damaged. "
        "Open it in Excel, save it again as .xlsx and try once more."
    ).format(name=path.name)


def _sheet_rows(path: Path, sheet: Any, **bounds: int) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows as values. openpyxl reads a sheet's XML only while the rows are
    iterated, and a damaged sheet raises many kinds of error there (a cut XML part: ParseError;
    a text cell naming a shared string the file lacks: IndexError): each is the file's fault."""
    rows = sheet.iter_rows(values_only=True, **bounds)
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl raises many kinds of error on a damaged file
            raise PlanImportError(_unreadable(path)) from exc
        yield values


def guess_mapping(header: list[str]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for index, text in enumerate(header):
        lowered = text.lower().replace("\n", " ")
        if not lowered:
            continue
        for key, words in _HEADER_WORDS:
            if key not in mapping and any(w in lowered for w in words):
                mapping[key] = index
                break
    return mapping


def open_workbook(path: Path) -> WorkbookPreview:
    book = _load(path)
    sheets: list[SheetPreview] = []
    try:
        for sheet in book.worksheets:
            rows: list[list[str]] = []
            for values in _sheet_rows(path, sheet, max_row=PREVIEW_ROWS):
                rows.append([cell_text(v) for v in values])
            best, best_map = 0, {}  # type: tuple[int, dict[str, int]]
            for index, row in enumerate(rows[:15]):
                mapping = guess_mapping(row)
                if len(mapping) > len(best_map):
                    best, best_map = index, mapping
            hidden = getattr(sheet, "sheet_state", "visible") != "visible"
            sheets.append(SheetPreview(sheet.title, rows, best, best_map, hidden))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise PlanImportError(_unreadable(Path(path))) from exc
    finally:
        book.close()
    if not sheets:
        raise PlanImportError(_("The file has no sheets."))
    return WorkbookPreview(Path(path), sheets)


def _budget(text: str) -> tuple[Any, bool]:
    lowered = text.strip().lower()
    if not lowered:
        return None, False
    if lowered in _DASHES or any(lowered.startswith(w) for w in _NO_BUDGET_WORDS):
        return None, True
    return text, False


def row_from_cells(cells: list[str], mapping: dict[str, int]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for key, index in mapping.items():
        text = cells[index] if index < len(cells) else ""
        if key == "budget":
            value, no_budget = _budget(text)
            row["no_budget"] = no_budget
            if value is not None:
                try:
                    row["budget"] = parse_number(value)
                except ValueError:
                    row["budget"] = value  # reported by the validation below
        elif key == "planned_activities":
            # isdecimal, not isdigit: "²" is a digit that int() refuses (a ValueError in English)
            digits = "".join(ch for ch in arabic_digits(text) if ch.isdecimal())
            row[key] = int(digits) if digits else 1
        else:
            row[key] = text
    return row


def extract_rows(
    path: Path, sheet_name: str, header_row: int, mapping: dict[str, int]
) -> ImportResult:
    """Reads the rows under ``header_row`` (0-based) with ``mapping``; empty rows are skipped,
    rows with problems are reported (and not returned)."""
    if "project" not in mapping:
        raise PlanImportError(_("Choose which column holds the project name."))
    book = _load(path)
    result = ImportResult()
    try:
        if sheet_name not in book.sheetnames:
            raise PlanImportError(_("The sheet {name} is not in the file.").format(name=sheet_name))
        sheet = book[sheet_name]
        for number, values in enumerate(
            _sheet_rows(path, sheet, min_row=header_row + 2), start=header_row + 2
        ):
            cells = [cell_text(v) for v in values]
            if number > header_row + 1 + MAX_ROWS:
                if any(cells):  # (rows Excel keeps only for their format are empty: read on)
                    raise PlanImportError(_too_many_rows(path, number))
                continue
            row = row_from_cells(cells, mapping)
            if not any(
                str(row.get(k) or "").strip() for k, _label in FIELDS if k != "planned_activities"
            ):
                result.skipped += 1
                continue
            project = str(row.get("project") or "").strip(BLANK_CHARS)
            if not project or (
                project.startswith(("รวม", "total", "Total"))
                and not str(row.get("objective") or "").strip()
            ):
                result.skipped += 1  # a sub-heading or a total line
                continue
            problems = validate_plan_item(row, final=False)
            if problems:
                result.problems.append((number, problems[0].message))
                continue
            if isinstance(row.get("budget"), Decimal):
                row["budget"] = row["budget"].quantize(Decimal("0.01"))
            result.rows.append(row)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise PlanImportError(_unreadable(Path(path))) from exc
    finally:
        book.close()
    return result


def _too_many_rows(path: Path, number: int) -> str:
    """The rows past MAX_ROWS were left out without a word: a 6,000-row sheet gave 5,000."""
    return _(
        "{name} has more than {count} rows under the header (row {row} is filled): that is "
        "not one action plan. Check the sheet and the header row; nothing was imported."
    ).format(name=Path(path).name, count=format_number(MAX_ROWS), row=number)
