"""Home, the badges and the calendar tell one story about what is overdue (issue 12): the
badge counts what needs attention within the reminders' look-back; what is still overdue from
before it is counted once, in the core, and Home says it is in the calendar. A later follow-up
round of an overdue instance shows the instance's due date beside "เกินกำหนด N วัน"."""

from __future__ import annotations

import datetime as dt

from waits import in_worker

from lev_desktop.deadlines import engine
from lev_desktop.deadlines.engine import State
from lev_desktop.thai_format import fiscal_year_range

# The day of the observation: the demo's fiscal year 2568 ended 14 months before.
TODAY = dt.date(2026, 12, 3)


def _key(item):
    return (item.obligation.programme_code, item.obligation.code, item.period, item.incoming)


def test_every_overdue_instance_is_in_the_badge_or_counted_as_older(demo_store):
    found = engine.attention(demo_store, today_=TODAY)
    book = engine.DeadlineBook(demo_store, today_=TODAY)
    # what the calendar's agenda lists as overdue, for fiscal year 2568 (the screens' year)
    agenda = {_key(i) for i in book.items(*fiscal_year_range(2568)) if i.state == State.OVERDUE}
    badge = {_key(i) for i in found.items if i.state == State.OVERDUE}
    assert len(agenda) == 2  # as the agenda showed it: 444 and 429 days overdue
    assert len(badge) == 1  # the badge's one (its follow-up round falls in the look-back)
    assert badge <= agenda
    assert len(badge) + found.older_overdue == len(agenda)
    assert found.since == TODAY - dt.timedelta(days=engine.DEFAULT_LOOKBACK_DAYS)
    assert [i.state for i in found.items] == [
        i.state for i in engine.reminders(demo_store, today_=TODAY)
    ]


def test_home_says_the_older_overdue_are_in_the_calendar_and_dates_read_right(
    qtbot, demo_store, make_ctx, monkeypatch
):
    from PySide6.QtWidgets import QLabel

    from ui.screens.home import HomeScreen, load_home
    from ui.thai_wrap import plain

    monkeypatch.setenv("LEV_TODAY", TODAY.isoformat())
    data = in_worker(load_home, demo_store)
    assert data.attention == 1  # the badge
    assert data.more_overdue == 1  # the other overdue one is in the calendar
    (item,) = [i for i in data.deadlines if i.state == State.OVERDUE]
    assert item.days_left == -444
    home = HomeScreen(make_ctx(demo_store))
    qtbot.addWidget(home)
    home.show_data(data)
    texts = [plain(label.text()) for label in home.deadlines.findChildren(QLabel)]
    # the date the 444 days count from, then the follow-up round's (two days ahead)
    assert "จ. 15 ก.ย. 2568\nติดตามอีกครั้ง ส. 5 ธ.ค. 2569" in texts
    assert "ส. 5 ธ.ค. 2569" not in texts
    assert "ยังมีกำหนดส่งที่เกินกำหนดก่อนหน้านี้อีก 1 รายการ ดูได้ในปฏิทินกำหนดส่ง" in texts
