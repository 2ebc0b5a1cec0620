"""Export: this office's own records (all, or what changed since the last package to the same
office) for chosen programmes and fiscal years, signed, in one .levpkg file. A package going up
the route also carries, unchanged, the signed packages this office received from the offices
below it (provenance end to end)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from db.models import (
    Activity,
    Base,
    FormSubmission,
    KpiValue,
    Monitoring,
    Office,
    Plan,
    PlanItem,
    Programme,
    utcnow,
)
from db.models_exchange import ReceivedPackage, SentPackage
from db.store import Store, replace_setting, stored_setting
from lev_desktop import files
from lev_desktop.domain.validation import (
    CLOCK_TOLERANCE,
    check_record,
    decoded_record_problems,
    field_label,
    office_name_key,
    office_name_scope,
    package_made_problem,
    shown_time,
)
from lev_desktop.exchange import deliveries, keys
from lev_desktop.exchange import format as fmt
from lev_desktop.exchange.jurisdiction import OfficeInfo, is_below
from lev_desktop.exchange.payloads import RECORD_TABLES, reason_line
from lev_desktop.exchange.records import MODELS, PayloadError, codecs, dump_lines, row_to_json
from lev_desktop.exchange.restamp import FutureChanges, combine, future_changes, future_in_rows
from lev_desktop.i18n import _
from lev_desktop.progress import Progress
from lev_desktop.thai_format import fiscal_year as fiscal_year_of

SEQUENCE_SETTING = "exchange_sequence"
log = logging.getLogger(__name__)


class ExportError(ValueError):
    """An export request a person can fix; the message is Thai."""


@dataclass
class ExportResult:
    path: Path
    package_uuid: str
    sequence: int
    kind: str
    base: str | None
    recipient: str
    size: int
    counts: dict[str, int]
    embedded: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    fulfilment: deliveries.Fulfilment | None = None  # what it fulfils (marked sent)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _period_fiscal_year(period: str) -> int | None:
    try:
        if period.startswith("FY"):
            return int(period[2:])
        if len(period) == 7:
            return fiscal_year_of(dt.date(int(period[:4]), int(period[5:7]), 1))
        if len(period) == 10:
            return fiscal_year_of(dt.date.fromisoformat(period))
    except ValueError:
        return None
    return None


def _programme_ids(session: Session, codes: list[str] | None) -> list[str] | None:
    if not codes:
        return None
    ids = []
    for code in codes:
        pid = session.scalar(
            select(Programme.id).where(or_(Programme.code == code, Programme.id == code))
        )
        if pid is None:
            raise ExportError(_("Unknown programme: {code}").format(code=code))
        ids.append(pid)
    return ids


def _select_rows(
    session: Session,
    model: type[Base],
    me: str,
    since: dt.datetime | None,
    programme_ids: list[str] | None,
    years: list[int] | None,
) -> list[dict[str, Any]]:
    table = model.__table__
    query = select(table).where(table.c.owner_office == me)
    if since is not None:
        query = query.where(table.c.updated_at >= since)
    if model is Programme:
        query = query.where(table.c.builtin.is_(False))
        if programme_ids:
            query = query.where(table.c.id.in_(programme_ids))
    if model in (Plan, Monitoring):
        if programme_ids:
            query = query.where(table.c.programme_id.in_(programme_ids))
        if years:
            query = query.where(table.c.fiscal_year.in_(years))
    elif model in (PlanItem, Activity):
        plan = Plan.__table__
        conds = []
        if programme_ids:
            conds.append(plan.c.programme_id.in_(programme_ids))
        if years:
            conds.append(plan.c.fiscal_year.in_(years))
        if conds:
            if model is PlanItem:
                sub = select(plan.c.id).where(and_(*conds))
                query = query.where(table.c.plan_id.in_(sub))
            else:
                item = PlanItem.__table__
                sub = select(item.c.id).join(plan, item.c.plan_id == plan.c.id).where(and_(*conds))
                query = query.where(table.c.plan_item_id.in_(sub))
    elif model in (KpiValue, FormSubmission) and programme_ids:
        query = query.where(table.c.programme_id.in_(programme_ids))
    rows = [dict(r._mapping) for r in session.execute(query)]
    if years and model in (KpiValue, FormSubmission):
        wanted = set(years)
        rows = [r for r in rows if _period_fiscal_year(r["period"]) in wanted]
    return rows


def this_office_info(store: Store) -> OfficeInfo:
    with store.read() as session:
        office = (
            session.scalar(select(Office).where(Office.code == store.office_code))
            if store.office_code
            else None
        )
    if office is None:
        raise ExportError(_("Set up this office first (Settings, or `lev init`)."))
    return OfficeInfo.of(office)


def ensure_key(store: Store, me: OfficeInfo, notes: list[str] | None = None) -> Ed25519PrivateKey:
    """This office's key pair, made on first use; its public key is kept on the office record.

    When the office record holds another public key (the key file was missing and a new key
    is made, or another key file was put in its place), the offices above will refuse the
    packages as a stranger's until they trust the new key: ``notes`` gets a sentence that says
    so (it was silent)."""
    key = keys.load_or_create(me.code)
    public = keys.public_b64(key)
    with store.session() as session:
        office = session.scalar(select(Office).where(Office.code == me.code))
        if office is not None and office.public_key != public and office.owner_office == me.code:
            if office.public_key and notes is not None:
                notes.append(
                    _(
                        "This office's key for signing packages ({path}) is not the one its "
                        "earlier packages were signed with (the file was missing or replaced), "
                        "so this package is signed with a new key, fingerprint {fp}. The office "
                        "receiving it will not import it until it trusts the new key: tell it "
                        "this fingerprint by telephone or letter. If you still have the earlier "
                        "key, put it back in Settings › Backups with “Import a key file…” or "
                        "“Put back the key from the backup…” and export again."
                    ).format(path=keys.key_path(me.code), fp=keys.fingerprint(key)[:16])
                )
            office.public_key = public
    return key


def _packages_to_forward(
    session: Session,
    me: OfficeInfo,
    recipient: str,
    since_last: bool,
) -> list[ReceivedPackage]:
    received = list(
        session.scalars(
            select(ReceivedPackage)
            .where(
                ReceivedPackage.result == "imported",
                ReceivedPackage.signed.is_(True),
                ReceivedPackage.manifest.is_not(None),
                ReceivedPackage.sender != recipient,
            )
            .order_by(ReceivedPackage.sender, ReceivedPackage.sequence)
        )
    )
    offices = {o.code: OfficeInfo.of(o) for o in session.scalars(select(Office))}
    chosen: list[ReceivedPackage] = []
    forwarded: set[str] = set()
    for sent in session.scalars(select(SentPackage).where(SentPackage.recipient == recipient)):
        forwarded.update(sent.embedded or [])
    by_sender: dict[str, list[ReceivedPackage]] = {}
    for package in received:
        info = offices.get(package.sender)
        if info is None or not is_below(info, me):
            continue
        by_sender.setdefault(package.sender, []).append(package)
    firsts = deliveries.first_carriers(session, sorted(by_sender)) if not since_last else set()
    for packages in by_sender.values():
        if since_last:
            chosen.extend(p for p in packages if p.uuid not in forwarded)
        else:
            start = 0
            for index, package in enumerate(packages):
                if package.kind == "full":
                    start = index
            chosen.extend(_first_carriers_before(packages, start, firsts, forwarded))
            chosen.extend(packages[start:])
    return chosen


def _first_carriers_before(
    packages: list[ReceivedPackage], start: int, firsts: set[str], forwarded: set[str]
) -> list[ReceivedPackage]:
    """Of one office's packages (in sequence order) before ``start`` (its last full one),
    those that first brought a form here (``deliveries.first_carriers``) and that the office
    above has not had from here, so the day each report is judged by goes up with it (a
    correction sent after the deadline does not make an LAO that reported in time late
    above). A delta comes with the packages it builds on. None older than a package already
    relayed there: that office would refuse it as an old package, and this whole package."""
    newest_sent = max((p.sequence for p in packages if p.uuid in forwarded), default=0)
    by_uuid = {p.uuid: p for p in packages}
    wanted: set[str] = set()
    for package in packages[:start]:
        if package.uuid not in firsts or package.uuid in forwarded:
            continue
        chain: list[ReceivedPackage] = []
        step: ReceivedPackage | None = package
        while step is not None and step.uuid not in forwarded:
            chain.append(step)
            step = None if step.kind == "full" else by_uuid.get(step.base_uuid or "")
        if chain[-1].kind != "full" and step is None:
            continue  # a delta whose base is neither here nor there
        if all(p.sequence > newest_sent for p in chain):
            wanted.update(p.uuid for p in chain)
    return [p for p in packages[:start] if p.uuid in wanted]


def _excel_to_forward(
    session: Session, me: OfficeInfo, recipient: str, since_last: bool
) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """The Excel forms entered here (or relayed from below) for offices below this one, as
    manifest entries and their record files: they travel upward signed by this office, with
    who entered them, where and when. A delta carries those not forwarded to ``recipient`` yet."""
    forwarded: set[str] = set()
    if since_last:
        for sent in session.scalars(select(SentPackage).where(SentPackage.recipient == recipient)):
            forwarded.update(sent.embedded or [])
    offices = {o.code: OfficeInfo.of(o) for o in session.scalars(select(Office))}
    entries: list[dict[str, Any]] = []
    files: dict[str, bytes] = {}
    for row in session.scalars(
        select(ReceivedPackage)
        .where(
            ReceivedPackage.kind == "excel",
            ReceivedPackage.result == "imported",
            ReceivedPackage.records.is_not(None),
        )
        .order_by(ReceivedPackage.imported_at, ReceivedPackage.uuid)
    ):
        info = offices.get(row.sender)
        if row.uuid in forwarded or info is None or not is_below(info, me) or row.records is None:
            continue
        provenance = row.provenance or {}
        entered = provenance.get("entered_at") or (
            row.imported_at.replace(tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")
        )
        name = f"{fmt.EXCEL_DIR}{row.uuid}/kpi_values.jsonl"
        files[name] = bytes(row.records)
        entries.append(
            {
                "uuid": row.uuid,
                "office": row.sender,
                "entered_by": str(provenance.get("entered_by", row.imported_by))[:120],
                "entered_at": entered,
                "entered_office": str(provenance.get("entered_office", me.code)),
                "form_sha256": str(provenance.get("form_sha256", "0" * 64)),
                "file": name,
                "sha256": fmt.sha256(files[name]),
                "size": len(files[name]),
                "records": files[name].count(b"\n"),
            }
        )
    return entries, files


def _load_parts(session: Session, stored: list[ReceivedPackage]) -> list[fmt.Part]:
    containers: dict[str, bytes | None] = {}
    parts = []
    for package in stored:
        key = package.container or package.uuid
        if key not in containers:
            containers[key] = (
                package.payload
                if package.payload is not None
                else session.scalar(
                    select(ReceivedPackage.payload).where(ReceivedPackage.uuid == key)
                )
            )
        container = containers[key]
        # only signed packages with their manifest are forwarded (_packages_to_forward)
        assert container is not None and package.manifest is not None
        assert package.signature is not None
        parts.append(
            fmt.part_from_container(container, package.uuid, package.manifest, package.signature)
        )
    return parts


def plan_export(
    store: Store,
    recipient: str,
    *,
    since_last: bool = False,
    programmes: list[str] | None = None,
    fiscal_years: list[int] | None = None,
    down: bool = False,
    today: dt.date | None = None,
) -> deliveries.Fulfilment:
    """Before writing: which obligations a package with these choices would fulfil (the
    export screen shows it, and warns when it fulfils none)."""
    try:
        place, relation = deliveries.check_recipient(store, recipient, down=down)
    except deliveries.RecipientError as exc:
        raise ExportError(str(exc)) from exc
    me = this_office_info(store)
    with store.read() as session:
        since = None
        if since_last:
            previous = session.scalar(
                select(SentPackage)
                .where(SentPackage.recipient == place.code)
                .order_by(SentPackage.sequence.desc())
                .limit(1)
            )
            since = previous.started_at if previous is not None else None
            if since is not None and since > utcnow():  # as export_package: a full package
                since = None
        ids = _programme_ids(session, programmes)
        rows = _select_rows(session, FormSubmission, me.code, since, ids, fiscal_years)
        complete = deliveries.complete_forms(rows)
        forms = deliveries.destined(session, me, place.level, complete)
        elsewhere = _due_elsewhere(store, session, me, place, relation, complete)
        relayed: list[deliveries.OwnedForm] = []
        if relation == "reports_to":
            stored = _packages_to_forward(session, me, place.code, since is not None)
            relayed = deliveries.relayed_forms(session, [p.uuid for p in stored])
    return deliveries.describe(
        store, place, relation, forms, relayed, today=today, elsewhere=elsewhere
    )


def _due_elsewhere(
    store: Store,
    session: Session,
    me: Any,
    place: Any,
    relation: str,
    complete: list[deliveries.FormKey],
) -> list[str]:
    """The offices above that complete forms in the package are due at instead of ``place``."""
    if not deliveries.counts(relation) or not complete:
        return []
    _me, choices = deliveries.recipient_choices(store)
    return deliveries.due_elsewhere(session, me, place, choices, complete)


# At most this many records named when an export is refused (the rest counted).
MAX_NAMED = 5


def _refuse_a_wrong_clock(now: dt.datetime) -> None:
    """ExportError when the package would say it was made at a time the receiving office
    refuses whatever it holds (validation.package_made_problem): this computer's clock cannot
    be right (a dead clock battery back at its BIOS date), and the reports would count as sent
    on a false day.

    This office's own earlier packages are not a bound here, as they are at the receiver:
    one written while the clock was far ahead was refused over there, and would otherwise
    stop every export here until that date. Changes saved after now are
    ``_refuse_future_changes``."""
    problem = package_made_problem(now, now=now)
    if problem:
        raise ExportError(
            _(
                "The date and time of this computer are wrong, so the package was not written: "
                "it would be {reason}. Please set the date and time of Windows correctly "
                "(Settings › Time & language), then export again."
            ).format(reason=problem)
        )


class FutureChangesError(ExportError):
    """The package would hold changes saved later than now (+ CLOCK_TOLERANCE): the receiver
    refuses it as made before a change it holds. ``future`` says how many and when."""

    def __init__(self, message: str, future: FutureChanges):
        super().__init__(message)
        self.future = future


def _refuse_future_changes(future: FutureChanges) -> None:
    """FutureChangesError when the package's records were saved later than now allows (the
    receiver's rule: validation.package_made_problem, a change after the making time). Either
    the clock was ahead while they were saved, or it is behind now: the message says both and
    what to do for each (restamp.restamp_future_changes puts the first right)."""
    if future.refused:
        raise FutureChangesError(
            _(
                "The package was not written: {what} If the date and time now are right, this "
                "computer's clock was ahead when those records were saved: press \"Set their "
                'times to now" (or run lev restamp), then export again. If they are wrong, '
                "please set the date and time of Windows correctly (Settings › Time & "
                "language)."
            ).format(what=future.describe()),
            future,
        )


@dataclass(frozen=True)
class ClockProblem:
    """What the start-up says of this computer's clock: ``text``, and ``future`` when the
    office's own records were saved after now (the clock was ahead then, or is behind now)."""

    text: str
    future: FutureChanges | None = None


def clock_problem(store: Store) -> ClockProblem | None:
    """Why this computer's clock cannot be right, or why this office's packages would be
    refused for its records' times, in the interface language, or None: the start-up says so
    before any deadline is judged by it or any package is refused for it. The same rules as
    every package this office writes (``_refuse_a_wrong_clock``, ``_refuse_future_changes``)."""
    now = utcnow()
    problem = package_made_problem(now, now=now)
    if problem is not None:
        return ClockProblem(
            _(
                "The date and time of this computer cannot be right: a package written now "
                "would be {reason}. LEV Desktop judges every deadline by today's date, and the "
                "office above would refuse this office's packages. Please set the date and time "
                "of Windows correctly (Settings › Time & language), then start LEV Desktop again."
            ).format(reason=problem)
        )
    with store.read() as session:
        future = future_changes(session, store.office_code or "", now)
    if not future.refused:
        return None
    return ClockProblem(
        _(
            "{what} The office above would refuse every package of this office until this is "
            "put right. If the date and time now are right, this computer's clock was ahead "
            'when those records were saved: press "Set their times to now". If they are '
            "wrong, please set the date and time of Windows correctly (Settings › Time & "
            "language), then start LEV Desktop again."
        ).format(what=future.describe()),
        future,
    )


def _refuse_what_the_receiver_refuses(
    store: Store, table: str, rows: list[dict[str, Any]], data: bytes, now: dt.datetime
) -> None:
    """The payload read as the receiving office reads it (the same codec, the same rules), so
    that a record it would refuse is found here, named, and corrected by this office, rather
    than the whole package refused over there (a Word line break pasted into a project before
    the editors refused one, or data of an earlier version). ExportError in Thai otherwise."""
    codec = codecs(store.engine.dialect)[table]
    latest = now + CLOCK_TOLERANCE
    named: list[str] = []
    count = 0
    names = False  # an office's name among them: where to correct it is said

    def refuse(record: Any, message: str) -> None:
        """One more record refused; named while there are fewer than MAX_NAMED."""
        nonlocal count
        count += 1
        if len(named) < MAX_NAMED:
            named.append(reason_line(table, record, message))

    def first(problems: list[Any]) -> str:
        return f"{field_label(problems[0].field)}: {problems[0].message}"

    try:
        records, _rows = codec.decode(data, latest)
    except PayloadError as refused:
        for row in rows:
            problems = check_record(table, row_to_json(row), latest=latest)
            if problems:
                refuse(row, first(problems))
        if not named:  # (found by the fast path alone: its own words)
            named, count = refused.problems[:MAX_NAMED], refused.count
    else:
        # What the receiver asks of an office or programme record beyond its type
        # (payloads.read_payload): a name with a character that draws nothing, stored before
        # the rule (or written into the LAO list by hand), refused the office's whole package
        # over there while the export here said nothing.
        for record in records if table in RECORD_TABLES else ():
            problems = decoded_record_problems(table, record)
            names = names or any(problem.field == "name" for problem in problems)
            if problems:
                refuse(record, first(problems))
        if table == "offices":  # two offices of one district drawn alike (the receiver's
            # _name_clash): the district's board and F3 would show two rows of one name
            holders: dict[tuple[tuple[str, str], str], Any] = {}
            for record in sorted(records, key=attrgetter("code")):  # (the lower code kept)
                if record.deleted:
                    continue
                key = (office_name_scope(record), office_name_key(record.name))
                other = holders.setdefault(key, record)
                if other is not record:
                    names = True
                    message = _(
                        "the name looks the same as that of LAO {code} of this district"
                    ).format(code=other.code)
                    refuse(record, message)
    if not named:
        return
    if count > len(named):
        named.append(_("… and {count} more").format(count=count - len(named)))
    if names and table == "offices":
        named.append(
            _(
                "An office's name is corrected in Settings › This office (this office's own "
                "name) or in Settings › LAOs in the area (an LAO of this district): type the "
                "whole name again, as a character that is not text cannot be seen; two offices "
                "of one name are told apart by their subdistrict."
            )
        )
    raise ExportError(
        _(
            "The office receiving this package would refuse it, so it was not written. "
            "Please correct these records and export again:\n{records}"
        ).format(records="\n".join(named))
    ) from None


def export_package(
    store: Store,
    recipient: str,
    out: Path | str,
    *,
    since_last: bool = False,
    programmes: list[str] | None = None,
    fiscal_years: list[int] | None = None,
    progress: Progress | None = None,
    down: bool = False,
    check_route: bool = True,
) -> ExportResult:
    """Writes the package. ``recipient`` must be an office above this one on the route (or,
    with ``down``, an office below it: reviews and programmes); ``check_route=False`` lets a
    test write a package for any code. Only a package to the office this one reports to
    records its complete forms as sent."""
    progress = progress or Progress()
    recipient = (recipient or "").strip()
    me = this_office_info(store)
    if not recipient:
        raise ExportError(_("Please choose the office the package is for."))
    if recipient == me.code:
        raise ExportError(_("A package cannot be addressed to this office itself."))
    relation = ""
    place = None
    if check_route:
        try:
            place, relation = deliveries.check_recipient(store, recipient, down=down)
        except deliveries.RecipientError as exc:
            raise ExportError(str(exc)) from exc
    out = Path(out)
    if out.suffix != fmt.SUFFIX:
        out = out.with_name(out.name + fmt.SUFFIX)
    told: list[str] = []
    key = ensure_key(store, me, told)
    started = utcnow()
    progress(0, len(MODELS) + 2, _("Collecting records"))
    form_rows: list[dict[str, Any]] = []
    with store.read() as session:
        previous = session.scalar(
            select(SentPackage)
            .where(SentPackage.recipient == recipient)
            .order_by(SentPackage.sequence.desc())
            .limit(1)
        )
        kind, base, since, note = "full", None, None, ""
        if since_last:
            if previous is None:
                note = _(
                    "No package was sent to {office} before: a full package was written."
                ).format(office=recipient)
            elif previous.started_at > started:
                # written while the clock was ahead: changes saved since (and any re-stamped
                # to now, restamp.py) are older than it, and "since" would leave them out
                note = _(
                    "The last package sent to {office} says it was made later than now ({made}): "
                    "a full package was written."
                ).format(office=recipient, made=shown_time(previous.started_at))
            else:
                kind, base, since = "delta", previous.uuid, previous.started_at
        _refuse_a_wrong_clock(started)
        programme_ids = _programme_ids(session, programmes)
        payloads: dict[str, bytes] = {}
        counts: dict[str, int] = {}
        selected = [
            _select_rows(session, model, me.code, since, programme_ids, fiscal_years)
            for model in MODELS
        ]
        _refuse_future_changes(
            combine(
                (
                    future_in_rows(model.__tablename__, rows, started)
                    for model, rows in zip(MODELS, selected, strict=True)
                ),
                started,
            )
        )
        for index, (model, rows) in enumerate(zip(MODELS, selected, strict=True), start=1):
            if model is Office and not any(r["code"] == me.code for r in rows):
                rows += [
                    dict(r._mapping)
                    for r in session.execute(
                        select(Office.__table__).where(
                            Office.code == me.code, Office.owner_office == me.code
                        )
                    )
                ]
            if model is FormSubmission:
                form_rows = rows
            if rows:
                rows.sort(key=lambda r: r["id"])
                data = dump_lines(rows)
                _refuse_what_the_receiver_refuses(store, model.__tablename__, rows, data, started)
                payloads[f"{fmt.PAYLOAD_DIR}{model.__tablename__}.jsonl"] = data
                counts[model.__tablename__] = len(rows)
            progress(index, len(MODELS) + 2)
        recipient_row = session.scalar(select(Office).where(Office.code == recipient))
        upward = recipient_row is None or not is_below(OfficeInfo.of(recipient_row), me)
        stored = (
            _packages_to_forward(session, me, recipient, since_last and kind == "delta")
            if upward
            else []
        )
        embedded = _load_parts(session, stored)
        excel, attachments = (
            _excel_to_forward(session, me, recipient, since_last and kind == "delta")
            if upward
            else ([], {})
        )
        sequence = last_sequence(session) + 1
        carried = deliveries.complete_forms(form_rows)
        elsewhere = _due_elsewhere(store, session, me, place, relation, carried) if place else []
        if place is not None and deliveries.counts(relation):
            carried = deliveries.destined(session, me, place.level, carried)
        relayed = (
            deliveries.relayed_forms(session, [p.uuid for p in stored])
            if relation == "reports_to"
            else []
        )
    fulfilment = (
        deliveries.describe(store, place, relation, carried, relayed, elsewhere=elsewhere)
        if place is not None
        else None
    )
    package_uuid = str(uuid.uuid4())
    manifest = fmt.build_manifest(
        package_uuid=package_uuid,
        kind=kind,
        base=base,
        sender=me.as_dict(),
        key=key,
        recipient=recipient,
        sequence=sequence,
        created_at=started.replace(tzinfo=dt.UTC).isoformat().replace("+00:00", "Z"),
        payloads=payloads,
        counts=counts,
        embedded=embedded,
        filters={"programmes": programmes or [], "fiscal_years": fiscal_years or []},
        excel=excel,
    )
    outer = fmt.sign_part(manifest, payloads, key)
    outer.attachments = attachments
    progress(len(MODELS) + 1, len(MODELS) + 2, _("Writing the package"))

    def record_deliveries(session: Session) -> None:
        if deliveries.counts(relation):
            # Only what the package carries and is due at the recipient's level, only to an
            # office above on the route (relayed forms only to the office this one reports to).
            deliveries.record_sent(
                session,
                office=me.code,
                recipient=recipient,
                package_uuid=package_uuid,
                at=started,
                forms=carried,
                relayed=relayed,
            )

    size = _place_and_record(
        store,
        out,
        lambda tmp: fmt.write_package(tmp, outer, embedded),
        sequence=sequence,
        record=SentPackage(
            uuid=package_uuid,
            recipient=recipient,
            sequence=sequence,
            kind=kind,
            base_uuid=base,
            started_at=started,
            created_by=store.officer,
            file_name=out.name,
            filters={"programmes": programmes or [], "fiscal_years": fiscal_years or []},
            counts=counts,
            embedded=[p.uuid for p in embedded] + [e["uuid"] for e in excel],
        ),
        also=record_deliveries,
    )
    progress(len(MODELS) + 2, len(MODELS) + 2)
    return ExportResult(
        path=out,
        package_uuid=package_uuid,
        sequence=sequence,
        kind=kind,
        base=base,
        recipient=recipient,
        size=size,
        counts=counts,
        embedded=[{"uuid": p.uuid, "sender": p.sender, "sequence": p.sequence} for p in embedded],
        note=" ".join([*told, note]).strip(),
        fulfilment=fulfilment,
    )


def _place_and_record(
    store: Store,
    out: Path,
    write: Callable[[Path], int],
    *,
    sequence: int,
    record: SentPackage,
    also: Callable[[Session], None] | None = None,
) -> int:
    """Writes the package beside ``out``, puts it in place, and only then commits the sent
    record, so that a package the officer cannot find (a rename refused because the old file
    is open in another program, a full disk) is never recorded as sent — the next "changes
    only" package would name it as its base. If the commit fails after the rename, the new
    file is removed again. ``also`` adds to the same transaction (what the package fulfils:
    ``deliveries.record_sent``).

    The sequence number is used up first, in a transaction of its own: a process killed (or a
    computer switched off) between the rename and the commit leaves a package the database
    does not record as sent, and its number must never be written again — the district that
    imported that package would refuse the next one as an old package sent again. A failure
    the program sees (a refused rename, a full disk) gives the number back; a number a kill
    used up without a package is only a gap, which the receiver accepts."""
    _use_sequence(store, sequence, previous=sequence - 1)
    placed = False
    try:
        with files.staged(out) as tmp:
            record.size = write(tmp)
            with store.session() as session:
                session.add(record)
                session.flush()  # a refused record stops here, before the file moves
                if also is not None:
                    also(session)
                    session.flush()
                files.place(tmp, out)
                placed = True
    except BaseException:
        if placed:
            out.unlink(missing_ok=True)
        # No package left, so no trace: the number is given back (only a kill, which runs no
        # code, leaves it used up).
        _use_sequence(store, sequence - 1, previous=sequence)
        raise
    return record.size


def last_sequence(session: Session) -> int:
    """The number of the last package this office wrote: its setting, or, when that is
    missing or not a number (a damaged page, a hand edit: the export failed with "Unterminated
    string…" or "invalid literal for int()"), the highest number among the packages sent, so
    that the next one is never taken for an old one by the office that receives it."""
    setting = _stored_sequence(session)
    if setting is not None:
        return setting
    sent = session.scalar(select(func.max(SentPackage.sequence)))
    if sent:
        log.info("the setting %s is damaged: numbering goes on from %s", SEQUENCE_SETTING, sent)
    return int(sent or 0)


def _stored_sequence(session: Session) -> int | None:
    """The setting as a number ≥ 0, or None when it is missing or not one (a value that is
    not JSON does not stop the export)."""
    value = stored_setting(session, SEQUENCE_SETTING)
    return value if type(value) is int and value >= 0 else None


def _use_sequence(store: Store, sequence: int, *, previous: int) -> None:
    """Records ``sequence`` as the last one this office wrote, when the last one recorded is
    still ``previous`` (another export in between keeps its own); a damaged setting is
    replaced without being read."""
    with store.session() as session:
        stored = _stored_sequence(session)
        if stored is None or stored == previous:
            replace_setting(session, SEQUENCE_SETTING, sequence)


def sent_history(store: Store) -> list[SentPackage]:
    with store.read() as session:
        return list(
            session.scalars(
                select(SentPackage).order_by(
                    SentPackage.created_at.desc(), SentPackage.sequence.desc()
                )
            )
        )
