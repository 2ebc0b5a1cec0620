"""Office keys: an Ed25519 key pair per office, made on first export, and fingerprints.

The private key is a PEM (PKCS#8) file in the user's data folder, ``keys/<office>.pem``,
readable by its owner only (0600; the folder 0700). Permissions like these mean nothing on
Windows, so there the file holds the PEM encrypted with DPAPI for the current Windows user
(``key_protection``): another account on the same PC, or the file copied to another PC, cannot
read it. A key saved unprotected earlier is protected when it is next read. The public key
travels inside every package; the receiving office compares its fingerprint (SHA-256 of the 32
raw key bytes) with the one it trusts. All cryptography is done by the ``cryptography`` package.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from lev_desktop.exchange import key_protection
from lev_desktop.files import write_file
from lev_desktop.i18n import _
from lev_desktop.paths import data_dir


def keys_dir() -> Path:
    path = data_dir() / "keys"
    path.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # e.g. a filesystem without permissions
        os.chmod(path, 0o700)
    return path


def key_path(office_code: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", office_code)
    return keys_dir() / f"{safe}.pem"


def has_key(office_code: str) -> bool:
    return key_path(office_code).exists()


def load_or_create(office_code: str) -> Ed25519PrivateKey:
    """This office's private key; made (and saved protected) the first time it is needed."""
    path = key_path(office_code)
    if path.exists():
        return _read_private_key(path)
    key = Ed25519PrivateKey.generate()
    _write_private_key(path, key)
    return key


def _read_private_key(path: Path) -> Ed25519PrivateKey:
    data = path.read_bytes()
    protector = key_protection.current()
    try:
        if data.startswith(key_protection.MARK):
            if protector is None:
                raise ValueError(f"{path} is protected for a Windows user and cannot be read here")
            data = protector.unprotect(data[len(key_protection.MARK) :])
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyDamaged(path) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyDamaged(path)
    if protector is not None and not path.read_bytes().startswith(key_protection.MARK):
        _write_private_key(path, key)  # a key saved before protection existed: protect it now
    return key


def _write_private_key(path: Path, key: Ed25519PrivateKey) -> None:
    """PEM (PKCS#8); on Windows protected with DPAPI for the current user first
    (``key_protection``); written to a temporary file 0600 and renamed into place."""
    data = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    protector = key_protection.current()
    if protector is not None:
        data = key_protection.MARK + protector.protect(data)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def public_raw(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    return base64.b64encode(public_raw(key)).decode("ascii")


def fingerprint_of_raw(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def fingerprint_of_b64(public_key_b64: str) -> str:
    return fingerprint_of_raw(base64.b64decode(public_key_b64, validate=True))


def fingerprint(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    return fingerprint_of_raw(public_raw(key))


def format_fingerprint(fp: str, *, per_line: int = 8) -> str:
    """Groups of four hex digits, eight groups a line: easy to read aloud or compare on paper."""
    groups = [fp[i : i + 4].upper() for i in range(0, len(fp), 4)]
    lines = [" ".join(groups[i : i + per_line]) for i in range(0, len(groups), per_line)]
    return "\n".join(lines)


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    return key.sign(data)


def verify(public_key_b64: str, signature: bytes, data: bytes) -> bool:
    try:
        raw = base64.b64decode(public_key_b64, validate=True)
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def office_fingerprint(office_code: str) -> str:
    """This office's fingerprint (makes the key pair when it does not exist yet)."""
    return fingerprint(load_or_create(office_code))


# ---- a password-protected copy of the private key (a reinstall keeps the same identity) -------

KEY_FILE_FORMAT = "lev-key"
KEY_FILE_SUFFIX = ".levkey"
MIN_PASSWORD = 8
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}  # ~0.2 s and 32 MB per try: slow to guess, quick to use


class KeyFileError(ValueError):
    """A key file that cannot be written or used; the message is Thai."""


class KeyDamaged(KeyFileError):
    """This office's private key file cannot be read: damaged, emptied, not a key, or
    protected for another Windows user. (Before: cryptography's English "Unable to load PEM
    file" went to the crash dialog at every export, and the key could not even be put back.)"""

    def __init__(self, path: Path):
        super().__init__(
            _(
                "The office's key file {path} cannot be read (it is damaged, empty, or was made "
                "for another Windows user), so no package can be signed. Put the key back in "
                "Settings › Backups with “Import a key file…” (the key file saved with a "
                "password) or “Put back the key from the backup…”, or with “lev key-import”. "
                "The unreadable file is kept beside it."
            ).format(path=path)
        )
        self.path = path

    @property
    def user_message(self) -> str:  # what errors.describe_error shows
        return str(self)


def _kdf(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(password.encode("utf-8"))


def _bound(office_code: str, fp: str) -> bytes:
    """What the encryption is bound to: the office and the key's fingerprint."""
    return f"{KEY_FILE_FORMAT}:1:{office_code}:{fp}".encode()


def check_password(password: str, repeated: str | None = None) -> None:
    if len(password) < MIN_PASSWORD:
        raise KeyFileError(
            _("The password must have at least {count} characters.").format(count=MIN_PASSWORD)
        )
    if repeated is not None and repeated != password:
        raise KeyFileError(_("The two passwords are not the same."))


def protect(office_code: str, key: Ed25519PrivateKey, password: str) -> dict[str, Any]:
    """The private key encrypted with a password (scrypt + AES-256-GCM), as a JSON object that
    says whose key it is and its fingerprint (readable without the password)."""
    check_password(password)
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    fp = fingerprint(key)
    salt, nonce = os.urandom(16), os.urandom(12)
    secret = AESGCM(_kdf(password, salt, **_SCRYPT)).encrypt(nonce, raw, _bound(office_code, fp))
    return {
        "format": KEY_FILE_FORMAT,
        "format_version": 1,
        "office": office_code,
        "algorithm": "ed25519",
        "public_key": public_b64(key),
        "fingerprint": fp,
        "kdf": {"name": "scrypt", **_SCRYPT, "salt": base64.b64encode(salt).decode("ascii")},
        "cipher": "aes-256-gcm",
        "nonce": base64.b64encode(nonce).decode("ascii"),
        "secret": base64.b64encode(secret).decode("ascii"),
    }


def _not_a_key_file() -> KeyFileError:
    return KeyFileError(_("This file is not a LEV Desktop key file."))


def read_protected(data: bytes | str | dict[str, Any]) -> dict[str, Any]:
    """A key file's content, checked for form (not yet decrypted)."""
    if isinstance(data, dict):
        record = data
    else:
        try:
            record = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise _not_a_key_file() from exc
    if not isinstance(record, dict) or record.get("format") != KEY_FILE_FORMAT:
        raise _not_a_key_file()
    if record.get("format_version") != 1:
        raise KeyFileError(
            _("The key file was made by a newer version of LEV Desktop. Please update it.")
        )
    kdf = record.get("kdf")
    if (
        not isinstance(kdf, dict)
        or kdf.get("name") != "scrypt"
        or not all(
            isinstance(record.get(k), str) for k in ("office", "fingerprint", "nonce", "secret")
        )
    ):
        raise _not_a_key_file()
    return record


def unprotect(record: dict[str, Any], password: str) -> Ed25519PrivateKey:
    """The private key from a protected record; KeyFileError for a wrong password."""
    record = read_protected(record)
    kdf = record["kdf"]
    try:
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        if not (2**10 <= n <= 2**20 and 1 <= r <= 16 and 1 <= p <= 4):
            raise ValueError("scrypt parameters out of range")
        derived = _kdf(password, base64.b64decode(kdf["salt"]), n, r, p)
        raw = AESGCM(derived).decrypt(
            base64.b64decode(record["nonce"]),
            base64.b64decode(record["secret"]),
            _bound(record["office"], record["fingerprint"]),
        )
        key = Ed25519PrivateKey.from_private_bytes(raw)
    except InvalidTag as exc:
        raise KeyFileError(_("The password is not correct.")) from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise _not_a_key_file() from exc
    if fingerprint(key) != record["fingerprint"]:
        raise _not_a_key_file()
    return key


def export_key(office_code: str, target: Path, password: str) -> Path:
    """Writes this office's private key, encrypted with ``password``, to ``target``."""
    if not has_key(office_code):
        raise KeyFileError(
            _("This office has no key yet: it is made with the first export of a package.")
        )
    record = protect(office_code, load_or_create(office_code), password)
    target = Path(target)
    if target.suffix != KEY_FILE_SUFFIX:
        target = target.with_name(target.name + KEY_FILE_SUFFIX)
    text = json.dumps(record, indent=1) + "\n"
    # often onto a USB drive: the one way a user-visible file is written (lev_desktop.files)
    return write_file(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def install_key(office_code: str, key: Ed25519PrivateKey) -> Path | None:
    """Makes ``key`` this office's key; a different key already there is kept beside it
    (``<office>.pem.replaced-<time>``). Returns where the replaced key went (or None)."""
    path = key_path(office_code)
    replaced = None
    if path.exists():
        try:
            current: Ed25519PrivateKey | None = _read_private_key(path)
        except KeyDamaged:  # (kept aside as any replaced key: what is put back replaces it)
            current = None
        if current is not None and fingerprint(current) == fingerprint(key):
            return None
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        replaced = path.with_name(f"{path.name}.replaced-{stamp}")
        os.replace(path, replaced)
    _write_private_key(path, key)
    return replaced
