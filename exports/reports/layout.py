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
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from exports.pdf import ThaiParagraph, extent
from exports.pdf.words import segment_units, url_pieces
from exports.reports import wording as W
from exports.reports.options import ReportOptions
from exports.reports.text import (
    FONT,
    FONT_BOLD,
    current_digits,
    para,
    register_fonts,
    style,
    text_width,
)
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


def frame_height(landscape_page: bool) -> float:
    height = (landscape(A4) if landscape_page else A4)[1]
    return height - TOP - BOTTOM


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
    widest: float = 11 * cm,
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
    # as wide as its longest line, up to ``widest``: a position of a few points more than 9 cm
    # went on two lines, "นายก" / "องค์การบริหารส่วนตำบลหนองแสง", as did "ลงชื่อ …… " /
    # "ผู้เห็นชอบแผน"
    texts = [x.getPlainText() for x in lines if isinstance(x, ThaiParagraph)]
    longest = max(
        (extent(document_digits(t, current_digits()), FONT, BODY_SIZE)[1] for t in texts),
        default=0.0,
    )
    width = max(width, min(longest + 2, widest))
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
    span: int = 1  # a data or total row whose first cell spans this many columns (a label)
    span_from: int = 0  # … or the cell at this column spans them (a product's links)
    # a row that belongs to the one above it (never the first row of a page)
    joined: bool = False
    # columns of this row whose text is words in a column of numbers: written from the left
    left: frozenset[int] = frozenset()


@dataclass
class TableSpec:
    header: list[list[Any]]  # header rows (texts or flowables)
    widths: list[float]
    aligns: list[str] = field(default_factory=list)  # per column: left/center/right
    size: float = TABLE_SIZE
    header_spans: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    # the headings may be smaller than the body (a wide form's long headings at 12 pt)
    header_size: float | None = None
    pad: float = PAD  # cell padding, top/bottom and left/right
    leading: float = 1.4  # line height of the cells, times the text size
    # columns whose texts are never wrapped when the page allows (dates, names, amounts)
    nowrap: frozenset[int] = frozenset()
    # no-wrap columns of which only ``whole_share`` of the data cells must fit whole: the few
    # longest (the nation's "อบต.นิคมสร้างตนเองลำโดมน้อย") wrap between words rather than make
    # the column, and the text size of the whole table, fit them
    mostly: frozenset[int] = frozenset()
    whole_share: float = 0.99


@dataclass(frozen=True)
class Link:
    """A cell text that is also a clickable link (a URL in a report)."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text


class LinkedCell(Flowable):
    """A paragraph that is a link: clicking anywhere on its text opens ``url``."""

    def __init__(self, inner: Flowable, url: str):
        super().__init__()
        self.inner = inner
        self.url = url

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = self.inner.wrap(aW, aH)
        return self.width, self.height

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803
        return [LinkedCell(piece, self.url) for piece in self.inner.split(aW, aH)]

    def getPlainText(self) -> str:  # noqa: N802 - ReportLab's name
        return str(getattr(self.inner, "getPlainText", lambda: "")())

    def draw(self) -> None:
        self.inner.drawOn(self.canv, 0, 0)
        self.canv.linkURL(self.url, (0, 0, self.width, self.height), relative=1, thickness=0)


class Stack(Flowable):
    """Paragraphs in one cell: side by side when they fit on one line (a product's two
    links), otherwise one under the other."""

    GAP = 12.0

    def __init__(self, parts: list[Flowable], natural: list[float]):
        super().__init__()
        self.parts = parts
        self.natural = natural  # each part's width on one line
        self._sizes: list[tuple[float, float]] = []
        self._across = False

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803
        self._across = sum(self.natural) + self.GAP * (len(self.parts) - 1) <= aW
        if self._across:
            self._sizes = [p.wrap(w, aH) for p, w in zip(self.parts, self.natural, strict=True)]
            self.width = aW
            self.height = max((h for _w, h in self._sizes), default=0.0)
        else:
            self._sizes = [p.wrap(aW, aH) for p in self.parts]
            self.width = max((w for w, _h in self._sizes), default=0.0)
            self.height = sum(h for _w, h in self._sizes)
        return self.width, self.height

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803
        return []  # short: moves whole

    def getPlainText(self) -> str:  # noqa: N802 - ReportLab's name
        return "\n".join(str(getattr(p, "getPlainText", lambda: "")()) for p in self.parts)

    def draw(self) -> None:
        x, y = 0.0, self.height
        for part, natural, (_w, h) in zip(self.parts, self.natural, self._sizes, strict=True):
            if self._across:
                part.drawOn(self.canv, x, self.height - h)
                x += natural + self.GAP
            else:
                y -= h
                part.drawOn(self.canv, 0, y)


def cell(
    text: Any,
    *,
    size: float = TABLE_SIZE,
    bold: bool = False,
    align: str = "left",
    leading: float = 1.4,
) -> Flowable:
    if isinstance(text, Flowable):
        return text
    if isinstance(text, Link):
        inner = cell(text.text, size=size, bold=bold, align=align, leading=leading)
        return LinkedCell(inner, text.url)
    if isinstance(text, (list, tuple)):
        parts = [v for v in text if v]
        return Stack(
            [cell(v, size=size, bold=bold, align=align, leading=leading) for v in parts],
            [_one_line(str(v), size, bold) for v in parts],
        )
    return para(
        "" if text is None else str(text),
        style(size, bold=bold, align=align, leading=size * leading),
    )


def _one_line(text: str, size: float, bold: bool) -> float:
    """The width of ``text`` on one line as printed (digits of the document), with room for
    the rounding of the paragraph's own measure."""
    return text_width(document_digits(text, current_digits()), size, bold) + 2


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
            first = cell(row.cells[0], size=self.spec.size, bold=True, leading=self.spec.leading)
            return [first] + [""] * (len(self.spec.widths) - 1)  # type: ignore[list-item]
        bold = row.kind == "total"
        out = []
        for index, value in enumerate(row.cells):
            align = self.spec.aligns[index] if index < len(self.spec.aligns) else "left"
            if index in row.left:
                align = "left"
            out.append(
                cell(value, size=self.spec.size, bold=bold, align=align, leading=self.spec.leading)
            )
        return out

    def _measure(
        self, cells: list[Any], spans_all: bool = False, span: int = 1, start: int = 0
    ) -> float:
        height = 0.0
        widths = self.spec.widths
        if spans_all:
            widths = [sum(widths)]
        elif span > 1:
            end = start + span
            widths = [*widths[:start], sum(widths[start:end]), *([0.0] * (span - 1))]
            widths += self.spec.widths[end:]
        for value, width in zip(cells, widths, strict=False):
            if isinstance(value, Flowable) and width > 0:
                height = max(height, value.wrap(width - 2 * self.spec.pad, 10_000)[1])
        return height + 2 * self.spec.pad + 1

    def _header_heights(self) -> list[float]:
        """The header rows' heights: a heading spanning columns measured at their width, a
        heading spanning rows given the height of those rows together."""
        header = self._header or []
        across: dict[tuple[int, int], int] = {}  # (row, column) → columns spanned
        down: dict[tuple[int, int], int] = {}  # (row, column) → rows spanned
        for (c0, r0), (c1, r1) in self.spec.header_spans:
            c1 = c1 % len(self.spec.widths)
            if r1 > r0:
                down[(r0, c0)] = r1 - r0 + 1
            if c1 > c0:
                across[(r0, c0)] = c1 - c0 + 1
        heights = []
        for r, cells in enumerate(header):
            kept = ["" if (r, c) in down else v for c, v in enumerate(cells)]
            widths = list(self.spec.widths)
            for (row, c0), n in across.items():
                if row == r:
                    widths[c0 : c0 + n] = [sum(widths[c0 : c0 + n])] + [0.0] * (n - 1)
            height = 0.0
            for value, width in zip(kept, widths, strict=False):
                if isinstance(value, Flowable) and width > 0:
                    height = max(height, value.wrap(width - 2 * self.spec.pad, 10_000)[1])
            heights.append(height + 2 * self.spec.pad + 1)
        for (r0, c), n in down.items():  # a tall heading across rows: the last row grows
            value = header[r0][c]
            if isinstance(value, Flowable):
                need = value.wrap(self.spec.widths[c] - 2 * self.spec.pad, 10_000)[1]
                need += 2 * self.spec.pad + 1
                have = sum(heights[r0 : r0 + n])
                if need > have:
                    heights[r0 + n - 1] += need - have
        return heights

    def _prepare(self) -> None:
        if self._header is None:
            self._header = [
                [
                    cell(
                        v,
                        size=self.spec.header_size or self.spec.size,
                        bold=True,
                        align="center",
                        leading=self.spec.leading,
                    )
                    if not isinstance(v, Flowable)
                    else v
                    for v in row
                ]
                for row in self.spec.header
            ]
            self._header_height = sum(self._header_heights())
        if self._heights is None:
            heights = []
            total = len(self.rows)
            for index, row in enumerate(self.rows):
                cells = self._cells(row)
                row.cells = cells
                row.kind = row.kind + ":ready"
                heights.append(
                    self._measure(
                        cells,
                        spans_all=row.kind.startswith("group"),
                        span=row.span,
                        start=row.span_from,
                    )
                )
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
            ("LEFTPADDING", (0, 0), (-1, -1), self.spec.pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), self.spec.pad),
            ("TOPPADDING", (0, 0), (-1, -1), self.spec.pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), self.spec.pad),
        ]
        commands += [("SPAN", a, b) for a, b in self.spec.header_spans]
        for index, row in enumerate(rows, start=len(header)):
            if row.span > 1:
                a = row.span_from
                commands.append(("SPAN", (a, index), (a + row.span - 1, index)))
            if row.joined and index > len(header):
                # one piece with the row above: its first cells run down into this one
                commands += [("SPAN", (c, index - 1), (c, index)) for c in range(row.span_from)]
            if row.kind.startswith("group"):
                commands += [
                    ("SPAN", (0, index), (-1, index)),
                    ("BACKGROUND", (0, index), (-1, index), GROUP_BG),
                ]
            elif row.kind.startswith("total"):
                commands.append(("BACKGROUND", (0, index), (-1, index), GROUP_BG))
        header_heights = self._header_heights()
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
        # a heading (a group's, F2's project) never stays alone at the bottom of a page: it
        # keeps the top of its first row when that row may be split there, else goes over
        # with it; a joined row never begins a page
        if (
            0 < count < len(self.rows)
            and self._heads(count - 1)
            and not self._heads(count)
            and self._split_row(count, available - used, aH)
        ):
            count += 1
        while 1 < count < len(self.rows) and (self._heads(count - 1) or self.rows[count].joined):
            count -= 1
        if 0 < count < len(self.rows) and self._closes(count):
            # a total never begins a page: its last rows of data go over with it (F1's "รวม"
            # stood alone over the signature on the last page)
            count = self._keep_with_total(count, aH)
        elif count < len(self.rows) and self._split_row(
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
            while count > 1 and (
                self._heads(count - 1)
                or not any(r.kind.startswith("data") for r in self.rows[count:])
                or self.rows[count].joined
            ):
                count -= 1  # at least one row of data goes over, with its heading
            if self._only_totals(count):
                # the page holds one row of data (a long project's rest): its last lines go
                # over with the total and the signature
                count = self._keep_with_total(count, aH)
            # the rows that go over with the tail begin the next page (not a second table,
            # with its headings again, lower on this one)
            rest = self._rest(count)
            return [self._table(self.rows[:count], self._heights[:count]), PageBreak(), rest]
        if count == 0:
            return []
        first = self._table(self.rows[:count], self._heights[:count])
        if count == len(self.rows):  # (never [self]: the frame would try it forever)
            return [first, *self.tail]
        return [first, self._rest(count)]

    def _closes(self, index: int) -> bool:
        """Whether the row at ``index`` is a total that closes the rows above it (F1's
        "รวม", F3's subtotal, F4's total and percentages), not a bold heading of the rows
        below it (F2's project over its activities, the nation's F3 district over its LAOs)."""
        if not self.rows[index].kind.startswith("total"):
            return False
        after = self.rows[index + 1] if index + 1 < len(self.rows) else None
        return after is None or not (after.kind.startswith("data") or after.joined)

    def _heads(self, index: int) -> bool:
        """Whether the row at ``index`` heads the rows below it (a group, F2's project)."""
        row = self.rows[index]
        return row.kind.startswith("group") or (
            row.kind.startswith("total") and not self._closes(index)
        )

    def _only_totals(self, count: int) -> bool:
        """Whether the rows from ``count`` on hold no row of data, only totals."""
        rest = self.rows[count:]
        return bool(rest) and not any(r.kind.startswith("data") for r in rest)

    def _keep_with_total(self, count: int, page: float) -> int:
        """Where to end the page when the row at ``count``, a total, would begin the next:
        before the last two rows of data it totals (with their joined rows and their
        heading: a group's, F2's project), as the signature's rule keeps the last rows with
        it. When the page holds only one row of data, that row is split so that its last
        lines go over; when it cannot be, the page ends where it did."""
        start, moved = count, 0
        while start > 1 and moved < 2 and self.rows[start - 1].kind.startswith("data"):
            start -= 1
            moved += 1
        while start > 1 and (self._heads(start - 1) or self.rows[start].joined):
            start -= 1
        if moved:
            return start
        last = count - 1
        assert self._heights is not None
        if last >= 0 and self.rows[last].kind.startswith("data"):
            # the row's top on this page, two of its lines and more on the next
            keep = 2 * self.spec.size * self.spec.leading + 2 * self.spec.pad
            # (split in place: the row's rest is then at ``count``)
            self._split_row(last, self._heights[last] - keep, page)
        return count

    def _rest(self, count: int) -> PagedTable:
        """The table after its first ``count`` rows, measured already."""
        assert self._heights is not None
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
        return rest

    def _split_row(self, index: int, room: float, page: float) -> bool:
        """Splits a tall row across the page end (its paragraphs continue on the next page)
        when more than an eighth of the page would otherwise stay empty — or, for a row taller
        than a whole page, which is split wherever it goes, when two of its lines fit."""
        assert self._heights is not None and self._header_height is not None
        row = self.rows[index]
        whole_page = frame_height(self._avail_width > frame_width(False) + 1)
        too_tall = self._header_height + self._heights[index] > whole_page
        # (moved whole, such a row left 67 pt empty under F2's project of 300 characters)
        two_lines = 2 * self.spec.size * self.spec.leading + 2 * self.spec.pad + 2
        if room < (two_lines if too_tall else max(page * 0.12, 70)):
            return False
        # a heading's top alone at a page foot heads nothing; but one taller than a whole
        # page under the table's heading (F2's project named in 2,000 characters) is split
        # like any row, or no page could take it (ReportLab's LayoutError)
        if self._heads(index) and not too_tall:
            return False
        if row.joined or (index + 1 < len(self.rows) and self.rows[index + 1].joined):
            return False  # a row and its joined row move together
        top_cells: list[Any] = []
        rest_cells: list[Any] = []
        pad = self.spec.pad
        inner_room = room - 2 * pad - 2
        for value, width in zip(row.cells, self.spec.widths, strict=False):
            if not isinstance(value, Flowable):
                top_cells.append(value)
                rest_cells.append("")
                continue
            value.wrap(width - 2 * pad, inner_room)
            pieces = value.split(width - 2 * pad, inner_room)
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
        top = Row(top_cells, row.kind, row.span, row.span_from, row.joined)
        rest = Row(rest_cells, row.kind, row.span, row.span_from, row.joined)
        top_height = self._measure(top.cells, span=row.span, start=row.span_from)
        rest_height = self._measure(rest.cells, span=row.span, start=row.span_from)
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


def _extent_of(
    value: Any, size: float, bold: bool, cache: dict[tuple[str, float, bool], tuple[float, float]]
) -> tuple[float, float]:
    """(widest unit, widest line) of a cell's text in points, measured by the paragraph
    engine as it will break the text (``exports.pdf.extent``), in the document's digits."""
    if isinstance(value, (list, tuple)):
        found_all = [_extent_of(v, size, bold, cache) for v in value]
        return (
            max((w for w, _l in found_all), default=0.0),
            max((line for _w, line in found_all), default=0.0),
        )
    if isinstance(value, Link):
        key = ("\x00" + value.text, size, bold)
        found = cache.get(key)
        if found is None:
            # a URL may be cut after / ? . - & (the engine's inner breaks of the unit)
            word = max((text_width(p, size, bold) for p in url_pieces(value.text)), default=0.0)
            found = cache[key] = (word, text_width(value.text, size, bold))
        return found
    if not isinstance(value, str) or not value:
        return 0.0, 0.0
    key = (value, size, bold)
    found = cache.get(key)
    if found is None:
        printed = document_digits(value, current_digits())  # measured as it will be printed
        found = cache[key] = extent(printed, FONT_BOLD if bold else FONT, size)
    return found


@dataclass
class ColumnNeeds:
    """Per column, in points with the cell padding: ``least``, the widest unbreakable unit
    (a word, a date, a number; a no-break column's whole line) of its heading and cells;
    ``most``, its cells' longest line unwrapped; ``head``, as wide as its heading's longest
    line (at least ``most``); ``heading``, its heading's widest unit (a heading across
    several columns not counted)."""

    least: list[float]
    most: list[float]
    head: list[float]
    heading: list[float] = field(default_factory=list)


def column_needs(spec: TableSpec, rows: list[Row]) -> ColumnNeeds:
    cache: dict[tuple[str, float, bool], tuple[float, float]] = {}
    count = len(spec.widths)
    least = [0.0] * count
    most = [0.0] * count
    head = [0.0] * count
    heading = [0.0] * count
    head_size = spec.header_size or spec.size
    across = {(r0, c0) for (c0, r0), (c1, _r1) in spec.header_spans if c1 % count > c0}
    for r, header in enumerate(spec.header):
        for index, value in enumerate(header[:count]):
            # a heading wraps between its words; one the form breaks by hand ("\n") keeps
            # each of its lines whole
            word, line = _extent_of(value, head_size, True, cache)
            least[index] = max(least[index], line if _by_hand(value) else word)
            head[index] = max(head[index], line)
            if (r, index) not in across:
                heading[index] = max(heading[index], line if _by_hand(value) else word)
    sampled: dict[int, list[float]] = {i: [] for i in spec.mostly & spec.nowrap}
    for row in rows:
        if row.kind not in ("data", "total"):
            continue
        for index, value in enumerate(row.cells[:count]):
            if row.span > 1 and row.span_from <= index < row.span_from + row.span:
                continue  # a label across several columns fits by itself
            word, line = _extent_of(value, spec.size, row.kind == "total", cache)
            if index in spec.nowrap and isinstance(value, str):
                word = line  # a no-break column's texts are never wrapped
            if index in sampled and row.kind == "data":
                sampled[index].append(word)
            else:
                least[index] = max(least[index], word)
            most[index] = max(most[index], line)
    if count and any(r.kind in ("data", "total") for r in rows):
        # a row continued on the next page says so in its first column: "๒.๓ (ต่อ)", in
        # bold for a total's row
        bold = any(r.kind.startswith("total") for r in rows)
        least[0] = max(least[0], _extent_of(W.CONTINUED, spec.size, bold, cache)[0])
    for index, widths in sampled.items():
        if widths:
            widths.sort()
            at = min(len(widths) - 1, int(len(widths) * spec.whole_share))
            least[index] = max(least[index], widths[at])
    # the paragraph's room is the column less its padding; a point more for rounding
    extra = 2 * spec.pad + 1
    least = [n + extra if n else 0.0 for n in least]
    most = [max(w + extra if w else 0.0, n) for w, n in zip(most, least, strict=True)]
    head = [max(h + extra if h else 0.0, w) for h, w in zip(head, most, strict=True)]
    heading = [n + extra if n else 0.0 for n in heading]
    return ColumnNeeds(least, most, head, heading)


def _by_hand(value: Any) -> bool:
    return isinstance(value, str) and "\n" in value


def fit_columns(spec: TableSpec, rows: list[Row]) -> None:
    """The one allocator of a report table's column widths (``spec.widths``, whose sum is
    the width to fill, exactly), used by every report. As a browser lays out an automatic
    table: every column at least as wide as its widest unbreakable unit as the paragraph
    engine breaks its texts (``column_needs``: a word, a name, a date, an amount; its
    heading's longest word), and the width left shared by what each column lacks to show its
    texts. The form's columns, order and headings are kept; only their widths change.

    - Everything fits on one line, headings too: each column its longest line, the rest in
      proportion to the widths given (the form's proportions: a table of empty rows to fill
      in by hand keeps the room the form gives each column).
    - The rows fit on one line but not every heading: the rest to the headings in proportion
      to what they lack (a heading wraps once a page, a row's line on every row).
    - The rows do not fit on one line and every column is a no-break one (the nation's F3,
      whose ``mostly`` columns wrap their few longest texts): each column its least, the rest
      in proportion to what it lacks for its longest line.
    - Otherwise each column its least, and the rest shared so that the rows are as short as
      the texts allow (``_fit_free_columns``: a row is as tall as its tallest cell, so the
      longest line alone, a browser's measure, is not what counts: in proportion to it one
      long project name took as much as a column of long results in every row).
    - Not every unit fits (a long table at its smallest text size): the no-break columns
      (dates, amounts, names) keep their width and the others share the rest, their words
      then cut by the engine; when even that does not fit, the widest columns are cut.
    """
    total = sum(spec.widths)
    needs = column_needs(spec, rows)
    least = needs.least
    most = [min(w, max(total * 0.45, n)) for w, n in zip(needs.most, least, strict=True)]
    if sum(least) > total:
        widths = _squeeze(least, total, spec.nowrap, needs.heading)
    elif sum(needs.head) <= total:
        widths = _spread(needs.head, spec.widths, total)
    elif sum(most) <= total:
        widths = _spread(most, [h - w for h, w in zip(needs.head, most, strict=True)], total)
        # rows on one line cost their heading's lines on every page: a short table whose
        # heading would stand many lines tall (the LAO's one product under the Soft Power
        # heading: "(๖) การ" / "จัด" / "อบรม" … eight lines, the table over two pages)
        # wraps a row's text instead, when that makes the table shorter
        if any(r.kind in ("data", "total") for r in rows):
            free = _fit_free_columns(spec, rows, least)
            if estimated_height(spec, rows, free) < estimated_height(spec, rows, widths) - 1:
                widths = free
    elif all(i in spec.nowrap for i in range(len(least))):
        # nothing wraps but the few longest texts of ``mostly`` columns: the rest in
        # proportion to what each column lacks for its longest line
        widths = _spread(least, [w - n for w, n in zip(most, least, strict=True)], total)
    else:
        widths = _fit_free_columns(spec, rows, least)
    widths[-1] = total - sum(widths[:-1])  # the frame filled exactly, whatever the rounding
    spec.widths = widths


def fit_table_size(spec: TableSpec, rows: list[Row], sizes: tuple[float, ...]) -> None:
    """The text size of ``sizes`` (largest first) at which every column's unbreakable texts
    (dates, names) fit the page, the largest unless a smaller one makes the table at least a
    twentieth shorter in lines (its height over its size: a table of one-line rows is never
    made smaller for being smaller): a district's 200 Soft Power products at 14 pt, the largest
    size that fits, took 102 pages (their fields on two and three lines, the headings on six
    to ten), at 12 pt 62. A wide form goes down to 12 pt, never below."""
    given = list(spec.widths)
    best: tuple[float, list[float], float] | None = None
    for size in sizes:
        spec.size, spec.widths = size, list(given)
        if needed_width(spec, rows) > sum(given) and (best is not None or size != sizes[-1]):
            continue
        fit_columns(spec, rows)
        height = estimated_height(spec, rows, spec.widths) / size
        if best is None or height < best[2] * 0.95:
            best = (size, spec.widths, height)
    assert best is not None  # (the last size is always laid out)
    spec.size, spec.widths = best[0], best[1]


def estimated_height(spec: TableSpec, rows: list[Row], widths: list[float]) -> float:
    """About how tall a table is at ``widths``: its rows' lines (a row as tall as its tallest
    cell, a sample of a long table) and its heading's on every page (15 cm of rows a page)."""
    extra = 2 * spec.pad + 2
    head_size = spec.header_size or spec.size
    body = [r for r in rows if r.kind in ("data", "total")]
    scale = 1.0
    if len(body) > 300:
        sample = body[:: len(body) // 300 + 1]
        scale, body = len(body) / len(sample), sample

    def lines(value: Any, width: float, size: float, bold: bool) -> int:
        if isinstance(value, Link):
            value = value.text
        if not isinstance(value, str) or not value:
            return 1
        printed = document_digits(value, current_digits())
        words: list[float] = []
        for n, text in enumerate(printed.split("\n")):
            if n:
                words.append(0.0)
            words += [text_width(u, size, bold) or 0.01 for u, _inner in segment_units(text)]
        return _line_count(words, width - extra)

    count = len(widths)
    across = {(r0, c0) for (c0, r0), (c1, _r1) in spec.header_spans if c1 % count > c0}
    head = (
        sum(
            max(
                (
                    lines(h[i], widths[i], head_size, True)
                    for i in range(min(count, len(h)))
                    if (r, i) not in across
                ),
                default=1,
            )
            for r, h in enumerate(spec.header)
        )
        * head_size
        * spec.leading
    )
    rows_height = 0.0
    for row in body:
        spans = range(row.span_from, row.span_from + row.span) if row.span > 1 else range(0)
        tallest = max(
            (
                lines(v, widths[i], spec.size, row.kind == "total")
                for i, v in enumerate(row.cells[:count])
                if i not in spans
            ),
            default=1,
        )
        rows_height += tallest * spec.size * spec.leading + 2 * spec.pad
    rows_height *= scale
    return rows_height + head * max(1.0, rows_height / (15 * cm * 0.9))


def needed_width(spec: TableSpec, rows: list[Row]) -> float:
    """The width the table needs to keep every column's unbreakable texts whole."""
    return sum(column_needs(spec, rows).least)


def _spread(base: list[float], weights: list[float], total: float) -> list[float]:
    """``base`` plus what is left of ``total``, shared in proportion to ``weights`` (evenly
    when they are all zero)."""
    rest = total - sum(base)
    weight = sum(weights)
    if weight <= 0:
        return [b + rest / len(base) for b in base]
    return [b + rest * w / weight for b, w in zip(base, weights, strict=True)]


def _squeeze(
    least: list[float],
    total: float,
    nowrap: frozenset[int],
    heading: Sequence[float] = (),
) -> list[float]:
    """Widths when not every unit fits: the no-break columns whole while they take less than
    four fifths of the table, the others capped at one width (the narrow ones keep theirs);
    otherwise every column capped so. The capped columns share what is left. A capped
    column keeps at least its heading's widest word (``heading``) while those words fit:
    "ผู้รับผิดชอบ" was cut between letters above a column of short names, capped as low as
    the columns of long unbreakable texts beside it."""
    count = len(least)
    fixed = {i for i in nowrap if i < count}
    if sum(least[i] for i in fixed) >= total * 0.8 or len(fixed) == count:
        fixed = set()
    free = [i for i in range(count) if i not in fixed]
    room = total - sum(least[i] for i in fixed)
    floor = [min(heading[i], least[i]) if i < len(heading) else 0.0 for i in range(count)]
    if sum(floor[i] for i in free) > room:
        floor = [0.0] * count  # the headings' words alone do not fit: cut as before
    low, high = 0.0, max(least[i] for i in free)
    for _step in range(40):
        cap = (low + high) / 2
        if sum(max(min(least[i], cap), floor[i]) for i in free) > room:
            high = cap
        else:
            low = cap
    widths = [least[i] if i in fixed else max(min(least[i], low), floor[i]) for i in range(count)]
    capped = [i for i in free if least[i] >= low and floor[i] < low] or free
    rest = (total - sum(widths)) / len(capped)
    return [w + rest if i in capped else w for i, w in enumerate(widths)]


def _line_count(words: list[float], width: float) -> int:
    """Lines of a paragraph whose units are ``words`` wide (0 = a line break) filled greedily
    into ``width``; a unit wider than the column takes the lines it is cut into."""
    lines, used = 1, 0.0
    for w in words:
        if w == 0.0:
            lines, used = lines + 1, 0.0
        elif used + w <= width:
            used += w
        elif w > width:
            extra = int(w // width)
            lines, used = lines + extra + (1 if used else 0), w - extra * width
        else:
            lines, used = lines + 1, w
    return lines


def _fit_free_columns(spec: TableSpec, rows: list[Row], need: list[float]) -> list[float]:
    """The no-break columns (dates, names, amounts) get what they need; the rest of the width
    is shared so that the table is as short as its texts allow: the rows' lines (a row as
    tall as its tallest cell) and the heading's lines on every page. A slice at a time goes
    to the column that saves the most, then width moves between two columns while that saves
    lines (two tall cells of a row shorten together only so; a no-break column takes width
    only for its heading)."""
    count = len(spec.widths)
    total = sum(spec.widths)
    free = [i for i in range(count) if i not in spec.nowrap]
    extra = 2 * spec.pad + 2
    head_size = spec.header_size or spec.size
    body = [r for r in rows if r.kind in ("data", "total")]
    if len(body) > 300:  # a long table: a sample of its rows decides
        body = body[:: len(body) // 300 + 1]
    cache: dict[tuple[str, float, bool], list[float]] = {}

    def units(value: Any, size: float, bold: bool) -> list[float]:
        if isinstance(value, Link):
            value = value.text
        if not isinstance(value, str) or not value:
            return []
        key = (value, size, bold)
        found = cache.get(key)
        if found is None:
            printed = document_digits(value, current_digits())
            found = []
            for n, text in enumerate(printed.split("\n")):
                if n:
                    found.append(0.0)
                found += [text_width(u, size, bold) or 0.01 for u, _inner in segment_units(text)]
            cache[key] = found
        return found

    texts = {
        i: [
            units(r.cells[i], spec.size, r.kind == "total")
            if i < len(r.cells) and not (r.span > 1 and r.span_from <= i < r.span_from + r.span)
            else []
            for r in body
        ]
        for i in free
    }
    heads = {
        i: [
            units(h[i], head_size, True)
            for h in spec.header
            if i < len(h) and isinstance(h[i], str)
        ]
        for i in range(count)
    }
    line = spec.size * spec.leading
    head_line = head_size * spec.leading
    full = len(rows) / max(len(body), 1)
    page: float = 15 * cm * 0.9  # the rows' height of a page, about
    column_lines: dict[tuple[int, int], list[int]] = {}
    head_lines: dict[tuple[int, int], int] = {}

    def lines_of(i: int, width: float) -> list[int]:
        key = (i, round(width))
        found = column_lines.get(key)
        if found is None:
            found = [_line_count(w, width - extra) if w else 0 for w in texts[i]]
            column_lines[key] = found
        return found

    def head_of(i: int, width: float) -> int:
        key = (i, round(width))
        found = head_lines.get(key)
        if found is None:
            found = max((_line_count(w, width - extra) for w in heads[i] if w), default=1)
            head_lines[key] = found
        return found

    def cost(widths: list[float]) -> float:
        # the lines of a row's other cells count a little: widening one of two tall cells
        # of a row is then a step towards a shorter row
        per_column = [lines_of(i, widths[i]) for i in free]
        tallest = [max(k) for k in zip(*per_column, strict=True)] if body else []
        cells = sum(sum(k) for k in per_column)
        height = (sum(max(k, 1) for k in tallest) + 0.25 * cells / len(free)) * line * full
        head = max(head_of(i, widths[i]) for i in range(count))
        return float(height + head * head_line * max(1.0, height / page))

    def fitted(lines: int, widen_heads: bool) -> list[float] | None:
        """Widths at which nine in ten cells of every text column take at most ``lines``
        lines, the rest of the width given to the tallest heading a slice at a time
        (``widen_heads``) and then to the text columns."""
        widths = list(need)
        for i in free:
            wanted = []
            for words in texts[i]:
                if not words or _line_count(words, widths[i] - extra) <= lines:
                    continue
                low, high = widths[i], total
                for _step in range(16):
                    mid = (low + high) / 2
                    if _line_count(words, mid - extra) <= lines:
                        high = mid
                    else:
                        low = mid
                wanted.append(high)
            if wanted:
                wanted.sort()
                # nine in ten: one very long text does not widen the column for all
                if len(wanted) * 10 > len(texts[i]):
                    widths[i] = wanted[max(0, len(wanted) - len(texts[i]) // 10 - 1)]
        left = total - sum(widths)
        if left < 0:
            return None
        # the heading row is as tall as its tallest heading: widen every tallest heading just
        # enough to lose a line, while the width lasts
        while widen_heads and left > 1e-6:
            tallest = max(head_of(i, widths[i]) for i in range(count))
            if tallest <= 1:
                break
            extra_for: dict[int, float] = {}
            for i in range(count):
                if head_of(i, widths[i]) < tallest:
                    continue
                low, high = widths[i], widths[i] + left
                if head_of(i, high) >= tallest:
                    extra_for = {}
                    break  # a heading broken by hand, or too long: no gain
                for _step in range(14):
                    mid = (low + high) / 2
                    if head_of(i, mid) < tallest:
                        high = mid
                    else:
                        low = mid
                extra_for[i] = high - widths[i]
            if not extra_for or sum(extra_for.values()) > left:
                break
            for i, extra_width in extra_for.items():
                widths[i] += extra_width
                left -= extra_width
        if left > 1e-6:  # the rest to the text columns by their text lengths
            weight = {i: sum(sum(w) for w in texts[i]) or 1.0 for i in free}
            whole = sum(weight.values())
            for i in free:
                widths[i] += left * weight[i] / whole
        return widths

    best: list[float] | None = None
    best_cost = 0.0
    # every heading on fewer lines is not always worth its width: the cost decides
    tries = list(range(1, 9))
    beyond = 0  # tries past the first that fits, once the lines had to grow

    def heading(widths: list[float]) -> int:
        return max(head_of(i, widths[i]) for i in range(count))

    while tries:
        lines = tries.pop(0)
        for widen in (True, False):
            widths = fitted(lines, widen)
            if widths is None:
                continue
            c = cost(widths)
            if beyond and best is not None and heading(widths) >= heading(best):
                continue  # (the estimate is too rough to prefer it for the rows alone)
            if best is None or c < best_cost - 1e-6:
                best, best_cost = widths, c
        if not tries and lines < 100_000 and (best is None or (lines > 8 and beyond < 3)):
            # texts too long for nine in ten of them on eight lines (a 300-character project
            # name beside 300-character results): more lines each, until they fit, rather
            # than the whole rest to the last column and a project a word a line; and a few
            # more past the first that fits, which may leave the headings no width (F1's
            # objective of 61 items took all but 4 pt: "ผลที่คาดว่าจะได้รับ" stood 6 lines),
            # taken when they shorten the heading
            beyond += best is not None
            tries.append(lines * 3 // 2)
    if best is None:
        best = list(need)
        best[free[-1]] += total - sum(need)
    return best


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
