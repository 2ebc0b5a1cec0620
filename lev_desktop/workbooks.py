"""A workbook someone else made, checked before openpyxl reads it.

An .xlsx file is a zip of XML parts, and openpyxl holds what it reads as Python objects: a
0.75 MB file whose one sheet unpacks to 315 MB of XML took 5.1 s and 831 MB of memory to
preview as a plan (a file of that kind three times larger stops a 4 GB office laptop). Every
workbook a person brings in (a plan, a list of LAOs, an office's filled KPI form) is first
looked at as an archive: how many parts, how large they unpack to, and how far they were
compressed. Reading the zip's directory costs a few milliseconds and inflates nothing.

Qt-free; the callers word the refusal in their own Thai (``archive_problem`` gives its kind).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

MAX_PARTS = 2000  # an .xlsx written by Excel or LibreOffice has a few dozen
# A part unpacking to more than this many times its packed size (beyond the first MiB) is not
# what a spreadsheet program writes (their XML packs 5-30x; a sheet of one value repeated
# packs ~100x at most).
MAX_RATIO = 200
DAMAGED = "damaged"
TOO_LARGE = "too_large"


def archive_problem(source: Path | str | bytes, *, max_unpacked: int) -> str | None:
    """None when ``source`` (a file or its bytes) is a zip that may be opened: at most
    MAX_PARTS parts, at most ``max_unpacked`` bytes unpacked in all, and not packed more
    than MAX_RATIO times beyond its first MiB. Else DAMAGED (not a readable zip) or
    TOO_LARGE."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zipped:
            parts = zipped.infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        return DAMAGED
    unpacked = sum(part.file_size for part in parts)
    packed = sum(part.compress_size for part in parts) or 1
    if (
        len(parts) > MAX_PARTS
        or unpacked > max_unpacked
        or (unpacked > 1024**2 and unpacked > MAX_RATIO * packed)
    ):
        return TOO_LARGE
    return None
