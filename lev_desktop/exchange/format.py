"""The package file (.levpkg): a zip with a manifest, its detached Ed25519 signature, payload
files as JSON Lines, and (in an upward package) the original packages of the offices below,
each with its own manifest and signature. See ``docs/exchange-format.md``.

Reading is defensive: every check that can refuse a file runs before anything is written,
and the zip is never extracted to disk (so no path in it can point anywhere).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lev_desktop import __version__
from lev_desktop.exchange import keys
from lev_desktop.exchange.errors import Refusal
from lev_desktop.i18n import _

FORMAT = "lev-package"
FORMAT_VERSION = 1
SUPPORTED_VERSIONS = (1,)
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PAYLOAD_DIR = "payload/"
EMBEDDED_DIR = "embedded/"
SUFFIX = ".levpkg"


@dataclass(frozen=True)
class Limits:
    """What a package may unpack to. A national package (~570 k records) is ~300 MB."""

    max_total_uncompressed: int = 2 * 1024**3
    max_ratio: float = 200.0  # uncompressed / compressed, per entry and in total
    ratio_floor: int = 1024 * 1024  # entries smaller than this are not held to the ratio
    max_entries: int = 250_000
    max_manifest: int = 4 * 1024**2


DEFAULT_LIMITS = Limits()


@dataclass
class Part:
    """One signed package: the outer one, or one embedded (relayed) inside it."""

    manifest: dict[str, Any]
    manifest_bytes: bytes
    signature: bytes
    payloads: dict[str, bytes] = field(default_factory=dict)  # "payload/x.jsonl" → bytes
    relayed_by: str = ""
    container: bytes | None = None  # the whole file, for the outer part

    @property
    def uuid(self) -> str:
        return str(self.manifest.get("package_uuid", ""))

    @property
    def sender(self) -> str:
        return str((self.manifest.get("sender") or {}).get("code", ""))

    @property
    def sequence(self) -> int:
        return int(self.manifest.get("sequence") or 0)

    @property
    def fingerprint(self) -> str:
        return str((self.manifest.get("sender_key") or {}).get("fingerprint", ""))

    @property
    def public_key(self) -> str:
        return str((self.manifest.get("sender_key") or {}).get("public_key", ""))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


# ---- writing ------------------------------------------------------------------------------


def build_manifest(
    *,
    package_uuid: str,
    kind: str,
    base: str | None,
    sender: dict[str, Any],
    key: Ed25519PrivateKey,
    recipient: str,
    sequence: int,
    created_at: str,
    payloads: dict[str, bytes],
    counts: dict[str, int],
    filters: dict[str, Any] | None = None,
    embedded: list[Part] | None = None,
    source: str = "app",
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "package_uuid": package_uuid,
        "kind": kind,
        "base_package": base,
        "sender": sender,
        "sender_key": {
            "algorithm": "ed25519",
            "public_key": keys.public_b64(key),
            "fingerprint": keys.fingerprint(key),
        },
        "recipient": recipient,
        "sequence": sequence,
        "created_at": created_at,
        "app_version": __version__,
        "source": source,
        "filters": filters or {},
        "counts": counts,
        "files": {
            name: {"sha256": sha256(data), "size": len(data)}
            for name, data in sorted(payloads.items())
        },
        "embedded": [
            {
                "uuid": p.uuid,
                "sender": p.sender,
                "sequence": p.sequence,
                "manifest_sha256": sha256(p.manifest_bytes),
            }
            for p in (embedded or [])
        ],
    }


def sign_part(manifest: dict[str, Any], payloads: dict[str, bytes], key: Ed25519PrivateKey) -> Part:
    data = canonical_json(manifest)
    return Part(
        manifest=manifest, manifest_bytes=data, signature=keys.sign(key, data), payloads=payloads
    )


def write_package(target: Path | io.BytesIO, outer: Part, embedded: Sequence[Part] = ()) -> int:
    """Writes the zip (atomically when ``target`` is a path); returns its size in bytes."""

    def _write(handle: Any) -> None:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            archive.writestr(MANIFEST, outer.manifest_bytes)
            archive.writestr(SIGNATURE, outer.signature)
            for name, data in sorted(outer.payloads.items()):
                archive.writestr(name, data)
            for part in embedded:
                root = f"{EMBEDDED_DIR}{part.uuid}/"
                archive.writestr(root + MANIFEST, part.manifest_bytes)
                archive.writestr(root + SIGNATURE, part.signature)
                for name, data in sorted(part.payloads.items()):
                    archive.writestr(root + name, data)

    if isinstance(target, io.BytesIO):
        _write(target)
        return target.tell()
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    try:
        with open(tmp, "wb") as handle:
            _write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return target.stat().st_size


def part_from_container(
    container: bytes, package_uuid: str, manifest: bytes, signature: bytes
) -> Part:
    """A package kept in ``exchange_received`` → a Part to embed again, bytes unchanged.

    ``container`` is the file as it was received; the package is either that file's own
    (outer) package or one of the packages embedded in it.
    """
    payloads: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(container)) as archive:
        names = set(archive.namelist())
        root = (
            ""
            if (MANIFEST in names and archive.read(MANIFEST) == manifest)
            else f"{EMBEDDED_DIR}{package_uuid}/"
        )
        if archive.read(root + MANIFEST) != manifest:
            raise ValueError(f"stored package {package_uuid} does not match its container")
        listed = json.loads(manifest).get("files") or {}
        for name in listed:
            payloads[name] = archive.read(root + name)
    return Part(
        manifest=json.loads(manifest),
        manifest_bytes=manifest,
        signature=signature,
        payloads=payloads,
    )


# ---- reading ------------------------------------------------------------------------------


def _unsafe_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return True
    if len(name) > 1 and name[1] == ":":  # C:foo
        return True
    return any(piece in ("..", "") for piece in name.rstrip("/").split("/"))


def _damaged() -> Refusal:
    return Refusal(
        "truncated",
        _(
            "The package file is damaged or incomplete (it may have been cut "
            "off while copying). Please ask the sender for the file again."
        ),
    )


def open_package(source: Path | bytes, limits: Limits = DEFAULT_LIMITS) -> tuple[Part, list[Part]]:
    """Reads and checks a package: structure, sizes, signatures and hashes.

    Returns the outer part and the embedded parts (in the order the manifest lists them).
    Raises ``Refusal`` with a Thai reason for anything wrong; nothing is extracted to disk.
    Trust (whose key it is) is decided by the importer, not here.
    """
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as exc:
        raise Refusal(
            "unreadable",
            _("The package file cannot be read: {name}").format(
                name=getattr(exc, "filename", "") or str(source)
            ),
        ) from exc
    if len(data) > limits.max_total_uncompressed:
        raise _bomb()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise _damaged() from exc
    with archive:
        outer, embedded = _read_archive(archive, limits)
    outer.container = data
    return outer, embedded


def _read_archive(archive: zipfile.ZipFile, limits: Limits) -> tuple[Part, list[Part]]:
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise Refusal(
            "too_large",
            _(
                "The package has too many files in it ({count}); it is not "
                "a LEV package or it was made to harm the computer."
            ).format(count=len(infos)),
        )
    names: set[str] = set()
    total = 0
    compressed = 0
    for info in infos:
        if _unsafe_name(info.filename):
            raise Refusal(
                "unsafe_path",
                _(
                    "The package contains a file with an unsafe path "
                    "(“{name}”). It was not imported."
                ).format(name=info.filename[:80]),
            )
        if info.filename in names:
            raise Refusal(
                "unsafe_path",
                _("The package contains the file “{name}” twice. It was not imported.").format(
                    name=info.filename[:80]
                ),
            )
        names.add(info.filename)
        total += info.file_size
        compressed += info.compress_size
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise _bomb()
    if total > limits.max_total_uncompressed:
        raise _bomb()
    if total > limits.ratio_floor and total > limits.max_ratio * max(compressed, 1):
        raise _bomb()

    budget = [limits.max_total_uncompressed]

    def read(name: str, cap: int | None = None) -> bytes:
        info = archive.getinfo(name)
        allowed = min(budget[0], cap if cap is not None else budget[0])
        try:
            with archive.open(info) as stream:
                data = stream.read(allowed + 1)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise _damaged() from exc
        if len(data) > allowed:  # the header lied about the size
            raise _bomb()
        budget[0] -= len(data)
        return data

    if MANIFEST not in names or SIGNATURE not in names:
        if MANIFEST in names:
            raise Refusal(
                "no_signature",
                _(
                    "The package has no electronic signature. It was not "
                    "imported; please ask the sender to export it again "
                    "from LEV Desktop."
                ),
            )
        raise Refusal("not_a_package", _("This file is not a LEV Desktop package (no manifest)."))
    outer = _read_part(read, "", names, limits)
    embedded: list[Part] = []
    listed = outer.manifest.get("embedded") or []
    if not isinstance(listed, list):
        raise _format_error()
    for entry in listed:
        if not isinstance(entry, dict) or not isinstance(entry.get("uuid"), str):
            raise _format_error()
        root = f"{EMBEDDED_DIR}{entry['uuid']}/"
        if not _is_uuid(entry["uuid"]) or root + MANIFEST not in names:
            raise Refusal(
                "hash_mismatch",
                _(
                    "A package listed in the manifest is missing from "
                    "the file. It was not imported."
                ),
            )
        part = _read_part(read, root, names, limits)
        if part.uuid != entry["uuid"] or sha256(part.manifest_bytes) != entry.get(
            "manifest_sha256"
        ):
            raise Refusal(
                "hash_mismatch",
                _(
                    "A relayed package does not match the manifest that "
                    "lists it (checksum differs). It was not imported."
                ),
            )
        part.relayed_by = outer.sender
        embedded.append(part)
    expected = {MANIFEST, SIGNATURE, *outer.payloads}
    for part in embedded:
        root = f"{EMBEDDED_DIR}{part.uuid}/"
        expected |= {root + MANIFEST, root + SIGNATURE, *(root + n for n in part.payloads)}
    extra = sorted(n for n in names - expected if not n.endswith("/"))
    if extra:
        raise Refusal(
            "hash_mismatch",
            _(
                "The package contains a file that its manifest does not "
                "list (“{name}”). It was not imported."
            ).format(name=extra[0][:80]),
        )
    return outer, embedded


def _is_uuid(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def _bomb() -> Refusal:
    return Refusal(
        "zip_bomb",
        _(
            "The package would unpack to far more data than a LEV package can "
            "hold (too large or too highly compressed). It was not imported."
        ),
    )


def _format_error() -> Refusal:
    return Refusal(
        "bad_format", _("The package manifest is not in the expected format. It was not imported.")
    )


def _read_part(
    read: Callable[[str, int | None], bytes], root: str, names: set[str], limits: Limits
) -> Part:
    manifest_bytes = read(root + MANIFEST, limits.max_manifest)
    if root + SIGNATURE not in names:
        raise Refusal(
            "no_signature",
            _(
                "The package has no electronic signature. It was not "
                "imported; please ask the sender to export it again "
                "from LEV Desktop."
            ),
        )
    signature = read(root + SIGNATURE, 1024)
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _format_error() from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _format_error()
    version = manifest.get("format_version")
    if version not in SUPPORTED_VERSIONS:
        raise Refusal(
            "unknown_version",
            _(
                "The package uses format version {version}, which this "
                "version of LEV Desktop does not know. Please update "
                "LEV Desktop, or ask the sender to use the same "
                "version."
            ).format(version=version),
        )
    key = manifest.get("sender_key") or {}
    sender = manifest.get("sender") or {}
    if (
        not isinstance(key, dict)
        or not isinstance(sender, dict)
        or not sender.get("code")
        or not isinstance(sender.get("code"), str)
        or len(sender["code"]) > 32
        or not _is_uuid(manifest.get("package_uuid"))
        or (manifest.get("base_package") is not None and not _is_uuid(manifest["base_package"]))
        or not isinstance(manifest.get("sequence"), int)
        or isinstance(manifest["sequence"], bool)
        or manifest["sequence"] < 1
        or not isinstance(manifest.get("recipient"), str)
        or manifest.get("kind") not in ("full", "delta")
    ):
        raise _format_error()
    public_key = str(key.get("public_key", ""))
    try:
        actual_fp = keys.fingerprint_of_b64(public_key)
    except (ValueError, TypeError) as exc:
        raise Refusal(
            "bad_signature",
            _(
                "The electronic signature of the package from {office} is "
                "not valid. It was not imported; please ask for the file "
                "again."
            ).format(office=sender.get("code")),
        ) from exc
    if actual_fp != key.get("fingerprint") or not keys.verify(
        public_key, signature, manifest_bytes
    ):
        raise Refusal(
            "bad_signature",
            _(
                "The electronic signature of the package from {office} is "
                "not valid (the file was changed after it was signed). It "
                "was not imported; please ask for the file again."
            ).format(office=sender.get("code")),
            office=str(sender.get("code")),
        )
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise _format_error()
    payloads: dict[str, bytes] = {}
    for name, meta in files.items():
        if (
            not isinstance(name, str)
            or not name.startswith(PAYLOAD_DIR)
            or _unsafe_name(name)
            or not isinstance(meta, dict)
        ):
            raise Refusal(
                "unsafe_path",
                _(
                    "The package contains a file with an unsafe path "
                    "(“{name}”). It was not imported."
                ).format(name=str(name)[:80]),
            )
        full = root + name
        if full not in names:
            raise Refusal(
                "hash_mismatch",
                _(
                    "The file “{name}” listed in the manifest is missing "
                    "from the package. It was not imported."
                ).format(name=name),
            )
        data = read(full, None)
        if sha256(data) != meta.get("sha256"):
            raise Refusal(
                "hash_mismatch",
                _(
                    "The checksum (SHA-256) of “{name}” does not match the "
                    "manifest: the file was changed or damaged. It was not "
                    "imported."
                ).format(name=name),
                office=str(sender.get("code")),
            )
        payloads[name] = data
    return Part(
        manifest=manifest, manifest_bytes=manifest_bytes, signature=signature, payloads=payloads
    )
