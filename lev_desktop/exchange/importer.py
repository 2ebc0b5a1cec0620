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
import gc
import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select
from sqlalchemy import exc as sa_exc

from db.models import AuditEntry, Base, Office, Programme, utcnow
from db.models_exchange import Conflict, ReceivedPackage, TrustedKey
from db.store import Store
from lev_desktop.domain.validation import (
    Problem,
    parse_indicator_value,
    validate_activity,
    validate_form,
    validate_plan_item,
)
from lev_desktop.exchange import format as fmt
from lev_desktop.exchange.errors import Refusal
from lev_desktop.exchange.jurisdiction import OfficeInfo, is_below, may_send_to
from lev_desktop.exchange.records import MODELS, TABLES, RecordError, TableCodec, codecs
from lev_desktop.i18n import _
from lev_desktop.paths import data_dir
from lev_desktop.progress import Progress

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
MAX_REASONS = 5


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
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)  # table → rows to write
    forced: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)  # conflict winners
    offices: list[tuple[Any, ...]] = field(default_factory=list)  # office rows (by code)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    office_info: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""
    package_uuid: str = ""
    base: str | None = None
    excel_payload: bytes | None = None
    container_uuid: str | None = None  # the received file this relayed package came in

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    @property
    def remark(self) -> str:
        """The text for the preview's last column."""
        return "; ".join(self.reasons or self.notes)


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

    def rows(self) -> list[PartPlan]:
        return [part for package in self.packages for part in package.parts]

    @property
    def needs_trust(self) -> list[PartPlan]:
        return [p for p in self.rows() if p.status == Status.NEEDS_TRUST]

    @property
    def importable(self) -> list[PackagePlan]:
        return [p for p in self.packages if p.status in (Status.OK, Status.NEEDS_TRUST)]


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


def _reason_line(table: str, record: dict[str, Any] | None, message: str) -> str:
    what = _table_label(table)
    name = ""
    if record:
        name = str(
            record.get("project")
            or record.get("title")
            or record.get("indicator_code")
            or record.get("code")
            or record.get("id")
            or ""
        )[:60]
    return _("{what} “{name}”: {message}").format(what=what, name=name, message=message)


def _table_label(table: str) -> str:
    labels = {
        "offices": _("Office"),
        "programmes": _("Programme"),
        "letters": _("Letter"),
        "plans": _("Action plan"),
        "plan_items": _("Plan project"),
        "activities": _("Activity"),
        "monitoring": _("Monitoring form"),
        "kpi_values": _("Indicator value"),
        "form_submissions": _("Form status"),
        "reviews": _("Review"),
    }
    return labels.get(table, table)


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
    will have written (so a delta can follow its base in the same batch)."""

    def __init__(self, store: Store):
        self.store = store
        self.dialect = store.engine.dialect
        self.codecs: dict[str, TableCodec] = codecs(self.dialect)
        with store.read() as session:
            me = (
                session.scalar(select(Office).where(Office.code == store.office_code))
                if store.office_code
                else None
            )
            if me is None:
                raise Refusal("no_office", _("Set up this office first (Settings, or `lev init`)."))
            self.me = OfficeInfo.of(me)
            self.offices = {o.code: OfficeInfo.of(o) for o in session.scalars(select(Office))}
            self.office_rows = {
                r.code: (r.id, r.owner_office, r.revision)
                for r in session.execute(
                    select(Office.code, Office.id, Office.owner_office, Office.revision)
                )
            }
            self.trusted = {t.office_code: t for t in session.scalars(select(TrustedKey))}
            self.received = {
                r[0]: r[1]
                for r in session.execute(select(ReceivedPackage.uuid, ReceivedPackage.sender))
            }
            self.last_sequence = dict(
                session.execute(
                    select(ReceivedPackage.sender, func.max(ReceivedPackage.sequence))
                    .where(ReceivedPackage.signed.is_(True))
                    .group_by(ReceivedPackage.sender)
                ).all()
            )
            self.programmes = {p.id: (p.code, p.spec) for p in session.scalars(select(Programme))}
            self.counts = {
                name: session.execute(select(func.count()).select_from(TABLES[name])).scalar_one()
                for name in TABLES
            }
        self.pending: dict[str, dict[str, tuple[str, int, tuple[Any, ...]]]] = {
            n: {} for n in TABLES
        }
        self.batch_keys: dict[str, str] = {}
        self.journal: list[tuple[str, str, Any]] = []  # undo list for a refused package
        self.indicators: dict[str, dict[str, dict[str, Any]]] = {}  # programme → code → spec

    def remember(self, table: str, rid: str, value: tuple[Any, ...]) -> None:
        self.journal.append((table, rid, self.pending[table].get(rid)))
        self.pending[table][rid] = value

    def undo(self) -> None:
        for table, rid, old in reversed(self.journal):
            if old is None:
                self.pending[table].pop(rid, None)
            else:
                self.pending[table][rid] = old
        self.journal.clear()

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


def _row_digest(row: tuple[Any, ...]) -> str:
    return hashlib.sha256(repr(row).encode("utf-8")).hexdigest()


# ---- preview ---------------------------------------------------------------------------------


@contextmanager
def _bulk() -> Iterator[None]:
    """No cyclic garbage collection while building millions of rows: the collector would walk
    every live tuple again and again (superlinear for a national import). The rows hold no
    cycles; collection resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def preview(
    store: Store,
    paths: Iterable[str | Path],
    *,
    progress: Progress | None = None,
    limits: fmt.Limits = fmt.DEFAULT_LIMITS,
) -> ImportPlan:
    """Reads and checks every file; computes what an import would do. Writes nothing."""
    with _bulk():
        return _preview(store, paths, progress=progress, limits=limits)


def _preview(
    store: Store, paths: Iterable[str | Path], *, progress: Progress | None, limits: fmt.Limits
) -> ImportPlan:
    progress = progress or Progress()
    state = _State(store)
    files = [str(p) for p in paths]
    opened: list[tuple[PackagePlan, fmt.Part | None, list[fmt.Part]]] = []
    sheets: list[PackagePlan] = []
    for index, path in enumerate(files):
        progress(index, len(files) * 2, _("Checking {name}").format(name=Path(path).name))
        package = PackagePlan(path=path)
        if path.lower().endswith(".xlsx"):
            sheets.append(package)
            continue
        try:
            outer, embedded = fmt.open_package(Path(path), limits)
        except Refusal as refusal:
            package.status, package.reason, package.code = (
                Status.REFUSED,
                refusal.message,
                refusal.code,
            )
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
    for index, (package, part, embedded) in enumerate(opened):
        progress(
            len(files) + index,
            len(files) * 2,
            _("Comparing {name} with this database").format(name=package.file_name),
        )
        if part is not None:
            _plan_package(state, package, part, embedded, progress)
    for package in sheets:
        _plan_excel(state, package)
        opened.append((package, None, []))
    return ImportPlan(packages=[p for p, _o, _e in opened], me=state.me.code)


def _plan_excel(state: _State, package: PackagePlan) -> None:
    """A filled Excel form (the fallback for an LAO without the app): unsigned, same checks."""
    from lev_desktop.exchange import excel

    state.journal.clear()
    try:
        meta, records, data = excel.read_filled(state.store, package.path)
    except Refusal as refusal:
        package.status, package.reason, package.code = Status.REFUSED, refusal.message, refusal.code
        return
    except OSError as exc:
        package.status, package.code = Status.REFUSED, "unreadable"
        package.reason = _("The package file cannot be read: {name}").format(
            name=exc.filename or ""
        )
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


def _plan_package(
    state: _State,
    package: PackagePlan,
    outer: fmt.Part,
    embedded: list[fmt.Part],
    progress: Progress,
) -> None:
    me = state.me
    state.journal.clear()
    if outer.uuid in state.received:
        package.status = Status.DUPLICATE
        package.reason = _("This package was already imported; nothing was changed.")
        package.parts.append(
            PartPlan(
                part=outer,
                sender=outer.sender,
                status=Status.DUPLICATE,
                sequence=outer.sequence,
                notes=[package.reason],
                sender_name=_info_for(state, outer).name,
            )
        )
        return
    outer_info = _info_for(state, outer)
    plans: list[PartPlan] = []
    outer_plan = _new_part_plan(outer, outer_info)
    if outer.manifest.get("recipient") != me.code:
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
    for part in embedded:
        info = _info_for(state, part)
        plan = _new_part_plan(part, info)
        plan.relayed_by = outer.sender
        plan.container_uuid = outer.uuid
        if part.uuid in state.received:
            plan.status = Status.DUPLICATE
            plan.notes.append(_("Already imported"))
        elif not is_below(info, outer_info) or not is_below(info, me):
            _refuse(
                package,
                plan,
                "jurisdiction",
                _(
                    "Office {office} is not under office {relay}, so the package it relayed from "
                    "{office} was not imported."
                ).format(office=part.sender, relay=outer.sender),
            )
        else:
            _check_key(state, package, plan, via=outer.sender)
        plans.append(plan)
    package.parts = plans
    if package.status == Status.REFUSED:
        _finish(package)
        return
    # Relayed packages first (the records of the offices below), then the relaying office's own.
    accepted: list[tuple[str, str, int | None]] = []
    for plan in plans[1:] + plans[:1]:
        if plan.status in (Status.DUPLICATE, Status.REFUSED):
            continue
        _check_sequence(state, package, plan)
        if plan.status == Status.REFUSED:
            break
        programmes_in_batch: dict[str, Any] = {}
        for model in MODELS:
            name = f"{fmt.PAYLOAD_DIR}{model.__tablename__}.jsonl"
            data = plan.part.payloads.get(name) if plan.part else None
            if data:
                _plan_records(state, package, plan, data, model.__tablename__, programmes_in_batch)
            progress.check()
        unknown = [
            n
            for n in (plan.part.payloads if plan.part else {})
            if n[len(fmt.PAYLOAD_DIR) : -len(".jsonl")] not in TABLES
        ]
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
        accepted.append((plan.package_uuid, plan.sender, state.last_sequence.get(plan.sender)))
        state.received[plan.package_uuid] = plan.sender
        state.last_sequence[plan.sender] = plan.sequence
    if package.status == Status.REFUSED:
        for uuid_, sender, previous in reversed(accepted):
            state.received.pop(uuid_, None)
            if previous is None:
                state.last_sequence.pop(sender, None)
            else:
                state.last_sequence[sender] = previous
    _finish(package, state)


def _finish(package: PackagePlan, state: _State | None = None) -> None:
    if package.status == Status.REFUSED:
        if state is not None:
            state.undo()
        for part in package.parts:
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
    )


def _check_key(state: _State, package: PackagePlan, plan: PartPlan, *, via: str) -> None:
    trusted = state.trusted.get(plan.sender)
    known_in_batch = state.batch_keys.get(plan.sender)
    if trusted is not None:
        if trusted.fingerprint != plan.fingerprint:
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
    last = state.last_sequence.get(plan.sender)
    if last is not None and plan.sequence <= last:
        _refuse(
            package,
            plan,
            "replay",
            _(
                "The package from {office} has sequence number {seq}, but number {last} from that "
                "office was already imported: it is an old package sent again. It was not "
                "imported."
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
    codec = state.codecs[table]
    columns = set(codec.columns)
    loads = json.loads
    sender = plan.sender
    rows: list[tuple[Any, ...]] = []
    records: list[dict[str, Any]] = []
    keep_records = table in ("plan_items", "activities", "kpi_values", "programmes", "offices")
    problems = 0
    first_reason = len(plan.reasons)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        _refuse(package, plan, "bad_format", _("The data of the package is not valid text."))
        return
    lines = [line for line in text.splitlines() if line]
    try:  # one decode for the whole file; line by line only to report a bad line
        decoded = loads("[" + ",".join(lines) + "]") if lines else []
    except ValueError:
        decoded = None
    to_db = codec.to_db
    for number, line in enumerate(lines, start=1):
        try:
            record = decoded[number - 1] if decoded is not None else loads(line)
            if record.__class__ is not dict:
                raise RecordError("not an object")
            if not record.keys() <= columns:
                raise RecordError("unknown field " + sorted(record.keys() - columns)[0])
            row = to_db(record)
        except (ValueError, RecordError, KeyError, TypeError, AttributeError) as exc:
            problems += 1
            if len(plan.reasons) < MAX_REASONS:
                detail = f"{exc.args[0]}: missing" if isinstance(exc, KeyError) else str(exc)
                plan.reasons.append(
                    _(
                        "{what}, line {line}: the data is not in the expected form ({detail})"
                    ).format(what=_table_label(table), line=number, detail=detail[:60])
                )
            continue
        if record["owner_office"] != sender:
            problems += 1
            if len(plan.reasons) < MAX_REASONS:
                plan.reasons.append(
                    _reason_line(
                        table,
                        record,
                        _(
                            "belongs to office {owner}; only {owner}'s own packages may change it"
                        ).format(owner=record["owner_office"]),
                    )
                )
            continue
        rows.append(row)
        if keep_records:
            records.append(record)
    if table == "programmes":
        for record in records:
            batch_programmes[record["id"]] = (record["code"], record.get("spec") or {})
            if record.get("builtin"):
                problems += 1
                plan.reasons.append(
                    _reason_line(table, record, _("built-in programmes do not travel"))
                )
    problems += _validate(state, plan, table, records, batch_programmes)
    if table in ("plans", "monitoring", "kpi_values", "form_submissions", "letters"):
        index = codec.columns.index("programme_id")
        missing = {
            r[index]
            for r in rows
            if r[index] is not None
            and r[index] not in state.programmes
            and r[index] not in batch_programmes
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
    if table == "offices":
        _plan_offices(state, plan, rows, records)
        return
    _classify(state, package, plan, table, rows)
    if table == "programmes":
        code_index = codec.columns.index("code")
        taken = {code: pid for pid, (code, _spec) in state.programmes.items()}
        for row in rows:
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
        for record in records:
            state.programmes.setdefault(record["id"], (record["code"], record.get("spec") or {}))


def _classify(
    state: _State, package: PackagePlan, plan: PartPlan, table: str, rows: list[tuple[Any, ...]]
) -> None:
    """New / updated / unchanged / conflict for every row, against the database and the batch."""
    pending = state.pending[table]
    ids = [r[0] for r in rows if r[0] not in pending]
    existing = state.existing(table, ids)
    codec = state.codecs[table]
    rev_i = codec.columns.index("revision")
    owner_i = codec.columns.index("owner_office")
    upd_i = codec.columns.index("updated_at")
    to_write: list[tuple[Any, ...]] = []
    same_revision: list[tuple[Any, ...]] = []
    counts = plan.counts
    journal = state.journal
    for row in rows:
        rid = row[0]
        seen = pending.get(rid)
        if seen is not None:
            owner, revision = seen[0], seen[1]
        else:
            found = existing.get(rid)
            if found is None:
                counts["new"] += 1
                to_write.append(row)
                journal.append((table, rid, None))
                pending[rid] = (row[owner_i], row[rev_i], row)
                continue
            owner, revision = found
        if owner != row[owner_i]:
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
                    ).format(owner=owner),
                ),
            )
            continue
        if row[rev_i] > revision:
            counts["updated"] += 1
            to_write.append(row)
            state.remember(table, rid, (owner, row[rev_i], row))
        elif row[rev_i] < revision:
            counts["unchanged"] += 1
        else:
            same_revision.append(row)
    if same_revision:
        need = [r[0] for r in same_revision if r[0] not in pending]
        stored = state.stored_rows(table, need)
        for row in same_revision:
            rid = row[0]
            seen = pending.get(rid)
            current = seen[2] if seen is not None else stored.get(rid)
            if current is None or _same(current, row):
                counts["unchanged"] += 1
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
                    "owner": row[owner_i],
                    "revision": row[rev_i],
                    "winner": "incoming" if incoming_wins else "existing",
                    "kept": _row_dict(codec, kept),
                    "other": _row_dict(codec, other),
                }
            )
            if incoming_wins:
                plan.forced.setdefault(table, []).append(row)
                state.remember(table, rid, (row[owner_i], row[rev_i], row))
    if to_write:
        plan.rows.setdefault(table, []).extend(to_write)


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        if isinstance(x, (int, float)) and isinstance(y, (int, float)) and float(x) == float(y):
            continue
        return False
    return True


def _row_dict(codec: TableCodec, row: tuple[Any, ...]) -> dict[str, Any]:
    out = {}
    for name, value in zip(codec.columns, row, strict=True):
        out[name] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
    return out


def _plan_offices(
    state: _State, plan: PartPlan, rows: list[tuple[Any, ...]], records: list[dict[str, Any]]
) -> None:
    """Offices are matched by code (unique): an office's description of itself wins over
    another office's description of it; otherwise the higher revision of the same author."""
    for row, record in zip(rows, records, strict=True):
        code, owner, revision = record["code"], record["owner_office"], record["revision"]
        current = state.office_rows.get(code)
        if code == state.me.code:
            plan.counts["unchanged"] += 1
            continue
        if current is None:
            plan.counts["new"] += 1
        else:
            cur_id, cur_owner, cur_rev = current
            self_described = owner == code and cur_owner != code
            same_author_newer = owner == cur_owner and (
                revision > cur_rev or (revision == cur_rev and cur_id != row[0])
            )
            if not (self_described or same_author_newer):
                plan.counts["unchanged"] += 1
                continue
            plan.counts["updated"] += 1
        plan.offices.append(row)
        state.office_rows[code] = (row[0], owner, revision)
        state.offices[code] = OfficeInfo.of(record)


def _validate(
    state: _State,
    plan: PartPlan,
    table: str,
    records: list[dict[str, Any]],
    batch_programmes: dict[str, Any],
) -> int:
    """The programme's validation rules (domain.validation, the one implementation)."""
    problems: list[str] = []
    live = [r for r in records if not r.get("deleted")]
    if table == "plan_items":
        for record in live:
            for problem in validate_plan_item(record, final=False):
                problems.append(_reason_line(table, record, problem.message))
    elif table == "activities":
        for record in live:
            item = {
                "held_on": _date(record.get("held_on")),
                "held_until": _date(record.get("held_until")),
                "participants": record.get("participants"),
                "budget_spent": record.get("budget_spent"),
            }
            for problem in validate_activity(item):
                problems.append(_reason_line(table, record, problem.message))
    elif table == "kpi_values":
        groups: dict[tuple[Any, ...], dict[str, Any]] = {}
        known_codes: dict[str, set[str]] = {}
        for record in live:
            pid: str = record.get("programme_id") or ""
            codes = known_codes.get(pid)
            if codes is None:
                spec = (state.programmes.get(pid) or batch_programmes.get(pid) or (None, None))[1]
                if spec is None:
                    continue  # reported as a missing programme
                codes = known_codes[pid] = {i["code"] for i in spec.get("indicators", [])}
            if record.get("indicator_code") not in codes:
                problems.append(
                    _reason_line(table, record, _("unknown indicator for this programme"))
                )
                continue
            value: Any = record.get("value_text")
            if record.get("value_num") is not None:
                value = Decimal(str(record["value_num"]))
            elif record.get("value_date") is not None:
                value = _date(record["value_date"])
            key = (pid, record.get("period"), record.get("row_key"))
            groups.setdefault(key, {})[record["indicator_code"]] = value
        for (pid, period, _row_key), values in groups.items():
            known = state.programmes.get(pid) or batch_programmes.get(pid)
            assert known is not None  # groups hold only records of known programmes (above)
            spec = known[1]
            if spec.get("rules"):  # checks across fields need the whole group
                found = validate_form(spec, values, final=False)
            else:  # the same per-value check, without walking the indicators that are absent
                found = []
                indicators = state.indicators.get(pid)
                if indicators is None:
                    indicators = state.indicators[pid] = {
                        i["code"]: i for i in spec.get("indicators", [])
                    }
                for code, value in values.items():
                    _parsed, error = parse_indicator_value(indicators[code], value)
                    if error:
                        found.append(Problem(code, error))
            for problem in found:
                problems.append(
                    _("{what} {code} ({period}): {message}").format(
                        what=_table_label(table),
                        code=problem.field,
                        period=period,
                        message=problem.message,
                    )
                )
    for message in problems[:MAX_REASONS]:
        plan.reasons.append(message)
    return len(problems)


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


# ---- commit ----------------------------------------------------------------------------------


def commit(
    store: Store,
    plan: ImportPlan,
    *,
    trust: bool | set[str] = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Writes every importable package of the plan in one transaction.

    ``trust``: True accepts every new direct sender's key; a set accepts those offices' keys.
    A package from an office whose key is not trusted is refused (nothing of it is written).
    """
    progress = progress or Progress()
    imported: list[PackagePlan] = []
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
    total = sum(len(rows) for pk in imported for pt in pk.parts for rows in pt.rows.values())
    stall = os.environ.get("LEV_EXCHANGE_TEST_STALL")  # test hook: pause mid-transaction
    codec_map = codecs(store.engine.dialect)
    mark = "?" if store.engine.dialect.paramstyle == "qmark" else "%s"
    now = utcnow()
    try:
        with _bulk():
            _write_all(store, plan, imported, codec_map, mark, now, stall, progress, total)
    except sa_exc.IntegrityError as exc:
        for package in imported:
            _refuse(
                package,
                None,
                "integrity",
                _(
                    "The packages refer to records this office does not have, or repeat a record "
                    "under another identity ({detail}). Nothing was imported."
                ).format(detail=str(exc.orig)[:80]),
            )
            log_refusal(package, plan.me)
        return ImportResult(imported=[], refused=refused + imported, duplicates=duplicates)
    for package in refused:
        log_refusal(package, plan.me)
    return ImportResult(imported=imported, refused=refused, duplicates=duplicates)


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
    with store.session(importing=True) as session:
        conn = session.connection()
        if store.is_sqlite:
            conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        _write_offices(
            conn, codec_map["offices"], [row for _p, part in parts for row in part.offices], mark
        )
        # One statement per table for all packages together.
        for model in MODELS:
            table = model.__tablename__
            if table == "offices":
                continue
            rows = [row for _p, part in parts for row in part.rows.get(table, ())]
            if rows:
                conn.exec_driver_sql(_upsert_sql(codec_map[table], mark, force=False), rows)
                done += len(rows)
                progress(done, total, _("Writing records"))
                if stall:
                    Path(stall).write_text("writing", encoding="utf-8")
                    time.sleep(600)
            forced = [row for _p, part in parts for row in part.forced.get(table, ())]
            if forced:
                conn.exec_driver_sql(_upsert_sql(codec_map[table], mark, force=True), forced)
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
                        part.part.container
                        if part.part and part.part.container
                        else part.excel_payload
                    ),
                    "container": part.container_uuid,
                }
            )
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
            conn.execute(insert(_table_of(Conflict)), conflicts)
        if received:
            conn.execute(insert(_table_of(ReceivedPackage)), received)
        if audits:
            conn.execute(insert(_table_of(AuditEntry)), audits)
        if new_keys:
            _store_trust(conn, new_keys, store.officer, now)
        progress(total, total, _("Saving"))


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
    progress: Progress | None = None,
) -> tuple[ImportPlan, ImportResult]:
    """Preview then commit (the command line and tests)."""
    plan = preview(store, paths, progress=progress)
    return plan, commit(store, plan, trust=trust, progress=progress)


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
