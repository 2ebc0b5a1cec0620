"""``ThaiParagraph``: a platypus Flowable that lays out Thai text itself.

ReportLab's Paragraph breaks lines only at spaces, and Thai has no spaces between words. This
flowable segments the text into words (words.py), measures every word shaped by HarfBuzz
(shaping.py, cached), fills lines greedily, and writes the glyphs with their HarfBuzz offsets
straight into the PDF text stream. It works in story lists, inside Table cells (fixed column
widths), and across frames/pages: ``split`` redoes the line breaks for the remainder.

Markup (optional, deliberately tiny): ``<b>…</b>``, ``<i>…</i>`` (also ``<strong>``, ``<em>``),
``<br/>`` and the entities ``&amp; &lt; &gt; &quot; &#NNN;``. Anything else that looks like a tag
is printed as text. Instead of markup you may pass a list of ``(text, fontName)`` runs.
A newline in the text is a line break. Use U+00A0 (no-break space) to keep two words together.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import escapePDF
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.flowables import Flowable

from exports.pdf.fonts import get_font, register_fonts, styled_font
from exports.pdf.shaping import Shaped, shape
from exports.pdf.styles import thai_styles
from exports.pdf.words import (
    NO_LINE_END,
    NO_LINE_START,
    compound_breaks,
    is_cluster_start,
    segment_units,
    syllable_starts,
)

# Vertical metrics used to place the baseline inside a line of height ``leading``: the
# stacked Thai marks reach ~1.05 em above the baseline, tails ~0.30 em below. The baseline is
# put so that this 1.35 em box is centred in the line.
MARK_TOP = 1.05
TAIL_BOTTOM = 0.30
_EPS = 1e-6
# Words whose glyphs are moved by HarfBuzz offsets are wrapped in a marked-content span with
# /ActualText (their source text), so that viewers copy them in the right order even where
# their own reading-order heuristics would split a displaced mark from its word (poppler does
# that with ญี่ปุ่น in bold). The ToUnicode fix (fonts.py) is independent of this; the tests
# check both, switching this off to test ToUnicode alone.
ACTUAL_TEXT = True
# HarfBuzz draws ำ (U+0E33) as the glyphs of ํ + า: the ToUnicode map alone would make copy
# and search give U+0E4D U+0E32, so a word with ำ always carries /ActualText.
_SARA_AM = "\u0e33"
JUSTIFY_MAX_SPACE = 0.35  # em added per space before justify spreads over all word gaps

_TAG = re.compile(r"<(/?)(b|strong|i|em)\s*>|<br\s*/?>", re.I)

# ZWSP, soft hyphen, BOM, CR go; tabs and other C0 controls (tofu in Sarabun) become spaces
_INVISIBLE = {
    0x200B: None,
    0x00AD: None,
    0xFEFF: None,
    0x0D: None,
    **{c: 0x20 for c in range(0x20) if c not in (0x0A, 0x0D)},
}

ALIGNMENTS = {
    "left": TA_LEFT,
    "center": TA_CENTER,
    "centre": TA_CENTER,
    "right": TA_RIGHT,
    "justify": TA_JUSTIFY,
}


def parse_markup(text: str, font_name: str) -> list[tuple[str, str]]:
    """``text`` with the tiny markup → list of ``(plain text, fontName)`` runs."""
    if "<" not in text and "&" not in text:
        return [(text, font_name)]
    runs: list[tuple[str, str]] = []
    bold = italic = 0
    pos = 0

    def add(chunk: str) -> None:
        if chunk:
            runs.append(
                (html.unescape(chunk), styled_font(font_name, bold=bold > 0, italic=italic > 0))
            )

    for m in _TAG.finditer(text):
        add(text[pos : m.start()])
        pos = m.end()
        if m.group(2) is None:  # <br/>
            runs.append(("\n", font_name))
            continue
        delta = -1 if m.group(1) else 1
        if m.group(2).lower() in ("b", "strong"):
            bold = max(0, bold + delta)
        else:
            italic = max(0, italic + delta)
    add(text[pos:])
    return runs


class _Group:
    """An unbreakable unit: one word (possibly in several fonts), a space run or a newline."""

    __slots__ = ("inner", "kind", "pieces", "width")
    WORD, SPACE, NEWLINE = 0, 1, 2

    def __init__(self, pieces: list[Shaped], kind: int, inner: tuple[int, ...] = ()):
        self.pieces = pieces
        self.kind = kind
        self.inner = inner  # where the unit may be cut when it is wider than a line
        self.width = sum(p.width for p in pieces)  # in 1/1000 of the font size

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)

    def __repr__(self) -> str:
        return f"_Group({self.text!r})"


_group_cache: dict[tuple[str, str], tuple[_Group, ...]] = {}


def build_groups(runs: Sequence[tuple[str, str]]) -> list[_Group]:
    """Segment and shape runs into breakable groups (cached for single-run texts)."""
    if len(runs) == 1:
        key = runs[0][1], runs[0][0]
        hit = _group_cache.get(key)
        if hit is None:
            hit = tuple(_build_groups(runs))
            if len(_group_cache) > 100_000:
                _group_cache.clear()
            _group_cache[key] = hit
        return list(hit)
    return _build_groups(runs)


def _build_groups(runs: Sequence[tuple[str, str]]) -> list[_Group]:
    plain = "".join(t for t, _f in runs)
    # font of each character
    bounds: list[tuple[int, int, str]] = []
    at = 0
    for t, f in runs:
        if t:
            bounds.append((at, at + len(t), f))
            at += len(t)
    groups: list[_Group] = []
    at = 0
    run_i = 0
    for tok, inner in segment_units(plain):
        start, end = at, at + len(tok)
        at = end
        if tok == "\n":
            groups.append(_Group([], _Group.NEWLINE))
            continue
        kind = _Group.SPACE if tok.isspace() else _Group.WORD
        pieces = []
        while run_i < len(bounds) and bounds[run_i][1] <= start:
            run_i += 1
        j = run_i
        pos = start
        while pos < end:
            _rs, re_, f = bounds[j]
            piece_end = min(end, re_)
            pieces.append(shape(plain[pos:piece_end], f))
            pos = piece_end
            if pos >= re_:
                j += 1
        groups.append(_Group(pieces, kind, inner))
    return groups


def extent(text: str, font_name: str, font_size: float) -> tuple[float, float]:
    """(widest unit, widest line) of a plain text in points, as ``layout`` breaks it: a unit
    is what a line is never broken inside while it fits (a word, a date, a number, a name,
    two words glued by a no-break space), a line what runs between hard line breaks, without
    the spaces at its ends. A column this wide shows the text whole, as wide as its widest
    unit shows it without cutting a word."""
    groups = build_groups([(text.translate(_INVISIBLE), font_name)])
    unit = line = run = pending = 0.0
    for g in groups:
        if g.kind == _Group.NEWLINE:
            line = max(line, run)
            run = pending = 0.0
        elif g.kind == _Group.SPACE:
            if run:  # spaces count between words only
                pending += g.width
        else:
            run += pending + g.width
            pending = 0.0
            unit = max(unit, g.width)
    line = max(line, run)
    scale = font_size / 1000.0
    return unit * scale, line * scale


def _cut(group: _Group, at: int) -> tuple[_Group, _Group]:
    """Split a word group after ``at`` characters (re-shaping the two halves)."""
    head: list[Shaped] = []
    tail: list[Shaped] = []
    pos = 0
    for p in group.pieces:
        n = len(p.text)
        if pos + n <= at:
            head.append(p)
        elif pos >= at:
            tail.append(p)
        else:
            head.append(shape(p.text[: at - pos], p.font_name))
            tail.append(shape(p.text[at - pos :], p.font_name))
        pos += n
    inner = tuple(o - at for o in group.inner if o > at)
    return _Group(head, _Group.WORD), _Group(tail, _Group.WORD, inner)


def _split_first(
    group: _Group, limit: float, *, words_only: bool = False
) -> tuple[_Group, _Group] | None:
    """The longest head of a too-wide unit that fits ``limit`` (1/1000 em) and the rest.

    Where to cut, in order: the unit's inner break opportunities (a space inside a date or a
    phone number, the inner words of a compound or a name, after / ? in a URL, then after
    . - & — see ``words.py``); else between syllables; only as a last resort between grapheme
    clusters (never between a mark and its base). At least one cluster goes into the head even
    if it does not fit. Thai is never hyphenated. ``words_only``: only between words (inner
    opportunities and compounds), None when none fits — to fill the rest of a line."""
    text = group.text

    def allowed(at: int) -> bool:  # nothing that must not begin or end a line
        return text[at] not in NO_LINE_START and text[at - 1] not in NO_LINE_END

    def fits(at: int) -> bool:
        return _cut(group, at)[0].width <= limit + _EPS

    def last_fitting(candidates: list[int]) -> int | None:
        lo, hi, best = 0, len(candidates) - 1, None  # heads grow with the offset
        while lo <= hi:
            mid = (lo + hi) // 2
            if fits(candidates[mid]):
                best = candidates[mid]
                lo = mid + 1
            else:
                hi = mid - 1
        return best

    inner = sorted(o for o in group.inner if 0 < o < len(text) and text[:o].strip() and allowed(o))
    if inner:
        spaced = [o for o in inner if text[o - 1] in " \u00a0"]
        at = last_fitting(spaced) if spaced else None
        if at is None:
            # a URL: after "/" or "?" when that fills at least half the line
            slashes = [o for o in inner if text[o - 1] in "/?"]
            at = last_fitting(slashes) if slashes else None
            if at is not None and _cut(group, at)[0].width < limit / 2:
                at = None
        if at is None:
            at = last_fitting(inner)
        if at is not None:
            return _cut_trim(group, at)
    # the inner words of a compound (the fewest-words reading first), then syllables, then
    # after punctuation inside a number or code (๐๘๖๐.๒/๙๐๗๐)
    compound = [o for o in compound_breaks(text) if allowed(o)]
    at = last_fitting(compound) if compound else None
    if at is not None:
        return _cut_trim(group, at)
    if words_only:
        return None
    # after "/" first, where libthai breaks too: a letter number "มท ๐๘๖๐.๒/|๙๐๗๐", never
    # after its dot
    tiers = [[i + 1 for i, c in enumerate(text[:-1]) if c == "/" and allowed(i + 1)]]
    tiers.append([o for o in syllable_starts(text) if is_cluster_start(text, o) and allowed(o)])
    tiers.append([i + 1 for i, c in enumerate(text[:-1]) if c in "/.,-:;_" and allowed(i + 1)])
    for tier in tiers:
        at = last_fitting(tier) if tier else None
        if at is not None and _cut(group, at)[0].width >= limit / 3:
            return _cut_trim(group, at)
    clusters = [i for i in range(1, len(text)) if is_cluster_start(text, i)]
    if not clusters:
        return group, _Group([], _Group.WORD)
    # not before ")" or after "(" — unless nothing else fits: text never runs out of its column
    best = last_fitting([i for i in clusters if allowed(i)]) or last_fitting(clusters)
    if best is None:
        return _cut_trim(group, clusters[0])
    ok = [c for c in clusters if c <= best]
    if len(ok) > 1 and ok[-1] == clusters[-1]:  # do not leave a lone cluster behind
        return _cut_trim(group, ok[-2])
    return _cut_trim(group, ok[-1])


def _cut_trim(group: _Group, at: int) -> tuple[_Group, _Group]:
    """``_cut`` without the spaces around the cut (they would show at the line edges)."""
    text = group.text
    head_end = len(text[:at].rstrip(" \u00a0")) or at
    tail_start = len(text) - len(text[at:].lstrip(" \u00a0"))
    if tail_start >= len(text):
        tail_start = at
    head = _cut(group, head_end)[0]
    tail = _cut(group, tail_start)[1]
    return head, tail


class Line:
    """One laid-out line.

    ``groups``: its words and inner spaces (spaces at the line edges removed); ``width`` in
    points; ``last``: ends the paragraph or a hard line break (not justified). The text after
    this line is ``[carry] + groups[next_index:]`` of the paragraph (``carry`` is the rest of
    a long word cut at the line end, else None) — that is what ``split`` continues with.
    """

    __slots__ = ("carry", "groups", "last", "next_index", "width")

    def __init__(
        self,
        groups: list[_Group],
        width: float,
        last: bool,
        next_index: int,
        carry: _Group | None,
    ) -> None:
        self.groups = groups
        self.width = width
        self.last = last
        self.next_index = next_index
        self.carry = carry

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.groups)


def layout(
    groups: Sequence[_Group],
    width: float,
    font_size: float,
    first_indent: float = 0.0,
    *,
    break_before: int | None = None,
) -> list[Line]:
    """Greedy line filling; ``width`` and the lines' widths are in points; a line also ends
    before the group at ``break_before`` (the line stays justified)."""
    scale = font_size / 1000.0
    full = width / scale
    limit = (width - first_indent) / scale
    lines: list[Line] = []
    cur: list[_Group] = []
    cur_w = 0.0  # 1/1000 em, including trailing spaces
    trail = 0.0  # trailing spaces in cur_w

    def flush(next_index: int, carry: _Group | None, last: bool) -> None:
        nonlocal cur, cur_w, trail, limit
        while cur and cur[-1].kind == _Group.SPACE:
            cur.pop()
        lines.append(Line(cur, (cur_w - trail) * scale, last, next_index, carry))
        cur, cur_w, trail = [], 0.0, 0.0
        limit = full

    i, n = 0, len(groups)
    while i < n:
        if i == break_before and cur:
            flush(i, None, False)
        g = groups[i]
        i += 1
        kind = g.kind
        if kind == _Group.NEWLINE:
            flush(i, None, True)
            continue
        if kind == _Group.SPACE:
            if cur:  # spaces at the start of a line vanish
                cur.append(g)
                cur_w += g.width
                trail += g.width
            continue
        if cur_w + g.width <= limit + _EPS:
            cur.append(g)
            cur_w += g.width
            trail = 0.0
            continue
        if cur and g.width > full + _EPS:
            # it must be cut anyway: fill this line up to one of its word boundaries
            room = limit - cur_w
            cut = _split_first(g, room, words_only=True) if room > 0 else None
            if cut is not None and cut[0].pieces and cut[1].pieces:
                head, g = cut
                cur.append(head)
                cur_w += head.width
                trail = 0.0
                flush(i, g, False)
        if cur:
            flush(i - 1, None, False)
        while g.width > limit + _EPS:  # cut the unit (see _split_first)
            head, g = _split_first(g, limit)  # type: ignore[misc]
            cur.append(head)
            cur_w = head.width
            if not g.pieces:
                break
            flush(i, g, False)
        if g.pieces:
            cur.append(g)
            cur_w += g.width
            trail = 0.0
    if cur or not lines:
        flush(n, None, True)
    else:
        lines[-1].last = True
    return lines


def _resolve_style(style: ParagraphStyle | None) -> ParagraphStyle:
    return thai_styles()["body"] if style is None else style


class ThaiParagraph(Flowable):
    """A paragraph of Thai (and Latin) text, shaped, broken between words.

    ``text``: a str with the tiny markup (see module doc), or a list of ``(text, fontName)``.
    ``style``: a ReportLab ParagraphStyle (see :func:`thai_styles`); used: fontName (a
    registered Sarabun name), fontSize, leading, alignment (TA_LEFT/CENTER/RIGHT/JUSTIFY or
    "left"/"center"/"right"/"justify"), textColor, leftIndent, rightIndent, firstLineIndent,
    spaceBefore, spaceAfter.
    """

    def __init__(
        self,
        text: str | Iterable[tuple[str, str]],
        style: ParagraphStyle | None = None,
        *,
        _groups: list[_Group] | None = None,
        _continued: bool = False,
    ) -> None:
        super().__init__()
        register_fonts()
        self.style = style = _resolve_style(style)
        font_name = style.fontName
        get_font(font_name)  # fails loudly for a font we cannot shape
        if _groups is not None:
            self._groups = _groups
        else:
            runs = parse_markup(text, font_name) if isinstance(text, str) else list(text)
            # invisible break hints from word processors: we find the breaks ourselves
            runs = [(t.translate(_INVISIBLE), f) for t, f in runs]
            self._groups = build_groups(runs)
        self._continued = _continued
        self.font_size = float(style.fontSize)
        self.leading = float(style.leading or style.fontSize * 1.5)
        align = getattr(style, "alignment", TA_LEFT)
        self.alignment = ALIGNMENTS.get(align, align) if isinstance(align, str) else align
        self.spaceBefore = 0 if _continued else getattr(style, "spaceBefore", 0)
        self.spaceAfter = getattr(style, "spaceAfter", 0)
        self.lines: list[Line] = []
        self._wrap_key: float | None = None
        self.width = self.height = 0.0

    # -- public helpers ------------------------------------------------------------------
    def getPlainText(self) -> str:  # noqa: N802 (ReportLab's name)
        return "".join(g.text if g.kind != _Group.NEWLINE else "\n" for g in self._groups)

    def line_texts(self) -> list[str]:
        """The text of each laid-out line (after ``wrap``)."""
        return [line.text for line in self.lines]

    def minWidth(self) -> float:  # noqa: N802
        widest = max((g.width for g in self._groups if g.kind == _Group.WORD), default=0)
        s = self.style
        return widest * self.font_size / 1000.0 + s.leftIndent + s.rightIndent

    # -- Flowable API --------------------------------------------------------------------
    def _first_indent(self) -> float:
        return 0.0 if self._continued else float(getattr(self.style, "firstLineIndent", 0) or 0)

    def _layout(self, avail_width: float) -> list[Line]:
        key = avail_width
        if key != self._wrap_key:
            s = self.style
            text_width = avail_width - s.leftIndent - s.rightIndent
            indent = self._first_indent()
            self.lines = layout(self._groups, text_width, self.font_size, indent)
            if len(self.lines) > 1 and self.alignment == TA_CENTER:
                self.lines = _balanced(self._groups, text_width, self.font_size, indent, self.lines)
            elif len(self.lines) > 1 and _runt(self._groups, self.lines, text_width):
                self.lines = _pull_down(
                    self._groups, text_width, self.font_size, indent, self.lines
                )
            self._wrap_key = key
        return self.lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        lines = self._layout(avail_width)
        self.width = avail_width
        self.height = len(lines) * self.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        lines = self._layout(avail_width)
        fit = int((avail_height + _EPS) // self.leading)
        if fit >= len(lines):
            return [self]
        # no widow: never one line alone at the top of the next part; no orphan: never one
        # line alone at the foot; and a label ending in ":" goes on with what it introduces
        if len(lines) - fit == 1:
            fit -= 1
        while fit > 0 and lines[fit - 1].text.rstrip().endswith(":"):
            fit -= 1
        if fit == 1 and len(lines) > 1:
            fit = 0
        if fit <= 0:
            return []
        cut = lines[fit - 1]
        first = ThaiParagraph(
            "", self.style, _groups=self._groups[: cut.next_index], _continued=self._continued
        )
        first.spaceAfter = 0
        first._wrap_key = avail_width
        first.lines = lines[:fit]
        # ``first`` keeps these lines for this width. (Re-wrapped at another width it would lay
        # out its groups again, and a word cut at the split line would lose its head; frames
        # never do that: they draw the split part at the width they split it at.)
        rest_groups = ([cut.carry] if cut.carry is not None else []) + list(
            self._groups[cut.next_index :]
        )
        rest = ThaiParagraph("", self.style, _groups=rest_groups, _continued=True)
        return [first, rest]

    def draw(self) -> None:
        canv = self.canv
        s = self.style
        code = draw_lines(
            canv,
            self.lines,
            s.leftIndent,
            self.height,
            self.width - s.leftIndent - s.rightIndent,
            self.font_size,
            self.leading,
            self.alignment,
            self._first_indent(),
        )
        if code:
            color = getattr(s, "textColor", None)
            canv.saveState()
            if color is not None:
                canv.setFillColor(color)
            canv._code.append(code)  # type: ignore[attr-defined]  # raw operators, as Paragraph does
            canv.restoreState()


def _balanced(
    groups: Sequence[_Group], width: float, font_size: float, indent: float, lines: list[Line]
) -> list[Line]:
    """A centred paragraph (a title, a table heading, a signer's block) on as many lines as the
    greedy fill gives, but of even length: at the narrowest width that keeps that many lines
    ("แบบสรุปผลการดำเนินงานตามแผนปฏิบัติงาน" / "คณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก",
    not "…ท้องถิ่นรักษ์" / "โลก"). When the text has spaces, Thai's phrase boundaries, the
    narrowest width with the most breaks at spaces comes first ("…ท้องถิ่นรักษ์โลก" /
    "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘", not a break inside the programme's name "…ท้องถิ่น" /
    "รักษ์โลก…"). Breaks fall between units only, and a compound is one unit
    (``words.py``: "คณะกรรมการ" is never cut to buy a break at a space)."""
    count = len(lines)
    if any(line.carry is not None for line in lines):
        return lines  # a unit wider than the line is cut already: no narrower fill

    def fits(found: list[Line]) -> bool:  # as many lines, and no unit cut to get them
        return len(found) == count and all(line.carry is None for line in found)

    low, high = width / count, width
    for _step in range(14):
        mid = (low + high) / 2
        if fits(layout(groups, mid, font_size, indent)):
            high = mid
        else:
            low = mid
    even = layout(groups, high, font_size, indent)
    if not fits(even):
        return lines
    best, most = even, _space_breaks(groups, even)
    if most == count - 1 or not any(g.kind == _Group.SPACE for g in groups):
        return even
    for step in range(1, 25):  # wider, up to the frame: the narrowest with more breaks at spaces
        found = layout(groups, high + (width - high) * step / 24, font_size, indent)
        if fits(found) and _space_breaks(groups, found) > most:
            best, most = found, _space_breaks(groups, found)
            if most == count - 1:
                break
    return best


def _runt(groups: Sequence[_Group], lines: list[Line], width: float) -> bool:
    """Does the last line begin with one word broken off a run (the text between spaces) of
    the line above, alone up to its end or a space, on a short line (under a third of
    ``width``)? "ครัวเรือนที่มีถังขยะเปียกลดโลก" / "ร้อน", "… (ธนาคารขยะ) ครั้ง" / "ที่ ๑",
    "… สรุปผลการดำเนินงานได้" / "ดังนี้": the greedy fill leaves the end of a compound the
    breaker splits (โลก|ร้อน: no dictionary lists โลกร้อน, "global warming") or of a phrase
    alone at the foot of a cell or paragraph — "ลดโลก" / "ร้อน" reads "reduce the world" /
    "hot"."""
    before, last = lines[-2], lines[-1]
    at = before.next_index
    if before.last or before.carry is not None or not last.groups or at < 1:
        return False
    if last.width >= width / 3 or at >= len(groups):
        return False
    if not groups[at - 1].kind == _Group.WORD == groups[at].kind:
        return False  # broken at a space or a hard line break
    return len(last.groups) == 1 or last.groups[1].kind == _Group.SPACE


def _pull_down(
    groups: Sequence[_Group], width: float, font_size: float, indent: float, lines: list[Line]
) -> list[Line]:
    """The lines with the last word of the line before the last carried down to the runt
    (``_runt``): "…เปียกลดโลก" / "ร้อน" → "…เปียกลด" / "โลกร้อน", "…ได้" / "ดังนี้" →
    "…" / "ได้ดังนี้", "(ธนาคารขยะ) ครั้ง" / "ที่ ๑" → "(ธนาคารขยะ)" / "ครั้งที่ ๑" — when
    that keeps as many lines (no row grows); else the lines as they were."""
    at = lines[-2].next_index - 1
    start = lines[-3].next_index if len(lines) > 2 else 0
    if at <= start:
        return lines
    found = layout(groups, width, font_size, indent, break_before=at)
    if len(found) != len(lines) or any(line.carry is not None for line in found):
        return lines
    return found


def _space_breaks(groups: Sequence[_Group], lines: list[Line]) -> int:
    """How many of the lines but the last end at a space or a hard line break."""
    count = 0
    for line in lines[:-1]:
        at = line.next_index
        before = groups[at - 1].kind if at > 0 else _Group.WORD
        after = groups[at].kind if at < len(groups) else _Group.NEWLINE
        count += line.last or (line.carry is None and not _Group.WORD == before == after)
    return count


def baseline_offset(leading: float, font_size: float) -> float:
    """Distance from the top of a line box to the baseline."""
    return leading / 2.0 + font_size * (MARK_TOP - TAIL_BOTTOM) / 2.0


def _num(v: float) -> str:
    """A PDF number: integers plain, else up to 3 decimals without trailing zeros."""
    r = round(v, 3)
    if r == int(r):
        return str(int(r))
    return (f"{r:.3f}").rstrip("0")


def draw_lines(
    canv: Canvas,
    lines: Sequence[Line],
    x0: float,
    top: float,
    width: float,
    font_size: float,
    leading: float,
    alignment: int | str,
    first_indent: float = 0.0,
) -> str:
    """PDF text operators (one ``BT … ET`` block) drawing ``lines`` below ``top``."""
    doc = canv._doc  # type: ignore[attr-defined]  # the canvas's PDFDocument (subset codes)
    compiled = doc.__dict__.get("_lev_thai_ops")
    if compiled is None:  # per-document cache: subset codes are assigned per document
        compiled = doc.__dict__["_lev_thai_ops"] = {}
    out: list[str] = ["BT"]
    size_str = _num(font_size)
    base = top - baseline_offset(leading, font_size)
    state = [None]  # current "/F+n size Tf"
    for n, line in enumerate(lines):
        if not line.groups:
            continue
        indent = first_indent if n == 0 else 0.0
        avail = width - indent
        extra = 0.0
        gaps: Sequence[int] = ()
        if alignment == TA_RIGHT:
            x = x0 + indent + avail - line.width
        elif alignment == TA_CENTER:
            x = x0 + indent + (avail - line.width) / 2.0
        else:
            x = x0 + indent
            if alignment == TA_JUSTIFY and not line.last and avail > line.width + _EPS:
                # Thai justify: widen the spaces; when that would open holes wider than
                # JUSTIFY_MAX_SPACE em (or there is no space), spread over every word gap.
                spaces = [k for k, g in enumerate(line.groups) if g.kind == _Group.SPACE]
                slack = (avail - line.width) * 1000.0 / font_size
                if not spaces or slack / len(spaces) > JUSTIFY_MAX_SPACE * 1000:
                    gaps = [
                        k
                        for k in range(1, len(line.groups))
                        if line.groups[k - 1].kind != _Group.SPACE
                    ]
                else:
                    gaps = spaces
                if gaps:
                    extra = slack / len(gaps)
        out.append(f"1 0 0 1 {_num(x)} {_num(base - n * leading)} Tm")
        gap_set = set(gaps)
        for k, group in enumerate(line.groups):
            if extra and k in gap_set:
                out.append(f"[{_num(-extra)}] TJ")
            actual = ACTUAL_TEXT and (
                not all(p.simple for p in group.pieces) or _SARA_AM in group.text
            )
            if actual:
                out.append(f"/Span <</ActualText <FEFF{_utf16_hex(group.text)}>>> BDC")
            for piece in group.pieces:
                key = (piece, font_size)
                ops = compiled.get(key)
                if ops is None:
                    ops = compiled[key] = _compile(piece, doc, font_size, size_str)
                for tf, code in ops:
                    if tf != state[0]:
                        out.append(tf)
                        state[0] = tf
                    out.append(code)
            if actual:
                out.append("EMC")
    out.append("ET")
    return "\n".join(out) if len(out) > 2 else ""


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _close_tj(items: list[bytes | float], ops: list[str]) -> None:
    """Writes the pending strings and pen moves as one Tj or TJ operator and empties ``items``."""
    if not items:
        return
    parts = [
        (f"({escapePDF(x)})") if isinstance(x, bytes) else _num(x)
        for x in items
        if isinstance(x, bytes) or abs(x) > 1e-9
    ]
    if len(parts) == 1 and parts[0][0] == "(":
        ops.append(parts[0] + " Tj")
    elif parts:
        ops.append("[{}] TJ".format(" ".join(parts)))
    items.clear()


def _add_number(items: list[bytes | float], v: float) -> None:
    """A pen move, added to the one before it when nothing was written between them."""
    last = items[-1] if items else None
    if last is not None and not isinstance(last, bytes):
        items[-1] = last + v
    else:
        items.append(v)


def _compile(piece: Shaped, doc: Any, font_size: float, size_str: str) -> list[tuple[str, str]]:
    """Operators writing one shaped piece: [(font selection "…Tf", text operators)].

    Each glyph is written at its HarfBuzz position: the TJ number before it moves it by its
    x offset, the one after it makes the pen advance by the HarfBuzz advance instead of the
    width in the PDF Widths array; a y offset becomes a text rise (Ts), reset at the end."""
    font: Any = pdfmetrics.getFont(piece.font_name)  # a TTFont: splitString is not in the stubs
    result: list[tuple[str, str]] = []
    gi = 0
    glyphs = piece.glyphs
    for subset, data in font.splitString(piece.codes, doc):
        tf = f"{font.getSubsetInternalName(subset, doc)} {size_str} Tf"
        if piece.simple:
            result.append((tf, f"({escapePDF(data)}) Tj"))
            gi += len(data)
            continue
        ops: list[str] = []
        items: list[bytes | float] = []
        rise = 0.0
        for b in data:
            _code, xo, yo, adv, pdf_w = glyphs[gi]
            gi += 1
            r = font_size * yo / 1000.0
            if r != rise:
                _close_tj(items, ops)
                ops.append(f"{_num(r)} Ts")
                rise = r
            if xo:
                _add_number(items, -xo)
            if items and isinstance(items[-1], bytes):
                items[-1] += bytes((b,))
            else:
                items.append(bytes((b,)))
            corr = pdf_w - adv + xo
            if corr:
                _add_number(items, corr)
        _close_tj(items, ops)
        if rise:
            ops.append("0 Ts")
        result.append((tf, " ".join(ops)))
    return result
