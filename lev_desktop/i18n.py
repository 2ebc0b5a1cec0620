"""Translations: every string a person reads goes through ``_()``.

Source strings (msgids) are English; the Thai catalogues in ``resources/locale/th`` are the
default language. Catalogues are split by area (one ``.po`` per area, so that the areas can be
edited independently) and chained into one translation at start-up. A ``.po`` is compiled to
``.mo`` in the user's cache folder on first use (and again whenever the ``.po`` is newer), so
a fresh checkout needs no build step; the PyInstaller bundle ships compiled catalogues.

Use ``N_()`` to mark a string where it is defined (module constants, enum labels) and ``_()``
where it is shown.
"""

from __future__ import annotations

import gettext
import io
import os
import sys
from pathlib import Path
from typing import BinaryIO

from lev_desktop.paths import cache_dir, resources_dir, write_atomically

DEFAULT_LANGUAGE = "th"
LANGUAGES = {"th": "ไทย", "en": "English"}

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def N_(message: str) -> str:
    """Marks a string for extraction without translating it yet."""
    return message


def _(message: str) -> str:
    # Remembered: a lookup walks the chain of the areas' catalogues (one per .po), and an import
    # asks for the same few messages for every package.
    found = _seen.get(message)
    if found is None:
        found = _translation.gettext(message)
        if len(_seen) < 50_000:
            _seen[message] = found
    return found


_seen: dict[str, str] = {}


def ngettext(singular: str, plural: str, n: int) -> str:
    """``singular`` or ``plural`` by ``n``. The catalogues hold the singular msgid only
    (``i18n_tools``): Thai has one form, its translation for every ``n``; a language without
    a translation of it (English) picks by ``n``. (gettext's own ``ngettext`` looks for plural
    entries the catalogues do not have, and would show the English words in Thai.)"""
    found = _(singular)
    if found != singular:
        return found
    return singular if n == 1 else plural


def current_language() -> str:
    return _language


def locale_dir() -> Path:
    return resources_dir() / "locale"


def _compiled(po_path: Path, language: str) -> Path:
    """Returns a .mo for the .po, compiling it into the cache when missing or stale."""
    shipped = po_path.with_suffix(".mo")
    if shipped.exists() and (
        getattr(sys, "frozen", False) or shipped.stat().st_mtime >= po_path.stat().st_mtime
    ):
        return shipped  # compiled at build time (the PyInstaller bundle)
    target = cache_dir() / "locale" / language / po_path.with_suffix(".mo").name
    if target.exists() and target.stat().st_mtime >= po_path.stat().st_mtime:
        return target
    return write_atomically(target, lambda handle: _compile(po_path, language, handle))


def _compile(po_path: Path, language: str, target: BinaryIO) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    write_mo(target, catalog)


def _opened(po_path: Path, language: str) -> BinaryIO:
    """The compiled catalogue of ``po_path``, from the cache; compiled in memory when the
    cache cannot be written (a full disk, a data folder without permission): the program
    then starts and says what is wrong in Thai, instead of stopping on an English traceback
    before its first window."""
    try:
        return _compiled(po_path, language).open("rb")
    except OSError:
        buffer = io.BytesIO()
        _compile(po_path, language, buffer)
        buffer.seek(0)
        return buffer


def catalog_files(language: str) -> list[Path]:
    folder = locale_dir() / language / "LC_MESSAGES"
    return sorted(folder.glob("*.po")) if folder.is_dir() else []


def _load(language: str) -> gettext.NullTranslations:
    first: gettext.NullTranslations | None = None
    for po in catalog_files(language):
        with _opened(po, language) as handle:
            translation = gettext.GNUTranslations(handle)
        if first is None:
            first = translation
        else:
            first.add_fallback(translation)
    return first or gettext.NullTranslations()


def install(language: str | None = None) -> str:
    """Loads the catalogues of ``language`` (default: LEV_LANG or Thai); returns the language."""
    global _translation, _language
    language = language or os.environ.get("LEV_LANG") or DEFAULT_LANGUAGE
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    _translation = _load(language)
    _language = language
    _seen.clear()
    return language


_thai: gettext.NullTranslations | None = None


def in_thai(message: str) -> str:
    """``message`` in Thai whatever the interface language: official documents (the printed
    reports) are Thai, and their words are the interface's Thai words."""
    global _thai
    if _language == "th":
        return _translation.gettext(message)
    if _thai is None:
        _thai = _load("th")
    return _thai.gettext(message)


install()
