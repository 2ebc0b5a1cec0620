"""Every refusal rule: the package is refused with a Thai reason and the database is unchanged,
row for row."""

from __future__ import annotations

import json

import pytest

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


def _has_thai(text: str) -> bool:
    return any(ord(ch) in THAI for ch in text)


def test_accepted_package_is_imported_and_idempotent(offices, tmp_path):
    lao, district = offices
    path = export_package(lao, "D4801", tmp_path / "p.levpkg").path
    plan, result = importer.import_files(district, [path], trust=True)
    assert len(result.imported) == 1 and plan.packages[0].counts()["new"] > 50
    before = snapshot(district)
    plan2, result2 = importer.import_files(district, [path], trust=True)
    assert plan2.packages[0].status == Status.DUPLICATE
    assert result2.counts()["new"] == 0
    assert snapshot(district) == before


def test_bad_signature(offices, tmp_path):
    lao, district = offices
    path = export_package(lao, "D4801", tmp_path / "p.levpkg").path
    files = members(path)
    manifest = json.loads(files[fmt.MANIFEST])
    manifest["recipient"] = "D4801 "  # changed after signing
    files[fmt.MANIFEST] = fmt.canonical_json(manifest)
    assert_refused(district, write_members(tmp_path / "bad.levpkg", files), "bad_signature")


def test_signature_by_another_key_claiming_the_office(offices, tmp_path):
    lao, district = offices
    path = export_package(lao, "D4801", tmp_path / "p.levpkg").path
    files = members(path)
    files[fmt.SIGNATURE] = bytes(64)
    assert_refused(district, write_members(tmp_path / "bad.levpkg", files), "bad_signature")


def test_missing_signature(offices, tmp_path):
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "p.levpkg").path)
    del files[fmt.SIGNATURE]
    assert_refused(district, write_members(tmp_path / "nosig.levpkg", files), "no_signature")


def _change_a_value(files: dict[str, bytes]) -> None:
    """One indicator value of a package's files changed after signing (its manifest and
    signature left as they were)."""
    name = "payload/kpi_values.jsonl"
    records = read_jsonl(files[name])
    records[0]["value_num"] = "999999"
    files[name] = jsonl(records)


def test_hash_mismatch(offices, tmp_path):
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "p.levpkg").path)
    _change_a_value(files)
    assert_refused(district, write_members(tmp_path / "hash.levpkg", files), "hash_mismatch")


def test_unknown_format_version(offices, tmp_path):
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "p.levpkg").path)
    files = resign(files, "4801006", mutate_manifest=lambda m: m.update(format_version=99))
    assert_refused(district, write_members(tmp_path / "v99.levpkg", files), "unknown_version")


def test_replay_of_an_older_sequence(offices, tmp_path):
    lao, district = offices
    first = export_package(lao, "D4801", tmp_path / "p1.levpkg").path
    second = export_package(lao, "D4801", tmp_path / "p2.levpkg").path
    importer.import_files(district, [second], trust=True)
    # never imported here, so not "sent again": made before the one imported, and what to do
    # when that is because the office restored a backup (the button's own words)
    assert assert_refused(district, first, "replay") == (
        "ไม่ได้นำเข้าแพ็กเกจ: แพ็กเกจจาก 4801006 เป็นลำดับที่ 1 แต่ได้นำเข้าลำดับที่ 2 ของหน่วยงานนี้แล้ว "
        "แพ็กเกจนี้สร้างก่อนฉบับนั้นจึงไม่ได้นำเข้า หาก 4801006 "
        "นำข้อมูลสำรองกลับมาใช้และแพ็กเกจใหม่ของหน่วยงานนั้นถูกปฏิเสธเช่นนี้ โปรดสอบถาม 4801006 "
        "แล้วกดปุ่ม “เริ่มนับเลขลำดับใหม่…” ที่ แลกเปลี่ยนข้อมูล › คีย์ที่เชื่อถือ"
    )


def test_sender_outside_jurisdiction(tmp_path):
    other = make_lao(tmp_path / "other.db", "4802001", district="4802", parent="D4802", seed=3)
    district = make_district(tmp_path / "district.db")
    path = export_package(other, "D4801", tmp_path / "p.levpkg", check_route=False).path
    assert_refused(district, path, "jurisdiction")


def test_package_for_another_office(offices, tmp_path):
    lao, district = offices
    path = export_package(lao, "D4899", tmp_path / "p.levpkg", check_route=False).path
    assert_refused(district, path, "wrong_recipient")


def test_delta_whose_base_was_never_imported(offices, tmp_path):
    lao, district = offices
    export_package(lao, "D4801", tmp_path / "full.levpkg")  # never imported
    delta = export_package(lao, "D4801", tmp_path / "delta.levpkg", since_last=True)
    assert delta.kind == "delta"
    assert_refused(district, delta.path, "missing_base")


@pytest.mark.parametrize(
    "name", ["../evil.txt", "/etc/evil.txt", "payload/../../evil", "C:/evil.txt", "embedded\\..\\x"]
)
def test_unsafe_paths(offices, tmp_path, name):
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "p.levpkg").path)
    files[name] = b"x"
    assert_refused(district, write_members(tmp_path / "path.levpkg", files), "unsafe_path")


def test_unsafe_path_listed_in_signed_manifest(offices, tmp_path):
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "p.levpkg").path)
    files = resign(files, "4801006", payloads={"payload/../x.jsonl": b"{}\n"})
    assert_refused(district, write_members(tmp_path / "path2.levpkg", files), "unsafe_path")


def test_zip_bomb_ratio(offices, tmp_path):
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "p.levpkg").path)
    files["payload/zeros.jsonl"] = b"\0" * (30 * 1024 * 1024)
    assert_refused(district, write_members(tmp_path / "bomb.levpkg", files), "zip_bomb")


def test_zip_bomb_total_size(offices, tmp_path):
    lao, district = offices
    path = export_package(lao, "D4801", tmp_path / "p.levpkg").path
    before = snapshot(district)
    plan = importer.preview(district, [path], limits=fmt.Limits(max_total_uncompressed=2000))
    assert plan.packages[0].status == Status.REFUSED and plan.packages[0].code == "zip_bomb"
    assert snapshot(district) == before


def test_truncated_file(offices, tmp_path):
    lao, district = offices
    data = export_package(lao, "D4801", tmp_path / "p.levpkg").path.read_bytes()
    cut = tmp_path / "cut.levpkg"
    cut.write_bytes(data[: len(data) // 2])
    assert_refused(district, cut, "truncated")


def test_not_a_zip(offices, tmp_path):
    _lao, district = offices
    junk = tmp_path / "junk.levpkg"
    junk.write_bytes(b"hello, this is not a package")
    assert_refused(district, junk, "truncated")


def _bad_payload(lao, district, tmp_path, table, change):
    files = members(export_package(lao, "D4801", tmp_path / "p.levpkg").path)
    name = f"payload/{table}.jsonl"
    records = read_jsonl(files[name])
    change(records)
    files = resign(files, "4801006", payloads={name: jsonl(records)})
    return write_members(tmp_path / f"bad-{table}.levpkg", files)


def test_validation_percent_out_of_range(offices, tmp_path):
    lao, district = offices

    def change(records):
        for r in records:
            if r["indicator_code"] == "collection_coverage":
                r["value_num"] = "150"

    reason = assert_refused(
        district, _bad_payload(lao, district, tmp_path, "kpi_values", change), "validation"
    )
    assert "100" in reason


def test_validation_activity_dates(offices, tmp_path):
    lao, district = offices

    def change(records):
        records[0]["held_until"] = "2000-01-01"

    assert_refused(
        district, _bad_payload(lao, district, tmp_path, "activities", change), "validation"
    )


def test_validation_negative_budget(offices, tmp_path):
    lao, district = offices

    def change(records):
        records[0]["budget"] = "-5"
        records[0]["no_budget"] = False

    assert_refused(
        district, _bad_payload(lao, district, tmp_path, "plan_items", change), "validation"
    )


def test_malformed_record(offices, tmp_path):
    lao, district = offices

    def change(records):
        records[0]["revision"] = "lots"

    assert_refused(district, _bad_payload(lao, district, tmp_path, "plans", change), "validation")


def test_record_owned_by_another_office(offices, tmp_path):
    lao, district = offices

    def change(records):
        records[0]["owner_office"] = "4801007"

    assert_refused(district, _bad_payload(lao, district, tmp_path, "plans", change), "validation")


def test_changing_a_record_of_another_office(offices, tmp_path):
    """A sender reusing the id of a record another office owns is refused."""
    lao, district = offices
    other = make_lao(tmp_path / "other.db", "4801007", seed=7)
    first = export_package(other, "D4801", tmp_path / "o.levpkg").path
    importer.import_files(district, [first], trust=True)
    foreign = read_jsonl(members(first)["payload/plans.jsonl"])[0]

    def change(records):
        taken = dict(foreign, owner_office="4801006", revision=99, note="ยึด")
        records.append(taken)

    path = _bad_payload(lao, district, tmp_path, "plans", change)
    assert_refused(district, path, "ownership")


def test_key_changed_after_trust(offices, tmp_path, monkeypatch):
    lao, district = offices
    importer.import_files(
        district, [export_package(lao, "D4801", tmp_path / "a.levpkg").path], trust=True
    )
    # The LAO reinstalls: a new key pair.
    from lev_desktop.exchange import keys

    keys.key_path("4801006").unlink()
    path = export_package(lao, "D4801", tmp_path / "b.levpkg").path
    assert_refused(district, path, "key_changed")
    # Deliberate re-trust: forget the old key, then the package imports.
    assert importer.forget_key(district, "4801006")
    _plan, result = importer.import_files(district, [path], trust=True)
    assert len(result.imported) == 1


def test_untrusted_first_package_without_trust(offices, tmp_path):
    lao, district = offices
    path = export_package(lao, "D4801", tmp_path / "p.levpkg").path
    before = snapshot(district)
    plan, _result = importer.import_files(district, [path], trust=False)
    assert plan.packages[0].status == Status.REFUSED and plan.packages[0].code == "untrusted"
    assert snapshot(district) == before


def test_refusals_are_logged_outside_the_database(offices, tmp_path):
    lao, district = offices
    cut = tmp_path / "cut.levpkg"
    cut.write_bytes(export_package(lao, "D4801", tmp_path / "p.levpkg").path.read_bytes()[:100])
    importer.import_files(district, [cut], trust=True)
    log = importer.refused_history()
    assert log and log[-1]["code"] == "truncated"


def test_delta_after_a_base_refused_for_trust_is_refused_too(offices, tmp_path):
    lao, district = offices
    full = export_package(lao, "D4801", tmp_path / "full.levpkg").path
    delta = export_package(lao, "D4801", tmp_path / "delta.levpkg", since_last=True).path
    before = snapshot(district)
    plan = importer.preview(district, [delta, full])
    result = importer.commit(district, plan, trust=False)
    assert not result.imported and len(result.refused) == 2
    assert snapshot(district) == before
    _plan, result = importer.import_files(district, [full, delta], trust=True)
    assert len(result.imported) == 2


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ("kpi_values", "period"),  # "2025-09\n" counted as a thirteenth month reported
        ("kpi_values", "indicator_code"),
        ("plans", "owner_office"),
        ("activities", "held_on"),
    ],
)
def test_a_value_with_a_final_newline_is_refused(offices, tmp_path, table, field):
    """The schema's patterns end in ``$``, which Python's ``re.search`` (msgspec's check)
    also matches before a final newline: a signed package whose KPI period read "FY2568\\n"
    or whose owner read "4801006\\n" was accepted, stored as it came, and counted apart from
    the real period (another month reported) or the real office."""
    lao, district = offices

    def change(records):
        for record in records:
            if isinstance(record.get(field), str):
                record[field] += "\n"
                return
        raise AssertionError(f"no {table}.{field} to change")

    assert_refused(district, _bad_payload(lao, district, tmp_path, table, change), "validation")


def test_a_changed_copy_of_an_imported_package_is_refused_not_called_imported(offices, tmp_path):
    """A copy of an imported package whose data was changed after signing (its manifest and
    signature intact) was reported "already imported; nothing was changed", which hid that
    this file's records are not the ones imported."""
    lao, district = offices
    path = export_package(lao, "D4801", tmp_path / "p.levpkg").path
    importer.import_files(district, [path], trust=True)
    files = members(path)
    _change_a_value(files)
    reason = assert_refused(
        district, write_members(tmp_path / "copy.levpkg", files), "hash_mismatch"
    )
    assert "payload/kpi_values.jsonl" in reason
    plan = importer.preview(district, [path])  # the untouched file: still a duplicate
    assert plan.packages[0].status == Status.DUPLICATE


def test_a_refused_package_shows_nothing_it_would_have_brought(offices, tmp_path):
    """The counts of a refused package were those compared before the refusal ("ใหม่ 16" beside
    "ปฏิเสธ" when kpi_values, the sixth payload, failed its checksum)."""
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "p.levpkg").path)
    _change_a_value(files)
    plan = importer.preview(district, [write_members(tmp_path / "hash.levpkg", files)])
    package = plan.packages[0]
    assert package.status == Status.REFUSED
    assert {k: v for k, v in package.counts().items() if k != "refused"} == {
        "new": 0,
        "updated": 0,
        "unchanged": 0,
        "conflicts": 0,
    }
