"""Tables of the data exchange (packages between offices). Local to this database: they record
what this office sent and received, whose keys it trusts and which conflicts wait for a
decision; none of them travels in a package.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, utcnow


class TrustedKey(Base):
    """The Ed25519 public key this office accepts for another office (one per office)."""

    __tablename__ = "exchange_trusted_keys"
    office_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    public_key: Mapped[str] = mapped_column(Text)  # base64 of the 32 raw bytes
    fingerprint: Mapped[str] = mapped_column(String(64))
    trusted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    trusted_by: Mapped[str] = mapped_column(String(120), default="")
    via: Mapped[str] = mapped_column(String(32), default="")  # office that relayed it, '' = direct
    previous: Mapped[list[Any]] = mapped_column(JSON, default=list)  # earlier fingerprints


class ReceivedPackage(Base):
    """A package (or an embedded package) this office imported, kept byte-exact so that it can
    be forwarded upward with its original signature."""

    __tablename__ = "exchange_received"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    sender: Mapped[str] = mapped_column(String(32), index=True)
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    recipient: Mapped[str] = mapped_column(String(32), default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(8), default="full")  # full | delta | excel
    base_uuid: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    imported_by: Mapped[str] = mapped_column(String(120), default="")
    relayed_by: Mapped[str] = mapped_column(String(32), default="")  # outer sender, '' = direct
    file_name: Mapped[str] = mapped_column(Text, default="")
    signed: Mapped[bool] = mapped_column(Boolean, default=True)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[str] = mapped_column(String(16), default="imported")
    manifest: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    payload: Mapped[bytes | None] = mapped_column(LargeBinary)  # the file as received (outer only)
    container: Mapped[str | None] = mapped_column(String(36))  # outer package of a relayed one
    # An Excel form: the records it wrote (JSON Lines) and who entered it where and when
    # (``entered_by``, ``entered_at``, ``entered_office``), forwarded upward as they are.
    records: Mapped[bytes | None] = mapped_column(LargeBinary)
    provenance: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class SentPackage(Base):
    """A package this office wrote (one row per export)."""

    __tablename__ = "exchange_sent"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(32), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8), default="full")
    base_uuid: Mapped[str | None] = mapped_column(String(36))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)  # watermark for the next delta
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="")
    file_name: Mapped[str] = mapped_column(Text, default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    embedded: Mapped[list[Any]] = mapped_column(JSON, default=list)  # uuids forwarded inside


class Conflict(Base):
    """Two versions of one record with the same revision and different content."""

    __tablename__ = "exchange_conflicts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    owner_office: Mapped[str] = mapped_column(String(32), default="")
    revision: Mapped[int] = mapped_column(Integer, default=0)
    package_uuid: Mapped[str] = mapped_column(String(36), default="")
    detected_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    winner: Mapped[str] = mapped_column(String(8))  # incoming | existing
    kept: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the version in the table
    other: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the losing version
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resolved_by: Mapped[str] = mapped_column(String(120), default="")
    resolution: Mapped[str] = mapped_column(String(16), default="")  # kept | swapped
