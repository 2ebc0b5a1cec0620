"""Import: a dry-run preview of one or many packages, per sending office, then one commit.

Everything that can refuse a package is checked in the preview, before anything is written:
signature, hashes, format version, addressee, jurisdiction, trusted key, sequence (replay),
the base of a delta, ownership of every record and the programme validation rules
(``lev_desktop.domain.validation``). The commit writes all accepted packages in one
transaction with bulk upserts (``INSERT … ON CONFLICT(id) DO UPDATE … WHERE revision <
excluded.revision``), so a killed process leaves the database as it was and the import can be
run again. Importing the same package twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, func, insert, select
from sqlalchemy import exc as sa_exc

from db.models import AuditEntry, Base, Office, Programme, Setting, utcnow
from db.models_exchange import Conflict, ReceivedPackage, TrustedKey
from db.store import Store, insert_rows
from lev_desktop.domain import templates
from lev_desktop.domain.form_status import FormStatus
from lev_desktop.domain.offices import LaoType, Level
from lev_desktop.domain.validation import (
    CLOCK_TOLERANCE,
    field_getter,
    office_identity_problem,
    office_name_key,
    office_name_scope,
    package_made_problem,
    shown_value,
)
from lev_desktop.exchange import deliveries, excel, pool
from lev_desktop.exchange import format as fmt
from lev_desktop.exchange.completeness import (
    PLAN_TABLES,
    Incomplete,
    incomplete_forms,
    incomplete_plan_forms,
)
from lev_desktop.exchange.errors import Refusal
from lev_desktop.exchange.jurisdiction import OfficeInfo, is_below, may_send_to
from lev_desktop.exchange.keys import format_fingerprint
from lev_desktop.exchange.payloads import (
    MAX_REASONS,
    NATURAL_KEYS,
    PROGRAMME_TABLES,
    REFERENCES,
    IndicatorRules,
    Payload,
    kpi_problems,
    read_payload,
)
from lev_desktop.exchange.payloads import reason_line as _reason_line
from lev_desktop.exchange.payloads import table_label as _table_label
from lev_desktop.exchange.records import MODELS, TABLES, TableCodec, codecs
from lev_desktop.exchange.spool import Block, RowSpool, SpoolError
from lev_desktop.gazetteer import district_label
from lev_desktop.i18n import _
from lev_desktop.paths import data_dir
from lev_desktop.progress import Cancelled, Progress, paused_gc
from lev_desktop.thai_format import format_date, format_period

log = logging.getLogger(__name__)
COUNT_KEYS = ("new", "updated", "unchanged", "conflicts", "refused")
TABLE_LABELS = {
    "offices": "offices",
    "programmes": "programmes",
    "letters": "letters",
    "plans": "plans",
    "plan_items": "plan_items",
    "activities": "activities",
    "monitoring": "monitoring",
    "kpi_values": "kpi_values",
    "form_submissions": "form_submissions",
    "reviews": "reviews",
}
# What the commit does with each row of a payload (one byte per row in ``Chunk.modes``).
SKIP, NEW, UPDATE, FORCED = 0, 1, 2, 3
WRITTEN = bytes((NEW, UPDATE, FORCED))
EVERY_ROW = bytes((SKIP, NEW, UPDATE, FORCED))


# Tables whose records an office may enter again after a reinstall, replacing the earlier one
# (``replacements``); the children of a replaced plan are tombstoned with it.
REPLACEABLE = frozenset(NATURAL_KEYS)


@dataclass(slots=True)
class Chunk:
    """The rows of one payload of one part, as the commit writes them: the block in the
    spool and what to do with each row (SKIP, NEW: insert, UPDATE: higher revision,
    FORCED: a conflict the incoming version wins)."""

    table: str
    spool: RowSpool
    block: Block | None
    modes: bytearray
    number: int  # in the order of the preview (see _State.find_row)
    last: dict[str, int] | None = None  # id → the row that counts, for an id given twice

    def count(self, modes: bytes = WRITTEN) -> int:
        return sum(self.modes.count(mode) for mode in modes)

    def select(self, modes: bytes = WRITTEN) -> list[tuple[Any, ...]]:
        """The rows with one of ``modes``, in their order (not to be changed by the caller:
        when every row is selected, the block's own list)."""
        block = self.block
        count = self.count(modes) if block is not None else 0
        if block is None or not count:
            return []
        rows = self.spool.get(block)
        wanted = self.modes
        if count == len(wanted) == len(rows):  # (every row: the usual first import)
            return rows
        return [row for row, mode in zip(rows, wanted, strict=True) if mode in modes]


class _RowsView:
    """``part.rows.get(table, ())`` without reading every table of the part."""

    def __init__(self, part: PartPlan, modes: bytes):
        self._part, self._modes = part, modes

    def tables(self) -> list[str]:
        out: list[str] = []
        for chunk in self._part.chunks:
            if chunk.table not in out and chunk.count(self._modes):
                out.append(chunk.table)
        return out

    def get(self, table: str, default: Any = None) -> Any:
        rows = list(self._part.rows_of(table, self._modes))
        return rows if rows else default

    def __getitem__(self, table: str) -> list[tuple[Any, ...]]:
        rows = self.get(table)
        if rows is None:
            raise KeyError(table)
        return list(rows)

    def __contains__(self, table: object) -> bool:
        return table in self.tables()

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables())

    def __len__(self) -> int:
        return len(self.tables())

    def items(self) -> list[tuple[str, list[tuple[Any, ...]]]]:
        return [(table, self[table]) for table in self.tables()]

    def values(self) -> list[list[tuple[Any, ...]]]:
        return [rows for _table, rows in self.items()]


@dataclass(frozen=True)
class KeyClash:
    """A record that repeats another record's natural key under a different id — typically the
    same plan entered again after a reinstall. ``in_database``: the other record is already
    here (else it came earlier in the same import). ``twice``: the other record came in the
    same payload (a package LEV Desktop made never holds one key twice)."""

    table: str
    owner: str
    key: dict[str, Any]
    incoming_id: str
    existing_id: str
    in_database: bool
    twice: bool = False


class Status:
    OK = "ok"  # will be imported
    DUPLICATE = "duplicate"  # already imported: nothing to do
    NEEDS_TRUST = "needs_trust"  # first package from this office: the officer decides
    REFUSED = "refused"


@dataclass
class PartPlan:
    """One signed package (outer or relayed) in the preview: one row per sending office."""

    part: fmt.Part | None
    sender: str
    sender_name: str = ""
    relayed_by: str = ""
    sequence: int = 0
    kind: str = "full"
    fingerprint: str = ""
    public_key: str = ""
    signed: bool = True
    status: str = Status.OK
    reasons: list[str] = field(default_factory=list)  # why it is refused
    notes: list[str] = field(default_factory=list)  # what the officer should know
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_KEYS, 0))
    new_key: bool = False
    chunks: list[Chunk] = field(default_factory=list)  # the rows to write, one per payload
    offices: list[tuple[Any, ...]] = field(default_factory=list)  # office rows (by code)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    office_info: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""
    package_uuid: str = ""
    base: str | None = None
    excel_payload: bytes | None = None
    container_uuid: str | None = None  # the received file this relayed package came in
    # relayed, and made before a package of the same office already imported here (the office
    # sent that one straight here): read as any package, its number not the last one seen
    older: bool = False
    claims: dict[str, Any] = field(default_factory=dict)  # what the manifest says of the sender
    clashes: list[KeyClash] = field(default_factory=list)  # natural keys under another id
    # the office's own records it entered again after a reinstall: they replace the earlier
    # ones (tombstoned at the commit) once the officer confirms (``commit(replace=…)``)
    replacements: list[KeyClash] = field(default_factory=list)
    # An Excel form: the records it writes (JSON Lines, forwarded upward as they are) and who
    # entered it where and when (the manifest's "excel" entry, or this office for a local form)
    excel_records: bytes | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    # forms it calls complete that the rule of "complete" refuses: imported, not counted as
    # received (completeness.py)
    incomplete: list[Incomplete] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    @property
    def remark(self) -> str:
        """The text for the preview's last column."""
        return "; ".join(self.reasons or self.notes)

    def rows_of(self, table: str, modes: bytes = WRITTEN) -> Iterator[tuple[Any, ...]]:
        """The rows of ``table`` the commit writes for this part (read back from the spool)."""
        for chunk in self.chunks:
            if chunk.table == table:
                yield from chunk.select(modes)

    @property
    def rows(self) -> _RowsView:
        """table → the new and updated rows (read on demand: for small tables)."""
        return _RowsView(self, bytes((NEW, UPDATE)))

    @property
    def forced(self) -> _RowsView:
        """table → the rows that win a conflict (written over the stored version)."""
        return _RowsView(self, bytes((FORCED,)))


@dataclass
class PackagePlan:
    """One file of the import."""

    path: str
    status: str = Status.OK
    reason: str = ""
    code: str = ""
    parts: list[PartPlan] = field(default_factory=list)
    package_uuid: str = ""
    sender: str = ""

    @property
    def file_name(self) -> str:
        return Path(self.path).name

    def counts(self) -> dict[str, int]:
        total = dict.fromkeys(COUNT_KEYS, 0)
        for part in self.parts:
            for key in COUNT_KEYS:
                total[key] += part.counts[key]
        return total


@dataclass
class ImportPlan:
    packages: list[PackagePlan]
    me: str
    spool: RowSpool | None = None  # where the checked rows wait for the commit
    received_count: int = 0  # packages in the database when the preview read it

    def close(self) -> None:
        """Frees the rows kept for the commit (also when the plan is dropped)."""
        if self.spool is not None:
            self.spool.close()

    def rows(self) -> list[PartPlan]:
        return [part for package in self.packages for part in package.parts]

    @property
    def needs_trust(self) -> list[PartPlan]:
        return [p for p in self.rows() if p.status == Status.NEEDS_TRUST]

    @property
    def importable(self) -> list[PackagePlan]:
        return [p for p in self.packages if p.status in (Status.OK, Status.NEEDS_TRUST)]

    @property
    def needs_confirm(self) -> list[PartPlan]:
        """Parts that replace earlier records of their office (re-entered after a reinstall)."""
        return [
            p
            for package in self.importable
            for p in package.parts
            if p.replacements and p.status not in (Status.REFUSED, Status.DUPLICATE)
        ]


@dataclass
class ImportResult:
    imported: list[PackagePlan]
    refused: list[PackagePlan]
    duplicates: list[PackagePlan]

    def counts(self) -> dict[str, int]:
        total = dict.fromkeys(COUNT_KEYS, 0)
        for package in self.imported:
            for key, value in package.counts().items():
                total[key] += value
        return total


# ---- helpers ---------------------------------------------------------------------------------


def refusal_log_path() -> Path:
    return data_dir() / "exchange-refused.jsonl"


def log_refusal(package: PackagePlan, me: str) -> None:
    """Refused packages leave the database untouched; they are listed in a log file instead."""
    entry = {
        "at": utcnow().isoformat(),
        "office": me,
        "file": package.path,
        "sender": package.sender,
        "package": package.package_uuid,
        "code": package.code,
        "reason": package.reason,
    }
    try:
        with refusal_log_path().open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
    except OSError:
        pass


def refused_history() -> list[dict[str, Any]]:
    path = refusal_log_path()
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out


# ---- the state of this database, read once per preview -----------------------------------------


class _State:
    """What the preview needs from the database, plus what earlier packages of the same batch
    will have written (so a delta can follow its base in the same batch).

    Per record of the batch it keeps only the id with one tuple shared by the records of a
    payload (owner, revision, payload number); the rows themselves wait in the spool."""

    def __init__(self, store: Store):
        self.store = store
        self.dialect = store.engine.dialect
        self.codecs: dict[str, TableCodec] = codecs(self.dialect)
        with store.read() as session:
            offices = list(session.scalars(select(Office)))  # (read once: this office too)
            self.offices = {o.code: OfficeInfo.of(o) for o in offices}
            self.office_rows = {o.code: (o.id, o.owner_office, o.revision) for o in offices}
            me = self.offices.get(store.office_code) if store.office_code else None
            if me is None:
                raise Refusal("no_office", _("Set up this office first (Settings, or `lev init`)."))
            self.me = me
            self.trusted = {t.office_code: t for t in session.scalars(select(TrustedKey))}
            self.received = {
                r[0]: r[1]
                for r in session.execute(select(ReceivedPackage.uuid, ReceivedPackage.sender))
            }
            self.last_sequence = _last_sequences(session)
            self.last_made = _last_made(session)
            self.programmes = {p.id: (p.code, p.spec) for p in session.scalars(select(Programme))}
            self.counts = _row_counts(session.connection())
        self.received_count = len(self.received)
        # What the first half of the preview checks indicator values against (payloads.py):
        # the programmes here when the preview began; values of others are checked here.
        self.known_programmes = dict(self.programmes)
        # The latest plausible change time in a record: now, plus a computer clock a little ahead.
        self.now = utcnow()
        self.latest = self.now + CLOCK_TOLERANCE
        # table → id → (owner, revision, chunk number) of the version the batch will hold
        self.pending: dict[str, dict[str, tuple[str, int, int]]] = {n: {} for n in TABLES}
        # table → owner → natural key → id of the record that holds it in the batch (an
        # office's keys are dropped once its last package of the batch was compared)
        self.natural: dict[str, dict[str, dict[tuple[Any, ...], str]]] = {
            n: {} for n in NATURAL_KEYS
        }
        self._stored_keys: dict[tuple[str, str], dict[tuple[Any, ...], str]] = {}
        self.batch_keys: dict[str, str] = {}
        # fingerprint → the office it is trusted for here, or first came from in this batch
        self.key_holders: dict[str, str] = {t.fingerprint: c for c, t in self.trusted.items()}
        # undo list for a refused package: (mapping, key, previous value or None)
        self.journal: list[tuple[dict[Any, Any], Any, Any]] = []
        # programme → indicator code → its prepared rules (validation.indicator_parser)
        self.indicators = IndicatorRules()
        # (scope, office_name_key) → codes of the offices of that name (_name_clash; built
        # when an office record first brings a name)
        self.name_keys: dict[tuple[tuple[str, str], str], set[str]] | None = None
        self.finals: dict[str, Any] = {}  # what "complete" asks per programme (completeness.py)
        # sender → its parts of this batch already compared, in order (completeness.py: a
        # form is judged with the records they bring, not yet in the database)
        self.earlier: dict[str, list[tuple[PackagePlan, PartPlan]]] = {}
        self.spool = RowSpool()
        self.chunks: dict[int, Chunk] = {}  # by number, for comparing a record given twice
        self.next_chunk = 0
        self.current: tuple[Chunk, Payload] | None = None  # the payload being compared
        self._read_back: tuple[int, list[tuple[Any, ...]]] | None = None  # find_row's last block
        self.parts_left: dict[str, int] | None = None  # sender → its parts still to compare
        # what worker processes read of the package being compared (pool.Reads), by payload
        self.prefetched: dict[str, pool.Result] | None = None

    def name_on_record(self, code: str) -> str:
        """The office's Thai name as this office holds it, or will once the batch is stored
        (an office record that passed its checks); "" when it has none."""
        info = self.offices.get(code)
        return info.name if info is not None else ""

    def known(self, code: str) -> str:
        """An office this office has on record, as a message names it (code and name)."""
        return fmt.known_office(code, self.name_on_record(code))

    def key_holder(self, fingerprint: str, office: str) -> str | None:
        """The other office this key belongs to (trusted here, or signing another package of
        this batch), or None."""
        holder = self.key_holders.get(fingerprint)
        return holder if holder is not None and holder != office else None

    def remember(self, table: str, rid: str, value: tuple[str, int, int]) -> None:
        pending = self.pending[table]
        self.journal.append((pending, rid, pending.get(rid)))
        pending[rid] = value

    def added(self, mapping: dict[Any, Any], keys: list[Any]) -> None:
        """``keys`` were added to ``mapping`` (none was there): one journal entry for them all."""
        self.journal.append((mapping, keys, _ADDED))

    def undo(self) -> None:
        for mapping, key, old in reversed(self.journal):
            if old is _ADDED:
                for each in reversed(key):
                    mapping.pop(each, None)
            elif old is None:
                mapping.pop(key, None)
            else:
                mapping[key] = old
        self.journal.clear()

    def part_done(self, sender: str) -> None:
        """One part of ``sender`` was compared; after its last one, forget the keys kept for
        comparing its records (an office's records only come in its own packages)."""
        if self.parts_left is None or sender not in self.parts_left:
            return
        self.parts_left[sender] -= 1
        if self.parts_left[sender] <= 0:
            del self.parts_left[sender]
            for table, by_owner in self.natural.items():
                by_owner.pop(sender, None)
                self._stored_keys.pop((table, sender), None)

    def find_row(self, table: str, rid: str, number: int) -> tuple[Any, ...] | None:
        """The row the batch holds for ``rid``: in chunk ``number`` (a record given again in
        the same import at the same revision is compared with it)."""
        if self.current is not None and self.current[0].number == number:
            chunk, payload = self.current
            rows = payload.rows()
        else:
            found = self.chunks.get(number)
            if found is None or found.block is None:
                return None
            if self._read_back is None or self._read_back[0] != number:
                # (read back once for all the rows of a payload given again, not once per row)
                self._read_back = (number, found.spool.get(found.block))
            chunk, rows = found, self._read_back[1]
        if chunk.last and rid in chunk.last:
            return rows[chunk.last[rid]]
        for row, mode in zip(rows, chunk.modes, strict=False):
            if row[0] == rid and mode != SKIP:
                return row
        return None

    def stored_keys(self, table: str, owner: str) -> dict[tuple[Any, ...], str]:
        """natural key (owner first) → id of the live records of ``owner`` already in ``table``
        (the natural keys are unique among records that are not deleted: a tombstone keeps its
        key)."""
        found = self._stored_keys.get((table, owner))
        if found is None:
            found = {}
            if self.counts[table]:
                t = TABLES[table]
                columns = [t.c[name] for name in NATURAL_KEYS[table][1:]]
                with self.store.engine.connect() as conn:
                    for row in conn.execute(
                        select(t.c.id, *columns).where(
                            t.c.owner_office == owner, t.c.deleted.is_(False)
                        )
                    ):
                        found[(owner, *row[1:])] = row[0]
            self._stored_keys[(table, owner)] = found
        return found

    def key_clashes(
        self, table: str, owner: str, ids: list[str], keys: list[tuple[Any, ...]]
    ) -> list[KeyClash]:
        """Records that would repeat another record's natural key (one plan per office,
        programme and year; one value per indicator, period and row …) under a different id:
        what the database's unique constraints would refuse at the commit, found here first.
        Also remembers the keys of the batch, so that two packages cannot both bring one.
        Every record of a part is ``owner``'s (others are refused before)."""
        names = NATURAL_KEYS.get(table)
        if not names:
            return []
        batch = self.natural[table].setdefault(owner, {})
        stored = self.stored_keys(table, owner)
        clashes: list[KeyClash] = []
        if not stored and batch.keys().isdisjoint(keys) and len(set(keys)) == len(keys):
            # (no key here yet, none repeated: every record's key is new, what the loop below
            # finds for each)
            batch.update(zip(keys, ids, strict=True))
            self.added(batch, keys)
            return clashes
        journal = self.journal
        mine: set[str] = set()  # the ids this payload gave a key to
        for rid, key in zip(ids, keys, strict=True):
            other = batch.get(key)
            in_database = False
            if other is None and stored:
                other = stored.get(key)
                in_database = other is not None
            if other is not None and other != rid:
                clashes.append(
                    KeyClash(
                        table,
                        key[0],
                        dict(zip(names, key, strict=True)),
                        rid,
                        other,
                        in_database,
                        twice=other in mine,
                    )
                )
                continue
            if other is None:
                journal.append((batch, key, None))
                batch[key] = rid
                mine.add(rid)
        return clashes

    def existing(self, table: str, ids: list[str]) -> dict[str, tuple[str, int]]:
        """id → (owner, revision) for the ids already in the table (set-based, chunked)."""
        if not ids or self.counts[table] == 0:
            return {}
        t = TABLES[table]
        out: dict[str, tuple[str, int]] = {}
        with self.store.engine.connect() as conn:
            if self.counts[table] <= 4 * len(ids):
                wanted = set(ids)
                for rid, owner, rev in conn.execute(select(t.c.id, t.c.owner_office, t.c.revision)):
                    if rid in wanted:
                        out[rid] = (owner, rev)
            else:
                for start in range(0, len(ids), 5000):
                    chunk = ids[start : start + 5000]
                    for rid, owner, rev in conn.execute(
                        select(t.c.id, t.c.owner_office, t.c.revision).where(t.c.id.in_(chunk))
                    ):
                        out[rid] = (owner, rev)
        return out

    def stored_rows(self, table: str, ids: list[str]) -> dict[str, tuple[Any, ...]]:
        """Raw stored tuples (columns in codec order) for comparing content."""
        codec = self.codecs[table]
        cols = ", ".join(f'"{c}"' for c in codec.columns)
        out: dict[str, tuple[Any, ...]] = {}
        with self.store.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join(
                    "?" if self.dialect.paramstyle == "qmark" else "%s" for _ in chunk
                )
                for row in conn.exec_driver_sql(
                    f'SELECT {cols} FROM "{table}" WHERE id IN ({marks})', tuple(chunk)
                ):
                    out[row[0]] = tuple(row)
        return out


def _row_counts(conn: Connection) -> dict[str, int]:
    """table → its number of rows, in one plain statement (a select per table cost ~5 ms of
    compiling in a fresh process)."""
    counts = ", ".join(f'(SELECT count(*) FROM "{name}")' for name in TABLES)
    row = conn.exec_driver_sql(f"SELECT {counts}").one()
    return {name: int(count) for name, count in zip(TABLES, row, strict=True)}


def _row_digest(row: tuple[Any, ...]) -> str:
    return hashlib.sha256(repr(row).encode("utf-8")).hexdigest()


# ---- preview ---------------------------------------------------------------------------------


def preview(
    store: Store,
    paths: Iterable[str | Path],
    *,
    progress: Progress | None = None,
    limits: fmt.Limits = fmt.DEFAULT_LIMITS,
) -> ImportPlan:
    """Reads and checks every file; computes what an import would do. Writes nothing."""
    with paused_gc():
        return _preview(store, paths, progress=progress, limits=limits)


def _preview(
    store: Store, paths: Iterable[str | Path], *, progress: Progress | None, limits: fmt.Limits
) -> ImportPlan:
    progress = progress or Progress()
    state = _State(store)
    files = [str(p) for p in paths]
    opened: list[tuple[PackagePlan, fmt.Part | None, list[fmt.Part]]] = []
    sheets: list[PackagePlan] = []
    kept = 0  # bytes of package files held in memory until compared (fmt.READ_WHOLE)
    for index, path in enumerate(files):
        progress(index, len(files) * 2, _("Checking {name}").format(name=Path(path).name))
        package = PackagePlan(path=path)
        if path.lower().endswith(".xlsx"):
            sheets.append(package)
            continue
        try:
            outer, embedded = fmt.open_package(Path(path), limits, whole=kept < KEPT_FILES)
            kept += outer.kept
        except Refusal as refusal:
            package.status, package.reason, package.code = (
                Status.REFUSED,
                refusal.message,
                refusal.code,
            )
            opened.append((package, None, []))
            continue
        except (Cancelled, KeyboardInterrupt):
            raise
        except Exception as exc:
            _unexpected(package, exc)
            opened.append((package, None, []))
            continue
        package.package_uuid, package.sender = outer.uuid, outer.sender
        opened.append((package, outer, embedded))
    # Base packages before their deltas: by sender, then sequence.
    opened.sort(
        key=lambda item: (
            item[1] is None,
            item[1].sender if item[1] else "",
            item[1].sequence if item[1] else 0,
        )
    )
    if not sheets:  # (an Excel form is compared last and may come from any office)
        state.parts_left = {}
        for _package, outer_part, embedded_parts in opened:
            for sender in _senders(outer_part, embedded_parts):
                state.parts_left[sender] = state.parts_left.get(sender, 0) + 1
    parts = sum(1 + len(relayed) for _p, first, relayed in opened if first is not None)
    workers = pool.worker_count(parts) if WORKERS is None else WORKERS
    reads = (
        pool.Reads(
            workers,
            ((state.dialect.name, state.dialect.driver), state.latest, state.known_programmes),
        )
        if workers
        else None
    )
    try:
        if reads is not None:
            tables = [model.__tablename__ for model in MODELS]
            for index, (_package, first, relayed) in enumerate(opened):
                if first is not None:
                    reads.add(pool.tasks_of(index, first, relayed, tables))
        for index, (package, part, embedded) in enumerate(opened):
            progress(
                len(files) + index,
                len(files) * 2,
                _("Comparing {name} with this database").format(name=package.file_name),
            )
            if part is not None:
                try:
                    if reads is not None:
                        try:
                            state.prefetched = reads.results(index)
                        except pool.PoolUnusable:
                            log.warning("worker processes cannot start: reading in-process")
                            reads.close()
                            reads = None
                    _plan_package(state, package, part, embedded, progress)
                except pool.WorkerCrashed:
                    _worker_crashed(package)
                finally:
                    state.prefetched = None
                    part.close()
                    for compared in (part, *embedded):
                        compared.slim()
    finally:
        if reads is not None:
            reads.close()
    for package in sheets:
        state.journal.clear()
        try:
            _plan_excel(state, package)
        except (Cancelled, KeyboardInterrupt):
            raise
        except Exception as exc:
            _unexpected(package, exc)
            state.undo()
        opened.append((package, None, []))
    return ImportPlan(
        packages=[p for p, _o, _e in opened],
        me=state.me.code,
        spool=state.spool,
        received_count=state.received_count,
    )


def _plan_excel(state: _State, package: PackagePlan) -> None:
    """A filled Excel form (the fallback for an LAO without the app): unsigned, same checks."""
    state.journal.clear()
    try:
        meta, records, data = excel.read_filled(state.store, package.path)
    except Refusal as refusal:
        package.status, package.reason, package.code = Status.REFUSED, refusal.message, refusal.code
        return
    except OSError as exc:
        held = fmt.unreadable(exc, exc.filename or package.path)
        package.status, package.reason, package.code = Status.REFUSED, held.message, held.code
        return
    office = str(meta["office"])
    info = state.offices.get(office)
    part = PartPlan(
        part=None,
        sender=office,
        sender_name=info.name if info else "",
        signed=False,
        kind="excel",
        sequence=0,
        package_uuid=excel.package_uuid_of(data),
        excel_payload=data,
        office_info=info.as_dict() if info else {},
    )
    part.notes.append(_("from Excel, unsigned"))
    package.parts, package.package_uuid, package.sender = [part], part.package_uuid, office
    if part.package_uuid in state.received:
        part.status = package.status = Status.DUPLICATE
        package.reason = _("This package was already imported; nothing was changed.")
        return
    if info is None or not is_below(info, state.me):
        _refuse(
            package,
            part,
            "jurisdiction",
            _(
                "Office {office} is not under or above this office ({me}) in the reporting route, "
                "so its package was not imported."
            ).format(office=office, me=state.me.code),
        )
    else:
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
        part.excel_records = lines
        part.provenance = {
            "entered_by": state.store.officer,
            "entered_at": utcnow().isoformat() + "Z",
            "entered_office": state.me.code,
            "form_sha256": fmt.sha256(data),
        }
        _plan_records(state, package, part, lines, "kpi_values", {})
    if package.status != Status.REFUSED:
        state.received[part.package_uuid] = office
    _finish(package, state)


def _refuse(package: PackagePlan, part: PartPlan | None, code: str, message: str) -> None:
    if part is not None:
        part.status = Status.REFUSED
        part.reasons.append(message)
    if package.status != Status.REFUSED:
        package.status, package.code, package.reason = Status.REFUSED, code, message


def _info_for(state: _State, part: fmt.Part) -> OfficeInfo:
    known = state.offices.get(part.sender)
    claimed = OfficeInfo.of(part.manifest.get("sender") or {})
    return known if known is not None and known.level else claimed


def _unexpected(package: PackagePlan, exc: BaseException) -> None:
    """Whatever a file does to the reader, the officer gets a Thai refusal, never a traceback
    (the details go to the log for a developer)."""
    log.warning("refused %s: unexpected %s", package.path, type(exc).__name__, exc_info=exc)
    _refuse(
        package,
        None,
        "unreadable_content",
        _(
            "The file {name} could not be read: its content is damaged or not what LEV Desktop "
            "writes ({error}). Nothing was imported; please ask the sender for the file again."
        ).format(name=package.file_name, error=getattr(exc, "type_name", type(exc).__name__)),
    )
    _refuse_parts(package)


def _worker_crashed(package: PackagePlan) -> None:
    """Reading the file stopped a worker process by itself (pool.py): refused, in Thai."""
    log.warning("refused %s: a worker process stopped while reading it", package.path)
    _refuse(
        package,
        None,
        "worker_stopped",
        _(
            "The file {name} could not be checked: the helper process reading it stopped (the "
            "file may be damaged, or the computer short of memory). Nothing was imported; "
            "please close other programs and import again, or ask the sender for the file again."
        ).format(name=package.file_name),
    )
    _refuse_parts(package)


def _refuse_parts(package: PackagePlan) -> None:
    for part in package.parts:
        if part.status != Status.REFUSED:
            part.status = Status.REFUSED
            part.reasons.append(package.reason)


def _plan_package(
    state: _State,
    package: PackagePlan,
    outer: fmt.Part,
    embedded: list[fmt.Part],
    progress: Progress,
) -> None:
    accepted: list[_Accepted] = []
    try:
        _plan_package_checked(state, package, outer, embedded, progress, accepted)
    except (Cancelled, MemoryError, KeyboardInterrupt, SpoolError):
        raise  # (a full disk under the temporary file is no fault of the package)
    except Exception as exc:
        _unexpected(package, exc)
        state.undo()
        _forget_accepted(state, accepted)
    finally:
        state.current = None
        for sender in _senders(outer, embedded):
            state.part_done(sender)


def _senders(outer: fmt.Part | None, embedded: list[fmt.Part]) -> list[str]:
    """The office of each part a package brings: its own, the relayed packages' and the Excel
    forms' its office entered for offices below it (their records are that office's)."""
    if outer is None:
        return []
    return [
        outer.sender,
        *(part.sender for part in embedded),
        *(str(entry["office"]) for entry in outer.excel),
    ]


# A part the preview accepted: its id, (sender, key fingerprint), and that key's last sequence
# and latest making time before it (restored when a later part of the package is refused).
_Accepted = tuple[str, tuple[str, str], int | None, dt.datetime | None]


def _forget_accepted(state: _State, accepted: list[_Accepted]) -> None:
    for uuid_, epoch, previous, made in reversed(accepted):
        state.received.pop(uuid_, None)
        if previous is None:
            state.last_sequence.pop(epoch, None)
        else:
            state.last_sequence[epoch] = previous
        if made is None:
            state.last_made.pop(epoch, None)
        else:
            state.last_made[epoch] = made
    accepted.clear()


def _plan_package_checked(
    state: _State,
    package: PackagePlan,
    outer: fmt.Part,
    embedded: list[fmt.Part],
    progress: Progress,
    accepted: list[_Accepted],
) -> None:
    me = state.me
    state.journal.clear()
    if outer.uuid in state.received:
        try:
            for each in (outer, *embedded):
                each.check_files()
        except Refusal as refusal:
            # a changed or damaged copy of a package imported before: not "already imported"
            # (its records are not those that were imported), and the earlier one stays
            package.status, package.code = Status.REFUSED, refusal.code
            package.reason = " ".join(
                [
                    refusal.message,
                    _("A package with the same id was imported before; it stays as it was."),
                ]
            )
        else:
            package.status = Status.DUPLICATE
            package.reason = _("This package was already imported; nothing was changed.")
        said = [package.reason]
        package.parts.append(
            PartPlan(
                part=outer,
                sender=outer.sender,
                status=package.status,
                sequence=outer.sequence,
                reasons=said if package.status == Status.REFUSED else [],
                notes=said if package.status == Status.DUPLICATE else [],
                sender_name=_info_for(state, outer).name,
            )
        )
        return
    outer_info = _info_for(state, outer)
    plans: list[PartPlan] = []
    outer_plan = _new_part_plan(outer, outer_info)
    claim_problem = _claims_problem(state, outer_plan)
    if claim_problem:
        _refuse(package, outer_plan, "office_identity", claim_problem)
    elif outer.manifest.get("recipient") != me.code:
        _refuse(
            package,
            outer_plan,
            "wrong_recipient",
            _(
                "The package is addressed to office {to}, not to this office ({me}). It was not "
                "imported."
            ).format(to=outer.manifest.get("recipient"), me=me.code),
        )
    elif outer.sender == me.code:
        _refuse(
            package,
            outer_plan,
            "own_package",
            _("This package was written by this office itself; it cannot be imported here."),
        )
    elif not may_send_to(outer_info, me):
        _refuse(
            package,
            outer_plan,
            "jurisdiction",
            _(
                "Office {office} is not under or above this office ({me}) in the reporting route, "
                "so its package was not imported."
            ).format(office=outer.sender, me=me.code),
        )
    else:
        _check_key(state, package, outer_plan, via="")
    plans.append(outer_plan)
    for part in fmt.relaying_first([outer, *embedded])[1:]:  # (a key two parts share is first
        # the relaying office's: a district's package relayed on by its province, before its
        # LAOs', so that the LAO part is the one named)
        state.key_holders.setdefault(part.fingerprint, part.sender)
    for part in embedded:
        info = _info_for(state, part)
        plan = _new_part_plan(part, info)
        plan.relayed_by = outer.sender
        plan.container_uuid = outer.uuid
        claim_problem = _claims_problem(state, plan)
        unread_problem = None
        if part.uuid in state.received:
            try:
                part.check_files()
            except Refusal as refusal:
                unread_problem = refusal
        if unread_problem is not None:
            _refuse(package, plan, unread_problem.code, unread_problem.message)
        elif part.uuid in state.received:
            plan.status = Status.DUPLICATE
            plan.notes.append(_("Already imported"))
        elif claim_problem:
            _refuse(package, plan, "office_identity", claim_problem)
        elif not is_below(info, outer_info) or not is_below(info, me):
            _refuse(
                package,
                plan,
                "jurisdiction",
                _(
                    "Office {office} is not under office {relay}, so the package it relayed from "
                    "{office} was not imported."
                ).format(office=part.sender, relay=state.known(outer.sender)),
            )
        else:
            _check_key(state, package, plan, via=outer.sender)
        plans.append(plan)
    for entry in outer.excel:  # Excel forms the relaying office entered for offices below it
        plans.append(_excel_part_plan(state, package, outer, embedded, outer_info, entry))
    package.parts = plans
    if package.status == Status.REFUSED:
        _finish(package)
        return
    # Relayed packages first (the records of the offices below), then the relaying office's own.
    for plan in plans[1:] + plans[:1]:
        if plan.status in (Status.DUPLICATE, Status.REFUSED):
            continue
        if plan.kind == "excel":  # unsigned by its office: no sequence, its records as entered
            entry = plan.provenance
            try:
                data = outer.load_excel(entry)
                payload = _read(state, str(entry["file"]), "kpi_values", plan.sender, data)
            except Refusal as refusal:
                _refuse(package, plan, refusal.code, refusal.message)
                break
            plan.excel_records = data
            if payload is not None:
                _plan_payload(state, package, plan, payload, {})
            if plan.status == Status.REFUSED:
                break
            state.received[plan.package_uuid] = plan.sender
            continue
        _check_sequence(state, package, plan)
        if plan.status == Status.REFUSED:
            break
        made = _check_made(state, package, plan, None)
        if plan.status == Status.REFUSED:
            break
        newest: Any = None  # the latest change time among its records, as stored
        programmes_in_batch: dict[str, Any] = {}
        names = plan.part.payload_names if plan.part else []
        unknown = [n for n in names if n[len(fmt.PAYLOAD_DIR) : -len(".jsonl")] not in TABLES]
        for model in [] if unknown else MODELS:
            name = f"{fmt.PAYLOAD_DIR}{model.__tablename__}.jsonl"
            if plan.part is None or name not in names:
                continue
            part = plan.part
            try:  # read and checked against the signed manifest now, one file at a time
                payload = _read(
                    state,
                    part.root + name,
                    model.__tablename__,
                    plan.sender,
                    functools.partial(part.load, name),
                )
            except Refusal as refusal:
                _refuse(package, plan, refusal.code, refusal.message)
                break
            if payload is not None:
                if payload.newest is not None and (newest is None or payload.newest > newest):
                    newest = payload.newest
                _plan_payload(state, package, plan, payload, programmes_in_batch)
            del payload
            progress.check()
            if plan.status == Status.REFUSED:
                break
        if unknown:
            _refuse(
                package,
                plan,
                "bad_format",
                _(
                    "The package contains data this version does not know (“{name}”). Please "
                    "update LEV Desktop."
                ).format(name=unknown[0]),
            )
        if plan.status == Status.REFUSED:
            break
        if newest is not None:
            _check_made(state, package, plan, _as_utc(newest))
            if plan.status == Status.REFUSED:
                break
        _check_complete(state, package, plan)
        epoch = (plan.sender, plan.fingerprint)
        was_made = state.last_made.get(epoch)
        accepted.append((plan.package_uuid, epoch, state.last_sequence.get(epoch), was_made))
        state.received[plan.package_uuid] = plan.sender
        if not plan.older:
            state.last_sequence[epoch] = plan.sequence
        if made is not None and (was_made is None or made > was_made):
            state.last_made[epoch] = made
    if package.status == Status.REFUSED:
        _forget_accepted(state, accepted)
    _finish(package, state)


def _excel_part_plan(
    state: _State,
    package: PackagePlan,
    outer: fmt.Part,
    embedded: list[fmt.Part],
    outer_info: OfficeInfo,
    entry: dict[str, Any],
) -> PartPlan:
    """The preview row of an Excel form relayed by ``outer``'s office: unsigned by its own
    office, vouched for by the relaying office's signature, with who entered it."""
    office = str(entry["office"])
    info = (
        state.offices.get(office)
        or next(filter(None, (_office_in_payload(p, office) for p in [outer, *embedded])), None)
        or OfficeInfo(code=office)
    )
    when = _parse_created(str(entry["entered_at"]))
    plan = PartPlan(
        part=None,
        sender=office,
        sender_name=info.name,
        relayed_by=outer.sender,
        signed=False,
        kind="excel",
        sequence=0,
        package_uuid=str(entry["uuid"]),
        office_info=info.as_dict(),
        container_uuid=outer.uuid,
        provenance=dict(entry),
    )
    plan.notes.append(
        _("entered at {office} from an Excel form by {who} on {when}").format(
            office=entry["entered_office"],
            who=entry["entered_by"] or "-",
            when=format_date(when, "short") if when else "-",
        )
    )
    if plan.package_uuid in state.received:
        plan.status = Status.DUPLICATE
        plan.notes.append(_("Already imported"))
    elif not is_below(info, outer_info) or not is_below(info, state.me):
        _refuse(
            package,
            plan,
            "jurisdiction",
            _(
                "Office {office} is not under office {relay}, so the package it relayed from "
                "{office} was not imported."
            ).format(office=office, relay=state.known(outer.sender)),
        )
    return plan


def _office_in_payload(outer: fmt.Part, code: str) -> OfficeInfo | None:
    """The office as a package's own list describes it (an LAO a district keeps for an office
    without the program is in the district's package, not yet here)."""
    name = f"{fmt.PAYLOAD_DIR}offices.jsonl"
    if name not in outer.payload_names:
        return None
    try:
        data = outer.load(name)
    except Refusal:
        return None  # refused with the outer package's own records, with its reason
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and record.get("code") == code:
            return OfficeInfo.of(record)
    return None


def _finish(package: PackagePlan, state: _State | None = None) -> None:
    if package.status == Status.REFUSED:
        if state is not None:
            state.undo()
        for part in package.parts:
            # what it would have brought, counted until the refusal: none of it comes in
            for key in ("new", "updated", "unchanged", "conflicts"):
                part.counts[key] = 0
            if part.status not in (Status.REFUSED, Status.DUPLICATE):
                part.status = Status.REFUSED
                if not part.reasons:
                    part.reasons.append(
                        _("Refused with the rest of the package: {reason}").format(
                            reason=package.reason
                        )
                    )
        return
    if any(p.status == Status.NEEDS_TRUST for p in package.parts):
        package.status = Status.NEEDS_TRUST
    elif all(p.status == Status.DUPLICATE for p in package.parts[:1]):
        package.status = Status.DUPLICATE


def _claims_problem(state: _State, plan: PartPlan) -> str | None:
    """The sender's description of itself in the manifest: an office code of the official
    shape that agrees with its level and district, and with what this office knows of it.
    Checked before trust, so a contradiction is refused even from a first package."""
    claims = plan.claims
    problem = office_identity_problem(claims)
    if problem:
        return _("The package from {office} was not imported: {problem}").format(
            office=fmt.shown_code(plan.sender), problem=problem
        )
    refusal = fmt.claimed_name_refusal(plan.sender, claims.get("name") or "")
    if refusal:  # (the name is shown beside the key fingerprint)
        return refusal
    problem = office_claim_problem(claims, state.offices.get(plan.sender)) or _name_clash(
        state, claims, remember=False
    )  # (the name beside the fingerprint: a neighbour's name would be trusted as theirs)
    if problem:
        return _("The package from {office} was not imported: {problem}").format(
            office=plan.sender, problem=problem
        )
    return None


def _new_part_plan(part: fmt.Part, info: OfficeInfo) -> PartPlan:
    return PartPlan(
        part=part,
        sender=part.sender,
        sender_name=info.name or str((part.manifest.get("sender") or {}).get("name", "")),
        sequence=part.sequence,
        kind=str(part.manifest.get("kind") or "full"),
        fingerprint=part.fingerprint,
        public_key=part.public_key,
        office_info=info.as_dict(),
        created_at=str(part.manifest.get("created_at", "")),
        package_uuid=part.uuid,
        base=part.manifest.get("base_package"),
        claims=dict(part.manifest.get("sender") or {}),
    )


def _check_key(state: _State, package: PackagePlan, plan: PartPlan, *, via: str) -> None:
    trusted = state.trusted.get(plan.sender)
    known_in_batch = state.batch_keys.get(plan.sender)
    holder = state.key_holder(plan.fingerprint, plan.sender)
    if holder is not None:
        # Every office signs with a key of its own. An LAO's package signed with the key of
        # the district relaying it was changed or made by that district: taken, it made the
        # LAO's new key "vouched for" and its forms complete and on time at the province.
        _refuse(
            package,
            plan,
            "key_of_another_office",
            fmt.key_of_another_office(plan.sender, holder, state.name_on_record(holder)),
        )
        return
    if trusted is not None:
        if trusted.fingerprint != plan.fingerprint and trusted.via and not via:
            # The key held came vouched for by a relaying office, never from the office
            # itself; its own package now brings another. Either it reinstalled, or what was
            # relayed under the first key was not its own: the officer is told to ask both.
            _refuse(
                package,
                plan,
                "key_changed",
                _(
                    "The package from {office} is signed with a key (fingerprint {fp}) other "
                    "than the one this office holds for it, which came in a package relayed by "
                    "{relay} and was never confirmed with {office} itself. Ask {office} (by "
                    "telephone or letter) whether it reinstalled its program and which "
                    "fingerprint is its own: if it did not reinstall, the data of {office} that "
                    "{relay} relayed under the earlier key did not come from {office}; ask "
                    "{relay}. Then choose “Trust again” for {office}."
                ).format(
                    office=plan.sender, fp=plan.fingerprint[:16], relay=state.known(trusted.via)
                ),
            )
        elif trusted.fingerprint != plan.fingerprint:
            _refuse(
                package,
                plan,
                "key_changed",
                _(
                    "The package from {office} is signed with a different key from the one this "
                    "office trusts (fingerprint {fp}). If {office} reinstalled its program, "
                    "confirm the new fingerprint with them (by telephone or letter) and choose "
                    "“Trust again” for that office before importing."
                ).format(office=plan.sender, fp=plan.fingerprint[:16]),
            )
        return
    if known_in_batch is not None and known_in_batch != plan.fingerprint:
        _refuse(
            package,
            plan,
            "key_changed",
            _(
                "Two packages from {office} in this import are signed with different keys. They "
                "were not imported."
            ).format(office=plan.sender),
        )
        return
    state.batch_keys[plan.sender] = plan.fingerprint
    state.key_holders.setdefault(plan.fingerprint, plan.sender)
    plan.new_key = True
    if via:
        # A relayed package: the relaying office vouches for the key it already checked.
        plan.notes.append(_("New key, vouched for by {office}").format(office=via))
    else:
        plan.status = Status.NEEDS_TRUST
        plan.notes.append(
            _("First package from this office: check the key fingerprint before trusting it")
        )


def _check_sequence(state: _State, package: PackagePlan, plan: PartPlan) -> None:
    last = state.last_sequence.get((plan.sender, plan.fingerprint))
    if plan.sequence > (last or 0) + MAX_SEQUENCE_JUMP:
        _refuse(
            package,
            plan,
            "sequence_jump",
            _(
                "The package from {office} has sequence number {seq}, far beyond the last one "
                "imported from that office ({last}). Accepting it would refuse the office's "
                "next packages as old ones, so it was not imported. Please ask {office} to "
                "check its program."
            ).format(office=plan.sender, seq=plan.sequence, last=last or 0),
        )
        return
    if last is not None and plan.sequence <= last and plan.relayed_by:
        # An LAO sends its temple report to the province itself and the rest to its district,
        # which relays those packages later: they come after a newer one of the same office.
        # Refusing them refused the district's whole package, every time it sent one. Their
        # records are compared as any others (a newer version here stays), so nothing goes back.
        plan.older = True
        plan.notes.append(
            _(
                "Made before package {last} from {office}, which was imported earlier; the newer "
                "versions of its records are kept"
            ).format(office=plan.sender, last=last)
        )
    elif last is not None and plan.sequence <= last:
        _refuse(
            package,
            plan,
            "replay",
            _(
                "The package from {office} has sequence number {seq}, but number {last} from that "
                "office was already imported: this package was made before it, so it was not "
                "imported. If {office} restored a backup and its new packages are refused like "
                "this, check with it, then restart its numbers with “Restart sequence numbers…” "
                "(Exchange › Trusted keys)."
            ).format(office=plan.sender, seq=plan.sequence, last=last),
        )
        return
    if plan.kind == "delta" and (not plan.base or plan.base not in state.received):
        _refuse(
            package,
            plan,
            "missing_base",
            _(
                "The package from {office} holds only the changes since an earlier package that "
                "this office never imported. Please import the earlier package first, or ask "
                "{office} for a full package."
            ).format(office=plan.sender),
        )


def _plan_records(
    state: _State,
    package: PackagePlan,
    plan: PartPlan,
    data: bytes,
    table: str,
    batch_programmes: dict[str, Any],
) -> None:
    """One payload file of a part: read and checked (payloads.py), then compared here."""
    payload = read_payload(
        state.codecs[table],
        data,
        sender=plan.sender,
        latest=state.latest,
        programmes=state.known_programmes,
        parsers=state.indicators,
    )
    _plan_payload(state, package, plan, payload, batch_programmes)


def _read(
    state: _State,
    key: str,
    table: str,
    sender: str,
    data: bytes | Callable[[], bytes],
) -> Payload | None:
    """One payload file of a part, read and checked (payloads.py): as a worker process read
    it (pool.py), or here now. ``data``: the bytes, or how to read them (an empty payload file
    of a signed part is skipped; an Excel form's records are always compared)."""
    prefetched = state.prefetched
    if prefetched is not None and key in prefetched:
        found = prefetched.pop(key)
        if isinstance(found, pool.Refused):
            raise found.exception()
        if isinstance(found, pool.Failed):
            if found.type_name == "MemoryError":
                raise MemoryError
            raise pool.ReadFailure(found.type_name)
        return found
    if callable(data):
        data = data()
        if not data:
            return None
    return read_payload(
        state.codecs[table],
        data,
        sender=sender,
        latest=state.latest,
        programmes=state.known_programmes,
        parsers=state.indicators,
    )


def _plan_payload(
    state: _State,
    package: PackagePlan,
    plan: PartPlan,
    payload: Payload,
    batch_programmes: dict[str, Any],
) -> None:
    """The second half of the preview for one payload: what depends on this database and on
    the packages compared before it (programmes, ownership, revisions, natural keys)."""
    table = payload.table
    problems = payload.problems
    first_reason = len(plan.reasons)
    for text, capped in payload.reasons:
        if not capped or len(plan.reasons) < MAX_REASONS:
            plan.reasons.append(text)
    if table == "programmes":
        for record in payload.records or ():
            batch_programmes[record.id] = (record.code, record.spec or {})
    if not problems:
        rule_reasons, rule_problems = list(payload.rule_reasons), payload.rule_problems
        if payload.deferred:  # values of programmes that came in this import

            def spec_of(pid: str) -> Any:
                return state.programmes.get(pid) or batch_programmes.get(pid)

            found, _left = kpi_problems(payload.deferred, spec_of, state.indicators, defer=False)
            rule_reasons += found
            rule_problems += len(found)
        plan.reasons.extend(rule_reasons[:MAX_REASONS])
        problems += rule_problems
    if table in PROGRAMME_TABLES:
        missing = {
            pid
            for pid in payload.programme_ids
            if pid not in state.programmes and pid not in batch_programmes
        }
        for pid in sorted(missing)[:MAX_REASONS]:
            problems += 1
            plan.reasons.append(
                _(
                    "{what}: refers to a programme this office does not have "
                    "({id}). Import the package of the office that created the "
                    "programme first."
                ).format(what=_table_label(table), id=pid[:8])
            )
    if problems:
        plan.counts["refused"] += problems
        message = (
            plan.reasons[first_reason] if len(plan.reasons) > first_reason else _("Invalid data")
        )
        plan.status = Status.REFUSED
        if package.status != Status.REFUSED:
            package.status, package.code, package.reason = Status.REFUSED, "validation", message
        return
    if not payload.count:
        return
    if table == "offices":
        _plan_offices(state, package, plan, payload.rows(), payload.records or [])
        return
    _classify(state, package, plan, table, payload)
    if plan.status == Status.REFUSED or _predict_integrity(state, package, plan, table, payload):
        return
    if table == "programmes":
        codec = state.codecs[table]
        code_index = codec.columns.index("code")
        taken = {code: pid for pid, (code, _spec) in state.programmes.items()}
        for row in payload.rows():
            other = taken.get(row[code_index])
            if other is not None and other != row[0]:
                _refuse(
                    package,
                    plan,
                    "validation",
                    _reason_line(
                        table,
                        {"code": row[code_index]},
                        _("another programme with the same code already exists here"),
                    ),
                )
        for record in payload.records or ():
            state.programmes.setdefault(record.id, (record.code, record.spec or {}))


def _predict_integrity(
    state: _State, package: PackagePlan, plan: PartPlan, table: str, payload: Payload
) -> bool:
    """What the database would refuse at the commit, found in the preview and said in Thai per
    office: a natural key repeated under another id, a row whose parent is nowhere.
    True when the part was refused."""
    clashes = (
        state.key_clashes(table, plan.sender, payload.ids, payload.keys)
        if payload.keys is not None
        else []
    )
    replaced = replacements(state, plan, table, payload.ids, clashes)
    clashes = [c for c in clashes if c not in replaced]
    if clashes:
        plan.clashes.extend(clashes)
        plan.counts["refused"] += len(clashes)
        for clash in clashes[:MAX_REASONS]:
            if clash.twice:  # (not "in another package of this import": there may be only one)
                _refuse(
                    package,
                    plan,
                    "natural_key",
                    _(
                        "{what} of office {office} ({key}) is in this package twice, under two "
                        "record identities ({other}, {new}); a package made by LEV Desktop never "
                        "holds that (the file was changed or damaged). It was not imported."
                    ).format(
                        what=_table_label(table),
                        office=clash.owner,
                        key=_key_text(state, clash.key),
                        other=clash.existing_id[:8],
                        new=clash.incoming_id[:8],
                    ),
                )
                continue
            where = (
                _("already here") if clash.in_database else _("in another package of this import")
            )
            _refuse(
                package,
                plan,
                "natural_key",
                _(
                    "{what} of office {office} ({key}) exists {where} under another record "
                    "identity ({other}); this package brings it again as a new record ({new}), "
                    "as happens when a program is reinstalled and the data typed in again. "
                    "It was not imported."
                ).format(
                    what=_table_label(table),
                    office=clash.owner,
                    key=_key_text(state, clash.key),
                    where=where,
                    other=clash.existing_id[:8],
                    new=clash.incoming_id[:8],
                ),
            )
        return True
    reference = REFERENCES.get(table)
    if reference is None or payload.parents is None:
        return False
    parent = reference[1]
    pending = state.pending[parent]
    # (not ``set - pending.keys()``: that walks every id of the batch, per payload)
    wanted = {rid for rid in set(payload.parents) if rid not in pending}
    if wanted:
        found = set(state.existing(parent, sorted(wanted)))
        missing = sorted(wanted - found)
        if missing:
            plan.counts["refused"] += len(missing)
            _refuse(
                package,
                plan,
                "missing_parent",
                _(
                    "{what}: refers to records that are neither in the package nor in this "
                    "database ({ids}). It was not imported; please ask the office for a full "
                    "package."
                ).format(what=_table_label(table), ids=", ".join(m[:8] for m in missing[:3])),
            )
            return True
    return False


def replacements(
    state: _State,
    plan: PartPlan,
    table: str,
    ids: list[str],
    clashes: list[KeyClash],
) -> list[KeyClash]:
    """Of the natural-key clashes, those that replace an earlier record after a reinstall: the
    sending office's own live record is here under another id, and the package brings the
    record as new (typed in again). They go in once the officer confirms; the earlier record
    becomes a tombstone. Noted on the part, in Thai, for the preview."""
    if table not in REPLACEABLE or not plan.signed or not clashes:
        return []
    new_ids = set(ids) - set(state.existing(table, ids))
    found = [
        c for c in clashes if c.in_database and c.owner == plan.sender and c.incoming_id in new_ids
    ]
    plan.replacements.extend(found)
    if found:
        plan.notes.append(
            _("replaces the earlier record after a reinstall: {what} ({key})").format(
                what=_table_label(table),
                # the first in the key's order (the clashes come in no fixed order)
                key=_key_text(state, min(found, key=lambda c: tuple(map(str, c.key.values()))).key)
                + (f" … +{len(found) - 1}" if len(found) > 1 else ""),
            )
        )
    return found


def _key_text(state: _State, key: dict[str, Any]) -> str:
    """A natural key as people know it: the programme by its code, an indicator and a form
    by their names in the programme, a period in Thai months and BE years ("P4, จำนวนกิจกรรม
    ที่จัด, มกราคม 2568"; it read "P4, activities_held, 2025-01"); the office is said apart."""
    pid = key.get("programme_id")
    code, spec = state.programmes.get(pid, (pid, {})) if pid else (None, {})

    def shown(name: str, value: Any) -> str:
        if name == "programme_id":
            return str(code)
        if name == "period":
            return format_period(str(value))
        if name == "indicator_code":
            found = templates.indicator(spec or {}, str(value))
            return str(found.get("name") or value) if found else str(value)
        if name == "form_code":
            found = templates.form(spec or {}, str(value))
            return str(found.get("name") or value) if found else str(value)
        return str(value)

    return ", ".join(shown(k, v) for k, v in key.items() if k != "owner_office" and v != "")


def _classify(
    state: _State, package: PackagePlan, plan: PartPlan, table: str, payload: Payload
) -> None:
    """New / updated / unchanged / conflict for every row, against the database and the batch;
    what the commit does with each row goes with the rows into the spool (a Chunk)."""
    pending = state.pending[table]
    ids, revisions = payload.ids, payload.revisions
    owner = plan.sender  # every record's owner: the others were refused before
    # (an empty table holds none of them: no list of the ids to ask about)
    existing = (
        state.existing(table, [rid for rid in ids if rid not in pending])
        if state.counts[table]
        else {}
    )
    number = state.next_chunk = state.next_chunk + 1
    chunk = Chunk(table, state.spool, None, bytearray(len(ids)), number)
    repeated: set[str] = set()
    if len(set(ids)) != len(ids):  # an id given twice: remember which row counts
        seen_once: set[str] = set()
        for rid in ids:
            (repeated if rid in seen_once else seen_once).add(rid)
        chunk.last = {}
    state.current = (chunk, payload)
    modes = chunk.modes
    shared: dict[int, tuple[str, int, int]] = {}  # revision → the value kept per id
    same_revision: list[int] = []
    counts = plan.counts
    journal = state.journal
    new = updated = unchanged = 0
    if not repeated and not existing and pending.keys().isdisjoint(ids):
        # Every row new (the usual first import): what the loop below does for each row,
        # a column at a time.
        new = len(ids)
        modes[:] = bytes((NEW,)) * new
        by_revision = {revision: (owner, revision, number) for revision in set(revisions)}
        state.added(pending, ids)
        pending.update(zip(ids, map(by_revision.__getitem__, revisions), strict=True))
        ids = []  # (nothing left for the loop)
    for i, rid in enumerate(ids):
        revision = revisions[i]
        seen = pending.get(rid)
        if seen is None:
            found = existing.get(rid)
            if found is None:
                new += 1
                modes[i] = NEW
                value = shared.get(revision)
                if value is None:
                    value = shared[revision] = (owner, revision, number)
                journal.append((pending, rid, None))
                pending[rid] = value
                if repeated and rid in repeated:
                    chunk.last[rid] = i  # type: ignore[index]
                continue
            was_owner, was_revision = found
        else:
            was_owner, was_revision = seen[0], seen[1]
        if was_owner != owner:
            counts["refused"] += 1
            _refuse(
                package,
                plan,
                "ownership",
                _reason_line(
                    table,
                    {"id": rid},
                    _(
                        "belongs to office {owner}; only {owner}'s own packages may change it"
                    ).format(owner=was_owner),
                ),
            )
            continue
        if revision > was_revision:
            updated += 1
            modes[i] = UPDATE
            state.remember(table, rid, (owner, revision, number))
            if repeated and rid in repeated:
                chunk.last[rid] = i  # type: ignore[index]
        elif revision < was_revision:
            unchanged += 1
        else:
            same_revision.append(i)
    if same_revision:
        codec = state.codecs[table]
        upd_i = codec.columns.index("updated_at")
        rows = payload.rows()
        need = [ids[i] for i in same_revision if ids[i] not in pending]
        stored = state.stored_rows(table, need)
        for i in same_revision:
            row, rid = rows[i], ids[i]
            seen = pending.get(rid)
            current = state.find_row(table, rid, seen[2]) if seen is not None else stored.get(rid)
            if current is None or _same(current, row):
                unchanged += 1
                continue
            counts["conflicts"] += 1
            # Deterministic winner: the later update; on a tie, the larger digest.
            incoming_key = (str(row[upd_i]), _row_digest(row))
            current_key = (str(current[upd_i]), _row_digest(current))
            incoming_wins = incoming_key > current_key
            kept, other = (row, current) if incoming_wins else (current, row)
            plan.conflicts.append(
                {
                    "table": table,
                    "id": rid,
                    "owner": owner,
                    "revision": revisions[i],
                    "winner": "incoming" if incoming_wins else "existing",
                    "kept": _row_dict(codec, kept),
                    "other": _row_dict(codec, other),
                }
            )
            if incoming_wins:
                modes[i] = FORCED
                state.remember(table, rid, (owner, revisions[i], number))
                if repeated and rid in repeated:
                    chunk.last[rid] = i  # type: ignore[index]
    state.current = None
    counts["new"] += new
    counts["updated"] += updated
    counts["unchanged"] += unchanged
    if plan.status != Status.REFUSED and (
        modes.count(SKIP) != len(modes) or (plan.older and table == "form_submissions")
    ):  # (an older relayed part's forms are read again for its receipts: _receipts)
        chunk.block = (
            state.spool.put_blob(payload.blob)
            if payload.blob
            else state.spool.put_rows(payload.rows(), payload.size)
        )
        plan.chunks.append(chunk)
        state.chunks[number] = chunk


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        if isinstance(x, (int, float)) and isinstance(y, (int, float)) and float(x) == float(y):
            continue
        if _same_json(x, y) or _same_json(y, x):
            continue
        return False
    return True


def _same_json(stored: Any, incoming: Any) -> bool:
    """A JSON column read back from PostgreSQL is a list or dict (psycopg2 parses it), while the
    incoming value is its JSON text: the same value, not a conflict."""
    if not isinstance(stored, (list, dict)) or not isinstance(incoming, str):
        return False
    try:
        return bool(json.loads(incoming) == stored)
    except ValueError:
        return False


def _row_dict(codec: TableCodec, row: tuple[Any, ...]) -> dict[str, Any]:
    out = {}
    for name, value in zip(codec.columns, row, strict=True):
        out[name] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
    return out


PROTECTED_OFFICE_FIELDS = ("level", "lao_type", "province_code", "district_code", "parent_code")


def _office_fields(office: Any) -> dict[str, Any]:
    get = field_getter(office)
    return {key: get(key) or None for key in ("code", *PROTECTED_OFFICE_FIELDS)}


def office_claim_problem(claimed: Any, known: Any) -> str | None:
    """Why an office's description of itself contradicts what this office knows of it (its
    level, type, province, district or parent; the code is the key), or None. A change of
    these is made here first (the LAO list), never by the office's own package."""
    if known is None:
        return None
    mine, theirs = _office_fields(known), _office_fields(claimed)
    labels = {
        "level": _("level"),
        "lao_type": _("type"),
        "province_code": _("province"),
        "district_code": _("district"),
        "parent_code": _("office it reports to"),
    }
    for key in PROTECTED_OFFICE_FIELDS:
        if mine[key] is not None and theirs[key] != mine[key]:
            return _(
                "office {code} describes its {what} as “{claimed}”, but this office has "
                "“{known}”. A change of an office's level, type, district or province is made "
                "by the office it reports to (the LAO list), not by the office's own package."
            ).format(
                code=mine["code"] or theirs["code"],
                what=labels[key],
                claimed=theirs[key] or "-",
                known=mine[key],
            )
    return None


def may_describe(sender: OfficeInfo, office: Any) -> bool:
    """Which office records a package of ``sender`` may create or change: its own; a district
    its LAOs; a province the LAOs and districts in its province; the Department any but
    itself. An LAO sends only its own record."""
    fields = _office_fields(office)
    if fields["code"] == sender.code:
        return True
    level = fields["level"]
    if sender.level == "district":
        return (
            level == "lao"
            and bool(sender.district_code)
            and (fields["district_code"] == sender.district_code)
        )
    if sender.level == "province":
        return (
            level in ("lao", "district")
            and bool(sender.province_code)
            and (fields["province_code"] == sender.province_code)
        )
    return sender.level == "national" and level != "national"


def _plan_offices(
    state: _State,
    package: PackagePlan,
    plan: PartPlan,
    rows: list[tuple[Any, ...]],
    records: list[Any],
) -> None:
    """Offices are matched by code (unique): an office's description of itself wins over
    another office's description of it; otherwise the higher revision of the same author.
    A package describes only the offices its sender is entitled to, and never changes an
    office's level, type, district or province that this office already knows."""
    sender = OfficeInfo.of(plan.claims or plan.office_info)
    for row, record in zip(rows, records, strict=True):
        code, owner, revision = record.code, record.owner_office, record.revision
        # (before "this office's own record is its own": an LAO's record of the district it
        # is sent to was dropped without a word, where one of its province refused the package)
        if not may_describe(sender, record):
            plan.counts["refused"] += 1
            _refuse(
                package,
                plan,
                "office_identity",
                _(
                    "The package from {sender} creates or changes office {code}, which {sender} "
                    "may not describe (an LAO sends only its own office record; a district only "
                    "the LAOs of its district). It was not imported."
                ).format(sender=plan.sender, code=code),
            )
            continue
        if code == state.me.code:  # described by an office above: this office's record wins
            plan.counts["unchanged"] += 1
            continue
        known = state.offices.get(code)
        if code == plan.sender:
            problem = office_claim_problem(record, sender if plan.claims else None)
            problem = problem or office_claim_problem(record, known)
            if problem:
                plan.counts["refused"] += 1
                _refuse(package, plan, "office_identity", problem)
                continue
        current = state.office_rows.get(code)
        if current is not None:
            cur_id, cur_owner, cur_rev = current
            self_described = owner == code and cur_owner != code
            same_author_newer = owner == cur_owner and (
                revision > cur_rev or (revision == cur_rev and cur_id != row[0])
            )
            if not (self_described or same_author_newer):
                plan.counts["unchanged"] += 1
                continue
            if owner == code:  # the office itself may fill in, never change, what is known
                problem = office_claim_problem(record, known)
                if problem:
                    plan.counts["refused"] += 1
                    _refuse(package, plan, "office_identity", problem)
                    continue
        problem = _name_clash(state, record)
        if problem:
            plan.counts["refused"] += 1
            _refuse(package, plan, "office_identity", problem)
            continue
        plan.counts["new" if current is None else "updated"] += 1
        plan.offices.append(row)
        state.office_rows[code] = (row[0], owner, revision)
        state.offices[code] = OfficeInfo.of(record)


def _name_clash(state: _State, record: Any, *, remember: bool = True) -> str | None:
    """Why ``record`` (an office record, or a sender's claims) may not carry its name (Thai),
    or None: the name looks the same as another office's of its district
    (``validation.office_name_key``): the board and the F3 report would show two rows of one
    name, one of them another office's. A name that was already this office's before is not
    judged again. ``remember``: the name is this office's from now on in the batch."""
    get = field_getter(record)
    code, name = str(get("code") or ""), str(get("name") or "")
    key = office_name_key(name)
    known = state.offices.get(code)
    if known is not None and office_name_key(known.name) == key:
        return None
    if state.name_keys is None:
        state.name_keys = {}
        for office in state.offices.values():
            state.name_keys.setdefault(
                (office_name_scope(office), office_name_key(office.name)), set()
            ).add(office.code)
    holders = state.name_keys.get((office_name_scope(record), key), set()) - {code}
    if not holders:
        if not remember:
            return None
        if known is not None:
            state.name_keys.get(
                (office_name_scope(known), office_name_key(known.name)), set()
            ).discard(code)
        state.name_keys.setdefault((office_name_scope(record), key), set()).add(code)
        return None
    other = state.offices[min(holders)]
    return _(
        "The package names office {code} “{name}”, which looks the same as the name of office "
        "{other} (“{other_name}”) in the same district: the board and the reports would show "
        "two offices of one name. It was not imported; a name is corrected in the LAO list."
    ).format(
        code=code, name=shown_value(name), other=other.code, other_name=shown_value(other.name)
    )


# ---- commit ----------------------------------------------------------------------------------


def commit(
    store: Store,
    plan: ImportPlan,
    *,
    trust: bool | set[str] = False,
    replace: bool | set[str] = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Writes every importable package of the plan in one transaction.

    ``trust``: True accepts every new direct sender's key; a set accepts those offices' keys.
    A package from an office whose key is not trusted is refused (nothing of it is written).
    ``replace``: True (or a set of office codes) confirms that records an office entered again
    after a reinstall replace its earlier ones (``ImportPlan.needs_confirm``); unconfirmed, the
    package is refused.
    """
    progress = progress or Progress()
    imported: list[PackagePlan] = []
    # The files as received wait in the plan's spool too (a national import: ~80 MB).
    spool = plan.spool if plan.spool is not None else RowSpool()
    containers: dict[int, Block | None] = {}
    refused: list[PackagePlan] = [p for p in plan.packages if p.status == Status.REFUSED]
    duplicates = [p for p in plan.packages if p.status == Status.DUPLICATE]
    for package in plan.importable:
        waiting = [p for p in package.parts if p.status == Status.NEEDS_TRUST]
        if any(
            not (trust is True or (isinstance(trust, set) and p.sender in trust)) for p in waiting
        ):
            office = waiting[0].sender
            _refuse(
                package,
                None,
                "untrusted",
                _(
                    "The key of office {office} is not trusted yet (fingerprint {fp}). Check the "
                    "fingerprint with {office} and import again, choosing to trust it (or use "
                    "--trust)."
                ).format(office=office, fp=waiting[0].fingerprint[:16]),
            )
            refused.append(package)
            continue
        unconfirmed = [
            p
            for p in package.parts
            if p.replacements
            and not (replace is True or (isinstance(replace, set) and p.sender in replace))
        ]
        if unconfirmed:
            _refuse(
                package,
                None,
                "needs_confirm",
                _(
                    "Office {office} entered again records this office already has under other "
                    "identities (as after a reinstall). Confirm that they replace the earlier "
                    "records (the earlier ones are kept as deleted), or ask the office; nothing "
                    "was imported."
                ).format(office=unconfirmed[0].sender),
            )
            refused.append(package)
            continue
        outer = package.parts[0].part if package.parts and not package.parts[0].relayed_by else None
        try:  # the file as received is kept (relayed upward later): the bytes that were checked
            container = outer.read_container() if outer is not None else None
            containers[id(package)] = spool.put_blob(container) if container is not None else None
            del container
        except Refusal as refusal:
            _refuse(package, None, refusal.code, refusal.message)
            refused.append(package)
            continue
        except OSError as exc:
            held = fmt.unreadable(exc, exc.filename or package.file_name)
            _refuse(package, None, held.code, held.message)
            refused.append(package)
            continue
        imported.append(package)
    # A package whose base (or earlier package of the same sender) was just refused cannot go
    # in either: its changes would rest on records that are not there.
    changed = True
    while changed:
        changed = False
        gone = {part.package_uuid for package in refused for part in package.parts}
        for package in list(imported):
            if any(part.base in gone for part in package.parts if part.base):
                imported.remove(package)
                _refuse(
                    package,
                    None,
                    "missing_base",
                    _(
                        "The package from {office} holds only the changes since an earlier package "
                        "that this office never imported. Please import the earlier package first, "
                        "or ask {office} for a full package."
                    ).format(office=package.sender),
                )
                refused.append(package)
                changed = True
    if not imported:
        for package in refused:
            log_refusal(package, plan.me)
        return ImportResult(imported=[], refused=refused, duplicates=duplicates)
    total = sum(
        chunk.count()
        for package in imported
        for part in package.parts
        if part.status not in (Status.DUPLICATE, Status.REFUSED)
        for chunk in part.chunks
    )
    stall = os.environ.get("LEV_EXCHANGE_TEST_STALL")  # test hook: pause mid-transaction
    codec_map = codecs(store.engine.dialect)
    mark = "?" if store.engine.dialect.paramstyle == "qmark" else "%s"
    now = utcnow()
    try:
        with paused_gc():
            _write_all(
                store,
                plan,
                imported,
                codec_map,
                mark,
                now,
                stall,
                progress,
                total,
                (spool, containers),
            )
    except (sa_exc.IntegrityError, _driver_integrity_error(store)) as exc:
        # (the rows go to the driver's cursor: its own IntegrityError, not SQLAlchemy's)
        return _refused_while_writing(store, plan, imported, refused, duplicates, exc)
    for package in refused:
        log_refusal(package, plan.me)
    return ImportResult(imported=imported, refused=refused, duplicates=duplicates)


def _driver_integrity_error(store: Store) -> type[Exception]:
    """The database driver's IntegrityError (sqlite3's, psycopg2's)."""
    dbapi: Any = store.engine.dialect.dbapi
    error: type[Exception] = dbapi.IntegrityError
    return error


def _refused_while_writing(
    store: Store,
    plan: ImportPlan,
    imported: list[PackagePlan],
    refused: list[PackagePlan],
    duplicates: list[PackagePlan],
    exc: Exception,
) -> ImportResult:
    """The transaction was rolled back. Say truly why: most often another import of the same
    package (another window, another computer on a shared database) finished first."""
    uuids = [part.package_uuid for package in imported for part in package.parts]
    with store.read() as session:
        done = set(
            session.scalars(select(ReceivedPackage.uuid).where(ReceivedPackage.uuid.in_(uuids)))
        )
    for package in imported:
        if any(part.package_uuid in done for part in package.parts):
            package.status, package.code = Status.DUPLICATE, "imported_meanwhile"
            package.reason = _(
                "This package was imported by another import running at the same time (another "
                "window or computer); nothing more was changed."
            )
            duplicates.append(package)
            continue
        if done:
            message = _(
                "Another import changed this database at the same time, so nothing of this "
                "package was written. Please import it again."
            )
        else:
            # (the driver's own words are English and name tables: the log keeps them)
            log.warning("import refused at the write: %s", getattr(exc, "orig", exc))
            message = _(
                "The packages refer to records this office does not have, or repeat a record "
                "under another identity. Nothing was imported."
            )
        _refuse(package, None, "integrity" if not done else "busy", message)
        refused.append(package)
    for package in refused:
        log_refusal(package, plan.me)
    return ImportResult(imported=[], refused=refused, duplicates=duplicates)


def _write_all(
    store: Store,
    plan: ImportPlan,
    imported: list[PackagePlan],
    codec_map: dict[str, TableCodec],
    mark: str,
    now: dt.datetime,
    stall: str | None,
    progress: Progress,
    total: int,
    containers: tuple[RowSpool, dict[int, Block | None]],
) -> None:
    """One transaction: bulk upserts per table, then the history, trust, conflicts and one
    summary audit entry per package (bulk Core inserts, not one ORM object per record)."""
    done = 0
    received: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    new_keys: dict[str, PartPlan] = {}
    parts = [
        (package, part)
        for package in imported
        for part in package.parts
        if part.status not in (Status.DUPLICATE, Status.REFUSED)
    ]
    chunks = [chunk for _p, part in parts for chunk in part.chunks]
    with store.session(importing=True) as session:
        conn = session.connection()
        # The rows go straight to the driver, streamed from the spool (one payload's rows in
        # memory at a time); a driver error is the same IntegrityError to commit() below.
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cache = None
        if store.is_sqlite:
            cursor.execute("PRAGMA defer_foreign_keys=ON")
            cache = _bulk_cache(cursor, total)
        try:
            _write_offices(
                conn,
                codec_map["offices"],
                [row for _p, part in parts for row in part.offices],
                mark,
            )
            audits += _tombstone_replaced(conn, store, plan, parts, now)
            # Per table: the new records in one statement for all packages, then the changed
            # ones in package order. The new ones end as upserted (the higher revision wins), not
            # plainly inserted: another import may have written them since the preview.
            for model in MODELS:
                table = model.__tablename__
                if table == "offices":
                    continue
                mine = [chunk for chunk in chunks if chunk.table == table]
                before = done
                new = sum(chunk.count(NEW_ONLY) for chunk in mine)
                with _indexes_after(cursor, table, new if store.is_sqlite else 0):
                    if new:
                        _write_new(
                            cursor, codec_map[table], mark, mine, new, sqlite=store.is_sqlite
                        )
                        done += new
                    for chunk in mine:
                        for mode, force in ((UPDATE_ONLY, False), (FORCED_ONLY, True)):
                            if chunk.count(mode):
                                rows = chunk.select(mode)
                                sql = _upsert_sql(codec_map[table], mark, force=force)
                                cursor.executemany(sql, rows)
                                done += len(rows)
                if done > before:
                    progress(done, total, _("Writing records"))
                    if stall:
                        Path(stall).write_text("writing", encoding="utf-8")
                        time.sleep(600)
            for package, part in parts:
                for conflict in part.conflicts:
                    conflicts.append(
                        {
                            "table_name": conflict["table"],
                            "record_id": conflict["id"],
                            "owner_office": conflict["owner"],
                            "revision": conflict["revision"],
                            "package_uuid": part.package_uuid,
                            "winner": conflict["winner"],
                            "kept": conflict["kept"],
                            "other": conflict["other"],
                            "detected_at": now,
                            "resolved_at": None,
                            "resolved_by": "",
                            "resolution": "",
                        }
                    )
                if part.new_key and part.signed:
                    new_keys[part.sender] = part
                received.append(
                    {
                        "uuid": part.package_uuid,
                        "sender": part.sender,
                        "sender_name": part.sender_name[:200],
                        "recipient": plan.me if not part.relayed_by else part.relayed_by,
                        "sequence": part.sequence,
                        "kind": part.kind,
                        "base_uuid": part.base,
                        "created_at": _parse_created(part.created_at),
                        "imported_at": now,
                        "imported_by": store.officer,
                        "relayed_by": part.relayed_by,
                        "file_name": package.file_name,
                        "signed": part.signed,
                        "fingerprint": part.fingerprint,
                        "counts": dict(part.counts),
                        "result": "imported",
                        "manifest": part.part.manifest_bytes if part.part else None,
                        "signature": part.part.signature if part.part else None,
                        "payload": (
                            _container(containers, package)
                            if part.part is not None and not part.relayed_by
                            else part.excel_payload
                        ),
                        "container": part.container_uuid,
                        "records": part.excel_records,
                        "provenance": part.provenance or None,
                    }
                )
                if len(received) >= RECEIVED_BATCH:  # (each row holds a whole received file)
                    insert_rows(conn, _table_of(ReceivedPackage), received)
                    received.clear()
                audits.append(
                    {
                        "at": now,
                        "officer": store.officer,
                        "office": plan.me,
                        "table_name": "exchange_received",
                        "record_id": part.package_uuid,
                        "action": "import",
                        "changes": {
                            "sender": part.sender,
                            "sequence": part.sequence,
                            "file": package.file_name,
                            "relayed_by": part.relayed_by,
                            "signed": part.signed,
                            **part.counts,
                        },
                    }
                )
            if conflicts:
                insert_rows(conn, _table_of(Conflict), conflicts)
            if received:
                insert_rows(conn, _table_of(ReceivedPackage), received)
            # The facts of the obligation states: the complete forms each package brought.
            deliveries.record_received(conn, _receipts(session, parts, codec_map, now))
            if audits:
                insert_rows(conn, _table_of(AuditEntry), audits)
            if new_keys:
                _store_trust(conn, new_keys, store.officer, now)
            progress(total, total, _("Saving"))
        finally:
            # (after the history rows too: at the national level they hold ~80 MB of received
            # files, and the connection's usual cache would keep them all as dirty pages)
            if cache is not None:
                with suppress(Exception):  # (the transaction's own error is what counts)
                    cursor.execute(f"PRAGMA cache_size={cache}")
            cursor.close()


def _receipts(
    session: Any,
    parts: list[tuple[PackagePlan, PartPlan]],
    codec_map: dict[str, TableCodec],
    now: dt.datetime,
) -> list[dict[str, Any]]:
    """``form_deliveries`` rows (received) for the complete forms the imported parts carried,
    judged by the day each was made (its manifest's creation time)."""
    form_columns = codec_map["form_submissions"].columns
    value_columns = codec_map["kpi_values"].columns
    out: list[dict[str, Any]] = []
    for _package, part in parts:
        if part.older:
            # Relayed after a newer package of its office: its forms are received as they would
            # have been had it come first (then they were new), whether or not a newer version
            # is kept here. Taken from the written rows only, the day it was made was lost: the
            # board said "late" (the day of the newer package) for an LAO that reported in
            # time, and "received on time" in the other order of import.
            rows = list(part.rows_of("form_submissions", EVERY_ROW))
        else:
            rows = [
                *part.rows.get("form_submissions", ()),
                *part.forced.get("form_submissions", ()),
            ]
        brought = deliveries.forms_in_rows(form_columns, rows, FormStatus.FINISHED)
        if part.incomplete:  # not counted as received (completeness.py)
            refused = {item.form for item in part.incomplete}
            brought = [form for form in brought if form not in refused]
        if part.kind == "excel":
            brought += deliveries.excel_forms(
                session, value_columns, part.rows.get("kpi_values", ())
            )
        out += deliveries.receipts_of_part(
            sender=part.relayed_by or part.sender,
            package_uuid=part.package_uuid,
            created_at=_parse_created(part.created_at) if part.created_at else None,
            received_at=now,
            forms=brought,
            via="excel" if part.kind == "excel" else "package",
        )
    return out


# ---- sequences -------------------------------------------------------------------------------

# How far a package's sequence number may be ahead of the last one seen from its office (or of
# 0 for a first package). An office writes a few packages a week; a number far ahead is a
# mistake or an attack that would make every real package look old.
MAX_SEQUENCE_JUMP = 10_000
SEQUENCE_RESETS = "exchange_sequence_resets"


def _last_sequences(session: Any) -> dict[tuple[str, str], int]:
    """The last sequence number imported from each office under each of its keys: replay is
    judged per key, so an office that reinstalled (a new key, trusted again after checking its
    fingerprint) starts afresh at 1, while a package signed by the old key is refused anyway.
    Packages imported before a deliberate reset (``reset_sequence``) do not count."""
    resets = (session.get(Setting, SEQUENCE_RESETS) or Setting(value={})).value or {}
    out: dict[tuple[str, str], int] = {}
    query = (
        select(
            ReceivedPackage.sender,
            ReceivedPackage.fingerprint,
            func.max(ReceivedPackage.sequence),
        )
        .where(ReceivedPackage.signed.is_(True))
        .group_by(ReceivedPackage.sender, ReceivedPackage.fingerprint)
    )
    for sender, fingerprint, sequence in session.execute(query):
        if sender not in resets:
            out[(sender, fingerprint)] = sequence
    for sender, reset in resets.items():
        after: ColumnElement[bool]
        if isinstance(reset, dict):  # the packages imported before the reset, by id
            after = ReceivedPackage.uuid.not_in(reset.get("before") or [])
        else:  # a reset recorded before 2026-12-03: by time (to the second)
            after = ReceivedPackage.imported_at > dt.datetime.fromisoformat(reset)
        for fingerprint, sequence in session.execute(
            select(ReceivedPackage.fingerprint, func.max(ReceivedPackage.sequence))
            .where(ReceivedPackage.signed.is_(True), ReceivedPackage.sender == sender, after)
            .group_by(ReceivedPackage.fingerprint)
        ):
            out[(sender, fingerprint)] = sequence
    return out


def reset_sequence(store: Store, office_code: str) -> bool:
    """The documented recovery for an office whose sequence went wrong (its packages refused
    as old ones, e.g. after it restored an old backup): the next package from the office is
    accepted whatever its number, and later ones must follow it. The officer confirms with the
    office first; the reset is in the audit log. False when nothing was imported from it."""
    with store.session() as session:
        last_import = session.scalar(
            select(func.max(ReceivedPackage.imported_at)).where(
                ReceivedPackage.sender == office_code
            )
        )
        if last_import is None:
            return False
        # By the packages' ids, not by time: times are kept to the second, and a package
        # imported in the same second as the last one before the reset was not counted after
        # it (an old package was then accepted).
        before = sorted(
            session.scalars(
                select(ReceivedPackage.uuid).where(ReceivedPackage.sender == office_code)
            )
        )
        setting = session.get(Setting, SEQUENCE_RESETS)
        resets = dict(setting.value or {}) if setting is not None else {}
        resets[office_code] = {"at": last_import.isoformat(), "before": before}
        if setting is None:
            session.add(Setting(key=SEQUENCE_RESETS, value=resets))
        else:
            setting.value = resets
        session.add(
            AuditEntry(
                officer=store.officer,
                office=store.office_code or "",
                table_name="exchange_received",
                record_id=office_code,
                action="update",
                changes={"sequence_reset_after": last_import.isoformat()},
            )
        )
    return True


def _tombstone_replaced(
    conn: Connection,
    store: Store,
    plan: ImportPlan,
    parts: list[tuple[PackagePlan, PartPlan]],
    now: dt.datetime,
) -> list[dict[str, Any]]:
    """The records replaced after a reinstall become tombstones (with the children of a plan),
    before the new ones are written; one audit line each says why."""
    audits: list[dict[str, Any]] = []
    for package, part in parts:
        for clash in part.replacements:
            table = TABLES[clash.table]
            ids = [clash.existing_id]
            if clash.table == "plans":  # its projects and their activities go with it
                items = TABLES["plan_items"]
                item_ids = list(
                    conn.execute(select(items.c.id).where(items.c.plan_id == clash.existing_id))
                    .scalars()
                    .all()
                )
                _tombstone(conn, items, item_ids, store.officer, now)
                activities = TABLES["activities"]
                if item_ids:
                    conn.execute(
                        activities.update()
                        .where(
                            activities.c.plan_item_id.in_(item_ids),
                            activities.c.deleted.is_(False),
                        )
                        .values(
                            deleted=True,
                            revision=activities.c.revision + 1,
                            updated_at=now,
                            updated_by=store.officer,
                        )
                    )
            _tombstone(conn, table, ids, store.officer, now)
            audits.append(
                {
                    "at": now,
                    "officer": store.officer,
                    "office": plan.me,
                    "table_name": clash.table,
                    "record_id": clash.existing_id,
                    "action": "replace",
                    "changes": {
                        "replaced_by": clash.incoming_id,
                        "reason": "re-entered by the office after a reinstall",
                        "owner": clash.owner,
                        "key": {k: str(v) for k, v in clash.key.items()},
                        "package": part.package_uuid,
                        "file": package.file_name,
                    },
                }
            )
    return audits


def _tombstone(conn: Connection, table: Table, ids: list[str], officer: str, when: Any) -> None:
    if ids:
        conn.execute(
            table.update()
            .where(table.c.id.in_(ids), table.c.deleted.is_(False))
            .values(
                deleted=True, revision=table.c.revision + 1, updated_at=when, updated_by=officer
            )
        )


def _check_complete(state: _State, package: PackagePlan, plan: PartPlan) -> None:
    """The forms the part calls complete — KPI forms, and F1, F2, F3 — asked again with the
    one rule of "complete" (completeness.py): one that fails is noted on the part, in Thai,
    and not counted as received when the part is imported. The package is not refused for
    it. A programme the part brings (not known here yet: its spec was checked at the
    boundary) is asked by that spec. A form is judged with what this database holds and
    what the same office's parts compared before it in this batch bring (a first package
    and a 'changes only' one after it, imported together), its own part's over them."""
    codec_map = state.codecs
    earlier = [
        part
        for outer, part in state.earlier.get(plan.sender, ())
        if outer.status != Status.REFUSED and part.status not in (Status.REFUSED, Status.DUPLICATE)
    ]
    state.earlier.setdefault(plan.sender, []).append((package, plan))

    def rows_in(table: str) -> Iterator[tuple[Any, ...]]:
        for part in (*earlier, plan):
            yield from part.rows_of(table, WRITTEN)

    forms = [*plan.rows_of("form_submissions", WRITTEN)]
    stored = state.counts.get("kpi_values", 1) > 0  # (none: a first import reads nothing)
    with state.store.engine.connect() if stored else nullcontext() as conn:
        found = incomplete_forms(
            conn,
            state.programmes,
            codec_map["form_submissions"].columns,
            forms,
            codec_map["kpi_values"].columns,
            rows_in("kpi_values"),
            state.indicators,
            state.finals,
        )
    held = [t for t in PLAN_TABLES if state.counts.get(t, 1) > 0]
    with state.store.engine.connect() if held else nullcontext() as conn:
        found += incomplete_plan_forms(
            conn,
            state.programmes,
            codec_map["form_submissions"].columns,
            forms,
            {t: codec_map[t].columns for t in PLAN_TABLES},
            rows_in,
            held,
        )
    if not found:
        return
    plan.incomplete = found
    _keep_out(state, plan, {item.form for item in found})
    named = []
    for item in found[:MAX_NAMED_FORMS]:
        owner, pid, code, period = item.form
        named.append(
            _("{office} {programme} {form}, {period} ({problem})").format(
                office=owner,
                programme=state.programmes[pid][0],
                form=item.name or code,
                period=format_period(period),
                problem=item.why,
            )
        )
    if len(found) > MAX_NAMED_FORMS:
        named.append(f"… +{len(found) - MAX_NAMED_FORMS}")
    plan.notes.append(
        _(
            "not counted as received: {count} forms the package calls complete lack what the "
            "programme requires (their values are imported, not their status “complete”): "
            "{forms}"
        ).format(count=len(found), forms=", ".join(named))
    )


def _keep_out(state: _State, plan: PartPlan, forms: set[deliveries.OwnedForm]) -> None:
    """The part's form_submissions rows of ``forms`` (complete, says the package) are not
    written: the form here stays as it was (none, a draft, or an earlier version that was
    complete), so neither the board nor a count takes it as complete or received. Its values
    are written as they came."""
    columns = state.codecs["form_submissions"].columns
    at = [columns.index(n) for n in ("owner_office", "programme_id", "form_code", "period")]
    for chunk in plan.chunks:
        if chunk.table != "form_submissions" or chunk.block is None:
            continue
        rows = chunk.spool.get(chunk.block)
        for i, row in enumerate(rows):
            mode = chunk.modes[i]
            if mode in WRITTEN and tuple(row[j] for j in at) in forms:
                chunk.modes[i] = SKIP
                if mode != FORCED:  # (a conflict stays counted: it is recorded)
                    # not taken, as a clash's record is not: "refused", not "unchanged"
                    plan.counts["new" if mode == NEW else "updated"] -= 1
                    plan.counts["refused"] += 1


# At most this many incomplete forms named in a part's note (the rest counted).
MAX_NAMED_FORMS = 3


def _check_made(
    state: _State, package: PackagePlan, plan: PartPlan, newest: dt.datetime | None
) -> dt.datetime | None:
    """Refuses a part whose making time cannot be true (validation.package_made_problem): the
    office above judges its reports on time or late by that time. Returns the time."""
    made = _parse_created(plan.created_at)
    if made is None:
        return None
    problem = package_made_problem(
        made,
        now=state.now,
        newest_change=newest,
        previous_made=None if plan.older else state.last_made.get((plan.sender, plan.fingerprint)),
    )
    if problem:
        _refuse(
            package,
            plan,
            "clock",
            _(
                "The package from {office} was not imported: it says it was {reason}. The "
                "reports it carries count as sent on time or late by that date, so it cannot be "
                "accepted. Ask {office} to set the date and time of its computer correctly and "
                "export the package again."
            ).format(office=plan.sender, reason=problem),
        )
    return made


def _as_utc(value: Any) -> dt.datetime:
    """A change time as a row holds it (SQLite: text; PostgreSQL: datetime) → naive UTC."""
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def _last_made(session: Any) -> dict[tuple[str, str], dt.datetime]:
    """The latest making time of the signed packages imported from each office under each of
    its keys (a clock set back since is caught: validation.package_made_problem)."""
    query = (
        select(
            ReceivedPackage.sender,
            ReceivedPackage.fingerprint,
            func.max(ReceivedPackage.created_at),
        )
        .where(ReceivedPackage.signed.is_(True), ReceivedPackage.created_at.is_not(None))
        .group_by(ReceivedPackage.sender, ReceivedPackage.fingerprint)
    )
    return {(sender, fp): made for sender, fp, made in session.execute(query) if made is not None}


def _parse_created(text: str) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def _table_of(model: type[Base]) -> Table:
    """The Core table of a model (``__table__``, typed as the Table it is)."""
    return Base.metadata.tables[model.__tablename__]


def _store_trust(
    conn: Connection, parts: dict[str, PartPlan], officer: str, now: dt.datetime
) -> None:
    """Records the keys the officer accepted (or that a trusted office vouched for)."""
    table = _table_of(TrustedKey)
    codes = list(parts)
    known = {}
    for start in range(0, len(codes), 500):
        for row in conn.execute(
            select(table.c.office_code, table.c.fingerprint, table.c.previous).where(
                table.c.office_code.in_(codes[start : start + 500])
            )
        ):
            known[row.office_code] = row
    fresh: list[dict[str, Any]] = []
    for code, part in parts.items():
        stored = known.get(code)
        if stored is None:
            fresh.append(
                {
                    "office_code": code,
                    "public_key": part.public_key,
                    "fingerprint": part.fingerprint,
                    "trusted_at": now,
                    "trusted_by": officer,
                    "via": part.relayed_by,
                    "previous": [],
                }
            )
        elif stored.fingerprint != part.fingerprint:
            conn.execute(
                table.update()
                .where(table.c.office_code == code)
                .values(
                    public_key=part.public_key,
                    fingerprint=part.fingerprint,
                    trusted_at=now,
                    trusted_by=officer,
                    via=part.relayed_by,
                    previous=[*(stored.previous or []), stored.fingerprint],
                )
            )
    if fresh:
        conn.execute(insert(table), fresh)


NEW_ONLY, UPDATE_ONLY, FORCED_ONLY = bytes((NEW,)), bytes((UPDATE,)), bytes((FORCED,))
_ADDED = object()  # a journal entry's "previous value" for keys added together (_State.added)
# Package files read whole in a preview (fmt.READ_WHOLE) are held until compared: up to this
# many bytes of them (a province's 200 LAO packages, or its upward package: ~2 MB); the files
# after are read from the disk an entry at a time (a national import: 7,850 files, ~80 MB, of
# which it holds ~8 MB more at its peak).
KEPT_FILES = 8 * 1024**2
# Worker processes reading payloads in a preview: None = from the cores and the size of the
# import (pool.worker_count); 0 = in-process.
WORKERS: int | None = None
# SQLite's page cache for a bulk commit (the default is 2 MB), set for the one transaction,
# then put back. Measured at 2,000 LAOs (220 k records): 128 MB added 130 MB to the peak memory
# for a commit time within the machine's noise; 32 MB keeps the national import's peak low.
BULK_CACHE_KB = 32 * 1024
BULK_CACHE_ROWS = 50_000  # from this many records on
RECEIVED_BATCH = 200  # received packages written per statement (each holds its file)
# Records new to a table from which its plain indexes are built after the rows
# (_indexes_after): a province's first import of its 200 LAOs writes 15,642 KPI values.
BULK_INDEX_ROWS = 5_000


def _container(containers: tuple[RowSpool, dict[int, Block | None]], package: Any) -> bytes | None:
    """The file of ``package`` as received and checked, read back from the spool."""
    spool, blocks = containers
    block = blocks.get(id(package))
    return spool.get_bytes(block) if block is not None else None


def _bulk_cache(cursor: Any, total: int) -> int | None:
    """A larger page cache while a big import writes; returns the setting to put back."""
    if total < BULK_CACHE_ROWS:
        return None
    before = int(cursor.execute("PRAGMA cache_size").fetchone()[0])
    cursor.execute(f"PRAGMA cache_size=-{BULK_CACHE_KB}")
    return before


@contextmanager
def _indexes_after(cursor: Any, table: str, new: int) -> Iterator[None]:
    """SQLite: a table the import at least doubles gets its plain (non-unique) indexes built
    once after its rows instead of kept up row by row (a sort instead of a B-tree insert per
    row and index). Inside the import's one transaction: a failure or a killed process rolls
    the indexes back with the rows. The unique indexes stay, so a clash is still found at the
    row that makes it. ``new``: records about to be written (0: leave the indexes)."""
    if new < BULK_INDEX_ROWS:
        yield
        return
    held = cursor.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0] or 0
    if held > new:  # (an estimate: max(rowid) is never below the rows held)
        yield
        return
    indexes = cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
        " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE %'",
        (table,),
    ).fetchall()
    for name, _sql in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield  # (an exception leaves them dropped: the transaction is rolled back)
    for _name, sql in indexes:
        cursor.execute(sql)


def _selected(chunks: list[Chunk], modes: bytes) -> Iterator[tuple[Any, ...]]:
    """The rows of ``chunks`` to write with ``modes``, one block in memory at a time."""
    for chunk in chunks:
        yield from chunk.select(modes)


def _write_new(
    cursor: Any, codec: TableCodec, mark: str, chunks: list[Chunk], new: int, *, sqlite: bool
) -> None:
    """The records the preview found new, in one statement for all packages.

    On SQLite a plain insert that skips an id already there (``DO NOTHING``) costs less than
    half the upsert (whose ``DO UPDATE`` branch SQLite prepares for every row, with its
    foreign-key checks). If it skipped any row (another import wrote some of these records
    since the preview, or a record came twice), the same rows go through the upsert as well,
    so the higher revision wins exactly as with the upsert alone: the rows this statement has
    just written carry the same revision and are left as they are."""
    if sqlite:
        cols = ", ".join(f'"{c}"' for c in codec.columns)
        marks = ", ".join(mark for _c in codec.columns)
        table = codec.table.name
        sql = f'INSERT INTO "{table}" ({cols}) VALUES ({marks}) ON CONFLICT (id) DO NOTHING'
        cursor.executemany(sql, _selected(chunks, NEW_ONLY))
        if cursor.rowcount == new:
            return
    cursor.executemany(_upsert_sql(codec, mark, force=False), _selected(chunks, NEW_ONLY))


def _upsert_sql(codec: TableCodec, mark: str, *, force: bool) -> str:
    cols = ", ".join(f'"{c}"' for c in codec.columns)
    marks = ", ".join(mark for _c in codec.columns)
    sets = ", ".join(f'"{c}" = excluded."{c}"' for c in codec.columns if c != "id")
    table = codec.table.name
    where = "" if force else f' WHERE "{table}".revision < excluded.revision'
    return (
        f'INSERT INTO "{table}" ({cols}) VALUES ({marks}) '
        f"ON CONFLICT (id) DO UPDATE SET {sets}{where}"
    )


def _write_offices(
    conn: Connection, codec: TableCodec, rows: list[tuple[Any, ...]], mark: str
) -> None:
    """Offices are upserted by code (unique), whatever id each database gave them."""
    if not rows:
        return
    code_i = codec.columns.index("code")
    latest = {row[code_i]: row for row in rows}
    codes = list(latest)
    current: dict[str, str] = {}
    table = TABLES["offices"]
    for start in range(0, len(codes), 500):
        for code, rid in conn.execute(
            select(table.c.code, table.c.id).where(table.c.code.in_(codes[start : start + 500]))
        ):
            current[code] = rid
    cols = codec.columns
    inserts = [row for code, row in latest.items() if code not in current]
    updates = [(*row, current[code]) for code, row in latest.items() if code in current]
    if inserts:
        conn.exec_driver_sql(
            f"INSERT INTO offices ({', '.join(cols)}) VALUES ({', '.join(mark for _c in cols)})",
            inserts,
        )
    if updates:
        sets = ", ".join(f"{c} = {mark}" for c in cols)
        conn.exec_driver_sql(f"UPDATE offices SET {sets} WHERE id = {mark}", updates)


# ---- trust management ------------------------------------------------------------------------


def claims_text(part: PartPlan, *, compact: bool = False) -> str:
    """What a new sender says it is, beside its key fingerprint: the officer compares both with
    what the office says on the telephone or in its letter before trusting the key."""
    claims = part.claims or part.office_info

    def label(enum: Any, value: Any) -> str:
        try:
            return str(enum(value).label)
        except ValueError:
            return str(value or "-")

    if compact:  # the window's trust box: who, then the key, in four lines
        where = [label(Level, claims.get("level"))]
        if claims.get("lao_type"):
            where.append(label(LaoType, claims["lao_type"]))
        if claims.get("district_code"):
            where.append(f"{district_label(claims['district_code'])} ({claims['district_code']})")
        return "\n".join(
            [
                f"{claims.get('code') or part.sender}  {claims.get('name') or ''}",
                " · ".join(where),
                format_fingerprint(part.fingerprint),
            ]
        )
    lines = [
        _("New key from office {office}. It says:").format(office=part.sender),
        "  " + _("Name: {name}").format(name=claims.get("name") or "-"),
        "  " + _("Code: {code}").format(code=claims.get("code") or "-"),
        "  " + _("Level: {level}").format(level=label(Level, claims.get("level"))),
    ]
    if claims.get("lao_type"):
        lines.append("  " + _("Type: {type}").format(type=label(LaoType, claims["lao_type"])))
    if claims.get("district_code"):
        lines.append(
            "  "
            + _("District: {district}").format(
                district=f"{district_label(claims['district_code'])} ({claims['district_code']})"
            )
        )
    lines.append("  " + _("Key fingerprint:"))
    lines.append("    " + format_fingerprint(part.fingerprint).replace("\n", "\n    "))
    return "\n".join(lines)


def trusted_keys(store: Store) -> list[TrustedKey]:
    with store.read() as session:
        return list(session.scalars(select(TrustedKey).order_by(TrustedKey.office_code)))


def forget_key(store: Store, office_code: str) -> bool:
    """Re-trust: the next package from the office asks again (after a reinstall, a new key)."""
    with store.session() as session:
        key = session.get(TrustedKey, office_code)
        if key is None:
            return False
        session.add(
            AuditEntry(
                officer=store.officer,
                office=store.office_code or "",
                table_name="exchange_trusted_keys",
                record_id=office_code,
                action="update",
                changes={"forgotten": key.fingerprint},
            )
        )
        session.delete(key)
    return True


def received_history(store: Store) -> list[ReceivedPackage]:
    with store.read() as session:
        rows = session.execute(
            select(
                ReceivedPackage.uuid,
                ReceivedPackage.sender,
                ReceivedPackage.sender_name,
                ReceivedPackage.sequence,
                ReceivedPackage.kind,
                ReceivedPackage.created_at,
                ReceivedPackage.imported_at,
                ReceivedPackage.imported_by,
                ReceivedPackage.relayed_by,
                ReceivedPackage.file_name,
                ReceivedPackage.signed,
                ReceivedPackage.counts,
                ReceivedPackage.result,
                ReceivedPackage.provenance,
            ).order_by(ReceivedPackage.imported_at.desc(), ReceivedPackage.sender)
        ).all()
    return [ReceivedPackage(**dict(r._mapping)) for r in rows]


def open_conflicts(store: Store) -> list[Conflict]:
    with store.read() as session:
        return list(
            session.scalars(
                select(Conflict)
                .where(Conflict.resolved_at.is_(None))
                .order_by(Conflict.detected_at.desc())
            )
        )


def resolve_conflict(store: Store, conflict_id: int, *, use_other: bool) -> None:
    """The officer's decision: keep the version in the table, or put the other one in."""
    codec_map = codecs(store.engine.dialect)
    mark = "?" if store.engine.dialect.paramstyle == "qmark" else "%s"
    with store.session(importing=True) as session:
        conflict = session.get(Conflict, conflict_id)
        if conflict is None or conflict.resolved_at is not None:
            return
        if use_other:
            codec = codec_map[conflict.table_name]
            row = tuple(conflict.other.get(c) for c in codec.columns)
            session.connection().exec_driver_sql(_upsert_sql(codec, mark, force=True), [row])
            conflict.kept, conflict.other = conflict.other, conflict.kept
            conflict.resolution = "swapped"
        else:
            conflict.resolution = "kept"
        conflict.resolved_at = utcnow()
        conflict.resolved_by = store.officer
        session.add(
            AuditEntry(
                officer=store.officer,
                office=store.office_code or "",
                table_name=conflict.table_name,
                record_id=conflict.record_id,
                action="import",
                changes={"conflict": conflict.resolution},
            )
        )


def import_files(
    store: Store,
    paths: Iterable[str | Path],
    *,
    trust: bool | set[str] = False,
    replace: bool | set[str] = False,
    progress: Progress | None = None,
) -> tuple[ImportPlan, ImportResult]:
    """Preview then commit (the command line and tests)."""
    plan = preview(store, paths, progress=progress)
    return plan, commit(store, plan, trust=trust, replace=replace, progress=progress)


__all__ = [
    "ImportPlan",
    "ImportResult",
    "PackagePlan",
    "PartPlan",
    "Status",
    "commit",
    "forget_key",
    "import_files",
    "open_conflicts",
    "preview",
    "received_history",
    "resolve_conflict",
    "trusted_keys",
]
