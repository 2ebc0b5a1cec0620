"""Travelling records ↔ payload lines (JSON Lines) ↔ database rows.

One payload file per table, ``payload/<table>.jsonl``, one JSON object per line. Values are
written in a form independent of the database: dates ``YYYY-MM-DD``, date-times
``YYYY-MM-DDTHH:MM:SS``, decimals as strings, booleans as true/false, JSON as JSON.

On import a payload is decoded and checked against the boundary schema
(``lev_desktop.domain.validation``, compiled into msgspec types) in one pass, then each record is
turned straight into the tuple the bulk statement takes (no ORM objects: see FIELD-NOTES, bulk
writes).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import Table
from sqlalchemy.engine import Dialect

from db.models import (
    Activity,
    Base,
    FormSubmission,
    KpiValue,
    Letter,
    Monitoring,
    Office,
    Plan,
    PlanItem,
    Programme,
    Review,
)
from lev_desktop.domain.validation import (
    FIELDS,
    Field,
    check_columns,
    check_field,
    check_record,
    column_checks,
    decode_type,
    field_label,
    record_type,
)
from lev_desktop.i18n import _

# Order matters: a record's parents come first.
MODELS = (
    Office,
    Programme,
    Letter,
    Plan,
    PlanItem,
    Activity,
    Monitoring,
    KpiValue,
    FormSubmission,
    Review,
)
TABLES: dict[str, Table] = {m.__tablename__: Base.metadata.tables[m.__tablename__] for m in MODELS}
MODEL_BY_TABLE = {m.__tablename__: m for m in MODELS}
META_COLUMNS = ("id", "owner_office", "revision", "updated_at", "updated_by", "deleted")


def _to_json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # without the column's scale: Numeric(18, 4) gives 12500.5000, which the receiver
        # reads as four decimals and refuses for a baht amount (4500.0000 was already "4500")
        return format(value.normalize(), "f")
    return value


def row_to_json(row: dict[str, Any]) -> dict[str, Any]:
    return {key: _to_json_value(value) for key, value in row.items()}


def dump_lines(rows: Iterable[dict[str, Any]]) -> bytes:
    """Rows (Python values, as a Core select gives them) → JSON Lines bytes."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return "".join(dumps(row_to_json(r)) + "\n" for r in rows).encode("utf-8")


# ---- payload → database rows ------------------------------------------------------------------


class RecordError(ValueError):
    """A payload record that does not fit the schema: ``field`` and a Thai ``reason``."""

    def __init__(self, field: str, reason: str, line: int = 0):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.line = line


class PayloadError(ValueError):
    """A payload file that does not fit the schema: up to MAX_PROBLEMS Thai lines."""

    def __init__(self, problems: list[str], count: int):
        super().__init__("; ".join(problems))
        self.problems = problems
        self.count = count


MAX_PROBLEMS = 5
# The JSON escape of a character no text may hold (validation.CONTROL_CHARACTERS: NUL, which
# PostgreSQL refuses, and the other C0 controls but tab and line breaks, which XML cannot hold)
# after an even number of backslashes: in the JSON text, \b is a backspace and \\b an escaped
# backslash and a "b" (a path, "C:\\bin"). Raw control characters are not JSON: the decoder
# refuses them, and a lone UTF-16 surrogate too. A payload without a backslash before "u00",
# "b" or "f" (nearly every one) is passed by the first, plain search.
_SUSPECT_ESCAPES = re.compile(rb"\\(?:u00[01]|u20[26]|[bf])")
CONTROL_ESCAPES = re.compile(
    rb"(?<!\\)(?:\\\\)*\\(?:u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F])|u20(?:2[a-eA-E]|6[6-9])|[bf])"
)
# The bidirectional controls of CONTROL_CHARACTERS as they travel unescaped (UTF-8), searched
# apart from the escapes: one pattern for both took 16 times as long over Thai text.
_BIDI_CONTROLS = re.compile(b"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")


def has_control_character(data: bytes) -> bool:
    """Whether JSON text ``data`` holds a character of validation.CONTROL_CHARACTERS: as its
    escape (CONTROL_ESCAPES), or a bidirectional control as it is."""
    return (
        _SUSPECT_ESCAPES.search(data) is not None and CONTROL_ESCAPES.search(data) is not None
    ) or _BIDI_CONTROLS.search(data) is not None


@dataclass
class TableCodec:
    """One travelling table: the schema compiled for decoding (msgspec, in C) and the straight-line
    code that turns a decoded record into the tuple the bulk statement takes."""

    table: Table
    columns: list[str]
    decoder: Any
    to_db: Callable[[Any, str], tuple[Any, ...]]
    dialect_name: str
    # The patterns the decoder leaves out, checked a column at a time (decode_type).
    column_checks: list[tuple[str, re.Pattern[str], bool]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def record_type(self) -> type:
        """The whole schema, patterns included (``record_type``): only the slow path of a
        refused payload and ``row_from_json`` need it, so it is built on first use."""
        return record_type(self.name)

    def decode(self, data: bytes, latest: dt.datetime) -> tuple[list[Any], list[tuple[Any, ...]]]:
        """Payload bytes → (records, database rows); PayloadError with Thai reasons otherwise.

        ``latest``: the latest plausible change time (receipt time plus a tolerance)."""
        stamp = latest.replace(microsecond=0).isoformat()
        if not has_control_character(data):
            try:
                records = self.decoder.decode_lines(data)
                if self.column_checks and not check_columns(self.column_checks, records):
                    raise self.explain(data, latest)
                to_db = self.to_db
                return records, [to_db(r, stamp) for r in records]
            except (msgspec.DecodeError, msgspec.ValidationError, RecordError, UnicodeError):
                pass
            except RecursionError:
                pass
        raise self.explain(data, latest)

    def explain(self, data: bytes, latest: dt.datetime) -> PayloadError:
        """The slow path for a payload that failed: every line through the schema in Python,
        for Thai reasons with line numbers (at most MAX_PROBLEMS, and the count)."""
        problems: list[str] = []
        count = 0

        def add(line: int, text: str) -> None:
            nonlocal count
            count += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append(_("line {line}: {problem}").format(line=line, problem=text))

        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return PayloadError([_("The data of the package is not valid text.")], 1)
        stamp = latest.replace(microsecond=0).isoformat()
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):
                add(number, _("not a valid JSON record"))
                continue
            if not isinstance(record, dict):
                add(number, _("not a valid JSON record"))
                continue
            found = check_record(self.name, record, latest=latest)
            for problem in found[:2]:
                add(number, f"{field_label(problem.field)}: {problem.message}")
            if found:
                continue
            if has_control_character(line.encode("utf-8", "surrogatepass")):
                add(number, _("contains characters that are not text"))
                continue
            try:
                self.to_db(msgspec.convert(record, self.record_type), stamp)
            except RecordError as exc:
                add(number, f"{field_label(exc.field)}: {exc.reason}")
            except (msgspec.ValidationError, TypeError, ValueError) as exc:
                add(number, _("not in the expected form ({detail})").format(detail=str(exc)[:60]))
        if not count:  # the fast path refused what the slow path accepts: still a refusal
            problems, count = [_("The data of the package is not in the expected form.")], 1
        return PayloadError(problems, count)

    def row_from_json(
        self, record: dict[str, Any], latest: dt.datetime | None = None
    ) -> tuple[Any, ...]:
        """One record as it travels (a dict) → database row (benchmarks, tests, Excel)."""
        stamp = (latest or dt.datetime(2100, 12, 31)).replace(microsecond=0).isoformat()
        return self.to_db(msgspec.convert(record, self.record_type), stamp)


def _calendar_date(field: str) -> Callable[[str], None]:
    def check(value: str) -> None:
        try:
            dt.date.fromisoformat(value)
        except ValueError as exc:
            raise RecordError(field, _("must be a date (YYYY-MM-DD)")) from exc

    return check


def _stamp_converter(field: Field, sqlite: bool) -> Callable[[str, str], Any]:
    """A change time as it travels → as stored; refuses one after ``latest``."""

    def convert(value: str, latest: str) -> Any:
        message = check_field(field, value, latest=dt.datetime.fromisoformat(latest))
        if message:
            raise RecordError(field.name, message)
        parsed = dt.datetime.fromisoformat(value)
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
        return parsed.isoformat(" ", "microseconds") if sqlite else parsed

    return convert


def _compile_to_db(
    table: Table, columns: list[str], dialect: Dialect
) -> Callable[[Any, str], tuple[Any, ...]]:
    """Builds ``to_db(record, latest) -> tuple`` for one table as straight-line code.

    Called once per record on import (~860 k times for the nation), so there is no call per
    value: the record was already decoded and checked by msgspec; what is left is what a
    pattern cannot say (a calendar date such as 30 February, a change time after receipt) and
    the form each database stores (SQLite: dates and times as text, decimals as floats,
    booleans as 0/1).
    """
    sqlite = dialect.name == "sqlite"
    fields = FIELDS[table.name]
    env: dict[str, Any] = {"RecordError": RecordError, "Decimal": Decimal, "dt": dt}
    lines = ["def to_db(r, latest):"]
    for i, name in enumerate(columns):
        field = fields[name]
        kind = field.kind
        v = f"v{i}"
        lines.append(f"    {v} = r.{name}")
        guard = f"{v} is not None and " if field.nullable else ""
        if kind == "datetime":
            env[f"S{i}"] = _stamp_converter(field, sqlite)
            fast = (
                f'{v}[:10] + " " + {v}[11:] + ".000000"'
                if sqlite
                else f"dt.datetime.fromisoformat({v})"
            )
            later = f" and {v} <= latest" if field.stamp else ""
            lines.append(f"    if {guard}True:")
            lines.append(f"        if len({v}) == 19{later}: {v} = {fast}")
            lines.append(f"        else: {v} = S{i}({v}, latest)")
        elif kind == "date":
            env[f"C{i}"] = _calendar_date(name)
            lines.append(f'    if {guard}{v}[8:10] > "28": C{i}({v})')
            if not sqlite:
                lines.append(f"    if {guard}True: {v} = dt.date.fromisoformat({v})")
        elif kind == "decimal":
            lines.append(
                f"    if {guard}True: {v} = float({v})"
                if sqlite
                else f"    if {guard}True: {v} = Decimal({v})"
            )
        elif kind == "bool" and sqlite:
            lines.append(f"    {v} = 1 if {v} else 0")
        elif kind in ("json_object", "attachments"):
            column = table.c[name]
            process = column.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                # (an empty list or object, as most records' attachments: its text made once)
                empty: Any = [] if kind == "attachments" else {}
                env[f"P{i}"], env[f"E{i}"], env[f"T{i}"] = process, process(empty), type(empty)
                lines.append(f"    {v} = E{i} if {v}.__class__ is T{i} and not {v} else P{i}({v})")
    lines.append("    return (" + ", ".join(f"v{i}" for i in range(len(columns))) + ",)")
    exec("\n".join(lines), env)
    to_db: Callable[[Any, str], tuple[Any, ...]] = env["to_db"]
    return to_db


_CODECS: dict[tuple[str, str, str], dict[str, TableCodec]] = {}


def codecs(dialect: Dialect) -> dict[str, TableCodec]:
    """Per-table codecs for a kind of database (built once per process: it compiles code)."""
    key = (dialect.name, dialect.driver, dialect.paramstyle)
    cached = _CODECS.get(key)
    if cached is None:
        cached = _CODECS[key] = _build_codecs(dialect)
    return cached


def _build_codecs(dialect: Dialect) -> dict[str, TableCodec]:
    out: dict[str, TableCodec] = {}
    for name, table in TABLES.items():
        # The travelling columns first: row[0] is always the id.
        columns = list(META_COLUMNS) + [c.name for c in table.columns if c.name not in META_COLUMNS]
        out[name] = TableCodec(
            table=table,
            columns=columns,
            decoder=msgspec.json.Decoder(decode_type(name)),
            column_checks=column_checks(name),
            to_db=_compile_to_db(table, columns, dialect),
            dialect_name=dialect.name,
        )
    return out
