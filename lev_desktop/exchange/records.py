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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, Table
from sqlalchemy import JSON as SAJSON
from sqlalchemy.engine import Dialect

from lev_desktop.db.models import (
    Activity,
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
MODELS = (Office, Programme, Letter, Plan, PlanItem, Activity, Monitoring, KpiValue,
          FormSubmission, Review)
TABLES: dict[str, Table] = {m.__tablename__: m.__table__ for m in MODELS}  # type: ignore[attr-defined]
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

def _column_converter(column, dialect: Dialect) -> Callable[[Any], Any]:  # noqa: ANN001
    kind = column.type
    impl = kind.dialect_impl(dialect)
    process = impl.bind_processor(dialect)
    nullable = column.nullable
    name = column.name

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
            return process(parsed) if process else parsed
    elif isinstance(kind, Numeric):
        def convert(value: Any) -> Any:
            if value is None:
                if nullable:
                    return None
                raise bad(value)
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                raise bad(value)
            try:
                number = Decimal(value)
            except InvalidOperation as exc:
                raise bad(value) from exc
            if not number.is_finite():
                raise bad(value)
            return process(number) if process else number
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

    def to_db(self, record: dict[str, Any]) -> tuple:
        """A decoded payload record → the tuple for the bulk statement (in ``columns`` order)."""
        out = []
        for name, convert in zip(self.columns, self.converters):
            if name in record:
                out.append(convert(record[name]))
            elif name in self.defaults:
                out.append(convert(self.defaults[name]))
            else:
                raise RecordError(f"{name}: missing")
        return tuple(out)


def _default_for(column) -> tuple[bool, Any]:  # noqa: ANN001
    if column.nullable:
        return True, None
    default = column.default
    if default is not None and getattr(default, "is_scalar", False):
        return True, _to_json_value(default.arg)
    if default is not None and getattr(default, "is_callable", False):
        try:
            return True, _to_json_value(default.arg(None))
        except TypeError:
            return False, None
    return False, None


def codecs(dialect: Dialect) -> dict[str, TableCodec]:
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
        out[name] = TableCodec(table=table, columns=columns,
                               converters=[_column_converter(table.c[c], dialect) for c in columns],
                               required=frozenset(required), defaults=defaults)
    return out


def python_value(column, stored: Any, dialect: Dialect) -> Any:  # noqa: ANN001
    """A value as stored by the database → its Python value (for showing conflicts)."""
    process = column.type.dialect_impl(dialect).result_processor(dialect, None)
    return process(stored) if process else stored
