"""An activity of a fiscal year's plan is held in that year (validation.held_outside_year):
a year typed one off ("5/12/68" in the plan of 2570, fit14's clerk) was saved without a word,
and F2 and F3's count of activities held counted it in the plan's year (redteam14)."""

from __future__ import annotations

import datetime as dt

import pytest

from lev_desktop.domain.validation import held_outside_year
from lev_desktop.services import plans as ps
from lev_desktop.services.programmes import builtin_id
from tests.exchange.helpers import snapshot
from ui.models.activity_model import ACTIVITY_COLUMNS, ActivitiesModel
from ui.models.table import CellError

P1 = builtin_id("P1")
FY = 2568  # 1 Oct 2567 – 30 Sep 2568 (1 Oct 2024 – 30 Sep 2025)
OUTSIDE = (
    "วันที่ 5 ธ.ค. 2568 อยู่นอกปีงบประมาณ 2568 (1 ต.ค. 2567 ถึง 30 ก.ย. 2568) ซึ่งเป็นปีของแผนนี้ โปรดตรวจสอบปี"
)


def test_the_years_first_and_last_days_are_in_it():
    assert held_outside_year(dt.date(2024, 10, 1), FY) is None
    assert held_outside_year(dt.date(2025, 9, 30), FY) is None
    assert held_outside_year(dt.date(2025, 12, 5), FY) == OUTSIDE
    assert held_outside_year(dt.date(2024, 9, 30), FY) is not None


def test_the_service_refuses_a_day_outside_the_plans_year(lao_store):
    ps.start_from_examples(lao_store, P1, FY)
    item = ps.load_plan(lao_store, "4801006", P1, FY).items[0]
    before = snapshot(lao_store)
    with pytest.raises(ps.PlanError) as refused:
        ps.save_activity(
            lao_store,
            P1,
            FY,
            {"id": ps.new_id(), "plan_item_id": item.id, "held_on": dt.date(2025, 12, 5)},
        )
    assert str(refused.value) == OUTSIDE
    assert snapshot(lao_store) == before
    ps.save_activity(  # a day in the year, and a row without a day yet, are saved
        lao_store,
        P1,
        FY,
        {"id": ps.new_id(), "plan_item_id": item.id, "held_on": dt.date(2025, 9, 30)},
    )
    ps.save_activity(lao_store, P1, FY, {"id": ps.new_id(), "plan_item_id": item.id})
    assert len(ps.list_activities(lao_store, "4801006", P1, FY)) == 2


def test_the_grid_refuses_it_in_the_cell_as_typed(qapp):
    model = ActivitiesModel()
    model.fiscal_year = FY
    row = ps.ActivityRow(id="a", plan_item_id="p")
    held_on = next(c for c in ACTIVITY_COLUMNS if c.key == "held_on")
    with pytest.raises(CellError) as refused:
        model.parse(row, held_on, "5/12/68")
    assert str(refused.value) == OUTSIDE
    assert model.parse(row, held_on, "5/12/67") == {"held_on": dt.date(2024, 12, 5)}
