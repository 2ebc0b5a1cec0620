"""An export records the sending of the reports it carries, so the deadlines show them done."""

import datetime as dt

from lev_desktop.deadlines import engine
from lev_desktop.exchange.exporter import _mark_deadlines_sent
from lev_desktop.services import demo


def test_export_marks_complete_reporting_obligations_sent(lao_store):
    demo.fill(lao_store)  # the LAO's own FY2568 records; its P5 product form is complete
    when = dt.datetime(2025, 9, 20, 10, 0)
    marked = _mark_deadlines_sent(lao_store, "4801006", when, None)
    assert ("P5", "P5.LAO.REPORT", dt.date(2025, 9, 15)) in marked
    # nothing that is not a report upwards, and nothing whose form is not complete
    assert all(code.split(".")[1] == "LAO" for _p, code, _d in marked)
    items = engine.office_deadlines(
        lao_store,
        dt.date(2025, 9, 1),
        dt.date(2025, 9, 30),
        office="4801006",
        today_=dt.date(2025, 9, 20),
    )
    p5 = [
        i for i in items if i.obligation.code == "P5.LAO.REPORT" and i.due == dt.date(2025, 9, 15)
    ]
    assert p5 and p5[0].sent
    # idempotent: a second export marks nothing new
    assert _mark_deadlines_sent(lao_store, "4801006", when, None) == []


def test_export_limited_to_chosen_programmes(lao_store):
    demo.fill(lao_store)
    when = dt.datetime(2025, 9, 20, 10, 0)
    assert all(p == "P1" for p, _c, _d in _mark_deadlines_sent(lao_store, "4801006", when, ["P1"]))
    # P5 was not in that package, so its report is still open and a later full export marks it
    assert ("P5", "P5.LAO.REPORT", dt.date(2025, 9, 15)) in _mark_deadlines_sent(
        lao_store, "4801006", when, None
    )
