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
from lev_desktop.domain.validation import Problem
from lev_desktop.exchange.deliveries import OwnedForm, forms_in_rows
from lev_desktop.exchange.records import TABLES
from lev_desktop.services.kpi import completion_problems, kpi_forms, value_rows

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
) -> list[Incomplete]:
    """Of the KPI forms among ``form_rows`` (a part's form_submissions rows to be written)
    that say they are complete, those whose values — this database's, with the part's
    ``value_rows_in`` (its kpi_values rows to be written) over them — the rule refuses.
    ``programmes``: programme id → (code, spec). ``conn`` None: this database holds no
    values (a first import reads nothing from it)."""
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
    values: dict[str, _Value] = {}
    table = TABLES["kpi_values"]
    owners = sorted({owner for owner, _pid, _period in wanted})
    pids = sorted({pid for _owner, pid, _period in wanted})
    for start in range(0, len(owners) if conn is not None else 0, 500):
        query = select(*(table.c[name] for name in _VALUE_COLUMNS)).where(
            table.c.owner_office.in_(owners[start : start + 500]), table.c.programme_id.in_(pids)
        )
        for row in conn.execute(query):  # type: ignore[union-attr]
            if (row[1], row[2], row[3]) in wanted:
                values[row[0]] = _value(row, range(len(_VALUE_COLUMNS)))
    owner_at, pid_at, period_at = at[1], at[2], at[3]
    for incoming in value_rows_in:  # the versions the import writes replace the stored ones
        if (incoming[owner_at], incoming[pid_at], incoming[period_at]) in wanted:
            value = _value(incoming, at)
            values[value.id] = value
    grouped: dict[tuple[str, str, str], list[_Value]] = defaultdict(list)
    for value in values.values():
        grouped[(value.owner_office, value.programme_id, value.period)].append(value)
    out = []
    for form in claimed:
        owner, pid, _code, period = form
        spec = programmes[pid][1]
        problems = completion_problems(
            spec, value_rows(spec, grouped.get((owner, pid, period), []))
        )
        if problems:
            names = {f["code"]: str(f.get("name") or "") for f in kpi_forms(spec)}
            fields = {i["code"]: str(i.get("name") or "") for i in spec.get("indicators", [])}
            first = problems[0]
            out.append(Incomplete(form, first, names.get(form[2], ""), fields.get(first.field, "")))
    return out


__all__ = ["Incomplete", "incomplete_forms"]
