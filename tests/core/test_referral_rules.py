"""The referral status rules and the working-day clock, tested without Flask."""

from __future__ import annotations

import statistics
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage.core.referrals import (
    BY_THE_SYSTEM,
    CLOSED,
    NEXT,
    OUTCOMES,
    REFERRAL_STATUSES,
    Answer,
    Clock,
    is_overdue,
    responsiveness,
    responsiveness_hint,
    transition_problem,
    working_day_after,
    working_days_between,
)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        ("sent", "accepted"),
        ("accepted", "contacted"),
        ("contacted", "support_started"),
        ("support_started", "completed"),
    ],
)
def test_the_usual_path_is_allowed(current, new):
    assert transition_problem(current, new) is None


@pytest.mark.parametrize("new", ["declined", "no_longer_needed", "could_not_contact"])
def test_endings_other_than_completion_need_a_reason(new):
    current = next(s for s, nxt in NEXT.items() if new in nxt)
    assert transition_problem(current, new) == f"Give a reason why the referral is {REFERRAL_STATUSES[new].lower()}"
    assert transition_problem(current, new, "   ") is not None
    assert transition_problem(current, new, "Moved out of the area") is None


def test_skipping_a_step_is_refused_with_what_is_allowed():
    assert transition_problem("sent", "completed") == "A referral that is sent can only become: accepted, declined"


def test_closed_referrals_cannot_change():
    for status in CLOSED:
        assert "is closed" in transition_problem(status, "accepted")
    assert CLOSED == {"declined", "completed", "no_longer_needed", "could_not_contact", "not_answered"}


def test_only_signpost_closes_a_referral_as_not_answered():
    assert "not_answered" not in {s for nxt in NEXT.values() for s in nxt}
    assert transition_problem("sent", "not_answered") == "A referral that is sent can only become: accepted, declined"
    assert BY_THE_SYSTEM == {"sent": ("not_answered",)} and "not_answered" in CLOSED


def test_the_person_is_told_how_each_ending_after_acceptance_went():
    after_acceptance = {s for s in CLOSED if s not in ("declined", "not_answered")}
    assert set(OUTCOMES) == after_acceptance


def test_unknown_statuses_and_long_reasons_are_refused():
    assert transition_problem("sent", "lost") == "'lost' is not a referral status"
    assert transition_problem("sent", "declined", "x" * 501) == "The reason must be 500 characters or fewer"


def test_every_status_is_reachable_from_sent():
    seen, todo = {"sent"}, ["sent"]
    while todo:
        current = todo.pop()
        for nxt in NEXT[current] + BY_THE_SYSTEM.get(current, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(REFERRAL_STATUSES)


def test_working_days_skip_weekends_and_holidays():
    friday, monday, tuesday = date(2026, 11, 27), date(2026, 11, 30), date(2026, 12, 1)
    assert working_days_between(friday, monday) == 1
    assert working_days_between(friday, friday) == 0
    assert working_days_between(friday, tuesday, frozenset({monday})) == 1
    christmas_eve = date(2026, 12, 24)
    holidays = frozenset({date(2026, 12, 25), date(2026, 12, 28)})
    assert working_days_between(christmas_eve, date(2026, 12, 29), holidays) == 1


def test_overdue_only_while_waiting_for_an_answer():
    thursday = date(2026, 11, 26)
    assert not is_overdue("sent", thursday, date(2026, 11, 30), limit=2)  # Friday, Monday: 2 working days
    assert is_overdue("sent", thursday, date(2026, 12, 1), limit=2)
    assert not is_overdue("accepted", thursday, date(2026, 12, 1), limit=2)


# Reminders and expiry

THURSDAY = date(2026, 11, 26)
CHRISTMAS = frozenset({date(2026, 12, 25), date(2026, 12, 28)})


def test_the_day_to_answer_by_skips_weekends_and_bank_holidays():
    assert working_day_after(THURSDAY, 2) == date(2026, 11, 30)  # Friday, then Monday
    assert working_day_after(date(2026, 12, 23), 2, CHRISTMAS) == date(2026, 12, 29)  # 24th, then the 29th
    assert working_day_after(THURSDAY, 0) == THURSDAY
    clock = Clock(2, 10, CHRISTMAS)
    assert clock.answer_by(date(2026, 12, 23)) == date(2026, 12, 29)
    assert clock.expires_on(date(2026, 12, 21)) == date(2027, 1, 6)  # 22, 23, 24, 29, 30, 31, 1, 4, 5, 6


@given(st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.integers(0, 30))
def test_the_answer_by_day_is_the_last_day_before_a_referral_is_overdue(sent_on, days):
    last = working_day_after(sent_on, days)
    assert working_days_between(sent_on, last) == days
    assert not is_overdue("sent", sent_on, last, days)
    assert is_overdue("sent", sent_on, working_day_after(last, 1), days)


def test_a_waiting_referral_is_reminded_once_then_closed():
    clock = Clock(2, 10, CHRISTMAS)
    sent = date(2026, 12, 21)  # a Monday
    assert clock.chase("sent", sent, date(2026, 12, 23), reminded=False) is None  # 2 working days: not yet
    assert clock.chase("sent", sent, date(2026, 12, 24), reminded=False) == "remind"
    assert clock.chase("sent", sent, date(2026, 12, 28), reminded=True) is None  # a bank holiday: still 3 days
    assert clock.chase("sent", sent, date(2027, 1, 6), reminded=True) is None  # Wednesday, the last day to answer
    assert clock.chase("sent", sent, date(2027, 1, 7), reminded=True) == "expire"  # 11 working days


def test_a_weekend_does_not_bring_the_end_forward():
    clock = Clock(2, 5)
    friday = date(2026, 11, 27)
    assert clock.expires_on(friday) == date(2026, 12, 4)  # the next Friday
    assert clock.chase("sent", friday, date(2026, 12, 5), reminded=True) is None  # Saturday: still 5
    assert clock.chase("sent", friday, date(2026, 12, 6), reminded=True) is None  # Sunday
    assert clock.chase("sent", friday, date(2026, 12, 7), reminded=True) == "expire"  # Monday: 6


def test_a_referral_past_both_limits_closes_without_a_reminder_and_an_answered_one_is_left_alone():
    clock = Clock(2, 10)
    assert clock.chase("sent", THURSDAY, THURSDAY + timedelta(days=60), reminded=False) == "expire"
    for status in set(REFERRAL_STATUSES) - {"sent"}:
        assert clock.chase(status, THURSDAY, THURSDAY + timedelta(days=60), reminded=False) is None


# How quickly an organisation answers

answers = st.lists(
    st.one_of(
        st.builds(Answer, st.integers(0, 40), st.booleans()),
        st.builds(Answer, st.none(), st.just(False), st.booleans()),
    ),
    max_size=40,
)


@given(answers, st.integers(1, 10))
def test_figures_are_said_only_from_enough_answered_or_expired_referrals(given_answers, suppress_below):
    decided = [a for a in given_answers if a.working_days is not None or a.expired]
    figures = responsiveness(given_answers, suppress_below)
    if len(decided) < suppress_below:
        assert figures is None
        assert responsiveness_hint(figures) == "Not enough referrals yet to say how quickly they answer"
        return
    assert figures is not None and figures.counted == len(decided)
    days = [a.working_days for a in decided if a.working_days is not None]
    if days:
        assert figures.median_days is not None and abs(figures.median_days - statistics.median(days)) <= 0.5
    else:
        assert figures.median_days is None
    accepted = sum(a.accepted for a in decided if a.working_days is not None)
    assert abs(figures.accepted_percent - 100 * accepted / len(decided)) <= 0.5
    assert 0 <= figures.accepted_percent <= 100


def test_the_suppression_boundary_and_rounding():
    four = [Answer(1, True), Answer(2, False), Answer(None, expired=True), Answer(3, True)]
    assert responsiveness(four, 5) is None
    assert responsiveness(four + [Answer(None)], 5) is None  # still waiting: not counted
    five = responsiveness(four + [Answer(4, True)], 5)
    assert five is not None and (five.median_days, five.accepted_percent, five.counted) == (
        3,
        60,
        5,
    )  # median 2.5 goes up
    assert responsiveness_hint(five) == "Usually answers in 3 working days, 60% accepted"
    halves = responsiveness([Answer(1, True), Answer(2, True), Answer(None, expired=True)], 3)
    assert halves is not None and (halves.median_days, halves.accepted_percent) == (2, 67)  # 1.5 and 66.7 go up
    assert (
        responsiveness_hint(responsiveness([Answer(1, True)], 1)) == "Usually answers in 1 working day, 100% accepted"
    )
    assert responsiveness_hint(responsiveness([Answer(0, False)], 1)) == "Usually answers on the day, 0% accepted"
    never = responsiveness([Answer(None, expired=True)], 1)
    assert responsiveness_hint(never) == "Has not answered its recent referrals in time, 0% accepted"
    assert responsiveness([], 0) is None
