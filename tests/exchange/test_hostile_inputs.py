"""Hostile or careless input found by the red-team round of 2026-12 (redteam10): each was
accepted, crashed in English, or was accepted where it is typed and then refused by the office
above. Each is now refused with a Thai reason and the database exactly as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from exports.xlsx import plan_import
from exports.xlsx.lao_list import LaoListError, read_lao_list
from lev_desktop.domain.validation import (
    MAX_TEXT,
    field_label,
    parse_indicator_value,
    validate_activity,
    validate_plan_item,
)
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import export_package
from lev_desktop.services import plans as ps
from lev_desktop.services.offices import add_laos, list_offices
from lev_desktop.services.programmes import builtin_id

from .helpers import (
    assert_refused,
    jsonl,
    make_district,
    members,
    read_jsonl,
    resign,
    snapshot,
    write_members,
)

NOT_TEXT = "มีอักขระที่ไม่ใช่ข้อความ"


def _changed(lao, tmp_path: Path, table: str, key: str, value) -> Path:
    files = members(export_package(lao, "D4801", tmp_path / "src.levpkg").path)
    member = f"payload/{table}.jsonl"
    records = read_jsonl(files[member])
    records[0][key] = value
    return write_members(
        tmp_path / "bad.levpkg", resign(files, "4801006", payloads={member: jsonl(records)})
    )


# ---- control characters: XML (the district's .xlsx reports) cannot hold them ------------------


@pytest.mark.parametrize(
    ("table", "key", "value"),
    [
        ("plan_items", "project", "โครงการ\x01"),
        ("activities", "outputs", "ผล\x1b[2J"),  # ESC: rewrites the terminal of `lev import`
        ("plans", "note", "หมายเหตุ\x0b"),  # Word's manual line break
        ("plan_items", "objective", "\x08"),  # JSON's short escape \b
        ("plan_items", "kpi", "\x0c"),  # and \f
        # right-to-left override: the district's screens showed the title reversed
        ("activities", "title", "อบรมแกนนำ\u202e21 ครั้ง"),
        ("plan_items", "project", "\u2067ธนาคารขยะ\u2069"),  # an isolate, as it travels
    ],
    ids=["soh", "esc", "vt", "backspace", "formfeed", "rlo", "isolate"],
)
def test_a_control_character_in_a_text_is_refused(offices, tmp_path, table, key, value):
    """Was imported: then the district's plan report (.xlsx) failed with openpyxl's
    IllegalCharacterError, in English."""
    lao, district = offices
    reason = assert_refused(district, _changed(lao, tmp_path, table, key, value), "validation")
    assert f"{field_label(key)}: {NOT_TEXT}" in reason


def test_a_bidirectional_control_written_as_its_json_escape_is_refused(offices, tmp_path):
    """The fast check reads the raw character and its escape (an exporter that writes ASCII
    JSON sends "\\u202e")."""
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "src.levpkg").path)
    member = "payload/activities.jsonl"
    records = read_jsonl(files[member])
    records[0]["title"] = "อบรมแกนนำ\u202e21 ครั้ง"
    data = "".join(json.dumps(r, ensure_ascii=True) + "\n" for r in records).encode("ascii")
    assert b"\\u202e" in data
    path = write_members(tmp_path / "bad.levpkg", resign(files, "4801006", payloads={member: data}))
    reason = assert_refused(district, path, "validation")
    assert f"{field_label('title')}: {NOT_TEXT}" in reason


@pytest.mark.parametrize(
    "value",
    [
        "C:\\bin\\fix",
        "ก\\f",
        "\\u0001 as typed",
        "\\u202e as typed",
        "บรรทัด\nที่สอง\tแท็บ",
        "ก\u200eข",
    ],
)
def test_backslashes_tabs_and_line_breaks_are_still_text(offices, tmp_path, value):
    """The fast check reads the JSON escapes: an escaped backslash before b, f or u0001 is
    text, as are a tab and a line break."""
    lao, district = offices
    path = _changed(lao, tmp_path, "plans", "note", value)
    plan, result = importer.import_files(district, [path], trust=True)
    assert len(result.imported) == 1, plan.packages[0].reason


# ---- what the office above refuses is refused where it is typed or imported first -----------


@pytest.mark.parametrize(
    ("item", "field", "message"),
    [
        ({"planned_activities": 1001}, "planned_activities", "ต้องไม่มากกว่า 1,000"),
        ({"planned_activities": "5000"}, "planned_activities", "ต้องไม่มากกว่า 1,000"),
        ({"planned_activities": 10**30}, "planned_activities", "ต้องไม่มากกว่า 1,000"),
        (
            {"project": "ก" * (MAX_TEXT + 1)},
            "project",
            f"ยาวเกินไป ({MAX_TEXT + 1} ตัวอักษร ไม่เกิน {MAX_TEXT})",
        ),
        ({"objective": "ก\x01"}, "objective", NOT_TEXT),
        ({"objective": "ก\u202eข"}, "objective", NOT_TEXT),
    ],
    ids=["1001", "text-5000", "10**30", "long-project", "control", "rlo"],
)
def test_plan_rows_meet_the_limits_the_district_checks(item, field, message):
    problems = validate_plan_item({"project": "ก", **item}, final=False)
    assert [(p.field, p.message) for p in problems] == [(field, message)]


@pytest.mark.parametrize("project", ["\u200b", "\u200b\ufeff ", "\u3000"])
def test_a_project_name_of_invisible_characters_is_no_name(project):
    problems = validate_plan_item({"project": project, "no_budget": True}, final=True)
    assert [(p.field, p.message) for p in problems] == [("project", "โปรดกรอกชื่อโครงการ")]


def test_a_workbook_row_whose_project_is_invisible_is_skipped(tmp_path):
    path = _plan_book(tmp_path / "zw.xlsx", ["\u200b", 100, 1])
    result = plan_import.extract_rows(path, "แผน", 0, {"project": 0, "budget": 1})
    assert (result.rows, result.problems, result.skipped) == ([], [], 1)


def test_activities_meet_the_limits_the_district_checks():
    problems = validate_activity({"held_on": "2025-01-01", "participants": 10**8, "place": "\x07"})
    assert [(p.field, p.message) for p in problems] == [
        ("participants", "ต้องไม่มากกว่า 10,000,000"),
        ("place", NOT_TEXT),
    ]


def test_a_plan_row_the_district_would_refuse_is_not_saved(lao_store):
    """Was saved (and 10**30 raised OverflowError in English): then every package the LAO sent
    was refused at the district, 'จำนวนครั้งตามแผน: ต้องไม่มากกว่า 1,000'."""
    before = snapshot(lao_store)
    for row in (
        {"project": "ก", "planned_activities": 5000},
        {"project": "ก", "planned_activities": 10**30},
        {"project": "ก" * (MAX_TEXT + 1)},
    ):
        with pytest.raises(ps.PlanError, match="แถวที่ 1: "):
            ps.import_rows(lao_store, builtin_id("P1"), 2568, [row])
    assert snapshot(lao_store) == before


def _plan_book(path: Path, row: list) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "แผน"
    sheet.append(["โครงการ", "งบประมาณ", "จำนวนครั้ง"])
    sheet.append(row)
    book.save(path)
    return path


def test_a_plan_workbook_with_superscript_or_huge_counts(tmp_path):
    """'²' passes str.isdigit and not int(): extract_rows raised ValueError and the dialog
    showed "invalid literal for int() with base 10: '²'"."""
    mapping = {"project": 0, "budget": 1, "planned_activities": 2}
    path = _plan_book(tmp_path / "a.xlsx", ["โครงการ ก", 100, "๒²"])
    result = plan_import.extract_rows(path, "แผน", 0, mapping)
    assert (result.problems, [r["planned_activities"] for r in result.rows]) == ([], [2])
    path = _plan_book(tmp_path / "b.xlsx", ["โครงการ ก", 100, "9" * 30])
    result = plan_import.extract_rows(path, "แผน", 0, mapping)
    assert (result.rows, result.problems) == ([], [(2, "ต้องไม่มากกว่า 1,000")])


def test_an_indicators_text_value_with_a_control_character_is_refused_where_it_is_typed():
    assert parse_indicator_value({"type": "text"}, "ส่งศูนย์\x0bกำจัด") == (None, NOT_TEXT)
    assert parse_indicator_value({"type": "text"}, "ส่งศูนย์\nกำจัด") == ("ส่งศูนย์\nกำจัด", None)


# ---- the LAO list: its code column was written into the database as given --------------------


def _lao_book(path: Path, code, name: str = "องค์การบริหารส่วนตำบลทดสอบ") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["ชื่อ อปท.", "ประเภท", "อำเภอ", "รหัส"])
    sheet.append([name, "อบต.", "เมืองนครพนม", code])
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        (
            "D4801",  # the district office's own code: it became an LAO
            "“D4801” ไม่ใช่รหัส อปท. (7 หลัก)",
        ),
        ("P48", "“P48” ไม่ใช่รหัส อปท. (7 หลัก)"),
        ("4805001", "รหัส อปท. 4805001 ไม่ใช่รหัสของ อปท. ในอำเภอที่ระบุ (4801)"),
        (
            "abc",
            "“abc” ไม่ใช่รหัสหน่วยงาน: ใช้ DLA, P ตามด้วยรหัสจังหวัด 2 หลัก, D ตามด้วยรหัสอำเภอ 4 "
            "หลัก หรือรหัส อปท. 7 หลัก เป็นเลขอารบิกธรรมดา",
        ),
    ],
)
def test_an_lao_list_code_that_is_not_an_lao_code_of_its_district(tmp_path, code, problem):
    preview = read_lao_list(_lao_book(tmp_path / "l.xlsx", code), province_code="48")
    assert [row.problems for row in preview.rows] == [[problem]]
    assert preview.as_service_rows() == []


def test_an_lao_list_code_in_thai_digits_is_read_as_the_code(tmp_path):
    preview = read_lao_list(_lao_book(tmp_path / "l.xlsx", "๔๘๐๑๐๙๙"), province_code="48")
    assert [(row.code, row.problems) for row in preview.rows] == [("4801099", [])]


def test_an_lao_list_name_longer_than_an_office_name(tmp_path):
    preview = read_lao_list(_lao_book(tmp_path / "l.xlsx", "", name="ก" * 201), province_code="48")
    assert [row.problems for row in preview.rows] == [["ชื่อ: ยาวเกินไป (201 ตัวอักษร ไม่เกิน 200)"]]


def test_add_laos_never_turns_another_office_into_an_lao(tmp_path):
    district = make_district(tmp_path / "district.db")
    before = snapshot(district)
    for code in ("D4801", "4805001", "4801090 "):
        row = {"code": code, "name": "อบต.ก", "lao_type": "sao", "district_code": "4801"}
        with pytest.raises(ValueError, match=code.strip()):
            add_laos(district, [row])
    assert snapshot(district) == before
    assert [(o.code, o.level) for o in list_offices(district)] == [("D4801", "district")]
    district.dispose()


# ---- an office's name is shown beside its key fingerprint --------------------------------------

FALSE_FINGERPRINT = "อบต.ทดสอบ 4801006\nองค์กรปกครองส่วนท้องถิ่น · อบต.\nAAAA BBBB CCCC DDDD"


@pytest.mark.parametrize(
    "name", [FALSE_FINGERPRINT, "อบต.ทดสอบ \u202e6001084", "อบต.\x1b[8m"], ids=["lf", "rlo", "esc"]
)
def test_a_claimed_name_that_could_fake_the_trust_box_is_refused_before_trust(
    offices, tmp_path, name
):
    """Was shown in the window's trust box (the name on the first line): a line break drew a
    false fingerprint above the real one."""
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "src.levpkg").path)
    files = resign(files, "4801006", mutate_manifest=lambda m: m["sender"].update(name=name))
    path = write_members(tmp_path / "name.levpkg", files)
    reason = assert_refused(district, path, "office_identity", trust=False)
    assert reason == f"ไม่ได้นำเข้าแพ็กเกจจาก 4801006: ชื่อ: {NOT_TEXT}"


def test_an_office_record_whose_name_holds_a_line_break_is_refused(offices, tmp_path):
    lao, district = offices
    path = _changed(lao, tmp_path, "offices", "name", "อบต.ทดสอบ\n4801006")
    reason = assert_refused(district, path, "validation")
    assert f"{field_label('name')}: {NOT_TEXT}" in reason


def test_an_lao_list_name_with_a_direction_control(tmp_path):
    path = _lao_book(tmp_path / "l.xlsx", "", name="องค์การบริหารส่วนตำบล\u202eทดสอบ")
    preview = read_lao_list(path, province_code="48")
    assert [row.problems for row in preview.rows] == [[f"ชื่อ: {NOT_TEXT}"]]


# ---- the KPI Excel form: values are read by the cells the hidden sheet names -------------------


def _form(tmp_path: Path, programme: str, period: str):
    from lev_desktop.exchange.excel import write_template
    from lev_desktop.services.offices import add_lao

    district = make_district(tmp_path / "d.db")
    add_lao(district, code="4801012", name="อบต.คำเตย", lao_type="sao", district_code="4801")
    return district, write_template(district, "4801012", programme, tmp_path / "f.xlsx", period)


MOVED = (
    "ชีต “ข้อมูล” เซลล์ {cell} ควรเป็น “{expected}” แต่เป็น “{found}”: มีการเพิ่ม ลบ หรือย้ายแถวหรือ"
    "คอลัมน์ของแบบฟอร์ม โปรดกรอกแบบฟอร์มใหม่จากอำเภอโดยไม่เปลี่ยนแถวหรือคอลัมน์"
)


def test_a_row_inserted_above_the_values_of_a_form_is_refused(tmp_path):
    """Was imported: households_total's 100 stored as households_sorting, and its 50 as
    households_organic_bin, with no word to anyone."""
    from openpyxl import load_workbook

    district, form = _form(tmp_path, "P2", "FY2567")
    book = load_workbook(form)
    sheet = book["ข้อมูล"]
    sheet["D6"], sheet["D7"] = 100, 50
    sheet.insert_rows(6)
    sheet["B6"] = "หมายเหตุของเจ้าหน้าที่"
    book.save(form)
    reason = assert_refused(district, form, "bad_format", trust=False)
    assert reason == MOVED.format(cell="A6", expected="households_total", found="")
    district.dispose()


def test_a_column_inserted_in_a_form_of_repeated_rows_is_refused(tmp_path):
    from openpyxl import load_workbook

    district, form = _form(tmp_path, "P5", "FY2568")
    book = load_workbook(form)
    sheet = book["ข้อมูล"]
    expected = sheet["B5"].value
    sheet["B6"], sheet["C6"] = "ผ้าย้อมคราม", "กระเป๋า"
    sheet.insert_cols(2)
    book.save(form)
    reason = assert_refused(district, form, "bad_format", trust=False)
    assert reason == MOVED.format(cell="B5", expected=expected, found="")
    district.dispose()


# ---- lev on a terminal: what it prints of a package is text, never a command ------------------


def test_lev_import_prints_a_packages_control_characters_as_text(offices, tmp_path, capsys):
    """Anyone can write a package (it is refused for its signature): its sender code reached
    the terminal in the refusal, and ESC [2J ESC [H cleared the officer's screen."""
    import json

    from lev_desktop.cli import main
    from lev_desktop.exchange import format as fmt

    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "src.levpkg").path)
    manifest = json.loads(files[fmt.MANIFEST])
    manifest["sender"]["code"] = "\x1b[2J\x1b[H4801006"
    files[fmt.MANIFEST] = fmt.canonical_json(manifest)
    path = write_members(tmp_path / "esc.levpkg", files)
    before = snapshot(district)
    code = main(["--db", str(district.path), "import", str(path)])
    out, err = capsys.readouterr()
    assert code != 0 and snapshot(district) == before
    assert "\x1b" not in out + err
    assert "U+001B[2JU+001B[H4801006" in out + err


# ---- a workbook another program holds (Windows: Excel keeps the file it has open) -------------


def _held(path: Path):
    def load_workbook(*_args, **_kwargs):
        exc = PermissionError(13, "Permission denied", str(path))
        exc.winerror = 32  # ERROR_SHARING_VIOLATION, as CPython sets it on Windows
        raise exc

    return load_workbook


HELD = (
    "ไฟล์ {name} เปิดอยู่ในโปรแกรมอื่น (เช่น Excel หรือโปรแกรมอ่าน PDF) หรือเป็นไฟล์อ่านอย่างเดียว "
    "โปรดปิดไฟล์นั้นในโปรแกรมดังกล่าวแล้วลองอีกครั้ง หรือบันทึกเป็นชื่ออื่น"
)


def test_a_plan_workbook_open_in_excel_is_not_called_damaged(tmp_path, monkeypatch):
    """Was: "ไม่ใช่ไฟล์ Excel (.xlsx) หรือไฟล์เสียหาย — โปรดเปิดไฟล์ใน Excel บันทึกใหม่", for a
    sound file Excel had open."""
    import openpyxl

    path = _plan_book(tmp_path / "แผน.xlsx", ["โครงการ ก", 100, 1])
    monkeypatch.setattr(openpyxl, "load_workbook", _held(path))
    with pytest.raises(plan_import.PlanImportError) as caught:
        plan_import.open_workbook(path)
    assert str(caught.value) == HELD.format(name=path)


def test_an_lao_list_open_in_excel_is_not_called_damaged(tmp_path, monkeypatch):
    import openpyxl

    path = _lao_book(tmp_path / "laos.xlsx", "")
    monkeypatch.setattr(openpyxl, "load_workbook", _held(path))
    with pytest.raises(LaoListError) as caught:
        read_lao_list(path, province_code="48")
    assert str(caught.value) == HELD.format(name=path)


def test_a_form_of_repeated_rows_is_read_after_its_indicator_was_renamed(tmp_path):
    """The headings are compared with those the form was written with, not with the
    programme's present names (the district may edit a programme after sending its forms)."""
    from openpyxl import load_workbook
    from sqlalchemy import select
    from sqlalchemy.orm.attributes import flag_modified

    from db.models import Programme

    district, form = _form(tmp_path, "P5", "FY2568")
    with district.session() as session:
        programme = session.scalar(select(Programme).where(Programme.code == "P5"))
        programme.spec["indicators"][0]["name"] = "ชื่อผลิตภัณฑ์ (แก้ไขแล้ว)"
        flag_modified(programme, "spec")
    book = load_workbook(form)
    book["ข้อมูล"]["B6"] = "ผ้าย้อมคราม"
    book.save(form)
    plan, result = importer.import_files(district, [form])
    assert len(result.imported) == 1, plan.packages[0].reason
    district.dispose()


def test_a_refusal_at_the_write_speaks_thai_only(offices, tmp_path, monkeypatch, caplog):
    """The database's own refusal while writing (a record under another identity) was quoted
    in the officer's message, in English ("... (UNIQUE constraint failed: plans.id)"); the
    log keeps it, the message is Thai, and nothing is written."""
    import sqlite3

    lao, district = offices
    path = export_package(lao, "D4801", tmp_path / "lao.levpkg").path
    before = snapshot(district)

    def refused(*_args, **_kwargs):
        raise sqlite3.IntegrityError("UNIQUE constraint failed: plans.id")

    monkeypatch.setattr(importer, "_write_all", refused)
    _plan, result = importer.import_files(district, [path], trust=True)
    assert [p.reason for p in result.refused] == [
        "ไม่ได้นำเข้าข้อมูลใด ๆ: แพ็กเกจอ้างถึงข้อมูลที่หน่วยงานนี้ไม่มี หรือมีข้อมูลซ้ำภายใต้รหัสอื่น"
    ]
    assert "UNIQUE constraint failed: plans.id" in caplog.text
    assert snapshot(district) == before
