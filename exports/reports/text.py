"""The one adapter between the report documents and the Thai typesetting engine.

Every paragraph of every report is made by ``para()``: a ``ThaiParagraph`` of the engine
(``exports.pdf``: Sarabun registration with the ToUnicode fix, nlpo3 word
segmentation, HarfBuzz-shaped lines broken only between words). Texts are plain text, not
markup: a person's "<" or "&" prints as typed; a newline is a line break.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator
from typing import Any, Literal

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from exports.pdf import ThaiParagraph, string_width
from exports.pdf import register_fonts as _engine_register
from lev_desktop.thai_format import document_digits

# The digits of the document being made (set by ``digits_of`` around a whole report): every
# paragraph passes through ``para``, so one setting reaches every text of the document.
_DIGITS: contextvars.ContextVar[str] = contextvars.ContextVar("lev_report_digits", default="thai")


def current_digits() -> str:
    return _DIGITS.get()


def in_document_digits(make: Callable[..., bytes]) -> Callable[..., bytes]:
    """Decorator of a ``*_pdf(data, options, …)`` function: its paragraphs take the digits
    of ``options`` (one setting for the whole document)."""

    @functools.wraps(make)
    def wrapper(data: Any, options: Any, *args: Any, **kwargs: Any) -> bytes:
        with digits_of(options.digits):
            return make(data, options, *args, **kwargs)

    return wrapper


@contextlib.contextmanager
def digits_of(digits: str) -> Iterator[None]:
    token = _DIGITS.set(digits)
    try:
        yield
    finally:
        _DIGITS.reset(token)


FONT = "Sarabun"
FONT_BOLD = "Sarabun-Bold"

_ALIGN: dict[str, Literal[0, 1, 2, 4]] = {
    "left": TA_LEFT,
    "center": TA_CENTER,
    "right": TA_RIGHT,
    "justify": TA_JUSTIFY,
}


def register_fonts() -> None:
    _engine_register()


_styles: dict[tuple[float | bool | str | None, ...], ParagraphStyle] = {}


def style(
    size: float = 16,
    *,
    bold: bool = False,
    align: str = "left",
    indent: float = 0,
    first_indent: float = 0,
    leading: float | None = None,
    space_before: float = 0,
    space_after: float = 0,
) -> ParagraphStyle:
    key = (size, bold, align, indent, first_indent, leading, space_before, space_after)
    found = _styles.get(key)
    if found is None:
        found = ParagraphStyle(
            name=f"lev-{len(_styles)}",
            fontName=FONT_BOLD if bold else FONT,
            fontSize=size,
            leading=leading or size * 1.5,
            alignment=_ALIGN[align],
            leftIndent=indent,
            firstLineIndent=first_indent,
            spaceBefore=space_before,
            spaceAfter=space_after,
            shaping=1,
        )
        _styles[key] = found
    return found


def para(text: str, st: ParagraphStyle) -> Flowable:
    """A paragraph of plain text in the document's digits; newlines are line breaks."""
    return ThaiParagraph([(document_digits(text or "", _DIGITS.get()), st.fontName)], st)


def para_as_written(text: str, st: ParagraphStyle) -> Flowable:
    """A paragraph printed exactly as given, whatever the document's digits: a key fingerprint
    that a person compares character by character with what another program shows."""
    return ThaiParagraph([(text or "", st.fontName)], st)


def text_width(text: str, size: float, bold: bool = False) -> float:
    return string_width(text, FONT_BOLD if bold else FONT, size)
