"""F1, F2 and F3 a package calls complete are asked again at the receiver with the one rule
of "complete" the office's own program asks (plans.completion_problems), on the rows the
package brings over those the receiver holds (completeness.incomplete_plan_forms). A tampered
package is not refused for it: its records are imported, the form is not counted as complete
or received, and the preview names it in Thai. An honest package is counted whole."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from sqlalchemy import select

from db.models import FormSubmission, PlanItem
from db.models_deadlines import FormDelivery
from lev_desktop.domain.obligation_state import State
from lev_desktop.exchange import format as fmt
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import export_package
from lev_desktop.services import consolidation, kpi, plans
from lev_desktop.services.programmes import builtin_id, create_from_template

from .helpers import jsonl, members, read_jsonl, resign, write_members

LAO = "4801006"
P1 = builtin_id("P1")
FY = 2568


def payload(table: str) -> str:
    return f"{fmt.PAYLOAD_DIR}{table}.jsonl"


def _states(store) -> dict[str, State]:
    out = {}
    for obligation in ("P1.LAO.PLAN", "P1.LAO.RUN", "P1.LAO.REPORT"):
        board = consolidation.build_board(
            store, "P1", fiscal_year=FY, obligation=obligation, period=f"FY{FY}"
        )
        out[obligation] = {r.code: r for r in board.rows}[LAO].state
    return out


def _tampered(tmp_path: Path, lao, name: str, change) -> Path:
    """The LAO's real package with its payloads changed by ``change(table, rows) -> rows``,
    signed again with the LAO's own key (a faulty or tampered sender)."""
    files = members(export_package(lao, "D4801", tmp_path / f"{name}-real.levpkg").path)
    manifest = json.loads(files[fmt.MANIFEST])
    changed = {}
    for table in manifest["counts"]:
        rows = read_jsonl(files[payload(table)])
        new = change(table, read_jsonl(files[payload(table)]))
        if new != rows:
            changed[table] = new

    def counts(manifest: dict) -> None:
        for table, rows in changed.items():
            manifest["counts"][table] = len(rows)

    data = {payload(table): jsonl(rows) for table, rows in changed.items()}
    files = resign(files, LAO, payloads=data, mutate_manifest=counts)
    return write_members(tmp_path / f"{name}.levpkg", files)


def _completed(rows: list[dict], form: str) -> list[dict]:
    """form_submissions rows with ``form`` of P1 said complete."""
    for row in rows:
        if row["programme_id"] == P1 and row["form_code"] == form:
            row.update(status="complete", completed_at="2024-12-20T03:00:00")
    return rows


def _note(plan) -> str:
    (part,) = plan.packages[0].parts
    assert plan.packages[0].status != importer.Status.REFUSED, plan.packages[0].reason
    (note,) = [n for n in part.notes if n.startswith("ยังไม่นับว่าได้รับ")]
    return note


def _forms(store) -> dict[str, str]:
    with store.read() as s:
        return dict(
            s.execute(
                select(FormSubmission.form_code, FormSubmission.status).where(
                    FormSubmission.owner_office == LAO, FormSubmission.programme_id == P1
                )
            ).all()
        )


def test_an_empty_plan_called_complete_is_imported_but_not_counted(dated_offices, tmp_path):
    """The F1 of the package says complete, its rows (and their activities) are gone."""
    lao, district = dated_offices

    def change(table: str, rows: list[dict]) -> list[dict]:
        if table == "form_submissions":
            return _completed(rows, "F1")
        if table in ("plan_items", "activities"):
            return []
        return rows

    path = _tampered(tmp_path, lao, "empty-plan", change)
    plan = importer.preview(district, [path])
    assert _note(plan) == (
        "ยังไม่นับว่าได้รับ: แบบ 1 แบบที่แพ็กเกจระบุว่าครบถ้วน แต่ยังขาดข้อมูลที่โครงการกำหนด "
        "(นำเข้าค่าที่กรอกแล้ว แต่ไม่รับสถานะ “ครบถ้วน”): "
        "4801006 P1 แผนปฏิบัติงาน ปีงบประมาณ พ.ศ. 2568 (แผนปฏิบัติงานยังไม่มีโครงการ)"
    )
    plan.close()
    assert importer.import_files(district, [path], trust=True)[1].imported
    # the form's record is not taken (main: F1 "complete", the board said done)
    assert _forms(district) == {"F2": "complete", "F3": "complete"}
    assert _states(district) == {
        "P1.LAO.PLAN": State.OVERDUE,
        "P1.LAO.RUN": State.DONE,  # (an F2 without activities passes the LAO's own rule)
        "P1.LAO.REPORT": State.LATE,
    }


def test_milestones_without_the_committee_date(dated_offices, tmp_path):
    """F3 without the day the committee was chosen (final asks it). (An F2 cannot be brought
    failing its rule: the boundary asks each activity all of validate_activity.)"""
    lao, district = dated_offices

    def change(table: str, rows: list[dict]) -> list[dict]:
        if table == "monitoring":
            rows[0]["committee_selected_on"] = None
        return rows

    path = _tampered(tmp_path, lao, "no-date", change)
    plan = importer.preview(district, [path])
    assert _note(plan) == (
        "ยังไม่นับว่าได้รับ: แบบ 1 แบบที่แพ็กเกจระบุว่าครบถ้วน แต่ยังขาดข้อมูลที่โครงการกำหนด "
        "(นำเข้าค่าที่กรอกแล้ว แต่ไม่รับสถานะ “ครบถ้วน”): "
        "4801006 P1 แบบติดตามการจัดกิจกรรมระดับองค์กรปกครองส่วนท้องถิ่น ปีงบประมาณ พ.ศ. 2568 "
        "(วันที่คัดเลือกคณะกรรมการ: โปรดระบุวันที่นี้)"
    )
    plan.close()
    assert importer.import_files(district, [path], trust=True)[1].imported
    assert _forms(district) == {"F1": "draft", "F2": "complete"}
    with district.read() as s:  # F3 not received (main: received, late)
        received = s.scalars(
            select(FormDelivery.form_code).where(
                FormDelivery.owner_office == LAO, FormDelivery.programme_id == P1
            )
        )
        assert list(received) == ["F2"]
    assert _states(district) == {
        "P1.LAO.PLAN": State.OVERDUE,
        "P1.LAO.RUN": State.DONE,
        "P1.LAO.REPORT": State.OVERDUE,
    }


def test_the_honest_forms_are_counted(dated_offices, tmp_path):
    lao, district = dated_offices
    assert plans.set_form_status(lao, P1, FY, plans.FORM_PLAN, "complete") == []
    path = export_package(lao, "D4801", tmp_path / "real.levpkg").path
    plan = importer.preview(district, [path])
    (part,) = plan.packages[0].parts
    assert part.incomplete == []
    plan.close()
    assert importer.import_files(district, [path], trust=True)[1].imported
    assert _forms(district) == {"F1": "complete", "F2": "complete", "F3": "complete"}
    assert _states(district) == {
        "P1.LAO.PLAN": State.LATE,  # (due 31 Dec 2567, completed 6 Oct 2568)
        "P1.LAO.RUN": State.DONE,
        "P1.LAO.REPORT": State.LATE,  # (due 30 Sep 2568, made 6 Oct 2568)
    }


def test_a_plan_completed_later_is_judged_with_the_rows_already_here(
    dated_offices, tmp_path, clock
):
    """A 'changes only' package brings F1 marked complete without its rows, which the
    district holds: the rule reads them here. Rows the package removes are gone for it."""
    lao, district = dated_offices
    first = export_package(lao, "D4801", tmp_path / "first.levpkg").path
    assert importer.import_files(district, [first], trust=True)[1].imported
    clock.advance(days=1)
    assert plans.set_form_status(lao, P1, FY, plans.FORM_PLAN, "complete") == []
    clock.advance(hours=1)
    delta = export_package(lao, "D4801", tmp_path / "delta.levpkg", since_last=True)
    assert "plan_items" not in json.loads(members(delta.path)[fmt.MANIFEST])["counts"]
    plan = importer.preview(district, [delta.path])
    assert plan.packages[0].parts[0].incomplete == []
    plan.close()
    assert importer.import_files(district, [delta.path], trust=True)[1].imported
    assert _forms(district)["F1"] == "complete"
    assert _states(district)["P1.LAO.PLAN"] == State.LATE


def test_rows_a_package_removes_are_gone_for_the_plan(dated_offices, tmp_path, clock):
    """The district holds the plan's six rows; a later package removes them all (tombstones)
    and says F1 complete: the rule reads the plan as the import leaves it, empty."""
    lao, district = dated_offices
    first = export_package(lao, "D4801", tmp_path / "first.levpkg").path
    assert importer.import_files(district, [first], trust=True)[1].imported
    (f1,) = [
        r
        for r in read_jsonl(members(first)[payload("form_submissions")])
        if r["programme_id"] == P1 and r["form_code"] == "F1"
    ]
    clock.advance(days=1)
    with lao.session() as s:  # the LAO's rows removed
        for item in s.scalars(select(PlanItem)):
            item.deleted = True
    clock.advance(hours=1)
    delta = export_package(lao, "D4801", tmp_path / "delta.levpkg", since_last=True).path
    files = members(delta)
    manifest = json.loads(files[fmt.MANIFEST])
    assert (manifest["counts"]["plan_items"], "form_submissions" in manifest["counts"]) == (
        6,
        False,
    )
    f1.update(status="complete", completed_at="2025-10-07T03:00:00", revision=2)
    f1["updated_at"] = "2025-10-07T03:00:00"

    def counts(manifest: dict) -> None:
        manifest["counts"]["form_submissions"] = 1

    files = resign(
        files,
        LAO,
        payloads={payload("form_submissions"): jsonl([_completed([f1], "F1")[0]])},
        mutate_manifest=counts,
    )
    path = write_members(tmp_path / "tampered-delta.levpkg", files)
    plan = importer.preview(district, [path])
    assert _note(plan).endswith(
        "4801006 P1 แผนปฏิบัติงาน ปีงบประมาณ พ.ศ. 2568 (แผนปฏิบัติงานยังไม่มีโครงการ)"
    )
    plan.close()
    assert importer.import_files(district, [path], trust=True)[1].imported
    assert _forms(district)["F1"] == "draft"
    assert _states(district)["P1.LAO.PLAN"] == State.OVERDUE


def test_forms_of_a_programme_the_package_brings(dated_offices, tmp_path):
    """A programme the district does not know yet comes with the package, with forms of it
    called complete: they are asked by the spec it brings (checked at the boundary)."""
    lao, district = dated_offices
    p1b = create_from_template(lao, "P1", code="P1B").id
    p2b = create_from_template(lao, "P2", code="P2B").id

    def change(table: str, rows: list[dict]) -> list[dict]:
        if table == "form_submissions":
            (f3,) = [dict(r) for r in rows if r["programme_id"] == P1 and r["form_code"] == "F3"]
            (kpi,) = [dict(r) for r in rows if r["form_code"] == "KPI"]
            f3.update(id=str(uuid.UUID(int=1)), programme_id=p1b)
            kpi.update(id=str(uuid.UUID(int=2)), programme_id=p2b)
            return [*rows, f3, kpi]
        return rows

    path = _tampered(tmp_path, lao, "new-programme", change)
    assert "programmes" in json.loads(members(path)[fmt.MANIFEST])["counts"]
    plan = importer.preview(district, [path])
    assert _note(plan) == (
        "ยังไม่นับว่าได้รับ: แบบ 2 แบบที่แพ็กเกจระบุว่าครบถ้วน แต่ยังขาดข้อมูลที่โครงการกำหนด "
        "(นำเข้าค่าที่กรอกแล้ว แต่ไม่รับสถานะ “ครบถ้วน”): "
        "4801006 P2B แบบบันทึกข้อมูลตัวชี้วัด “จังหวัดสะอาด” ปีงบประมาณ พ.ศ. 2567 "
        "(จำนวนครัวเรือนทั้งหมดในพื้นที่: ต้องกรอกช่องนี้), "
        "4801006 P1B แบบติดตามการจัดกิจกรรมระดับองค์กรปกครองส่วนท้องถิ่น ปีงบประมาณ พ.ศ. 2568 "
        "(วันที่คัดเลือกคณะกรรมการ: โปรดระบุวันที่นี้)"
    )
    plan.close()
    assert importer.import_files(district, [path], trust=True)[1].imported
    with district.read() as s:
        kept = set(s.scalars(select(FormSubmission.programme_id)))
        received = set(s.scalars(select(FormDelivery.programme_id)))
    assert {P1} <= kept and not {p1b, p2b} & kept and not {p1b, p2b} & received


def test_the_quick_answer_never_calls_a_plan_complete_that_the_rule_does_not():
    """A plan whose rows all come with the part is answered without the whole rule when it
    plainly has what ``final`` adds (completeness._plainly_planned). That answer must never
    be "complete" where the rule (plans.completion_problems) says otherwise."""
    from decimal import Decimal

    from lev_desktop.exchange.completeness import _plainly_planned

    good = plans.ItemRow(project="ปลูกต้นไม้", budget=Decimal("12500.00"))
    changes = [
        {},
        {"project": ""},
        {"project": "   "},
        {"project": "\u200b"},
        {"project": "\n\u00a0"},
        {"project": "\ufeff"},
        {"budget": None},
        {"budget": None, "no_budget": True},
        {"budget": Decimal(0), "no_budget": True},
        {"budget": Decimal(0)},
    ]
    asked = quick_yes = 0
    for count in (0, 1, 3):
        for change in changes:
            for where in range(max(count, 1)):
                items = [
                    plans.ItemRow(**{**good.values(), **(change if i == where else {})})
                    for i in range(count)
                ]
                rule = plans.completion_problems(plans.FORM_PLAN, items=items)
                quick = _plainly_planned(items)
                asked += 1
                quick_yes += quick
                assert not (quick and rule), (items, rule)
                assert quick == (not rule), (items, rule)  # (rows that passed the boundary)
    assert asked > 40 and quick_yes > 10


def test_a_plan_completed_later_in_the_same_batch(dated_offices, tmp_path, clock):
    """The first package and a 'changes only' one after it imported together: the second's
    F1 is judged with the rows the first brings (not yet in the database)."""
    lao, district = dated_offices
    first = export_package(lao, "D4801", tmp_path / "first.levpkg").path
    clock.advance(days=1)
    assert plans.set_form_status(lao, P1, FY, plans.FORM_PLAN, "complete") == []
    assert kpi.set_status(lao, "P2", "FY2567", "draft") == []
    assert kpi.set_status(lao, "P2", "FY2567", "complete") == []
    clock.advance(hours=1)
    delta = export_package(lao, "D4801", tmp_path / "delta.levpkg", since_last=True)
    counts = json.loads(members(delta.path)[fmt.MANIFEST])["counts"]
    assert "plan_items" not in counts and "kpi_values" not in counts
    plan = importer.preview(district, [first, delta.path])
    assert [p.incomplete for p in plan.packages for p in p.parts] == [[], []]
    plan.close()
    assert len(importer.import_files(district, [first, delta.path], trust=True)[1].imported) == 2
    assert _forms(district)["F1"] == "complete"
