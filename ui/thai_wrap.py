"""Thai line-break opportunities for the Qt text people read, without libthai.

Qt finds where a Thai line may break only through libthai, which it loads at run time (as
``thai.dll`` on Windows, which no Windows machine has). Without it a Thai run has no break
opportunity but its spaces: measured with libthai hidden, 1 break in 57 Thai characters
instead of 11 — a word-wrapped label or cell cuts the text off or widens the window.

So the text shown gets its breaks from the same segmenter as the PDFs
(``exports.pdf.segment``): a zero-width space (U+200B) between two words, which Qt breaks at
on every platform. Only DISPLAY text gets them, never text stored or edited:

- table, list and tree cells and header sections: ``ThaiWrapStyle`` (a proxy over the
  application style) adds them to the option's text when a cell is painted or measured — the
  model's data, the editor and a copy of the cell keep the text as it is;
- word-wrapped labels (message boxes included): ``ThaiWrapFilter`` sets the label's text with
  them when it is polished or painted; a copy of selected label text is given back without, and
  ``QLabel.text()`` / ``selectedText()`` and ``QMessageBox.text()`` / ``informativeText()`` are
  wrapped once per process to return the text without them (what the program set: code that
  reads a label back never stores a break); ``shown_text`` gives what the label really holds;
- tooltips: shown as wrapped rich text with them;
- read-only rich text (the side panels' ``QTextBrowser``, a printed summary): ``set_html`` /
  ``shown_rich``; the browser's ``toPlainText()`` reads back without them;
- text a widget paints itself: ``display_text`` / ``break_positions``.

Path-like chunks (a file name, a folder, a web address) never get one: a copied path must work.
"""

from __future__ import annotations

import html
import logging
import re
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QClipboard,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QMessageBox,
    QProxyStyle,
    QStyle,
    QStyleOptionHeader,
    QStyleOptionToolButton,
    QStyleOptionViewItem,
    QTextBrowser,
    QToolTip,
    QWidget,
)
from shiboken6 import isValid

log = logging.getLogger(__name__)

ZWSP = "\u200b"
LINE_END = "\u2028"  # a line separator: where ``wrapped`` ends a line
# Tooltips longer than this (characters) are wrapped; a short one stays on one line.
TOOLTIP_WRAP = 60
_TAG = re.compile(r"(<[^>]*>)")
_PATHLIKE = re.compile(r"[/\\_@]|\.[A-Za-z0-9]{2,5}$|^[A-Za-z]:|://")
# A slash between two Thai letters is an "or" in a title ("ทำแล้ว/แผน", "โครงการ/ภารกิจ"),
# not a folder: such a chunk gets breaks (it was cut between letters, "ทำแล้ | ว/แผ | น").
_THAI_SLASH = re.compile(r"(?<=[\u0e00-\u0e7f])/(?=[\u0e00-\u0e7f])")
_SPACE = re.compile(r"(\s+)")
_RICH = re.compile(r"\s*<(?:[A-Za-z][A-Za-z0-9]*|!--)[\s/>]")


def _pathlike(chunk: str) -> bool:
    """A file name, folder or web address: shown whole, never given a break."""
    return _PATHLIKE.search(_THAI_SLASH.sub("", chunk)) is not None


def _looks_rich(text: str) -> bool:
    """As Qt decides a label's or tooltip's text is HTML (Qt::mightBeRichText, roughly)."""
    return _RICH.match(text) is not None


def _has_thai(text: str) -> bool:
    return any("\u0e00" <= c <= "\u0e7f" for c in text)


def _thai_edge(a: str, b: str) -> bool:
    return _has_thai(a[-1:]) or _has_thai(b[:1])


# The segmenter (exports.pdf.segment), loaded off the GUI thread: importing it and reading its
# dictionary takes about half a second, which start-up must not wait for. Until it is there,
# text is shown as it is; ``_Notifier`` then gives the labels and cells on screen their breaks.
_segmenter: list = []
_loading = threading.Lock()


def load() -> None:
    """Loads the segmenter now (the background thread, or a test)."""
    with _loading:
        if not _segmenter:
            from exports.pdf import segment  # a heavy import: see above

            segment("การขับเคลื่อน")
            _segmenter.append(segment)


def ready() -> bool:
    return bool(_segmenter)


def _chunk(chunk: str) -> str:
    if not _has_thai(chunk) or _pathlike(chunk):
        return chunk
    units = _segmenter[0](chunk)
    out: list[str] = []
    for unit in units:
        if out and _thai_edge(out[-1], unit):
            out.append(ZWSP)
        out.append(unit)
    return "".join(out)


def display_text(text: str) -> str:
    """``text`` with a zero-width space at each Thai word boundary (plain text). Idempotent:
    text that already has one is returned as it is. Unchanged until the segmenter is loaded."""
    if not text or ZWSP in text or not _has_thai(text):
        return text
    if not _segmenter:
        _request()
        return text
    return _display_cached(text)


@lru_cache(maxsize=16384)
def _display_cached(text: str) -> str:
    return "".join(
        part if not part or part.isspace() else _chunk(part) for part in _SPACE.split(text)
    )


def display_rich(text: str) -> str:
    """The same for rich text: only the text between tags gets breaks."""
    if ZWSP in text or not _has_thai(text):
        return text
    if not _segmenter:
        _request()
        return text
    return "".join(
        part if part.startswith("<") else display_text(part) for part in _TAG.split(text)
    )


def plain(text: str) -> str:
    """Display text back to the text it shows (for copying)."""
    return text.replace(ZWSP, "")


def break_positions(text: str) -> list[int]:
    """Offsets in ``text`` where a line may break (after a space run, between two words), for
    widgets that lay text out themselves. Loads the segmenter on first use if needed."""
    if not _segmenter:
        load()
    positions: list[int] = []
    offset = 0
    previous = ""
    for part in _SPACE.split(text):
        if not part:
            continue
        if part.isspace():
            offset += len(part)
            positions.append(offset)
            previous = part
            continue
        pieces = [part] if _pathlike(part) or not _segmenter else _segmenter[0](part)
        for piece in pieces:
            if offset and previous and not previous.isspace() and _thai_edge(previous, piece):
                positions.append(offset)
            offset += len(piece)
            previous = piece
    return sorted({p for p in positions if 0 < p < len(text)})


# ---- lines of a given width -----------------------------------------------------------------
#
# A zero-width space is a break opportunity only where Qt breaks by UAX #14 (Windows: no
# libthai). On Linux, Qt hands every Thai run to libthai, whose dictionary decides ALL its
# breaks: it ignores the spaces' advice, breaks inside words the project keeps whole
# (ค่า/ตัว/ชี้/วัด, อาสา/สมัคร, คณะ/กรรมการ) and treats any other character in the run as a
# break — a word joiner (U+2060) inside a word made a break at every joiner (measured, Qt
# 6.12 offscreen). So where the width is known (a wrapped cell, a header title) the lines are
# made here, from the project's breaks and Qt's own measure, and Qt is given them ended by
# U+2028: each line fits, so Qt breaks none of them again, with or without libthai.

_WRAPPED_MAX = 8192
_wrapped_cache: dict[tuple[str, str, int, bool], str] = {}


def wrapped(text: str, font: QFont, width: int, *, elide: bool = False) -> str:
    """``text`` as shown in ``width`` pixels of ``font``: each line ends where the project's
    breaks (``break_positions``, the PDFs' segmenter) put it — filled greedily, each line
    measured by Qt's own layout — and the lines are joined by U+2028, with the zero-width
    spaces of ``display_text`` inside them. A word wider than ``width`` is cut between
    grapheme clusters, or with ``elide`` (a header title in a column dragged that narrow)
    shown on its own line as far as it fits, ending in "…" ("กรรมการ" as "กรร…", not "กรร" /
    "มการ"). Text without Thai, or before the segmenter is loaded, is ``display_text``'s."""
    if not text or width <= 0 or not _has_thai(text):
        return display_text(text)
    if not _segmenter:
        _request()
        return text
    key = (text, font.key(), int(width), elide)
    found = _wrapped_cache.get(key)
    if found is None:
        paragraphs = text.replace(LINE_END, "\n").split("\n")
        found = LINE_END.join(
            LINE_END.join(display_text(line) for line in _fill(part, font, int(width), elide=elide))
            for part in paragraphs
        )
        if len(_wrapped_cache) >= _WRAPPED_MAX:
            _wrapped_cache.clear()
        _wrapped_cache[key] = found
    return found


def shown_lines(text: str, font: QFont, width: int, *, elide: bool = False) -> list[str]:
    """The lines ``wrapped`` gives ``text`` (without the zero-width spaces)."""
    return [plain(line) for line in wrapped(text, font, width, elide=elide).split(LINE_END)]


def _fits(text: str, font: QFont, width: int) -> bool:
    """True when Qt lays ``text`` out on one line of ``width`` pixels."""
    layout = QTextLayout(text.rstrip(), font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = 0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines += 1
        if lines > 1:
            break
    layout.endLayout()
    return lines <= 1


# A line this much narrower than its width fits whatever its last glyph's overhang (a tone
# mark's); only a line closer to the edge is checked with Qt's line breaking.
_OVERHANG = 4


def _fill(text: str, font: QFont, width: int, *, elide: bool = False) -> list[str]:
    """The lines of one paragraph: the longest run of units that fits, line after line. The
    runs are measured from one unwrapped layout of the paragraph (a line's width is where its
    last unit ends less where it starts, trailing spaces not counted, as Qt counts them); each
    line that comes near the edge is then checked with Qt's own line breaking (a glyph
    overhanging the line's end counts there) and given a unit less until it fits."""
    if not text:
        return [text]
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.NoWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    whole = layout.createLine()
    layout.endLayout()
    natural = whole.naturalTextWidth()
    if natural <= width - _OVERHANG or (natural <= width and _fits(text, font, width)):
        return [text]
    from exports.pdf.words import is_cluster_start  # loaded with the segmenter

    xs: dict[int, float] = {}

    def x(at: int) -> float:
        if at not in xs:
            found: Any = whole.cursorToX(at)  # (x, position)
            xs[at] = float(found[0])
        return xs[at]

    def span(start: int, end: int) -> float:
        while end > start and text[end - 1].isspace():
            end -= 1
        return x(end) - x(start)

    ends = [*break_positions(text), len(text)]
    lines: list[str] = []
    start = 0
    while start < len(text):
        candidates = [e for e in ends if e > start]
        fitting: list[int] = []
        for end in candidates:  # the widths grow with the end: stop at the first too wide
            if span(start, end) > width:
                break
            fitting.append(end)
        while (
            fitting
            and span(start, fitting[-1]) > width - _OVERHANG
            and not _fits(text[start : fitting[-1]], font, width)
        ):
            fitting.pop()
        if fitting:
            end = fitting[-1]
        elif elide and "/" not in text[start : candidates[0]]:
            # one word wider than the line: as much of it as fits, then "…" (a unit with a
            # "/", "ทำแล้ว/แผน", "(ตัน/วัน)", is several words kept whole as a path: cut)
            first = candidates[0]
            word = text[start:first].rstrip()
            lines.append(QFontMetrics(font).elidedText(word, Qt.TextElideMode.ElideRight, width))
            start = first
            continue
        else:  # one word wider than the line: cut between clusters
            first = candidates[0]
            cuts = [c for c in range(start + 1, first) if is_cluster_start(text, c)]
            inside = [c for c in cuts if span(start, c) <= width]
            while inside and not _fits(text[start : inside[-1]], font, width):
                inside.pop()
            end = inside[-1] if inside else (cuts[0] if cuts else first)
        lines.append(text[start:end])
        start = end
    return lines


def cell_text_width(style: QStyle, option: QStyleOptionViewItem, widget: Any = None) -> int:
    """The width an item-view cell wraps its text at (Qt: the text rectangle less the focus
    frame's margin on both sides). The text rectangle is the widget's style's: under a style
    sheet with an item padding (the navigation's) it is narrower than the base style's."""
    if isinstance(widget, QWidget):
        style = widget.style()
    rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, widget)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
    return rect.width() - 2 * margin


def cell_text(style: QStyle, option: QStyleOptionViewItem, widget: Any = None) -> str:
    """What a cell shows of ``option.text``: its lines at the cell's width when it wraps."""
    text = option.text
    wraps = bool(option.features & QStyleOptionViewItem.ViewItemFeature.WrapText)
    if wraps and option.rect.isValid() and option.rect.width() > 0:
        return wrapped(text, option.font, cell_text_width(style, option, widget))
    return display_text(text)


# ---- cells and headers ----------------------------------------------------------------------


TOOL_ARROW_GAP = 5  # px between a tool button's label and its menu arrow


class ThaiWrapStyle(QProxyStyle):
    """The application style with Thai break opportunities in item-view cells and header
    sections, both where they are painted and where their size is measured."""

    def drawControl(self, element, option: Any, painter, widget=None) -> None:
        option = self._with_breaks(element, option, painter, widget)
        super().drawControl(element, option, painter, widget)

    def sizeFromContents(self, kind, option: Any, size, widget=None):
        if kind == QStyle.ContentsType.CT_ItemViewItem and isinstance(option, QStyleOptionViewItem):
            option = QStyleOptionViewItem(option)
            option.text = cell_text(self, option, widget)
        elif kind == QStyle.ContentsType.CT_HeaderSection and isinstance(
            option, QStyleOptionHeader
        ):
            option = QStyleOptionHeader(option)
            option.text = display_text(option.text)
        elif kind == QStyle.ContentsType.CT_ToolButton and isinstance(
            option, QStyleOptionToolButton
        ):
            return self._tool_button_size(option, size, widget)
        return super().sizeFromContents(kind, option, size, widget)

    def _tool_button_size(self, option: QStyleOptionToolButton, size, widget):
        """A tool button whose menu opens on a click (no separate arrow part): Fusion paints
        the menu's arrow in the bottom-right corner over a centred label without making room
        ("เพิ่มแถวจาก" on F1's toolbar: the arrow against the last letter). Room for the
        arrow and a gap on both sides keeps the label centred and clear of it."""
        whole = super().sizeFromContents(QStyle.ContentsType.CT_ToolButton, option, size, widget)
        features = QStyleOptionToolButton.ToolButtonFeature
        if not option.features & features.HasMenu or option.features & features.MenuButtonPopup:
            return whole
        arrow = self.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, option, widget)
        whole.setWidth(max(whole.width(), size.width() + 2 * (arrow - 4 + TOOL_ARROW_GAP)))
        return whole

    def _with_breaks(self, element, option: Any, painter: Any, widget: Any) -> Any:
        """The option with the text as shown: a wrapped cell's or header title's lines at its
        width (``wrapped``), any other cell's or title's text with its break opportunities."""
        if element == QStyle.ControlElement.CE_ItemViewItem and option.text:
            copy = QStyleOptionViewItem(option)
            copy.text = cell_text(self, copy, widget)
            return copy
        if element in (
            QStyle.ControlElement.CE_Header,
            QStyle.ControlElement.CE_HeaderLabel,
        ) and isinstance(option, QStyleOptionHeader):
            if not option.text:
                return option
            header = QStyleOptionHeader(option)
            word_wrap = int(header.textAlignment) & Qt.TextFlag.TextWordWrap.value
            if element == QStyle.ControlElement.CE_HeaderLabel and word_wrap:
                # the font the title is drawn with: the header's, bold over a selection
                font = painter.font() if painter is not None else QFont()
                # a word wider than the column (dragged that narrow) elided, never cut
                header.text = wrapped(plain(header.text), font, header.rect.width(), elide=True)
            else:
                header.text = display_text(header.text)
            return header
        return option


# ---- labels, tooltips, the clipboard --------------------------------------------------------


class ThaiWrapFilter(QObject):
    """Installed on the application: breaks for word-wrapped labels and long tooltips."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.tooltips_shown = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.Polish, QEvent.Type.Paint) and isinstance(watched, QLabel):
            label_breaks(watched)
        elif kind == QEvent.Type.ToolTip and isinstance(watched, QWidget):
            return self._tooltip(watched, event)
        return False

    def _tooltip(self, widget: QWidget, event) -> bool:
        text = tooltip_text(widget, event)
        if len(text) <= TOOLTIP_WRAP or not _has_thai(text) or _looks_rich(text):
            return False
        show_tooltip(widget, event, text)
        self.tooltips_shown += 1
        return True


def tooltip_text(widget: QWidget, event: Any) -> str:
    """The tooltip Qt would show for ``event`` (a tooltip's help event) on ``widget``: the
    cell's under the pointer on an item view's viewport, else the widget's own."""
    view = widget.parent()
    if isinstance(view, QAbstractItemView) and widget is view.viewport():
        index = view.indexAt(event.pos())
        value = index.data(Qt.ItemDataRole.ToolTipRole) if index.isValid() else None
        return value if isinstance(value, str) else ""
    return widget.toolTip()


def show_tooltip(widget: QWidget, event: Any, text: str) -> None:
    """Shows ``text`` as the tooltip of ``event``: a long Thai one as a paragraph with its
    breaks between words (Qt would break it only at spaces), any other as Qt shows it."""
    if len(text) > TOOLTIP_WRAP and _has_thai(text) and not _looks_rich(text):
        text = "<p>" + html.escape(display_text(text)).replace("\n", "<br>") + "</p>"
    QToolTip.showText(event.globalPos(), text, widget)


def label_breaks(label: QLabel) -> bool:
    """Gives a word-wrapped label's text its Thai breaks; True when it changed it."""
    if not label.wordWrap():
        return False
    text = shown_text(label)
    if not text or ZWSP in text or not _has_thai(text):
        return False
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and _looks_rich(text)
    )
    new = display_rich(text) if rich else display_text(text)
    if new == text:
        return False
    label.setText(new)
    return True


def shown_text(label: QLabel) -> str:
    """What the label really holds (``text()`` is wrapped to leave the breaks out)."""
    getter = getattr(QLabel.text, "__wrapped_original__", None)
    return str(getter(label)) if getter is not None else label.text()


_HTML = "levPlainHtml"  # the rich text a browser was given, for showing it again


def shown_rich(text: str) -> str:
    """Rich text as the program shows it: with Thai breaks while the application's Thai
    wrapping is installed (``install``), as it is otherwise (a test, the command line)."""
    return display_rich(text) if _installed.get("filter") is not None else text


def set_html(browser: QTextBrowser, text: str) -> None:
    """A read-only browser's rich text with Thai break opportunities: without libthai a
    QTextBrowser breaks a Thai line anywhere, in the middle of a word."""
    browser.setProperty(_HTML, text)
    browser.setHtml(shown_rich(text))


def _browser_breaks(browser: QTextBrowser) -> None:
    text = browser.property(_HTML)
    if isinstance(text, str) and text:
        shown = shown_rich(text)
        if shown != text:
            browser.setHtml(shown)


def _clean_clipboard() -> None:
    """Text copied out of a label of ours loses the breaks it was given for display."""
    clipboard = QGuiApplication.clipboard()
    # ours: this process put it there, or a label of ours has the focus (copied from it)
    if clipboard.ownsClipboard() or isinstance(QApplication.focusWidget(), QLabel):
        text = clipboard.text(QClipboard.Mode.Clipboard)
        if ZWSP in text:
            clipboard.setText(plain(text), QClipboard.Mode.Clipboard)


class _Notifier(QObject):
    """Brings "the segmenter is loaded" to the GUI thread."""

    loaded = Signal()


def refresh_widgets() -> None:
    """Gives every label and cell on screen its breaks (once the segmenter is there)."""
    for widget in QApplication.allWidgets():
        if isinstance(widget, QLabel):
            label_breaks(widget)
        elif isinstance(widget, QTextBrowser):
            _browser_breaks(widget)
        elif isinstance(widget, QAbstractItemView):
            widget.doItemsLayout()
            widget.viewport().update()


_installed: dict[str, object] = {}
_pending: list[Callable[[], None]] = []  # the segmenter's loading, until Thai is first shown
_deferred: list[bool] = []  # set while the program waits for its first screen


_TEXT_GETTERS = (
    (QLabel, "text"),
    (QLabel, "selectedText"),
    (QMessageBox, "text"),
    (QMessageBox, "informativeText"),
    (QTextBrowser, "toPlainText"),
)


def _plain_getters() -> None:
    """``label.text()`` (and a message box's texts, a browser's plain text) give the text the
    program set, without the breaks added for display: code and tests that read a label back
    see what they wrote. The Qt classes' getters are wrapped once, for the whole process."""
    if _installed.get("getters"):
        return
    for cls, name in _TEXT_GETTERS:
        original = getattr(cls, name)

        def plain_getter(self: Any, _original: Any = original) -> str:
            return plain(_original(self))

        plain_getter.__name__ = name
        plain_getter.__doc__ = original.__doc__
        plain_getter.__wrapped_original__ = original  # type: ignore[attr-defined]
        setattr(cls, name, plain_getter)
    _installed["getters"] = True


def install(app: QApplication, *, background: bool = True) -> ThaiWrapFilter:
    """The label/tooltip filter and the clipboard clean-up (the style is set by ui.style);
    starts loading the segmenter in a background thread."""
    _plain_getters()
    existing = _installed.get("filter")
    if isinstance(existing, ThaiWrapFilter):
        return existing
    wrap_filter = ThaiWrapFilter(app)
    app.installEventFilter(wrap_filter)
    QGuiApplication.clipboard().dataChanged.connect(_clean_clipboard)
    _installed["filter"] = wrap_filter
    if not ready():
        notifier = _Notifier(app)
        notifier.loaded.connect(refresh_widgets, Qt.ConnectionType.QueuedConnection)
        _installed["notifier"] = notifier

        def work() -> None:
            try:
                load()
            except Exception:  # no breaks then, as before; never a crash at start-up
                log.exception("the Thai segmenter could not be loaded")
                return
            if isValid(notifier):
                notifier.loaded.emit()

        if background:
            # Started when Thai text is first shown, once that paint is done (``_request``),
            # or, in the program, once its first screen is painted (``defer`` and
            # ``start_loading``): loading it at start-up competed with the first paint and
            # the first screen (bench/startup_shell.py).
            _pending.append(work)
        else:
            work()
    return wrap_filter


def defer() -> None:
    """The program starts the loading itself (``start_loading``) when its first screen is
    painted; Thai text shown before that waits for it."""
    _deferred.append(True)


def start_loading() -> None:
    _deferred.clear()
    _request()


def _request() -> None:
    """Starts loading the segmenter in the background, once, after the current event."""
    if not _pending or _deferred:
        return
    work = _pending.pop()

    def start() -> None:
        thread = threading.Thread(target=work, name="thai-segmenter", daemon=True)
        _installed["thread"] = thread
        thread.start()

    QTimer.singleShot(0, start)


def wait_for_loader(timeout: float = 30.0) -> None:
    """Joins the loading thread (at exit: a thread still touching Qt while the application
    is torn down would crash the process)."""
    thread = _installed.get("thread")
    if isinstance(thread, threading.Thread) and thread.is_alive():
        thread.join(timeout)


def uninstall(app: QApplication) -> None:
    wait_for_loader()
    _installed.pop("thread", None)
    _pending.clear()
    _deferred.clear()
    existing = _installed.pop("filter", None)
    _installed.pop("notifier", None)
    if isinstance(existing, ThaiWrapFilter):
        app.removeEventFilter(existing)
        existing.deleteLater()
        QGuiApplication.clipboard().dataChanged.disconnect(_clean_clipboard)
