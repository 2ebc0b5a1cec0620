"""restamp.py and completeness.py on a receiving office's PostgreSQL database: the district
re-stamps its own record and not an LAO's values; a form completed again in a 'changes only'
package is judged with the values the server already holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, update

from db.models import KpiValue, Office
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import export_package
from lev_desktop.exchange.restamp import future_changes, restamp_future_changes
from lev_desktop.services import kpi

from .helpers import make_district, make_lao

pytestmark = pytest.mark.postgres

LAO = "4801006"


def test_restamp_and_completeness_on_the_server(tmp_path: Path, pg_databases, clock):
    clock.now = dt.datetime(2024, 9, 1, 3, tzinfo=dt.UTC)
    lao = make_lao(tmp_path / "lao.db", LAO, seed=1313)
    now = dt.datetime(2025, 10, 6, 3, tzinfo=dt.UTC)
    clock.now = now
    district = make_district(pg_databases())
    first = export_package(lao, "D4801", tmp_path / "first.levpkg").path
    assert importer.import_files(district, [first], trust=True)[1].imported

    clock.advance(days=1)
    assert kpi.set_status(lao, "P2", "FY2567", "draft") == []
    assert kpi.set_status(lao, "P2", "FY2567", "complete") == []
    clock.advance(hours=1)
    delta = export_package(lao, "D4801", tmp_path / "delta.levpkg", since_last=True).path
    plan = importer.preview(district, [delta])
    assert plan.packages[0].parts[0].incomplete == []
    plan.close()
    assert importer.import_files(district, [delta], trust=True)[1].imported

    ahead = dt.datetime(2025, 11, 20, 9)
    with district.session() as s:  # received while both clocks ran ahead (simulated)
        s.execute(update(KpiValue).where(KpiValue.owner_office == LAO).values(updated_at=ahead))
    clock.now = now + dt.timedelta(days=30)
    with district.session() as s:
        s.scalar(select(Office).where(Office.code == "D4801")).phone = "042-000000"
    clock.now = now + dt.timedelta(days=2)
    done = restamp_future_changes(district)
    assert done.count == 1
    with district.read() as s:
        assert future_changes(s, "D4801", clock.now.replace(tzinfo=None)).count == 0
        stamps = set(s.scalars(select(KpiValue.updated_at).where(KpiValue.owner_office == LAO)))
    assert stamps == {ahead}
    lao.dispose()
    district.dispose()
