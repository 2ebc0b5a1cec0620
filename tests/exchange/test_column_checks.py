"""Issue 14 (import speed): the simple patterns of the boundary schema are checked a column at a
time (``validation.check_columns``) instead of once per value inside the decoder. The verdict
must be exactly msgspec's per-value one (``re.search`` of ``^X\\Z``) for every pattern the schema
has, on values that match, values that do not, and a final newline (refused: the patterns end in
``\\Z``, since ``$`` matched before it)."""

from __future__ import annotations

import datetime as dt
import re
import types

import msgspec
import pytest

from lev_desktop.domain import validation as V
from lev_desktop.exchange.records import PayloadError, codecs

UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"
VALUES = [
    "",
    "\n",
    "\n\n",
    "a",
    "A1",
    "a b",
    "DLA",
    "DLA\n",
    "DLA\n\n",
    "\nDLA",
    "dla",
    "P48",
    "P4",
    "D4801",
    "4801006",
    "48010061",
    UUID,
    UUID + "\n",
    UUID.upper(),
    UUID[:-1],
    UUID + "0",
    "2025-01-31",
    "2025-01-31\n",
    "2025-02-30",
    "2025-13-01",
    "2568-01-31",
    "2025-09-30T10:00:00",
    "2025-09-30T10:00:00Z",
    "2025-09-30T10:00:00.123456+07:00",
    "2025-09-30T24:00:00",
    "2025-09-30T10:00:00Z\n",
    "FY2568",
    "FY2568\n",
    "ONCE",
    "2025-01",
    "2025-Q1",
    "2025-H2",
    "12",
    "12.5",
    "12.50",
    "12.505",
    "-3",
    "-3.25",
    "1e5",
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789012345",
    "x\ny",
    "ก",
    "abc_def.gh-1",
    "_abc",
    "a" * 40,
    "a" * 41,
    "kpi",
    "Kpi",
    "a\x01",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
]


def _patterns() -> dict[str, str]:
    """Every pattern of the travelling schema, by one field that has it."""
    out = {}
    for table, fields in V.TABLE_SCHEMAS.items():
        for field in fields:
            pattern = V._field_pattern(field)
            if pattern:
                out.setdefault(pattern, f"{table}.{field.name}")
    return out


def test_every_pattern_of_the_schema_is_checked_by_column_or_by_value():
    columnwise = [p for p in _patterns() if V._column_pattern(p) is not None]
    assert len(columnwise) >= 10  # (the uuid, office code, dates, periods, decimals...)
    # a pattern that could match across values stays on each value
    for risky in (r"^[^a]\Z", r"^a.b\Z", r"^(?i:a)\Z", r"^a\sb\Z", r"^(?!x)a\Z", "^[\x00-\x1f]\\Z"):
        assert V._column_pattern(risky) is None, risky
    assert V._column_pattern(r"^a[bc]\Z") is not None  # (the shape taken, so the above count)


def test_no_pattern_of_the_schema_lets_a_final_newline_through():
    """``$`` in Python's ``re.search`` (msgspec's check) also matches before a final newline:
    "FY2568\\n" passed as a period. Every pattern ends in ``\\Z``."""
    for pattern, where in _patterns().items():
        assert pattern.endswith("\\Z") and not pattern.endswith("$"), where
        assert "$" not in pattern, where


@pytest.mark.parametrize("pattern", sorted(_patterns()), ids=lambda p: _patterns()[p])
def test_a_column_check_says_what_each_value_check_says(pattern):
    column = V._column_pattern(pattern)
    if column is None:
        pytest.skip("checked on each value by msgspec")
    checks = [("v", column, False)]

    def rows(values):
        return [types.SimpleNamespace(v=v) for v in values]

    expected = {v: re.search(pattern, v) is not None for v in VALUES}
    for value in VALUES:
        assert V.check_columns(checks, rows([value])) is expected[value], repr(value)
    good = [v for v in VALUES if expected[v]]
    bad = [v for v in VALUES if not expected[v]]
    assert V.check_columns(checks, rows(good)) is True
    for value in bad:  # one wrong value anywhere in a column fails it
        for at in (0, len(good) // 2, len(good)):
            assert V.check_columns(checks, rows([*good[:at], value, *good[at:]])) is False


def test_the_decoder_refuses_what_the_full_schema_refuses():
    """A payload line with one value out of its pattern: refused with the same Thai reason as
    by the schema checked value by value, in every table's codec."""
    from sqlalchemy.dialects import sqlite

    codec = codecs(sqlite.dialect())["kpi_values"]
    line = {
        "id": UUID,
        "owner_office": "4801006",
        "revision": 1,
        "updated_at": "2025-09-30T10:00:00",
        "updated_by": "สมชาย",
        "deleted": False,
        "programme_id": UUID,
        "indicator_code": "K1",
        "period": "2025-01",
        "row_key": "",
        "value_num": "12.5",
    }
    latest = dt.datetime(2026, 1, 1)
    good = msgspec.json.encode(line) + b"\n"
    records, rows = codec.decode(good, latest)
    assert len(rows) == 1
    assert msgspec.structs.asdict(records[0]) == msgspec.structs.asdict(
        msgspec.json.decode(good.strip(), type=V.record_type("kpi_values"))
    )
    for field, wrong in (
        ("id", UUID.upper()),
        ("owner_office", "48010"),
        ("period", "2025-1"),
        ("value_num", "1.23456"),
        ("row_key", "a b"),
        ("updated_at", "2025-09-30 10:00:00"),
    ):
        bad = msgspec.json.encode({**line, field: wrong}) + b"\n"
        with pytest.raises(msgspec.ValidationError):
            msgspec.json.decode(bad.strip(), type=V.record_type("kpi_values"))
        with pytest.raises(PayloadError) as refused:
            codec.decode(good + bad, latest)
        assert refused.value.count == 1 and "2" in refused.value.problems[0], field


def test_a_column_of_ids_is_checked_as_the_pattern_checks_each_id():
    """The records' ids (all distinct) are checked by passes over the ids joined
    (``_all_uuids``), not the pattern per id; a column it cannot show valid goes to the
    pattern."""
    import uuid as uuid_module

    column = V._column_pattern(V.UUID_PATTERN)
    checks = [("id", column, False)]
    good = [str(uuid_module.UUID(int=n * 7919 + 1, version=4)) for n in range(300)]
    base = "0f8fad5b-d9cb-469f-a165-70867728950e"
    near = [
        base.upper(),
        base[:8] + "x" + base[9:],  # a dash missing, the length kept
        base[:9] + "-" + base[10:],  # a fifth dash
        base[:35] + "\u0e51",  # a Thai digit, 36 characters
        base[:35] + "\n",
        base + "0",
        base[:35],
        base[1:] + "-",
        "",
    ]

    def rows(values):
        return [types.SimpleNamespace(id=v) for v in values]

    assert V._all_uuids(good) is True
    assert V.check_columns(checks, rows(good)) is True
    for value in near:
        assert re.search(V.UUID_PATTERN, value) is None
        assert V._all_uuids([*good, value]) is False
        for at in (0, 150, 300):
            assert V.check_columns(checks, rows([*good[:at], value, *good[at:]])) is False
    # two wrong lengths that add up to the right total length
    assert V.check_columns(checks, rows([*good, good[0][:35], good[1] + "a"])) is False
