"""A form a package calls complete is asked again at the receiver with the one rule of
"complete" (kpi.completion_problems, completeness.py). A tampered or faulty package is not
refused for it: its records are imported, the form is not counted as received, and the preview
names it in Thai with the office and the form. The same rule cannot refuse an honest package."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select

from db.models import KpiValue
from db.models_deadlines import FormDelivery
from lev_desktop.domain.obligation_state import State
from lev_desktop.exchange import format as fmt
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import export_package
from lev_desktop.services import consolidation, kpi
from lev_desktop.services.programmes import builtin_id

from .helpers import jsonl, make_lao, members, read_jsonl, resign, write_members

LAO = "4801006"
P2, P4 = builtin_id("P2"), builtin_id("P4")
KPI_VALUES = f"{fmt.PAYLOAD_DIR}kpi_values.jsonl"


def _emptied(tmp_path: Path, lao) -> Path:
    """The LAO's real package, its P2 form (marked complete) stripped of its 14 values,
    signed again with the LAO's own key (a faulty or tampered sender)."""
    files = members(export_package(lao, "D4801", tmp_path / "real.levpkg").path)
    rows = read_jsonl(files[KPI_VALUES])
    kept = [r for r in rows if r["programme_id"] != P2]
    assert len(rows) - len(kept) == 14
    data = jsonl(kept)

    def counts(manifest: dict) -> None:
        manifest["counts"]["kpi_values"] = len(kept)

    files = resign(files, LAO, payloads={KPI_VALUES: data}, mutate_manifest=counts)
    return write_members(tmp_path / "emptied.levpkg", files)


def _p2_state(store) -> State:
    board = consolidation.build_board(
        store, "P2", fiscal_year=2567, obligation="P2.LAO.KPI", period="FY2567"
    )
    return {r.code: r for r in board.rows}[LAO].state


def _received(store) -> set[tuple[str, str]]:
    with store.read() as s:
        return {
            (form, period)
            for form, period in s.execute(
                select(FormDelivery.form_code, FormDelivery.period).where(
                    FormDelivery.direction == "received", FormDelivery.owner_office == LAO
                )
            )
        }


def test_a_form_called_complete_without_its_values_is_imported_but_not_received(
    dated_offices, tmp_path
):
    lao, district = dated_offices
    path = _emptied(tmp_path, lao)
    plan = importer.preview(district, [path])
    (part,) = plan.packages[0].parts
    assert plan.packages[0].status != importer.Status.REFUSED
    assert part.notes[-1] == (
        "ยังไม่นับว่าได้รับ: แบบ 1 แบบที่แพ็กเกจระบุว่าครบถ้วน แต่ยังขาดข้อมูลที่โครงการกำหนด "
        "(นำเข้าค่าที่กรอกแล้ว แต่ไม่รับสถานะ “ครบถ้วน”): "
        "4801006 P2 แบบบันทึกข้อมูลตัวชี้วัด “จังหวัดสะอาด” ปีงบประมาณ พ.ศ. 2567 "
        "(จำนวนครัวเรือนทั้งหมดในพื้นที่: ต้องกรอกช่องนี้)"
    )
    # the form's record is not taken: counted as a refused record, not as "unchanged"
    assert (part.counts["refused"], part.counts["unchanged"]) == (1, 0)
    plan.close()
    _plan, result = importer.import_files(district, [path], trust=True)
    assert [p.path for p in result.imported] == [str(path)]
    received = _received(district)
    assert ("KPI", "FY2567") not in received
    assert ("M", "2025-01") in received and ("SP", "FY2568") in received
    # (due 22 Nov 2567: the honest package, made in October 2568, is late)
    assert _p2_state(district) == State.OVERDUE
    with district.read() as s:  # the records themselves are imported as they came
        assert s.scalar(select(KpiValue.id).where(KpiValue.programme_id == P4)) is not None


def test_the_honest_package_is_received_whole(dated_offices, tmp_path):
    lao, district = dated_offices
    path = export_package(lao, "D4801", tmp_path / "real.levpkg").path
    plan = importer.preview(district, [path])
    (part,) = plan.packages[0].parts
    assert not part.incomplete
    assert not any("ยังไม่นับว่าได้รับ" in note for note in part.notes)
    plan.close()
    assert importer.import_files(district, [path], trust=True)[1].imported
    assert ("KPI", "FY2567") in _received(district)
    assert _p2_state(district) == State.LATE


def test_a_form_completed_again_is_judged_with_the_values_already_here(
    dated_offices, tmp_path, clock
):
    """A 'changes only' package brings the form marked complete again but not its values,
    which the district already holds: the rule reads them here, and the form is received."""
    lao, district = dated_offices
    first = export_package(lao, "D4801", tmp_path / "first.levpkg").path
    assert importer.import_files(district, [first], trust=True)[1].imported
    clock.advance(days=1)
    assert kpi.set_status(lao, "P2", "FY2567", "draft") == []
    assert kpi.set_status(lao, "P2", "FY2567", "complete") == []
    clock.advance(hours=1)
    delta = export_package(lao, "D4801", tmp_path / "delta.levpkg", since_last=True)
    assert delta.kind == "delta"
    assert "kpi_values" not in json.loads(members(delta.path)[fmt.MANIFEST])["counts"]
    plan = importer.preview(district, [delta.path])
    (part,) = plan.packages[0].parts
    assert part.incomplete == []
    plan.close()
    assert importer.import_files(district, [delta.path], trust=True)[1].imported
    with district.read() as s:
        carried = s.scalars(
            select(FormDelivery.package_uuid).where(
                FormDelivery.direction == "received", FormDelivery.form_code == "KPI"
            )
        )
        assert delta.package_uuid in set(carried)


def test_the_quick_answer_never_calls_complete_what_the_rule_does_not(tmp_path, clock):
    """A form whose values all come with the part (its values already asked by their rules)
    is answered without the whole rule when it plainly has what ``final`` asks
    (completeness._plainly_complete: 85 ms of a province's 0.3 s preview → 22 ms). That answer
    must never be "complete" where the rule says otherwise: the demo LAO's KPI forms, each with
    one value taken away, emptied, blanked, deleted or written in the wrong column."""
    from sqlalchemy import text as sql_text

    from lev_desktop.exchange.completeness import _VALUE_COLUMNS, _Finals, _plainly_complete
    from lev_desktop.exchange.completeness import _value as as_value
    from lev_desktop.exchange.payloads import prepared_rules
    from lev_desktop.services.programmes import list_programmes

    clock.now = dt.datetime(2024, 9, 1, 3, tzinfo=dt.UTC)
    lao = make_lao(tmp_path / "quick.db", LAO, seed=1313)
    specs = {p.id: p.spec for p in list_programmes(lao)}
    at = list(range(len(_VALUE_COLUMNS)))
    with lao.engine.connect() as conn:
        rows = [
            list(r)
            for r in conn.execute(sql_text(f"SELECT {', '.join(_VALUE_COLUMNS)} FROM kpi_values"))
        ]
    lao.dispose()
    forms: dict[tuple[str, str], list[list]] = {}
    for row in rows:
        forms.setdefault((row[2], row[3]), []).append(row)
    parsers: dict = {}
    asked = plain = 0
    for (pid, _period), values in forms.items():
        spec = specs[pid]
        finals, prepared = _Finals.of(spec, at), prepared_rules(parsers, pid, spec)
        variants = [values]
        for i, row in enumerate(values):
            variants.append(values[:i] + values[i + 1 :])  # taken away
            for change in ("none", "blank", "deleted", "wrong column"):
                changed = list(row)
                if change == "deleted":
                    changed[9] = True
                elif change == "blank":
                    changed[6], changed[7], changed[8] = None, "  ", None
                elif change == "wrong column":  # (an answer where its kind is not read)
                    moved = (None, str(row[6]), None) if row[6] is not None else (1, None, None)
                    changed[6], changed[7], changed[8] = moved
                else:
                    changed[6] = changed[7] = changed[8] = None
                variants.append([*values[:i], changed, *values[i + 1 :]])
        for variant in variants:
            rule = kpi.completion_problems(
                spec, kpi.value_rows(spec, [as_value(r, at) for r in variant]), prepared
            )
            quick = _plainly_complete(finals, variant, at, prepared)
            asked += 1
            plain += quick
            assert not (quick and rule), (pid, variant, rule)
        assert _plainly_complete(finals, values, at, prepared) == (
            not kpi.completion_problems(
                spec, kpi.value_rows(spec, [as_value(r, at) for r in values]), prepared
            )
        )
    assert asked > 200 and plain > 20  # (the quick answer is given, and checked, many times)
