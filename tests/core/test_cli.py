"""The `lev` command: init, demo, programmes, offices — as an officer or a script uses it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def lev(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "lev_desktop.cli", "--db", str(db), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
    )


def test_init_demo_programmes_offices(tmp_path: Path):
    db = tmp_path / "x.db"
    result = lev(
        "init",
        "--level",
        "district",
        "--office",
        "D4801",
        "--name",
        "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองนครพนม",
        "--province",
        "48",
        "--district",
        "4801",
        db=db,
    )
    assert result.returncode == 0, result.stderr
    assert lev("demo", db=db).returncode == 0

    programmes = lev("programmes", db=db)
    lines = [line.split("\t") for line in programmes.stdout.strip().splitlines()]
    assert [code for code, _name in lines] == ["P1", "P2", "P3", "P4", "P5"]
    names = dict(lines)
    assert names["P1"].startswith("การขับเคลื่อนคณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก")
    assert "จังหวัดสะอาด" in names["P2"]

    offices = [line.split("\t") for line in lev("offices", db=db).stdout.strip().splitlines()]
    laos = [row for row in offices if row[2] == "lao"]
    assert len(laos) == 15
    assert {row[3] for row in laos} == {"ทม.", "ทต.", "อบต."}
    assert any(row[0] == "D4801" and row[3] == "อำเภอ" for row in offices)


def test_demo_on_an_empty_database_creates_the_demo_district(tmp_path: Path):
    db = tmp_path / "y.db"
    assert lev("demo", db=db).returncode == 0
    offices = lev("offices", db=db).stdout
    assert "D4801" in offices and offices.count("\tlao\t") == 15


def test_demo_for_an_lao_fills_its_own_records(tmp_path: Path):
    db = tmp_path / "lao.db"
    assert (
        lev(
            "init",
            "--level",
            "lao",
            "--office",
            "4801006",
            "--name",
            "อบต.หนองแสง",
            "--type",
            "อบต.",
            "--district",
            "4801",
            db=db,
        ).returncode
        == 0
    )
    assert lev("demo", db=db).returncode == 0
    import sqlite3

    connection = sqlite3.connect(db)
    owners = {row[0] for row in connection.execute("SELECT DISTINCT owner_office FROM plan_items")}
    connection.close()
    assert owners == {"4801006"}


def test_errors_are_thai_on_stderr_with_nonzero_exit(tmp_path: Path):
    db = tmp_path / "z.db"
    result = lev("init", "--level", "lao", "--office", "X1", "--name", "ทดสอบ", db=db)
    assert result.returncode == 2
    assert "โปรดเลือกประเภทของ อปท." in result.stderr
    result = lev(
        "init", "--level", "lao", "--office", "X1", "--name", "ทดสอบ", "--type", "ร้านค้า", db=db
    )
    assert result.returncode == 2 and "ไม่รู้จักประเภท อปท." in result.stderr
    assert (
        lev("init", "--level", "district", "--office", "D1", "--name", "อำเภอ", db=db).returncode
        == 0
    )
    again = lev("init", "--level", "district", "--office", "D2", "--name", "อื่น", db=db)
    assert again.returncode == 2 and "D1" in again.stderr


def test_version():
    result = subprocess.run(
        [sys.executable, "-m", "lev_desktop.cli", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "LEV Desktop" in result.stdout
