"""Page layout shared by every report: A4 with the official margins (left 3 cm, right 2 cm),
page numbers, the Garuda/letterhead block, titles, signature blocks, and a table that
paginates itself with the header rows repeated on every page.

ReportLab's own Table re-measures every remaining row each time it splits at a page end,
which is quadratic for a national F3 table (7,850 rows); ``PagedTable`` measures each row
once and cuts page-sized Tables from the cached heights.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from exports.pdf import segment
from exports.reports import wording as W
from exports.reports.options import ReportOptions
from exports.reports.text import FONT, current_digits, para, register_fonts, style, text_width
from lev_desktop.progress import Progress
from lev_desktop.thai_format import document_digits

LEFT, RIGHT, TOP, BOTTOM = 3 * cm, 2 * cm, 2 * cm, 2 * cm
BODY_SIZE = 16
TABLE_SIZE = 14
PAD = 3
GRID = colors.black
HEADER_BG = colors.Color(0.90, 0.90, 0.90)
GROUP_BG = colors.Color(0.95, 0.95, 0.95)


# ---- document ----------------------------------------------------------------------------


def _numbered_canvas(options: ReportOptions, number_style: str) -> type[rl_canvas.Canvas]:
    """A canvas that knows the page count when it writes page numbers (second pass)."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any):
            # Sarabun from the first operator on: no unembedded Helvetica in the file
            kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
            kwargs["initialFontSize"] = kwargs.get("initialFontSize") or BODY_SIZE
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            # ReportLab's own "page x of y" recipe: its private page state (not in the stubs)
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._draw_number(total)
                super().showPage()
            super().save()

        def _draw_number(self, total: int) -> None:
            page = self._pageNumber  # type: ignore[attr-defined]
            width, height = self._pagesize  # type: ignore[attr-defined]
            self.setFont(FONT, BODY_SIZE if number_style == "thai" else TABLE_SIZE)
            if number_style == "thai":
                if page > 1:  # the official style: no number on page one
                    text = options.num(f"- {page} -")
                    self.drawCentredString(
                        LEFT + (width - LEFT - RIGHT) / 2, height - 1.3 * cm, text
                    )
            else:
                text = options.num(W.PAGE_OF.format(page=page, total=total))
                self.drawRightString(width - RIGHT, height - 1.3 * cm, text)

    return NumberedCanvas


def build_pdf(
    story: list[Flowable],
    *,
    landscape_page: bool,
    options: ReportOptions,
    title: str,
    number_style: str = "of",
) -> bytes:
    """Lays the story out on A4 and returns the PDF bytes."""
    register_fonts()
    pagesize = landscape(A4) if landscape_page else A4
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=title,
        author="LEV Desktop",
        creator="LEV Desktop",
    )
    frame = Frame(
        LEFT,
        BOTTOM,
        pagesize[0] - LEFT - RIGHT,
        pagesize[1] - TOP - BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=_numbered_canvas(options, number_style))
    return buffer.getvalue()


def frame_width(landscape_page: bool) -> float:
    width = (landscape(A4) if landscape_page else A4)[0]
    return width - LEFT - RIGHT


# ---- blocks ------------------------------------------------------------------------------


def garuda_block(options: ReportOptions, *, reserve: bool) -> list[Flowable]:
    """The Garuda emblem (3 cm high, centred) when the person picked an image; otherwise an
    empty space of the same size when ``reserve`` (a notice is signed and stamped on paper)."""
    path = options.garuda_path()
    if path is not None:
        image = Image(str(path))
        ratio = image.imageWidth / float(image.imageHeight or 1)
        image.drawHeight = 3 * cm
        image.drawWidth = 3 * cm * ratio
        image.hAlign = "CENTER"
        return [image, Spacer(1, 0.2 * cm)]
    return [Spacer(1, 3 * cm)] if reserve else []


def letterhead_block(options: ReportOptions) -> list[Flowable]:
    if not options.letterhead.strip():
        return []
    return [para(options.letterhead.strip(), style(TABLE_SIZE, align="right")), Spacer(1, 4)]


def title_block(lines: Sequence[str], size: float = 18) -> list[Flowable]:
    out: list[Flowable] = [
        para(line, style(size, bold=True, align="center")) for line in lines if line
    ]
    out.append(Spacer(1, 0.3 * cm))
    return out


def signature_block(
    name: str,
    position: str,
    *,
    caption: str = "",
    width: float = 9 * cm,
    align: Literal["LEFT", "CENTER", "RIGHT"] = "RIGHT",
    options: ReportOptions | None = None,
    letter: bool = False,
    date_line: bool = True,
) -> Flowable:
    """The signer as the letters show it, centred in a block.

    A form: "ลงชื่อ …………… ผู้รายงาน" / (name) / position / "วันที่ … เดือน … พ.ศ. …".
    A letter or notice (``letter``): an empty space to sign in, then (name) / position —
    "(ลงชื่อ)" belongs on copies only, never on the original."""
    centre = style(BODY_SIZE, align="center")
    lines: list[Flowable] = []
    if letter:
        lines.append(Spacer(1, 1.4 * cm))
    else:
        lines.append(para(f"{W.SIGN_FORM} {'.' * 30} {caption}".rstrip(), centre))
    lines.append(
        para(f"({name.strip()})" if name.strip() else f"({'.' * 50})", centre),
    )
    lines.append(para(position.strip() or f"{W.POSITION} {'.' * 40}", centre))
    if letter and caption:
        lines.append(para(caption, centre))
    if date_line and not letter:
        lines.append(para(W.DATE_LINE, centre))
    table = Table([[line] for line in lines], colWidths=[width], hAlign=align)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def signatures_side_by_side(blocks: Sequence[Flowable], total_width: float) -> Flowable:
    width = total_width / max(len(blocks), 1)
    table = Table([list(blocks)], colWidths=[width] * len(blocks))
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ]
        )
    )
    return table


# ---- tables ------------------------------------------------------------------------------


@dataclass
class Row:
    """A table row; ``kind`` is ``data``, ``group`` (one cell across the table, shaded) or
    ``total`` (bold, shaded)."""

    cells: list[Any]
    kind: str = "data"


@dataclass
class TableSpec:
    header: list[list[Any]]  # header rows (texts or flowables)
    widths: list[float]
    aligns: list[str] = field(default_factory=list)  # per column: left/center/right
    size: float = TABLE_SIZE
    header_spans: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


def cell(
    text: Any, *, size: float = TABLE_SIZE, bold: bool = False, align: str = "left"
) -> Flowable:
    if isinstance(text, Flowable):
        return text
    return para(
        "" if text is None else str(text), style(size, bold=bold, align=align, leading=size * 1.4)
    )


class PagedTable(Flowable):
    """A long table that repeats its header rows on every page and measures rows once."""

    def __init__(
        self,
        spec: TableSpec,
        rows: list[Row],
        *,
        progress: Progress | None = None,
        tail: list[Flowable] | None = None,
        _header: list[list[Flowable]] | None = None,
        _heights: list[float] | None = None,
        _header_height: float | None = None,
    ):
        super().__init__()
        self.spec = spec
        self.rows = rows
        self.progress = progress
        # what must stay on the page of the last rows (a summary line, the signature block):
        # drawn under the table; the table's end moves to the next page with it if needed
        self.tail = list(tail or [])
        self._tail_height: float | None = None
        self._avail_width = sum(spec.widths)
        self._header = _header
        self._heights = _heights
        self._header_height = _header_height

    # cells of a row as flowables
    def _cells(self, row: Row) -> list[Flowable]:
        if row.kind == "group":
            first = cell(row.cells[0], size=self.spec.size, bold=True)
            return [first] + [""] * (len(self.spec.widths) - 1)  # type: ignore[list-item]
        bold = row.kind == "total"
        out = []
        for index, value in enumerate(row.cells):
            align = self.spec.aligns[index] if index < len(self.spec.aligns) else "left"
            out.append(cell(value, size=self.spec.size, bold=bold, align=align))
        return out

    def _measure(self, cells: list[Any], spans_all: bool = False) -> float:
        height = 0.0
        widths = [sum(self.spec.widths)] if spans_all else self.spec.widths
        for value, width in zip(cells, widths, strict=False):
            if isinstance(value, Flowable):
                height = max(height, value.wrap(width - 2 * PAD, 10_000)[1])
        return height + 2 * PAD + 1

    def _prepare(self) -> None:
        if self._header is None:
            self._header = [
                [
                    cell(v, size=self.spec.size, bold=True, align="center")
                    if not isinstance(v, Flowable)
                    else v
                    for v in row
                ]
                for row in self.spec.header
            ]
            self._header_height = sum(self._measure(r) for r in self._header)
        if self._heights is None:
            heights = []
            total = len(self.rows)
            for index, row in enumerate(self.rows):
                cells = self._cells(row)
                row.cells = cells
                row.kind = row.kind + ":ready"
                heights.append(self._measure(cells, spans_all=row.kind.startswith("group")))
                if self.progress is not None and index % 200 == 0:
                    self.progress(index, total)
            self._heights = heights

    def _tail_size(self, aW: float) -> float:  # noqa: N803
        if self._tail_height is None or self._avail_width != aW:
            self._avail_width = aW
            self._tail_height = sum(
                f.wrap(aW, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in self.tail
            )
        return self._tail_height

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803
        self._prepare()
        assert self._heights is not None and self._header_height is not None  # _prepare()
        self.width = max(sum(self.spec.widths), aW if self.tail else 0)
        table = self._header_height + sum(self._heights)
        return self.width, table + self._tail_size(aW)

    def _table(self, rows: list[Row], heights: list[float]) -> Table:
        header = self._header or []
        data = [list(r) for r in header] + [list(r.cells) for r in rows]
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("VALIGN", (0, 0), (-1, len(header) - 1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, len(header) - 1), HEADER_BG),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            ("TOPPADDING", (0, 0), (-1, -1), PAD),
            ("BOTTOMPADDING", (0, 0), (-1, -1), PAD),
        ]
        commands += [("SPAN", a, b) for a, b in self.spec.header_spans]
        for index, row in enumerate(rows, start=len(header)):
            if row.kind.startswith("group"):
                commands += [
                    ("SPAN", (0, index), (-1, index)),
                    ("BACKGROUND", (0, index), (-1, index), GROUP_BG),
                ]
            elif row.kind.startswith("total"):
                commands.append(("BACKGROUND", (0, index), (-1, index), GROUP_BG))
        header_heights = [self._measure(r) for r in header]
        table = Table(
            data, colWidths=self.spec.widths, rowHeights=header_heights + heights, repeatRows=0
        )
        table.setStyle(TableStyle(commands))
        return table

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803
        self._prepare()
        assert self._heights is not None and self._header_height is not None
        available = aH - self._header_height
        used, count = 0.0, 0
        while count < len(self.rows) and used + self._heights[count] <= available:
            used += self._heights[count]
            count += 1
        # a group heading never stays alone at the bottom of a page
        while 1 < count < len(self.rows) and self.rows[count - 1].kind.startswith("group"):
            count -= 1
        if count < len(self.rows) and self._split_row(
            count, available - sum(self._heights[:count]), aH
        ):
            count += 1
        tail = self._tail_size(aW)
        if count == len(self.rows) and used + tail > available and self.tail:
            # the signature never stands alone: the last rows go over with it
            moved = min(2, count - 1)
            if moved <= 0:  # one row and the tail are taller than a page: let them part
                return [self._table(self.rows, self._heights), *self.tail]
            count -= moved
            while count > 1 and self.rows[count - 1].kind.startswith("group"):
                count -= 1
        if count == 0:
            return []
        first = self._table(self.rows[:count], self._heights[:count])
        if count == len(self.rows):  # (never [self]: the frame would try it forever)
            return [first, *self.tail]
        rest = PagedTable(
            self.spec,
            self.rows[count:],
            progress=self.progress,
            tail=self.tail,
            _header=self._header,
            _heights=self._heights[count:],
            _header_height=self._header_height,
        )
        if self.progress is not None:
            self.progress(len(self._heights) - len(rest.rows), len(self._heights))
        return [first, rest]

    def _split_row(self, index: int, room: float, page: float) -> bool:
        """Splits a tall row across the page end (its paragraphs continue on the next page)
        when more than an eighth of the page would otherwise stay empty."""
        assert self._heights is not None
        row = self.rows[index]
        if row.kind.startswith("group") or room < max(page * 0.12, 70):
            return False
        top_cells: list[Any] = []
        rest_cells: list[Any] = []
        inner_room = room - 2 * PAD - 2
        for value, width in zip(row.cells, self.spec.widths, strict=False):
            if not isinstance(value, Flowable):
                top_cells.append(value)
                rest_cells.append("")
                continue
            value.wrap(width - 2 * PAD, inner_room)
            pieces = value.split(width - 2 * PAD, inner_room)
            if not pieces:
                top_cells.append("")
                rest_cells.append(value)
            elif len(pieces) == 1:
                top_cells.append(pieces[0])
                rest_cells.append("")
            else:
                top_cells.append(pieces[0])
                rest_cells.append(pieces[1])
        # progress on this page: some text besides the row's number, and something left over
        if all(c == "" for c in rest_cells) or all(c == "" for c in top_cells[1:]):
            return False
        # the continued part says so: "(ต่อ)" under the row's number on the next page
        number = row.cells[0]
        if isinstance(number, Flowable) and hasattr(number, "getPlainText"):
            label = number.getPlainText().replace(W.CONTINUED, "").strip()
            rest_cells[0] = cell(
                (label + " " if label else "") + W.CONTINUED,
                size=self.spec.size,
                bold=row.kind.startswith("total"),
                align=self.spec.aligns[0] if self.spec.aligns else "left",
            )
        top, rest = Row(top_cells, row.kind), Row(rest_cells, row.kind)
        top_height, rest_height = self._measure(top.cells), self._measure(rest.cells)
        if top_height > room:
            return False
        self.rows[index : index + 1] = [top, rest]
        self._heights[index : index + 1] = [top_height, rest_height]
        return True

    def draw(self) -> None:
        assert self._heights is not None
        table = self._table(self.rows, self._heights)
        table.wrapOn(self.canv, sum(self.spec.widths), 10_000)
        tail = self._tail_size(self._avail_width)
        table.drawOn(self.canv, 0, tail)
        y = tail
        for flowable in self.tail:
            w, h = flowable.wrap(self._avail_width, 10_000)
            y -= flowable.getSpaceBefore() + h
            align = getattr(flowable, "hAlign", "LEFT")
            x = {"RIGHT": self._avail_width - w, "CENTER": (self._avail_width - w) / 2}.get(
                str(align).upper(), 0
            )
            flowable.drawOn(self.canv, x, y)
            y -= flowable.getSpaceAfter()


def _widths_of(
    value: Any, size: float, bold: bool, cache: dict[tuple[str, float, bool], tuple[float, float]]
) -> tuple[float, float]:
    """(longest word, longest line) of a cell's text, in points."""
    if not isinstance(value, str) or not value:
        return 0.0, 0.0

    value = document_digits(value, current_digits())  # measured as it will be printed
    key = (value, size, bold)
    found = cache.get(key)
    if found is None:
        lines = value.split("\n")
        word = max(
            (
                text_width(w.strip(), size, bold)
                for line in lines
                for w in segment(line)
                if w.strip()
            ),
            default=0.0,
        )
        line = max((text_width(line, size, bold) for line in lines), default=0.0)
        found = cache[key] = (word, line)
    return found


def fit_columns(spec: TableSpec, rows: list[Row]) -> None:
    """Column widths the way a browser lays out an automatic table: every column at least as
    wide as its longest word (a Thai word is never cut unless the page is too narrow for all
    of them), and the rest of the width shared in proportion to how much more each column
    would need to show its texts on one line."""
    cache: dict[tuple[str, float, bool], tuple[float, float]] = {}
    count = len(spec.widths)
    need = [0.0] * count
    want = [0.0] * count
    for header in spec.header:
        for index, value in enumerate(header[:count]):
            # headings are broken by hand ("\n"): each of their lines must fit whole
            _word, line = _widths_of(value, spec.size, True, cache)
            need[index] = max(need[index], line)
    for row in rows:
        if row.kind not in ("data", "total"):
            continue
        for index, value in enumerate(row.cells[:count]):
            word, line = _widths_of(value, spec.size, row.kind == "total", cache)
            if isinstance(value, str) and len(value) <= 16 and not any(c.isspace() for c in value):
                word = line  # a short name (เมืองนครพนม, อบต.หนองแสง) is never wrapped
            need[index] = max(need[index], word)
            want[index] = max(want[index], line)
    extra = 2 * PAD + 2
    total = sum(spec.widths)
    need = [n + extra if n else 0.0 for n in need]
    want = [min(max(w + extra, n), total * 0.45) for w, n in zip(want, need, strict=True)]
    if sum(need) >= total:
        # not every word fits: keep the narrow columns whole and cap only the widest ones
        # (a very long name is then cut, not every date of the table)
        low, high = 0.0, max(need)
        for _step in range(40):
            cap = (low + high) / 2
            if sum(min(n, cap) for n in need) > total:
                high = cap
            else:
                low = cap
        widths = [min(n, low) for n in need]
        capped = [i for i, n in enumerate(need) if n > low] or list(range(count))
        rest = (total - sum(widths)) / len(capped)
        spec.widths = [w + rest if i in capped else w for i, w in enumerate(widths)]
        return
    if sum(want) <= total:  # everything fits on one line: share the rest by the given weights
        rest = total - sum(want)
        weight = sum(spec.widths)
        spec.widths = [w + rest * g / weight for w, g in zip(want, spec.widths, strict=True)]
        return
    rest = total - sum(need)
    gap = [w - n for w, n in zip(want, need, strict=True)]
    spread = sum(gap) or 1.0
    spec.widths = [n + rest * g / spread for n, g in zip(need, gap, strict=True)]


def paged_table(
    spec: TableSpec,
    rows: list[Row],
    progress: Progress | None = None,
    *,
    tail: list[Flowable] | None = None,
) -> PagedTable:
    """``tail``: flowables kept on the page of the last rows (summary, signature block)."""
    fit_columns(spec, rows)
    return PagedTable(spec, rows, progress=progress, tail=tail)


def scale_widths(fractions: Sequence[float], total: float) -> list[float]:
    whole = sum(fractions)
    return [total * f / whole for f in fractions]


Writer = Callable[[Path], None]
