"""A form a package calls complete, checked by the receiving office with the one rule of
"complete" — what the clerk's own program asked when the form was marked complete: a KPI
form's ``kpi.completion_problems``, an F1's, F2's or F3's ``plans.completion_problems`` (asked
of the plan, rows, activities and milestones the package brings over those held here). A
programme the receiver does not know yet is asked by the spec the package brings with it
(checked at the boundary).

The receiver does not refuse such a package: it imports the records as they are (they passed
the checks of every value), but a form the rule finds incomplete is not counted as received
(no ``form_deliveries`` row), and the preview names it, in Thai, with the office and the form.
So a tampered or faulty package cannot make the board say "received" for an empty form, and
an honest form is never refused: if a later version of the app changed a programme's rule, the
form is still imported, and the district sees why it is not counted (and can mark it by hand,
with a reason, or ask the office to complete it again)."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict, namedtuple
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Connection, select

from lev_desktop.domain.form_status import FormStatus
from lev_desktop.domain.validation import (
    BLANK_CHARS,
    FIELDS,
    Problem,
    field_label,
    is_repeated,
    row_indicators,
)
from lev_desktop.exchange.deliveries import OwnedForm, forms_in_rows
from lev_desktop.exchange.payloads import Parser, prepared_rules
from lev_desktop.exchange.records import TABLES
from lev_desktop.services import plans
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


# ---- F1, F2 and F3 (plans.py) -----------------------------------------------------------------

# The tables the rule of F1/F2/F3 reads, and what each is read for.
PLAN_TABLES = ("plans", "plan_items", "activities", "monitoring")
_NEEDS = {
    plans.FORM_PLAN: ("plans", "plan_items"),
    plans.FORM_RESULTS: ("plans", "plan_items", "activities"),
    plans.FORM_MONITORING: ("monitoring",),
}
_DATES = {t: frozenset(n for n, f in FIELDS[t].items() if f.kind == "date") for t in PLAN_TABLES}


def _named(form: OwnedForm, spec: dict[str, Any], number: int, problem: Problem) -> Incomplete:
    """A form the rule refuses, with the form's name and the first problem: an F1's or F2's
    row by its number ("แถวที่ 2: โปรดกรอกชื่อโครงการ"), an F3's milestone by its name."""
    names = {f["code"]: str(f.get("name") or "") for f in spec.get("forms", [])}
    name = names.get(form[2], "")
    if form[2] != plans.FORM_MONITORING:
        return Incomplete(form, Problem(problem.field, plans.numbered(number, problem)), name)
    label = field_label(problem.field)
    if problem.message.startswith(label):  # (a text's problem names its field already)
        return Incomplete(form, problem, name)
    return Incomplete(form, problem, name, label)


def _plainly_planned(items: Sequence[plans.ItemRow]) -> bool:
    """True only where F1's rule cannot refuse a plan whose rows all come with the part (none
    held here): each row was asked the rule without ``final`` when the part's payload was
    read (payloads._rule_problems; its texts and numbers by the schema) or the package was
    refused, so what is left is what ``final`` adds (validate_plan_item): the plan has rows,
    each with a project name that is not blank and a budget or "no budget". False: ask the
    whole rule (for its Thai reason). A province brings ~140 complete plans; the whole rule
    of each was ~12 ms of its 0.35 s preview."""
    return bool(items) and all(
        item.project.strip(BLANK_CHARS) and (item.no_budget or item.budget is not None)
        for item in items
    )


def _fiscal_year(period: str) -> int | None:
    """FY2568 → 2568 (plans.period_of); None for a period no plan has."""
    return int(period[2:]) if period[:2] == "FY" and period[2:].isdigit() else None


@functools.cache
def _record_type(table: str, columns: tuple[str, ...]) -> Any:
    """A row of ``table`` in ``columns`` order, read by attribute (as plans.py reads models)."""
    return namedtuple(f"{table}_record", columns)


class _Records:
    """Records of one table by id, read by attribute (as plans.py reads its models): this
    database's versions, then the part's over them (the version the import writes)."""

    def __init__(self, table: str):
        self.table = table
        self.by_id: dict[str, Any] = {}

    def add(self, columns: Sequence[str], rows: Iterable[Sequence[Any]], keep: Any) -> None:
        """``rows`` (tuples in ``columns`` order) over the records held: those ``keep`` takes;
        a version of a record held that ``keep`` does not take removes it."""
        make = _record_type(self.table, tuple(columns))._make
        dates = [n for n in columns if n in _DATES[self.table]]
        id_at, by_id = columns.index("id"), self.by_id
        for row in rows:
            if not keep(row):
                if by_id:
                    by_id.pop(row[id_at], None)
                continue
            record = make(row)
            if dates:  # (as SQLite stores them, and a part's rows for it)
                found = {n: getattr(record, n) for n in dates}
                text = {
                    n: dt.date.fromisoformat(v[:10]) for n, v in found.items() if isinstance(v, str)
                }
                if text:
                    record = record._replace(**text)
            by_id[record.id] = record

    def stored(self, conn: Connection | None, where: Any) -> Iterator[tuple[list[str], Any]]:
        """(columns, rows) of this database's records of ``where`` (none without ``conn``)."""
        if conn is None:
            return
        table = TABLES[self.table]
        columns = [c.name for c in table.columns]
        yield columns, conn.execute(select(*table.columns).where(where))


def _chunks(values: Iterable[str], size: int = 500) -> Iterator[list[str]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def incomplete_plan_forms(
    conn: Connection | None,
    programmes: dict[str, tuple[str, dict[str, Any]]],
    form_columns: Sequence[str],
    form_rows: Iterable[Sequence[Any]],
    columns: dict[str, Sequence[str]],
    rows_in: Callable[[str], Iterable[Sequence[Any]]],
    stored: Iterable[str] = PLAN_TABLES,
) -> list[Incomplete]:
    """Of the F1, F2 and F3 forms among ``form_rows`` (a part's form_submissions rows to be
    written) that say they are complete, those the one rule of "complete"
    (``plans.completion_problems``, what the office's own program asked) refuses, asked of
    this database's plan, rows, activities and milestones with the part's versions over
    them. ``columns``: table → the part's columns; ``rows_in(table)``: the part's rows of it
    to be written; ``stored``: the tables this database holds records of (``conn`` None:
    none, as in a first import)."""
    held = set(stored) if conn is not None else set()
    claimed = []
    kpi_codes: dict[str, set[str]] = {}
    for form in forms_in_rows(form_columns, form_rows, FormStatus.FINISHED):
        owner, pid, code, _period = form
        if code not in _NEEDS or pid not in programmes:
            continue
        if code == plans.FORM_RESULTS and "activities" not in held:
            # Plainly complete: F2's rule asks each activity alone, and the part's were each
            # asked all of it when its payload was read (payloads._rule_problems, the schema's
            # bounds) or the package was refused; none is held here.
            continue
        if pid not in kpi_codes:
            kpi_codes[pid] = {f["code"] for f in kpi_forms(programmes[pid][1])}
        if code not in kpi_codes[pid]:
            claimed.append(form)
    if not claimed:
        return []
    needed = {table for form in claimed for table in _NEEDS[form[2]]}
    wanted = {(o, p, _fiscal_year(period)) for o, p, _c, period in claimed}
    owners = {o for o, _p, _y in wanted}
    pids = sorted({p for _o, p, _y in wanted})

    def of_office(table: str) -> Any:
        at = [columns[table].index(n) for n in ("owner_office", "programme_id", "fiscal_year")]
        return lambda row: (row[at[0]], row[at[1]], row[at[2]]) in wanted

    def keyed(table: str, records: _Records) -> None:
        """records of ``table`` (plans, monitoring: one per office, programme and year)"""
        t = TABLES[table]
        for chunk in _chunks(owners) if table in held else ():
            for names, rows in records.stored(
                conn, t.c.owner_office.in_(chunk) & t.c.programme_id.in_(pids)
            ):
                at = [names.index(n) for n in ("owner_office", "programme_id", "fiscal_year")]
                records.add(names, rows, lambda r, at=at: (r[at[0]], r[at[1]], r[at[2]]) in wanted)
        records.add(columns[table], rows_in(table), of_office(table))

    def live(records: _Records) -> dict[tuple[str, str, int | None], Any]:
        out: dict[tuple[str, str, int | None], Any] = {}
        for record in sorted(records.by_id.values(), key=lambda r: r.id):
            if not record.deleted:
                out.setdefault(
                    (record.owner_office, record.programme_id, record.fiscal_year), record
                )
        return out

    def linked(table: str, column: str, ids: set[str]) -> _Records:
        """records of ``table`` whose ``column`` is one of ``ids``"""
        records = _Records(table)
        t = TABLES[table]
        for chunk in _chunks(ids) if table in held and ids else ():
            for names, rows in records.stored(conn, t.c[column].in_(chunk)):
                records.add(names, rows, lambda _r: True)
        at = columns[table].index(column)
        records.add(columns[table], rows_in(table), lambda r: r[at] in ids)
        return records

    the_plans: dict[tuple[str, str, int | None], Any] = {}
    items: dict[str, list[plans.ItemRow]] = defaultdict(list)  # plan id → its live rows
    activities: dict[str, list[Any]] = defaultdict(list)  # plan id → its activities' records
    if "plans" in needed:
        found = _Records("plans")
        keyed("plans", found)
        the_plans = live(found)
        plan_ids = {p.id for p in the_plans.values()}
        rows = linked("plan_items", "plan_id", plan_ids).by_id.values()
        by_plan: dict[str, list[Any]] = defaultdict(list)
        for record in rows:
            by_plan[record.plan_id].append(record)
        for plan_id, records in by_plan.items():
            items[plan_id] = plans.item_rows(records)
        if "activities" in needed:
            item_plan = {i.id: plan_id for plan_id, rows_ in items.items() for i in rows_}
            for record in linked("activities", "plan_item_id", set(item_plan)).by_id.values():
                activities[item_plan[record.plan_item_id]].append(record)
    milestones: dict[tuple[str, str, int | None], Any] = {}
    if "monitoring" in needed:
        found = _Records("monitoring")
        keyed("monitoring", found)
        milestones = live(found)
    out = []
    for form in claimed:
        owner, pid, code, period = form
        key = (owner, pid, _fiscal_year(period))
        plan = the_plans.get(key)
        rows_ = items.get(plan.id, []) if plan is not None else []
        monitoring = milestones.get(key)
        if code == plans.FORM_PLAN and "plan_items" not in held and _plainly_planned(rows_):
            continue
        done = activities.get(plan.id, []) if plan is not None else []
        problems = plans.completion_problems(
            code,
            items=rows_,
            activities=plans.activity_rows(done, {i.id: i for i in rows_}) if done else (),
            monitoring=None if monitoring is None else plans.monitoring_values(monitoring),
        )
        if problems:
            out.append(_named(form, programmes[pid][1], *problems[0]))
    return out


__all__ = ["PLAN_TABLES", "Incomplete", "incomplete_forms", "incomplete_plan_forms"]
