"""completeness.incomplete_plan_forms on a receiving office's PostgreSQL database: F1 and F3
completed again in a 'changes only' package are judged with the rows and milestones the
server holds (dates and amounts as PostgreSQL gives them), and received; a later package
that removes every row of the plan and still calls F1 complete is not counted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import FormSubmission, PlanItem
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import export_package
from lev_desktop.services import plans
from lev_desktop.services.programmes import builtin_id

from .helpers import make_district, make_lao

pytestmark = pytest.mark.postgres

LAO = "4801006"
P1 = builtin_id("P1")


def _f1(store) -> str:
    with store.read() as s:
        return s.scalar(
            select(FormSubmission.status).where(
                FormSubmission.owner_office == LAO,
                FormSubmission.programme_id == P1,
                FormSubmission.form_code == "F1",
            )
        )


def test_plan_forms_judged_with_what_the_server_holds(tmp_path: Path, pg_databases, clock):
    clock.now = dt.datetime(2024, 9, 1, 3, tzinfo=dt.UTC)
    lao = make_lao(tmp_path / "lao.db", LAO, seed=1313)
    clock.now = dt.datetime(2025, 10, 6, 3, tzinfo=dt.UTC)
    district = make_district(pg_databases())
    first = export_package(lao, "D4801", tmp_path / "first.levpkg").path
    assert importer.import_files(district, [first], trust=True)[1].imported

    clock.advance(days=1)
    assert plans.set_form_status(lao, P1, 2568, plans.FORM_PLAN, "complete") == []
    assert plans.set_form_status(lao, P1, 2568, plans.FORM_MONITORING, "draft") == []
    assert plans.set_form_status(lao, P1, 2568, plans.FORM_MONITORING, "complete") == []
    clock.advance(hours=1)
    delta = export_package(lao, "D4801", tmp_path / "delta.levpkg", since_last=True).path
    plan = importer.preview(district, [delta])
    assert plan.packages[0].parts[0].incomplete == []
    plan.close()
    assert importer.import_files(district, [delta], trust=True)[1].imported
    assert _f1(district) == "complete"

    clock.advance(days=1)
    with lao.session() as s:  # every row removed; the LAO's form left "complete" (faulty)
        for item in s.scalars(select(PlanItem)):
            item.deleted = True
        s.flush()
        form = s.scalar(
            select(FormSubmission).where(
                FormSubmission.programme_id == P1, FormSubmission.form_code == "F1"
            )
        )
        form.completed_at = clock.now.replace(tzinfo=None)
    clock.advance(hours=1)
    again = export_package(lao, "D4801", tmp_path / "again.levpkg", since_last=True).path
    plan = importer.preview(district, [again])
    (found,) = plan.packages[0].parts[0].incomplete
    assert (found.form[2], found.why) == ("F1", "แผนปฏิบัติงานยังไม่มีโครงการ")
    plan.close()
    assert importer.import_files(district, [again], trust=True)[1].imported
    assert _f1(district) == "complete"  # (the version received before stays: see the report)
    lao.dispose()
    district.dispose()
