"""An LAO sends its monthly temple report (P4) to the province itself and everything else to its
district, which relays those packages later (DOMAIN: "LAOs report to the province on the 1st
of every month"). At the province the relayed packages come after a newer one of the same
office. They were refused as "an old package sent again", and with them the district's whole
package, every time it sent one."""

from __future__ import annotations

from sqlalchemy import select

from db.models import KpiValue
from db.models_exchange import ReceivedPackage
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import export_package

from .helpers import (
    assert_refused,
    make_district,
    make_lao,
    make_province,
    members,
    resign,
    write_members,
)

NEW_ID = "6f1d3c1e-5b0a-4c55-9a52-0d6f2b8e4a11"


def _values(store) -> dict[str, tuple[int, object]]:
    with store.read() as session:
        return {v.id: (v.revision, v.value_num) for v in session.scalars(select(KpiValue))}


def test_a_district_package_relaying_what_came_before_a_direct_package_is_imported(tmp_path):
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=6)
    district = make_district(tmp_path / "district.db")
    province = make_province(tmp_path / "province.db")
    to_district = export_package(lao, "D4801", tmp_path / "1.levpkg").path  # sequence 1
    with lao.session() as session:  # a value saved again before the report to the province
        value = session.scalars(select(KpiValue).order_by(KpiValue.id)).first()
        value.revision += 1  # (the value itself kept: any value must pass its programme's rules)
    to_province = export_package(lao, "P48", tmp_path / "2.levpkg").path  # sequence 2
    assert not importer.import_files(district, [to_district], trust=True)[1].refused
    refused = importer.import_files(province, [to_province], trust=True)[1].refused
    assert not refused, [p.reason for p in refused]
    before = _values(province)
    upward = export_package(district, "P48", tmp_path / "up.levpkg").path

    plan, result = importer.import_files(province, [upward], trust=True)

    assert [p.reason for p in result.refused] == []
    relayed = [part for part in plan.packages[0].parts if part.sender == "4801006"]
    assert [(part.sequence, part.status, part.notes) for part in relayed] == [
        (
            1,
            importer.Status.OK,
            ["สร้างก่อนแพ็กเกจลำดับที่ 2 ของ 4801006 ที่นำเข้าไว้แล้ว ข้อมูลฉบับที่ใหม่กว่ายังคงอยู่"],
        )
    ]
    assert _values(province) == before  # the value's revision 2 stays
    with province.read() as session:
        received = session.execute(select(ReceivedPackage.sender, ReceivedPackage.sequence))
        assert sorted(received) == [("4801006", 1), ("4801006", 2), ("D4801", 1)]
    # the office's numbers go on from 2, not from 1: a package of its own numbered 1 that comes
    # straight here is still refused as an old one
    again = tmp_path / "again.levpkg"
    renamed = resign(
        members(to_district),
        "4801006",
        mutate_manifest=lambda m: m.update(package_uuid=NEW_ID, recipient="P48"),
    )
    write_members(again, renamed)
    assert "ลำดับที่ 1 แต่ได้นำเข้าลำดับที่ 2" in assert_refused(province, again, "replay")
