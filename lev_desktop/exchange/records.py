"""Travelling records ↔ payload lines (JSON Lines) ↔ database rows.

One payload file per table, ``payload/<table>.jsonl``, one JSON object per line. Values are
written in a form independent of the database: dates ``YYYY-MM-DD``, date-times
``YYYY-MM-DDTHH:MM:SS``, decimals as strings, booleans as true/false, JSON as JSON.

On import each value is converted once, with the same SQLAlchemy type processors the ORM uses,
straight into the tuple the bulk statement takes (no ORM objects: see FIELD-NOTES, bulk writes).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import JSON as SAJSON
from sqlalchemy import Boolean, Column, Date, DateTime, Integer, Numeric, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

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


class RecordError(ValueError):
    """A payload line that is not a valid record (the message names the problem)."""


def _to_json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return value


def row_to_json(row: dict[str, Any]) -> dict[str, Any]:
    return {key: _to_json_value(value) for key, value in row.items()}


def dump_lines(rows: Iterable[dict[str, Any]]) -> bytes:
    """Rows (Python values, as a Core select gives them) → JSON Lines bytes."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return "".join(dumps(row_to_json(r)) + "\n" for r in rows).encode("utf-8")


# ---- payload value → database value ----------------------------------------------------------


def _column_converter(column: Column[Any], dialect: Dialect) -> Callable[[Any], Any]:
    kind = column.type
    impl = kind.dialect_impl(dialect)
    process = impl.bind_processor(dialect)
    nullable = column.nullable
    name = column.name
    sqlite_storage = dialect.name == "sqlite"
    to_float = sqlite_storage and isinstance(kind, Numeric) and process is not None

    def bad(value: Any) -> RecordError:
        return RecordError(f"{name}: {str(value)[:40]!r}")

    if isinstance(kind, DateTime):

        def convert(value: Any) -> Any:
            if value is None:
                if nullable:
                    return None
                raise bad(value)
            try:
                parsed = dt.datetime.fromisoformat(value)
            except (TypeError, ValueError) as exc:
                raise bad(value) from exc
            if parsed.tzinfo is not None:
                parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
            if sqlite_storage:  # the format SQLAlchemy's SQLite DATETIME writes, in C
                return parsed.isoformat(" ", "microseconds")
            return process(parsed) if process else parsed
    elif isinstance(kind, Date):

        def convert(value: Any) -> Any:
            if value is None:
                if nullable:
                    return None
                raise bad(value)
            try:
                parsed = dt.date.fromisoformat(value)
            except (TypeError, ValueError) as exc:
                raise bad(value) from exc
            if sqlite_storage:
                return parsed.isoformat()
            return process(parsed) if process else parsed
    elif isinstance(kind, Numeric):

        def convert(value: Any) -> Any:
            if value is None:
                if nullable:
                    return None
                raise bad(value)
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                raise bad(value)
            if to_float:  # float(str) rounds exactly like float(Decimal(str))
                try:
                    number = float(value)
                except ValueError as exc:
                    raise bad(value) from exc
                if not math.isfinite(number):
                    raise bad(value)
                return number
            try:
                amount = Decimal(value)
            except InvalidOperation as exc:
                raise bad(value) from exc
            if not amount.is_finite():
                raise bad(value)
            return process(amount) if process else amount
    elif isinstance(kind, Boolean):

        def convert(value: Any) -> Any:
            if value is None and nullable:
                return None
            if not isinstance(value, bool):
                raise bad(value)
            return process(value) if process else value
    elif isinstance(kind, Integer):

        def convert(value: Any) -> Any:
            if value is None and nullable:
                return None
            if isinstance(value, bool) or not isinstance(value, int):
                raise bad(value)
            return value
    elif isinstance(kind, SAJSON):

        def convert(value: Any) -> Any:
            return process(value) if process else value
    else:  # strings
        length = getattr(kind, "length", None)

        def convert(value: Any) -> Any:
            if value is None and nullable:
                return None
            if not isinstance(value, str) or (length and len(value) > length):
                raise bad(value)
            return value

    return convert


@dataclass
class TableCodec:
    table: Table
    columns: list[str]
    converters: list[Callable[[Any], Any]]
    required: frozenset[str]
    defaults: dict[str, Any]
    bool_as_int: bool = True  # SQLite stores booleans as 0/1; PostgreSQL takes True/False
    to_db: Callable[[dict[str, Any]], tuple[Any, ...]] = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.to_db = _compile_to_db(self)


def _compile_to_db(codec: TableCodec) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """Builds ``to_db(record) -> tuple`` for one table as straight-line code.

    Called once per record on import (~570 k times for the nation), so the per-column checks
    are inlined instead of going through one function call per value. Strings, integers and
    booleans are checked here; dates, date-times, decimals and JSON go through the converters.
    Raises RecordError (wrong type) or KeyError (missing field).
    """
    env: dict[str, Any] = {"RecordError": RecordError}
    lines = ["def to_db(r):"]
    for i, name in enumerate(codec.columns):
        column = codec.table.c[name]
        kind = column.type
        key = repr(name)
        if name in codec.defaults:
            env[f"D{i}"] = codec.defaults[name]
            lines.append(f"    v{i} = r.get({key}, D{i})")
        else:
            lines.append(f"    v{i} = r[{key}]")
        bad = f"raise RecordError({key} + ': ' + repr(v{i})[:40])"
        none_ok = f"v{i} is not None and " if column.nullable else ""
        if isinstance(kind, (DateTime, Date, Numeric, SAJSON)):
            env[f"C{i}"] = codec.converters[i]
            lines.append(f"    v{i} = C{i}(v{i})")
        elif isinstance(kind, Boolean):
            true, false = ("1", "0") if codec.bool_as_int else ("True", "False")
            lines.append(f"    if v{i} is True: v{i} = {true}")
            lines.append(f"    elif v{i} is False: v{i} = {false}")
            lines.append(
                f"    elif {none_ok}True: {bad}" if column.nullable else f"    else: {bad}"
            )
        elif isinstance(kind, Integer):
            lines.append(f"    if {none_ok}v{i}.__class__ is not int: {bad}")
        else:
            length = getattr(kind, "length", None)
            lines.append(f"    if {none_ok}v{i}.__class__ is not str: {bad}")
            if length:
                lines.append(f"    if v{i} is not None and len(v{i}) > {length}: {bad}")
    lines.append("    return (" + ", ".join(f"v{i}" for i in range(len(codec.columns))) + ",)")
    exec("\n".join(lines), env)
    to_db: Callable[[dict[str, Any]], tuple[Any, ...]] = env["to_db"]
    return to_db


def _default_for(column: Column[Any]) -> tuple[bool, Any]:
    if column.nullable:
        return True, None
    default = column.default
    if isinstance(default, ScalarElementColumnDefault):
        return True, _to_json_value(default.arg)
    if isinstance(default, CallableColumnDefault):
        try:
            # our defaults take no context (new_uuid, utcnow): SQLAlchemy's wrapper drops it
            return True, _to_json_value(default.arg(None))  # type: ignore[arg-type]
        except TypeError:
            return False, None
    return False, None


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
        defaults = {}
        required = set(META_COLUMNS)
        for column in table.columns:
            if column.name in META_COLUMNS:
                continue
            ok, value = _default_for(column)
            if ok:
                defaults[column.name] = value
            else:
                required.add(column.name)
        out[name] = TableCodec(
            table=table,
            columns=columns,
            converters=[_column_converter(table.c[c], dialect) for c in columns],
            required=frozenset(required),
            defaults=defaults,
            bool_as_int=dialect.name == "sqlite",
        )
    return out
