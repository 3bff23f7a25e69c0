"""The referral status rules and the working-day clock, tested without Flask."""

from __future__ import annotations

from datetime import date

import pytest

from triage.core.referrals import CLOSED, NEXT, REFERRAL_STATUSES, is_overdue, transition_problem, working_days_between


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
    assert CLOSED == {"declined", "completed", "no_longer_needed", "could_not_contact"}


def test_unknown_statuses_and_long_reasons_are_refused():
    assert transition_problem("sent", "lost") == "'lost' is not a referral status"
    assert transition_problem("sent", "declined", "x" * 501) == "The reason must be 500 characters or fewer"


def test_every_status_is_reachable_from_sent():
    seen, todo = {"sent"}, ["sent"]
    while todo:
        for nxt in NEXT[todo.pop()]:
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
