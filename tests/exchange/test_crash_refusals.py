"""Issue 10: inputs that crashed with a Python traceback are now Thai refusals, written to the
refusal log, with the database unchanged."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from lev_desktop.exchange import format as fmt
from lev_desktop.exchange import importer
from lev_desktop.exchange.excel import write_template
from lev_desktop.exchange.exporter import export_package
from lev_desktop.services.offices import add_lao

from .helpers import (
    assert_refused,
    make_district,
    members,
    resign,
    write_members,
)


def _flip_until_inflate_fails(data: bytes, member: str) -> bytes:
    """A bit flipped inside one entry's compressed stream so that zlib itself fails (not just
    the CRC check): the damage a USB stick or an e-mail gateway does."""
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
        info = archive.getinfo(member)
    header = data[info.header_offset : info.header_offset + 30]
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = info.header_offset + 30 + name_len + extra_len
    stream = data[start : start + info.compress_size]
    for position in range(len(stream)):
        for bit in range(8):
            damaged = bytearray(stream)
            damaged[position] ^= 1 << bit
            try:
                zlib.decompressobj(-15).decompress(bytes(damaged))
            except zlib.error:
                return data[:start] + bytes(damaged) + data[start + len(stream) :]
    raise AssertionError("no single bit makes inflate fail")


def test_damaged_compressed_stream(offices, tmp_path):
    lao, district = offices
    data = export_package(lao, "D4801", tmp_path / "p.levpkg").path.read_bytes()
    bad = tmp_path / "bitflip.levpkg"
    bad.write_bytes(_flip_until_inflate_fails(data, "payload/kpi_values.jsonl"))
    assert_refused(district, bad, "truncated")


def test_json_nested_thousands_deep_in_the_manifest(offices, tmp_path):
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "p.levpkg").path)
    files[fmt.MANIFEST] = (
        files[fmt.MANIFEST][:-1] + b',"x":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    )
    assert_refused(district, write_members(tmp_path / "deep.levpkg", files))


def test_json_nested_thousands_deep_in_a_payload(offices, tmp_path):
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "p.levpkg").path)
    deep = b'{"id":' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"
    files = resign(files, "4801006", payloads={"payload/plans.jsonl": deep})
    assert_refused(district, write_members(tmp_path / "deep2.levpkg", files), "validation")


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m.update(sequence=2**64),
        lambda m: m.update(sequence=2**63 - 1),
        lambda m: m["counts"].update(plans=2**70),
        lambda m: m.update(created_at="9999-12-31T23:59:59Z"),
        lambda m: m["embedded"].append({"uuid": 1}),
    ],
    ids=["sequence-2^64", "sequence-2^63-1", "count-2^70", "created-9999", "embedded-junk"],
)
def test_absurd_manifest_numbers(offices, tmp_path, change):
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "p.levpkg").path)
    files = resign(files, "4801006", mutate_manifest=change)
    assert_refused(district, write_members(tmp_path / "big.levpkg", files), "bad_format")


def test_an_unexpected_error_while_reading_is_a_refusal(offices, tmp_path, monkeypatch):
    """Whatever goes wrong inside the reader (here: a bug simulated in the decoder), the officer
    gets a Thai refusal and the database is unchanged: never a traceback."""
    lao, district = offices
    path = export_package(lao, "D4801", tmp_path / "p.levpkg").path

    def broken(*_args, **_kwargs):
        raise IndexError("simulated")

    monkeypatch.setattr(importer, "_classify", broken)
    assert_refused(district, path, "unreadable_content")


# ---- Excel fallback ------------------------------------------------------------------------------


def _form(tmp_path: Path):
    district = make_district(tmp_path / "d.db")
    add_lao(district, code="4801012", name="อบต.คำเตย", lao_type="sao", district_code="4801")
    form = write_template(district, "4801012", "P2", tmp_path / "form.xlsx", period="FY2567")
    return district, form


def _edit(path: Path, sheet: str, cell: str, value) -> Path:
    from openpyxl import load_workbook

    book = load_workbook(path)
    book[sheet][cell] = value
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("cell", "value"),
    [("B7", None), ("B7", "สิบ"), ("B7", 0), ("B2", None), ("B3", "not-a-uuid"), ("B5", 2568)],
    ids=["row-missing", "row-text", "row-zero", "office-missing", "programme-junk", "period"],
)
def test_excel_damaged_hidden_sheet(tmp_path, cell, value):
    district, form = _form(tmp_path)
    assert_refused(district, _edit(form, "_lev", cell, value), "bad_format")


def test_excel_formula_is_refused_with_sheet_and_cell(tmp_path):
    district, form = _form(tmp_path)
    _edit(form, "ข้อมูล", "D6", "=1+1")
    reason = assert_refused(district, form, "formula")
    assert "ข้อมูล" in reason and "D6" in reason


def test_excel_value_beyond_column_precision(tmp_path):
    district, form = _form(tmp_path)
    _edit(form, "ข้อมูล", "D6", 10**20)
    assert_refused(district, form, "validation")


def test_refusal_log_line_is_json(offices, tmp_path):
    _lao, district = offices
    junk = tmp_path / "junk.levpkg"
    junk.write_bytes(b"PK\x03\x04" + b"\xff" * 100)
    assert_refused(district, junk)
    line = importer.refusal_log_path().read_text(encoding="utf-8").splitlines()[-1]
    assert json.loads(line)["code"]
