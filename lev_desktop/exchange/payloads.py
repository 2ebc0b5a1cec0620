"""The first half of an import preview: one payload file of one signed package, decoded and
checked against the boundary schema and the programme rules.

This half needs nothing of the receiving database but the programmes it knew when the preview
began, so it can run for many packages at once in worker processes (``importer.preview`` sizes
the pool to the cores). What it hands back is what the second half (``importer``: ownership,
replay, conflicts, natural keys, parents, offices) compares, plus the database rows as one
pickled block for the commit: the rows are never held as Python objects for a whole import.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

import msgspec

from lev_desktop.domain import templates
from lev_desktop.domain.validation import (
    Problem,
    cross_field_problems,
    decoded_record_problems,
    field_getter,
    field_label,
    indicator_parser,
    remembering_parser,
    validate_activity,
    validate_form,
    validate_plan_item,
    visible_controls,
)
from lev_desktop.exchange import spool
from lev_desktop.exchange.records import PayloadError, TableCodec
from lev_desktop.i18n import N_, _
from lev_desktop.thai_format import format_period

MAX_REASONS = 5

# The natural keys of the travelling tables (their unique constraints in db.models besides the
# id): a record repeating one under another id is refused in the preview, as the commit would.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "plans": ("owner_office", "programme_id", "fiscal_year"),
    "monitoring": ("owner_office", "programme_id", "fiscal_year"),
    "kpi_values": ("owner_office", "programme_id", "indicator_code", "period", "row_key"),
    "form_submissions": ("owner_office", "programme_id", "form_code", "period"),
}
# Rows that must find their parent in the package or the database.
REFERENCES: dict[str, tuple[str, str]] = {
    "plan_items": ("plan_id", "plans"),
    "activities": ("plan_item_id", "plan_items"),
}
# Tables whose rows name a programme that must exist here or come in the same import.
PROGRAMME_TABLES = ("plans", "monitoring", "kpi_values", "form_submissions", "letters")
# Tables whose decoded records the second half reads (few rows: kept as objects).
RECORD_TABLES = ("offices", "programmes")

_TABLE_LABELS = {
    "offices": N_("Office"),
    "programmes": N_("Programme"),
    "letters": N_("Letter"),
    "plans": N_("Action plan"),
    "plan_items": N_("Plan project"),
    "activities": N_("Activity"),
    "monitoring": N_("Monitoring form"),
    "kpi_values": N_("Indicator value"),
    "form_submissions": N_("Form status"),
    "reviews": N_("Review"),
}


def table_label(table: str) -> str:
    label = _TABLE_LABELS.get(table)
    return _(label) if label else table


_KIND_LABELS = {
    "full": N_("all records"),
    "delta": N_("changes only"),
    "excel": N_("from Excel, unsigned"),
}


def kind_label(kind: str) -> str:
    """What a package holds, in words: every record, the changes only, a form from Excel."""
    label = _KIND_LABELS.get(kind)
    return _(label) if label else kind


def reason_line(table: str, record: Any, message: str) -> str:
    what = table_label(table)
    name = ""
    if record:
        get = field_getter(record)
        name = str(
            get("project")
            or get("title")
            or get("indicator_code")
            or get("code")
            or get("id")
            or ""
        )[:60]
    return _("{what} “{name}”: {message}").format(
        what=what, name=visible_controls(name), message=message
    )


class KpiValue(NamedTuple):
    """An indicator value whose programme the first half did not know (it comes in the same
    import): the second half checks it once the programme is known."""

    programme_id: str
    indicator_code: str
    period: str
    row_key: str
    value_num: Any
    value_text: Any
    value_date: Any
    id: str


@dataclass
class Payload:
    """One payload file, read: its Thai reasons, or what the second half compares."""

    table: str
    count: int = 0
    # Thai reasons in the order found; ``capped`` ones are added while the part has fewer
    # than MAX_REASONS (as each kind was before), the others always.
    reasons: list[tuple[str, bool]] = field(default_factory=list)
    problems: int = 0
    # The programme rules (plan items, activities, indicator values): their reasons, at most
    # MAX_REASONS, and how many there were. Only checked when nothing else was wrong.
    rule_reasons: list[str] = field(default_factory=list)
    rule_problems: int = 0
    deferred: list[KpiValue] = field(default_factory=list)
    blob: bytes = b""  # the database rows pickled (spool.dump), when read in a worker
    size: int = 0  # of the payload file as it came
    ids: list[str] = field(default_factory=list)
    revisions: list[int] = field(default_factory=list)
    keys: list[tuple[Any, ...]] | None = None  # natural keys, one per row (NATURAL_KEYS)
    parents: list[Any] | None = None  # parent ids, one per row (REFERENCES)
    programme_ids: set[str] = field(default_factory=set)
    records: list[Any] | None = None  # offices and programmes: the decoded records
    newest: Any = None  # the latest change time (updated_at) among the rows, as stored
    _rows: list[tuple[Any, ...]] | None = field(default=None, repr=False, compare=False)

    def rows(self) -> list[tuple[Any, ...]]:
        """The database rows (a worker's block unpickled on the first call, only when
        something needs them)."""
        if self._rows is None:
            self._rows = spool.load(self.blob) if self.blob else []
        return self._rows


def read_payload(
    codec: TableCodec,
    data: bytes,
    *,
    sender: str,
    latest: dt.datetime,
    programmes: dict[str, Any],
    parsers: dict[str, dict[str, Callable[[Any], tuple[Any, str | None]]]],
    pickled: bool = False,
) -> Payload:
    """``data`` of ``codec``'s table, sent by ``sender`` → a Payload.

    ``pickled``: the rows as one pickled block (a worker process hands them over so, and the
    spool stores the block as it is); else kept as Python objects.

    ``programmes``: id → (code, spec) of the programmes the database held when the preview
    began; indicator values of any other programme are handed on (``deferred``).
    ``parsers``: a cache of prepared indicator rules, per programme, for this preview."""
    table = codec.name
    out = Payload(table=table, size=len(data))
    try:
        records, rows = codec.decode(data, latest)
    except PayloadError as exc:
        what = table_label(table)
        out.reasons += [
            (_("{what}, {problem}").format(what=what, problem=p), True) for p in exc.problems
        ]
        out.problems = exc.count
        records, rows = [], []
    out.count = len(rows)
    owners = set(map(attrgetter("owner_office"), records))
    for record in records if owners - {sender} else ():
        if record.owner_office != sender:
            out.problems += 1
            if len(out.reasons) < MAX_REASONS:
                message = _(
                    "belongs to office {owner}; only {owner}'s own packages may change it"
                ).format(owner=record.owner_office)
                out.reasons.append((reason_line(table, record, message), True))
    if table in RECORD_TABLES:
        for record in records:
            for found in decoded_record_problems(table, record):
                out.problems += 1
                if len(out.reasons) < MAX_REASONS:
                    text = f"{field_label(found.field)}: {found.message}"
                    out.reasons.append((reason_line(table, record, text), True))
    if table == "programmes":
        for record in records:
            if record.builtin:
                out.problems += 1
                message = _("built-in programmes do not travel")
                out.reasons.append((reason_line(table, record, message), False))
    if not out.problems:
        found_rules, out.deferred = _rule_problems(table, records, programmes, parsers)
        out.rule_reasons, out.rule_problems = found_rules[:MAX_REASONS], len(found_rules)
    columns = codec.columns
    if table in PROGRAMME_TABLES:
        out.programme_ids = set(map(itemgetter(columns.index("programme_id")), rows))
        out.programme_ids.discard(None)
    if out.problems or out.rule_problems:
        return out  # the part is refused: nothing more to compare
    out.ids = list(map(itemgetter(0), rows))
    out.revisions = list(map(itemgetter(2), rows))
    out.newest = max(map(itemgetter(columns.index("updated_at")), rows), default=None)
    names = NATURAL_KEYS.get(table)
    if names:
        at = [columns.index(name) for name in names]
        # (itemgetter of two or more gives the tuple; of one, the value alone)
        out.keys = list(map(itemgetter(*at), rows)) if len(at) > 1 else [(r[at[0]],) for r in rows]
    reference = REFERENCES.get(table)
    if reference:
        out.parents = list(map(itemgetter(columns.index(reference[0])), rows))
    if table in RECORD_TABLES:
        out.records = [types.SimpleNamespace(**msgspec.structs.asdict(r)) for r in records]
    if pickled:
        out.blob = spool.dump(rows) if rows else b""
    else:
        out._rows = rows
    return out


def _rule_problems(
    table: str,
    records: Iterable[Any],
    programmes: dict[str, Any],
    parsers: dict[str, dict[str, Callable[[Any], tuple[Any, str | None]]]],
) -> tuple[list[str], list[KpiValue]]:
    """The programme's validation rules (domain.validation, the one implementation)."""
    problems: list[str] = []
    deferred: list[KpiValue] = []
    if table == "plan_items":
        for record in records:
            if record.deleted:
                continue
            item = {
                "project": record.project,
                "budget": record.budget,
                "no_budget": record.no_budget,
                "planned_activities": record.planned_activities,
            }
            for problem in validate_plan_item(item, final=False):
                problems.append(reason_line(table, record, problem.message))
    elif table == "activities":
        for record in records:
            if record.deleted:
                continue
            if record.held_until is not None and record.held_on is not None:
                if record.held_until >= record.held_on:  # ISO dates compare as text
                    continue
            elif record.held_on is not None:
                continue
            item = {
                "held_on": iso_date(record.held_on),
                "held_until": iso_date(record.held_until),
                "participants": record.participants,
                "budget_spent": record.budget_spent,
            }
            for problem in validate_activity(item):
                problems.append(reason_line(table, record, problem.message))
    elif table == "kpi_values":
        live = [r for r in records if not r.deleted]
        problems, deferred = kpi_problems(live, programmes.get, parsers, defer=True)
    return problems, deferred


Parser = Callable[[Any], tuple[Any, str | None]]


class IndicatorRules(dict[str, dict[str, Parser]]):
    """programme id → indicator code → its rules prepared once (``remembering_parser``), for
    one preview; and per programme the indicator values already found valid (``valid``), so
    that a value seen in an earlier package is not checked again (``kpi_problems``)."""

    def __init__(self) -> None:
        super().__init__()
        # programme id → (the template the values were checked against, its indicator codes,
        # the values found valid: (programme id, indicator, value_num, value_text, value_date))
        self.valid: dict[str, tuple[Any, set[str], set[tuple[Any, ...]]]] = {}


# Values remembered as valid per programme in one preview (a province brings ~2,500 distinct
# values in all, at most ~1,500 of one programme): the cap bounds the memory of a national
# import (~3 MB per programme), whose values beyond it are checked each time they come.
VALID_VALUES = 10_000
_VALUE_OF = attrgetter("programme_id", "indicator_code", "value_num", "value_text", "value_date")


def kpi_problems(
    records: Iterable[Any],
    spec_of: Callable[[str], Any],
    parsers: dict[str, dict[str, Parser]],
    *,
    defer: bool,
) -> tuple[list[str], list[KpiValue]]:
    """The rules of each indicator value against its programme's template: the indicator
    exists, each value parses, and the checks across fields of one group (office, period,
    row). ``spec_of(pid)`` → (code, spec) or None: a value of an unknown programme is handed
    back (``defer``) or left to the missing-programme check."""
    records = records if isinstance(records, list) else list(records)
    if _all_valid(records, spec_of, parsers):
        return [], []  # (what the check below finds for them, without a step per value)
    table = "kpi_values"
    problems: list[str] = []
    deferred: list[KpiValue] = []
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    known_codes: dict[str, set[str] | None] = {}
    specs: dict[str, Any] = {}
    for record in records:
        pid = record.programme_id
        codes = known_codes.get(pid, ())
        if codes == ():
            found = spec_of(pid)
            spec = found[1] if found is not None else None
            if spec is not None:
                specs[pid] = spec
                codes = {i["code"] for i in spec.get("indicators", [])}
            else:
                codes = None
            known_codes[pid] = codes
        if codes is None:
            if defer:
                deferred.append(
                    KpiValue(
                        pid,
                        record.indicator_code,
                        record.period,
                        record.row_key,
                        record.value_num,
                        record.value_text,
                        record.value_date,
                        record.id,
                    )
                )
            continue  # else: reported as a missing programme
        if record.indicator_code not in codes:
            problems.append(reason_line(table, record, _("unknown indicator for this programme")))
            continue
        value: Any = record.value_text
        if record.value_num is not None:
            value = Decimal(record.value_num)
        elif record.value_date is not None:
            value = iso_date(record.value_date)
        key = (pid, record.period, record.row_key)
        groups.setdefault(key, {})[record.indicator_code] = value
    for (pid, period, _row_key), values in groups.items():
        spec = specs[pid]
        prepared = prepared_rules(parsers, pid, spec)
        if spec.get("rules"):  # checks across fields need the whole group
            found_problems = validate_form(spec, values, final=False, parsers=prepared)
        else:  # the same per-value check, without walking the indicators that are absent
            found_problems = []
            for code, value in values.items():
                _parsed, error = prepared[code](value)
                if error:
                    found_problems.append(Problem(code, error))
        for problem in found_problems:
            # the indicator by its name and the period in Thai (it read "budget_spent (2024-10)")
            named = templates.indicator(spec, problem.field)
            problems.append(
                _("{what} “{name}” ({period}): {message}").format(
                    what=table_label(table),
                    name=str(named.get("name") or problem.field) if named else problem.field,
                    period=format_period(str(period)),
                    message=problem.message,
                )
            )
    return problems, deferred


def _all_valid(
    records: list[Any], spec_of: Callable[[str], Any], parsers: dict[str, dict[str, Parser]]
) -> bool:
    """True only when ``kpi_problems`` finds no problem in ``records`` and hands none back:
    every programme known, every distinct value (programme, indicator, value) of a known
    indicator and valid by its rules, and no check across fields failing. Each distinct value
    is checked once per preview (``IndicatorRules.valid``); False leaves every answer (and
    its wording and order) to ``kpi_problems`` itself."""
    valid = parsers.valid if isinstance(parsers, IndicatorRules) else {}
    distinct = set(map(_VALUE_OF, records))
    specs: dict[str, tuple[Any, set[str], set[tuple[Any, ...]]]] = {}
    for pid in set(map(attrgetter("programme_id"), records)):
        found = spec_of(pid)
        spec = found[1] if found is not None else None
        if spec is None:
            return False  # handed back, or a missing programme
        entry = valid.get(pid)
        if entry is None or entry[0] is not spec:
            entry = valid[pid] = (spec, {i["code"] for i in spec.get("indicators", [])}, set())
        specs[pid] = entry
        distinct -= entry[2]
    for value_of in distinct:
        pid, code, num, text, date = value_of
        spec, codes, seen = specs[pid]
        if code not in codes:
            return False
        value = Decimal(num) if num is not None else iso_date(date) if date is not None else text
        if prepared_rules(parsers, pid, spec)[code](value)[1] is not None:
            return False
        if len(seen) < VALID_VALUES:
            seen.add(value_of)
    for pid, (spec, _codes, _seen) in specs.items():
        if spec.get("rules") and not _rules_hold(
            records, pid, spec, prepared_rules(parsers, pid, spec)
        ):
            return False
    return True


def prepared_rules(parsers: dict[str, dict[str, Parser]], pid: str, spec: Any) -> dict[str, Parser]:
    """The indicators' rules of programme ``pid`` prepared once per preview (in ``parsers``,
    the preview's ``IndicatorRules``): the value checks and the receiver's check of a form
    called complete (completeness.py) share them."""
    prepared = parsers.get(pid)
    if prepared is None:
        prepared = parsers[pid] = {
            i["code"]: remembering_parser(indicator_parser(i)) for i in spec.get("indicators", [])
        }
    return prepared


def _rules_hold(records: list[Any], pid: str, spec: Any, prepared: dict[str, Parser]) -> bool:
    """Whether the checks across fields (``validate_form``'s) hold in every group (period,
    row) of ``pid``'s values, each field's value valid (checked before) and the last one of
    its group counting, as there."""
    rules = spec.get("rules", [])
    if any(not (rule.get("left") and rule.get("right")) for rule in rules):
        return False  # a rule of another shape: the full check decides
    fields = {rule[side] for rule in rules for side in ("left", "right")}
    groups: dict[tuple[Any, Any], dict[str, Any]] = {}
    for record in records:
        if record.programme_id == pid and record.indicator_code in fields:
            value: Any = record.value_text
            if record.value_num is not None:
                value = Decimal(record.value_num)
            elif record.value_date is not None:
                value = iso_date(record.value_date)
            groups.setdefault((record.period, record.row_key), {})[record.indicator_code] = value
    for values in groups.values():
        parsed = {code: prepared[code](value)[0] for code, value in values.items()}
        if cross_field_problems(spec, parsed):
            return False
    return True


def iso_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None
