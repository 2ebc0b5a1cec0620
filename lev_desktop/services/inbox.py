"""Packages received and not yet imported, for the home screen.

An office drops the package files it receives (e-mail attachments, USB stick) into the
inbox folder under Documents (``inbox_dir``), or the exchange screen opens them from anywhere.
The home screen lists the files here whose package has not been imported into this database yet.
Only the manifest is read (no verification: the import does that).
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from db.models_exchange import ReceivedPackage
from db.store import Store
from lev_desktop.i18n import _
from lev_desktop.paths import output_dir


@dataclass(frozen=True)
class PendingPackage:
    # The fields the home screen uses (the same as the deadlines area's stub) …
    path: str  # where the package file is
    from_office: str  # sender's office code
    from_name: str  # sender's name as shown
    received_at: dt.datetime | None
    summary: str = ""  # e.g. "ลำดับที่ 3 · 104 รายการ"
    # … and what the exchange screen needs.
    package_uuid: str = ""
    sequence: int = 0
    kind: str = "full"
    created_at: dt.datetime | None = None
    size: int = 0


def inbox_dir() -> Path:
    """``Documents\\LEV Desktop\\แพ็กเกจที่ได้รับ``: visible in Explorer, so an officer can save
    e-mail attachments there (the data folder under %LOCALAPPDATA% is hidden)."""
    path = output_dir("inbox")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _manifest(path: Path) -> dict[str, Any] | None:
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("manifest.json")
            if info.file_size > 4 * 1024**2:
                return None
            data = json.loads(archive.read(info).decode("utf-8"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    return data if isinstance(data, dict) else None


def pending_packages(store: Store, folder: Path | None = None) -> list[PendingPackage]:
    """Package files in the inbox folder that this database has not imported yet."""
    folder = folder or inbox_dir()
    with store.read() as session:
        imported = set(session.scalars(select(ReceivedPackage.uuid)))
    out: list[PendingPackage] = []
    for path in sorted(folder.glob("*.levpkg")):
        manifest = _manifest(path)
        if manifest is None or manifest.get("package_uuid") in imported:
            continue
        if store.office_code and manifest.get("recipient") not in (None, store.office_code):
            continue
        sender = manifest.get("sender") or {}
        try:
            created = dt.datetime.fromisoformat(
                str(manifest.get("created_at", "")).replace("Z", "+00:00")
            )
            created = created.astimezone(dt.UTC).replace(tzinfo=None)
        except ValueError:
            created = None
        counts = manifest.get("counts")
        records = (
            sum(v for v in counts.values() if isinstance(v, int)) if isinstance(counts, dict) else 0
        )
        found = manifest.get("sequence")
        sequence = found if isinstance(found, int) else 0
        stat = path.stat()
        out.append(
            PendingPackage(
                path=str(path),
                from_office=str(sender.get("code", "")),
                from_name=str(sender.get("name", "")),
                received_at=dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).replace(tzinfo=None),
                summary=_("sequence {seq} · {count} records").format(seq=sequence, count=records),
                package_uuid=str(manifest.get("package_uuid", "")),
                sequence=sequence,
                kind=str(manifest.get("kind", "full")),
                created_at=created,
                size=stat.st_size,
            )
        )
    return out
