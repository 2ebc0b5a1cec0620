"""Packages received but not yet imported, for the home screen.

HOOK for the exchange area: ``pending_packages`` returns what the exchange inbox holds
(files received, not imported). Until exchange implements it, it returns an empty list and
the home screen shows nothing for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lev_desktop.db.store import Store


@dataclass(frozen=True)
class PendingPackage:
    path: str                 # where the package file is
    from_office: str          # sender's office code
    from_name: str            # sender's name as shown
    received_at: dt.datetime | None
    summary: str = ""         # e.g. "P5 · 2 forms"


def pending_packages(store: Store) -> list[PendingPackage]:
    """Packages received and not yet imported (filled in by the exchange area)."""
    del store
    return []
