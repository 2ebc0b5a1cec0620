"""redteam16: upward packages probed with real files. A district relays its LAOs' packages to
the province inside its own; each keeps its LAO's signature. What a district can do to them,
and what the province's board then says about who has reported."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

import db.models
from db.models import FormSubmission, KpiValue, Monitoring
from exports.reports.data import load_monitoring
from lev_desktop.deadlines.engine import office_status
from lev_desktop.domain.obligation_state import State
from lev_desktop.exchange import format as fmt
from lev_desktop.exchange import importer, keys
from lev_desktop.exchange.exporter import export_package
from lev_desktop.services import consolidation
from lev_desktop.services.programmes import builtin_id

from .helpers import (
    assert_refused,
    jsonl,
    make_district,
    make_lao,
    make_province,
    members,
    read_jsonl,
    write_members,
)

P1 = builtin_id("P1")
# the district as the province has it on record (the test district's name): a refusal names an
# office known here beside its code (UI.md), never by the code alone
D4801 = "D4801 (สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอ)"


def _at(monkeypatch: pytest.MonkeyPatch, day: dt.date, hour: int = 9) -> None:
    when = dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)
    monkeypatch.setattr(db.models, "clock", lambda: when)


def _report(store, office: str, reported: dt.date | None) -> None:
    """The LAO's F2 and F3 of P1 complete, its report dated ``reported`` (drafts for None)."""
    with store.session() as s:
        for form in s.scalars(
            select(FormSubmission).where(
                FormSubmission.owner_office == office,
                FormSubmission.programme_id == P1,
                FormSubmission.form_code.in_(["F2", "F3"]),
            )
        ):
            form.status = "complete" if reported else "draft"
            form.completed_at = (
                dt.datetime(reported.year, reported.month, reported.day, 10) if reported else None
            )
        for row in s.scalars(select(Monitoring).where(Monitoring.owner_office == office)):
            row.reported_on = row.notice_posted_on = reported


def _board(store) -> dict[str, tuple[State | None, dt.date | None]]:
    board = consolidation.build_board(
        store, "P1", fiscal_year=2568, obligation="P1.LAO.REPORT", period="FY2568"
    )
    return {r.code: (r.state, r.arrived) for r in board.rows}


def _claim_complete(name: str, data: bytes) -> bytes:
    """What a district would change to make its LAO's P1 report look sent: F2/F3 complete,
    the report and notice dated in time."""
    if name == "payload/form_submissions.jsonl":
        rows = read_jsonl(data)
        for row in rows:
            if row["form_code"] in ("F2", "F3"):
                row["status"], row["completed_at"] = "complete", "2025-09-18T10:00:00"
        return jsonl(rows)
    if name == "payload/monitoring.jsonl":
        rows = read_jsonl(data)
        for row in rows:
            row["reported_on"] = row["notice_posted_on"] = "2025-09-18"
        return jsonl(rows)
    return data


def _relay_altered(path: Path, target: Path, lao: str, signer, change=_claim_complete) -> Path:
    """The district's upward file with ``lao``'s relayed package changed and signed again
    with ``signer`` (the private key the district holds), the district's manifest after it."""
    files = members(path)
    outer = json.loads(files[fmt.MANIFEST])
    for entry in outer["embedded"]:
        if entry["sender"] != lao:
            continue
        root = f"{fmt.EMBEDDED_DIR}{entry['uuid']}/"
        manifest = json.loads(files[root + fmt.MANIFEST])
        for name in manifest["files"]:
            data = change(name, files[root + name])
            files[root + name] = data
            manifest["files"][name] = {"sha256": fmt.sha256(data), "size": len(data)}
        manifest["sender_key"] = {
            "algorithm": "ed25519",
            "public_key": keys.public_b64(signer),
            "fingerprint": keys.fingerprint(signer),
        }
        data = fmt.canonical_json(manifest)
        files[root + fmt.MANIFEST], files[root + fmt.SIGNATURE] = data, keys.sign(signer, data)
        entry["manifest_sha256"] = fmt.sha256(data)
    data = fmt.canonical_json(outer)
    files[fmt.MANIFEST] = data
    files[fmt.SIGNATURE] = keys.sign(keys.load_or_create(outer["sender"]["code"]), data)
    return write_members(target, files)


@pytest.fixture
def district_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """4801006 reported in time, 4801007 did not; the district imported both packages and
    wrote its package to the province on 3 Oct 2568."""
    monkeypatch.setenv("LEV_TODAY", "2025-10-03")
    _at(monkeypatch, dt.date(2024, 10, 1))
    laos = {
        code: make_lao(tmp_path / f"{code}.db", code, seed=seed)
        for code, seed in (("4801006", 611), ("4801007", 612))
    }
    district = make_district(tmp_path / "district.db")
    province = make_province(tmp_path / "province.db")
    _at(monkeypatch, dt.date(2025, 9, 19))
    _report(laos["4801006"], "4801006", dt.date(2025, 9, 18))
    _report(laos["4801007"], "4801007", None)
    _at(monkeypatch, dt.date(2025, 9, 20))
    sent = [export_package(s, "D4801", tmp_path / f"{c}.levpkg").path for c, s in laos.items()]
    _at(monkeypatch, dt.date(2025, 9, 22))
    assert len(importer.import_files(district, sent, trust=True)[1].imported) == 2
    assert _board(district) == {
        "4801006": (State.RECEIVED, dt.date(2025, 9, 20)),
        "4801007": (State.OVERDUE, None),
    }
    _at(monkeypatch, dt.date(2025, 10, 3))
    up = export_package(district, "P48", tmp_path / "up.levpkg").path
    _at(monkeypatch, dt.date(2025, 10, 3), 13)
    yield laos, district, province, up
    for store in (*laos.values(), district, province):
        store.dispose()


def test_an_lao_package_signed_again_with_the_relaying_districts_key_is_refused(
    district_day, tmp_path
):
    """Before: the province took 4801007's altered package as "new key, vouched for by D4801"
    and its board said ได้รับแล้ว (on time) for an LAO whose own data says draft; the LAO's own
    package then came as "signed with a different key" and was refused."""
    laos, _district, province, up = district_day
    forged = _relay_altered(up, tmp_path / "forged.levpkg", "4801007", keys.load_or_create("D4801"))

    reason = assert_refused(province, forged, "key_of_another_office")

    assert reason == (
        "ไม่ได้นำเข้าแพ็กเกจ: แพ็กเกจจาก 4801007 ลงลายมือชื่อด้วยกุญแจของหน่วยงาน D4801 "
        "ไม่ใช่กุญแจของ 4801007 เอง แพ็กเกจต้องลงลายมือชื่อโดยหน่วยงานที่สร้างแพ็กเกจนั้น "
        "แพ็กเกจนี้จึงถูกแก้ไขหรือสร้างโดยหน่วยงานอื่น"
    )
    assert _board(province) == {}
    # the district's honest package still imports, and says what the LAOs' own data says
    plan, result = importer.import_files(province, [up], trust=True)
    assert result.imported, [p.reason for p in plan.packages]
    assert _board(province) == {
        "4801006": (State.RECEIVED, dt.date(2025, 9, 20)),
        "4801007": (State.OVERDUE, None),
    }
    # and the LAO's own package, sent to the province itself, is its own (not a "changed key")
    direct = export_package(laos["4801007"], "P48", tmp_path / "direct.levpkg").path
    plan, _result = importer.import_files(province, [direct], trust=True)
    assert [(p.sender, p.status) for p in plan.rows()] == [("4801007", importer.Status.OK)]


def test_a_district_whose_key_file_went_missing_is_told_before_the_province_refuses_it(
    district_day, tmp_path
):
    """The district's computer replaced (its database restored, its key file not): the export
    made a new key without a word, and the province refused the next package as a stranger's.
    The export now says so, with the new fingerprint to give to the province."""
    _laos, district, province, up = district_day
    assert importer.import_files(province, [up], trust=True)[1].imported
    keys.key_path("D4801").unlink()

    again = export_package(district, "P48", tmp_path / "again.levpkg", since_last=False)

    fingerprint = keys.office_fingerprint("D4801")[:16]
    assert again.note == (
        f"กุญแจลงลายมือชื่อแพ็กเกจของหน่วยงานนี้ ({keys.key_path('D4801')}) "
        "ไม่ใช่กุญแจที่ใช้กับแพ็กเกจก่อนหน้านี้ (ไฟล์กุญแจหายไปหรือถูกแทนที่) "
        f"แพ็กเกจนี้จึงลงลายมือชื่อด้วยกุญแจใหม่ ลายนิ้วมือ {fingerprint} "
        "หน่วยงานผู้รับจะไม่นำเข้าแพ็กเกจนี้จนกว่าจะเชื่อถือกุญแจใหม่ "
        "โปรดแจ้งลายนิ้วมือนี้แก่หน่วยงานผู้รับทางโทรศัพท์หรือหนังสือ หากยังมีกุญแจเดิม "
        "โปรดนำกลับมาที่ ตั้งค่า › สำรองข้อมูล ด้วยปุ่ม “นำเข้าไฟล์กุญแจ…” "
        "หรือ “นำกุญแจจากข้อมูลสำรองกลับมาใช้…” แล้วส่งออกอีกครั้ง"
    )
    reason = assert_refused(province, again.path, "key_changed")
    assert f"(ลายนิ้วมือ {fingerprint})" in reason
    # the next export with that key says nothing more
    third = export_package(district, "P48", tmp_path / "third.levpkg", since_last=False)
    assert third.note == ""
    assert _board(province) == {
        "4801006": (State.RECEIVED, dt.date(2025, 9, 20)),
        "4801007": (State.OVERDUE, None),
    }


def test_an_lao_key_only_vouched_for_by_a_relay_is_named_so_when_the_lao_itself_differs(
    district_day, tmp_path
):
    """What the province cannot tell: a district that forges an LAO the province has never
    heard from with a key of its own making (not its own key) is vouched for, as every new
    LAO key in a relay is, and the board believes it. The LAO's own package (its monthly
    temple report goes to the province itself) is then the first sign. It was refused with
    "if 4801007 reinstalled its program … choose “Trust again”", which would have taken
    the forgery as a reinstall; it now says where the key held came from and whom to ask."""
    laos, _district, province, up = district_day
    made_up = Ed25519PrivateKey.generate()
    forged = _relay_altered(up, tmp_path / "forged.levpkg", "4801007", made_up)
    assert importer.import_files(province, [forged], trust=True)[1].imported
    assert _board(province)["4801007"] == (State.RECEIVED, dt.date(2025, 9, 20))  # the limit

    own = export_package(laos["4801007"], "P48", tmp_path / "own.levpkg").path
    reason = assert_refused(province, own, "key_changed")

    fingerprint = keys.office_fingerprint("4801007")[:16]
    assert reason == (
        f"ไม่ได้นำเข้าแพ็กเกจ: แพ็กเกจจาก 4801007 ลงลายมือชื่อด้วยกุญแจ (ลายนิ้วมือ {fingerprint}) "
        f"ที่ต่างจากกุญแจที่เชื่อถือไว้ ซึ่งได้มากับแพ็กเกจที่ {D4801} ส่งต่อมา"
        "และยังไม่เคยยืนยันกับ 4801007 โดยตรง โปรดสอบถาม 4801007 (ทางโทรศัพท์หรือหนังสือ) "
        "ว่าได้ติดตั้งโปรแกรมใหม่หรือไม่ และลายนิ้วมือใดเป็นของ 4801007 หากไม่ได้ติดตั้งใหม่ "
        f"ข้อมูลของ 4801007 ที่ {D4801} ส่งต่อมาด้วยกุญแจเดิมไม่ได้มาจาก 4801007 "
        f"โปรดสอบถาม {D4801} แล้วจึงเลือก “เชื่อถือใหม่” สำหรับ 4801007"
    )


def test_one_level_up_the_lao_part_signed_with_its_districts_key_is_named(
    district_day, tmp_path, monkeypatch
):
    """The province's package to the Department relays the district's package and its LAOs'.
    An LAO part signed again with the district's key is refused, and named: the district's
    own part (listed after its LAOs) was the one blamed for "the key of 4801007"."""
    from db.store import Store
    from lev_desktop.services.offices import initialise

    _laos, _district, province, up = district_day
    assert importer.import_files(province, [up], trust=True)[1].imported
    _at(monkeypatch, dt.date(2025, 10, 4))
    top = export_package(province, "DLA", tmp_path / "top.levpkg").path
    nation = Store(tmp_path / "nation.db")
    initialise(nation, level="national", code="DLA", name="กรมส่งเสริมการปกครองท้องถิ่น")
    for signer, holder in (
        (keys.load_or_create("D4801"), "D4801"),
        (keys.load_or_create("P48"), "P48"),
    ):
        forged = _relay_altered(top, tmp_path / f"forged-{holder}.levpkg", "4801007", signer)

        reason = assert_refused(nation, forged, "key_of_another_office")

        assert reason.startswith(
            f"ไม่ได้นำเข้าแพ็กเกจ: แพ็กเกจจาก 4801007 ลงลายมือชื่อด้วยกุญแจของหน่วยงาน {holder} "
        )
    plan, result = importer.import_files(nation, [top], trust=True)
    assert result.imported, [p.reason for p in plan.packages]
    assert _board(nation) == {
        "4801006": (State.RECEIVED, dt.date(2025, 9, 20)),
        "4801007": (State.OVERDUE, None),
    }
    nation.dispose()


@pytest.mark.parametrize("reopened", [False, True], ids=["still-complete", "reopened"])
@pytest.mark.parametrize("direct_first", [True, False], ids=["direct-first", "relay-first"])
def test_the_order_of_a_relay_and_the_laos_own_later_package_does_not_change_the_board(
    district_day, tmp_path, monkeypatch, direct_first, reopened
):
    """4801006 reported in time (its package of 20 Sep, relayed by the district) and later
    sent the province a package of its own (2 Oct: a value saved again, or its report
    reopened). Imported direct-first, the relay's part is older and its F3, unchanged, was not
    received: the board said ส่งช้า from 2 Oct; relay-first it said ได้รับแล้ว from 20 Sep.
    A reopened report stays not received in both orders."""
    laos, _district, province, up = district_day
    lao = laos["4801006"]
    _at(monkeypatch, dt.date(2025, 10, 2))
    if reopened:
        _report(lao, "4801006", None)
    else:
        with lao.session() as session:
            value = session.scalars(select(KpiValue).order_by(KpiValue.id)).first()
            value.revision += 1
    direct = export_package(lao, "P48", tmp_path / "direct.levpkg").path
    _at(monkeypatch, dt.date(2025, 10, 3), 14)

    for path in [direct, up] if direct_first else [up, direct]:
        plan, result = importer.import_files(province, [path], trust=True)
        assert result.imported, [p.reason for p in plan.packages]

    expected = (State.OVERDUE, None) if reopened else (State.RECEIVED, dt.date(2025, 9, 20))
    assert _board(province)["4801006"] == expected
    # the F3 report's row (its หมายเหตุ) and the LAO's own obligation list say the same
    row = next(r for r in load_monitoring(province, None, 2568).rows if r.lao_code == "4801006")
    assert row.state == expected[0]
    assert row.state_text == ("เกินกำหนด" if reopened else "ได้รับแล้ว 3 ต.ค. 2568")
    status = {
        i.obligation.code: i.state
        for i in office_status(province, "4801006", 2568)
        if i.obligation.code == "P1.LAO.REPORT"
    }
    assert status == {"P1.LAO.REPORT": expected[0]}


def test_the_inbox_lists_a_package_signed_with_another_offices_key_as_the_import_refuses_it(
    district_day, tmp_path
):
    """The inbox judged only the outer package's key: the forged relay was listed "ตรวจสอบแล้ว"
    once D4801's key was trusted, or "กุญแจยังไม่ได้รับความเชื่อถือ" before, and offered for
    import; so was an LAO's package signed with the district's trusted key. Both are listed as
    the import refuses them, and not offered."""
    from lev_desktop.exchange.inbox import pending_packages

    laos, _district, province, up = district_day
    first, second = tmp_path / "inbox-1", tmp_path / "inbox-2"
    first.mkdir()
    second.mkdir()
    relayed = _relay_altered(up, first / "relayed.levpkg", "4801007", keys.load_or_create("D4801"))
    [found] = pending_packages(province, first)
    _assert_listed_as_refused(found, assert_refused(province, relayed, "key_of_another_office"))

    assert importer.import_files(province, [up], trust=True)[1].imported  # D4801 trusted
    files = members(export_package(laos["4801007"], "P48", tmp_path / "own.levpkg").path)
    manifest = json.loads(files[fmt.MANIFEST])
    district_key = keys.load_or_create("D4801")
    manifest["sender_key"] = {
        "algorithm": "ed25519",
        "public_key": keys.public_b64(district_key),
        "fingerprint": keys.fingerprint(district_key),
    }
    data = fmt.canonical_json(manifest)
    files[fmt.MANIFEST], files[fmt.SIGNATURE] = data, keys.sign(district_key, data)
    direct = write_members(second / "direct.levpkg", files)
    [found] = pending_packages(province, second)
    reason = assert_refused(province, direct, "key_of_another_office")
    _assert_listed_as_refused(found, reason)
    # D4801 is on record here now: named beside its code (UI.md), in the list and the import
    assert reason == (
        f"ไม่ได้นำเข้าแพ็กเกจ: แพ็กเกจจาก 4801007 ลงลายมือชื่อด้วยกุญแจของหน่วยงาน {D4801} "
        "ไม่ใช่กุญแจของ 4801007 เอง แพ็กเกจต้องลงลายมือชื่อโดยหน่วยงานที่สร้างแพ็กเกจนั้น "
        "แพ็กเกจนี้จึงถูกแก้ไขหรือสร้างโดยหน่วยงานอื่น"
    )


def _assert_listed_as_refused(found, reason: str) -> None:
    from lev_desktop.exchange.inbox import DAMAGED

    assert (found.check, found.importable, found.problem) == (
        DAMAGED,
        False,
        "ลงลายมือชื่อด้วยกุญแจของหน่วยงานอื่น",
    )
    assert found.detail == reason
    assert reason.startswith("ไม่ได้นำเข้าแพ็กเกจ: แพ็กเกจจาก 4801007 ลงลายมือชื่อด้วยกุญแจของหน่วยงาน D4801 ")
