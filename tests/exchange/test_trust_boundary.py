"""Issue 10: content that used to be stored as sent is refused with a Thai reason and the
database unchanged (numbers, dates, times, attachment names, office identity, codes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lev_desktop.domain.validation import field_label
from lev_desktop.exchange import format as fmt
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import export_package
from lev_desktop.exchange.importer import Status

from .helpers import (
    THAI,
    assert_refused,
    jsonl,
    make_district,
    make_lao,
    members,
    read_jsonl,
    resign,
    snapshot,
    write_members,
)


def _changed(lao, tmp_path, table, change, *, manifest=None, name="bad") -> Path:
    files = members(export_package(lao, "D4801", tmp_path / f"{name}-src.levpkg").path)
    member = f"payload/{table}.jsonl"
    records = read_jsonl(files[member])
    change(records)
    files = resign(files, "4801006", payloads={member: jsonl(records)}, mutate_manifest=manifest)
    return write_members(tmp_path / f"{name}.levpkg", files)


def _first(key, value):
    def change(records):
        records[0][key] = value

    return change


@pytest.mark.parametrize(
    ("table", "key", "value"),
    [
        ("plan_items", "budget", "1e308"),
        ("plan_items", "budget", "123456789012345678"),
        ("activities", "participants", 10**30),
        ("activities", "held_on", "0001-01-01"),
        ("activities", "held_on", "9999-12-31"),
        ("activities", "held_on", "2568-05-15"),  # a BE year written as CE
        ("plans", "fiscal_year", -1),
        ("plans", "revision", 2**63),
        ("plans", "updated_at", "2999-01-01T00:00:00"),  # wins every later conflict
        ("plans", "note", "x" * 100_001),
        ("activities", "attachments", ["\\\\host\\share\\x.exe"]),
        ("activities", "attachments", ["C:\\Windows\\system32\\calc.exe"]),
        ("activities", "attachments", ["../../x.exe"]),
        ("activities", "attachments", ["/etc/passwd"]),
    ],
    ids=lambda v: str(v)[:24],
)
def test_absurd_or_harmful_values_are_refused(offices, tmp_path, table, key, value):
    lao, district = offices
    reason = assert_refused(
        district, _changed(lao, tmp_path, table, _first(key, value)), "validation"
    )
    assert field_label(key) in reason  # the field as the officer reads it, in Thai


def test_updated_at_within_the_clock_tolerance_is_accepted(offices, tmp_path):
    import datetime as dt

    lao, district = offices
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=20)).replace(tzinfo=None, microsecond=0)
    path = _changed(lao, tmp_path, "plans", _first("updated_at", soon.isoformat()))
    _plan, result = importer.import_files(district, [path], trust=True)
    assert len(result.imported) == 1


@pytest.mark.parametrize(
    ("change", "code", "word"),
    [
        ({"level": "province", "lao_type": None}, None, "4801006"),
        ({"lao_type": "city_municipality"}, "office_identity", "ประเภท"),
        ({"parent_code": "P48"}, "office_identity", "P48"),
    ],
)
def test_lao_may_not_rewrite_its_own_identity(offices, tmp_path, change, code, word):
    lao, district = offices
    importer.import_files(
        district, [export_package(lao, "D4801", tmp_path / "a.levpkg").path], trust=True
    )

    def promote(records):
        records[0].update(change, revision=records[0]["revision"] + 5)

    def claim(manifest):
        manifest["sender"].update(change)

    path = _changed(lao, tmp_path, "offices", promote, manifest=claim, name="promote")
    reason = assert_refused(district, path, code)
    assert word in reason


def test_lao_may_not_create_another_office(offices, tmp_path):
    lao, district = offices

    def add(records):
        other = dict(records[0], id="0b6c0f7e-2c55-4b8a-9d0e-6a3b1f6f2a91", code="4801099")
        other["name"] = "อบต.ปลอม"
        records.append(other)

    assert_refused(district, _changed(lao, tmp_path, "offices", add, name="add"), "office_identity")


@pytest.mark.parametrize(
    ("code", "level", "district"),
    [("D4801", "district", "4801"), ("P48", "province", None)],
)
def test_lao_may_not_describe_the_district_receiving_it_nor_its_province(
    offices, tmp_path, code, level, district
):
    """A record of the receiving district itself was dropped without a word (counted as
    unchanged) while one of its province was refused: an LAO cannot redefine the offices
    above it, so both refuse the package, naming the office, and nothing is written."""
    lao, district_store = offices

    def add(records):
        above = dict(records[0], id="0b6c0f7e-2c55-4b8a-9d0e-6a3b1f6f2a92", code=code)
        above.update(
            name="สำนักงานปลอม", level=level, lao_type=None, district_code=district, parent_code=None
        )
        records.append(above)

    path = _changed(lao, tmp_path, "offices", add, name="above")
    reason = assert_refused(district_store, path, "office_identity")
    assert reason == (
        f"แพ็กเกจจาก 4801006 สร้างหรือแก้ไขข้อมูลหน่วยงาน {code} ซึ่ง 4801006 ไม่มีสิทธิ์ระบุ "
        "(อปท. ส่งได้เฉพาะข้อมูลหน่วยงานของตนเอง อำเภอส่งได้เฉพาะ อปท. ในอำเภอ) จึงไม่ได้นำเข้า"
    )


@pytest.mark.parametrize("code", ["4801\u200b006", "๔๘๐๑๐๐๖", "４８０１００６", "4802006"])
def test_look_alike_or_contradicting_sender_code_is_refused_even_on_first_trust(
    offices, tmp_path, code
):
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "p.levpkg").path)

    def claim(manifest):
        manifest["sender"]["code"] = code

    def rename(records):
        for record in records:
            record["owner_office"] = code
            if "code" in record and record.get("level") == "lao":
                record["code"] = code

    payloads = {}
    for name, data in files.items():
        if name.startswith(fmt.PAYLOAD_DIR):
            records = read_jsonl(data)
            rename(records)
            payloads[name] = jsonl(records)
    files = resign(files, "4801006", payloads=payloads, mutate_manifest=claim)
    path = write_members(tmp_path / "lookalike.levpkg", files)
    assert_refused(district, path, "office_identity")


def test_trust_prompt_carries_the_senders_claims(offices, tmp_path):
    lao, district = offices
    plan = importer.preview(district, [export_package(lao, "D4801", tmp_path / "p.levpkg").path])
    part = plan.needs_trust[0]
    assert part.claims["code"] == "4801006"
    assert part.claims["district_code"] == "4801"
    assert part.claims["name"] == "อบต.ทดสอบ 4801006"
    assert json.dumps(part.claims, ensure_ascii=False)


# ---- the preview predicts the commit ------------------------------------------------------------


def _reentered_plan(lao, tmp_path, name="reentered"):
    """The same plan (office, programme, year) under a new record id, as after a reinstall."""
    import uuid

    def new_ids(records):
        for record in records:
            record["id"] = str(uuid.uuid4())

    files = members(export_package(lao, "D4801", tmp_path / f"{name}-src.levpkg").path)
    plans = read_jsonl(files["payload/plans.jsonl"])
    new_ids(plans)
    payloads = {"payload/plans.jsonl": jsonl(plans)}
    for table in ("plan_items", "activities"):
        payloads[f"payload/{table}.jsonl"] = b""
    files = resign(files, "4801006", payloads=payloads)
    return write_members(tmp_path / f"{name}.levpkg", files)


def test_same_natural_key_under_another_id_is_reported_by_the_dry_run(offices, tmp_path):
    lao, district = offices
    importer.import_files(
        district, [export_package(lao, "D4801", tmp_path / "a.levpkg").path], trust=True
    )
    path = _reentered_plan(lao, tmp_path)
    plan = importer.preview(district, [path])
    package = plan.packages[0]
    # The office's own plan entered again: not refused, but a replacement the officer confirms
    # (tests/continuity/test_reentered.py follows it to the province).
    assert package.status == Status.OK, package.reason
    part = package.parts[0]
    assert part.sender == "4801006" and part.replacements and not part.clashes
    clash = part.replacements[0]
    assert clash.table == "plans" and clash.in_database and clash.owner == "4801006"
    assert clash.incoming_id != clash.existing_id
    assert plan.needs_confirm == [part] and any(ord(c) in THAI for c in part.remark)
    # the commit agrees with the preview: unconfirmed, nothing written
    before = snapshot(district)
    result = importer.commit(district, plan, trust=True)
    assert not result.imported and snapshot(district) == before
    assert result.refused[0].code == "needs_confirm" and "4801006" in result.refused[0].reason


def test_same_natural_key_twice_in_one_import(tmp_path):
    district = make_district(tmp_path / "district.db")
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=6)
    first = export_package(lao, "D4801", tmp_path / "a.levpkg").path
    again = _reentered_plan(lao, tmp_path)
    plan = importer.preview(district, [first, again])
    codes = sorted(p.code for p in plan.packages)
    assert "natural_key" in codes, [p.reason for p in plan.packages]
    clash = next(c for p in plan.packages for part in p.parts for c in part.clashes)
    assert not clash.in_database


def test_a_row_whose_parent_is_nowhere_is_refused_in_the_preview(offices, tmp_path):
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "p.levpkg").path)
    files = resign(files, "4801006", payloads={"payload/plans.jsonl": b""})
    plan = importer.preview(district, [write_members(tmp_path / "orphans.levpkg", files)])
    assert plan.packages[0].code == "missing_parent", plan.packages[0].reason
