"""A programme binds the office that made it and the offices below it, never the offices
above or beside it (``routing.owner_concerns``, read by the deadline book and the board).

Before: every active programme bound every office of the receiving database. An LAO that made
its own next-year programme (P1-2569 from the P1 template) and sent its package up gave the
district deadlines of its own for it and put the district's other LAOs on the board as owing
its plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lev_desktop.deadlines import DeadlineBook
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import export_package
from lev_desktop.services import offices
from lev_desktop.services.consolidation import build_board, programmes_for_board
from lev_desktop.services.programmes import create_from_template, get_programme
from tests.exchange.helpers import make_district, make_lao

TODAY = dt.date(2026, 2, 1)  # (fiscal year 2569: its plans are overdue after 31 Dec 2568)


def _codes(book: DeadlineBook) -> set[str]:
    return {ob.programme_code for ob in book.obligations}


@pytest.fixture
def lao_and_district(tmp_path: Path):
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=6)
    district = make_district(tmp_path / "district.db")
    offices.add_lao(
        district,
        code="4801007",
        name="องค์การบริหารส่วนตำบลนาราชควาย",
        lao_type="sao",
        district_code="4801",
        province_code="48",
    )
    yield lao, district
    lao.dispose()
    district.dispose()


def test_an_laos_own_programme_binds_that_lao_alone(lao_and_district, tmp_path):
    lao, district = lao_and_district
    create_from_template(lao, "P1", code="P1-2569", fiscal_year=2569)
    assert "P1-2569" in _codes(DeadlineBook(lao, today_=TODAY))  # the LAO's own deadlines
    path = export_package(lao, "D4801", tmp_path / "lao.levpkg").path
    assert importer.import_files(district, [path], trust=True)[1].imported
    here = get_programme(district, "P1-2569")
    assert here is not None and here.owner_office == "4801006"  # its data came up

    book = DeadlineBook(district, today_=TODAY)
    assert "P1-2569" not in _codes(book)
    assert {"P1", "P2", "P3", "P4", "P5"} <= _codes(book)
    assert [p.code for p in programmes_for_board(district)] == ["P1", "P2", "P3", "P4", "P5"]
    with pytest.raises(LookupError):
        build_board(district, "P1-2569", today=TODAY)


def test_a_programme_made_above_binds_the_offices_below(lao_and_district):
    """The district's own programme binds the district and every LAO under it, and the
    province's binds the district (its usual code P48, no record of it here)."""
    lao, district = lao_and_district
    create_from_template(district, "P1", code="P1-2569", fiscal_year=2569)
    assert "P1-2569" in _codes(DeadlineBook(district, today_=TODAY))
    board = build_board(district, "P1-2569", today=TODAY)
    assert [row.code for row in board.rows] == ["4801007"]  # (the LAO this district lists)
    assert "P1-2569" in [p.code for p in programmes_for_board(district)]

    from lev_desktop.routing import owner_concerns

    me = offices.this_office(district)
    assert owner_concerns("P48", me, {}) is True  # the province above (known by its code)
    assert owner_concerns("DLA", me, {}) is True
    assert owner_concerns("P47", me, {}) is False  # another province
    assert owner_concerns("D4802", me, {}) is False  # the district beside
    lao_office = offices.get_office(district, "4801007")
    assert owner_concerns("D4801", lao_office, {}) is True
    assert (
        owner_concerns("4801006", lao_office, {"4801006": offices.get_office(lao, "4801006")})
        is False
    )
