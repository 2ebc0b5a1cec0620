"""Packages received and not yet imported, for the home screen and the exchange screen.

An office drops the package files it receives (e-mail attachments, USB stick) into the
inbox folder under Documents (``inbox_dir``), or the exchange screen opens them from anywhere.
The home screen lists the files here whose package has not been imported into this database yet,
and says of each what is true whatever the file claims: every file is checked as the import
checks it (``format.open_package``: structure, signatures; then each payload against the signed
manifest), and its sender is judged by the keys this database trusts. Only a file from a
trusted key is named by its office's name in this database; a correctly signed file from a key
not trusted yet shows the name it claims, marked as claimed; a file that cannot be verified
(damaged, changed after signing, not a package) is listed with a short reason and never offered
for import.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from db.models_exchange import ReceivedPackage, TrustedKey
from db.store import Store
from lev_desktop.exchange import format as fmt
from lev_desktop.exchange.errors import Refusal
from lev_desktop.i18n import N_, _, current_language
from lev_desktop.paths import output_dir
from lev_desktop.services.offices import office_names

log = logging.getLogger(__name__)

# What the check found, per file.
VERIFIED = "verified"  # signed by the key this office trusts for the sender
UNTRUSTED = "untrusted"  # signed correctly, by a key this office does not trust yet
KEY_CHANGED = "key_changed"  # signed correctly, by another key than the one trusted
DAMAGED = "damaged"  # cannot be verified: damaged, changed after signing, not a package

# A refusal's code → the short reason shown in the list (the import says it at length).
_REASONS = {
    "truncated": N_("The file is damaged or incomplete"),
    "unreadable": N_("The file cannot be read"),
    "bad_signature": N_("The signature does not match: the file was changed after it was signed"),
    "hash_mismatch": N_("Its contents do not match the signature: changed or damaged"),
    "no_signature": N_("It has no electronic signature"),
    "unknown_version": N_("It was made by a newer version of LEV Desktop"),
    "zip_bomb": N_("It would unpack to far more data than a package can hold"),
    "too_large": N_("It holds more data than a package can hold"),
    "office_identity": N_("The name it gives its sender is not a name"),
    "key_of_another_office": N_("It is signed with the key of another office"),
}
_NOT_A_PACKAGE = N_("It is not a LEV Desktop package")


@dataclass(frozen=True)
class PendingPackage:
    # The fields the home screen uses …
    path: str  # where the package file is
    from_office: str  # sender's office code (as signed; "" when the file cannot be verified)
    from_name: str  # who it is from, as shown (see ``check``)
    received_at: dt.datetime | None
    summary: str = ""  # e.g. "ลำดับที่ 3 · 104 รายการ"
    # … and what the exchange screen needs.
    package_uuid: str = ""
    sequence: int = 0
    kind: str = "full"
    created_at: dt.datetime | None = None
    size: int = 0
    check: str = VERIFIED  # VERIFIED, UNTRUSTED, KEY_CHANGED or DAMAGED
    problem: str = ""  # why it is not VERIFIED, in a short sentence
    detail: str = ""  # the import's full reason for a file that cannot be verified

    @property
    def importable(self) -> bool:
        return self.check != DAMAGED

    @property
    def file_name(self) -> str:
        return Path(self.path).name

    @property
    def check_text(self) -> str:
        """The chip's word: what the check found."""
        return {
            VERIFIED: _("Verified"),
            UNTRUSTED: _("Key not trusted yet"),
            KEY_CHANGED: _("Different key"),
        }.get(self.check, _("Cannot be verified"))


def inbox_dir() -> Path:
    """``Documents\\LEV Desktop\\แพ็กเกจที่ได้รับ``: visible in Explorer, so an officer can save
    e-mail attachments there (the data folder under %LOCALAPPDATA% is hidden)."""
    path = output_dir("inbox")
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class _Checked:
    """What a file holds once verified (nothing in it is read before its signature is)."""

    uuid: str
    recipient: str | None
    sender: str
    claimed_name: str
    fingerprint: str
    sequence: int
    kind: str
    created_at: dt.datetime | None
    records: int
    keys: tuple[tuple[str, str], ...] = ()  # (office, fingerprint) of every part, relaying first


def _check(path: Path) -> _Checked:
    """The file checked as the import checks it: its structure and every signature
    (``open_package``), then every payload and Excel form against its signed manifest, of the
    outer package and of each one relayed in it. Raises Refusal."""
    outer, embedded = fmt.open_package(path)
    try:
        for part in (outer, *embedded):
            part.check_files()
    finally:
        outer.close()
    manifest = outer.manifest
    sender = manifest["sender"]
    # (the list shows the claimed name: one with a line break or a direction control drew
    # another office's name or a reversed code there, and the import refuses it)
    refusal = fmt.claimed_name_refusal(outer.sender, str(sender.get("name") or ""))
    if refusal:
        raise Refusal("office_identity", refusal)
    shared = fmt.shared_key([outer, *embedded])
    if shared is not None:  # (one key signing two offices' parts: the import refuses it)
        raise Refusal("key_of_another_office", fmt.key_of_another_office(*shared))
    counts = manifest.get("counts") or {}
    return _Checked(
        uuid=outer.uuid,
        recipient=manifest.get("recipient"),
        sender=outer.sender,
        claimed_name=str(sender.get("name") or ""),
        fingerprint=outer.fingerprint,
        sequence=outer.sequence,
        kind=str(manifest.get("kind") or "full"),
        created_at=_parse_created(manifest.get("created_at")),
        records=sum(v for v in counts.values() if isinstance(v, int)),
        keys=tuple((p.sender, p.fingerprint) for p in fmt.relaying_first([outer, *embedded])),
    )


# The last check of each file, by what identifies its content on the disk (size, times, file
# id): the home screen lists the inbox again after every change in the app, and a file checked
# once is not read again until it changes (200 LAO packages: ~130 ms checked, ~8 ms remembered).
# Trust and "imported already" are judged afresh each time: they are this database's. What a
# verified file holds is the same in every language; a refusal's message (the import's words,
# ``detail``) is worded when the file is checked, so it is kept with its language and checked
# again once the interface speaks another (a restore bringing another language setting).
_Identity = tuple[int, int, int, int]
_Kept = tuple[_Identity, str, _Checked | Refusal]  # (identity, language of a refusal, result)
_checked: dict[str, _Kept] = {}


def _identity(stat: os.stat_result) -> _Identity:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _check_once(path: Path, stat: os.stat_result, seen: dict[str, _Kept]) -> _Checked | Refusal:
    identity, language = _identity(stat), current_language()
    known = _checked.get(str(path))
    if (
        known is not None
        and known[0] == identity
        and (isinstance(known[2], _Checked) or known[1] == language)
    ):
        result = known[2]
    else:
        try:
            result = _check(path)
        except Refusal as refusal:
            result = Refusal(refusal.code, refusal.message)  # (kept without its traceback)
        except Exception:  # (open_package refuses what it can read; anything else too)
            log.warning("inbox: %s could not be checked", path.name, exc_info=True)
            result = Refusal("unexpected", "")
    seen[str(path)] = (identity, language, result)
    return result


def _parse_created(value: object) -> dt.datetime | None:
    try:
        created = dt.datetime.fromisoformat(str(value or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    if created.tzinfo is None:
        return created
    return created.astimezone(dt.UTC).replace(tzinfo=None)


def _reason(refusal: Refusal) -> str:
    return _(_REASONS.get(refusal.code, _NOT_A_PACKAGE))


def _refused(
    path: Path, stat: os.stat_result, received: dt.datetime, refusal: Refusal
) -> PendingPackage:
    """A file listed as the import would refuse it: not offered, its reason and the import's
    words beside it."""
    return PendingPackage(
        path=str(path),
        from_office="",
        from_name="",
        received_at=received,
        size=stat.st_size,
        check=DAMAGED,
        problem=_reason(refusal),
        detail=refusal.message or _reason(refusal),
    )


def pending_packages(store: Store, folder: Path | None = None) -> list[PendingPackage]:
    """Package files in the inbox folder that this database has not imported yet, each
    verified (see the module's docstring); a file that cannot be verified is listed too."""
    folder = folder or inbox_dir()
    with store.read() as session:
        imported = set(session.scalars(select(ReceivedPackage.uuid)))
        query = select(TrustedKey.office_code, TrustedKey.fingerprint)
        trusted = {row[0]: row[1] for row in session.execute(query)}
    holders = {fingerprint: code for code, fingerprint in trusted.items()}
    names: dict[str, str] | None = None  # read once, when a trusted sender is first met
    out: list[PendingPackage] = []
    seen: dict[str, _Kept] = {}
    for path in sorted(folder.glob("*.levpkg")):
        try:
            stat = path.stat()
        except OSError:
            continue  # (gone meanwhile)
        received = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).replace(tzinfo=None)
        found = _check_once(path, stat, seen)
        if isinstance(found, Refusal):
            out.append(_refused(path, stat, received, found))
            continue
        if found.uuid in imported:
            continue
        if store.office_code and found.recipient not in (None, store.office_code):
            continue  # addressed to another office
        stolen = next(
            ((code, holders[fp]) for code, fp in found.keys if holders.get(fp, code) != code), None
        )
        if stolen is not None:  # signed with a key trusted here for another office
            if names is None:
                names = office_names(store)
            code, holder = stolen
            refusal = Refusal(
                "key_of_another_office",
                fmt.key_of_another_office(code, holder, names.get(holder, "")),
            )
            out.append(_refused(path, stat, received, refusal))
            continue
        claimed = _("The sender says it is {name} ({code})").format(
            name=found.claimed_name or "-", code=found.sender
        )
        key = trusted.get(found.sender)
        if key is None:
            check, name = UNTRUSTED, claimed
            problem = _("Check the key fingerprint of {code} before importing.").format(
                code=found.sender
            )
        elif key != found.fingerprint:
            check, name = KEY_CHANGED, claimed
            problem = _(
                "Signed with another key than the one this office trusts for {code}."
            ).format(code=found.sender)
        else:
            if names is None:
                names = office_names(store)
            check, name, problem = VERIFIED, names.get(found.sender) or claimed, ""
        out.append(
            PendingPackage(
                path=str(path),
                from_office=found.sender,
                from_name=name,
                received_at=received,
                summary=_("sequence {seq} · {count} records").format(
                    seq=found.sequence, count=found.records
                ),
                package_uuid=found.uuid,
                sequence=found.sequence,
                kind=found.kind,
                created_at=found.created_at,
                size=stat.st_size,
                check=check,
                problem=problem,
            )
        )
    _checked.clear()  # (what is no longer in the folder is forgotten)
    _checked.update(seen)
    return out
