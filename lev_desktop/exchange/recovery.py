"""Recovery package: an office's year back from the office above, after a lost computer.

An LAO whose laptop died and that has no backup asks its district (or the province it reports
to directly) for a recovery package. The district writes, for that one office
(``export_recovery``):

- the office's records as the district holds them (``records/<table>.jsonl``), and
- every package the office sent, byte for byte with the office's own signature
  (``packages/<uuid>.levpkg``; a package the district received relayed is taken out of its
  container unchanged),

listed with their SHA-256 in ``recovery.json``, which the district signs (``recovery.sig``). The
new installation (``read_recovery`` then ``apply_recovery``) checks the district's signature,
every original package's signature and hashes, and which records the originals vouch for; then
writes the records as its own history, remembers the packages as sent, trusts the district's
key and continues the exchange sequence after the last one the district saw (with the gap a
restore leaves, ``continuity.restore.SEQUENCE_GAP``).

The container is not a ``.levpkg``: it is addressed to an office's own records, which no
package may carry, and is read only by this module.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from db.models import AuditEntry, Office, utcnow
from db.models_exchange import ReceivedPackage, SentPackage, TrustedKey
from db.store import Store, replace_setting
from lev_desktop import __version__
from lev_desktop.domain.validation import CLOCK_TOLERANCE
from lev_desktop.exchange import format as fmt
from lev_desktop.exchange import keys
from lev_desktop.exchange.errors import Refusal
from lev_desktop.exchange.exporter import (
    _select_rows,
    ensure_key,
    last_sequence,
    this_office_info,
)
from lev_desktop.exchange.importer import _upsert_sql, _write_offices
from lev_desktop.exchange.jurisdiction import OfficeInfo, is_below
from lev_desktop.exchange.records import MODELS, TABLES, PayloadError, codecs, dump_lines
from lev_desktop.files import write_file
from lev_desktop.i18n import _
from lev_desktop.progress import Progress
from lev_desktop.services.offices import initialise

FORMAT = "lev-recovery"
FORMAT_VERSION = 1
SUFFIX = ".levrecovery"
MANIFEST = "recovery.json"
SIGNATURE = "recovery.sig"
RECORDS_DIR = "records/"
PACKAGES_DIR = "packages/"
SEQUENCE_SETTING = "exchange_sequence"  # exporter.SEQUENCE_SETTING
SEQUENCE_GAP = 1000  # continuity.restore.SEQUENCE_GAP: packages sent after the last one seen


class RecoveryError(ValueError):
    """A recovery package that cannot be written or used; the message is Thai."""


@dataclass
class RecoveryResult:
    path: Path
    office: str
    packages: int
    counts: dict[str, int]
    last_sequence: int


@dataclass
class Recovery:
    """A checked recovery package, ready to apply."""

    path: Path
    manifest: dict[str, Any]
    office: dict[str, Any]  # the office being recovered (OfficeInfo.as_dict)
    issuer: dict[str, Any]  # the office that wrote the package
    issuer_public_key: str
    issuer_fingerprint: str
    office_fingerprint: str  # the office's key the issuer trusts ('' when it never had one)
    last_sequence: int
    records: dict[str, list[dict[str, Any]]]
    payloads: dict[str, bytes]  # table → the JSON Lines as written (decoded again on apply)
    packages: list[dict[str, Any]]  # uuid, sequence, kind, created_at, recipient
    unsigned: int = 0  # records no original package of the office vouches for (Excel forms)
    created_at: str = ""

    @property
    def office_code(self) -> str:
        return str(self.office.get("code", ""))

    @property
    def counts(self) -> dict[str, int]:
        return {t: len(r) for t, r in self.records.items() if r}


@dataclass
class AppliedRecovery:
    office: str
    written: dict[str, int] = field(default_factory=dict)
    packages: int = 0
    sequence: int = 0


# ---- writing (the district) -------------------------------------------------------------------


def _standalone(session: Any, package: ReceivedPackage) -> bytes:
    """The office's package as a file of its own, its signed bytes unchanged."""
    if package.container is None and package.payload is not None:
        return bytes(package.payload)
    container = session.scalar(
        select(ReceivedPackage.payload).where(ReceivedPackage.uuid == package.container)
    )
    if container is None or package.manifest is None or package.signature is None:
        raise RecoveryError(
            _("The package {uuid} of this office is no longer stored here.").format(
                uuid=package.uuid[:8]
            )
        )
    part = fmt.part_from_container(container, package.uuid, package.manifest, package.signature)
    buffer = io.BytesIO()
    fmt.write_package(buffer, part)
    return buffer.getvalue()


def export_recovery(
    store: Store, office_code: str, out: Path | str, *, progress: Progress | None = None
) -> RecoveryResult:
    """Writes the recovery package of an office below this one (records and original packages),
    signed with this office's key."""
    progress = progress or Progress()
    me = this_office_info(store)
    with store.read() as session:
        row = session.scalar(select(Office).where(Office.code == office_code))
        if row is None or not is_below(OfficeInfo.of(row), me):
            raise RecoveryError(
                _("Office {office} does not report to this office; it has no data here.").format(
                    office=office_code
                )
            )
        office = OfficeInfo.of(row)
        received = list(
            session.scalars(
                select(ReceivedPackage)
                .where(
                    ReceivedPackage.sender == office_code,
                    ReceivedPackage.signed.is_(True),
                    ReceivedPackage.result == "imported",
                )
                .order_by(ReceivedPackage.sequence)
            )
        )
        files: dict[str, bytes] = {}
        packages: list[dict[str, Any]] = []
        for index, package in enumerate(received):
            progress(index, len(received) + len(MODELS), _("Collecting the office's packages"))
            name = f"{PACKAGES_DIR}{package.uuid}{fmt.SUFFIX}"
            files[name] = _standalone(session, package)
            packages.append(
                {
                    "uuid": package.uuid,
                    "sequence": package.sequence,
                    "kind": package.kind,
                    "recipient": package.recipient,
                    "created_at": package.created_at.isoformat() if package.created_at else None,
                    "file": name,
                }
            )
        counts: dict[str, int] = {}
        for model in MODELS:
            rows = _select_rows(session, model, office_code, None, None, None)
            if model is Office:  # the issuer's own record: the new office knows where it reports
                rows += [
                    dict(r._mapping)
                    for r in session.execute(
                        select(Office.__table__).where(
                            Office.code == me.code, Office.owner_office == me.code
                        )
                    )
                ]
            if rows:
                rows.sort(key=lambda r: r["id"])
                files[f"{RECORDS_DIR}{model.__tablename__}.jsonl"] = dump_lines(rows)
                counts[model.__tablename__] = len(rows)
            progress(len(received) + MODELS.index(model), len(received) + len(MODELS))
        trusted = session.get(TrustedKey, office_code)
    if not received and not any(t != "offices" for t in counts):
        raise RecoveryError(
            _(
                "This office has received no data from office {office}: there is nothing to "
                "recover."
            ).format(office=office_code)
        )
    key = ensure_key(store, me)
    last = max((int(p["sequence"]) for p in packages), default=0)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "office": office.as_dict(),
        "issuer": me.as_dict(),
        "issuer_key": {
            "algorithm": "ed25519",
            "public_key": keys.public_b64(key),
            "fingerprint": keys.fingerprint(key),
        },
        "office_key_fingerprint": trusted.fingerprint if trusted is not None else "",
        "last_sequence": last,
        "created_at": utcnow().isoformat() + "Z",
        "app_version": __version__,
        "packages": packages,
        "counts": counts,
        "files": {n: {"sha256": fmt.sha256(d), "size": len(d)} for n, d in sorted(files.items())},
    }
    data = fmt.canonical_json(manifest)
    target = Path(out)
    if target.suffix != SUFFIX:
        target = target.with_name(target.name + SUFFIX)
    signature = keys.sign(key, data)

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
                archive.writestr(MANIFEST, data)
                archive.writestr(SIGNATURE, signature)
                for name, content in sorted(files.items()):
                    archive.writestr(name, content)
            handle.flush()
            os.fsync(handle.fileno())

    # the one way a user-visible file is written (a file held open, a USB drive pulled out:
    # a Thai message naming this file, nothing left behind); the audit line only once it is there
    write_file(target, write)
    with store.session() as session:
        session.add(
            AuditEntry(
                officer=store.officer,
                office=me.code,
                table_name="exchange_recovery",
                record_id=office_code,
                action="export",
                changes={"file": target.name, "packages": len(packages), **counts},
            )
        )
    return RecoveryResult(target, office_code, len(packages), counts, last)


# ---- reading (the new installation) ---------------------------------------------------------


def _damaged() -> RecoveryError:
    return RecoveryError(
        _(
            "The recovery package is damaged or was changed after it was written. Please ask "
            "for it again."
        )
    )


def read_recovery(path: Path | str, limits: fmt.Limits = fmt.DEFAULT_LIMITS) -> Recovery:
    """Reads and checks a recovery package; nothing is written. Raises RecoveryError (Thai)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RecoveryError(_("File not found: {name}").format(name=path)) from exc
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _damaged() from exc
    with archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        if len(infos) > limits.max_entries or total > limits.max_total_uncompressed:
            raise _damaged()
        names = {i.filename for i in infos}
        if any(fmt._unsafe_name(n) for n in names) or len(names) != len(infos):
            raise _damaged()
        if MANIFEST not in names or SIGNATURE not in names:
            raise RecoveryError(_("This file is not a LEV Desktop recovery package."))
        try:
            manifest_bytes = archive.read(MANIFEST)
            signature = archive.read(SIGNATURE)
            manifest = json.loads(manifest_bytes)
            contents = {n: archive.read(n) for n in names - {MANIFEST, SIGNATURE}}
        except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
            raise _damaged() from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RecoveryError(_("This file is not a LEV Desktop recovery package."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise RecoveryError(
            _("The recovery package was made by a newer version of LEV Desktop. Please update it.")
        )
    issuer_key = manifest.get("issuer_key") or {}
    public_key = str(issuer_key.get("public_key", ""))
    try:
        fingerprint = keys.fingerprint_of_b64(public_key)
    except (ValueError, TypeError) as exc:
        raise _damaged() from exc
    if fingerprint != issuer_key.get("fingerprint") or not keys.verify(
        public_key, signature, manifest_bytes
    ):
        raise _damaged()
    listed = manifest.get("files") or {}
    if not isinstance(listed, dict) or set(listed) != set(contents):
        raise _damaged()
    for name, meta in listed.items():
        if not isinstance(meta, dict) or fmt.sha256(contents[name]) != meta.get("sha256"):
            raise _damaged()
    office = manifest.get("office") or {}
    code = str(office.get("code") or "")
    if not code:
        raise _damaged()
    office_fp = str(manifest.get("office_key_fingerprint") or "")
    # The office's own packages: each verified as on import, signed by the key the issuer trusts.
    vouched: set[tuple[str, str, int]] = set()
    originals: list[dict[str, Any]] = []
    for entry in manifest.get("packages") or []:
        name = entry.get("file") if isinstance(entry, dict) else None
        if name not in contents:
            raise _damaged()
        try:
            part, _embedded = fmt.open_package(contents[name], limits)
        except Refusal as refusal:
            raise RecoveryError(
                _("A package of the office in the recovery package is not valid: {reason}").format(
                    reason=refusal.message
                )
            ) from refusal
        if (
            part.sender != code
            or part.uuid != entry.get("uuid")
            or (office_fp and part.fingerprint != office_fp)
        ):
            raise _damaged()
        try:
            for payload_name in part.payload_names:
                table = payload_name[len(fmt.PAYLOAD_DIR) : -len(".jsonl")]
                for line in part.load(payload_name).decode("utf-8").splitlines():
                    if line:
                        record = json.loads(line)
                        vouched.add(
                            (table, str(record.get("id")), int(record.get("revision") or 0))
                        )
        except Refusal as refusal:
            raise RecoveryError(
                _("A package of the office in the recovery package is not valid: {reason}").format(
                    reason=refusal.message
                )
            ) from refusal
        finally:
            part.close()
        originals.append(entry)
    records: dict[str, list[dict[str, Any]]] = {}
    payloads: dict[str, bytes] = {}
    unsigned = 0
    for name, content in contents.items():
        if not name.startswith(RECORDS_DIR):
            continue
        table = name[len(RECORDS_DIR) : -len(".jsonl")]
        if table not in TABLES:
            raise _damaged()
        rows = [json.loads(line) for line in content.decode("utf-8").splitlines() if line]
        for row in rows:
            owner = row.get("owner_office")
            if table != "offices" and owner != code:
                raise _damaged()
            if (
                table != "offices"
                and (table, str(row.get("id")), int(row.get("revision") or 0)) not in vouched
            ):
                unsigned += 1
        records[table] = rows
        payloads[table] = content
    return Recovery(
        path=path,
        manifest=manifest,
        office=office,
        issuer=manifest.get("issuer") or {},
        issuer_public_key=public_key,
        issuer_fingerprint=fingerprint,
        office_fingerprint=office_fp,
        last_sequence=int(manifest.get("last_sequence") or 0),
        records=records,
        payloads=payloads,
        packages=originals,
        unsigned=unsigned,
        created_at=str(manifest.get("created_at") or ""),
    )


# ---- applying (the new installation) --------------------------------------------------------


def apply_recovery(store: Store, recovery: Recovery, *, officer: str = "") -> AppliedRecovery:
    """Makes the recovered records this database's own history.

    The database is new (no office yet: it becomes the recovered office) or already the same
    office (restored from an old backup: the recovered records fill in what is missing, the
    higher revision wins). The issuer's key is trusted (the officer confirmed its fingerprint).
    """
    code = recovery.office_code
    if store.office_code and store.office_code != code:
        raise RecoveryError(
            _(
                "This database belongs to office {mine}; the recovery package is for office "
                "{other}."
            ).format(mine=store.office_code, other=code)
        )
    info = recovery.office
    if not store.office_code:
        initialise(
            store,
            level=str(info.get("level") or "lao"),
            code=code,
            name=str(info.get("name") or code),
            lao_type=info.get("lao_type"),
            parent=info.get("parent_code") or recovery.issuer.get("code"),
            province_code=info.get("province_code"),
            district_code=info.get("district_code"),
            officer=officer or store.officer,
        )
    codec_map = codecs(store.engine.dialect)
    mark = "?" if store.engine.dialect.paramstyle == "qmark" else "%s"
    result = AppliedRecovery(office=code)
    now = utcnow()
    latest = now + CLOCK_TOLERANCE  # the import's tolerance for clocks set wrong
    with store.session(importing=True) as session:
        conn = session.connection()
        if store.is_sqlite:
            conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        for model in MODELS:
            table = model.__tablename__
            rows = recovery.records.get(table) or []
            if not rows:
                continue
            codec = codec_map[table]
            try:  # the boundary schema of every travelling record, as on import
                _records, converted = codec.decode(recovery.payloads[table], latest)
            except PayloadError as exc:
                raise RecoveryError(
                    _("The recovery package holds records that are not valid: {reason}").format(
                        reason="; ".join(exc.problems[:3])
                    )
                ) from exc
            if table == "offices":
                mine = [r for r in converted if r[codec.columns.index("code")] != code]
                own = [r for r in converted if r[codec.columns.index("code")] == code]
                _write_offices(conn, codec, mine + own, mark)
            else:
                conn.exec_driver_sql(_upsert_sql(codec, mark, force=False), converted)
            result.written[table] = len(rows)
        known = set(session.scalars(select(SentPackage.uuid)))
        for entry in recovery.packages:
            if entry["uuid"] in known:
                continue
            created = _when(entry.get("created_at")) or now
            session.add(
                SentPackage(
                    uuid=entry["uuid"],
                    recipient=str(entry.get("recipient") or recovery.issuer.get("code") or ""),
                    sequence=int(entry.get("sequence") or 0),
                    kind=str(entry.get("kind") or "full"),
                    started_at=created,
                    created_at=created,
                    created_by=_("recovered from {office}").format(
                        office=recovery.issuer.get("code")
                    ),
                    file_name=Path(str(entry.get("file"))).name,
                    counts={},
                    embedded=[],
                )
            )
            result.packages += 1
        issuer = str(recovery.issuer.get("code") or "")
        if issuer and session.get(TrustedKey, issuer) is None:
            session.add(
                TrustedKey(
                    office_code=issuer,
                    public_key=recovery.issuer_public_key,
                    fingerprint=recovery.issuer_fingerprint,
                    trusted_by=store.officer,
                    via="",
                )
            )
        current = last_sequence(session)
        result.sequence = max(current, recovery.last_sequence + SEQUENCE_GAP)
        replace_setting(session, SEQUENCE_SETTING, result.sequence)
        session.add(
            AuditEntry(
                officer=store.officer,
                office=code,
                table_name="exchange_recovery",
                record_id=recovery.manifest.get("created_at", "")[:36],
                action="recovery",
                changes={
                    "from": issuer,
                    "file": recovery.path.name,
                    "packages": len(recovery.packages),
                    "sequence": result.sequence,
                    **result.written,
                },
            )
        )
    return result


def _when(text: Any) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


__all__ = [
    "SUFFIX",
    "AppliedRecovery",
    "Recovery",
    "RecoveryError",
    "RecoveryResult",
    "apply_recovery",
    "export_recovery",
    "read_recovery",
]
