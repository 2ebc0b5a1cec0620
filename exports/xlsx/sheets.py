"""One way to write a report sheet: title lines, a header row, typed cells.

- Thai text in Tahoma (on every Windows PC; Sarabun is not installed there by default).
- Numbers and money stay numbers ('#,##0' / '#,##0.00'); dates stay real dates shown with
  Buddhist-era years by Excel's Thai Buddhist calendar code: ``[$-107041E]d mmm yyyy``
  (``[$-D07041E]`` with Thai digits). Checked: LibreOffice shows "15 ก.พ. 2568" and
  "๑๕ ก.พ. ๒๕๖๘" for them; ``[$-th-TH,107]`` is not understood by LibreOffice.
- Text a person typed that begins with = + - @ (or a tab / carriage return) is written as a
  string, never as a formula (CSV/formula injection).
- Header rows are frozen, repeated on every printed page, A4 landscape fitted to width.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from lev_desktop.thai_format import document_digits

FONT_NAME = "Tahoma"
SIZE = 11
DATE_FORMAT = "[$-107041E]d mmm yyyy"
DATE_FORMAT_THAI = "[$-D07041E]d mmm yyyy"
MONEY_FORMAT = "#,##0.00"
INT_FORMAT = "#,##0"
DEC_FORMAT = "#,##0.00"
# Excel's locale prefix for Thai digits (numeral shape 0D, Thai 041E): ๑๒,๕๐๐.๕๐ on screen and
# paper while the cell keeps the number 12500.5; LibreOffice shows the same.
THAI_DIGITS_PREFIX = "[$-D00041E]"
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="E6E6E6")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Column:
    title: str
    kind: str = "text"  # text | int | money | decimal | date | wrap
    width: float | None = None


def display_width(text: str) -> float:
    """Columns of a Thai string: combining marks (above/below vowels, tone marks) take none."""
    longest = 0.0
    for line in str(text).split("\n"):
        width = sum(
            0 if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn" else 1 for ch in line
        )
        longest = max(longest, width)
    return longest


def number_format_of(value: Any, kind: str, thai_digits: bool) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return DATE_FORMAT_THAI if thai_digits else DATE_FORMAT
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        fmt = {"money": MONEY_FORMAT, "int": INT_FORMAT}.get(
            kind, INT_FORMAT if isinstance(value, int) else DEC_FORMAT
        )
        return THAI_DIGITS_PREFIX + fmt if thai_digits else fmt
    return "General"


def set_value(
    cell: Any, value: Any, kind: str = "text", *, thai_digits: bool = False, styled: bool = False
) -> None:
    """Writes a typed value; ``styled`` when a named style already carries the number format."""
    if value is None or value == "":
        cell.value = None
        return
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, (dt.date, bool, int, float, Decimal)):
        cell.value = value
        if not styled and not isinstance(value, bool):
            cell.number_format = number_format_of(value, kind, thai_digits)
        return
    text = document_digits(str(value), "thai" if thai_digits else "arabic")
    cell.value = text
    if text.startswith(_FORMULA_START):
        cell.data_type = "s"  # a string, not a formula
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited


def safe_sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31].strip() or "Sheet"


class SheetWriter:
    """Writes a titled table into a worksheet, row by row."""

    def __init__(
        self,
        ws: Worksheet,
        columns: Sequence[Column],
        *,
        title_lines: Iterable[str] = (),
        thai_digits: bool = False,
    ):
        self.ws = ws
        self.columns = list(columns)
        self.thai_digits = thai_digits
        self.widths = [display_width(c.title) * 0.6 + 2 for c in self.columns]
        self.row = 1
        last = get_column_letter(len(self.columns))
        for line in title_lines:
            if not line:
                continue
            ws.merge_cells(f"A{self.row}:{last}{self.row}")
            cell = ws.cell(row=self.row, column=1)
            set_value(cell, line, thai_digits=thai_digits)
            cell.font = Font(name=FONT_NAME, size=SIZE + 3, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center")
            ws.row_dimensions[self.row].height = 24
            self.row += 1
        self.header_row = self.row
        for index, column in enumerate(self.columns, start=1):
            cell = ws.cell(row=self.row, column=index)
            set_value(cell, column.title, thai_digits=thai_digits)
            cell.font = Font(name=FONT_NAME, size=SIZE, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.fill = HEADER_FILL
            cell.border = BORDER
        lines = max(str(c.title).count("\n") + 1 for c in self.columns)
        ws.row_dimensions[self.row].height = 16 * lines + 4
        self.row += 1
        self._styles: dict[tuple[Any, ...], str] = {}
        self._font = Font(name=FONT_NAME, size=SIZE)
        self._bold = Font(name=FONT_NAME, size=SIZE, bold=True)
        self._top = Alignment(vertical="top", wrap_text=True)
        self._top_right = Alignment(vertical="top", horizontal="right")

    def add(self, values: Sequence[Any], *, kind: str = "data") -> int:
        """Adds a row; ``kind`` ``group`` writes one merged shaded cell, ``total`` a bold row."""
        ws, r = self.ws, self.row
        if kind == "group":
            # not merged: thousands of merged ranges make openpyxl quadratic; the text runs
            # over the empty shaded cells to its right
            for index in range(1, len(self.columns) + 1):
                ws.cell(row=r, column=index).style = self._named(True, False, "General", wrap=False)
            set_value(ws.cell(row=r, column=1), values[0], thai_digits=self.thai_digits)
            self.row += 1
            return r
        for index, (column, value) in enumerate(zip(self.columns, values, strict=False), start=1):
            cell = ws.cell(row=r, column=index)
            numeric = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
            fmt = number_format_of(value, column.kind, self.thai_digits)
            # one named style per look: assigning Font/Border objects cell by cell makes
            # openpyxl hash them every time (minutes for a national table)
            cell.style = self._named(kind == "total", numeric, fmt)
            set_value(cell, value, column.kind, thai_digits=self.thai_digits, styled=True)
            if value is not None and column.width is None:
                if isinstance(value, dt.date):
                    width = 13.0
                elif numeric:
                    width = len(f"{value:,.2f}") + 2.0
                else:
                    width = display_width(value) + 2
                self.widths[index - 1] = max(self.widths[index - 1], width)
        self.row += 1
        return r

    def _named(self, bold: bool, right: bool, fmt: str, *, wrap: bool = True) -> str:
        key = (bold, right, fmt, wrap)
        name = self._styles.get(key)
        if name is None:
            name = "lev-" + hashlib.sha1(repr(key).encode()).hexdigest()[:10]
            style = NamedStyle(
                name=name,
                font=Font(name=FONT_NAME, size=SIZE, bold=bold),
                border=BORDER,
                number_format=fmt,
                alignment=Alignment(vertical="top", horizontal="right")
                if right
                else Alignment(vertical="top", wrap_text=wrap),
            )
            if bold:
                style.fill = GROUP_FILL
            book = self.ws.parent
            assert book is not None  # a sheet of a workbook
            existing = {getattr(s, "name", s) for s in book.named_styles}
            if name not in existing:
                book.add_named_style(style)
            self._styles[key] = name
        return name

    def note(self, text: str) -> None:
        """A line of text under the table (a summary, the signer)."""
        cell = self.ws.cell(row=self.row, column=1)
        set_value(cell, text, thai_digits=self.thai_digits)
        cell.font = self._font
        self.row += 1

    def finish(self) -> None:
        ws = self.ws
        for index, column in enumerate(self.columns, start=1):
            width = column.width or min(max(self.widths[index - 1], 6), 50)
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = f"A{self.header_row + 1}"
        ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        if ws.sheet_properties.pageSetUpPr is None:
            ws.sheet_properties.pageSetUpPr = PageSetupProperties()
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = 3 / 2.54
        ws.page_margins.right = 2 / 2.54
