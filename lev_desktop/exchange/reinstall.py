"""“This office reinstalled”: accepting an office's new key in one guided step.

An office that reinstalled the program without its key file has a new key; its next package is
refused (``key_changed``) until the office above confirms the new fingerprint with it, by
telephone or letter. ``key_changes`` finds, in an import preview, each office whose package is
signed by another key than the trusted one; ``confirm_new_key`` trusts the new key (the old
fingerprint is kept in ``previous``, the audit log says who confirmed it and how);
``forwarded_to`` says which offices above already received that office's packages through this
one: they trust the old key too and must confirm the new one, from the letter
(``exports.reports.key_letter``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from db.models import AuditEntry, Office, utcnow
from db.models_exchange import ReceivedPackage, SentPackage, TrustedKey
from db.store import Store
from lev_desktop.exchange.importer import ImportPlan, Status


@dataclass(frozen=True)
class KeyChange:
    office: str
    name: str
    old_fingerprint: str
    old_trusted_at: dt.datetime | None
    new_fingerprint: str
    new_public_key: str
    relayed_by: str = ""  # the office whose package carried it ('' = sent directly)


def key_changes(store: Store, plan: ImportPlan) -> list[KeyChange]:
    """Offices whose package in this preview is signed by a key other than the trusted one."""
    with store.read() as session:
        trusted = {t.office_code: t for t in session.scalars(select(TrustedKey))}
        names = dict(session.execute(select(Office.code, Office.name)).all())
    found: dict[str, KeyChange] = {}
    for part in plan.rows():
        key = trusted.get(part.sender)
        if (
            part.status != Status.REFUSED
            or key is None
            or not part.fingerprint
            or not part.public_key
            or key.fingerprint == part.fingerprint
        ):
            continue
        found.setdefault(
            part.sender,
            KeyChange(
                office=part.sender,
                name=part.sender_name or names.get(part.sender, ""),
                old_fingerprint=key.fingerprint,
                old_trusted_at=key.trusted_at,
                new_fingerprint=part.fingerprint,
                new_public_key=part.public_key,
                relayed_by=part.relayed_by,
            ),
        )
    return list(found.values())


def confirm_new_key(store: Store, change: KeyChange, *, how: str) -> None:
    """Trusts the office's new key in place of the old one (kept in ``previous``)."""
    with store.session() as session:
        key = session.get(TrustedKey, change.office)
        if key is None:
            session.add(
                TrustedKey(
                    office_code=change.office,
                    public_key=change.new_public_key,
                    fingerprint=change.new_fingerprint,
                    trusted_by=store.officer,
                    via="",
                    previous=[change.old_fingerprint],
                )
            )
        else:
            key.previous = [*(key.previous or []), key.fingerprint]
            key.public_key = change.new_public_key
            key.fingerprint = change.new_fingerprint
            key.trusted_at = utcnow()
            key.trusted_by = store.officer
            key.via = ""
        session.add(
            AuditEntry(
                officer=store.officer,
                office=store.office_code or "",
                table_name="exchange_trusted_keys",
                record_id=change.office,
                action="reinstall",
                changes={
                    "fingerprint": [change.old_fingerprint, change.new_fingerprint],
                    "how": how,
                },
            )
        )


def forwarded_to(store: Store, office: str) -> list[str]:
    """The offices this one sent packages of ``office`` to (relayed upward): they trust the
    office's old key as well and need the letter to confirm the new one."""
    with store.read() as session:
        uuids = set(
            session.scalars(select(ReceivedPackage.uuid).where(ReceivedPackage.sender == office))
        )
        recipients = []
        for sent in session.scalars(select(SentPackage).order_by(SentPackage.created_at)):
            if uuids & set(sent.embedded or []) and sent.recipient not in recipients:
                recipients.append(sent.recipient)
    return recipients


__all__ = ["KeyChange", "confirm_new_key", "forwarded_to", "key_changes"]
