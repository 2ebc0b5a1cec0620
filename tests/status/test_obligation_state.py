"""The one obligation-state model (pure): every rule of ``judge`` on its own."""

from __future__ import annotations

import datetime as dt

import pytest

from lev_desktop.domain.obligation_state import Facts, Mark, State, judge

D = dt.date
DUE = D(2025, 9, 30)


EARLY = D(2025, 9, 1)


def state(facts: Facts, today: dt.date = EARLY) -> State:
    return judge(facts, DUE, today, 7).state


def test_nothing_yet_is_not_yet_due_then_due_soon_then_overdue():
    facts = Facts(reporting=True)
    assert state(facts, D(2025, 9, 1)) == State.NOT_YET_DUE
    assert state(facts, D(2025, 9, 23)) == State.DUE_SOON
    assert state(facts, DUE) == State.DUE_SOON  # due today is not overdue
    assert state(facts, D(2025, 10, 1)) == State.OVERDUE


def test_work_or_a_draft_is_in_progress_until_it_is_due_soon():
    assert state(Facts(reporting=True, work=True)) == State.IN_PROGRESS
    assert state(Facts(reporting=True, form_status="draft")) == State.IN_PROGRESS
    assert state(Facts(reporting=True, work=True), D(2025, 9, 25)) == State.DUE_SOON


def test_a_complete_report_is_not_sent_until_a_package_carried_it():
    complete = Facts(reporting=True, form_status="complete", completed_on=D(2025, 9, 2))
    assert state(complete) == State.READY
    sent = Facts(reporting=True, form_status="complete", sent=True, sent_on=D(2025, 9, 3))
    assert state(sent, D(2025, 10, 2)) == State.SENT


def test_a_complete_report_past_its_due_date_is_overdue_and_says_it_is_complete():
    """fit14's clerk completed F3 after its due day and read "เกินกำหนด" as before, as if the
    work were lost: it is still overdue (the obligation is to send it), and now says so with
    what is left."""
    from lev_desktop.deadlines.text import state_days_text

    complete = Facts(reporting=True, form_status="complete", completed_on=D(2025, 10, 1))
    found = judge(complete, DUE, D(2025, 10, 9), 7)
    assert found.state == State.OVERDUE_READY
    assert found.state.overdue and found.state.attention and found.state.tone == "overdue"
    assert found.state.label == "รอส่ง · เกินกำหนด"
    assert state_days_text(found.state, found.days_left) == "เสร็จแล้ว รอส่ง · เกินกำหนด 9 วัน"
    # seen from above, or with nothing to send, or not complete: overdue as before
    assert state(Facts(reporting=True, form_status="draft"), D(2025, 10, 2)) == State.OVERDUE
    above = Facts(reporting=True, form_status="complete", view="above")
    assert state(above, D(2025, 10, 2)) == State.OVERDUE
    assert State.OVERDUE.overdue and not State.READY.overdue


def test_a_form_with_nothing_to_send_is_done_when_complete():
    done = Facts(reporting=False, form_status="complete", completed_on=D(2025, 9, 3))
    assert state(done) == State.DONE
    assert judge(done, DUE, D(2025, 10, 9)).fulfilled_on == D(2025, 9, 3)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(D(2025, 9, 30), State.SENT), (D(2025, 10, 1), State.LATE)],
)
def test_on_time_or_late_against_the_due_date(day, expected):
    facts = Facts(reporting=True, form_status="complete", sent=True, sent_on=day)
    assert state(facts, D(2025, 11, 1)) == expected


def test_above_an_lao_is_received_and_judged_by_the_day_the_package_was_made():
    made_in_time = Facts(
        reporting=True,
        view="above",
        form_status="complete",
        received=True,
        sent_on=D(2025, 9, 29),
        received_on=D(2025, 10, 3),  # imported late: the LAO was on time
    )
    assert state(made_in_time, D(2025, 11, 1)) == State.RECEIVED
    assert judge(made_in_time, DUE, D(2025, 11, 1)).fulfilled_on == D(2025, 9, 29)


def test_a_return_for_correction_outranks_sent_and_received():
    facts = Facts(reporting=True, view="above", received=True, returned=True)
    assert state(facts) == State.RETURNED
    assert State.RETURNED.attention


def test_a_manual_mark_fulfils_with_its_date_and_reason():
    mark = Mark(D(2025, 9, 12), "ส่งเป็นหนังสือที่ ๑๒๓")
    assert state(Facts(reporting=True, mark=mark), D(2025, 11, 1)) == State.SENT
    assert state(Facts(reporting=True, view="above", mark=mark), D(2025, 11, 1)) == State.RECEIVED
    late = Mark(D(2025, 10, 12), "ส่งทางไลน์")
    assert state(Facts(reporting=True, mark=late), D(2025, 11, 1)) == State.LATE


def test_not_applicable_wins_over_everything():
    facts = Facts(reporting=True, applicable=False, returned=True, work=True)
    assert state(facts, D(2025, 11, 1)) == State.NOT_APPLICABLE
    assert not State.NOT_APPLICABLE.attention


def test_a_meeting_that_took_place_is_done_and_one_to_come_is_not():
    meeting = Facts(has_form=False, event=True)
    assert state(meeting, D(2025, 10, 1)) == State.DONE
    assert state(meeting, D(2025, 9, 1)) == State.NOT_YET_DUE


def test_every_state_has_a_thai_word_a_tone_and_the_same_words_everywhere():
    from ui import status_palette

    words = {s.label for s in State}
    assert len(words) == len(State)  # no two states read the same
    for s in State:
        assert s.label and s.thai == s.label  # the interface is Thai here
        assert status_palette.tone(s) in status_palette.PALETTE
