"""The package file (.levpkg): a zip with a manifest, its detached Ed25519 signature, payload
files as JSON Lines, and (in an upward package) the original packages of the offices below,
each with its own manifest and signature. See ``docs/exchange-format.md``.

Reading is defensive: every check that can refuse a file runs before anything is written,
and the zip is never extracted to disk (so no path in it can point anywhere).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import struct
import uuid
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lev_desktop import __version__
from lev_desktop.domain.validation import (
    DATETIME_PATTERN,
    UUID_PATTERN,
    field_label,
    office_name_problem,
)
from lev_desktop.exchange import keys
from lev_desktop.exchange.errors import Refusal
from lev_desktop.files import held_message
from lev_desktop.i18n import _

FORMAT = "lev-package"
FORMAT_VERSION = 1
# 2: the package also carries Excel forms the sender entered for offices below it ("excel");
# a package without them is still written as 1, so that older readers take it.
EXCEL_FORMAT_VERSION = 2
SUPPORTED_VERSIONS = (1, 2)
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PAYLOAD_DIR = "payload/"
EMBEDDED_DIR = "embedded/"
EXCEL_DIR = "excel/"
SUFFIX = ".levpkg"


@dataclass(frozen=True)
class Limits:
    """What a package may hold. An LAO's year of data is ~10 KB; a province's upward package
    (200 LAOs) ~2 MB. The reader streams from the file and holds one payload at a time, so
    what it may take in memory is bounded by the per-part limits, whatever the file claims."""

    max_total_uncompressed: int = 2 * 1024**3  # the file, and everything it unpacks to
    max_ratio: float = 200.0  # uncompressed / compressed, per entry and in total
    ratio_floor: int = 1024 * 1024  # entries smaller than this are not held to the ratio
    max_entries: int = 250_000
    max_manifest: int = 4 * 1024**2
    # One signed package's payload files together, by the level its sender claims.
    max_part: tuple[tuple[str, int], ...] = (
        ("lao", 16 * 1024**2),
        ("district", 64 * 1024**2),
        ("province", 64 * 1024**2),
        ("national", 128 * 1024**2),
    )

    def part_limit(self, level: Any) -> int:
        return dict(self.max_part).get(str(level), min(size for _l, size in self.max_part))


DEFAULT_LIMITS = Limits()
# A package file up to this size is read whole, once, then its entries from memory (an LAO's
# ~10 KB, a province's upward ~2 MB); a larger one (a national upward package, ~80 MB) is read
# an entry at a time from the disk.
READ_WHOLE = 8 * 1024**2


_KEPT = ("package_uuid", "sequence", "sender", "sender_key")  # what Part.slim keeps


@dataclass
class Part:
    """One signed package: the outer one, or one embedded (relayed) inside it."""

    manifest: dict[str, Any]
    manifest_bytes: bytes
    signature: bytes
    payloads: dict[str, bytes] = field(default_factory=dict)  # "payload/x.jsonl" → bytes
    relayed_by: str = ""
    container: bytes | None = None  # the whole file, for the outer part (read at commit)
    source: Path | None = None  # the file the outer part was read from
    source_sha256: str = ""  # of that file as checked, so that what is stored is what was read
    files: dict[str, tuple[str, int]] = field(default_factory=dict)  # name → (sha256, size)
    reader: _Reader | None = None  # where the payloads are read from, one at a time
    root: str = ""  # "" or "embedded/<uuid>/"
    budget: int = 0  # what this part's payloads may unpack to together
    # Excel forms the sender entered for offices below it, each with the records it wrote
    # (``excel/<uuid>/kpi_values.jsonl``, listed with their hash in the signed manifest).
    excel: list[dict[str, Any]] = field(default_factory=list)
    attachments: dict[str, bytes] = field(default_factory=dict)  # written beside the payloads

    def load_excel(self, entry: dict[str, Any]) -> bytes:
        """The records of one Excel entry, checked against the signed manifest (Refusal)."""
        name = str(entry["file"])
        if self.reader is None:
            data = self.attachments[name]
        else:
            data = self.reader.read(name, self.budget)
        if len(data) != entry["size"] or sha256(data) != entry["sha256"]:
            raise Refusal(
                "hash_mismatch",
                _(
                    "The checksum (SHA-256) of “{name}” does not match the "
                    "manifest: the file was changed or damaged. It was not "
                    "imported."
                ).format(name=name),
                office=self.sender,
            )
        return data

    def check_files(self) -> None:
        """Every payload and Excel entry of this part read and checked against its signed
        manifest, nothing kept: a part that is not compared record by record (one already
        imported, a file in the inbox) is still refused when a copy was changed or damaged."""
        for name in self.payload_names:
            self.load(name)
        for entry in self.excel:
            self.load_excel(entry)

    @property
    def kept(self) -> int:
        """Bytes of the package file this part holds in memory until ``slim`` (open_package)."""
        return self.reader.kept if self.reader is not None else 0

    @property
    def payload_names(self) -> list[str]:
        return list(self.files) if self.reader is not None else list(self.payloads)

    def load(self, name: str) -> bytes:
        """One payload file, read and checked against the signed manifest (size and SHA-256)
        now: a package's payloads are never all in memory at once. Raises Refusal."""
        if self.reader is None:
            return self.payloads[name]
        expected, size = self.files[name]
        data = self.reader.read(self.root + name, self.budget)
        if len(data) != size or sha256(data) != expected:
            raise Refusal(
                "hash_mismatch",
                _(
                    "The checksum (SHA-256) of “{name}” does not match the "
                    "manifest: the file was changed or damaged. It was not "
                    "imported."
                ).format(name=name),
                office=self.sender,
            )
        return data

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()

    def slim(self) -> None:
        """After the preview compared this part: keeps what the commit stores (the manifest and
        signature exactly as signed, the file as checked) and the fields the properties name;
        drops the parsed manifest's file list and the rest (a national import holds 7,850
        parts until its commit: ~7 KB of Python objects each)."""
        self.manifest = {key: self.manifest[key] for key in _KEPT if key in self.manifest}
        self.files = {}
        self.excel = []
        if self.reader is not None:
            self.reader.forget()

    def read_container(self) -> bytes | None:
        """The file as received, to keep for relaying upward; the same bytes that were checked
        (a file changed since the preview is refused rather than stored)."""
        if self.container is not None or self.source is None:
            return self.container
        data = self.source.read_bytes()
        if sha256(data) != self.source_sha256:
            raise Refusal(
                "changed",
                _(
                    "The package file {name} was changed after it was checked. Please check "
                    "and import it again."
                ).format(name=self.source.name),
            )
        return data

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


# ---- the manifest's schema (docs/exchange-format.md) ---------------------------------------------

_Hex64 = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}\Z")]
_Uuid = Annotated[str, msgspec.Meta(pattern=UUID_PATTERN)]
_Code = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
MAX_SEQUENCE = 1_000_000_000


def unreadable(exc: OSError, name: str) -> Refusal:
    """A package or form file that could not be read: held by another program (Windows: the
    sharing violation of a file Excel, a mail program or an antivirus has open) is said so,
    with what to do; any other error names the file."""
    return Refusal(
        "unreadable",
        held_message(exc, name) or _("The package file cannot be read: {name}").format(name=name),
    )


def shown_code(code: str) -> str:
    """A claimed office code for a message: anything but printable ASCII as U+XXXX."""
    return "".join(ch if 0x20 < ord(ch) < 0x7F else f"U+{ord(ch):04X}" for ch in code[:40])


def claimed_name_refusal(sender: str, name: str) -> str | None:
    """Why a package whose manifest says its sender is called ``name`` is refused (Thai), or
    None. The claimed name is read before the key is trusted, beside its fingerprint (the
    import's trust box) and in the inbox's list: a line break drew a false fingerprint, a
    direction control reversed a code (``validation.office_name_problem``)."""
    problem = office_name_problem(name)
    if problem is None:
        return None
    return _("The package from {office} was not imported: {problem}").format(
        office=shown_code(sender), problem=f"{field_label('name')}: {problem}"
    )


def known_office(code: str, name: str = "") -> str:
    """An office as a message names it: its code, and its Thai name where this office has it
    on record (UI.md: a code is never shown alone). Only names on record: a name a package
    merely claims is shown beside its key, never as what a refusal calls an office."""
    return f"{shown_code(code)} ({name})" if name else shown_code(code)


def key_of_another_office(sender: str, holder: str, holder_name: str = "") -> str:
    """Why a package of ``sender`` signed with the key of office ``holder`` is refused (the
    import and the inbox's list say the same); ``holder_name`` as this office has it on
    record."""
    return _(
        "The package from {office} is signed with the key of office {other}, not with "
        "a key of its own: a package is signed by the office that made it, so this one "
        "was changed or made by another office. It was not imported."
    ).format(office=shown_code(sender), other=known_office(holder, holder_name))


def shared_key(parts: Sequence[Part]) -> tuple[str, str] | None:
    """(sender, holder) when two offices' parts of one file are signed with one key: the key
    counts first as the outer office's, then a relayed non-LAO office's (a district's package
    relayed on by its province), then an LAO's, so that the LAO part is the one named."""
    holders: dict[str, str] = {}
    for part in relaying_first(parts):
        holder = holders.setdefault(part.fingerprint, part.sender)
        if holder != part.sender:
            return part.sender, holder
    return None


def relaying_first(parts: Sequence[Part]) -> list[Part]:
    """``parts`` (the outer one first) with the relayed parts of offices above LAOs before the
    LAOs' (the order in which a shared key is taken as an office's own)."""
    first, *rest = parts
    lao = [p for p in rest if _level(p) == "lao"]
    return [first, *(p for p in rest if _level(p) != "lao"), *lao]


def _level(part: Part) -> str:
    return str((part.manifest.get("sender") or {}).get("level") or "")


class _Sender(msgspec.Struct, forbid_unknown_fields=True):
    code: _Code
    name: Annotated[str, msgspec.Meta(max_length=200)] = ""
    level: Literal["lao", "district", "province", "national"] = "lao"
    lao_type: Annotated[str, msgspec.Meta(max_length=32)] | None = None
    province_code: Annotated[str, msgspec.Meta(max_length=2)] | None = None
    district_code: Annotated[str, msgspec.Meta(max_length=4)] | None = None
    parent_code: _Code | None = None


class _Key(msgspec.Struct, forbid_unknown_fields=True):
    algorithm: Literal["ed25519"]
    public_key: Annotated[str, msgspec.Meta(max_length=64)]
    fingerprint: _Hex64


class _File(msgspec.Struct, forbid_unknown_fields=True):
    sha256: _Hex64
    size: Annotated[int, msgspec.Meta(ge=0, le=2 * 1024**3)]


class _Embedded(msgspec.Struct, forbid_unknown_fields=True):
    uuid: _Uuid
    sender: _Code
    sequence: Annotated[int, msgspec.Meta(ge=1, le=MAX_SEQUENCE)]
    manifest_sha256: _Hex64


class _Excel(msgspec.Struct, forbid_unknown_fields=True):
    """An Excel form the sender entered for an office below it (format version 2)."""

    uuid: _Uuid
    office: _Code
    entered_by: Annotated[str, msgspec.Meta(max_length=120)]
    entered_at: Annotated[str, msgspec.Meta(pattern=DATETIME_PATTERN)]
    entered_office: _Code
    form_sha256: _Hex64
    file: Annotated[str, msgspec.Meta(max_length=200)]
    sha256: _Hex64
    size: Annotated[int, msgspec.Meta(ge=0, le=2 * 1024**3)]
    records: Annotated[int, msgspec.Meta(ge=0, le=100_000_000)]


class _Filters(msgspec.Struct, forbid_unknown_fields=True):
    programmes: Annotated[list[_Code], msgspec.Meta(max_length=1000)] = []
    fiscal_years: Annotated[
        list[Annotated[int, msgspec.Meta(ge=2400, le=2800)]], msgspec.Meta(max_length=100)
    ] = []


class Manifest(msgspec.Struct, forbid_unknown_fields=True):
    """Checked before anything else is believed; every number within what the database holds."""

    format: Literal["lev-package"]
    format_version: int
    package_uuid: _Uuid
    kind: Literal["full", "delta"]
    base_package: _Uuid | None
    sender: _Sender
    sender_key: _Key
    recipient: _Code
    sequence: Annotated[int, msgspec.Meta(ge=1, le=MAX_SEQUENCE)]
    created_at: Annotated[str, msgspec.Meta(pattern=DATETIME_PATTERN)]
    files: Annotated[
        dict[Annotated[str, msgspec.Meta(max_length=200)], _File], msgspec.Meta(max_length=64)
    ]
    app_version: Annotated[str, msgspec.Meta(max_length=40)] = ""
    source: Annotated[str, msgspec.Meta(max_length=16)] = "app"
    filters: _Filters = msgspec.field(default_factory=_Filters)
    counts: Annotated[
        dict[
            Annotated[str, msgspec.Meta(max_length=40)],
            Annotated[int, msgspec.Meta(ge=0, le=100_000_000)],
        ],
        msgspec.Meta(max_length=64),
    ] = {}
    embedded: Annotated[list[_Embedded], msgspec.Meta(max_length=100_000)] = []
    excel: Annotated[list[_Excel], msgspec.Meta(max_length=100_000)] = []


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
    excel: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    manifest = {
        "format": FORMAT,
        "format_version": EXCEL_FORMAT_VERSION if excel else FORMAT_VERSION,
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
    if excel:
        manifest["excel"] = excel
    return manifest


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
            for name, data in sorted(outer.attachments.items()):
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


@functools.lru_cache(maxsize=4096)  # (every LAO package names the same few files)
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


_READ_ERRORS = (
    zipfile.BadZipFile,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,  # an encrypted entry
    zlib.error,  # a damaged compressed stream (a bit flipped on a USB stick)
    struct.error,
    KeyError,
)


# The local file header of a zip entry (APPNOTE 4.3.7): signature, versions, flags, method,
# time, date, CRC-32, sizes, then the lengths of the name and the extra field.
_LOCAL_HEADER = struct.Struct("<4s2sHHHHLLLHH")
_LOCAL_MAGIC = b"PK\x03\x04"
# Entries the direct read leaves to zipfile: encrypted (0x1), compressed patch data (0x20),
# strong encryption (0x40).
_UNUSUAL_FLAGS = 0x1 | 0x20 | 0x40
# Deflate never grows data by more than a few bytes per 16 KB block: an entry claiming more
# compressed bytes than this is left to zipfile (which streams it) rather than read whole.
_DEFLATE_SLACK = 1024


class _Reader:
    """Reads entries of one package file on demand, within the limits; the file is opened on
    the first read and closed by ``close()`` (the importer closes it after each package).

    The zip's central directory is parsed once per package (``open_package``, or the first
    read): reopening the file for the payloads reuses it. An ordinary entry (stored or
    deflated, not encrypted) is read directly: its local header checked against the
    directory, its bytes inflated in one call, its size, end of stream and CRC-32 checked.
    Anything else about an entry, or any of those checks failing, reads it through
    ``zipfile`` as before, which then decides (refusal or data) exactly as it always did."""

    def __init__(self, source: Path | bytes, limits: Limits, data: bytes | None = None):
        # ``data``: the file ``source`` as read whole, read from until ``forget``
        self.source = source
        self._data = data
        self.limits = limits
        self.budget = limits.max_total_uncompressed
        self._archive: zipfile.ZipFile | None = None
        self._handle: Any = None
        # The central directory, compactly (a national import holds 7,850 until compared):
        # name → (header offset, compressed size, size, CRC-32, flags, method).
        self._infos: dict[str, tuple[int, int, int, int, int, int]] | None = None

    def _open_handle(self) -> Any:
        if self._handle is None:
            try:
                source = self._data if self._data is not None else self.source
                if isinstance(source, bytes):
                    self._handle = io.BytesIO(source)
                else:
                    self._handle = Path(source).open("rb")  # noqa: SIM115 - closed by close()
            except _READ_ERRORS as exc:
                self.close()
                raise _damaged() from exc
        return self._handle

    def _open(self) -> zipfile.ZipFile:
        if self._archive is None:
            handle = self._open_handle()
            try:
                self._archive = zipfile.ZipFile(handle)
            except _READ_ERRORS as exc:
                self.close()
                raise _damaged() from exc
            if self._infos is None:
                self._remember(self._archive)
        return self._archive

    def _remember(self, archive: zipfile.ZipFile) -> None:
        self._infos = {
            i.orig_filename: (
                i.header_offset,
                i.compress_size,
                i.file_size,
                i.CRC,
                i.flag_bits,
                i.compress_type,
            )
            for i in archive.infolist()
            if i.orig_filename == i.filename  # (else: zipfile's own reading)
        }

    @property
    def kept(self) -> int:
        """Bytes of the file held in memory (read whole)."""
        return len(self._data) if self._data is not None else 0

    def forget(self) -> None:
        """Drops the central directory kept and the file read whole (the part was compared)."""
        self._infos = None
        self._data = None

    def attach(self, archive: zipfile.ZipFile, handle: Any) -> None:
        self._archive, self._handle = archive, handle
        self._remember(archive)

    def read(self, name: str, cap: int | None = None) -> bytes:
        allowed = min(self.budget, cap if cap is not None else self.budget)
        if self._infos is None:
            self._open()
        infos = self._infos
        assert infos is not None
        info = infos.get(name)
        data = None
        if info is not None:
            if info[2] > allowed:  # refused before anything is inflated
                raise _bomb()
            data = self._direct(name, *info)
        if data is None:
            data = self._through_zipfile(name, allowed)
        self.budget -= len(data)
        return data

    def _direct(
        self, name: str, offset: int, packed: int, size: int, crc: int, flags: int, method: int
    ) -> bytes | None:
        """An ordinary entry read straight from the file; None: leave it to zipfile."""
        if flags & _UNUSUAL_FLAGS or packed > size + (size >> 3) + _DEFLATE_SLACK:
            return None
        if method == zipfile.ZIP_DEFLATED:
            inflate = True
        elif method == zipfile.ZIP_STORED and packed == size:
            inflate = False
        else:
            return None
        try:
            handle = self._open_handle()
            handle.seek(offset)
            header = handle.read(_LOCAL_HEADER.size)
            if len(header) != _LOCAL_HEADER.size:
                return None
            fields = _LOCAL_HEADER.unpack(header)
            if fields[0] != _LOCAL_MAGIC:
                return None
            name_length, extra_length = fields[9], fields[10]
            encoding = "utf-8" if fields[2] & 0x800 else "cp437"
            if handle.read(name_length).decode(encoding) != name:
                return None
            handle.seek(extra_length, os.SEEK_CUR)
            raw = handle.read(packed)
            if len(raw) != packed:
                return None
            if inflate:
                stream = zlib.decompressobj(-zlib.MAX_WBITS)
                data = stream.decompress(raw, size + 1)
                if len(data) != size or not stream.eof:
                    return None
            else:
                data = raw
        except (*_READ_ERRORS, UnicodeDecodeError):
            return None
        if zlib.crc32(data) != crc:
            return None
        return data

    def _through_zipfile(self, name: str, allowed: int) -> bytes:
        archive = self._open()
        try:
            info = archive.getinfo(name)
            if info.file_size > allowed:  # refused before anything is inflated
                raise _bomb()
            with archive.open(info) as stream:
                data = stream.read(allowed + 1)
        except Refusal:
            raise
        except _READ_ERRORS as exc:
            raise _damaged() from exc
        if len(data) > allowed:  # the header lied about the size
            raise _bomb()
        return data

    def close(self) -> None:
        """Closes the file; the central directory parsed is kept for a later read."""
        if self._archive is not None:
            self._archive.close()
        if self._handle is not None:
            self._handle.close()
        self._archive = self._handle = None


def open_package(
    source: Path | bytes, limits: Limits = DEFAULT_LIMITS, *, whole: bool = True
) -> tuple[Part, list[Part]]:
    """Reads and checks a package: structure, sizes, manifests and signatures.

    Returns the outer part and the embedded parts (in the order the manifest lists them);
    their payload files are read and checked against the signed manifests one at a time by
    ``Part.load`` (and the file closed with ``Part.close``). Raises ``Refusal`` with a Thai
    reason for anything wrong; nothing is extracted to disk and a large file is never read
    whole into memory; anything unexpected while reading it (a damaged compressed stream, absurd
    nesting) is a refusal, never an exception. Trust (whose key it is) is the importer's.

    ``whole``: a file of at most READ_WHOLE bytes is read once, and its payloads from memory
    until the part was compared (``Part.slim``); else (or a larger file) from the disk.
    """
    path = None if isinstance(source, bytes) else Path(source)
    data = None  # the file read whole (one read, then no seek or read of the disk per entry)
    try:
        if path is not None:
            size = path.stat().st_size
            if size > limits.max_total_uncompressed:
                raise _bomb()
            if whole and size <= READ_WHOLE:
                with path.open("rb") as stream:
                    data = stream.read(READ_WHOLE + 1)
                if len(data) > READ_WHOLE:  # (it grew meanwhile: read as a large one)
                    data = None
        if path is None:
            handle: Any = io.BytesIO(bytes(source))
        elif data is not None:
            handle = io.BytesIO(data)
        else:
            handle = path.open("rb")
    except OSError as exc:
        raise unreadable(exc, getattr(exc, "filename", "") or str(source)) from exc
    reader = _Reader(source, limits, data)
    try:
        try:
            archive = zipfile.ZipFile(handle)
        except _READ_ERRORS as exc:
            raise _damaged() from exc
        reader.attach(archive, handle)
        try:
            outer, embedded = _read_archive(archive, reader, limits)
        except (Refusal, RecursionError, MemoryError):
            raise
        except _READ_ERRORS as exc:
            raise _damaged() from exc
        if path is None:
            outer.container = source  # type: ignore[assignment]
        elif data is not None:
            outer.source, outer.source_sha256 = path, sha256(data)
        else:
            handle.seek(0)
            digest = hashlib.sha256()
            for block in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(block)
            outer.source, outer.source_sha256 = path, digest.hexdigest()
    finally:
        reader.close()  # reopened by the first Part.load
    return outer, embedded


def _read_archive(
    archive: zipfile.ZipFile, reader: _Reader, limits: Limits
) -> tuple[Part, list[Part]]:
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

    read = reader.read
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
    outer = _read_part(read, "", names, limits, reader)
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
        part = _read_part(read, root, names, limits, reader)
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
    for entry in outer.manifest.get("excel") or []:
        name = str(entry["file"])
        if (
            not name.startswith(f"{EXCEL_DIR}{entry['uuid']}/")
            or _unsafe_name(name)
            or name not in names
        ):
            raise Refusal(
                "hash_mismatch",
                _(
                    "The file “{name}” listed in the manifest is missing "
                    "from the package. It was not imported."
                ).format(name=name[:80]),
            )
        outer.excel.append(dict(entry))
    expected = {MANIFEST, SIGNATURE, *outer.payload_names, *(e["file"] for e in outer.excel)}
    for part in embedded:
        root = f"{EMBEDDED_DIR}{part.uuid}/"
        expected |= {root + MANIFEST, root + SIGNATURE, *(root + n for n in part.payload_names)}
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


def _format_error(detail: str = "") -> Refusal:
    message = _("The package manifest is not in the expected format. It was not imported.")
    if detail:  # where, for the person who made the file (msgspec names the field)
        message += " (" + detail.rsplit(" - at ", 1)[-1][:80] + ")"
    return Refusal("bad_format", message)


def _read_part(
    read: Callable[[str, int | None], bytes],
    root: str,
    names: set[str],
    limits: Limits,
    reader: _Reader,
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
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
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
    try:
        msgspec.convert(manifest, Manifest)
    except msgspec.ValidationError as exc:
        raise _format_error(str(exc)) from exc
    key = manifest["sender_key"]
    sender = manifest["sender"]
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
    files = manifest["files"]
    part_budget = limits.part_limit(sender.get("level"))
    if sum(meta["size"] for meta in files.values()) > part_budget:
        raise Refusal(
            "too_large",
            _(
                "The package from {office} holds more data than an office of its level can "
                "send ({size} MB). It was not imported."
            ).format(office=sender.get("code"), size=part_budget // 1024**2),
        )
    listed: dict[str, tuple[str, int]] = {}
    for name, meta in files.items():
        if not name.startswith(PAYLOAD_DIR) or _unsafe_name(name):
            raise Refusal(
                "unsafe_path",
                _(
                    "The package contains a file with an unsafe path "
                    "(“{name}”). It was not imported."
                ).format(name=str(name)[:80]),
            )
        if root + name not in names:
            raise Refusal(
                "hash_mismatch",
                _(
                    "The file “{name}” listed in the manifest is missing "
                    "from the package. It was not imported."
                ).format(name=name),
            )
        listed[name] = (meta["sha256"], meta["size"])
    return Part(
        manifest=manifest,
        manifest_bytes=manifest_bytes,
        signature=signature,
        files=listed,
        reader=reader,
        root=root,
        budget=part_budget,
    )
