"""A form a package calls complete, checked by the receiving office with the one rule of
"complete" (``kpi.completion_problems``, what the clerk's own program asked when the form was
marked complete).

The receiver does not refuse such a package: it imports the records as they are (they passed
the checks of every value), but a form the rule finds incomplete is not counted as received
(no ``form_deliveries`` row), and the preview names it, in Thai, with the office and the form.
So a tampered or faulty package cannot make the board say "received" for an empty form, and
an honest form is never refused: if a later version of the app changed a programme's rule, the
form is still imported, and the district sees why it is not counted (and can mark it by hand,
with a reason, or ask the office to complete it again)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Connection, select

from lev_desktop.domain.form_status import FormStatus
from lev_desktop.domain.validation import Problem, is_repeated, row_indicators
from lev_desktop.exchange.deliveries import OwnedForm, forms_in_rows
from lev_desktop.exchange.payloads import Parser, prepared_rules
from lev_desktop.exchange.records import TABLES
from lev_desktop.services.kpi import completion_problems, kpi_forms, value_column, value_rows

# The columns of a KPI value the rule reads (kpi.value_rows), and those that place it.
_VALUE_COLUMNS = (
    "id",
    "owner_office",
    "programme_id",
    "period",
    "row_key",
    "indicator_code",
    "value_num",
    "value_text",
    "value_date",
    "deleted",
)


class _Value(NamedTuple):
    """A KPI value as kpi.value_rows reads it (by attribute)."""

    id: str
    owner_office: str
    programme_id: str
    period: str
    row_key: str
    indicator_code: str
    value_num: Any
    value_text: Any
    value_date: Any
    deleted: bool


@dataclass(frozen=True)
class Incomplete:
    """A form the package calls complete that the rule finds incomplete (its first problem)."""

    form: OwnedForm  # (owner office, programme id, form code, period)
    problem: Problem
    name: str = ""  # the form's name in its programme
    field: str = ""  # the name of the indicator the problem is about ("" for the form)

    @property
    def why(self) -> str:
        return f"{self.field}: {self.problem.message}" if self.field else self.problem.message


def _value(row: Sequence[Any], at: Sequence[int]) -> _Value:
    found = [row[i] for i in at]
    date = found[8]
    if isinstance(date, str):  # (as SQLite stores it)
        found[8] = dt.date.fromisoformat(date[:10])
    found[9] = bool(found[9])
    return _Value(*found)


def incomplete_forms(
    conn: Connection | None,
    programmes: dict[str, tuple[str, dict[str, Any]]],
    form_columns: Sequence[str],
    form_rows: Iterable[Sequence[Any]],
    value_columns: Sequence[str],
    value_rows_in: Iterable[Sequence[Any]],
    parsers: dict[str, dict[str, Parser]] | None = None,
    layouts: dict[str, _Finals] | None = None,
) -> list[Incomplete]:
    """Of the KPI forms among ``form_rows`` (a part's form_submissions rows to be written)
    that say they are complete, those whose values — this database's, with the part's
    ``value_rows_in`` (its kpi_values rows to be written) over them — the rule refuses.
    ``programmes``: programme id → (code, spec). ``conn`` None: this database holds no
    values (a first import reads nothing from it). ``parsers``: the preview's indicator rules
    prepared once (``payloads.prepared_rules``); a 2,450-form province asked the rules of every
    value afresh for each form, +0.1 s of CPU."""
    parsers = {} if parsers is None else parsers
    layouts = {} if layouts is None else layouts  # (one preview's: programme id → _Finals)
    claimed = [
        form
        for form in forms_in_rows(form_columns, form_rows, FormStatus.FINISHED)
        if form[1] in programmes
        and any(f["code"] == form[2] for f in kpi_forms(programmes[form[1]][1]))
    ]
    if not claimed:
        return []
    at = [value_columns.index(name) for name in _VALUE_COLUMNS]
    wanted = {(owner, pid, period) for owner, pid, _form, period in claimed}
    stored: dict[tuple[str, str, str], dict[str, _Value]] = defaultdict(dict)
    table = TABLES["kpi_values"]
    owners = sorted({owner for owner, _pid, _period in wanted})
    pids = sorted({pid for _owner, pid, _period in wanted})
    for start in range(0, len(owners) if conn is not None else 0, 500):
        query = select(*(table.c[name] for name in _VALUE_COLUMNS)).where(
            table.c.owner_office.in_(owners[start : start + 500]), table.c.programme_id.in_(pids)
        )
        for row in conn.execute(query):  # type: ignore[union-attr]
            if (row[1], row[2], row[3]) in wanted:
                stored[(row[1], row[2], row[3])][row[0]] = _value(row, range(len(_VALUE_COLUMNS)))
    id_at, owner_at, pid_at, period_at = at[0], at[1], at[2], at[3]
    incoming: dict[tuple[str, str, str], dict[str, Sequence[Any]]] = defaultdict(dict)
    for row in value_rows_in:  # the versions the import writes replace the stored ones
        key = (row[owner_at], row[pid_at], row[period_at])
        if key in wanted:
            incoming[key][row[id_at]] = row
    out = []
    for form in claimed:
        owner, pid, _code, period = form
        spec = programmes[pid][1]
        prepared = prepared_rules(parsers, pid, spec)
        key = (owner, pid, period)
        brought = incoming.get(key, {})
        finals = layouts.get(pid)
        if finals is None:
            finals = layouts[pid] = _Finals.of(spec, at)
        if key not in stored and _plainly_complete(finals, brought.values(), at, prepared):
            continue
        values = {**stored.get(key, {}), **{i: _value(r, at) for i, r in brought.items()}}
        problems = completion_problems(spec, value_rows(spec, values.values()), prepared)
        if problems:
            names = {f["code"]: str(f.get("name") or "") for f in kpi_forms(spec)}
            fields = {i["code"]: str(i.get("name") or "") for i in spec.get("indicators", [])}
            first = problems[0]
            out.append(Incomplete(form, first, names.get(form[2], ""), fields.get(first.field, "")))
    return out


@dataclass(frozen=True)
class _Finals:
    """What the ``final`` part of the rule asks of one programme's form, read once per part:
    where each indicator's answer is (``kpi.value_column``, as ``kpi.value_rows`` reads it,
    as an index of the row), the required indicators of the single row and of a product row,
    and whether the form has single values and repeated groups."""

    column: dict[str, int]
    text_at: int
    required_single: frozenset[str]
    required_product: frozenset[str]
    single: bool
    repeated: bool

    @classmethod
    def of(cls, spec: dict[str, Any], at: Sequence[int]) -> _Finals:
        indicators = spec.get("indicators", [])
        return cls(
            column={i["code"]: at[_VALUE_COLUMNS.index(value_column(i))] for i in indicators},
            text_at=at[_VALUE_COLUMNS.index("value_text")],
            required_single=frozenset(
                i["code"] for i in row_indicators(spec, "") if i.get("required")
            ),
            required_product=frozenset(
                i["code"] for i in row_indicators(spec, "product") if i.get("required")
            ),
            single=any(not i.get("repeat") for i in indicators),
            repeated=is_repeated(spec),
        )


def _plainly_complete(
    finals: _Finals, rows: Iterable[Sequence[Any]], at: Sequence[int], prepared: Any
) -> bool:
    """True only where the rule of complete cannot refuse a form whose values all come with
    the part (none held here): each value, and the checks across the fields of each row, were
    already asked with the same rules when the part's payload was read
    (``payloads.kpi_problems``, or the package was refused), so what is left of the rule is
    its ``final`` part: a value for every required field of each row, and on a form of
    repeated groups at least one group. A text answer is read by its rule (a blank one counts
    as no value). False: ask the whole rule (for its Thai reason). A province brings 2,450
    forms; asking the whole rule of each cost 85 ms of its 0.3 s preview."""
    key_at, code_at, deleted_at = at[4], at[5], at[9]
    column, text_at = finals.column, finals.text_at
    answered: dict[str, set[str]] = {}
    for row in rows:
        code = row[code_at]
        if row[deleted_at] or code not in column:
            continue  # (as kpi.value_rows leaves them out)
        answers = answered.setdefault(row[key_at], set())
        where = column[code]
        answer = row[where]
        if answer is None:
            continue
        if where == text_at:  # a blank text is no answer
            value, error = prepared[code](answer)
            if error is not None:
                return False
            if value is None:
                continue
        answers.add(code)
    if finals.single:
        answered.setdefault("", set())
    if finals.repeated and not any(answered):
        return False
    return all(
        (finals.required_product if row_key else finals.required_single) <= answers
        for row_key, answers in answered.items()
    )


__all__ = ["Incomplete", "incomplete_forms"]
