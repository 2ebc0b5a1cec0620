"""A workbook someone else made, checked before openpyxl reads it.

An .xlsx file is a zip of XML parts, and openpyxl holds what it reads as Python objects: a
0.75 MB file whose one sheet unpacks to 315 MB of XML took 5.1 s and 831 MB of memory to
preview as a plan (a file of that kind three times larger stops a 4 GB office laptop). Every
workbook a person brings in (a plan, a list of LAOs, an office's filled KPI form) is first
looked at as an archive: how many parts, how large they unpack to, and how far they were
compressed. Reading the zip's directory costs a few milliseconds and inflates nothing.

Qt-free; the callers word the refusal in their own Thai (``archive_problem`` gives its kind),
but for a workbook saved with a password, which every reader tells the same way
(``password_message``).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lev_desktop.i18n import _

MAX_PARTS = 2000  # an .xlsx written by Excel or LibreOffice has a few dozen
# A part unpacking to more than this many times its packed size (beyond the first MiB) is not
# what a spreadsheet program writes (their XML packs 5-30x; a sheet of one value repeated
# packs ~100x at most).
MAX_RATIO = 200
DAMAGED = "damaged"
TOO_LARGE = "too_large"
ENCRYPTED = "encrypted"
# A workbook saved with a password (File › Info › Protect Workbook › Encrypt with Password) is
# not a zip but an OLE compound file holding the zip encrypted, as a stream of this name.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_MAX_OLE_READ = 64 * 1024**2


def archive_problem(source: Path | str | bytes, *, max_unpacked: int) -> str | None:
    """None when ``source`` (a file or its bytes) is a zip that may be opened: at most
    MAX_PARTS parts, at most ``max_unpacked`` bytes unpacked in all, and not packed more
    than MAX_RATIO times beyond its first MiB. Else ENCRYPTED (saved with a password),
    DAMAGED (not a readable zip) or TOO_LARGE."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zipped:
            parts = zipped.infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        return ENCRYPTED if _password_protected(source) else DAMAGED
    unpacked = sum(part.file_size for part in parts)
    packed = sum(part.compress_size for part in parts) or 1
    if (
        len(parts) > MAX_PARTS
        or unpacked > max_unpacked
        or (unpacked > 1024**2 and unpacked > MAX_RATIO * packed)
    ):
        return TOO_LARGE
    return None


def _password_protected(source: Path | str | bytes) -> bool:
    """Whether ``source`` is a workbook saved with a password (see ENCRYPTED). Such a file was
    called damaged, "save it again as .xlsx": Excel saves it again with its password."""
    try:
        if isinstance(source, bytes):
            data = source[:_MAX_OLE_READ]
        else:
            with open(source, "rb") as handle:
                data = handle.read(_MAX_OLE_READ)
    except OSError:
        return False
    return data.startswith(_OLE_MAGIC) and _ENCRYPTED_STREAM in data


def password_message(name: str) -> str:
    """What to do with a workbook saved with a password (every reader of workbooks says it)."""
    return _(
        "{name} is protected by a password, so it cannot be read. Open it in Excel with its "
        "password, remove the password (File › Info › Protect Workbook › Encrypt with "
        "Password: empty the box, OK), save it and try again."
    ).format(name=name)
