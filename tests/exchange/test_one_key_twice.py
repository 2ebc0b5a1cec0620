"""redteam14: one natural key twice in one payload (a plan of one office, programme and year
under two ids) was refused as being "in another package of this import" after a reinstall,
with one package imported alone. It is refused for what it is."""

from __future__ import annotations

import uuid

from lev_desktop.exchange.exporter import export_package

from .helpers import assert_refused, jsonl, members, read_jsonl, resign, write_members


def test_a_plan_twice_in_one_package_is_refused_as_such(offices, tmp_path):
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "p.levpkg").path)
    plans = read_jsonl(files["payload/plans.jsonl"])
    twin = {**plans[0], "id": str(uuid.UUID(int=7))}
    files = resign(files, "4801006", payloads={"payload/plans.jsonl": jsonl([*plans, twin])})
    reason = assert_refused(
        district, write_members(tmp_path / "twice.levpkg", files), "natural_key"
    )
    assert reason == (
        f"แผนปฏิบัติงานของหน่วยงาน 4801006 (P1, 2568) อยู่ในแพ็กเกจนี้สองครั้ง "
        f"ด้วยรหัสรายการสองรหัส ({plans[0]['id'][:8]}, 00000000) ซึ่งแพ็กเกจที่ LEV Desktop "
        "สร้างจะไม่มีลักษณะนี้ (ไฟล์ถูกแก้ไขหรือเสียหาย) จึงไม่ได้นำเข้า"
    )
