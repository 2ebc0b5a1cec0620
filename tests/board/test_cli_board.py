"""``lev board``: per-LAO lines and a total line (รวม) that equals the sum of the LAOs' figures."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from decimal import Decimal

from lev_desktop.cli import main
from lev_desktop.services.programmes import builtin_id
from lev_desktop.thai_format import parse_number


def _run(capsys, *args: str) -> tuple[int, list[list[str]], str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, [line.split("\t") for line in out.splitlines()], err


def test_totals_equal_the_sum_of_the_laos_from_the_db(demo_store, capsys):
    db = demo_store.engine.url.database
    code, lines, _err = _run(
        capsys, "--db", db, "board", "--programme", "P1", "--fiscal-year", "2568", "--type", "sao"
    )
    assert code == 0
    header, rows, total = lines[0], lines[1:-1], lines[-1]
    assert total[0] == "รวม"  # Thai, like every other word of the board
    budget_col = header.index("งบประมาณตามแผน (บาท)")
    people_col = header.index("ผู้เข้าร่วม (คน)")
    conn = sqlite3.connect(db)
    saos = {
        c
        for (c,) in conn.execute(
            "SELECT code FROM offices WHERE lao_type='sao' AND district_code='4801'"
        )
    }
    budget: dict[str, Decimal] = defaultdict(Decimal)
    for owner, value in conn.execute(
        "SELECT p.owner_office, i.budget FROM plan_items i JOIN plans p ON p.id=i.plan_id "
        "WHERE p.programme_id=? AND p.fiscal_year=2568 AND i.deleted=0 AND p.deleted=0",
        (builtin_id("P1"),),
    ):
        budget[owner] += Decimal(str(value or 0)).quantize(Decimal("0.01"))
    people: dict[str, int] = defaultdict(int)
    for owner, value in conn.execute(
        "SELECT owner_office, participants FROM activities WHERE deleted=0"
    ):
        people[owner] += value or 0
    assert {r[1] for r in rows} == saos and len(rows) == 10
    for row in rows:
        assert parse_number(row[budget_col]) == budget[row[1]]
        assert int(parse_number(row[people_col]) or 0) == people[row[1]]
    assert parse_number(total[budget_col]) == sum(budget[c] for c in saos)
    assert parse_number(total[people_col]) == sum(people[c] for c in saos)
    assert total[1] == str(len(rows))


def test_by_district_and_errors(demo_store, capsys):
    db = demo_store.engine.url.database
    code, lines, _ = _run(capsys, "--db", db, "board", "--programme", "P5", "--by-district")
    assert code == 0 and lines[1][0] == "อำเภอเมืองนครพนม" and lines[1][1] == "14"
    assert lines[-1][0] == "รวม" and lines[-1][-1] == lines[1][-1]
    code, _lines, err = _run(capsys, "--db", db, "board", "--programme", "P9")
    assert code == 2 and "ไม่พบโครงการ" in err
    code, _lines, err = _run(capsys, "--db", db, "board", "--programme", "P1", "--type", "xyz")
    assert code == 2 and "ประเภท" in err
    code, _lines, err = _run(
        capsys, "--db", db, "board", "--programme", "P4", "--period", "1999-01"
    )
    assert code == 2 and "1999-01" in err
