"""One way to write a report sheet: title lines, a header row, typed cells.

- Thai text in Sarabun, the official font the PDFs use (TH Sarabun New's successor), 11 pt in
  the table (about TH Sarabun New 15), printed at 100 %: the column widths are set for the
  A4 page (numbers and dates whole, text columns wrapped) instead of fitting very wide
  columns to the page, and every row is as tall as its wrapped text (Excel grows rows by
  itself, LibreOffice does not), measured with the font's own widths.
- Numbers and money stay numbers ('#,##0' / '#,##0.00'); dates stay real dates shown with
  Buddhist-era years by Excel's Thai Buddhist calendar code: ``[$-107041E]d mmm yyyy``
  (``[$-D07041E]`` with Thai digits). Checked: LibreOffice shows "15 ก.พ. 2568" and
  "๑๕ ก.พ. ๒๕๖๘" for them; ``[$-th-TH,107]`` is not understood by LibreOffice.
- Text a person typed that begins with = + - @ (or a tab / carriage return) is written as a
  string, never as a formula (CSV/formula injection).
- Header rows are frozen, repeated on every printed page; "หน้า x จาก y" in the footer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from exports.pdf import ThaiParagraph, segment
from exports.pdf.fonts import FONT_NAMES, register_fonts
from lev_desktop.thai_format import document_digits, format_date, format_number

FONT_NAME = "Sarabun"
SIZE = 11
TITLE_SIZE = 14
# a line of Sarabun as Excel and LibreOffice space it (the font's Windows ascent 1.265 em and
# descent 0.535 em: the marks above and below included), times the text size
LINE = 1.8
# the printable width of A4 with the official margins (left 3 cm, right 2 cm), in points
PAGE_WIDTH = {"landscape": (29.7 - 5) / 2.54 * 72, "portrait": (21.0 - 5) / 2.54 * 72}
# the height of rows A4 holds with the margins the sheets set (top and bottom 2 cm, footer at
# 0.8 cm), in points at 100 %: measured in LibreOffice 7.4, 489.6 pt on a landscape page (the
# margins alone would leave 481.9)
PAGE_HEIGHT = {"landscape": 489.5, "portrait": 489.5 + (29.7 - 21.0) / 2.54 * 72}
DEFAULT_ROW = 15.0  # a row of no height set (a signature line), as LibreOffice prints it
CELL_PAD = 5.0  # Excel's cell padding (left + right), points
# Column widths are counted in digits of the workbook's default font (Calibri 11: 7 px in
# Excel, and in LibreOffice with Carlito, Calibri's metric twin: measured, a sheet of 638 pt of
# columns prints 587 pt wide at 92 %). The table is laid out for this share of the page (a
# little room for the rounding of widths to whole pixels).
EXCEL_SHARE = 0.98
# a column width unit as LibreOffice draws it: Carlito's digit at 11 pt, no padding
LO_UNIT = 5.58
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


def text_points(text: str, size: float = SIZE, bold: bool = False) -> float:
    """The printed width of one line of ``text`` in Sarabun."""
    register_fonts()
    return float(stringWidth(text, FONT_NAMES[(bold, False)], size))


_WORDS: dict[tuple[str, float, bool], list[float]] = {}


def _units(text: str, size: float, bold: bool) -> list[float]:
    """Widths of the line-break units of ``text`` (0.0 = a line break)."""
    key = (text, size, bold)
    found = _WORDS.get(key)
    if found is None:
        found = []
        for n, line in enumerate(text.split("\n")):
            if n:
                found.append(0.0)
            found += [text_points(u, size, bold) for u in segment(line)]
        if len(_WORDS) > 50_000:
            _WORDS.clear()
        _WORDS[key] = found
    return found


def line_count(text: str, width: float, size: float = SIZE, bold: bool = False) -> int:
    """Lines ``text`` takes in a column ``width`` points wide (wrapped between words; a word
    wider than the column is cut)."""
    room = max(width - CELL_PAD, 1.0)
    lines, used = 1, 0.0
    for w in _units(text, size, bold):
        if w == 0.0:
            lines, used = lines + 1, 0.0
        elif used + w <= room or (not used and w <= room):
            used += w
        elif w > room:
            whole = int(w // room)
            lines, used = lines + whole + (1 if used else 0), w - whole * room
        else:
            lines, used = lines + 1, w
    return lines


def _thai_word_wider(text: str, room: float, bold: bool) -> bool:
    """Whether a Thai word of ``text`` is wider than ``room`` (a Latin one, a URL or a typed
    formula, is left as typed)."""
    units = _units(text, SIZE, bold)
    if max(units, default=0.0) <= room:
        return False
    for line in text.split("\n"):
        for u in segment(line):
            if (
                any("\u0e01" <= c <= "\u0e4e" for c in u)
                and not any(c.isascii() and c.isalpha() for c in u)
                and text_points(u, SIZE, bold) > room
            ):
                return True
    return False


def broken(text: str, width: float, bold: bool = False, size: float = SIZE) -> str:
    """``text`` with explicit line breaks where the PDF engine breaks it in a column ``width``
    points wide (a little narrower: Excel measures a line slightly wider)."""
    register_fonts()
    font = FONT_NAMES[(bold, False)]
    style = ParagraphStyle("cell", fontName=font, fontSize=size, leading=size * 1.4)
    out = []
    for line in text.split("\n"):
        if not line:
            out.append("")
            continue
        para = ThaiParagraph([(line, font)], style)
        para.wrap(max(width - CELL_PAD - 2, 10.0), 1e9)
        out += [x.strip() for x in para.line_texts()]
    return "\n".join(out)


# The tallest row Excel has (its specifications: "Row height: 409 points"); a project's row of
# texts typed at length asked for 954 pt: Excel cannot show it, and the text is whole in the cell
MAX_ROW_HEIGHT = 409.0


def row_height(lines: int, size: float = SIZE, space: float = 0.0) -> float:
    """The height of a row of ``lines`` lines of ``size`` points (and ``space`` more), in
    points, at most Excel's ``MAX_ROW_HEIGHT``."""
    return min(round(lines * size * LINE + 4 + space, 1), MAX_ROW_HEIGHT)


def points_of(units: float) -> float:
    """The width in points of a column ``units`` wide (the inverse of ``excel_width``)."""
    return (units * 7 + 5) * 0.75


def excel_width(points: float) -> float:
    """Excel's column width (characters of the default font, Calibri 11: 7 px a digit, 5 px
    of padding) for a column ``points`` wide."""
    return round(max(points / 0.75 - 5, 7) / 7, 2)


def number_format_of(value: Any, kind: str, thai_digits: bool) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return DATE_FORMAT_THAI if thai_digits else DATE_FORMAT
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        fmt = {"money": MONEY_FORMAT, "int": INT_FORMAT}.get(
            kind, INT_FORMAT if isinstance(value, int) else DEC_FORMAT
        )
        return THAI_DIGITS_PREFIX + fmt if thai_digits else fmt
    return "General"


# A spreadsheet's number holds 15 significant digits (Excel's specifications: "Number
# precision: 15 digits"; LibreOffice the same): F1's total of 39 budgets of 999,999,999,999.99
# baht, 38,999,999,999,999.61, showed as ...999.60
PRECISION = 15


def exact_text(value: Decimal | int, kind: str, thai_digits: bool) -> str | None:
    """A number a spreadsheet cannot hold exactly, as the text it prints (grouped, baht with
    two decimals, a decimal with at least two); None for one it can."""
    number = Decimal(value).normalize()
    if len(number.as_tuple().digits) <= PRECISION:
        return None
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # (a finite number)
    places = 0 if kind == "int" or isinstance(value, int) else max(2, -exponent)
    if kind == "money":
        places = 2
    return format_number(number, places, digits="thai" if thai_digits else "arabic")


def set_value(
    cell: Any, value: Any, kind: str = "text", *, thai_digits: bool = False, styled: bool = False
) -> None:
    """Writes a typed value; ``styled`` when a named style already carries the number format.
    A number of more than ``PRECISION`` significant digits is written as its text."""
    if value is None or value == "":
        cell.value = None
        return
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        exact = exact_text(value, kind, thai_digits)
        if exact is not None:
            cell.value = exact
            cell.alignment = Alignment(vertical="top", horizontal="right")
            return
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
    """Writes a titled table into a worksheet, row by row; ``finish`` lays it out for A4."""

    def __init__(
        self,
        ws: Worksheet,
        columns: Sequence[Column],
        *,
        title_lines: Iterable[str] = (),
        thai_digits: bool = False,
        orientation: Literal["landscape", "portrait"] = "landscape",
    ):
        self.ws = ws
        self.columns = list(columns)
        self.thai_digits = thai_digits
        self.orientation = orientation
        count = len(self.columns)
        self.need = [0.0] * count  # points: the widest unbreakable text of each column
        self.words = [0.0] * count  # … with short names allowed to wrap (a very wide sheet)
        self.heading_words = [0.0] * count  # the headings' longest words
        self.numbers = [0.0] * count  # the widest number or date (never cut)
        self.body = [0.0] * count  # the rows' unbreakable texts, short names whole
        self.want = [0.0] * count  # points: the widest line
        self.row = 1
        last = get_column_letter(count)
        self._titles: list[tuple[int, str]] = []
        for line in title_lines:
            if not line:
                continue
            ws.merge_cells(f"A{self.row}:{last}{self.row}")
            cell = ws.cell(row=self.row, column=1)
            set_value(cell, line, thai_digits=thai_digits)
            cell.font = Font(name=FONT_NAME, size=TITLE_SIZE, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            self._titles.append((self.row, str(cell.value)))
            self.row += 1
        self.header_row = self.row
        for index, column in enumerate(self.columns, start=1):
            cell = ws.cell(row=self.row, column=index)
            set_value(cell, column.title, thai_digits=thai_digits)
            cell.font = Font(name=FONT_NAME, size=SIZE, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.fill = HEADER_FILL
            cell.border = BORDER
            title = str(cell.value or "")
            lines = title.split("\n")
            smallest = max((w for w in _units(title, SIZE, True)), default=0.0)
            if len(lines) > 1 or (len(title) <= 12 and " " not in title):
                # a heading broken by hand keeps its lines; a short one (ถึงวันที่) is whole
                word = max(text_points(x, SIZE, True) for x in lines)
            else:
                word = smallest
            if column.kind == "date":  # room for the widest date even when none is given yet
                widest = format_date(
                    dt.date(2025, 11, 30), "short", digits="thai" if thai_digits else "arabic"
                )
                self.numbers[index - 1] = text_points(widest, SIZE) + 1 + CELL_PAD
                word = max(word, text_points(widest, SIZE) + 1)
            self.need[index - 1] = word + CELL_PAD
            self.words[index - 1] = smallest + CELL_PAD
            self.heading_words[index - 1] = smallest + CELL_PAD
        self.row += 1
        self._styles: dict[tuple[Any, ...], str] = {}
        self._font = Font(name=FONT_NAME, size=SIZE)
        self._bold = Font(name=FONT_NAME, size=SIZE, bold=True)
        # rows whose height depends on their wrapped texts: (row, [(column, text, bold)])
        self._texts: list[tuple[int, list[tuple[int, str, bool]]]] = []
        self._groups: list[int] = []
        self._totals: list[int] = []
        self._notes: list[tuple[int, str]] = []  # (row, how): lines under the table
        self._spans: list[tuple[int, list[tuple[int, int, str]]]] = []  # rows of merged texts
        self._pairs: dict[int, str] = {}  # row: the right block's text of a "pair" note

    def _measure(self, index: int, value: Any, column: Column, bold: bool) -> str | None:
        """Widens the column's need/want for ``value``; returns the text that may wrap."""
        if value is None or value == "":
            return None
        if isinstance(value, (dt.date, dt.datetime)):
            shown = format_date(
                value if isinstance(value, dt.date) else value.date(),
                "short",
                digits="thai" if self.thai_digits else "arabic",
                thai=True,
            )
            width = text_points(shown, SIZE, bold) + CELL_PAD + 1
            self.need[index] = max(self.need[index], width)
            self.want[index] = max(self.want[index], width)
            self.numbers[index] = max(self.numbers[index], width)
            return None
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            shown = f"{value:,.2f}" if column.kind in ("money", "decimal") else f"{value:,}"
            shown = document_digits(shown, "thai" if self.thai_digits else "arabic")
            width = text_points(shown, SIZE, bold) + CELL_PAD + 1
            self.need[index] = max(self.need[index], width)
            self.want[index] = max(self.want[index], width)
            self.numbers[index] = max(self.numbers[index], width)
            return None
        text = document_digits(str(value), "thai" if self.thai_digits else "arabic")
        units = _units(text, SIZE, bold)
        # a very long word (a URL) is cut by Excel where the column ends: it does not widen
        # the column beyond 60 pt
        word = min(max(units, default=0.0), 60.0)
        line = max(text_points(x, SIZE, bold) for x in text.split("\n"))
        self.words[index] = max(self.words[index], word + CELL_PAD)
        if len(text) <= 16 and not any(c.isspace() for c in text):
            word = line  # a short name (อบต.นาราชควาย) is not wrapped where the page allows
        self.need[index] = max(self.need[index], word + CELL_PAD)
        self.body[index] = max(self.body[index], word + CELL_PAD)
        self.want[index] = max(self.want[index], line + CELL_PAD)
        return text

    def add(self, values: Sequence[Any], *, kind: str = "data") -> int:
        """Adds a row; ``kind`` ``group`` writes one shaded heading, ``total`` a bold row."""
        ws, r = self.ws, self.row
        if kind == "group":
            # not merged: thousands of merged ranges make openpyxl quadratic; the text runs
            # over the empty shaded cells to its right
            for index in range(1, len(self.columns) + 1):
                ws.cell(row=r, column=index).style = self._named(True, False, "General", wrap=False)
            set_value(ws.cell(row=r, column=1), values[0], thai_digits=self.thai_digits)
            self._groups.append(r)
            self.row += 1
            return r
        texts = []
        for index, (column, value) in enumerate(zip(self.columns, values, strict=False), start=1):
            cell = ws.cell(row=r, column=index)
            numeric = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
            fmt = number_format_of(value, column.kind, self.thai_digits)
            # one named style per look: assigning Font/Border objects cell by cell makes
            # openpyxl hash them every time (minutes for a national table)
            cell.style = self._named(kind == "total", numeric, fmt)
            set_value(cell, value, column.kind, thai_digits=self.thai_digits, styled=True)
            text = self._measure(index - 1, value, column, kind == "total")
            if text is not None:
                texts.append((index - 1, text, kind == "total"))
        if texts:
            self._texts.append((r, texts))
        if kind == "total":
            self._totals.append(r)
        self.row += 1
        return r

    def add_spans(self, parts: Sequence[tuple[int, int, str, str | None]]) -> int:
        """A row of texts each across columns ``first``…``last`` (0-based), e.g. a product's
        links under it; with a url the text is a hyperlink."""
        ws, r = self.ws, self.row
        plain = self._named(False, False, "General")
        for index in range(1, len(self.columns) + 1):
            ws.cell(row=r, column=index).style = plain
        for first, last, text, url in parts:
            if last > first:
                # merged without openpyxl's per-cell clean-up (seconds for a province's list):
                # the cells inside are empty and bordered already
                coord = f"{get_column_letter(first + 1)}{r}:{get_column_letter(last + 1)}{r}"
                ws.merged_cells.ranges.add(MergedCellRange(ws, coord))
            cell = ws.cell(row=r, column=first + 1)
            set_value(cell, text, thai_digits=self.thai_digits)  # (a link keeps its digits)
            if url:
                cell.hyperlink = url
                cell.style = self._named(False, False, "General", link=True)
        self._spans.append((r, [(first, last, text) for first, last, text, _url in parts]))
        self.row += 1
        return r

    def _named(
        self, bold: bool, right: bool, fmt: str, *, wrap: bool = True, link: bool = False
    ) -> str:
        key = (bold, right, fmt, wrap, link)
        name = self._styles.get(key)
        if name is None:
            look = ("sarabun", *key) if link else ("sarabun", *key[:4])
            name = "lev-" + hashlib.sha1(repr(look).encode()).hexdigest()[:10]
            style = NamedStyle(
                name=name,
                font=Font(name=FONT_NAME, size=SIZE, bold=bold, color="0563C1", underline="single")
                if link
                else Font(name=FONT_NAME, size=SIZE, bold=bold),
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

    def note(self, text: str, *, signer: bool = False) -> None:
        """A line of text under the table (a summary); ``signer``: a line of the signature
        block, centred on the right half of the page as on the PDF."""
        cell = self.ws.cell(row=self.row, column=1)
        set_value(cell, text, thai_digits=self.thai_digits)
        cell.font = self._font
        self._notes.append((self.row, "signer" if signer else "note"))
        self.row += 1

    def note_pair(self, left: str, right: str) -> None:
        """A line of two signature blocks side by side, as the PDF's F1 and F2 print them:
        ``left`` centred on the left half of the page, ``right`` on the right half."""
        set_value(self.ws.cell(row=self.row, column=1), left, thai_digits=self.thai_digits)
        self._pairs[self.row] = right
        self._notes.append((self.row, "pair"))
        self.row += 1

    def _widths(self) -> list[float]:
        """Column widths in points for the printable width of the page: every column its
        numbers, dates and unbreakable texts whole (headings may wrap between words), the rest
        given a slice at a time where it saves the most lines (``_fit``); fixed widths kept."""
        page = PAGE_WIDTH[self.orientation] * EXCEL_SHARE
        fixed = {i: (c.width * 7 + 5) * 0.75 for i, c in enumerate(self.columns) if c.width}
        need = [
            fixed.get(i, max(w, n, b))
            for i, (w, n, b) in enumerate(
                zip(self.heading_words, self.numbers, self.body, strict=True)
            )
        ]
        if sum(need) <= page:
            # at 100 %, or at 91 % (10 pt) when the wider page makes the sheet shorter
            widths, lines = self._fit(need, page, set(fixed))
            if len(self.columns) >= 8:
                smaller, fewer = self._fit(need, page / 0.91, set(fixed))
                if fewer * 0.91 < lines * 0.97:
                    return smaller
            return widths
        if sum(need) * 0.91 > page:  # still too wide even at 91 %: short names wrap too
            need = [
                fixed.get(i, max(w, n))
                for i, (w, n) in enumerate(zip(self.words, self.numbers, strict=True))
            ]
        if sum(need) >= page:
            return need
        return self._fit(need, page, set(fixed))[0]

    def _fit(self, need: list[float], page: float, fixed: set[int]) -> tuple[list[float], float]:
        """Shares ``page - sum(need)`` so that the sheet is as short as its texts allow: the
        rows' lines (a row as tall as its tallest cell) and the heading's on every printed
        page. Each round widens the column that saves the most lines per point, by the least
        that saves any; what no column can use goes to the text columns by their lines."""
        count = len(need)
        widths = list(need)
        left = page - sum(widths)
        sample = self._texts[:: max(1, len(self._texts) // 200)]
        scale = len(self._texts) / max(len(sample), 1)
        heads = [
            str(self.ws.cell(row=self.header_row, column=i + 1).value or "") for i in range(count)
        ]
        free = [i for i in range(count) if i not in fixed]
        cells: dict[int, list[tuple[int, str, bool]]] = {i: [] for i in range(count)}
        for n, (_row, texts) in enumerate(sample):
            for i, text, bold in texts:
                cells[i].append((n, text, bold))
        cache: dict[tuple[int, int], list[int]] = {}

        def lines_of(i: int, width: float) -> list[int]:
            key = (i, round(width))
            found = cache.get(key)
            if found is None:
                found = [1] * len(sample)
                for n, text, bold in cells[i]:
                    found[n] = line_count(text, width, bold=bold)
                cache[key] = found
            return found

        page_lines = 15 * 2.54 * 72 / (SIZE * LINE)  # a landscape page's lines, about
        plain = max(0, self.row - self.header_row - 1 - len(self._texts))  # one-line rows

        head_cache: dict[tuple[int, int], int] = {}

        def head_of(i: int, width: float) -> int:
            key = (i, round(width))
            found = head_cache.get(key)
            if found is None:
                found = head_cache[key] = line_count(heads[i], width, bold=True)
            return found

        def cost(ws: list[float]) -> float:
            per = [lines_of(i, ws[i]) for i in free if cells[i]]
            body = sum(map(max, zip(*per, strict=True))) * scale if per else 0.0
            head = max(head_of(i, ws[i]) for i in range(count) if heads[i])
            return body + plain + head * max(1.0, (body + plain) / page_lines)

        step = max(left / 30, 2.0)
        current = cost(widths)
        while left >= step:
            best: tuple[float, int, float] | None = None  # (saving per point, column, width)
            head_now = max(head_of(i, widths[i]) for i in range(count) if heads[i])
            for i in free:
                # the rows' lines without column i, then column i at each wider width
                others = [lines_of(j, widths[j]) for j in free if j != i and cells[j]]
                rest = list(map(max, zip(*others, strict=True))) if others else [1] * len(sample)
                rest_head = max(
                    (head_of(j, widths[j]) for j in range(count) if heads[j] and j != i),
                    default=1,
                )
                for k in range(1, int(left // step) + 1):
                    wider = widths[i] + k * step
                    mine = lines_of(i, wider) if cells[i] else [1] * len(sample)
                    body = sum(map(max, rest, mine)) * scale
                    head = max(rest_head, head_of(i, wider) if heads[i] else 1)
                    c = body + plain + head * max(1.0, (body + plain) / page_lines)
                    if c < current - 1e-6:
                        rate = (current - c) / (k * step)
                        if best is None or rate > best[0]:
                            best = (rate, i, k * step)
                        break
                    if not cells[i] and head_of(i, wider) < head_now and head_now > rest_head:
                        break
            if best is None:
                if any(max(lines_of(i, widths[i])) > 1 for i in free if cells[i]):
                    break  # the rest goes to the wrapped texts (below): rows, not headings
                together = self._heads_together(widths, left, step, head_of, heads)
                if together is None or cost(together) >= current - 1e-6:
                    break
                left -= sum(together) - sum(widths)
                widths = together
                current = cost(widths)
                continue
            _rate, i, extra = best
            widths[i] += extra
            left -= extra
            current = cost(widths)
        if left > 0:
            wrapped = [i for i in free if self.columns[i].kind in ("text", "wrap")] or free or [0]
            weight = {i: sum(lines_of(i, widths[i])) or 1 for i in wrapped}
            whole = sum(weight.values())
            for i in wrapped:
                widths[i] += left * weight[i] / whole
        return widths, cost(widths)

    @staticmethod
    def _heads_together(
        widths: list[float],
        left: float,
        step: float,
        head_of: Callable[[int, float], int],
        heads: list[str],
    ) -> list[float] | None:
        """The widths with every column of the tallest heading widened, each by the least
        that takes a line off it — no one of them alone makes the heading row shorter
        (F4's six number headings each of 5 lines beside a third of the page for อำเภอ) —
        or None when ``left`` does not pay for all of them."""
        tallest = max((head_of(i, w) for i, w in enumerate(widths) if heads[i]), default=1)
        if tallest <= 1:
            return None
        out = list(widths)
        spent = 0.0
        for i, w in enumerate(widths):
            if not heads[i] or head_of(i, w) < tallest:
                continue
            k = 1
            while spent + k * step <= left and head_of(i, w + k * step) >= tallest:
                k += 1
            if spent + k * step > left:
                return None
            out[i] = w + k * step
            spent += k * step
        return out

    def finish(self) -> None:
        ws = self.ws
        widths = self._widths()
        page = PAGE_WIDTH[self.orientation] * EXCEL_SHARE
        units = [excel_width(w) for w in widths]
        # LibreOffice draws a unit as Carlito's digit (5.58 pt) without Excel's 5 px of
        # padding: a wide column comes out wider there (measured: a 470 pt column 495 pt).
        # The widest columns give up what the sheet would overrun in either program.
        scale = 100 / 91 if sum(widths) > page * 1.01 else 1.0
        room = PAGE_WIDTH[self.orientation] * scale
        floor = [excel_width(n) for n in self.need]
        for _round in range(len(units)):
            over = sum(u * LO_UNIT for u in units) - room
            if over <= 0:
                break
            widest = max(range(len(units)), key=lambda i: units[i] - floor[i])
            units[widest] = round(max(floor[widest], units[widest] - over / LO_UNIT - 0.01), 2)
        for index, unit in enumerate(units, start=1):
            ws.column_dimensions[get_column_letter(index)].width = unit
        # the rows are measured at the widths the sheet states (rounded as written)
        widths = [points_of(u) for u in units]
        total = sum(widths)
        for row, text in self._titles:
            lines = line_count(text, total, TITLE_SIZE, True)
            ws.row_dimensions[row].height = row_height(lines, TITLE_SIZE)
        head = max(
            line_count(str(ws.cell(row=self.header_row, column=i + 1).value or ""), w, bold=True)
            for i, w in enumerate(widths)
        )
        ws.row_dimensions[self.header_row].height = row_height(head)
        for row, texts in self._texts:
            for n, (i, text, bold) in enumerate(texts):
                # a word wider than its column: broken where this engine breaks it (a name at
                # a syllable), by explicit line breaks — Excel and LibreOffice would cut it at
                # any letter ("อบต.อาจสาม|ารถ")
                if _thai_word_wider(text, widths[i] - CELL_PAD, bold):
                    text = broken(text, widths[i], bold)
                    cell = ws.cell(row=row, column=i + 1)
                    set_value(cell, text, thai_digits=self.thai_digits, styled=True)
                    texts[n] = (i, text, bold)
            lines = max(line_count(text, widths[i], bold=bold) for i, text, bold in texts)
            ws.row_dimensions[row].height = row_height(lines)
        for row in self._groups:
            ws.row_dimensions[row].height = row_height(1)
        for row, spans in self._spans:
            lines = max(line_count(t, sum(widths[a : b + 1])) for a, b, t in spans)
            ws.row_dimensions[row].height = row_height(lines)
        # the signature block on the right half of the page, as on the PDF
        half, start = 0.0, len(widths)
        for index, width in enumerate(widths):
            if half >= total / 2:
                start = index
                break
            half += width
        start = min(start, len(widths) - 1)
        last = get_column_letter(len(widths))
        left_half, right_half = sum(widths[:start]), sum(widths[start:])
        for row, how in self._notes:
            if how == "pair":
                cell = ws.cell(row=row, column=1)
                lines = self._signer_cell(cell, left_half)
                if start > 1:
                    ws.merge_cells(f"A{row}:{get_column_letter(start)}{row}")
                right = ws.cell(row=row, column=start + 1)
                set_value(right, self._pairs[row], thai_digits=self.thai_digits)
                lines = max(lines, self._signer_cell(right, right_half))
                if start + 1 < len(widths):
                    ws.merge_cells(f"{get_column_letter(start + 1)}{row}:{last}{row}")
                if lines > 1:
                    ws.row_dimensions[row].height = row_height(lines)
            elif how == "signer":
                value = ws.cell(row=row, column=1).value
                ws.cell(row=row, column=1).value = None
                ws.merge_cells(f"{get_column_letter(start + 1)}{row}:{last}{row}")
                cell = ws.cell(row=row, column=start + 1)
                cell.value = value
                lines = self._signer_cell(cell, right_half)
                if lines > 1:
                    ws.row_dimensions[row].height = row_height(lines)
            else:
                ws.merge_cells(f"A{row}:{last}{row}")
                cell = ws.cell(row=row, column=1)
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                lines = line_count(str(cell.value or ""), total)
                ws.row_dimensions[row].height = row_height(lines)
        ws.freeze_panes = f"A{self.header_row + 1}"
        ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        ws.page_setup.orientation = self.orientation
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        if ws.sheet_properties.pageSetUpPr is None:
            ws.sheet_properties.pageSetUpPr = PageSetupProperties()
        if total > page * 1.01:
            # the unbreakable texts alone are wider than the page: printed a little smaller,
            # never below 10 pt (11 pt × 91 %); beyond that the table goes on a second page
            ws.page_setup.scale = max(91, int(page / total * 100))
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = 3 / 2.54
        ws.page_margins.right = 2 / 2.54
        ws.page_margins.top = 2 / 2.54
        ws.page_margins.bottom = 2 / 2.54
        ws.page_margins.footer = 0.8 / 2.54
        assert ws.oddFooter is not None  # openpyxl makes it with the sheet
        footer = ws.oddFooter.center
        footer.text = "หน้า &P จาก &N"
        footer.font = f"{FONT_NAME},Regular"
        footer.size = SIZE
        self._keep_tail_with_rows()

    def _signer_cell(self, cell: Any, width: float) -> int:
        """A line of a signature block in its half of the page ``width`` points wide, centred;
        one wider than that (an officer's name typed at its 120 characters) is broken where the
        PDF breaks it — Excel and LibreOffice printed it on one line across the other block and
        off the page. Returns its lines."""
        cell.font = self._font
        text = str(cell.value or "")
        if text_points(text) <= width - CELL_PAD:
            cell.alignment = Alignment(horizontal="center", vertical="center")
            return 1
        text = broken(text, width)
        cell.value = text
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        return line_count(text, width)

    def _keep_tail_with_rows(self) -> None:
        """The lines under the table (its summary, the signature block) never begin a page
        alone under the repeated heading: when they do not fit under the last rows, the last
        two rows (and a closing total) go over with them — a manual page break, which Excel
        and LibreOffice keep — as the PDF's table does. The pages are counted from the
        heights the sheet states (a row without one as LibreOffice prints it), at its scale."""
        ws = self.ws
        if not self._notes:
            return
        tail = min(row for row, _how in self._notes)
        last = max(row for row, _how in self._notes)
        table = [
            r
            for r in range(self.header_row + 1, tail)
            if any(c.value not in (None, "") for c in ws[r])
        ]
        if len(table) < 3:
            return

        def height(r: int) -> float:
            return ws.row_dimensions[r].height or DEFAULT_ROW

        room = PAGE_HEIGHT[self.orientation] * 100 / (ws.page_setup.scale or 100)
        heading = height(self.header_row)
        page, used, page_of, first_of = 0, 0.0, {}, {0: 1}
        for r in range(1, last + 1):
            h = height(r)
            if used + h > room and used > heading:
                page, used = page + 1, (heading if r > self.header_row else 0.0)
                first_of[page] = r
            page_of[r] = page
            used += h
        if page_of[last] == page_of[table[-1]]:
            return  # the tail is on the page of the last rows
        # two rows of data (and the total under them) go over
        moved = table[-3] if table[-1] in self._totals else table[-2]
        if first_of[page_of[moved]] >= moved:
            return  # they begin their page already: a tail taller than a page
        ws.row_breaks.append(Break(id=moved - 1))
