"""Validation rules of the programme templates: one implementation for the GUI, Excel import
and package import. Messages are Thai (through the catalogue) and say what to fix.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from typing import Annotated, Any, Literal, Union
from urllib.parse import urlparse

import msgspec

from lev_desktop.domain.offices import lao_code_in_area
from lev_desktop.domain.templates import INDICATOR_TYPES
from lev_desktop.i18n import N_, _
from lev_desktop.thai_format import (
    BE_OFFSET,
    CE_YEARS,
    arabic_digits,
    date_refusal,
    day_and_month_problem,
    fiscal_year_range,
    format_date,
    format_datetime,
    format_number,
    parse_date,
    parse_number,
)


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    row: str = ""  # KpiValue.row_key of a repeated group (a product); "" otherwise


NUMERIC_KINDS = ("integer", "decimal", "percent", "baht")
# A stored indicator value is KpiValue.value_num, Numeric(18, 4), which an office's SQLite file
# keeps as a REAL: 15 significant digits exactly. Eleven before the point and four after are
# kept as typed (with 14 before it, 99,999,999,999,999.99 baht was accepted and read back as
# 100,000,000,000,000, a value refused here); larger is refused (1e308 typed into a cell is
# not a number anyone means, and no LAO's figure reaches a hundred billion).
VALUE_NUM_WHOLE_DIGITS, VALUE_NUM_SCALE = 11, 4
_VALUE_NUM_LIMIT = Decimal(10) ** VALUE_NUM_WHOLE_DIGITS
_SATANG = Decimal("0.01")  # the smallest baht amount


def parse_indicator_value(spec: dict[str, Any], raw: Any) -> tuple[Any, str | None]:
    """Turns typed or stored input into the value to store; returns (value, error or None).

    Empty input gives (None, None) unless the indicator is required and ``raw`` is final:
    required-ness is checked by ``validate_form`` so drafts can be saved incomplete.
    """
    return indicator_parser(spec)(raw)


# Values one remembering parser keeps (per indicator, per import preview).
REMEMBERED_VALUES = 1024
_REMEMBERED_TYPES = frozenset({str, Decimal, dt.date, type(None)})


def remembering_parser(
    parser: Callable[[Any], tuple[Any, str | None]],
) -> Callable[[Any], tuple[Any, str | None]]:
    """``parser`` (an ``indicator_parser``) keeping its verdict per value: a package import
    checks the same few values of an indicator (0, 100, a usual count) thousands of times.

    A parser is a function of the value alone (its indicator's rules are fixed when it is
    made), so a verdict kept is the verdict. A value is known by its type and its exact text
    (Decimal("1") and Decimal("1.000") are kept apart, as the parser may answer each in its own
    form). Other types are parsed each time."""
    seen: dict[tuple[type, str], tuple[Any, str | None]] = {}

    def parse(raw: Any) -> tuple[Any, str | None]:
        kind = raw.__class__
        if kind not in _REMEMBERED_TYPES:
            return parser(raw)
        key = (kind, str(raw))
        found = seen.get(key)
        if found is None:
            found = parser(raw)
            if len(seen) < REMEMBERED_VALUES:
                seen[key] = found
        return found

    return parse


def indicator_parser(spec: dict[str, Any]) -> Callable[[Any], tuple[Any, str | None]]:
    """``parse_indicator_value`` for one indicator, prepared once: the package import checks
    every value of a province (~16 k) with it; the editors call it through
    ``parse_indicator_value``. The one implementation of an indicator's rules."""
    kind = spec.get("type", "text")
    if kind in NUMERIC_KINDS:
        low = spec.get("min")
        high = spec.get("max", 100 if kind == "percent" else None)
        if kind == "percent":
            low = 0 if low is None else low
        low_d = None if low is None else Decimal(str(low))
        high_d = None if high is None else Decimal(str(high))
        integer, baht = kind == "integer", kind == "baht"

        def parse_number_value(raw: Any) -> tuple[Any, str | None]:
            if raw is None or (raw.__class__ is str and not raw.strip()):
                return None, None
            if raw.__class__ is Decimal:
                value = raw
            else:
                try:
                    parsed = parse_number(str(raw))
                except ValueError:
                    return None, _("Please enter a number")
                if parsed is None:
                    return None, None
                value = parsed
            if not value.is_finite():
                return None, _("Please enter a number")
            exponent = value.as_tuple().exponent
            assert isinstance(exponent, int)
            if integer and value != value.to_integral_value():
                return None, _("Please enter a whole number")
            if baht and exponent < -2:
                # 12500.5000 is 12,500.50 (as a column of scale 4 gives it back, and as
                # packages of earlier versions wrote it); 10.005 is refused
                if value != value.quantize(_SATANG):
                    return None, _("Baht amounts have at most two decimals")
                value = value.quantize(_SATANG)
            if exponent < -VALUE_NUM_SCALE and value != round(value, VALUE_NUM_SCALE):
                return None, _("has more than {n} decimals").format(n=VALUE_NUM_SCALE)
            if abs(value) >= _VALUE_NUM_LIMIT:
                return None, _("is too large (at most {n} digits before the point)").format(
                    n=VALUE_NUM_WHOLE_DIGITS
                )
            if low_d is not None and value < low_d:
                return None, _("Must not be less than {value}").format(value=format_number(low))
            if high_d is not None and value > high_d:
                return None, _("Must not be more than {value}").format(value=format_number(high))
            return (int(value) if integer else value), None

        return parse_number_value

    def parse_other(raw: Any) -> tuple[Any, str | None]:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None, None
        return _parse_other_value(kind, spec, raw)

    return parse_other


def _parse_other_value(kind: str, spec: dict[str, Any], raw: Any) -> tuple[Any, str | None]:
    if kind == "date":
        if isinstance(raw, dt.date):
            day: dt.date | None = raw
        else:
            try:
                day = parse_date(str(raw))
            except ValueError as exc:
                return None, date_refusal(exc)
        problem = _date_problem(day) if day is not None else None
        return (None, problem) if problem else (day, None)
    if kind == "url":
        text = str(raw).strip()
        parsed = urlparse(text)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in text:
            return None, _("Please enter a web link starting with http:// or https://")
        return text, None
    if kind == "choice":
        text = str(raw).strip()
        if text not in spec.get("choices", []):
            return None, _("Please choose one of: {choices}").format(
                choices=", ".join(spec.get("choices", []))
            )
        return text, None
    if kind == "bool":
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "ใช่", "มี"):
            return True, None
        if text in ("0", "false", "no", "ไม่ใช่", "ไม่มี"):
            return False, None
        return None, _("Please answer yes or no")
    text = str(raw)
    if len(text) > MAX_TEXT:
        return None, _("is too long ({count} characters; at most {n})").format(
            count=len(text), n=MAX_TEXT
        )
    if _CONTROL.search(text) or _has_surrogate(text):  # as check_field: the package is refused
        return None, _("contains characters that are not text")
    return text, None


def validate_form(
    spec: dict[str, Any],
    values: dict[str, Any],
    *,
    final: bool,
    parsers: dict[str, Callable[[Any], tuple[Any, str | None]]] | None = None,
) -> list[Problem]:
    """Checks one set of indicator values (one office, period and row).

    ``final`` adds the required-field check (marking a form complete). ``parsers``: the
    indicators' rules prepared once (``indicator_parser`` by code), for checking many sets.
    """
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    for item in spec.get("indicators", []):
        code = item["code"]
        parser = parsers.get(code) if parsers is not None else None
        value, error = (parser or indicator_parser(item))(values.get(code))
        if error:
            problems.append(Problem(code, error))
            continue
        parsed[code] = value
        if final and item.get("required") and value is None:
            problems.append(Problem(code, _("This field is required")))
    problems.extend(cross_field_problems(spec, parsed))
    return problems


def cross_field_problems(spec: dict[str, Any], parsed: dict[str, Any]) -> list[Problem]:
    """Checks across fields. ``lte``: left ≤ right (e.g. sorted ≤ generated), both present."""
    problems: list[Problem] = []
    for rule in spec.get("rules", []):
        if rule.get("type") == "lte":
            left, right = parsed.get(rule["left"]), parsed.get(rule["right"])
            if left is not None and right is not None and Decimal(str(left)) > Decimal(str(right)):
                problems.append(Problem(rule["left"], rule.get("message") or _("Value too large")))
    return problems


def rule_fields(spec: dict[str, Any], field: str) -> set[str]:
    """The fields a cross-field rule ties to ``field`` (both sides of every rule naming it)."""
    out: set[str] = set()
    for rule in spec.get("rules", []):
        if field in (rule.get("left"), rule.get("right")):
            out.update((rule["left"], rule["right"]))
    return out


def row_indicators(spec: dict[str, Any], row_key: str) -> list[dict[str, Any]]:
    """The indicators of one row: the repeated ones for a product row, the others for row ''."""
    repeated = bool(row_key)
    return [i for i in spec.get("indicators", []) if bool(i.get("repeat")) == repeated]


def is_repeated(spec: dict[str, Any]) -> bool:
    """True when the form holds repeated groups (several products per office)."""
    return any(i.get("repeat") for i in spec.get("indicators", []))


def validate_rows(
    spec: dict[str, Any],
    rows: dict[str, dict[str, Any]],
    *,
    final: bool,
    parsers: dict[str, Callable[[Any], tuple[Any, str | None]]] | None = None,
) -> list[Problem]:
    """Checks a whole KPI form: row '' holds the single values, other keys one product each.

    ``final`` (marking the form complete) also asks for every required field and, on a form
    of repeated groups, for at least one group (the target "1 LAO : 1 product").
    ``parsers``: the indicators' rules prepared once (``validate_form``), for many forms.
    """
    problems: list[Problem] = []
    keys = list(rows)
    if any(not i.get("repeat") for i in spec.get("indicators", [])) and "" not in keys:
        keys.insert(0, "")
    for key in keys:
        sub = {**spec, "indicators": row_indicators(spec, key)}
        names = {i["code"] for i in sub["indicators"]}
        sub["rules"] = [
            r for r in spec.get("rules", []) if r.get("left") in names and r.get("right") in names
        ]
        for problem in validate_form(sub, rows.get(key, {}), final=final, parsers=parsers):
            problems.append(Problem(problem.field, problem.message, key))
    if final and is_repeated(spec) and not [k for k in rows if k]:
        problems.append(Problem("", _("Please add at least one product"), ""))
    return problems


def savable_changes(
    spec: dict[str, Any], saved: dict[str, dict[str, Any]], changes: dict[tuple[str, str], Any]
) -> tuple[dict[tuple[str, str], Any], list[Problem]]:
    """Which typed changes may be written now, and the problems of the others.

    ``saved`` is what the database holds (row key → indicator code → value), ``changes`` maps
    (row key, indicator code) → typed text. A change is refused when its own value is wrong
    or when, written together with the other acceptable changes, it breaks a cross-field rule
    that the saved values did not break. Refused changes are never written; the caller keeps
    showing them in red. Returns (accepted: key → value to store, problems).
    """
    by_code = {i["code"]: i for i in spec.get("indicators", [])}
    accepted: dict[tuple[str, str], Any] = {}
    problems: list[Problem] = []
    for (row, code), raw in changes.items():
        item = by_code.get(code)
        if item is None:
            problems.append(Problem(code, _("Unknown indicator: {code}").format(code=code), row))
            continue
        value, error = parse_indicator_value(item, raw)
        if error:
            problems.append(Problem(code, error, row))
        else:
            accepted[(row, code)] = value
    # Drop changes that create a new cross-field problem, until none does.
    while True:
        rows = {key: dict(values) for key, values in saved.items()}
        for (row, code), value in accepted.items():
            rows.setdefault(row, {})[code] = value
        before = {(p.row, p.field, p.message) for p in _rules_of_rows(spec, saved)}
        new = [p for p in _rules_of_rows(spec, rows) if (p.row, p.field, p.message) not in before]
        if not new:
            break
        dropped = False
        for problem in new:
            tied = rule_fields(spec, problem.field) | {problem.field}
            for code in tied:
                if (problem.row, code) in accepted:
                    del accepted[(problem.row, code)]
                    dropped = True
            problems.append(problem)
        if not dropped:
            break
    return accepted, problems


def _rules_of_rows(spec: dict[str, Any], rows: dict[str, dict[str, Any]]) -> list[Problem]:
    out: list[Problem] = []
    for key, values in rows.items():
        parsed = {}
        for item in row_indicators(spec, key):
            value, error = parse_indicator_value(item, values.get(item["code"]))
            if not error:
                parsed[item["code"]] = value
        out.extend(Problem(p.field, p.message, key) for p in cross_field_problems(spec, parsed))
    return out


def validate_plan_item(item: dict[str, Any], *, final: bool = True) -> list[Problem]:
    """F1 row: a project name; a budget that is a non-negative amount or "no budget"."""
    problems: list[Problem] = []
    if final and not str(item.get("project") or "").strip(BLANK_CHARS):  # "\u200b" is blank
        problems.append(Problem("project", _("Please enter the project name")))
    budget = item.get("budget")
    if item.get("no_budget"):
        if budget not in (None, "", 0, Decimal(0)):
            problems.append(Problem("budget", _("A project without budget cannot have an amount")))
    elif budget not in (None, ""):
        _value, error = parse_indicator_value({"type": "baht", "min": 0}, budget)
        if error:
            problems.append(Problem("budget", error))
    elif final:
        problems.append(Problem("budget", _("Enter a budget or tick “no budget”")))
    problems += validate_planned_activities(item.get("planned_activities"))
    problems += text_problems("plan_items", item)
    return problems


def text_problems(table: str, item: dict[str, Any]) -> list[Problem]:
    """The travelling schema's rules (FIELDS: length, characters) on the free texts of ``item``
    as an editor or a spreadsheet gives them: what the office above refuses in a package is
    refused where it is typed or imported, not after every package of the office is refused."""
    fields = FIELDS[table]
    problems: list[Problem] = []
    for name, value in item.items():
        field = fields.get(name)
        if field is not None and field.kind == "text" and value is not None:
            message = check_field(field, str(value))
            if message:
                problems.append(Problem(name, message))
    return problems


def labelled_text_problems(table: str, item: dict[str, Any]) -> list[Problem]:
    """``text_problems`` with each message naming its field ("หมายเหตุ: มีอักขระที่ไม่ใช่ข้อความ"),
    for a form or a command whose one line of message must say which text is refused."""
    return [
        Problem(p.field, f"{field_label(p.field)}: {p.message}") for p in text_problems(table, item)
    ]


def review_text_problem(text: str) -> str | None:
    """Why a review's comment cannot be saved (Thai, naming the field), or None: the rules the
    office receiving the review applies (a Word line break pasted into it, U+000B, refused
    where it is typed rather than the whole package refused over there)."""
    problems = labelled_text_problems("reviews", {"text": text})
    return problems[0].message if problems else None


def _above_schema(table: str, name: str, number: Any) -> Problem | None:
    """``number`` above the schema's highest value for ``table.name`` (FIELDS), as a Problem."""
    high = FIELDS[table][name].high
    if high is not None and number > high:
        return Problem(name, _("Must not be more than {value}").format(value=format_number(high)))
    return None


def validate_activity(item: dict[str, Any], fiscal_year: int | None = None) -> list[Problem]:
    """Why the F2 activity ``item`` cannot be saved as it is. ``fiscal_year``: its plan's
    (where it is typed): the day it was held must be in that year (``held_outside_year``)."""
    problems: list[Problem] = []
    held_on, held_until = item.get("held_on"), item.get("held_until")
    if held_on is None:
        problems.append(Problem("held_on", _("Please enter the date the activity was held")))
    elif fiscal_year is not None and (outside := held_outside_year(held_on, fiscal_year)):
        problems.append(Problem("held_on", outside))
    if held_on and held_until and held_until < held_on:
        problems.append(Problem("held_until", _("The end date is before the start date")))
    participants = item.get("participants")
    if participants is not None and participants < 0:
        problems.append(
            Problem("participants", _("Must not be less than {value}").format(value="0"))
        )
    elif participants is not None:
        problems += filter(None, [_above_schema("activities", "participants", participants)])
    spent = item.get("budget_spent")
    if spent is not None and Decimal(str(spent)) < 0:
        problems.append(
            Problem("budget_spent", _("Must not be less than {value}").format(value="0"))
        )
    problems += text_problems("activities", item)
    return problems


def held_outside_year(held_on: dt.date, fiscal_year: int) -> str | None:
    """Why an activity of the plan of ``fiscal_year`` cannot have been held on ``held_on``
    (Thai), or None: the plan's results (F2) and F3's count of activities held are the year's,
    and a year typed one off ("5/12/68" in the plan of 2570) was saved without a word."""
    start, end = fiscal_year_range(fiscal_year)
    if start <= held_on <= end:
        return None
    return _(
        "{date} is outside fiscal year {year} ({start} to {end}), the year of this plan: "
        "check the year"
    ).format(
        date=format_date(held_on),
        year=fiscal_year,
        start=format_date(start),
        end=format_date(end),
    )


# What a result made only of these is: blank. Every character Python calls a space (a line
# break from the Enter key, a tab, a no-break space pasted from Word, U+3000), plus the
# invisible zero-width space and byte-order mark that Thai text pasted from the web carries.
# One set for both homes of the rule below, so the SQL and the screens cannot part.
BLANK_CHARS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + "\u200b\ufeff"


def activity_held(item: dict[str, Any]) -> bool:
    """An activity counts as held — in "done / planned", F3's number of activities and the
    board — when it has the date it was held and a result (outputs) with something besides
    ``BLANK_CHARS``; a blank row does not. (``db.models.Activity.held`` is the same rule in
    SQL.)"""
    return item.get("held_on") is not None and bool(
        str(item.get("outputs") or "").strip(BLANK_CHARS)
    )


def validate_planned_activities(value: Any) -> list[Problem]:
    """F1 row: the number of activities planned (the progress denominator)."""
    if value in (None, ""):
        return []
    try:
        number = Decimal(str(value))
    except Exception:  # decimal.InvalidOperation
        return [Problem("planned_activities", _("Please enter a whole number"))]
    if number != number.to_integral_value():
        return [Problem("planned_activities", _("Please enter a whole number"))]
    if number < 0:
        return [Problem("planned_activities", _("Must not be less than {value}").format(value="0"))]
    above = _above_schema("plan_items", "planned_activities", number)
    return [above] if above else []


_MONITORING_ORDER = (
    ("committee_selected_on", "committee_met_on"),
    ("committee_met_on", "plan_made_on"),
    ("reported_on", "notice_posted_on"),
)


def validate_monitoring(values: dict[str, Any], *, final: bool = True) -> list[Problem]:
    """F3 milestones: dates in order, an overridden activity count needs a reason.

    ``final`` (marking the form complete) also asks for the committee and plan dates.
    """
    problems: list[Problem] = []
    override = values.get("activities_override")
    if override is not None:
        if int(override) < 0:
            problems.append(
                Problem("activities_override", _("Must not be less than {value}").format(value="0"))
            )
        if not str(values.get("override_reason") or "").strip():
            problems.append(
                Problem(
                    "override_reason",
                    _(
                        "Please give the reason why the number of activities differs from the "
                        "activities recorded"
                    ),
                )
            )
    for earlier, later in _MONITORING_ORDER:
        a, b = values.get(earlier), values.get(later)
        if a is not None and b is not None and b < a:
            problems.append(Problem(later, _("This date is before the previous step")))
    problems += labelled_text_problems("monitoring", values)
    if final:
        for key in ("committee_selected_on", "committee_met_on", "plan_made_on"):
            if values.get(key) is None:
                problems.append(Problem(key, _("This date is required")))
    return problems


# ==== The boundary schema ======================================================================
#
# One declarative description of every table that travels between offices: the type, whether a
# field must be present, its length, range, allowed values and plausible dates. It is used by the
# package reader (compiled once into msgspec types, so a payload is decoded and checked in C), the
# Excel fallback, the editors (``check_field``) and the command line (office codes), and it gives
# the Thai reason for whatever it refuses. ``tests/core/test_schema.py`` keeps it equal to the
# database columns of ``db.models``.

# Plausible dates: a BE year written as CE (2568-05-15) or year 1 / 9999 is a mistake, not data.
DATE_MIN = dt.date(1980, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
# Change times (updated_at …): not before the programme existed, not after the receipt time plus
# a tolerance for a computer clock that is a little ahead.
STAMP_MIN = dt.datetime(2000, 1, 1)
CLOCK_TOLERANCE = dt.timedelta(days=2)
FISCAL_YEAR_MIN, FISCAL_YEAR_MAX = 2500, 2700  # BE


def read_fiscal_year(text: str) -> int:
    """A fiscal year a person typed (the command line's ``--fiscal-year``, the export's years):
    a Buddhist-era year the records can hold, Thai digits too; ValueError with the Thai
    reason otherwise. A Christian-era year is named as such, with the year meant: typed as
    2025 it matched nothing, and ``lev status`` printed only its header while an export made a
    package without a record, as if the office had nothing for that year."""
    value = arabic_digits(text).strip()
    year = int(value) if value.isdigit() else None
    if year is not None and FISCAL_YEAR_MIN <= year <= FISCAL_YEAR_MAX:
        return year
    if year is not None and year in CE_YEARS:
        raise ValueError(
            _(
                "{year} is a Christian-era year: give the fiscal year in the Buddhist era, "
                "e.g. {be}"
            ).format(year=year, be=year + BE_OFFSET)
        )
    raise ValueError(
        _("{text} is not a fiscal year: give the Buddhist-era year, e.g. 2568").format(text=text)
    )


MAX_TEXT = 20_000  # characters in one free-text field (an objective, a note …)
MAX_REVISION = 1_000_000_000
MAX_ATTACHMENTS = 50
MAX_JSON_BYTES = 256 * 1024  # a custom programme's template, serialised

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z"
# Office codes are canonical ASCII of the official shape: the Department "DLA", a province
# "P" + its 2-digit DOPA code, a district "D" + its 4-digit DOPA code, an LAO 7 digits that
# hold its district's (or, for an อบจ., its province's) code first or after the type digit
# (domain.offices.lao_code_in_area). [0-9], not \d: \d would
# also match Thai and full-width digits.
OFFICE_CODE_PATTERN = r"^(?:DLA|P[0-9]{2}|D[0-9]{4}|[0-9]{7})\Z"
_YEAR_CE = r"(?:19[89][0-9]|20[0-9]{2}|2100)"
_MONTH = r"(?:0[1-9]|1[0-2])"
_DAY = r"(?:0[1-9]|[12][0-9]|3[01])"
DATE_PATTERN = rf"^{_YEAR_CE}-{_MONTH}-{_DAY}\Z"
DATETIME_PATTERN = (
    r"^(?:20[0-9]{2}|2100)-" + _MONTH + "-" + _DAY + r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:\.[0-9]{1,6})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?\Z"
)
PERIOD_PATTERN = (
    r"^(?:|ONCE|FY(?:2[5-6][0-9]{2}|2700)|"
    + _YEAR_CE
    + "-"
    + _MONTH
    + "|"
    + _YEAR_CE
    + "-"
    + _MONTH
    + "-"
    + _DAY
    + r")\Z"
)
KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}\Z"  # indicator, form and programme codes
ROW_KEY_PATTERN = r"^[A-Za-z0-9-]{0,36}\Z"
PUBLIC_KEY_PATTERN = r"^[A-Za-z0-9+/]{43}=\Z"  # base64 of 32 raw Ed25519 bytes
# A plain file name: no folder, no drive, no device, nothing Windows would read another way.
_RESERVED = r"(?:CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(?:\.[^.]*)?"
PLAIN_NAME_PATTERN = (
    r"^(?!(?i:"
    + _RESERVED
    + r")\Z)(?![. ])[^\\/:*?\"<>|\x00-\x1f\u202a-\u202e\u2066-\u2069]{1,200}(?<![. ])\Z"
)
ATTACHMENT_PATTERN = (
    r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/)?" + PLAIN_NAME_PATTERN[1:]
)

_MISSING: Any = object()


@dataclass(frozen=True)
class Field:
    """One travelling column. ``kind`` is one of: uuid, code, text, int, bool, decimal, date,
    datetime, choice, pattern, attachments, json_object."""

    name: str
    kind: str
    default: Any = _MISSING  # _MISSING = must be present in every record
    nullable: bool = False
    max_len: int | None = None
    low: int | None = None
    high: int | None = None
    digits: int = 0  # decimals: total digits (column precision) …
    scale: int = 0  # … and digits after the point
    choices: tuple[str, ...] = ()
    pattern: str = ""
    stamp: bool = False  # a change time: not after receipt + CLOCK_TOLERANCE

    @property
    def required(self) -> bool:
        return self.default is _MISSING


def _text(name: str, max_len: int = MAX_TEXT, default: Any = "", **kw: Any) -> Field:
    return Field(name, "text", default=default, max_len=max_len, **kw)


_META = (
    Field("id", "uuid"),
    Field("owner_office", "code"),
    Field("revision", "int", low=1, high=MAX_REVISION),
    Field("updated_at", "datetime", stamp=True),
    Field("updated_by", "text", max_len=120),
    Field("deleted", "bool"),
)
LEVELS = ("lao", "district", "province", "national")
LAO_TYPES = (
    "pao",
    "city_municipality",
    "town_municipality",
    "subdistrict_municipality",
    "sao",
    "special",
)
FORM_STATES = ("draft", "complete", "sent", "returned")
REVIEW_ACTIONS = ("comment", "returned", "accepted")

TABLE_SCHEMAS: dict[str, tuple[Field, ...]] = {
    "offices": (
        *_META,
        Field("code", "code"),
        Field("name", "text", max_len=200),
        Field("level", "choice", choices=LEVELS),
        Field("lao_type", "choice", default=None, nullable=True, choices=LAO_TYPES),
        Field(
            "province_code",
            "pattern",
            default=None,
            nullable=True,
            max_len=2,
            pattern=r"^[0-9]{2}\Z",
        ),
        Field(
            "district_code",
            "pattern",
            default=None,
            nullable=True,
            max_len=4,
            pattern=r"^[0-9]{4}\Z",
        ),
        Field("parent_code", "code", default=None, nullable=True),
        _text("phone", 60),
        Field("public_key", "pattern", default=None, nullable=True, pattern=PUBLIC_KEY_PATTERN),
    ),
    "programmes": (
        *_META,
        Field("code", "pattern", max_len=32, pattern=KEY_PATTERN),
        Field("name", "text", max_len=1000),
        _text("short_name", 200),
        Field("kind", "pattern", max_len=32, pattern=r"^[a-z][a-z0-9_]{0,31}\Z"),
        Field(
            "fiscal_year",
            "int",
            default=None,
            nullable=True,
            low=FISCAL_YEAR_MIN,
            high=FISCAL_YEAR_MAX,
        ),
        Field("builtin", "bool", default=False),
        Field(
            "template_code", "pattern", default=None, nullable=True, max_len=32, pattern=KEY_PATTERN
        ),
        Field("active", "bool", default=True),
        Field("letter", "json_object", default={}),
        Field("spec", "json_object", default={}),
    ),
    "letters": (
        *_META,
        Field("receipt_no", "text", max_len=40),
        Field("received_at", "datetime", stamp=True),
        _text("letter_no", 80),
        Field("letter_date", "date", default=None, nullable=True),
        _text("from_org", 200),
        _text("subject"),
        Field("programme_id", "uuid", default=None, nullable=True),
        _text("note"),
    ),
    "plans": (
        *_META,
        Field("programme_id", "uuid"),
        Field("fiscal_year", "int", low=FISCAL_YEAR_MIN, high=FISCAL_YEAR_MAX),
        Field("status", "choice", default="draft", choices=FORM_STATES),
        _text("note"),
    ),
    "plan_items": (
        *_META,
        Field("plan_id", "uuid"),
        Field("seq", "int", default=0, low=0, high=100_000),
        _text("project"),
        _text("objective"),
        _text("target"),
        _text("location"),
        Field("budget", "decimal", default=None, nullable=True, digits=14, scale=2, low=0),
        Field("no_budget", "bool", default=False),
        _text("kpi"),
        _text("expected_result"),
        Field("planned_activities", "int", default=1, low=0, high=1000),
    ),
    "activities": (
        *_META,
        Field("plan_item_id", "uuid"),
        _text("title"),
        Field("held_on", "date", default=None, nullable=True),
        Field("held_until", "date", default=None, nullable=True),
        _text("place"),
        Field("participants", "int", default=None, nullable=True, low=0, high=10_000_000),
        _text("outputs"),
        Field("budget_spent", "decimal", default=None, nullable=True, digits=14, scale=2, low=0),
        _text("problems"),
        _text("remedies"),
        Field("attachments", "attachments", default=[]),
    ),
    "monitoring": (
        *_META,
        Field("programme_id", "uuid"),
        Field("fiscal_year", "int", low=FISCAL_YEAR_MIN, high=FISCAL_YEAR_MAX),
        Field("committee_selected_on", "date", default=None, nullable=True),
        Field("committee_met_on", "date", default=None, nullable=True),
        Field("plan_made_on", "date", default=None, nullable=True),
        Field("activities_override", "int", default=None, nullable=True, low=0, high=10_000),
        _text("override_reason"),
        Field("reported_on", "date", default=None, nullable=True),
        Field("notice_posted_on", "date", default=None, nullable=True),
        _text("note"),
    ),
    "kpi_values": (
        *_META,
        Field("programme_id", "uuid"),
        Field("indicator_code", "pattern", max_len=40, pattern=KEY_PATTERN),
        Field("period", "pattern", max_len=16, pattern=PERIOD_PATTERN),
        Field("row_key", "pattern", default="", max_len=36, pattern=ROW_KEY_PATTERN),
        Field("value_num", "decimal", default=None, nullable=True, digits=18, scale=4),
        Field("value_text", "text", default=None, nullable=True, max_len=MAX_TEXT),
        Field("value_date", "date", default=None, nullable=True),
    ),
    "form_submissions": (
        *_META,
        Field("programme_id", "uuid"),
        Field("form_code", "pattern", max_len=32, pattern=KEY_PATTERN),
        Field("period", "pattern", max_len=16, pattern=PERIOD_PATTERN),
        Field("status", "choice", default="draft", choices=FORM_STATES),
        Field("completed_at", "datetime", default=None, nullable=True, stamp=True),
        Field("sent_at", "datetime", default=None, nullable=True, stamp=True),
    ),
    "reviews": (
        *_META,
        Field("target_office", "code"),
        Field("target_kind", "pattern", max_len=32, pattern=KEY_PATTERN),
        Field("target_id", "pattern", max_len=36, pattern=r"^[A-Za-z0-9-]{1,36}\Z"),
        Field("action", "choice", choices=REVIEW_ACTIONS),
        _text("text"),
    ),
}
FIELDS: dict[str, dict[str, Field]] = {
    table: {f.name: f for f in fields} for table, fields in TABLE_SCHEMAS.items()
}

# What a person reads for each travelling field: the audit log's history and the reasons of a
# refused package name fields with these (never the column names).
FIELD_LABELS = {
    "seq": N_("No."),
    "project": N_("Project"),
    "objective": N_("Objective"),
    "target": N_("Target (project outputs)"),
    "location": N_("Location"),
    "budget": N_("Budget (baht)"),
    "no_budget": N_("No budget"),
    "kpi": N_("Indicator (KPI)"),
    "expected_result": N_("Expected result"),
    "planned_activities": N_("Planned activities"),
    "title": N_("Activity"),
    "held_on": N_("Date held"),
    "held_until": N_("Until"),
    "place": N_("Place"),
    "participants": N_("Participants"),
    "outputs": N_("Outputs against the KPI"),
    "budget_spent": N_("Budget spent (baht)"),
    "problems": N_("Problems"),
    "remedies": N_("Remedies"),
    "attachments": N_("Files"),
    "deleted": N_("Removed"),
    "status": N_("Status"),
    "committee_selected_on": N_("Committee selected on"),
    "committee_met_on": N_("Committee met on"),
    "plan_made_on": N_("Plan made on"),
    "activities_override": N_("Number of activities (entered)"),
    "override_reason": N_("Reason for the entered number"),
    "reported_on": N_("Results reported on"),
    "notice_posted_on": N_("Public notice posted on"),
    "note": N_("Note"),
    "plan_item_id": N_("Project"),
    "id": N_("Record identifier"),
    "owner_office": N_("Office"),
    "revision": N_("Revision"),
    "updated_at": N_("Changed at"),
    "updated_by": N_("Changed by"),
    "code": N_("Code"),
    "name": N_("Name"),
    "level": N_("Level"),
    "lao_type": N_("Type"),
    "province_code": N_("Province"),
    "district_code": N_("District"),
    "parent_code": N_("Reports to (office code)"),
    "phone": N_("Telephone"),
    "public_key": N_("Key"),
    "short_name": N_("Short name"),
    "kind": N_("Kind"),
    "fiscal_year": N_("Fiscal year"),
    "builtin": N_("Built-in"),
    "template_code": N_("Template"),
    "active": N_("In use"),
    "letter": N_("Letter"),
    "spec": N_("Template"),
    "receipt_no": N_("Receipt no."),
    "received_at": N_("Received at"),
    "letter_no": N_("Letter no."),
    "letter_date": N_("Date"),
    "from_org": N_("From"),
    "subject": N_("Subject"),
    "programme_id": N_("Programme"),
    "plan_id": N_("Action plan"),
    "indicator_code": N_("Indicator"),
    "period": N_("Period"),
    "row_key": N_("Row"),
    "value_num": N_("Value"),
    "value_text": N_("Value"),
    "value_date": N_("Value"),
    "form_code": N_("Form"),
    "completed_at": N_("Completed at"),
    "sent_at": N_("Sent at"),
    "target_office": N_("Office"),
    "target_kind": N_("Form"),
    "target_id": N_("Record identifier"),
    "action": N_("Action"),
    "text": N_("Comment"),
}


def field_label(name: str) -> str:
    """A field as a Thai officer reads it (the column name when there is no label)."""
    label = FIELD_LABELS.get(name)
    return _(label) if label else name


_COMPILED: dict[str, re.Pattern[str]] = {}


def _regex(pattern: str) -> re.Pattern[str]:
    found = _COMPILED.get(pattern)
    if found is None:
        found = _COMPILED[pattern] = re.compile(pattern)
    return found


def is_office_code(value: Any) -> bool:
    """An office code of the official shape, in ASCII (no look-alike characters)."""
    return isinstance(value, str) and _regex(OFFICE_CODE_PATTERN).match(value) is not None


def office_code_problem(code: str, level: str | None = None) -> str | None:
    """Why ``code`` is not an office code of the official shape (for ``level``), or None."""
    if not is_office_code(code):
        return _(
            "“{code}” is not an office code: use DLA, P + the 2-digit province code, D + the "
            "4-digit district code, or the 7-digit LAO code, in ordinary (ASCII) digits"
        ).format(code=shown_value(code))
    expected = {"national": "DLA", "province": "P", "district": "D"}.get(level or "")
    if level == "lao" and not code.isdigit():
        return _("“{code}” is not an LAO code (7 digits)").format(code=code)
    if expected and not code.startswith(expected):
        return _("“{code}” is not the code of an office of this level").format(code=code)
    return None


def office_identity_problem(office: dict[str, Any]) -> str | None:
    """Contradictions inside one office record: its code against its level, province and
    district (an LAO's code starts with its district's code, or its province's for an อบจ.)."""
    code, level = office.get("code") or "", office.get("level") or ""
    problem = office_code_problem(code, level)
    if problem:
        return problem
    province, district = office.get("province_code"), office.get("district_code")
    if district and province and not str(district).startswith(str(province)):
        return _("district {district} is not in province {province}").format(
            district=district, province=province
        )
    if level == "province" and province != code[1:]:
        return _("office {code} claims province {province}").format(code=code, province=province)
    if level == "district" and district != code[1:]:
        return _("office {code} claims district {district}").format(code=code, district=district)
    if level == "lao":
        # an อบจ. covers its whole province (a district it names is only where it sits)
        area = province if office.get("lao_type") == "pao" else (district or province)
        if not area or not lao_code_in_area(code, str(area)):
            return _(
                "the code of LAO {code} is not a code of the district it claims ({district})"
            ).format(code=code, district=area or "-")
    return None


# What an office's name may not hold (Unicode categories): control characters (a line break
# drew a false fingerprint above the real one in the trust box), format characters — direction
# controls ("4801006" shown as "6001084"), zero-width spaces and joiners, the soft hyphen —,
# the line and paragraph separators U+2028/U+2029 (Qt breaks the line at them too), private-use
# and lone surrogates. None draws a letter: "อบต.บ้านใหม่" and "อบต.บ้านใหม่" + U+200B look
# the same on the board and in a printout, and are two names.
_NOT_IN_A_NAME = frozenset(("Cc", "Cf", "Zl", "Zp", "Co", "Cs"))


def office_name_problem(name: Any) -> str | None:
    """Why ``name`` cannot be an office's name (Thai, without the field's label), or None: the
    offices' text rules, on one line and with only characters that are seen (see
    ``_NOT_IN_A_NAME``). A name is shown beside the key fingerprint when the officer decides
    to trust a new office, and on the board and the printouts beside other offices' names."""
    field = FIELDS["offices"]["name"]
    message = check_field(field, name)
    if message is None and _hidden_characters(name):
        message = _("contains characters that are not text")
    return message


def _hidden_characters(name: str) -> bool:
    # (str.isprintable is False for every category of _NOT_IN_A_NAME, in C: most names are
    # answered by it alone; it is False for spaces but " " too, which a name may hold)
    return not name.isprintable() and any(unicodedata.category(ch) in _NOT_IN_A_NAME for ch in name)


# Thai spellings that are drawn alike: two SARA E for SARA AE, NIKHAHIT + SARA AA for SARA AM
# (NFKC below makes SARA AM that pair), and the marks above or below one letter typed in
# another order (ที่ as ท + ่ + ี).
_THAI_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]{2,}")


def office_name_scope(office: Any) -> tuple[str, str]:
    """The offices whose names must differ (``office_name_key``): an LAO's district (its F3
    rows and board), a district's province. ``office``: a dict, a record or a row."""
    fields = field_getter(office)
    district = fields("district_code")
    return ("d", district) if district else ("p", str(fields("province_code") or ""))


@lru_cache(maxsize=16384)  # (an import asks it of each office's name two or three times)
def office_name_key(name: str) -> str:
    """``name`` as it looks: what two office names share when a reader cannot tell them apart
    (invisible characters left out, compatibility forms — full-width letters, SARA AM — folded,
    spaces of any kind as one, look-alike Thai spellings as one, Latin case ignored). Two
    offices of one district whose names have the same key would be two rows of one name on the
    board and in the F3 report."""
    if _hidden_characters(name):
        name = "".join(ch for ch in name if unicodedata.category(ch) not in _NOT_IN_A_NAME)
    text = unicodedata.normalize("NFKC", name).replace("\u0e40\u0e40", "\u0e41")
    text = _THAI_MARKS.sub(lambda marks: "".join(sorted(marks.group())), text)
    return " ".join(text.split()).casefold()


# The labels of this office's own details where they are typed (Settings › General, the
# setup wizard, `lev init`), for the messages of ``own_office_problems``.
OWN_OFFICE_LABELS = {
    "name": N_("Office name"),
    "phone": N_("Telephone"),
    "officer": N_("Officer name"),
}


def own_office_problems(
    *, name: str | None = None, phone: str | None = None, officer: str | None = None
) -> list[Problem]:
    """Why this office's own details cannot be saved, one Problem per field given ("name",
    "phone", "officer"), its message naming the field ("โทรศัพท์: มีอักขระที่ไม่ใช่ข้อความ"), or
    []: the office above reads the office's record by the offices' rules, and the officer's
    name goes into every record as "changed by" (``updated_by``). A control character pasted
    into one of them would have every package of this office refused."""
    problems: list[Problem] = []
    for field, message in (
        ("name", None if name is None else office_name_problem(name)),
        ("phone", None if phone is None else check_field(FIELDS["offices"]["phone"], phone)),
        (
            "officer",
            None if officer is None else check_field(FIELDS["offices"]["updated_by"], officer),
        ),
    ):
        if message:
            problems.append(Problem(field, f"{_(OWN_OFFICE_LABELS[field])}: {message}"))
    return problems


def shown_value(value: Any) -> str:
    """A value for a message: look-alike and invisible characters made visible."""
    text = str(value)[:40]
    return "".join(
        ch if 0x20 <= ord(ch) < 0x7F or 0x0E00 <= ord(ch) < 0x0E80 else f"U+{ord(ch):04X}"
        for ch in text
    )


def decimal_pattern(field: Field) -> str:
    """The travelling form of a decimal column: digits within its precision and scale."""
    sign = "-?" if field.low is None or field.low < 0 else ""
    return rf"^{sign}[0-9]{{1,{field.digits - field.scale}}}(?:\.[0-9]{{1,{field.scale}}})?\Z"


def _decimal_problem(field: Field, value: Any) -> str | None:
    whole = field.digits - field.scale
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        return _("must be a number")
    if isinstance(value, str):
        match = re.fullmatch(r"(-?)([0-9]+)(?:\.([0-9]+))?", value)
        if match is None:
            return _("must be a number")
        if len(match.group(3) or "") > field.scale:
            return _("has more than {n} decimals").format(n=field.scale)
        if len(match.group(2)) > whole:
            return _("is too large (at most {n} digits before the point)").format(n=whole)
        number = Decimal(value)
    elif isinstance(value, int):
        number = Decimal(value)
    else:
        number = value
        if not number.is_finite():
            return _("must be a number")
        exponent = number.as_tuple().exponent
        if (
            isinstance(exponent, int)
            and -exponent > field.scale
            and number != round(number, field.scale)
        ):
            return _("has more than {n} decimals").format(n=field.scale)
    if abs(number) >= Decimal(10) ** whole:
        return _("is too large (at most {n} digits before the point)").format(n=whole)
    if field.low is not None and number < field.low:
        return _("Must not be less than {value}").format(value=field.low)
    return None


def _date_problem(value: Any) -> str | None:
    if isinstance(value, dt.datetime) or not isinstance(value, (str, dt.date)):
        return _("must be a date (YYYY-MM-DD)")
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            return _("must be a date (YYYY-MM-DD)")
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return _("must be a date (YYYY-MM-DD)")
    else:
        day = value
    if day > DATE_MAX and DATE_MIN.year <= day.year - 543 <= DATE_MAX.year:
        return _(
            "the year {year} looks like a Buddhist-era year written as a Christian-era year"
        ).format(year=day.year)
    if not DATE_MIN <= day <= DATE_MAX:
        return _("the date {date} is not plausible (years {low}–{high} BE)").format(
            date=format_date(day), low=DATE_MIN.year + 543, high=DATE_MAX.year + 543
        )
    return None


STAMP_MAX = dt.datetime(2100, 12, 31, 23, 59, 59)


def _stamp_problem(field: Field, value: Any, latest: dt.datetime | None) -> str | None:
    if isinstance(value, str):
        if not re.fullmatch(
            r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
            r"(?:Z|[+-][0-9]{2}:[0-9]{2})?",
            value,
        ):
            return _("must be a date and time")
        try:
            stamp = dt.datetime.fromisoformat(value)
        except ValueError:
            return _("must be a date and time")
    elif isinstance(value, dt.datetime):
        stamp = value
    else:
        return _("must be a date and time")
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    if not STAMP_MIN <= stamp <= STAMP_MAX:
        return _("the time {time} is not plausible").format(time=shown_time(stamp))
    if isinstance(value, str) and not _regex(DATETIME_PATTERN).match(value):
        return _("the time {time} is not plausible").format(time=shown_time(stamp))
    if field.stamp and latest is not None and stamp > latest:
        return _(
            "the time {time} is in the future (the clock of the sending computer may be "
            "wrong; ask the office to correct its date and time and send the data again)"
        ).format(time=shown_time(stamp))
    return None


# The earliest time a package can say it was made: LEV Desktop wrote no package before 2024
# (BE 2567). A computer whose clock battery has died starts again at its BIOS date (2000, 2009,
# 2012 …), and every report in its packages would count as sent on time.
PACKAGE_MADE_MIN = dt.datetime(2024, 1, 1)


def package_made_problem(
    made: dt.datetime,
    *,
    now: dt.datetime,
    newest_change: dt.datetime | None = None,
    previous_made: dt.datetime | None = None,
) -> str | None:
    """Why the time a package says it was made (UTC, naive) cannot be true, or None.

    That time is the day the office above counts the package's reports as sent, on time or
    late (obligation_state.fulfilment), and the sending computer's clock sets it. The clock
    cannot be checked, but it can be caught out: before the program existed, after the
    receiving computer's now, before a change the package itself holds, or before a package
    the same office made earlier. Each bound allows CLOCK_TOLERANCE for a clock a little off.
    The reason completes "the package was …" (the importer's and the exporter's sentences)."""
    if made < PACKAGE_MADE_MIN:
        return _("made on {made}, before LEV Desktop existed").format(made=shown_time(made))
    if made > now + CLOCK_TOLERANCE:
        return _("made on {made}, later than the date and time on this computer ({now})").format(
            made=shown_time(made), now=shown_time(now)
        )
    if newest_change is not None and newest_change > made + CLOCK_TOLERANCE:
        return _("made on {made}, before a change it holds was made ({change})").format(
            made=shown_time(made), change=shown_time(newest_change)
        )
    if previous_made is not None and made < previous_made - CLOCK_TOLERANCE:
        return _(
            "made on {made}, before a package the same office made earlier ({previous})"
        ).format(made=shown_time(made), previous=shown_time(previous_made))
    return None


def shown_time(stamp: dt.datetime) -> str:
    """A UTC change time as a Thai officer reads it (BE year, Thai local time)."""
    if stamp.year < 2 or stamp.year > 9000:
        return stamp.isoformat(" ")
    return format_datetime(stamp + dt.timedelta(hours=7))


def check_field(field: Field, value: Any, *, latest: dt.datetime | None = None) -> str | None:
    """Why ``value`` does not fit ``field`` (Thai), or None. ``value`` is as it travels (JSON)
    or as an editor holds it (date, Decimal); ``latest`` is the latest plausible change time."""
    if value is None:
        return None if field.nullable else _("is missing")
    kind = field.kind
    if kind in ("text", "pattern", "uuid", "code", "choice") and not isinstance(value, str):
        return _("must be text")
    if isinstance(value, str):
        if field.max_len is not None and len(value) > field.max_len:
            return _("is too long ({count} characters; at most {n})").format(
                count=len(value), n=field.max_len
            )
        if _CONTROL.search(value) or _has_surrogate(value):
            return _("contains characters that are not text")
    if kind == "text":
        return None
    if kind == "uuid":
        return None if _regex(UUID_PATTERN).match(value) else _("is not a record identifier")
    if kind == "code":
        return office_code_problem(value)
    if kind == "choice":
        if value in field.choices:
            return None
        return _("“{value}” is not one of: {choices}").format(
            value=shown_value(value), choices=", ".join(field.choices)
        )
    if kind == "pattern":
        return (
            None
            if _regex(field.pattern).match(value)
            else _("“{value}” is not allowed here").format(value=shown_value(value))
        )
    if kind == "bool":
        return None if isinstance(value, bool) else _("must be true or false")
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return _("must be a whole number")
        if field.low is not None and value < field.low:
            return _("Must not be less than {value}").format(value=field.low)
        if field.high is not None and value > field.high:
            return _("Must not be more than {value}").format(value=format_number(field.high))
        return None
    if kind == "decimal":
        return _decimal_problem(field, value)
    if kind == "date":
        return _date_problem(value)
    if kind == "datetime":
        return _stamp_problem(field, value, latest)
    if kind == "attachments":
        return attachments_problem(value)
    if kind == "json_object":
        if not isinstance(value, dict):
            return _("is not in the expected form")
        return None
    return _("is not in the expected form")  # pragma: no cover - every kind is handled above


# The C0 control characters but tab, line feed and carriage return: XML 1.0 cannot hold them
# (openpyxl refuses such a cell, so one in a project stopped the district's .xlsx plan report),
# PostgreSQL refuses NUL, and ESC rewrites the terminal `lev import` prints to. Word's manual
# line break (VT) is one of them. And the bidirectional embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069), which no Thai text needs: an activity title holding RLO was
# shown reversed on the district's screens ("โครงการ 12" as "21 การครโ"). The package reader's
# fast path finds them and their JSON escapes (records.has_control_character).
CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")


def visible_controls(text: str) -> str:
    """``text`` with each of CONTROL_CHARACTERS written as "U+000B": a name in a message shows
    what is wrong with it instead of breaking the message's line."""
    return _CONTROL.sub(lambda found: f"U+{ord(found.group()):04X}", text)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def is_plain_name(name: Any) -> bool:
    """A file name without folder, drive or device: it can only mean a file in one folder."""
    return isinstance(name, str) and _regex(PLAIN_NAME_PATTERN).match(name) is not None


def is_attachment_name(name: Any) -> bool:
    """An attachment as stored: a plain name, or ``<activity id>/<plain name>``."""
    return isinstance(name, str) and _regex(ATTACHMENT_PATTERN).match(name) is not None


def attachments_problem(value: Any) -> str | None:
    """Activity attachments: at most MAX_ATTACHMENTS plain file names (optionally inside the
    activity's own folder, ``<activity id>/<name>``)."""
    if not isinstance(value, list):
        return _("is not in the expected form")
    if len(value) > MAX_ATTACHMENTS:
        return _("has more than {n} files").format(n=MAX_ATTACHMENTS)
    for name in value:
        if not isinstance(name, str) or not _regex(ATTACHMENT_PATTERN).match(name):
            return _("“{name}” is not a plain file name").format(name=shown_value(name))
    return None


def check_record(
    table: str, record: dict[str, Any], *, latest: dt.datetime | None = None
) -> list[Problem]:
    """Every field of one travelling record against the schema (unknown and missing fields
    too). The fast path of the package reader is the compiled form of the same rules."""
    fields = FIELDS[table]
    problems: list[Problem] = []
    for name in record:
        if name not in fields:
            problems.append(Problem(str(name)[:40], _("is not a field of this table")))
    for field in fields.values():
        if field.name not in record:
            if field.required:
                problems.append(Problem(field.name, _("is missing")))
            continue
        message = check_field(field, record[field.name], latest=latest)
        if message:
            problems.append(Problem(field.name, message))
    if not problems:
        problems += decoded_record_problems(table, record)
    return problems


def field_getter(record: Any) -> Callable[[str], Any]:
    """``record[name]`` (None when absent) for a dict or a decoded record alike."""
    if isinstance(record, dict):
        return record.get

    def get(name: str) -> Any:
        return getattr(record, name, None)

    return get


def decoded_record_problems(table: str, record: Any) -> list[Problem]:
    """The checks of a record that no type or pattern can express: a programme's template and
    an office's code against its level and district. ``record`` is a dict or a decoded record."""
    get = field_getter(record)
    problems: list[Problem] = []
    if table == "programmes":
        problems += [Problem("spec", message) for message in programme_spec_problems(get("spec"))]
        letter = get("letter")
        if isinstance(letter, dict) and len(repr(letter)) > MAX_JSON_BYTES:
            problems.append(Problem("letter", _("is too large")))
        elif isinstance(letter, dict):
            problems += [Problem("letter", message) for message in letter_problems(letter)]
    elif table == "offices":
        office = {
            key: get(key) for key in ("code", "level", "lao_type", "province_code", "district_code")
        }
        message = office_identity_problem(office)
        if message:
            problems.append(Problem("code", message))
        message = office_name_problem(get("name"))
        if message:
            problems.append(Problem("name", message))
    return problems


RULE_TYPES = (
    "once",
    "window",
    "monthly",
    "monthly_following",
    "days_of_month",
    "fiscal_year",
    "event",
)


def programme_spec_problems(spec: Any) -> list[str]:
    """A custom programme's template as it travels: the parts the app reads (indicators, rules,
    forms, obligations) have the shape the validation and the deadline engine expect."""
    if spec is None or spec == {}:
        return []
    if not isinstance(spec, dict):
        return [_("is not in the expected form")]
    if len(repr(spec)) > MAX_JSON_BYTES:
        return [_("is too large")]
    problems: list[str] = []
    codes: set[str] = set()
    indicators = spec.get("indicators", [])
    if not isinstance(indicators, list) or len(indicators) > 500:
        return [_("the indicators are not in the expected form")]
    for item in indicators:
        if not isinstance(item, dict) or not isinstance(item.get("code"), str):
            problems.append(_("the indicators are not in the expected form"))
            break
        if not _regex(KEY_PATTERN).match(item["code"]) or item.get("type", "text") not in (
            INDICATOR_TYPES
        ):
            problems.append(
                _("indicator “{code}” is not in the expected form").format(
                    code=shown_value(item["code"])
                )
            )
            continue
        codes.add(item["code"])
        for bound in ("min", "max"):
            value = item.get(bound)
            if value is not None and (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
                or abs(value) >= 1e14
            ):
                problems.append(
                    _("indicator “{code}” is not in the expected form").format(code=item["code"])
                )
        name = item.get("name")
        if (
            not isinstance(name, str)
            or not name.strip()
            or len(name) > MAX_TITLE
            or not isinstance(item.get("unit", ""), str)
            or not isinstance(item.get("group", ""), (str, type(None)))
            or not isinstance(item.get("repeat", False), (bool, type(None)))
            or not isinstance(item.get("required", False), (bool, type(None)))
        ):
            problems.append(
                _("indicator “{code}” is not in the expected form").format(code=item["code"])
            )
        choices = item.get("choices", [])
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            problems.append(
                _("indicator “{code}” is not in the expected form").format(code=item["code"])
            )
    rules = spec.get("rules", [])
    if not isinstance(rules, list) or not all(
        isinstance(r, dict)
        and (r.get("type") != "lte" or (r.get("left") in codes and r.get("right") in codes))
        for r in rules
    ):
        problems.append(_("the checks across fields are not in the expected form"))
    for key in ("forms", "obligations"):
        value = spec.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            problems.append(_("the forms and deadlines are not in the expected form"))
            return problems
    form_codes: set[str] = set()
    problems += _each_once(
        spec.get("forms", []), form_problem, _("form “{code}”: {problem}"), form_codes
    )
    problems += _each_once(
        spec.get("obligations", []),
        lambda obligation: obligation_problem(obligation, form_codes),
        _("deadline “{code}”: {problem}"),
        set(),
    )
    return problems[:MAX_SPEC_PROBLEMS]


# What a programme's forms and obligations may say: every key the deadline engine and the
# screens read (deadlines.rules.obligations_of, the forms' screens), with its type and range.
FORM_PERIODS = (None, "fiscal_year", "monthly", "round", "once")
SENDS_TO = (None, "route", *LEVELS[1:])
RULE_DATE_KEYS = ("date", "start", "end", "first", "until")  # every date a rule may have
RULE_DATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # type: (dates it must have, dates it may have)
    "once": (("date",), ()),
    "event": (("date",), ()),
    "window": (("end",), ("start",)),
    "monthly": (("first",), ("until",)),
    "monthly_following": (("first",), ("until",)),
    "days_of_month": (("first",), ("until",)),
    "fiscal_year": ((), ()),
}
_TIME = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]\Z")
MAX_TITLE = 500


def _each_once(
    items: list[dict[str, Any]],
    problem_of: Callable[[dict[str, Any]], str | None],
    template: str,
    seen: set[Any],
) -> list[str]:
    """Each item's problem, worded by ``template`` with its code (a code that came before is a
    problem too); the codes of the items without one are added to ``seen``."""
    found: list[str] = []
    for item in items:
        code = item.get("code")
        message = problem_of(item)
        if message is None and code in seen:
            message = _("appears twice")
        if message:
            found.append(template.format(code=_named(code), problem=message))
        else:
            seen.add(code)
    return found


def _named(code: Any) -> str:
    return shown_value(code) if code is not None else "?"


def _is_int(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def form_problem(form: dict[str, Any]) -> str | None:
    """A form of a programme's template as the app reads it; None when it may be used."""
    code = form.get("code")
    if not isinstance(code, str) or not _regex(KEY_PATTERN).match(code):
        return _("the code is missing or not in the expected form")
    name = form.get("name", "")
    if not isinstance(name, str) or len(name) > MAX_TITLE:
        return _("the name is missing or too long")
    if not isinstance(form.get("kind", ""), str) or form.get("period") not in FORM_PERIODS:
        return _("is not in the expected form")
    return None


def obligation_problem(obligation: Any, form_codes: set[str]) -> str | None:
    """An obligation (a deadline) of a programme's template as the deadline engine reads it:
    its code, level, title, form, destination, LAO types and rule, each of the type and
    range the engine needs (a date that exists, a day of the month 1–31, a day and month of
    the fiscal year that exist — 29 February does, 30 February does not — a time HH:MM …);
    None when it may be used. ``form_codes``: the programme's forms."""
    if not isinstance(obligation, dict):
        return _("the deadline rule is not in the expected form")
    code = obligation.get("code")
    if not isinstance(code, str) or not _regex(KEY_PATTERN).match(code):
        return _("the code is missing or not in the expected form")
    if obligation.get("level") not in LEVELS:
        return _("the level of office is not in the expected form")
    title = obligation.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE:
        return _("the title is missing or too long")
    form = obligation.get("form")
    if form is not None and form not in form_codes:
        return _("names form {form}, which the programme does not have").format(
            form=shown_value(form)
        )
    if obligation.get("sends_to") not in SENDS_TO:
        return _("the office it goes to is not in the expected form")
    lao_types = obligation.get("lao_types")
    if lao_types is not None and (
        not isinstance(lao_types, list) or not all(t in LAO_TYPES for t in lao_types)
    ):
        return _("the types of LAO are not in the expected form")
    rule = obligation.get("rule")
    if not isinstance(rule, dict) or rule.get("type") not in RULE_DATES:
        return _("the deadline rule is not in the expected form")
    must, may = RULE_DATES[rule["type"]]
    for key in must + may + tuple(k for k in RULE_DATE_KEYS if k in rule):
        value = rule.get(key)
        if (key in must or value is not None) and _date_problem(value):
            return _("the deadline rule's “{key}” is missing or not a date").format(key=key)
    kind = rule["type"]
    if kind == "window" and rule.get("start") is not None and str(rule["start"]) > str(rule["end"]):
        return _("the deadline rule's start is after its end")
    if kind == "event" and rule.get("time") is not None:
        time = rule["time"]
        if not isinstance(time, str) or not _TIME.match(time):
            return _("the time must be written as HH:MM, e.g. 09:30")
    if kind in ("monthly", "monthly_following", "days_of_month"):
        days = rule.get("days", [rule.get("day", 1)])
        if not isinstance(days, list) or not 1 <= len(days) <= 31:
            return _("the days of the month must be from 1 to 31")
        if not all(_is_int(day, 1, 31) for day in days):
            return _("the days of the month must be from 1 to 31")
    if kind == "fiscal_year":
        if not _is_int(rule.get("month"), 1, 12) or not _is_int(rule.get("day"), 1, 31):
            return _("the deadline rule's month or day is not in the expected form")
        if not _is_int(rule.get("offset_years", 0), -5, 5):
            return _("the deadline rule's month or day is not in the expected form")
        no_such_day = day_and_month_problem(rule["day"], rule["month"])
        if no_such_day:  # (30 February, 31 April; 29 February is: see day_and_month_problem)
            return no_such_day
    return None


MAX_SPEC_PROBLEMS = 5


def letter_problems(letter: dict[str, Any]) -> list[str]:
    """A programme's directive letter as the screens and the printed notice read it: each
    entry a text (or, for its references and enclosures, a list of texts) and its date a date
    that exists (YYYY-MM-DD)."""
    problems: list[str] = []
    for key, value in letter.items():
        if isinstance(value, list):
            fine = all(isinstance(v, str) and len(v) <= MAX_TITLE for v in value)
        else:
            fine = value is None or (isinstance(value, str) and len(value) <= MAX_TITLE)
            if fine and key == "date" and value:
                fine = _date_problem(value) is None
        if not fine:
            problems.append(
                _("the letter's “{key}” is not in the expected form").format(key=shown_value(key))
            )
    return problems[:MAX_SPEC_PROBLEMS]


# ---- the compiled form: msgspec types (decoding and checking in C) ---------------------------

_RECORD_TYPES: dict[str, type] = {}


def _annotation(field: Field, columns: bool = False) -> Any:
    """``columns``: leave out the patterns that ``column_checks`` checks a column at a time."""

    def text(**meta: Any) -> Any:
        if columns and "pattern" in meta and _column_pattern(meta["pattern"]) is not None:
            del meta["pattern"]
        return Annotated[str, msgspec.Meta(**meta)] if meta else str

    kind = field.kind
    if kind == "uuid":
        kind_type: Any = text(pattern=UUID_PATTERN)
    elif kind == "code":
        kind_type = text(pattern=OFFICE_CODE_PATTERN)
    elif kind == "text":
        kind_type = text(max_length=field.max_len) if field.max_len else str
    elif kind == "pattern":
        meta: dict[str, Any] = {"pattern": field.pattern}
        if field.max_len:
            meta["max_length"] = field.max_len
        kind_type = text(**meta)
    elif kind == "choice":
        kind_type = Literal[field.choices]
    elif kind == "bool":
        kind_type = bool
    elif kind == "int":
        kind_type = Annotated[int, msgspec.Meta(ge=field.low, le=field.high)]
    elif kind == "decimal":
        whole = 10 ** (field.digits - field.scale) - 1
        low = -whole if field.low is None else max(field.low, -whole)
        kind_type = Union[  # noqa: UP007 - a runtime type for msgspec
            text(pattern=decimal_pattern(field)),
            Annotated[int, msgspec.Meta(ge=low, le=whole)],
        ]
    elif kind == "date":
        kind_type = text(pattern=DATE_PATTERN)
    elif kind == "datetime":
        kind_type = text(pattern=DATETIME_PATTERN)
    elif kind == "attachments":
        kind_type = Annotated[
            list[Annotated[str, msgspec.Meta(pattern=ATTACHMENT_PATTERN)]],
            msgspec.Meta(max_length=MAX_ATTACHMENTS),
        ]
    elif kind == "json_object":
        kind_type = dict[str, Any]
    else:  # pragma: no cover
        raise ValueError(kind)
    return kind_type | None if field.nullable else kind_type


# What could match across the separator of a column check, or means something else once the
# values are joined (anchors, any character, look-arounds, flags): such a pattern stays on each
# value (msgspec). Escapes other than "\\." are not taken either.
_NOT_COLUMNWISE = ("$", "^", ".", "(?")
_COLUMN_PATTERNS: dict[str, re.Pattern[str] | None] = {}
_CLASS = re.compile(r"\[(?!\^)(?:\\.|[^\]\\])*\]")


def _column_pattern(pattern: str) -> re.Pattern[str] | None:
    """``^X\\Z`` → a pattern that matches the values of a column joined by NUL, each followed
    by NUL, exactly when every value matches ``^X\\Z`` as msgspec checks it (``re.search``).
    The schema ends its patterns in ``\\Z``, not ``$``: ``$`` also matches before a final
    newline, and "FY2568\\n" passed as a period. NUL cannot be in a decoded value (a payload
    holding ``\\u0000`` is refused before decoding) and no allowed ``X`` matches it. None for a
    pattern of another shape (it is checked on each value)."""
    if pattern in _COLUMN_PATTERNS:
        return _COLUMN_PATTERNS[pattern]
    found = None
    inner = pattern[1:-2]
    # No escape but "\\." (so no NUL named anywhere), and no character class that is negated
    # (one that is not matches only what it lists).
    literal = inner.replace("\\.", "")
    if (
        pattern.startswith("^")
        and pattern.endswith("\\Z")
        and "\\" not in literal
        and "\x00" not in literal
        and not any(part in _CLASS.sub("", literal).replace("(?:", "") for part in _NOT_COLUMNWISE)
    ):
        # Possessive (``*+``): each value must match up to its NUL, so the split is fixed and
        # there is nothing to backtrack into; the engine then keeps no state per value
        # (a column of 15,000 ids: 9 → 4 ms).
        found = re.compile(f"(?:(?:{inner})\x00)*+")
    _COLUMN_PATTERNS[pattern] = found
    return found


def column_checks(table: str) -> list[tuple[str, re.Pattern[str], bool]]:
    """The patterns ``decode_type(table)`` leaves out: (field, column pattern, nullable) for
    ``check_columns``."""
    out = []
    for field in TABLE_SCHEMAS[table]:
        pattern = _field_pattern(field)
        column = _column_pattern(pattern) if pattern else None
        if column is not None:
            out.append((field.name, column, field.nullable or field.kind == "decimal"))
    return out


def _field_pattern(field: Field) -> str | None:
    kind = field.kind
    if kind == "uuid":
        return UUID_PATTERN
    if kind == "code":
        return OFFICE_CODE_PATTERN
    if kind == "pattern":
        return field.pattern
    if kind == "date":
        return DATE_PATTERN
    if kind == "datetime":
        return DATETIME_PATTERN
    if kind == "decimal":
        return decimal_pattern(field)
    return None


def check_columns(checks: list[tuple[str, re.Pattern[str], bool]], records: list[Any]) -> bool:
    """Whether every value of ``records`` (decoded by ``decode_type``) matches its field's
    pattern: one match per column instead of one per value. Only text values are checked (a
    decimal may also travel as an integer; None where the field allows it).

    Each distinct value is matched once: a payload repeats most of its columns' values (its
    office, change time, programme, periods), and every value matches exactly when every
    distinct value does."""
    uuid_column = _column_pattern(UUID_PATTERN)
    for name, column, loose in checks:
        # (the records' own ids, all distinct: checked joined; other columns of ids repeat)
        ids = name == "id" and column is uuid_column and not loose
        if ids and _all_uuids(list(map(attrgetter(name), records))):
            continue
        values = set(map(attrgetter(name), records))
        if loose:
            values = {v for v in values if v.__class__ is str}
        if values and column.fullmatch("\x00".join(values) + "\x00") is None:
            return False
    return True


_UUID_CHARACTERS = b"0123456789abcdef-"
_UUID_DASHES = (8, 13, 18, 23)


def _all_uuids(values: list[str]) -> bool:
    """True when every value matches UUID_PATTERN, found by a few passes over the column
    joined (each 36 characters long, of lower-case hex digits and four dashes exactly where
    the pattern has them) instead of the pattern over every value: a column of ids is all
    distinct. False: not shown so here (the pattern then decides)."""
    count = len(values)
    if not count or set(map(len, values)) != {36}:
        return False
    try:
        joined = "".join(values).encode("ascii")
    except UnicodeEncodeError:
        return False
    return (
        not joined.translate(None, _UUID_CHARACTERS)
        and joined.count(b"-") == 4 * count
        and all(joined[at::36] == b"-" * count for at in _UUID_DASHES)
    )


def decode_type(table: str) -> type:
    """``record_type(table)`` without the patterns ``column_checks(table)`` checks a column at
    a time (the fast path of decoding a payload: the same rules, checked in fewer calls)."""
    found = _DECODE_TYPES.get(table)
    if found is None:
        found = _DECODE_TYPES[table] = _struct(table, columns=True)
    return found


_DECODE_TYPES: dict[str, type] = {}


def record_type(table: str) -> type:
    """The schema of ``table`` as a msgspec Struct: ``msgspec.json.Decoder(record_type(t))``
    decodes a payload line and checks types, lengths, ranges, patterns and allowed values in C.
    What a pattern cannot say (a calendar date, a change time after receipt, a programme's
    template, an office's code against its district) is checked after decoding."""
    found = _RECORD_TYPES.get(table)
    if found is None:
        found = _RECORD_TYPES[table] = _struct(table, columns=False)
    return found


def _struct(table: str, *, columns: bool) -> type:
    fields: list[tuple[Any, ...]] = []
    for field in TABLE_SCHEMAS[table]:
        annotation = _annotation(field, columns)
        if field.required:
            fields.append((field.name, annotation))
        elif isinstance(field.default, (list, dict)):
            factory = list if isinstance(field.default, list) else dict
            fields.append((field.name, annotation, msgspec.field(default_factory=factory)))
        else:
            fields.append((field.name, annotation, field.default))
    found: type = msgspec.defstruct(  # gc=False: records hold no cycles; less memory, no GC
        f"{table}_record", fields, kw_only=True, forbid_unknown_fields=True, gc=False
    )
    return found
