"""Validation rules of the programme templates: one implementation for the GUI, Excel import
and package import. Messages are Thai (through the catalogue) and say what to fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlparse

from lev_desktop.i18n import _
from lev_desktop.thai_format import format_number, parse_date, parse_number


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    row: str = ""  # KpiValue.row_key of a repeated group (a product); "" otherwise


def parse_indicator_value(spec: dict[str, Any], raw: Any) -> tuple[Any, str | None]:
    """Turns typed or stored input into the value to store; returns (value, error or None).

    Empty input gives (None, None) unless the indicator is required and ``raw`` is final:
    required-ness is checked by ``validate_form`` so drafts can be saved incomplete.
    """
    kind = spec.get("type", "text")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if kind in ("integer", "decimal", "percent", "baht"):
        try:
            value = raw if isinstance(raw, Decimal) else parse_number(str(raw))
        except ValueError:
            return None, _("Please enter a number")
        assert value is not None
        if kind == "integer" and value != value.to_integral_value():
            return None, _("Please enter a whole number")
        if kind == "baht" and value.as_tuple().exponent < -2:  # type: ignore[operator]
            return None, _("Baht amounts have at most two decimals")
        low = spec.get("min")
        high = spec.get("max", 100 if kind == "percent" else None)
        if kind == "percent":
            low = 0 if low is None else low
        if low is not None and value < Decimal(str(low)):
            return None, _("Must not be less than {value}").format(value=format_number(low))
        if high is not None and value > Decimal(str(high)):
            return None, _("Must not be more than {value}").format(value=format_number(high))
        return (int(value) if kind == "integer" else value), None
    if kind == "date":
        if isinstance(raw, dt.date):
            return raw, None
        try:
            return parse_date(str(raw)), None
        except ValueError:
            return None, _("Please enter a date as day/month/BE year, e.g. 15/02/2568")
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
    return str(raw), None


def validate_form(spec: dict[str, Any], values: dict[str, Any], *, final: bool) -> list[Problem]:
    """Checks one set of indicator values (one office, period and row).

    ``final`` adds the required-field check (marking a form complete).
    """
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    for item in spec.get("indicators", []):
        code = item["code"]
        value, error = parse_indicator_value(item, values.get(code))
        if error:
            problems.append(Problem(code, error))
            continue
        parsed[code] = value
        if final and item.get("required") and value is None:
            problems.append(Problem(code, _("This field is required")))
    problems.extend(_rule_problems(spec, parsed))
    return problems


def _rule_problems(spec: dict[str, Any], parsed: dict[str, Any]) -> list[Problem]:
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
    spec: dict[str, Any], rows: dict[str, dict[str, Any]], *, final: bool
) -> list[Problem]:
    """Checks a whole KPI form: row '' holds the single values, other keys one product each.

    ``final`` (marking the form complete) also asks for every required field and, on a form
    of repeated groups, for at least one group (the target "1 LAO : 1 product").
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
        for problem in validate_form(sub, rows.get(key, {}), final=final):
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
        out.extend(Problem(p.field, p.message, key) for p in _rule_problems(spec, parsed))
    return out


def validate_plan_item(item: dict[str, Any], *, final: bool = True) -> list[Problem]:
    """F1 row: a project name; a budget that is a non-negative amount or "no budget"."""
    problems: list[Problem] = []
    if final and not str(item.get("project") or "").strip():
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
    return problems


def validate_activity(item: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    held_on, held_until = item.get("held_on"), item.get("held_until")
    if held_on is None:
        problems.append(Problem("held_on", _("Please enter the date the activity was held")))
    if held_on and held_until and held_until < held_on:
        problems.append(Problem("held_until", _("The end date is before the start date")))
    participants = item.get("participants")
    if participants is not None and participants < 0:
        problems.append(
            Problem("participants", _("Must not be less than {value}").format(value="0"))
        )
    spent = item.get("budget_spent")
    if spent is not None and Decimal(str(spent)) < 0:
        problems.append(
            Problem("budget_spent", _("Must not be less than {value}").format(value="0"))
        )
    return problems


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
    return []


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
    if final:
        for key in ("committee_selected_on", "committee_met_on", "plan_made_on"):
            if values.get(key) is None:
                problems.append(Problem(key, _("This date is required")))
    return problems
