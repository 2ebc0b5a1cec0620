"""Protection of the office's private key at rest, as Windows offers it: DPAPI.

``CryptProtectData`` encrypts with a key Windows derives from the current user's logon
secret: only the same Windows user on the same computer (or a domain roaming profile) can
decrypt, with no password to type. It is reached through ctypes (crypt32.dll, kernel32.dll),
so no extra package is needed. Other systems have no such service: there the key file relies
on its 0600 permissions (see keys.py), and ``current()`` is None.

The protected file starts with ``MARK`` so that a PEM saved before (or copied in from a key
export) is recognised and protected on its next read. Losing the Windows profile (a
reinstalled PC, a new user account) loses the key: the password-protected key export (Settings
› backups) is the way to carry an office's identity to a new computer.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from typing import Protocol

from lev_desktop.i18n import _

MARK = b"LEV-DPAPI-1\n"
# Bound into the encryption: another program of the same user cannot decrypt the blob
# without also passing these bytes.
ENTROPY = b"LEV Desktop office signing key"
CRYPTPROTECT_UI_FORBIDDEN = 0x1


class ProtectionError(OSError):
    """DPAPI refused (a different Windows user, a damaged file); ``user_message`` is Thai."""

    @property
    def user_message(self) -> str:  # what errors.describe_error shows
        return _(
            "The office key on this computer was protected for another Windows user and "
            "cannot be read here. Sign in as the user who set up LEV Desktop, or bring the "
            "key back from its password-protected key file."
        )


class _Blob(ctypes.Structure):
    _fields_ = [
        ("cbData", ctypes.c_uint32),
        ("pbData", ctypes.POINTER(ctypes.c_char)),
    ]


def _blob(data: bytes) -> tuple[_Blob, ctypes.Array[ctypes.c_char]]:
    buffer = ctypes.create_string_buffer(data, len(data))
    return _Blob(len(data), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char))), buffer


class Dpapi:
    """CryptProtectData / CryptUnprotectData for the current user (Windows only)."""

    def __init__(self) -> None:
        self.crypt32 = ctypes.WinDLL("crypt32", use_last_error=True)  # type: ignore[attr-defined]
        self.kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]

    def _call(self, function: Callable[..., int], data: bytes) -> bytes:
        source, _keep = _blob(data)
        entropy, _keep_entropy = _blob(ENTROPY)
        result = _Blob()
        ok = function(
            ctypes.byref(source),
            None if function is self.crypt32.CryptUnprotectData else "LEV Desktop",
            ctypes.byref(entropy),
            None,
            None,
            CRYPTPROTECT_UI_FORBIDDEN,
            ctypes.byref(result),
        )
        if not ok:
            raise ProtectionError(ctypes.get_last_error(), "DPAPI refused the office key")  # type: ignore[attr-defined]
        try:
            return ctypes.string_at(result.pbData, result.cbData)
        finally:
            self.kernel32.LocalFree(result.pbData)

    def protect(self, data: bytes) -> bytes:
        return self._call(self.crypt32.CryptProtectData, data)

    def unprotect(self, data: bytes) -> bytes:
        return self._call(self.crypt32.CryptUnprotectData, data)


class Protector(Protocol):
    def protect(self, data: bytes) -> bytes: ...
    def unprotect(self, data: bytes) -> bytes: ...


_override: list[Protector] = []


def current() -> Protector | None:
    """The protector of this platform (DPAPI on Windows), or None."""
    if _override:
        return _override[0]
    if sys.platform == "win32":
        return Dpapi()
    return None
