"""The office's private key and the backups: a reinstalled computer keeps the same identity.

The private key lives in ``<data folder>/keys`` (``lev_desktop.exchange.keys``), not in the
database, so a backup of the database alone would bring back the data but not the identity:
the district would refuse the next package as signed by another key. When the officer exports
the key with a password, the same encrypted record is kept in the database's settings
(``key.escrow``); every backup then carries the key, only encrypted. After a restore on a new
computer the program sees the record, asks for the password and puts the key back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.store import Store
from lev_desktop import options
from lev_desktop.exchange import keys
from lev_desktop.i18n import _

ESCROW_SETTING = "key.escrow"  # lev_desktop.options


@dataclass(frozen=True)
class KeyState:
    office: str
    fingerprint: str  # of the key on this computer ('' = none yet)
    escrow_fingerprint: str  # of the encrypted copy in the database ('' = none)

    @property
    def in_backups(self) -> bool:
        """The key on this computer is the one the backups carry."""
        return bool(self.fingerprint) and self.fingerprint == self.escrow_fingerprint

    @property
    def restorable(self) -> bool:
        """The database carries a key this computer does not have (after a restore)."""
        return bool(self.escrow_fingerprint) and self.escrow_fingerprint != self.fingerprint


def escrow(store: Store) -> dict[str, Any] | None:
    record = options.get(store, ESCROW_SETTING)
    if not isinstance(record, dict):
        return None
    try:
        return keys.read_protected(record)
    except keys.KeyFileError:
        return None


def key_state(store: Store) -> KeyState | None:
    office = store.office_code
    if not office:
        return None
    current = keys.office_fingerprint(office) if keys.has_key(office) else ""
    record = escrow(store)
    kept = str(record["fingerprint"]) if record and record.get("office") == office else ""
    return KeyState(office=office, fingerprint=current, escrow_fingerprint=kept)


def _office(store: Store) -> str:
    if not store.office_code:
        raise keys.KeyFileError(_("Set up this office first (Settings, or `lev init`)."))
    return store.office_code


def export_key(
    store: Store, target: Path, password: str, repeated: str | None = None
) -> tuple[Path, str]:
    """Writes the password-protected key file and keeps the same encrypted record in the
    database, so that every backup carries the key (encrypted). Returns (file, fingerprint)."""
    office = _office(store)
    keys.check_password(password, repeated)
    path = keys.export_key(office, target, password)
    record = keys.read_protected(path.read_bytes())
    options.save(store, {ESCROW_SETTING: record})
    return path, str(record["fingerprint"])


def _install(store: Store, record: dict[str, Any], password: str) -> str:
    office = _office(store)
    if record.get("office") != office:
        raise keys.KeyFileError(
            _(
                "The key file belongs to office {other}, but this database belongs to office "
                "{office}."
            ).format(other=record.get("office"), office=office)
        )
    key = keys.unprotect(record, password)
    keys.install_key(office, key)
    options.save(store, {ESCROW_SETTING: record})
    return keys.fingerprint(key)


def import_key_file(store: Store, path: Path, password: str) -> str:
    """Makes the key in a key file this office's key again; returns its fingerprint."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise keys.KeyFileError(_("File not found: {name}").format(name=path)) from exc
    return _install(store, keys.read_protected(data), password)


def restore_key_from_database(store: Store, password: str) -> str:
    """Puts back the key the database carries (after a restore); returns its fingerprint."""
    record = escrow(store)
    if record is None:
        raise keys.KeyFileError(
            _("This database carries no copy of the office's key (it was never exported).")
        )
    return _install(store, record, password)


__all__ = [
    "ESCROW_SETTING",
    "KeyState",
    "escrow",
    "export_key",
    "import_key_file",
    "key_state",
    "restore_key_from_database",
]
