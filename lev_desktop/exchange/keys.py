"""Office keys: an Ed25519 key pair per office, made on first export, and fingerprints.

The private key is a PEM (PKCS#8) file in the user's data folder, ``keys/<office>.pem``,
readable by its owner only (0600; the folder 0700). The public key travels inside every
package; the receiving office compares its fingerprint (SHA-256 of the 32 raw key bytes)
with the one it trusts. All cryptography is done by the ``cryptography`` package.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import re
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

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
    """This office's private key; made (and saved 0600) the first time it is needed."""
    path = key_path(office_code)
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 key")
        return key
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, pem)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return key


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
