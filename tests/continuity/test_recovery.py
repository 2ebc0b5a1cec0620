"""Recovery after a lost computer, end to end: LAO → district → province before the loss, then
the reinstalled LAO sends again and the province's totals are what they were.

a) from the office's own backup and key: the same identity and sequence, nothing to confirm;
b) from the district's recovery package: the records come back as the office's own history;
   without the key file the office has a new key, which the district confirms in one guided
   step ("this office reinstalled") and the province from the district's letter.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from exchange.helpers import make_district, make_lao, make_province
from sqlalchemy import select

from db.models import Activity
from db.store import Store
from lev_desktop.continuity import backups, keysafe
from lev_desktop.continuity.restore import restore_backup
from lev_desktop.exchange import importer, keys, recovery, reinstall
from lev_desktop.exchange.exporter import export_package
from lev_desktop.exchange.importer import Status
from lev_desktop.exchange.records import MODELS

LAO = "4801001"
PASSWORD = "รหัสผ่านยาวพอ 2568"


@contextmanager
def computer(folder: Path) -> Iterator[None]:
    """Acts on another computer: its own data folder (and so its own keys)."""
    old = os.environ["LEV_DATA_DIR"]
    os.environ["LEV_DATA_DIR"] = str(folder)
    try:
        yield
    finally:
        os.environ["LEV_DATA_DIR"] = old


def records_of(store: Store, owners: list[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    with store.engine.connect() as conn:
        for model in MODELS:
            table = model.__table__
            if table.name == "offices":
                continue
            rows = conn.execute(
                select(table).where(table.c.owner_office.in_(owners)).order_by(table.c.id)
            )
            out[table.name] = [dict(r._mapping) for r in rows]
    return out


def totals(store: Store) -> dict[str, Any]:
    """What the province reports for the LAO: counts and sums of its live records."""
    rows = records_of(store, [LAO])
    live = {t: [r for r in rs if not r["deleted"]] for t, rs in rows.items()}
    return {
        "plan_items": len(live["plan_items"]),
        "budget": sum(r["budget"] or 0 for r in live["plan_items"]),
        "activities": len(live["activities"]),
        "participants": sum(r["participants"] or 0 for r in live["activities"]),
        "kpi_values": len(live["kpi_values"]),
        "kpi_sum": sum(r["value_num"] or 0 for r in live["kpi_values"]),
        "forms": len(live["form_submissions"]),
    }


@pytest.fixture
def before_the_loss(tmp_path: Path, clock):
    """The LAO sent a full package and a change; the district forwarded both to the province."""
    (tmp_path / "old").mkdir()
    lao = make_lao(tmp_path / "old" / "lao.db", LAO, seed=4)
    district = make_district(tmp_path / "district.db")
    province = make_province(tmp_path / "province.db")
    clock.advance(seconds=2)
    first = export_package(lao, "D4801", tmp_path / "lao-1.levpkg")
    importer.import_files(district, [first.path], trust=True)
    up1 = export_package(district, "P48", tmp_path / "up-1.levpkg", since_last=True)
    importer.import_files(province, [up1.path], trust=True)
    clock.advance(seconds=2)
    with lao.session() as session:
        activity = session.scalars(select(Activity).order_by(Activity.id).limit(1)).first()
        activity.participants = (activity.participants or 0) + 250
    second = export_package(lao, "D4801", tmp_path / "lao-2.levpkg", since_last=True)
    _plan, result = importer.import_files(district, [second.path])
    assert result.counts()["updated"] == 1
    up2 = export_package(district, "P48", tmp_path / "up-2.levpkg", since_last=True)
    _plan, result = importer.import_files(province, [up2.path])
    assert result.counts()["updated"] == 1
    state = {
        "lao": lao,
        "district": district,
        "province": province,
        "records": records_of(lao, [LAO]),
        "totals": totals(province),
        "fingerprint": keys.office_fingerprint(LAO),
        "sequence": second.sequence,
    }
    assert totals(district) == state["totals"] and state["totals"]["activities"] >= 3
    yield state
    for store in (lao, district, province):
        store.dispose()


def _forward(state: dict, package: Path, tmp_path: Path, name: str, clock) -> Any:
    """District imports the LAO's package and forwards the changes to the province."""
    district, province = state["district"], state["province"]
    plan, result = importer.import_files(district, [package])
    assert len(result.imported) == 1, plan.packages[0].reason
    clock.advance(seconds=2)
    up = export_package(district, "P48", tmp_path / f"{name}.levpkg", since_last=True)
    return importer.import_files(province, [up.path])


def test_a_from_the_offices_own_backup_and_key(before_the_loss, tmp_path, clock):
    state = before_the_loss
    lao = state["lao"]
    keysafe.export_key(lao, tmp_path / "usb" / "key", PASSWORD)
    usb = tmp_path / "usb"
    backup = backups.make_backup(lao, to=usb).second_path
    lao.dispose()

    # The laptop is gone. A reinstalled computer: a new data folder, no key, no database.
    new_computer = tmp_path / "new-computer"
    with computer(new_computer):
        new_db = tmp_path / "new" / "lev.db"
        new_db.parent.mkdir()
        restore_backup(new_db, backup)
        restored = Store(new_db)
        assert keysafe.key_state(restored).restorable
        keysafe.import_key_file(restored, usb / "key.levkey", PASSWORD)
        assert keys.office_fingerprint(LAO) == state["fingerprint"]
        assert records_of(restored, [LAO]) == state["records"]
        clock.advance(seconds=2)
        package = export_package(restored, "D4801", tmp_path / "after.levpkg", since_last=True)
    assert package.sequence > state["sequence"]  # the same sequence, continued
    plan, result = _forward(state, package.path, tmp_path, "up-after", clock)
    assert len(result.imported) == 1, plan.packages[0].reason
    assert totals(state["province"]) == state["totals"]  # nothing lost, nothing doubled
    # The office goes on working: its next change reaches the province.
    with computer(new_computer):
        with restored.session() as session:
            activity = session.scalars(select(Activity).order_by(Activity.id).limit(1)).first()
            activity.participants += 1
        clock.advance(seconds=2)
        change = export_package(restored, "D4801", tmp_path / "change.levpkg", since_last=True)
    _forward(state, change.path, tmp_path, "up-change", clock)
    assert totals(state["province"])["participants"] == state["totals"]["participants"] + 1
    restored.dispose()


def test_b_from_the_districts_recovery_package(before_the_loss, tmp_path, clock):
    state = before_the_loss
    district, province = state["district"], state["province"]
    state["lao"].dispose()
    made = recovery.export_recovery(district, LAO, tmp_path / "หนองแสง")
    district_fingerprint = keys.office_fingerprint("D4801")
    assert made.path.name == "หนองแสง.levrecovery"
    assert made.packages == 2 and made.last_sequence == state["sequence"]

    # The reinstalled computer: no backup, no key file.
    with computer(tmp_path / "new-computer"):
        new = Store(tmp_path / "new.db")
        package = recovery.read_recovery(made.path)
        assert package.office_code == LAO and package.issuer["code"] == "D4801"
        assert package.issuer_fingerprint == district_fingerprint
        assert package.office_fingerprint == state["fingerprint"]
        assert package.unsigned == 0  # every record is vouched for by the office's packages
        applied = recovery.apply_recovery(new, package, officer="นางสาวทดสอบ ใจดี")
        assert new.office_code == LAO
        assert records_of(new, [LAO]) == state["records"]  # its own history, row for row
        assert applied.packages == 2 and applied.sequence == state["sequence"] + 1000
        assert [k.office_code for k in importer.trusted_keys(new)] == ["D4801"]
        # Its first package after the reinstall carries a new key: the district refuses it...
        clock.advance(seconds=2)
        after = export_package(new, "D4801", tmp_path / "after.levpkg", since_last=True)
        new_fingerprint = keys.office_fingerprint(LAO)
    assert after.kind == "delta"  # the packages it sent before are its history again
    plan = importer.preview(district, [after.path])
    assert plan.packages[0].status == Status.REFUSED and plan.packages[0].code == "key_changed"
    changes = reinstall.key_changes(district, plan)
    assert [(c.office, c.old_fingerprint, c.new_fingerprint) for c in changes] == [
        (LAO, state["fingerprint"], new_fingerprint)
    ]
    # ... until it confirms the new fingerprint with the office: one step.
    reinstall.confirm_new_key(district, changes[0], how="ทางโทรศัพท์")
    assert reinstall.forwarded_to(district, LAO) == ["P48"]  # the province must confirm too
    plan, result = importer.import_files(district, [after.path])
    assert len(result.imported) == 1, plan.packages[0].reason

    # The province refuses the relayed package of the new key until it confirms from the letter.
    clock.advance(seconds=2)
    up = export_package(district, "P48", tmp_path / "up-after.levpkg", since_last=True)
    plan = importer.preview(province, [up.path])
    assert plan.packages[0].status == Status.REFUSED
    at_province = reinstall.key_changes(province, plan)
    assert [(c.office, c.relayed_by) for c in at_province] == [(LAO, "D4801")]
    assert at_province[0].new_fingerprint == changes[0].new_fingerprint
    reinstall.confirm_new_key(province, at_province[0], how="หนังสือจากอำเภอ")
    plan, result = importer.import_files(province, [up.path])
    assert len(result.imported) == 1, plan.packages[0].reason
    assert totals(province) == state["totals"]
    new.dispose()


def test_recovery_package_tampered_is_refused(before_the_loss, tmp_path):
    import zipfile

    state = before_the_loss
    made = recovery.export_recovery(state["district"], LAO, tmp_path / "r")
    with zipfile.ZipFile(made.path) as archive:
        files = {i.filename: archive.read(i) for i in archive.infolist()}
    name = next(n for n in files if n.startswith("records/activities"))
    files[name] = files[name].replace(b'"participants":', b'"participants":1', 1)
    bad = tmp_path / "bad.levrecovery"
    with zipfile.ZipFile(bad, "w") as archive:
        for key, value in files.items():
            archive.writestr(key, value)
    with pytest.raises(recovery.RecoveryError) as refused:
        recovery.read_recovery(bad)
    assert str(refused.value) == ("แพ็กเกจกู้คืนข้อมูลเสียหายหรือถูกแก้ไขหลังจากสร้าง โปรดขอไฟล์ใหม่")


def test_recovery_only_for_an_office_below(before_the_loss, tmp_path):
    with pytest.raises(recovery.RecoveryError) as refused:
        recovery.export_recovery(before_the_loss["province"], "4899001", tmp_path / "x")
    assert str(refused.value) == ("หน่วยงาน 4899001 ไม่ได้รายงานผ่านหน่วยงานนี้ จึงไม่มีข้อมูลของหน่วยงานนั้นที่นี่")


def test_b_on_the_command_line(before_the_loss, tmp_path, clock, capsys, monkeypatch):
    from lev_desktop.cli import main

    state = before_the_loss
    district, province = state["district"], state["province"]
    state["lao"].dispose()
    db = ["--db", str(district.path)]
    assert main([*db, "recovery-package", "--office", LAO, "--out", str(tmp_path / "r")]) == 0
    assert "มีแพ็กเกจของหน่วยงาน 2 ฉบับ" in capsys.readouterr().out
    package = tmp_path / "r.levrecovery"
    with computer(tmp_path / "new-computer"):
        new = ["--db", str(tmp_path / "new.db")]
        refused = main([*new, "recover", str(package)])  # not a terminal, no --yes
        assert refused == 2 and "--yes" in capsys.readouterr().err
        assert main([*new, "recover", str(package), "--yes", "--officer", "นางสาวใหม่"]) == 0
        out = capsys.readouterr().out
        assert f"ฐานข้อมูลนี้เป็นของหน่วยงาน {LAO} แล้ว" in out
        store = Store(tmp_path / "new.db")
        assert records_of(store, [LAO]) == state["records"]
        clock.advance(seconds=2)
        after = export_package(store, "D4801", tmp_path / "after.levpkg", since_last=True)
        store.dispose()
    letter = tmp_path / "letter.pdf"
    assert main([*db, "reinstalled", str(after.path), "--yes", "--letter", str(letter)]) == 0
    out = capsys.readouterr().out
    assert "P48" in out and letter.read_bytes().startswith(b"%PDF")
    assert main([*db, "import", str(after.path)]) == 0
    capsys.readouterr()
    up = export_package(district, "P48", tmp_path / "up.levpkg", since_last=True)
    db_p = ["--db", str(province.path)]
    assert main([*db_p, "reinstalled", str(up.path), "--yes", "--how", "หนังสือ"]) == 0
    assert main([*db_p, "import", str(up.path)]) == 0
    assert totals(province) == state["totals"]
